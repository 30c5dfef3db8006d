//! `run` steps: argv without a shell with placeholders as whole arguments, `shell = true` with
//! placeholders quoted, `cwd`, `env`, outputs used by later steps, `timeout`, `retries`, and a
//! failing command that `resume` runs again once fixed.

use std::time::{Duration, Instant};

use crate::support::*;

const COMMANDS: &str = r#"
[project]
version-files = ["package.json"]

[workflow.commands]
args = [{ name = "note" }]

[[workflow.commands.step]]
id = "words"
run = "printf '[%s]' {args.note} v{version}"

[[workflow.commands.step]]
id = "shell"
run = "printf '[%s]' {args.note} v{version} | tr '[]' '<>'"
shell = true

[[workflow.commands.step]]
id = "place"
run = ["sh", "-c", 'pwd; echo "$GREETING"']
cwd = "sub/dir"
env = { GREETING = "hello {version} from {steps.words.stdout}" }

[[workflow.commands.step]]
id = "again"
run = ["printf", "%s", "{steps.shell.stdout}"]
"#;

fn stdout_of(journal: &serde_json::Value, step: usize) -> String {
    journal["steps"][step]["outputs"]["stdout"]
        .as_str()
        .unwrap_or_else(|| panic!("step {step} has a stdout output: {journal:#}"))
        .to_owned()
}

#[test]
fn placeholders_are_whole_arguments_or_quoted_for_the_shell() {
    let fixture = Fixture::new(COMMANDS);
    fs_err::create_dir_all(fixture.path().join("sub/dir")).unwrap();
    let note = "two words; touch pwned $(touch pwned2)";
    fixture.relman(&["commands", note]).expect(0);

    let journal = &fixture.history()[0];
    // One argument each: never re-split, never interpreted.
    assert_eq!(stdout_of(journal, 0), format!("[{note}][v1.2.3]"));
    // Through `sh -c`, quoted: the pipe is the line's, the value stays one word.
    assert_eq!(stdout_of(journal, 1), format!("<{note}><v1.2.3>"));
    assert!(!fixture.path().join("pwned").exists());
    assert!(!fixture.path().join("pwned2").exists());
    assert!(!fixture.path().join("sub/dir/pwned").exists());
    // `cwd` is relative to the work tree; `env` values are templates too.
    assert_eq!(
        stdout_of(journal, 2),
        format!(
            "{}\nhello 1.2.3 from [{note}][v1.2.3]",
            fixture.path().join("sub/dir").display()
        )
    );
    assert_eq!(stdout_of(journal, 3), format!("<{note}><v1.2.3>"));
}

#[test]
fn a_hanging_command_is_stopped_at_its_timeout() {
    let fixture = Fixture::new(
        r#"
[workflow.hang]
[[workflow.hang.step]]
run = "sleep 60"
timeout = "1s"

[workflow.hang-shell]
[[workflow.hang-shell.step]]
run = "sleep 60; echo never"
shell = true
timeout = "1s"
"#,
    );
    let started = Instant::now();
    fixture
        .relman(&["hang"])
        .expect(1)
        .stderr_has("error: step 1 (run sleep 60) failed: `sleep 60` did not finish within 1s and was stopped")
        .stderr_has("hint: raise the step's `timeout`");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(fixture.journal().unwrap()["state"], "failed");
    fixture.relman(&["abort"]).expect(0);

    // A shell's children are stopped too: nothing keeps relman waiting for the whole minute.
    let started = Instant::now();
    fixture
        .relman(&["hang-shell"])
        .expect(1)
        .stderr_has("did not finish within 1s and was stopped");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn retries_run_a_failing_command_again() {
    let fixture = Fixture::new(
        r#"
[workflow.flaky]
args = [{ name = "succeed-on" }]
[[workflow.flaky.step]]
run = ["sh", "-c", 'n=$(($(cat ../tries 2>/dev/null || echo 0) + 1)); echo $n > ../tries; echo "try $n"; [ $n -ge $0 ]', "{args.succeed-on}"]
retries = 2
"#,
    );
    let run = fixture.relman(&["flaky", "3"]);
    run.expect(0);
    let journal = &fixture.history()[0];
    let tail: Vec<&str> = journal["steps"][0]["output_tail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line.as_str().unwrap())
        .collect();
    assert_eq!(tail[0], "try 1");
    assert!(tail[1].starts_with("attempt failed: "), "{tail:?}");
    assert!(
        tail[1].ends_with("exited with status 1; retrying (1 left)"),
        "{tail:?}"
    );
    assert_eq!(tail[2], "try 2");
    assert!(tail[3].ends_with("retrying (0 left)"), "{tail:?}");
    assert_eq!(tail[4], "try 3");
    assert_eq!(fixture.repo.read("../tries"), "3\n");

    // Out of retries: the step fails.
    fs_err::remove_file(fixture.path().join("../tries")).unwrap();
    fixture
        .relman(&["flaky", "4"])
        .expect(1)
        .stderr_has("exited with status 1");
    assert_eq!(fixture.repo.read("../tries"), "3\n");
}

#[test]
fn a_failed_command_keeps_the_release_and_resume_runs_it_again() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
name = "test"
run = ["sh", "-c", "echo testing; test -e ../fixed || {{ echo 'broken build' >&2; exit 3; }}"]

[[workflow.release.step]]
commit = "Release {version}"
"#,
    );
    let run = fixture.relman(&["release"]);
    run.expect(1)
        .stderr_has("✗ 2. test")
        .stderr_has("broken build")
        .stderr_has("error: step 2 (test) failed: `sh -c ")
        .stderr_has("exited with status 3")
        .stderr_has("hint: the journal keeps the release: fix the cause and `relman resume`, or `relman abort`");
    let journal = fixture.journal().unwrap();
    assert_eq!(journal["state"], "failed");
    assert_eq!(step_states(&journal), ["done", "failed", "pending"]);
    let status = fixture.relman(&["status"]);
    status
        .expect(0)
        .stdout_has("release 1.3.0 (v1.3.0): failed")
        .stdout_has("broken build");

    // Still broken: fails again, nothing committed.
    fixture.relman(&["resume"]).expect(1);
    assert_eq!(fixture.subjects("HEAD")[0], "feat: greet people");

    fixture.repo.write("../fixed", "");
    fixture.relman(&["resume"]).expect(0);
    assert_eq!(fixture.subjects("HEAD")[0], "Release 1.3.0");
    let journal = &fixture.history()[0];
    assert_eq!(step_states(journal), ["done", "done", "done"]);
    assert_eq!(journal["steps"][1]["attempts"], 3);
}
