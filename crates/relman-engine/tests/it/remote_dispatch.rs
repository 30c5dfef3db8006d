//! `dispatch = "release.yml"` against the fake GitHub: one dispatch, the run awaited, its
//! artifacts downloaded, and no second dispatch after a crash.

use relman_testkit::github::{FakeArtifact, FakeGitHub, FakeWorkflow};

use crate::remote_support::{Fixture, effects_text, fake_github, header, http_effects, outputs};

fn fixture(github: &FakeGitHub, conclusion: &str) -> Fixture {
    github.add_workflow(
        "octo/app",
        "release.yml",
        FakeWorkflow {
            polls: 2,
            conclusion: conclusion.to_owned(),
            artifacts: vec![FakeArtifact {
                name: "wheels".to_owned(),
                files: vec![("app-1.2.3-py3-none-any.whl".to_owned(), b"wheel".to_vec())],
            }],
        },
    );
    let mut fixture = Fixture::new(&format!(
        r#"{}
[[workflow.ship.step]]
tag = "{{tag}}"

[[workflow.ship.step]]
id = "build"
dispatch = "release.yml"
inputs = {{ version = "{{version}}" }}
artifacts = "dist"
interval = "50ms"
"#,
        header(github)
    ));
    github.add_branch("octo/app", "v1.2.3", &fixture.repo.head());
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    fixture
}

#[test]
fn a_dispatch_runs_once_on_the_tag_and_its_artifacts_land_in_the_folder() {
    let github = fake_github();
    let fixture = fixture(&github, "success");
    let plan = fixture.plan("ship");
    let (method, url, body) = &http_effects(&plan, 2)[0];
    assert_eq!(method, "POST");
    assert_eq!(
        url,
        &format!(
            "{}/repos/octo/app/actions/workflows/release.yml/dispatches",
            github.api_url()
        )
    );
    let body: serde_json::Value = serde_json::from_str(body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"ref": "v1.2.3", "inputs": {"version": "1.2.3"}})
    );
    assert!(effects_text(&plan, 2).contains("downloads the run's artifacts into `dist`"));
    assert_eq!(github.api().request_count(), 0);

    fixture.start(&plan).assert_done();
    let dispatches = github.dispatches("octo/app");
    assert_eq!(dispatches.len(), 1);
    assert_eq!(dispatches[0].1, "v1.2.3");
    assert_eq!(dispatches[0].2, serde_json::json!({"version": "1.2.3"}));
    assert_eq!(
        fs_err::read(fixture.repo.path().join("dist/app-1.2.3-py3-none-any.whl")).unwrap(),
        b"wheel"
    );
    let out = outputs(&fixture, 2);
    assert_eq!(out["conclusion"], "success");
    assert!(out["run_url"].contains("/actions/runs/"));

    // Killed right after the dispatch request, before it was recorded as sent: the resumed step
    // finds the run it started instead of dispatching again.
    fixture.crash_at(2, Some(&["marker", "ref"]));
    fixture.resume(false).assert_done();
    assert_eq!(github.dispatches("octo/app").len(), 1);
    assert_eq!(outputs(&fixture, 2)["run_id"], out["run_id"]);

    // Killed after everything but `done`.
    fixture.crash_at(2, None);
    fixture.resume(false).assert_done();
    assert_eq!(github.dispatches("octo/app").len(), 1);
}

#[test]
fn a_failed_run_fails_the_step_with_its_url() {
    let github = fake_github();
    let fixture = fixture(&github, "failure");
    let (step, message, hint) = fixture.run("ship").failed();
    assert_eq!(step, 2);
    assert!(message.contains("finished as `failure`"), "{message}");
    assert!(message.contains("/actions/runs/"), "{message}");
    assert!(hint.unwrap().contains("re-run it"));
    assert_eq!(github.dispatches("octo/app").len(), 1);
    // Resuming waits for the same run again rather than dispatching another.
    fixture.resume(false).failed();
    assert_eq!(github.dispatches("octo/app").len(), 1);
}
