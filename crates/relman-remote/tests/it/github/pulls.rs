//! Pull requests: open or reuse by head and base (also from another repository), reviewers,
//! assignees, labels, merging with a method, waiting until merged.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use relman_remote::Clock;
use relman_remote::github::{GitHubError, MergeMethod, MergeOptions, NewPullRequest, PullStatus};
use relman_remote::wait::{PollOptions, WaitError};
use relman_testkit::github::FakeGitHub;

use super::{SHA, client, setup};

fn release_pr(head: &str) -> NewPullRequest {
    NewPullRequest {
        title: "Release 1.2.0".to_owned(),
        head: head.to_owned(),
        base: "main".to_owned(),
        body: Some("Bump to 1.2.0".to_owned()),
        draft: false,
    }
}

#[test]
fn a_pull_request_is_opened_once_and_reused() {
    let s = setup();
    s.fake
        .add_branch("octo/app", "release/1.2", &"2".repeat(40));
    let (pull, created) = s
        .github
        .open_or_reuse_pull_request(&s.repo, &release_pr("release/1.2"))
        .unwrap();
    assert!(created);
    assert_eq!(pull.head.label, "octo:release/1.2");
    let (again, created) = s
        .github
        .open_or_reuse_pull_request(&s.repo, &release_pr("release/1.2"))
        .unwrap();
    assert!(!created);
    assert_eq!(again.number, pull.number);
    let number = pull.number;
    s.github
        .request_reviewers(&s.repo, number, &["alice".into()], &["core".into()])
        .send()
        .unwrap();
    s.github
        .add_assignees(&s.repo, number, &["bob".into()])
        .send()
        .unwrap();
    s.github
        .add_labels(&s.repo, number, &["release".into()])
        .send()
        .unwrap();
    let pulls = s.fake.pull_requests("octo/app");
    assert_eq!(pulls.len(), 1);
    assert_eq!(pulls[0].reviewers, ["alice"]);
    assert_eq!(pulls[0].team_reviewers, ["core"]);
    assert_eq!(pulls[0].assignees, ["bob"]);
    assert_eq!(pulls[0].labels, ["release"]);
    assert_eq!(pulls[0].body.as_deref(), Some("Bump to 1.2.0"));
}

#[test]
fn a_pull_request_from_a_fork_into_another_repository() {
    let s = setup();
    s.fake.add_repo("me/app");
    s.fake.add_branch("me/app", "bump", &"3".repeat(40));
    let (pull, created) = s
        .github
        .open_or_reuse_pull_request(&s.repo, &release_pr("me:bump"))
        .unwrap();
    assert!(created);
    assert_eq!(pull.head.label, "me:bump");
    let found = s
        .github
        .find_pull_request(&s.repo, "me:bump", "main")
        .unwrap()
        .unwrap();
    assert_eq!(found.number, pull.number);
    assert_eq!(
        s.github.find_pull_request(&s.repo, "bump", "main").unwrap(),
        None
    );
}

#[test]
fn a_missing_head_branch_is_githubs_422() {
    let s = setup();
    let error = s
        .github
        .create_pull_request(&s.repo, &release_pr("nope"))
        .send()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "POST {}/repos/octo/app/pulls answered 422 Unprocessable Entity: \
             Validation Failed: PullRequest `head` invalid",
            s.fake.api_url()
        )
    );
}

#[test]
fn merging_with_a_method() {
    let s = setup();
    s.fake.add_branch("octo/app", "feature", &"4".repeat(40));
    let number = s
        .fake
        .add_pull_request("octo/app", "feature", "main", "Feature");
    let options = MergeOptions {
        merge_method: MergeMethod::Squash,
        sha: Some("4".repeat(40)),
        ..MergeOptions::default()
    };
    let result = s
        .github
        .merge_pull_request(&s.repo, number, &options)
        .send()
        .unwrap();
    assert!(result.merged);
    assert_eq!(
        s.fake.pull_requests("octo/app")[0].merge_method.as_deref(),
        Some("squash")
    );
    assert_eq!(
        s.github.pull_request(&s.repo, number).unwrap().status(),
        PullStatus::Merged
    );
    let error = s
        .github
        .merge_pull_request(&s.repo, number, &options)
        .send()
        .unwrap_err();
    assert_eq!(error.status(), Some(405));
    assert!(
        error
            .to_string()
            .ends_with("answered 405 Method Not Allowed: Pull Request is not mergeable"),
        "{error}"
    );
}

#[test]
fn waiting_until_merged_by_someone_else() {
    let fake = Arc::new(FakeGitHub::start());
    fake.add_repo("octo/app");
    fake.add_branch("octo/app", "main", SHA);
    fake.add_branch("octo/app", "release", &"5".repeat(40));
    let number = fake.add_pull_request("octo/app", "release", "main", "Release");
    // A person merges the pull request while relman sleeps for the third time.
    let sleeps = Arc::new(AtomicU32::new(0));
    let clock = {
        let fake = Arc::clone(&fake);
        let sleeps = Arc::clone(&sleeps);
        Clock::custom(SystemTime::now, move |_| {
            if sleeps.fetch_add(1, Ordering::SeqCst) == 2 {
                fake.merge_pull_request("octo/app", number);
            }
        })
    };
    let github = client(&fake, Some(FakeGitHub::TOKEN), clock);
    let repo = "octo/app".parse().unwrap();
    let pull = github
        .wait_until_merged(&repo, number, &PollOptions::default())
        .unwrap();
    assert_eq!(pull.status(), PullStatus::Merged);
    assert_eq!(sleeps.load(Ordering::SeqCst), 3);
}

#[test]
fn a_pull_request_closed_unmerged_ends_the_wait() {
    let s = setup();
    s.fake.add_branch("octo/app", "release", &"5".repeat(40));
    let number = s
        .fake
        .add_pull_request("octo/app", "release", "main", "Release");
    s.fake.close_pull_request("octo/app", number);
    let error = s
        .github
        .wait_until_merged(&s.repo, number, &PollOptions::default())
        .unwrap_err();
    let WaitError::Failed(error @ GitHubError::ClosedUnmerged { .. }) = error else {
        panic!("expected closed unmerged, got {error:?}");
    };
    assert_eq!(
        error.to_string(),
        format!(
            "pull request #{number} in `octo/app` was closed without being merged (https://github.fake.invalid/octo/app/pull/{number})"
        )
    );
    assert!(error.hint().is_some());
}

#[test]
fn waiting_on_an_open_pull_request_times_out() {
    let s = setup();
    s.fake.add_branch("octo/app", "release", &"5".repeat(40));
    let number = s
        .fake
        .add_pull_request("octo/app", "release", "main", "Release");
    let options = PollOptions::with_timeout(Duration::from_secs(600));
    let error = s
        .github
        .wait_until_merged(&s.repo, number, &options)
        .unwrap_err();
    assert!(error.is_timeout());
    assert_eq!(
        error.to_string(),
        format!(
            "gave up after 600s waiting for pull request #{number} in `octo/app` to be merged: #{number} is still open"
        )
    );
    assert_eq!(
        s.clock.sleeps().iter().sum::<Duration>(),
        Duration::from_secs(600)
    );
}
