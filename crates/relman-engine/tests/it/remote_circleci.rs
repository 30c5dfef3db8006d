//! `circleci = "pipeline"` against the fake CircleCI, its API root given by `RELMAN_CIRCLECI_API`.

use relman_testkit::circleci::FakeCircleCi;
use relman_testkit::github::FakeGitHub;

use crate::remote_support::{Fixture, effects_text, fake_github, header, http_effects, outputs};

fn fixture(github: &FakeGitHub, circleci: &FakeCircleCi) -> Fixture {
    let mut fixture = Fixture::new(&format!(
        r#"{}
[[workflow.ship.step]]
circleci = "pipeline"
tag = "{{tag}}"
parameters = {{ build_wheels = true, version = "{{version}}" }}
artifacts = "wheelhouse"
interval = "50ms"
"#,
        header(github)
    ));
    fixture.set_var("RELMAN_CIRCLECI_API", &circleci.api_url());
    fixture.set_var("CIRCLE_TOKEN", FakeCircleCi::TOKEN);
    fixture
}

fn triggers(circleci: &FakeCircleCi) -> usize {
    circleci
        .api_requests()
        .iter()
        .filter(|request| request.method == "POST")
        .count()
}

#[test]
fn a_pipeline_is_planned_triggered_once_awaited_and_its_artifacts_downloaded() {
    let github = fake_github();
    let circleci = FakeCircleCi::start();
    circleci.add_artifact(
        "build",
        "wheelhouse/app-1.2.3-cp312-manylinux.whl",
        b"wheel",
    );
    let fixture = fixture(&github, &circleci);

    let plan = fixture.plan("ship");
    let (method, url, body) = &http_effects(&plan, 1)[0];
    assert_eq!(method, "POST");
    assert_eq!(
        url,
        &format!("{}/project/gh/octo/app/pipeline", circleci.api_url())
    );
    let body: serde_json::Value = serde_json::from_str(body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"tag": "v1.2.3", "parameters": {"build_wheels": true, "version": "1.2.3"}})
    );
    assert!(effects_text(&plan, 1).contains("for the workflows of the `gh/octo/app` pipeline"));
    assert!(circleci.api_requests().is_empty());

    fixture.start(&plan).assert_done();
    let pipelines = circleci.pipelines();
    assert_eq!(pipelines.len(), 1);
    assert_eq!(pipelines[0].2.as_deref(), Some("v1.2.3"));
    assert_eq!(
        fs_err::read(
            fixture
                .repo
                .path()
                .join("wheelhouse/app-1.2.3-cp312-manylinux.whl")
        )
        .unwrap(),
        b"wheel"
    );
    let out = outputs(&fixture, 1);
    assert_eq!(out["pipeline_number"], pipelines[0].0.to_string());

    // Killed after the trigger request, before its answer was recorded: the resumed step finds
    // the pipeline it triggered.
    fixture.crash_at(1, Some(&["since"]));
    fixture.resume(false).assert_done();
    assert_eq!(triggers(&circleci), 1);
    assert_eq!(outputs(&fixture, 1)["pipeline_id"], out["pipeline_id"]);

    fixture.crash_at(1, None);
    fixture.resume(false).assert_done();
    assert_eq!(triggers(&circleci), 1);
}

#[test]
fn a_failed_workflow_or_a_missing_token_fails_the_step() {
    let github = fake_github();
    let circleci = FakeCircleCi::start();
    circleci.set_workflows(&[("build", "success"), ("deploy", "failed")]);
    let mut fixture = fixture(&github, &circleci);
    fixture.set_var("CIRCLE_TOKEN", "");
    // The plan says so before anything runs.
    let error = fixture.try_plan("ship").unwrap_err().to_string();
    assert!(
        error.contains("`CIRCLE_TOKEN` is not set (the CircleCI token)"),
        "{error}"
    );
    // A token gone between the plan and the run: the step says so.
    fixture.set_var("CIRCLE_TOKEN", FakeCircleCi::TOKEN);
    let plan = fixture.plan("ship");
    fixture.set_var("CIRCLE_TOKEN", "");
    let (_, message, hint) = fixture.start(&plan).failed();
    assert!(
        message.contains("no CircleCI token: set `CIRCLE_TOKEN`"),
        "{message}"
    );
    assert!(hint.unwrap().contains("app.circleci.com"));

    fixture.set_var("CIRCLE_TOKEN", FakeCircleCi::TOKEN);
    let (_, message, _) = fixture.resume(false).failed();
    assert!(message.contains("workflow `deploy` failed"), "{message}");
    assert_eq!(triggers(&circleci), 1);
}
