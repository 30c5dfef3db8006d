//! Help, completions and `--json` for every command: `relman help WORKFLOW` and `relman
//! WORKFLOW --help` describe the workflow, completions offer the workflows of relman.toml, and
//! with `--json` every command's result, errors included, is JSON on stdout.

use crate::release::RELEASE;
use crate::support::*;

#[test]
fn help_for_a_workflow_describes_the_workflow_in_both_spellings() {
    let fixture = Fixture::new(RELEASE);
    for args in [
        &["help", "release"][..],
        &["release", "--help"],
        &["plan", "release", "-h"],
    ] {
        let run = fixture.relman(args);
        run.expect(0)
            .stdout_has("Cut a release from main")
            .stdout_has("Usage: relman release [OPTIONS] [BUMP]")
            .stdout_has("[default: auto]")
            .stdout_has("--pre <LABEL>")
            .stdout_has("Global options:")
            .stdout_has("-y, --yes");
        assert!(!run.stdout.contains("relman run"), "{run}");
    }
    let run = fixture.relman(&["help", "nope"]);
    run.expect(2)
        .stderr_has("no command or workflow named `nope`")
        .stderr_has("the workflows are: release");
}

#[test]
fn top_level_help_lists_the_workflows_and_the_global_options_apart() {
    let fixture = Fixture::new(RELEASE);
    let run = fixture.relman(&["--help"]);
    run.expect(0).stdout_has("Global options:\n").stdout_has(
        "Workflows (run as `relman WORKFLOW [ARGS]`):\n  release        Cut a release from main\n",
    );
    // The help of a built-in command stays clap's.
    fixture
        .relman(&["help", "version"])
        .expect(0)
        .stdout_has("Usage: relman version [OPTIONS]");
}

#[test]
fn bash_completion_offers_the_workflows_of_relman_toml() {
    let fixture = Fixture::new(&format!(
        "{RELEASE}\n[workflow.deploy]\nhelp = \"Ship it\"\n[[workflow.deploy.step]]\nmanual = \"x\"\n"
    ));
    let script = fixture.relman(&["completions", "bash"]);
    script.expect(0);
    fixture.repo.write("completion.bash", &script.stdout);
    let bin = std::path::Path::new(RELMAN).parent().unwrap();
    let probe = r#"
source ./completion.bash
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _relman_with_workflows relman "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"; printf '%s\n' "${COMPREPLY[*]}"; }
complete_words relman de
complete_words relman plan ""
complete_words relman release ""
"#;
    let output = fixture
        .sealed("bash")
        .args(["-c", probe])
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "deploy", "{text}");
    assert!(lines[1].ends_with("release deploy"), "{text}");
    assert_eq!(lines[2], "", "{text}");

    let zsh = fixture.relman(&["completions", "zsh"]);
    zsh.expect(0)
        .stdout_has(":workflow -- The workflow to run, e.g. `release`:_relman_workflow_names'")
        .stdout_has("commands+=(${${(f)\"$(relman completions --workflows 2>/dev/null)\"}");
    let fish = fixture.relman(&["completions", "fish"]);
    fish.expect(0)
        .stdout_has("-f -a \"(relman completions --workflows 2>/dev/null)\"");
    fixture
        .relman(&["completions", "--workflows"])
        .expect(0)
        .stdout_has("release\tCut a release from main\ndeploy\tShip it\n");
}

fn json_line(run: &Run) -> serde_json::Value {
    let mut lines = run.stdout.lines();
    let value = serde_json::from_str(lines.next().unwrap_or_default())
        .unwrap_or_else(|error| panic!("{error}\n{run}"));
    assert_eq!(lines.next(), None, "one object\n{run}");
    value
}

#[test]
fn every_command_speaks_json_errors_included() {
    let fixture = Fixture::new(RELEASE);
    let check = json_line(fixture.relman(&["--json", "check"]).expect(0));
    assert_eq!(check["valid"], true);
    assert!(
        check["checks"][0]
            .as_str()
            .unwrap()
            .contains("relman.toml is valid")
    );

    let changelog = json_line(fixture.relman(&["--json", "changelog"]).expect(0));
    assert_eq!(changelog["version"], "1.3.0");
    assert!(
        changelog["section"]
            .as_str()
            .unwrap()
            .contains("greet people")
    );

    let docs = json_line(fixture.relman(&["--json", "docs"]).expect(0));
    assert!(
        docs["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# Release runbook")
    );

    // A clap usage error, a config error and a project error: JSON on stdout, exit 2.
    let run = fixture.relman(&["--json", "version", "--bogus"]);
    let error = json_line(run.expect(2));
    assert_eq!(error["event"], "error");
    assert!(
        error["message"].as_str().unwrap().contains("--bogus"),
        "{run}"
    );
    assert_eq!(run.stderr, "");

    fixture.repo.write("relman.toml", "[project]\nbogus = 1\n");
    let error = json_line(fixture.relman(&["--json", "check"]).expect(2));
    assert_eq!(error["exit_code"], 2);
    assert!(error["message"].as_str().unwrap().contains("bogus"));
}

#[test]
fn a_missing_remote_is_named_with_how_to_add_it() {
    let fixture = Fixture::new(RELEASE);
    fixture.git(&["remote", "rename", "origin", "upstream"]);
    let run = fixture.relman(&["plan", "release"]);
    run.expect(2)
        .stderr_has("this repository has no remote `origin`")
        .stderr_has("hint: add it with `git remote add origin URL`, or name one of this repository's remotes (`upstream`) with `remote = \"...\"` under `[project]`");
    assert!(!run.stderr.contains("ssh -T"), "{run}");
    assert!(
        !run.stderr
            .contains("does not appear to be a git repository"),
        "{run}"
    );
}

#[test]
fn counts_read_as_english() {
    let fixture = Fixture::new(RELEASE);
    fixture
        .relman(&["check"])
        .expect(0)
        .stdout_has("last release v1.2.3 at ")
        .stdout_has(", 1 commit since\n");
}
