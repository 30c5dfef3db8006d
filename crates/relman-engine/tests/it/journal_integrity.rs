//! A journal is trusted only whole: cut at any byte, with a step record removed, or with its
//! frozen plan edited, it is refused with what is wrong, and never read as "nothing in progress"
//! or "done". And a plan is run only if the repository is still what it was planned from.

use std::path::Path;

use relman_engine::executor::RunError;
use relman_engine::journal::{self, JournalError};

use crate::remote_support::Fixture;

/// Three local steps, the second a pause: the release stops with a journal in the middle.
const PAUSING: &str = r#"[project]
name = "app"
tag = "v{version}"
scheme = "semver"
version-files = ["VERSION"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"
[[workflow.release.step]]
manual = "Check the notes of {version}"
[[workflow.release.step]]
tag = "{tag}"
"#;

fn paused_journal() -> (Fixture, String) {
    let fixture = Fixture::new(PAUSING);
    fixture.run("release").paused();
    let text = fs_err::read_to_string(fixture.repo.path().join(".git/relman/journal.json"))
        .expect("a paused release has a journal");
    (fixture, text)
}

#[test]
fn a_journal_cut_at_any_byte_is_refused_never_read_as_another_state() {
    let (_fixture, text) = paused_journal();
    let path = Path::new("journal.json");
    let whole = journal::parse(path, &text).expect("the journal as written loads");
    let trimmed = text.trim_end();
    for cut in 0..trimmed.len() {
        if !trimmed.is_char_boundary(cut) {
            continue;
        }
        match journal::parse(path, &trimmed[..cut]) {
            Err(JournalError::Corrupt { .. } | JournalError::Schema { .. }) => {}
            Err(other) => panic!("cut at {cut}: unexpected error {other}"),
            Ok(journal) => panic!(
                "cut at byte {cut} of {} was accepted as {:?}",
                trimmed.len(),
                journal.state
            ),
        }
    }
    // Only whitespace after the last brace may go.
    assert_eq!(journal::parse(path, trimmed).unwrap(), whole);
}

#[test]
fn a_journal_missing_a_step_or_with_its_plan_cut_is_refused() {
    let (fixture, text) = paused_journal();
    let path = fixture.repo.path().join(".git/relman/journal.json");
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();

    // A step record removed: the executor would index past the end (relman panicked, exit 101).
    let mut edited = original.clone();
    edited["steps"].as_array_mut().unwrap().remove(1);
    fs_err::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    let error = fixture.resume(false).finish.unwrap_err();
    assert!(
        matches!(&error, RunError::Journal(JournalError::Inconsistent { detail, .. })
            if detail == "the plan has 3 steps but 2 are recorded"),
        "{error:?}"
    );

    // The frozen plan cut to its first step: relman said "Release done." with no tag made.
    let mut edited = original.clone();
    edited["plan"]["steps"].as_array_mut().unwrap().truncate(1);
    edited["steps"].as_array_mut().unwrap().truncate(1);
    fs_err::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    let error = fixture.resume(false).finish.unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("does not hold together: its frozen plan no longer matches the checksum"),
        "{message}"
    );
    assert!(error.hint().unwrap().contains("will not guess"));
    assert!(fixture.repo.git(&["tag", "--list", "v1.3.0"]).is_empty());

    // Put back as it was, the release goes on.
    fs_err::write(&path, &text).unwrap();
    fixture.resume(true).assert_done();
    assert_eq!(fixture.repo.git(&["tag", "--list", "v1.3.0"]), "v1.3.0");
}

#[test]
fn a_plan_made_before_another_release_ran_is_refused_under_the_lock() {
    let fixture = Fixture::new(
        PAUSING
            .replace(
                "manual = \"Check the notes of {version}\"",
                "run = \"true\"",
            )
            .as_str(),
    );
    // Planned, then another release (here a person) tags the version before this one starts.
    let plan = fixture.plan("release");
    fixture.repo.tag("v1.3.0");
    let error = fixture.start(&plan).finish.unwrap_err();
    assert!(
        matches!(&error, RunError::Stale(change) if change == "tags were created (`v1.3.0`)"),
        "{error:?}"
    );
    assert_eq!(
        fixture.repo.read("VERSION"),
        "1.2.3\n",
        "nothing was changed"
    );
    assert!(
        !fixture
            .repo
            .path()
            .join(".git/relman/journal.json")
            .exists()
    );

    // And a moved HEAD: another release committed on the branch.
    fixture.repo.git(&["tag", "-d", "v1.3.0"]);
    let plan = fixture.plan("release");
    fixture
        .repo
        .commit_file("notes.txt", "x\n", "chore: another release's commit");
    let error = fixture.start(&plan).finish.unwrap_err();
    assert!(
        matches!(&error, RunError::Stale(change) if change.starts_with("HEAD was at ")),
        "{error:?}"
    );
    // Planned again, it runs.
    fixture.run("release").assert_done();
}

#[test]
fn a_plan_with_awkward_numbers_keeps_its_checksum_through_the_journal() {
    // Floats that a best-effort JSON reader gets wrong in the last bit, in a step's JSON body:
    // the plan read back must serialise to the same bytes, or a valid journal would be refused.
    let config = PAUSING.replace(
        "manual = \"Check the notes of {version}\"",
        "manual = \"Check\"\n[[workflow.release.step]]\nhttp = \"POST http://127.0.0.1:9/x\"\njson = { a = 0.30000000000000004, b = 2.2250738585072011e-308, c = 1.7976931348623157e308, d = 9007199254740993.0, e = 123456789.12345678 }",
    );
    let fixture = Fixture::new(&config);
    fixture.run("release").paused();
    let reason = fixture.resume(false).paused();
    assert!(reason.contains("Check"), "{reason}");
}

#[test]
fn a_journal_whose_undos_reach_outside_the_checkout_or_run_a_command_is_refused() {
    // `abort` acts on the undos: a path edited to climb out of the checkout, or a command
    // slipped in, must never reach it.
    let (fixture, text) = paused_journal();
    let path = fixture.repo.path().join(".git/relman/journal.json");
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    let undos = original["steps"][0]["undo"].as_array().unwrap();
    assert!(
        undos.iter().any(|undo| undo["undo"] == "restore-file"),
        "the bump records its file: {undos:?}"
    );
    let outside = fixture.repo.path().parent().unwrap().join("outside.txt");
    fs_err::write(&outside, "a person's file\n").unwrap();
    let cases: [(&str, serde_json::Value); 4] = [
        (
            "names `../outside.txt`, outside the checkout",
            serde_json::json!({"undo": "restore-file", "path": "../outside.txt", "content": "x"}),
        ),
        (
            "outside the checkout",
            serde_json::json!({"undo": "restore-file", "path": outside, "content": "x"}),
        ),
        (
            "names `a/../../x`, outside the checkout",
            serde_json::json!({"undo": "restore-index", "paths": ["a/../../x"]}),
        ),
        (
            "records a command to undo it, which only relman 0.1.0 wrote",
            serde_json::json!({"undo": "command", "argv": ["touch", "pwned"], "cwd": "."}),
        ),
    ];
    for (expected, undo) in cases {
        let mut edited = original.clone();
        edited["steps"][0]["undo"]
            .as_array_mut()
            .unwrap()
            .push(undo);
        fs_err::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
        let error = fixture.try_abort().unwrap_err();
        assert!(
            matches!(&error, RunError::Journal(JournalError::Inconsistent { detail, .. })
                if detail.contains(expected)),
            "{expected}: {error:?}"
        );
    }
    assert_eq!(
        fs_err::read_to_string(&outside).unwrap(),
        "a person's file\n"
    );
    assert!(!fixture.repo.path().join("pwned").exists());
    // A path inside, however written, is the checkout's.
    let mut edited = original.clone();
    edited["steps"][0]["undo"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"undo": "restore-index", "paths": ["./a/../VERSION"]}));
    fs_err::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    assert!(journal::parse(&path, &fs_err::read_to_string(&path).unwrap()).is_ok());
}
