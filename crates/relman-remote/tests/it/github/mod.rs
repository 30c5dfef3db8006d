//! The GitHub client against the fake GitHub of the test kit, whose every request and response is
//! checked against GitHub's OpenAPI description (a violation fails the test when the fake drops).

mod actions;
mod checks;
mod errors;
mod issues;
mod pulls;
mod releases;

use std::time::{Duration, SystemTime};

use relman_remote::github::{GitHub, GitHubConfig, Repo};
use relman_remote::{Clock, HttpOptions, RetryPolicy, Secret};
use relman_testkit::github::FakeGitHub;

pub const SHA: &str = "1111111111111111111111111111111111111111";

/// A fake with `octo/app` (branch `main` at [`SHA`]), a client with its token on a simulated clock.
pub struct Setup {
    pub fake: FakeGitHub,
    pub github: GitHub,
    pub repo: Repo,
    pub clock: Clock,
}

pub fn setup() -> Setup {
    let fake = FakeGitHub::start();
    fake.add_repo("octo/app");
    fake.add_branch("octo/app", "main", SHA);
    let clock = Clock::simulated(SystemTime::now());
    let github = client(&fake, Some(FakeGitHub::TOKEN), clock.clone());
    Setup {
        fake,
        github,
        repo: Repo::new("octo", "app"),
        clock,
    }
}

pub fn client(fake: &FakeGitHub, token: Option<&str>, clock: Clock) -> GitHub {
    GitHub::new(GitHubConfig {
        api: fake.api_url(),
        token: token.map(Secret::new),
        http: HttpOptions {
            timeout: Duration::from_millis(500),
            retry: RetryPolicy {
                jitter: false,
                ..RetryPolicy::default()
            },
            ..HttpOptions::default()
        },
        clock,
        ..GitHubConfig::default()
    })
    .unwrap()
}
