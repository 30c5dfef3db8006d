//! Checks: check runs and commit statuses judged together, GitHub's "pending with no statuses"
//! quirk, pagination, and waiting with re-runs of failed Actions jobs.

use relman_remote::github::{ChecksState, GitHubError};
use relman_remote::wait::{PollOptions, WaitError};
use relman_testkit::github::FakeRun;

use super::{SHA, setup};

#[test]
fn runs_and_statuses_are_judged_together() {
    let s = setup();
    s.fake
        .add_check_run("octo/app", SHA, "build", "completed", Some("success"));
    s.fake
        .add_check_run("octo/app", SHA, "docs", "completed", Some("skipped"));
    s.fake
        .add_status("octo/app", SHA, "ci/circleci: test", "success");
    assert_eq!(
        s.github.checks(&s.repo, SHA).unwrap().state(),
        ChecksState::Green
    );

    s.fake
        .add_check_run("octo/app", SHA, "lint", "in_progress", None);
    let report = s.github.checks(&s.repo, SHA).unwrap();
    assert_eq!(
        report.state(),
        ChecksState::Pending(vec!["lint".to_owned()])
    );
    assert_eq!(report.summary(), "1 pending: lint");

    s.fake
        .add_status("octo/app", SHA, "ci/circleci: test", "failure");
    let report = s.github.checks(&s.repo, SHA).unwrap();
    assert_eq!(
        report.state(),
        ChecksState::Failed(vec!["ci/circleci: test (failure)".to_owned()])
    );
}

#[test]
fn a_commit_with_only_check_runs_is_green_despite_the_combined_pending() {
    let s = setup();
    s.fake
        .add_check_run("octo/app", SHA, "build", "completed", Some("success"));
    let report = s.github.checks(&s.repo, "main").unwrap();
    assert!(report.statuses.is_empty());
    assert_eq!(report.state(), ChecksState::Green);
    let other = "9".repeat(40);
    assert_eq!(
        s.github.checks(&s.repo, &other).unwrap().state(),
        ChecksState::Empty
    );
}

#[test]
fn check_runs_are_read_across_pages_latest_per_name() {
    let s = setup();
    for index in 0..7 {
        s.fake.add_check_run(
            "octo/app",
            SHA,
            &format!("job-{index}"),
            "completed",
            Some("success"),
        );
    }
    s.fake
        .add_check_run("octo/app", SHA, "job-0", "completed", Some("failure"));
    let runs = s.github.check_runs(&s.repo, SHA).unwrap();
    assert_eq!(runs.len(), 7);
    let report = s.github.checks(&s.repo, SHA).unwrap();
    assert_eq!(
        report.state(),
        ChecksState::Failed(vec!["job-0 (failure)".to_owned()])
    );
}

fn failed_ci(s: &super::Setup, rerun_outcomes: &[&str]) -> u64 {
    s.fake
        .add_check_run("octo/app", SHA, "lint", "completed", Some("success"));
    s.fake.add_workflow_run(
        "octo/app",
        FakeRun {
            name: "CI".to_owned(),
            sha: SHA.to_owned(),
            branch: "main".to_owned(),
            status: "completed".to_owned(),
            conclusion: Some("failure".to_owned()),
            check_name: Some("build".to_owned()),
            rerun_outcomes: rerun_outcomes.iter().map(|o| (*o).to_owned()).collect(),
        },
    )
}

#[test]
fn waiting_re_runs_failed_jobs_until_green() {
    let s = setup();
    let run_id = failed_ci(&s, &["failure", "success"]);
    let report = s
        .github
        .wait_for_checks(&s.repo, SHA, SHA, 2, &PollOptions::default())
        .unwrap();
    assert_eq!(report.state(), ChecksState::Green);
    assert_eq!(s.fake.reruns("octo/app"), [run_id, run_id]);
}

#[test]
fn failures_past_the_re_runs_fail_the_wait() {
    let s = setup();
    let run_id = failed_ci(&s, &["failure"]);
    let error = s
        .github
        .wait_for_checks(&s.repo, SHA, SHA, 1, &PollOptions::default())
        .unwrap_err();
    let WaitError::Failed(error @ GitHubError::ChecksFailed { .. }) = error else {
        panic!("expected failed checks, got {error:?}");
    };
    assert_eq!(
        error.to_string(),
        format!("checks failed on `{SHA}` in `octo/app`: build (failure)")
    );
    assert_eq!(s.fake.reruns("octo/app"), [run_id]);
    let without_reruns = setup();
    failed_ci(&without_reruns, &[]);
    let error = without_reruns
        .github
        .wait_for_checks(&without_reruns.repo, SHA, SHA, 0, &PollOptions::default())
        .unwrap_err();
    assert!(!error.is_timeout());
    assert!(without_reruns.fake.reruns("octo/app").is_empty());
}
