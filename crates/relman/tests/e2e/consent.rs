//! A run acts only with consent: asked whenever stdin is a terminal, given in advance with
//! `--yes` or `CI=true`, and otherwise refused (exit 2, nothing changed). What a run prints:
//! progress on stderr with every step in its place (skipped ones with why), the output that
//! explains a failure, and the result on stdout.

use std::process::Stdio;

use crate::release::RELEASE;
use crate::support::*;

/// `relman ARGS` as a person's shell would start it: no `CI` in the environment.
fn without_ci(fixture: &Fixture, args: &[&str]) -> Run {
    let output = fixture
        .command(args)
        .env_remove("CI")
        .output()
        .expect("run relman");
    Run::from_output(args, output)
}

#[test]
fn without_a_terminal_a_run_needs_yes_or_ci_and_otherwise_changes_nothing() {
    let fixture = Fixture::new(RELEASE);
    let before = snapshot(&fixture);
    let run = without_ci(&fixture, &["release"]);
    run.expect(2)
        .stderr_has("`release` changes the repository and nobody can confirm it")
        .stderr_has("hint: review it with `relman plan release`, then run again with `--yes`");
    assert_unchanged(&before, &snapshot(&fixture));
    assert!(fixture.journal().is_none());
    assert!(!fixture.remote_refs().contains_key("refs/tags/v1.3.0"));

    // `CI=false` is no consent either.
    let output = fixture
        .command(&["release"])
        .env("CI", "false")
        .output()
        .unwrap();
    Run::from_output(&["release"], output).expect(2);
    assert_unchanged(&before, &snapshot(&fixture));

    without_ci(&fixture, &["release", "--yes"]).expect(0);
    assert!(fixture.remote_refs().contains_key("refs/tags/v1.3.0"));
}

#[test]
fn with_stdin_on_a_terminal_relman_asks_even_when_stderr_is_piped() {
    if !relman_testkit::require_tool("script") {
        return;
    }
    let fixture = Fixture::new(RELEASE);
    let before = snapshot(&fixture);
    // `relman release 2>&1 | cat` on a terminal: stdin is the terminal, stderr a pipe.
    let output = fixture
        .sealed("sh")
        .args([
            "-c",
            &format!("echo n | script -qec \"'{RELMAN}' release 2>&1 | cat\" /dev/null"),
        ])
        .env_remove("CI")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(screen.contains("Run `release`? [y/N]"), "{screen}");
    assert!(screen.contains("Nothing was changed."), "{screen}");
    assert_unchanged(&before, &snapshot(&fixture));
}

#[test]
fn the_one_line_a_failing_command_printed_is_shown_in_every_mode() {
    let fixture = Fixture::new(
        r#"
[workflow.build]
[[workflow.build.step]]
run = ["sh", "-c", "printf 'make: *** No rule to make target \\140\\144ist\\047.  Stop.\\n' >&2; exit 2"]
"#,
    );
    for flags in [&[][..], &["-q"], &["-v"]] {
        let mut args = flags.to_vec();
        args.push("build");
        let run = fixture.relman(&args);
        run.expect(1)
            .stderr_has("      make: *** No rule to make target `dist'.  Stop.");
        assert_eq!(count(&run.stderr, "`dist'"), 1, "shown once\n{run}");
        fixture.relman(&["abort"]).expect(0);
    }
}

#[test]
fn a_long_failing_output_ends_with_its_last_lines_on_screen() {
    let fixture = Fixture::new(
        r#"
[workflow.build]
[[workflow.build.step]]
run = ["sh", "-c", "for i in $(seq 1 40); do echo line $i; done; echo 'the real cause'; exit 1"]
"#,
    );
    let run = fixture.relman(&["build"]);
    run.expect(1)
        .stderr_has("      line 20\n")
        .stderr_has("… its last lines:")
        .stderr_has("      the real cause");
    assert!(!run.stderr.contains("line 25\n      line 26\n      line 27\n      line 28\n      line 29\n      line 30\n      line 31"), "{run}");
}

#[test]
fn skipped_steps_appear_in_the_live_view_with_why() {
    let fixture = Fixture::new(
        r#"
[workflow.ship]
[[workflow.ship.step]]
run = ["true"]

[[workflow.ship.step]]
name = "publish the docs"
if = "is_prerelease"
run = ["false"]

[[workflow.ship.step]]
run = ["true"]
"#,
    );
    let run = fixture.relman(&["ship"]);
    run.expect(0)
        .stderr_has("  - 2. publish the docs\n      `if = \"is_prerelease\"` is false\n  ✓ 3.");
}

#[test]
fn step_numbers_line_up_past_nine_in_the_plan_and_the_live_view() {
    let steps: String = (0..10)
        .map(|_| "[[workflow.many.step]]\nrun = [\"true\"]\n\n")
        .collect();
    let fixture = Fixture::new(&format!("[workflow.many]\n{steps}"));
    let plan = fixture.relman(&["plan", "many"]);
    plan.expect(0)
        .stdout_has("\n   1. run true\n      $ true\n")
        .stdout_has("\n  10. run true\n      $ true\n");
    let run = fixture.relman(&["many"]);
    run.expect(0)
        .stderr_has("  ✓  1. run true")
        .stderr_has("  ✓ 10. run true");
}

#[test]
fn the_plan_is_shown_once_before_a_run() {
    let fixture = Fixture::new(RELEASE);
    let run = fixture.relman(&["release"]);
    run.expect(0);
    assert_eq!(
        count(&run.stderr, "Plan: release 1.2.3 → 1.3.0"),
        1,
        "{run}"
    );
    assert_eq!(
        count(&run.stderr, "4. check: tag-available"),
        2,
        "plan and live view\n{run}"
    );
}
