//! Actions: `workflow_dispatch` with inputs, finding the run it started (from the answer on
//! github.com, from a marker on GitHub Enterprise), waiting for it, and downloading its artifacts
//! from blob storage without the token.

use relman_remote::Clock;
use relman_remote::github::{GitHub, GitHubConfig, GitHubError};
use relman_remote::wait::{PollOptions, WaitError};
use relman_testkit::github::{FakeArtifact, FakeGitHub, FakeRun, FakeWorkflow};
use serde_json::json;

use super::{SHA, setup};

fn release_workflow(polls: u32, conclusion: &str) -> FakeWorkflow {
    FakeWorkflow {
        polls,
        conclusion: conclusion.to_owned(),
        artifacts: vec![
            FakeArtifact {
                name: "wheels".to_owned(),
                files: vec![
                    (
                        "app-1.0-cp312-manylinux.whl".to_owned(),
                        b"wheel one".to_vec(),
                    ),
                    (
                        "app-1.0-cp313-manylinux.whl".to_owned(),
                        b"wheel two".to_vec(),
                    ),
                ],
            },
            FakeArtifact {
                name: "sdist".to_owned(),
                files: vec![("app-1.0.tar.gz".to_owned(), b"sdist".to_vec())],
            },
        ],
    }
}

fn inputs() -> serde_json::Map<String, serde_json::Value> {
    json!({"version": "1.0", "publish": "true"})
        .as_object()
        .unwrap()
        .clone()
}

fn with_run_details(fake: &FakeGitHub, clock: Clock) -> GitHub {
    let plain = super::client(fake, Some(FakeGitHub::TOKEN), clock);
    GitHub::new(GitHubConfig {
        api: fake.api_url(),
        token: Some(FakeGitHub::TOKEN.into()),
        http: plain.http().options().clone(),
        clock: plain.clock().clone(),
        dispatch_returns_run: Some(true),
        ..GitHubConfig::default()
    })
    .unwrap()
}

#[test]
fn a_dispatched_run_is_awaited_and_its_artifacts_downloaded_without_the_token() {
    let s = setup();
    s.fake
        .add_workflow("octo/app", "release.yml", release_workflow(2, "success"));
    let github = with_run_details(&s.fake, s.clock.clone());
    let run_id = github
        .dispatch_workflow(&s.repo, "release.yml", "main", &inputs())
        .send()
        .unwrap()
        .expect("github.com style dispatch returns the run");
    assert_eq!(
        s.fake.dispatches("octo/app"),
        [(
            "release.yml".to_owned(),
            "main".to_owned(),
            json!({"version": "1.0", "publish": "true"})
        )]
    );
    let run = github
        .wait_for_run(&s.repo, run_id, &PollOptions::default())
        .unwrap();
    assert_eq!(run.conclusion.as_deref(), Some("success"));
    assert_eq!(run.head_sha, SHA);
    assert_eq!(s.clock.sleeps().len(), 2, "completed on the third look");

    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    let mut files = github
        .download_run_artifacts(&s.repo, run_id, &dist)
        .unwrap();
    files.sort();
    assert_eq!(
        files,
        [
            dist.join("app-1.0-cp312-manylinux.whl"),
            dist.join("app-1.0-cp313-manylinux.whl"),
            dist.join("app-1.0.tar.gz")
        ]
    );
    assert_eq!(fs_err::read(dist.join("app-1.0.tar.gz")).unwrap(), b"sdist");
    assert_eq!(
        fs_err::read_dir(&dist).unwrap().count(),
        3,
        "no archive left behind"
    );
    let blob_requests = s.fake.blob().requests();
    assert_eq!(blob_requests.len(), 2);
    for request in &blob_requests {
        assert_eq!(request.header("authorization"), None);
        assert!(
            request
                .headers
                .iter()
                .all(|(_, value)| !value.contains(FakeGitHub::TOKEN))
        );
    }
    let api_downloads = s
        .fake
        .api()
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/zip"))
        .count();
    assert_eq!(api_downloads, 2);
}

#[test]
fn without_run_details_the_new_run_is_found_from_the_marker() {
    let s = setup();
    s.fake
        .add_workflow("octo/app", "release.yml", release_workflow(0, "success"));
    // An earlier dispatch of the same workflow on the same branch must not be mistaken for ours.
    let earlier = s
        .github
        .dispatch_workflow(&s.repo, "release.yml", "main", &inputs())
        .send()
        .unwrap();
    assert_eq!(
        earlier, None,
        "GitHub Enterprise style: 204 without the run"
    );
    let marker = s
        .github
        .prepare_dispatch(&s.repo, "release.yml", "main")
        .unwrap();
    assert_eq!(marker.known_run_ids.len(), 1);
    assert_eq!(
        s.github.find_dispatched_run(&s.repo, &marker).unwrap(),
        None,
        "the probe before dispatching"
    );
    s.github
        .dispatch_workflow(&s.repo, "release.yml", "main", &inputs())
        .send()
        .unwrap();
    let run = s
        .github
        .find_dispatched_run(&s.repo, &marker)
        .unwrap()
        .unwrap();
    assert!(!marker.known_run_ids.contains(&run.id));
    assert_eq!(run.event, "workflow_dispatch");
    let marker_json = serde_json::to_string(&marker).unwrap();
    let restored = serde_json::from_str(&marker_json).unwrap();
    assert_eq!(
        s.github
            .find_dispatched_run(&s.repo, &restored)
            .unwrap()
            .unwrap()
            .id,
        run.id
    );

    let found = s
        .github
        .dispatch_and_find_run(
            &s.repo,
            "release.yml",
            "main",
            &inputs(),
            &PollOptions::default(),
        )
        .unwrap();
    assert!(found.id > run.id);
}

#[test]
fn a_failed_run_fails_the_wait() {
    let s = setup();
    s.fake
        .add_workflow("octo/app", "release.yml", release_workflow(1, "failure"));
    let run = s
        .github
        .dispatch_and_find_run(
            &s.repo,
            "release.yml",
            "main",
            &inputs(),
            &PollOptions::default(),
        )
        .unwrap();
    let error = s
        .github
        .wait_for_run(&s.repo, run.id, &PollOptions::default())
        .unwrap_err();
    let WaitError::Failed(error @ GitHubError::RunFailed { .. }) = error else {
        panic!("expected a failed run, got {error:?}");
    };
    assert_eq!(
        error.to_string(),
        format!(
            "workflow run `release` finished as `failure` (https://github.fake.invalid/octo/app/actions/runs/{})",
            run.id
        )
    );
}

#[test]
fn dispatching_an_unknown_ref_or_workflow_is_an_error() {
    let s = setup();
    s.fake
        .add_workflow("octo/app", "release.yml", release_workflow(0, "success"));
    let error = s
        .github
        .dispatch_workflow(&s.repo, "release.yml", "nope", &inputs())
        .send()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("answered 422 Unprocessable Entity: No ref found for: nope"),
        "{error}"
    );
    let error = s
        .github
        .dispatch_workflow(&s.repo, "missing.yml", "main", &inputs())
        .send()
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
}

#[test]
fn expired_artifacts_are_reported() {
    let s = setup();
    s.fake
        .add_workflow("octo/app", "release.yml", release_workflow(0, "success"));
    let run = s
        .github
        .dispatch_and_find_run(
            &s.repo,
            "release.yml",
            "main",
            &inputs(),
            &PollOptions::default(),
        )
        .unwrap();
    s.github
        .wait_for_run(&s.repo, run.id, &PollOptions::default())
        .unwrap();
    s.fake.expire_artifacts("octo/app", run.id);
    let dir = tempfile::tempdir().unwrap();
    let error = s
        .github
        .download_run_artifacts(&s.repo, run.id, dir.path())
        .unwrap_err();
    assert!(
        error.to_string().ends_with("the artifact has expired"),
        "{error}"
    );
}

#[test]
fn failed_runs_of_a_commit_are_re_run() {
    let s = setup();
    let failed = s.fake.add_workflow_run(
        "octo/app",
        FakeRun {
            name: "CI".to_owned(),
            sha: SHA.to_owned(),
            branch: "main".to_owned(),
            status: "completed".to_owned(),
            conclusion: Some("failure".to_owned()),
            check_name: None,
            rerun_outcomes: vec![],
        },
    );
    s.fake.add_workflow_run(
        "octo/app",
        FakeRun {
            name: "Docs".to_owned(),
            sha: SHA.to_owned(),
            branch: "main".to_owned(),
            status: "completed".to_owned(),
            conclusion: Some("success".to_owned()),
            check_name: None,
            rerun_outcomes: vec![],
        },
    );
    let rerun = s.github.rerun_failed_runs(&s.repo, SHA).unwrap();
    assert_eq!(rerun.iter().map(|r| r.id).collect::<Vec<_>>(), [failed]);
    assert_eq!(s.fake.reruns("octo/app"), [failed]);
}
