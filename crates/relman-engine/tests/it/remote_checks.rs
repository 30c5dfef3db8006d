//! `check = "ci-green" | "milestone-closed" | "no-open-issues"` and `wait = "checks"` against the
//! fake GitHub.

use relman_engine::executor::RunError;
use relman_engine::plan::Effect;
use relman_testkit::circleci::{FakeCircleCi, PushJob, PushWorkflow};
use relman_testkit::github::{FakeGitHub, FakeRun};

use crate::remote_support::{Fixture, effects_text, fake_github, header, outputs};

fn fixture(github: &FakeGitHub, steps: &str) -> Fixture {
    let mut fixture = Fixture::new(&format!("{}\n{steps}", header(github)));
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    fixture
}

/// The verdict of the only step, a check run at plan time: (passed, detail).
fn verdict(fixture: &Fixture) -> (Option<bool>, String) {
    let plan = fixture.plan("gate");
    match &plan.steps[0].effects[0] {
        Effect::Check { passed, detail, .. } => (*passed, detail.clone().unwrap_or_default()),
        other => panic!("not a check: {other:?}"),
    }
}

#[test]
fn ci_green_judges_check_runs_and_statuses_of_head_when_the_plan_is_made() {
    let github = fake_github();
    let fixture = fixture(&github, "[[workflow.gate.step]]\ncheck = \"ci-green\"\n");
    let head = fixture.repo.head();

    let (passed, detail) = verdict(&fixture);
    assert_eq!(passed, Some(false));
    assert!(detail.contains("CI has not run on this commit"), "{detail}");

    github.add_check_run("octo/app", &head, "build", "completed", Some("success"));
    github.add_status("octo/app", &head, "ci/circleci", "pending");
    let (passed, detail) = verdict(&fixture);
    assert_eq!(passed, Some(false));
    assert!(detail.contains("still running"), "{detail}");
    assert!(detail.contains("ci/circleci"), "{detail}");

    github.add_status("octo/app", &head, "ci/circleci", "success");
    let (passed, detail) = verdict(&fixture);
    assert_eq!(passed, Some(true), "{detail}");
    assert!(detail.contains("2 checks passed"), "{detail}");
    fixture.run("gate").assert_done();

    github.add_check_run("octo/app", &head, "lint", "completed", Some("failure"));
    let (passed, detail) = verdict(&fixture);
    assert_eq!(passed, Some(false));
    assert!(detail.contains("lint (failure)"), "{detail}");
    let plan = fixture.plan("gate");
    match fixture.start(&plan).finish {
        Err(RunError::ChecksFailed(message)) => assert!(message.contains("lint"), "{message}"),
        other => panic!("a failed check must stop the run: {other:?}"),
    }
}

#[test]
fn a_check_that_cannot_ask_the_forge_fails_in_the_plan_with_the_reason() {
    let github = fake_github();
    let mut fixture = fixture(&github, "[[workflow.gate.step]]\ncheck = \"ci-green\"\n");
    fixture.set_var("GITHUB_TOKEN", "ghp_wrong");
    let (passed, detail) = verdict(&fixture);
    assert_eq!(passed, Some(false));
    assert!(detail.contains("answered 401"), "{detail}");
    assert!(
        detail.contains("hint: GitHub rejected the token in `GITHUB_TOKEN`"),
        "{detail}"
    );
}

#[test]
fn milestones_and_blocker_labels() {
    let github = fake_github();
    let fixture = fixture(
        &github,
        "[[workflow.gate.step]]\ncheck = \"milestone-closed\"\n\n[[workflow.label.step]]\ncheck = \"no-open-issues\"\nlabel = \"release blocker\"\n",
    );
    let (passed, detail) = verdict(&fixture);
    assert_eq!(passed, Some(false));
    assert!(detail.contains("no milestone `1.2.3`"), "{detail}");

    github.add_milestone("octo/app", "1.2.3", true);
    github.add_issue(
        "octo/app",
        "Crash on empty input",
        &[],
        Some("1.2.3"),
        true,
        false,
    );
    github.add_issue("octo/app", "Docs", &[], Some("1.2.3"), false, false);
    let (passed, detail) = verdict(&fixture);
    assert_eq!(passed, Some(false));
    assert!(
        detail.contains("1 open item: #1 Crash on empty input"),
        "{detail}"
    );

    let mut gated = Fixture::new(&format!(
        "{}\n[[workflow.gate.step]]\ncheck = \"milestone-closed\"\nmilestone = \"v{{version}}\"\n",
        header(&github)
    ));
    gated.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    github.add_milestone("octo/app", "v1.2.3", false);
    let (passed, detail) = verdict(&gated);
    assert_eq!(passed, Some(true), "{detail}");

    let plan = fixture.plan("label");
    let text = effects_text(&plan, 1);
    assert!(
        text.contains("no open issue or pull request is labelled `release blocker`"),
        "{text}"
    );
    github.add_issue(
        "octo/app",
        "Data loss",
        &["release blocker"],
        None,
        true,
        false,
    );
    github.add_issue("octo/app", "Old", &["release blocker"], None, false, false);
    let plan = fixture.plan("label");
    let text = effects_text(&plan, 1);
    assert!(
        text.contains("1 open issue or pull request labelled `release blocker`: #"),
        "{text}"
    );
    assert!(text.contains("Data loss"), "{text}");
}

#[test]
fn waiting_for_checks_re_runs_failed_jobs_within_the_allowance() {
    let github = fake_github();
    let fixture = fixture(
        &github,
        "[[workflow.ship.step]]\nwait = \"checks\"\nrerun-failed = 1\ninterval = \"50ms\"\n",
    );
    let head = fixture.repo.head();
    let run = github.add_workflow_run(
        "octo/app",
        FakeRun {
            name: "ci".to_owned(),
            sha: head.clone(),
            branch: "main".to_owned(),
            status: "completed".to_owned(),
            conclusion: Some("failure".to_owned()),
            check_name: Some("build".to_owned()),
            rerun_outcomes: vec!["success".to_owned()],
        },
    );
    let plan = fixture.plan("ship");
    let text = effects_text(&plan, 1);
    assert!(
        text.contains(&format!("commits/{head}/check-runs")),
        "{text}"
    );
    assert!(text.contains("re-run up to 1 time"), "{text}");
    assert_eq!(github.api().request_count(), 0);

    fixture.start(&plan).assert_done();
    assert_eq!(github.reruns("octo/app"), [run]);
    assert!(outputs(&fixture, 1)["summary"].contains("1 checks passed"));
    assert_eq!(fixture.journal().steps[0].context["reruns"], "1");

    // Resumed after a crash: the probe sees green, nothing is re-run.
    fixture.crash_at(1, Some(&["reruns"]));
    fixture.resume(false).assert_done();
    assert_eq!(github.reruns("octo/app"), [run]);
    assert!(outputs(&fixture, 1)["summary"].contains("1 checks passed"));
}

#[test]
fn checks_that_fail_past_the_allowance_fail_and_no_checks_at_all_pause() {
    let github = fake_github();
    let fixture = fixture(
        &github,
        "[[workflow.ship.step]]\nwait = \"checks\"\nrerun-failed = 1\ninterval = \"50ms\"\ntimeout = \"1s\"\n",
    );
    let head = fixture.repo.head();
    // CI has not started: the wait waits, then pauses.
    let reason = fixture.run("ship").paused();
    assert!(reason.contains("no checks reported yet"), "{reason}");

    github.add_workflow_run(
        "octo/app",
        FakeRun {
            name: "ci".to_owned(),
            sha: head,
            branch: "main".to_owned(),
            status: "completed".to_owned(),
            conclusion: Some("failure".to_owned()),
            check_name: Some("build".to_owned()),
            rerun_outcomes: vec!["failure".to_owned()],
        },
    );
    let (_, message, hint) = fixture.resume(false).failed();
    assert!(message.contains("checks failed on"), "{message}");
    assert!(message.contains("build (failure)"), "{message}");
    assert!(hint.unwrap().contains("re-runs are used up"));
    assert_eq!(github.reruns("octo/app").len(), 1);
    // A resume does not grant another re-run.
    let (_, message, _) = fixture.resume(false).failed();
    assert!(message.contains("build (failure)"), "{message}");
    assert_eq!(github.reruns("octo/app").len(), 1);
}

/// A fake CircleCI that builds pushes of `octo/app` and reports to the fake GitHub: one workflow
/// whose `test` job fails `failures` times before it passes.
fn circleci_ci(github: &FakeGitHub, failures: usize) -> FakeCircleCi {
    let circleci = FakeCircleCi::start();
    circleci.report_to(github.status_reporter("octo/app"), "gh/octo/app");
    let mut attempts = vec!["failed"; failures];
    attempts.push("success");
    circleci.run_on_push(vec![PushWorkflow {
        name: "test".to_owned(),
        on_tags: false,
        jobs: vec![
            PushJob::new("lint", &["success"]),
            PushJob::new("test", &attempts),
        ],
    }]);
    circleci
}

/// Tells the fake CircleCI that `sha` was pushed to `main`, as GitHub's webhook does.
fn pushed(circleci: &FakeCircleCi, sha: &str) {
    circleci.receive_push(sha, "refs/heads/main");
}

fn circleci_wait(github: &FakeGitHub, circleci: &FakeCircleCi, reruns: u32) -> Fixture {
    let mut fixture = fixture(
        github,
        &format!(
            "[[workflow.ship.step]]\nwait = \"checks\"\nrerun-failed = {reruns}\ninterval = \"50ms\"\ntoken-env = \"CIRCLECI_API_TOKEN\"\n"
        ),
    );
    fixture.set_var("CIRCLECI_API_TOKEN", FakeCircleCi::TOKEN);
    fixture.set_var("RELMAN_CIRCLECI_API", &circleci.api_url());
    fixture
}

#[test]
fn failed_circleci_jobs_are_re_run_from_failed_through_the_statuses_links() {
    let github = fake_github();
    let circleci = circleci_ci(&github, 1);
    let fixture = circleci_wait(&github, &circleci, 2);
    let head = fixture.repo.head();
    pushed(&circleci, &head);

    let plan = fixture.plan("ship");
    let text = effects_text(&plan, 1);
    assert!(
        text.contains(&format!(
            "\"url\": \"{}/workflow/{{workflow_id}}/rerun\"",
            circleci.api_url()
        )),
        "{text}"
    );
    assert!(text.contains(r#"from_failed\": true"#), "{text}");
    assert!(text.contains("read from `CIRCLECI_API_TOKEN`"), "{text}");
    assert!(
        circleci.workflow_reruns().is_empty(),
        "the plan re-ran nothing"
    );

    fixture.start(&plan).assert_done();
    assert_eq!(circleci.workflow_reruns().len(), 1);
    assert_eq!(
        circleci.push_jobs(),
        [
            (
                "test".to_owned(),
                "refs/heads/main".to_owned(),
                "lint".to_owned(),
                "success".to_owned()
            ),
            (
                "test".to_owned(),
                "refs/heads/main".to_owned(),
                "test".to_owned(),
                "failed".to_owned()
            ),
            (
                "test".to_owned(),
                "refs/heads/main".to_owned(),
                "test".to_owned(),
                "success".to_owned()
            ),
        ],
        "only the failed job ran again"
    );
    let journal = fixture.journal();
    assert_eq!(journal.steps[0].context["reruns"], "1");
    assert!(
        journal.steps[0].context["circleci_reruns"]
            .starts_with("https://circleci.com/gh/octo/app/")
    );
    assert!(
        journal.steps[0].output_tail.iter().any(|line| line
            .contains("re-running the failed jobs of `ci/circleci: test` (CircleCI workflow")),
        "{:?}",
        journal.steps[0].output_tail
    );
    // The job link was resolved through the API with the step's token.
    assert!(
        circleci
            .api_requests()
            .iter()
            .any(|request| request.path.contains("/project/gh/octo/app/job/")
                && request.header("circle-token") == Some(FakeCircleCi::TOKEN))
    );

    // Resumed after a crash: green, nothing re-run again.
    fixture.crash_at(1, Some(&["reruns", "circleci_reruns"]));
    fixture.resume(false).assert_done();
    assert_eq!(circleci.workflow_reruns().len(), 1);
}

#[test]
fn a_circleci_job_failing_past_the_allowance_fails_the_step_naming_it() {
    let github = fake_github();
    let circleci = circleci_ci(&github, 5);
    let fixture = circleci_wait(&github, &circleci, 2);
    pushed(&circleci, &fixture.repo.head());
    let (_, message, hint) = fixture.run("ship").failed();
    assert!(message.contains("ci/circleci: test (failure)"), "{message}");
    assert!(hint.unwrap().contains("re-runs are used up"));
    assert_eq!(circleci.workflow_reruns().len(), 2);
    // A resume does not grant more.
    fixture.resume(false).failed();
    assert_eq!(circleci.workflow_reruns().len(), 2);
}

#[test]
fn a_circleci_rerun_without_its_token_fails_saying_which_variable() {
    let github = fake_github();
    let circleci = circleci_ci(&github, 1);
    let mut fixture = circleci_wait(&github, &circleci, 1);
    fixture.set_var("CIRCLECI_API_TOKEN", "");
    pushed(&circleci, &fixture.repo.head());
    let (_, message, hint) = fixture.run("ship").failed();
    assert!(
        message.contains("no CircleCI token: set `CIRCLECI_API_TOKEN`"),
        "{message}"
    );
    assert!(
        hint.unwrap()
            .contains("app.circleci.com/settings/user/tokens")
    );
}
