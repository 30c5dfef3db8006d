//! What relman prints: `--json` is one event per line on stdout, colours appear only on a
//! terminal and never with `NO_COLOR` or in a redirected stdout, and in GitHub Actions a Markdown
//! summary is appended to `$GITHUB_STEP_SUMMARY`.

use crate::release::RELEASE;
use crate::support::*;

const ESCAPE: &str = "\x1b[";

fn events(run: &Run) -> Vec<serde_json::Value> {
    run.stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line:?}\n{run}"))
        })
        .collect()
}

#[test]
fn json_prints_one_event_per_line_and_nothing_else() {
    let fixture = Fixture::new(RELEASE);
    let run = fixture.relman(&["--json", "release"]);
    run.expect(0);
    assert_eq!(run.stderr, "");
    let events = events(&run);
    let kinds: Vec<&str> = events
        .iter()
        .map(|event| event["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"release"));
    assert_eq!(events[0]["version"], "1.3.0");
    assert_eq!(events[0]["resumed"], false);
    assert_eq!(kinds.last(), Some(&"finished"));
    assert_eq!(events.last().unwrap()["state"], "done");
    let finished: Vec<(u64, &str)> = events
        .iter()
        .filter(|event| event["event"] == "step-finished")
        .map(|event| {
            (
                event["number"].as_u64().unwrap(),
                event["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        finished,
        (1..=9).map(|number| (number, "done")).collect::<Vec<_>>()
    );
    assert_eq!(
        kinds.iter().filter(|kind| **kind == "step-started").count(),
        9
    );
    assert!(events.iter().any(|event| event["event"] == "step-output"
        && event["line"] == "pushed refs/heads/main, refs/tags/v1.3.0 to origin"));
}

#[test]
fn json_reports_a_pause_as_its_last_event() {
    let fixture = Fixture::new(
        r#"
[workflow.announce]
[[workflow.announce.step]]
manual = "Email the team"
"#,
    );
    let run = fixture.relman(&["--json", "announce"]);
    run.expect(3);
    assert_eq!(run.stderr, "");
    let last = events(&run).pop().unwrap();
    assert_eq!(last["event"], "finished");
    assert_eq!(last["state"], "paused");
    assert_eq!(
        last["message"],
        "Email the team\nwhen it is done: relman resume --confirm"
    );
}

#[test]
fn no_colours_without_a_terminal_unless_asked() {
    let fixture = Fixture::new(RELEASE);
    fixture.repo.write("greet.txt", "dirty\n");
    let plain = |args: &[&str]| {
        let mut command = fixture.command(args);
        command.env_remove("NO_COLOR");
        command.output().unwrap()
    };
    let output = plain(&["plan", "release"]);
    assert_eq!(output.status.code(), Some(1));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("Plan: release"), "{text}");
    assert!(!text.contains(ESCAPE), "{text:?}");

    let output = plain(&["--color", "always", "plan", "release"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("\x1b[1;31merror:\x1b[0m"), "{stderr:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("\x1b[1mPlan:\x1b[0m"));
}

/// On a (pseudo-)terminal: colours, unless `NO_COLOR` is set; a redirected stdout gets none
/// while stderr, still the terminal, does.
#[test]
fn colours_on_a_terminal_follow_no_color_and_each_stream() {
    if !relman_testkit::require_tool("script") {
        return;
    }
    let fixture = Fixture::new(RELEASE);
    fixture.repo.write("greet.txt", "dirty\n");
    let on_terminal = |line: &str, no_color: bool| {
        let mut command = fixture.sealed("script");
        command.args(["-qec", line, "/dev/null"]);
        if !no_color {
            command.env_remove("NO_COLOR");
        }
        let output = command.output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let plan = format!("'{RELMAN}' plan release");
    let screen = on_terminal(&plan, false);
    assert!(screen.contains("\x1b[1mPlan:\x1b[0m"), "{screen:?}");
    assert!(screen.contains("\x1b[1;31merror:\x1b[0m"), "{screen:?}");

    let screen = on_terminal(&plan, true);
    assert!(screen.contains("Plan: release"), "{screen:?}");
    assert!(!screen.contains(ESCAPE), "{screen:?}");

    let screen = on_terminal(&format!("{plan} > plan.txt"), false);
    assert!(screen.contains("\x1b[1;31merror:\x1b[0m"), "{screen:?}");
    let file = fixture.read("plan.txt");
    assert!(file.starts_with("Plan: release"), "{file:?}");
    assert!(!file.contains(ESCAPE), "{file:?}");
}

#[test]
fn a_summary_is_appended_to_github_step_summary() {
    let mut fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
manual = "Check the | pipes | in the notes"

[[workflow.release.step]]
commit = "Release {version}"
"#,
    );
    let summary = fixture.repo.root().join("summary.md");
    fs_err::write(&summary, "## Earlier step\n\n").unwrap();
    fixture.set_env("GITHUB_STEP_SUMMARY", summary.as_os_str());

    fixture.relman(&["release"]).expect(3);
    fixture.relman(&["resume", "--confirm"]).expect(0);

    assert_eq!(
        fs_err::read_to_string(&summary).unwrap(),
        "## Earlier step\n\n\
         ### relman: `release` 1.3.0 (`v1.3.0`): paused\n\n\
         | | step | result |\n\
         |---|---|---|\n\
         | ✓ | 1. bump minor |  |\n\
         | ⏸ | 2. manual: Check the \\| pipes \\| in the notes | Check the \\| pipes \\| in the notes |\n\
         | · | 3. commit \"Release 1.3.0\" |  |\n\
         \n\
         ### relman: `release` 1.3.0 (`v1.3.0`): done\n\n\
         | | step | result |\n\
         |---|---|---|\n\
         | ✓ | 1. bump minor |  |\n\
         | ✓ | 2. manual: Check the \\| pipes \\| in the notes |  |\n\
         | ✓ | 3. commit \"Release 1.3.0\" |  |\n\
         \n"
    );
}

/// A commit subject and a command's output that try to take over the terminal: retitle the
/// window, clear the screen, rewrite the line, reverse the text, colour it. They were printed raw.
#[test]
fn control_sequences_from_commits_and_commands_are_shown_not_obeyed() {
    let config = format!(
        "{RELEASE}\n[[workflow.release.step]]\nrun = [\"printf\", 'built \\033[2J\\033[31mred\\033]0;pwned\\007 done\\n']\n"
    );
    let fixture = Fixture::new(&config);
    fixture.repo.commit_file(
        "evil.txt",
        "x\n",
        "feat: \x1b]0;pwned\x07title \x1b[2Jgone\rfake \u{9b}31mc1 \u{202e}gpj.exe",
    );
    fixture.repo.push(&["main"]);
    // (The diff in the plan breaks the line at the carriage return: both halves are checked.)
    let shown = "title \\u001b[2Jgone\\u000d";
    let shown_after = "fake \\u009b31mc1 \\u202egpj.exe";
    let assert_clean = |run: &Run| {
        for text in [&run.stdout, &run.stderr] {
            for raw in ['\x1b', '\x07', '\r', '\u{9b}', '\u{202e}'] {
                assert!(!text.contains(raw), "{raw:?} printed raw\n{run}");
            }
        }
    };

    let plan = fixture.relman(&["plan", "release"]);
    plan.expect(0).stdout_has(shown).stdout_has(shown_after);
    assert_clean(&plan);
    let changelog = fixture.relman(&["changelog", "--unreleased"]);
    changelog
        .expect(0)
        .stdout_has(shown)
        .stdout_has(shown_after);
    assert_clean(&changelog);

    let run = fixture.relman(&["-v", "release"]);
    run.expect(0)
        .stderr_has("built \\u001b[2J\\u001b[31mred\\u001b]0;pwned\\u0007 done");
    assert_clean(&run);
    let status = fixture.relman(&["status"]);
    status.expect(0);
    assert_clean(&status);

    // With colours on, relman's own colours stay and theirs are still shown, not obeyed.
    let coloured = fixture.relman(&["--color", "always", "changelog", "--version", "1.3.0"]);
    coloured.expect(0).stdout_has(shown);
    assert!(!coloured.stdout.contains("\x1b]0;"), "{coloured}");
    let error = fixture.relman(&["--color", "always", "plan", "nope"]);
    error.expect(2);
    assert!(
        error.stderr.starts_with("\x1b[1;31merror:\x1b[0m"),
        "{error}"
    );

    // JSON escapes them too, and stays JSON.
    let json = fixture.relman(&["--json", "changelog", "--version", "1.3.0"]);
    json.expect(0);
    assert_clean(&json);
}

/// A relman.toml's help texts reach `relman --help` and `relman help WORKFLOW`, which clap
/// prints; a JSON changelog streams sections and a JSON error names what was asked. Their
/// control characters are shown, not obeyed, and JSON stays JSON.
#[test]
fn control_sequences_in_help_and_json_paths_are_shown_not_obeyed() {
    let config = format!(
        "{RELEASE}\n[workflow.deploy]\nhelp = \"Ship \\u001b]0;pwned\\u0007it \\u202egpj.exe\"\nargs = [{{ name = \"env\", help = \"Where \\u001b[2J\", default = \"prod\\u009b\" }}]\n[[workflow.deploy.step]]\nmanual = \"x\"\n"
    );
    let fixture = Fixture::new(&config);
    fixture
        .repo
        .commit_file("evil.txt", "x\n", "feat: \x1b]0;pwned\x07title \u{202e}gpj");
    let raw = ['\x1b', '\x07', '\u{9b}', '\u{202e}'];
    let assert_clean = |run: &Run| {
        for text in [&run.stdout, &run.stderr] {
            for c in raw {
                assert!(!text.contains(c), "{c:?} printed raw\n{run}");
            }
        }
    };
    let top = fixture.relman(&["--help"]);
    top.expect(0)
        .stdout_has("Ship \\u001b]0;pwned\\u0007it \\u202egpj.exe");
    assert_clean(&top);
    let one = fixture.relman(&["help", "deploy"]);
    one.expect(0)
        .stdout_has("Where \\u001b[2J [default: prod\\u009b]");
    assert_clean(&one);

    let all = fixture.relman(&["--json", "changelog", "--all"]);
    all.expect(0);
    assert_clean(&all);
    events(&all);
    let error = fixture.relman(&["--json", "plan", "no\u{202e}pe"]);
    error.expect(2);
    assert_clean(&error);
    error.stdout_has("no\\u202epe");
    events(&error);
}
