//! `release = "draft" | "publish"` against the fake GitHub: planned without a request, created
//! once with the changelog as notes and the assets uploaded, found again on resume.

use relman_testkit::github::FakeGitHub;
use relman_testkit::recorder::Recorder;

use crate::remote_support::{Fixture, effects_text, fake_github, header, http_effects, outputs};

#[test]
fn a_draft_release_is_planned_then_created_once_with_notes_and_assets() {
    let github = fake_github();
    let recorder = Recorder::start();
    let mut fixture = Fixture::new(&format!(
        r#"{}
[[workflow.ship.step]]
id = "rel"
release = "draft"
name = "App {{version}}"
assets = ["dist/*"]

[[workflow.ship.step]]
webhook = "{}"
payload = {{ url = "{{release_url}}", id = "{{steps.rel.id}}" }}
"#,
        header(&github),
        recorder.webhook_url()
    ));
    fixture.repo.write("dist/app-1.2.3.tar.gz", b"sdist bytes");
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);

    let plan = fixture.plan("ship");
    let requests = http_effects(&plan, 1);
    let (method, url, body) = &requests[0];
    assert_eq!(method, "POST");
    assert_eq!(
        url,
        &format!("{}/repos/octo/app/releases", github.api_url())
    );
    let body: serde_json::Value = serde_json::from_str(body.as_deref().unwrap()).unwrap();
    assert_eq!(body["tag_name"], "v1.2.3");
    assert_eq!(body["name"], "App 1.2.3");
    assert_eq!(body["draft"], true);
    assert_eq!(body["prerelease"], false);
    let notes = body["body"].as_str().unwrap();
    assert!(notes.contains("parse week dates"), "{notes}");
    // Without the section's heading, which would repeat the release's title.
    assert!(notes.starts_with("### Features"), "{notes}");
    assert_eq!(
        requests[1],
        (
            "POST".to_owned(),
            "{upload_url}?name=app-1.2.3.tar.gz".to_owned(),
            Some("<contents of dist/app-1.2.3.tar.gz as application/gzip>".to_owned())
        )
    );
    assert!(effects_text(&plan, 2).contains("{release_url}"));
    assert_eq!(github.api().request_count(), 0, "the plan sent a request");
    assert_eq!(recorder.requests().len(), 0, "the plan sent a request");

    fixture.start(&plan).assert_done();
    let releases = github.releases("octo/app");
    assert_eq!(releases.len(), 1, "{releases:#?}");
    let release = &releases[0];
    assert_eq!(release.tag, "v1.2.3");
    assert!(release.draft);
    assert_eq!(release.name.as_deref(), Some("App 1.2.3"));
    assert!(
        release
            .body
            .as_deref()
            .unwrap()
            .contains("reject empty input")
    );
    assert_eq!(
        release.assets,
        [(
            "app-1.2.3.tar.gz".to_owned(),
            "application/gzip".to_owned(),
            b"sdist bytes".to_vec()
        )]
    );
    let rel = outputs(&fixture, 1);
    assert_eq!(rel["id"], release.id.to_string());
    // The outputs and `{release_url}` reached the next step's payload.
    let hooks = recorder.requests_to("/hooks/");
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].json()["url"], rel["url"].as_str());
    assert_eq!(hooks[0].json()["id"], release.id.to_string());
    let journal = fixture.journal();
    assert!(
        journal.steps[0].remote[0]
            .undo_hint
            .contains("gh release delete v1.2.3"),
        "{:?}",
        journal.steps[0].remote
    );
}

fn release_only(github: &FakeGitHub, action: &str) -> Fixture {
    let mut fixture = Fixture::new(&format!(
        r#"{}
[[workflow.ship.step]]
release = "{action}"
assets = ["dist/*.whl"]
"#,
        header(github)
    ));
    fixture
        .repo
        .write("dist/app-1.2.3-py3-none-any.whl", b"wheel bytes");
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    fixture
}

fn creates_and_uploads(github: &FakeGitHub) -> (usize, usize) {
    let requests = github.api().requests();
    let creates = requests
        .iter()
        .filter(|request| request.method == "POST" && request.path.ends_with("/releases"))
        .count();
    let uploads = requests
        .iter()
        .filter(|request| request.method == "POST" && request.path.ends_with("/assets"))
        .count();
    (creates, uploads)
}

#[test]
fn a_crash_after_the_release_was_created_resumes_without_a_second_one() {
    let github = fake_github();
    let fixture = release_only(&github, "draft");
    fixture.run("ship").assert_done();
    assert_eq!(creates_and_uploads(&github), (1, 1));

    // Killed after the create request, before `done`: the journal has only the tag.
    fixture.crash_at(1, Some(&["tag"]));
    fixture.resume(false).assert_done();
    assert_eq!(github.releases("octo/app").len(), 1);
    assert_eq!(
        creates_and_uploads(&github),
        (1, 1),
        "the probe found it all"
    );
    assert!(outputs(&fixture, 1)["url"].contains("/releases/"));

    // Killed during the upload: the asset is missing, so the step runs again, reusing the
    // release and uploading once more.
    let release = &github.releases("octo/app")[0];
    fixture
        .repo
        .write("dist/app-1.2.3-py3-none-any.whl", b"rebuilt wheel bytes");
    fixture.crash_at(1, Some(&["tag", "release_id"]));
    fixture.resume(false).assert_done();
    let releases = github.releases("octo/app");
    assert_eq!(releases.len(), 1);
    assert_eq!(releases[0].id, release.id);
    assert_eq!(releases[0].assets.len(), 1, "replaced, not added");
    assert_eq!(releases[0].assets[0].2, b"rebuilt wheel bytes");
    assert_eq!(creates_and_uploads(&github), (1, 2));
}

#[test]
fn publish_publishes_the_draft_of_the_tag() {
    let github = fake_github();
    let draft = github.add_release("octo/app", "v1.2.3", true, Some("old notes"));
    let fixture = release_only(&github, "publish");
    fixture.run("ship").assert_done();
    let releases = github.releases("octo/app");
    assert_eq!(releases.len(), 1);
    assert_eq!(releases[0].id, draft);
    assert!(!releases[0].draft);
    assert!(
        releases[0]
            .body
            .as_deref()
            .unwrap()
            .contains("parse week dates")
    );
    assert_eq!(creates_and_uploads(&github), (0, 1));
}

#[test]
fn publish_with_keep_notes_keeps_the_notes_people_edited_on_the_draft() {
    let github = fake_github();
    let fixture = Fixture::new(&format!(
        r#"{}
[[workflow.ship.step]]
release = "draft"

[[workflow.ship.step]]
manual = "Collect feedback on the draft notes"

[[workflow.ship.step]]
release = "publish"
keep-notes = true
"#,
        header(&github)
    ));
    let mut fixture = fixture;
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    let plan = fixture.plan("ship");
    assert!(
        effects_text(&plan, 3).contains("it is updated and published instead, keeping its notes"),
        "{}",
        effects_text(&plan, 3)
    );
    fixture.start(&plan).paused();
    let draft = &github.releases("octo/app")[0];
    let section = draft.body.clone().unwrap();
    assert!(section.contains("parse week dates"), "{section}");
    // Someone improves the notes on GitHub while the release waits for them.
    github.set_release_body(
        "octo/app",
        draft.id,
        &format!("{section}\n\nThanks to our testers!"),
    );
    fixture.resume(true).assert_done();
    let releases = github.releases("octo/app");
    assert_eq!(releases.len(), 1);
    assert!(!releases[0].draft);
    assert_eq!(
        releases[0].body.as_deref(),
        Some(format!("{section}\n\nThanks to our testers!").as_str())
    );
}

#[test]
fn without_a_changelog_step_the_notes_are_the_section_a_person_wrote() {
    let github = fake_github();
    let fixture = release_only(&github, "draft");
    // As in a runbook where the changelog entry is part of the version bump.
    fixture.repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n# Version 1.2.3\n\n* Hand-written: week dates parse (#12).\n\n# Version 1.1.0\n\n* First.\n",
    );
    fixture.repo.commit("docs: changelog for 1.2.3");
    fixture.repo.push(&["main"]);
    let plan = fixture.plan("ship");
    let body: serde_json::Value =
        serde_json::from_str(http_effects(&plan, 1)[0].2.as_deref().unwrap()).unwrap();
    assert_eq!(body["body"], "* Hand-written: week dates parse (#12).");
    fixture.start(&plan).assert_done();
    let releases = github.releases("octo/app");
    assert_eq!(
        releases[0].body.as_deref(),
        Some("* Hand-written: week dates parse (#12).")
    );
    // Nothing was written to the changelog.
    assert_eq!(
        fixture.repo.git(&["status", "--porcelain", "CHANGELOG.md"]),
        ""
    );
}

#[test]
fn a_missing_token_or_a_refusing_forge_fails_the_step_with_what_github_said() {
    let github = fake_github();
    let mut fixture = release_only(&github, "publish");
    fixture.set_var("GITHUB_TOKEN", "");
    let error = fixture.try_plan("ship").unwrap_err().to_string();
    assert!(
        error.contains("no forge token: `GITHUB_TOKEN` or `GH_TOKEN` is not set"),
        "{error}"
    );
    // A token gone between the plan and the run: the step says what GitHub needs.
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    let plan = fixture.plan("ship");
    fixture.set_var("GITHUB_TOKEN", "");
    let ran = fixture.start(&plan);
    let (step, message, hint) = ran.failed();
    assert_eq!(step, 1);
    assert!(message.contains("no GitHub token"), "{message}");
    assert!(hint.unwrap().contains("export it as `GITHUB_TOKEN`"));

    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    github.set_read_only(true);
    let (_, message, hint) = fixture.resume(false).failed();
    assert!(
        message.starts_with("cannot publish the release `v1.2.3` in `octo/app`: POST "),
        "{message}"
    );
    assert!(
        message.contains("/repos/octo/app/releases answered 403"),
        "{message}"
    );
    assert!(hint.unwrap().contains("contents: write"));

    github.set_read_only(false);
    fixture.resume(false).assert_done();
    assert_eq!(github.releases("octo/app").len(), 1);
}

#[test]
fn an_asset_pattern_that_matches_nothing_stops_the_release() {
    let github = fake_github();
    let mut fixture = Fixture::new(&format!(
        "{}\n[[workflow.ship.step]]\nrelease = \"draft\"\nassets = [\"dist/*.whl\"]\n",
        header(&github)
    ));
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains("none exist yet"));
    let (_, message, _) = fixture.start(&plan).failed();
    assert!(
        message.contains("`dist/*.whl` matches no file"),
        "{message}"
    );
    assert!(github.releases("octo/app").is_empty());
}

#[test]
fn a_forge_that_keeps_failing_fails_the_step_and_resume_finishes_it() {
    use relman_testkit::http_server::{FakeResponse, Fault};
    let github = fake_github();
    let fixture = release_only(&github, "draft");
    let unavailable = Fault::Respond(
        FakeResponse::json(503, &serde_json::json!({"message": "Service Unavailable"}))
            .with_header("Retry-After", "0"),
    );
    github.api().fail_next_n(6, unavailable);
    let (_, message, hint) = fixture.run("ship").failed();
    assert!(
        message
            .contains("answered 503 Service Unavailable: Service Unavailable (after 6 attempts)"),
        "{message}"
    );
    assert!(hint.unwrap().contains("githubstatus.com"));
    assert!(github.releases("octo/app").is_empty());
    fixture.resume(false).assert_done();
    assert_eq!(github.releases("octo/app").len(), 1);
}

#[test]
fn abort_lists_the_release_with_how_to_delete_it() {
    let github = fake_github();
    let mut fixture = Fixture::new(&format!(
        "{}\n[[workflow.ship.step]]\nrelease = \"draft\"\n\n[[workflow.ship.step]]\nmanual = \"Check the draft\"\n",
        header(&github)
    ));
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    fixture.run("ship").paused();
    let report = fixture.abort();
    let release = &github.releases("octo/app")[0];
    assert_eq!(report.remote.len(), 1, "{report:#?}");
    assert!(
        report.remote[0]
            .description
            .starts_with("GitHub release `v1.2.3` in `octo/app` (draft)"),
        "{report:#?}"
    );
    assert!(
        report.remote[0].undo_hint.contains(&format!(
            "`gh release delete v1.2.3 --repo octo/app`, or DELETE {}/repos/octo/app/releases/{}",
            github.api_url(),
            release.id
        )),
        "{report:#?}"
    );
}
