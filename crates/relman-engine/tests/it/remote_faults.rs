//! A release that uses every GitHub, CircleCI and announcement step while a fifth of the requests
//! to every fake fail transiently (5xx, a proxy's 502, 429): it completes, resuming when a step
//! gives up, and every effect happens exactly once.

use relman_engine::executor::Finish;
use relman_testkit::circleci::FakeCircleCi;
use relman_testkit::github::{FakeArtifact, FakeGitHub, FakeWorkflow};
use relman_testkit::http_server::{Fault, RecordedRequest};
use relman_testkit::recorder::Recorder;

use crate::remote_support::{Fixture, fake_github, header};

fn faults() -> Vec<Fault> {
    vec![
        Fault::ServerError,
        Fault::BadGateway,
        Fault::TooManyRequests { retry_after: 0 },
    ]
}

fn answered(requests: &[RecordedRequest], method: &str, path_end: &str) -> usize {
    requests
        .iter()
        .filter(|request| {
            request.fault.is_none() && request.method == method && request.path.ends_with(path_end)
        })
        .count()
}

/// `seed` picks which requests fail; the seeds used make faults hit every service.
fn release_with_faults(seed: u64) {
    let github = fake_github();
    let circleci = FakeCircleCi::start();
    let recorder = Recorder::start();
    github.add_branch("octo/app", "main", &"1".repeat(40));
    github.add_branch("octo/app", "release/1.2.3", &"2".repeat(40));
    github.add_workflow(
        "octo/app",
        "release.yml",
        FakeWorkflow {
            polls: 2,
            conclusion: "success".to_owned(),
            artifacts: vec![FakeArtifact {
                name: "wheels".to_owned(),
                files: vec![("app-1.2.3-py3-none-any.whl".to_owned(), b"wheel".to_vec())],
            }],
        },
    );
    circleci.add_artifact("build", "out/app-1.2.3.tar.gz", b"sdist");
    let mut fixture = Fixture::new(&format!(
        r##"{}
[[workflow.ship.step]]
check = "no-open-issues"
label = "release blocker"

[[workflow.ship.step]]
pull-request = "open"
head = "release/{{version}}"
base = "main"
title = "Release {{version}}"
labels = ["release"]
reviewers = ["alice"]

[[workflow.ship.step]]
merge-pull-request = "{{pr_number}}"

[[workflow.ship.step]]
wait = "pr-merged"
interval = "50ms"

[[workflow.ship.step]]
dispatch = "release.yml"
ref = "main"
artifacts = "dist"
interval = "50ms"

[[workflow.ship.step]]
circleci = "pipeline"
branch = "main"
artifacts = "dist"
interval = "50ms"

[[workflow.ship.step]]
wait = "checks"
interval = "50ms"

[[workflow.ship.step]]
release = "publish"
assets = ["dist/*"]

[[workflow.ship.step]]
id = "bug"
http = "POST {}/bug"
headers = {{ X-BUGZILLA-API-KEY = "{{env.BUGZILLA_API_KEY}}" }}
json = {{ product = "Cloud", component = "Deploy", summary = "Deploy {{version}}", version = "{{version}}" }}
save = {{ id = "/id" }}

[[workflow.ship.step]]
slack = "#releases"
message = "app {{version}}: {{release_url}} (bug {{steps.bug.id}})"

[[workflow.ship.step]]
webhook = "{}"
"##,
        header(&github),
        recorder.bugzilla_url(),
        recorder.webhook_url()
    ));
    github.add_check_run(
        "octo/app",
        &fixture.repo.head(),
        "build",
        "completed",
        Some("success"),
    );
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    fixture.set_var("CIRCLE_TOKEN", FakeCircleCi::TOKEN);
    fixture.set_var("RELMAN_CIRCLECI_API", &circleci.api_url());
    fixture.set_var("BUGZILLA_API_KEY", Recorder::BUGZILLA_KEY);
    fixture.set_var("SLACK_WEBHOOK_URL", &recorder.slack_webhook_url());

    github.api().fail_randomly(0.2, faults(), seed);
    circleci.api().fail_randomly(0.2, faults(), seed + 1);
    recorder.server().fail_randomly(0.2, faults(), seed + 2);

    let mut ran = fixture.run("ship");
    let mut resumes = 0;
    while let Ok(Finish::Failed { .. }) = &ran.finish {
        resumes += 1;
        assert!(
            resumes <= 10,
            "still failing after 10 resumes: {:?}",
            ran.finish
        );
        ran = fixture.resume(false);
    }
    ran.assert_done();

    // The faults really happened, on every service.
    for (service, requests) in [
        ("GitHub", github.api().requests()),
        ("CircleCI", circleci.api_requests()),
        ("the recorder", recorder.requests()),
    ] {
        let faulted = requests
            .iter()
            .filter(|request| request.fault.is_some())
            .count();
        assert!(
            faulted > 0 && faulted * 10 >= requests.len(),
            "seed {seed}: {faulted} of {} requests to {service} failed",
            requests.len()
        );
    }

    let pulls = github.pull_requests("octo/app");
    assert_eq!(pulls.len(), 1, "{pulls:#?}");
    assert!(pulls[0].merged);
    assert_eq!(pulls[0].labels, ["release"]);
    assert_eq!(github.dispatches("octo/app").len(), 1);
    let releases = github.releases("octo/app");
    assert_eq!(releases.len(), 1, "{releases:#?}");
    assert!(!releases[0].draft);
    let mut assets: Vec<&str> = releases[0]
        .assets
        .iter()
        .map(|(name, _, _)| name.as_str())
        .collect();
    assets.sort_unstable();
    assert_eq!(assets, ["app-1.2.3-py3-none-any.whl", "app-1.2.3.tar.gz"]);
    assert_eq!(circleci.pipelines().len(), 1);

    let api = github.api().requests();
    assert_eq!(answered(&api, "POST", "/pulls"), 1);
    assert_eq!(answered(&api, "PUT", "/merge"), 1);
    assert_eq!(answered(&api, "POST", "/dispatches"), 1);
    assert_eq!(answered(&api, "POST", "/releases"), 1);
    let posted = recorder.requests();
    assert_eq!(answered(&posted, "POST", "/rest/bug"), 1);
    assert_eq!(answered(&posted, "POST", "/s3cr3tWebhookPath"), 1);
    assert_eq!(answered(&posted, "POST", "/hooks/release"), 1);
    let slack = posted
        .iter()
        .find(|request| request.fault.is_none() && request.path.starts_with("/services/"))
        .unwrap();
    assert!(
        slack.json()["text"]
            .as_str()
            .unwrap()
            .contains("(bug 1001)"),
        "{:?}",
        slack.json()
    );
}

#[test]
fn every_effect_happens_once_when_a_fifth_of_requests_fail() {
    release_with_faults(4);
}

#[test]
fn every_effect_happens_once_when_a_fifth_of_requests_fail_another_seed() {
    release_with_faults(10);
}
