//! relman on a terminal (a pseudo-terminal from `script`): it asks before running, a manual step
//! asks the person instead of pausing, and no spinner is drawn over a question.

use std::process::Stdio;

use crate::support::*;

const WORKFLOW: &str = r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
manual = "Check the wheels"
checklist = ["they install", "they import"]
"#;

/// Runs `relman ARGS` on a pseudo-terminal; `answers` is a shell snippet that prints what the
/// person types. Returns the exit code and everything the terminal showed.
fn on_terminal(fixture: &Fixture, args: &str, answers: &str) -> (Option<i32>, String) {
    let mut command = fixture.sealed("sh");
    command
        .args([
            "-c",
            &format!("({answers}) | script -qec \"'{RELMAN}' {args}\" /dev/null"),
        ])
        // A terminal that can draw spinners (the sealed environment has no TERM).
        .env("TERM", "xterm-256color")
        // A person at a terminal, not a CI job.
        .env_remove("CI")
        .stdin(Stdio::null());
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn on_a_terminal_relman_asks_before_running_and_at_a_manual_step() {
    if !relman_testkit::require_tool("script") {
        return;
    }
    let fixture = Fixture::new(WORKFLOW);
    // The second answer comes once the manual step runs (two steps done in the journal), and a
    // moment later, as a person's would: long enough for a spinner still running to be drawn.
    let person = fixture.repo.root().join("person.sh");
    relman_testkit::write_executable(
        &person,
        "#!/bin/sh
         echo y
         tries=0
         until [ \"$(grep -c '\"state\": \"done\"' .git/relman/journal.json 2>/dev/null)\" = 2 ] || [ $tries = 200 ]; do
           sleep 0.05; tries=$((tries + 1))
         done
         sleep 0.5
         echo y
",
    );
    let (code, screen) = on_terminal(&fixture, "release", &person.display().to_string());
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("Run `release`? [y/N]"), "{screen}");
    assert!(screen.contains("⏸ Your turn: Check the wheels"), "{screen}");
    assert!(screen.contains("[ ] they install"), "{screen}");
    let question = screen
        .find("Done? [y = done / N = later, the release pauses]")
        .unwrap_or_else(|| panic!("{screen}"));
    let after = &screen[question..];
    let answered = after
        .find("3. manual: Check the wheels")
        .unwrap_or(after.len());
    assert!(
        !after[..answered]
            .chars()
            .any(|c| ('\u{2800}'..='\u{28ff}').contains(&c)),
        "a spinner was drawn over the question: {after:?}"
    );
    // The workflow tags nothing: it finishes without claiming a release.
    assert!(screen.contains("Release done."), "{screen}");
    assert!(!screen.contains("Released:"), "{screen}");
    assert_eq!(fixture.subjects("HEAD")[0], "Release 1.3.0");
    assert_eq!(step_states(&fixture.history()[0]), ["done", "done", "done"]);
}

#[test]
fn declining_changes_nothing_and_later_pauses() {
    if !relman_testkit::require_tool("script") {
        return;
    }
    let fixture = Fixture::new(WORKFLOW);
    let before = snapshot(&fixture);
    let (code, screen) = on_terminal(&fixture, "release", "echo n");
    assert_eq!(code, Some(0), "{screen}");
    assert!(screen.contains("Nothing was changed."), "{screen}");
    assert_unchanged(&before, &snapshot(&fixture));

    let (code, screen) = on_terminal(&fixture, "release", "echo y; echo n");
    assert_eq!(code, Some(3), "{screen}");
    assert!(
        screen.contains("when it is done: relman resume --confirm"),
        "{screen}"
    );
    assert_eq!(fixture.journal().unwrap()["state"], "paused");
}

#[test]
fn yes_skips_the_confirmation_and_no_input_never_asks() {
    if !relman_testkit::require_tool("script") {
        return;
    }
    let fixture = Fixture::new(WORKFLOW);
    // `--no-input` asks nothing, so it cannot ask for consent either: a run needs `--yes` too.
    let (code, screen) = on_terminal(&fixture, "--no-input release", "true");
    assert_eq!(code, Some(2), "{screen}");
    assert!(screen.contains("nobody can confirm it"), "{screen}");
    assert!(fixture.journal().is_none(), "{screen}");
    let (code, screen) = on_terminal(&fixture, "--no-input --yes release", "true");
    assert_eq!(code, Some(3), "{screen}");
    assert!(!screen.contains("[y/N]"), "{screen}");
    assert!(!screen.contains("Your turn"), "{screen}");
    assert!(
        screen.contains("when it is done: relman resume --confirm"),
        "{screen}"
    );
    fixture.relman(&["abort"]).expect(0);

    let (code, screen) = on_terminal(&fixture, "--yes release", "echo y");
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("Run `release`?"), "{screen}");
    assert!(screen.contains("⏸ Your turn: Check the wheels"), "{screen}");
    assert_eq!(fixture.subjects("HEAD")[0], "Release 1.3.0");
}

/// A command relman cannot tell finished (not `idempotent`): on a terminal, resume asks.
#[test]
fn resume_asks_whether_to_run_an_interrupted_command_again() {
    if !relman_testkit::require_tool("script") {
        return;
    }
    let fixture = Fixture::new(
        r#"
[workflow.upload]
[[workflow.upload.step]]
name = "upload"
run = ["sh", "-c", "echo uploaded >> ../uploads; if [ ! -e ../crashed ]; then touch ../crashed; kill -9 $PPID; sleep 5; fi"]
"#,
    );
    assert!(fixture.relman(&["upload"]).killed());
    fixture.wait_for_step_command(1);
    let (code, screen) = on_terminal(&fixture, "resume", "echo y");
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("relman stopped while step 1 (upload) was running, and cannot tell whether it finished. Run it again? [y/N]"),
        "{screen}"
    );
    assert_eq!(fixture.repo.read("../uploads"), "uploaded\nuploaded\n");
}

/// While a person reads the plan at the question, another release (a second terminal, a CI job)
/// runs to the end. Confirming the first plan then would tag and commit on a repository it no
/// longer describes: it is checked again under the lock, and refused.
#[test]
fn a_plan_confirmed_after_another_release_ran_is_refused() {
    if !relman_testkit::require_tool("script") {
        return;
    }
    let fixture = Fixture::new(
        WORKFLOW
            .split("[[workflow.release.step]]\nmanual")
            .next()
            .unwrap(),
    );
    let screen = fixture.repo.root().join("screen");
    let person = fixture.repo.root().join("person.sh");
    relman_testkit::write_executable(
        &person,
        &format!(
            "#!/bin/sh
             tries=0
             until grep -q 'Run `release`?' '{screen}' 2>/dev/null || [ $tries = 400 ]; do
               sleep 0.05; tries=$((tries + 1))
             done
             '{RELMAN}' --yes release >/dev/null 2>&1
             echo y
",
            screen = screen.display()
        ),
    );
    let mut command = fixture.sealed("sh");
    command
        .args([
            "-c",
            &format!(
                "('{}') | script -qfec \"'{RELMAN}' release\" '{}'",
                person.display(),
                screen.display()
            ),
        ])
        .env("TERM", "xterm-256color")
        // A person answers: not a CI job, which would need no answer.
        .env_remove("CI")
        .stdin(Stdio::null());
    let output = command.output().unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("error: the repository changed since the plan was made: HEAD was at "),
        "{shown}"
    );
    assert!(
        shown.contains("hint: nothing was changed: plan again"),
        "{shown}"
    );
    // The other release happened once; this one changed nothing.
    assert_eq!(fixture.read("package.json"), package_json("1.3.0"));
    assert_eq!(
        fixture
            .subjects("HEAD")
            .iter()
            .filter(|subject| *subject == "Release 1.3.0")
            .count(),
        1
    );
}
