//! A mixed repository, as ripgrep is: a root package (`tool`, bare `X.Y.Z` tags) beside library
//! crates tagged `NAME-X.Y.Z`, and the old tags of a crate that no longer exists. The crates'
//! and the retired crate's tags are no releases of the root and no error; each package lists the
//! commits that touched it; one crate releases alone, then everything that changed.

use relman_testkit::TestRepo;

use super::{released_files, remote_tags, run};

fn mixed() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"tool\"\nversion = \"1.2.0\"\nedition = \"2021\"\n\n[dependencies]\nglobset = { version = \"0.4.20\", path = \"crates/globset\" }\n\n[workspace]\nmembers = [\"crates/*\"]\n",
    );
    repo.write("src/main.rs", "fn main() {}\n");
    repo.write(
        "crates/globset/Cargo.toml",
        "[package]\nname = \"globset\"\nversion = \"0.4.20\"\nedition = \"2021\"\n",
    );
    repo.write("crates/globset/src/lib.rs", "");
    repo.write(
        "crates/searcher/Cargo.toml",
        "[package]\nname = \"grep-searcher\"\nversion = \"0.1.16\"\nedition = \"2021\"\n",
    );
    repo.write("crates/searcher/src/lib.rs", "");
    repo.write(
        "crates/oldcrate/Cargo.toml",
        "[package]\nname = \"oldcrate\"\nversion = \"0.2.0\"\n",
    );
    repo.commit("feat: start");
    repo.tag("oldcrate-0.1.0");
    repo.tag("oldcrate-0.2.0");
    repo.git(&["rm", "-q", "-r", "crates/oldcrate"]);
    repo.commit("chore: retire oldcrate");
    for tag in ["1.2.0", "globset-0.4.20", "grep-searcher-0.1.16"] {
        repo.tag(tag);
    }
    repo.commit_file(
        "crates/globset/src/lib.rs",
        "pub fn glob() {}\n",
        "feat(globset): glob()",
    );
    repo.commit_file("src/main.rs", "fn main() { }\n", "fix: exit code");
    repo.push(&[
        "main",
        "1.2.0",
        "globset-0.4.20",
        "grep-searcher-0.1.16",
        "oldcrate-0.1.0",
        "oldcrate-0.2.0",
    ]);
    repo
}

#[test]
fn crates_and_retired_crates_tags_are_theirs_and_no_error() {
    let repo = mixed();
    let (listed, _) = run(&repo, &["packages"], 0);
    assert_eq!(
        listed,
        "package        path             version  last release          since  next\n\
         tool           .                1.2.0    1.2.0                 1      1.2.1\n\
         globset        crates/globset   0.4.20   globset-0.4.20        1      0.5.0\n\
         grep-searcher  crates/searcher  0.1.16   grep-searcher-0.1.16  0      -\n\
         retired: oldcrate (2 releases, last oldcrate-0.2.0)\n"
    );
    let (json, _) = run(&repo, &["--json", "packages"], 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["packages"][1]["tag_format"], "globset-{version}");
    assert_eq!(json["packages"][0]["dependencies"][0], "globset");
    assert_eq!(json["retired"][0]["name"], "oldcrate");

    // The root's commands see its own tags only, without a word about the others.
    let (version, notes) = run(&repo, &["version", "--next", "auto"], 0);
    assert_eq!(version, "1.2.1\n");
    assert!(!notes.contains("ignored"), "{notes}");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(!check.contains("no release of this project"), "{check}");
    let (section, _) = run(&repo, &["changelog", "-p", "globset"], 0);
    assert!(
        section.contains("glob()") && !section.contains("exit code"),
        "{section}"
    );
    let (section, _) = run(&repo, &["changelog"], 0);
    assert!(
        section.contains("exit code") && !section.contains("glob()"),
        "{section}"
    );
    let (completed, _) = run(&repo, &["completions", "--packages"], 0);
    assert_eq!(
        completed,
        "tool\t.\nglobset\tcrates/globset\ngrep-searcher\tcrates/searcher\n"
    );
    // The bash script offers them after `-p`.
    let (script, _) = run(&repo, &["completions", "bash"], 0);
    repo.write("completion.bash", &script);
    let bin = std::path::Path::new(crate::plain::relman_path())
        .parent()
        .unwrap();
    let probe = r#"
source ./completion.bash
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _relman_with_workflows relman "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"; printf '%s\n' "${COMPREPLY[*]}"; }
complete_words relman changelog -p g
complete_words relman plan release --package ""
"#;
    let output = repo
        .command("bash")
        .current_dir(repo.path())
        .args(["-c", probe])
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("globset grep-searcher"),
        "{text}"
    );
    assert_eq!(
        lines.get(1).copied(),
        Some("tool globset grep-searcher"),
        "{text}"
    );
}

#[test]
fn one_crate_and_its_dependent_then_everything_that_changed() {
    let repo = mixed();
    let (released, _) = run(&repo, &["release", "-p", "globset", "--yes"], 0);
    // `tool` requires `globset = "0.4.20"`, which follows (as `cargo set-version` has it): so
    // `tool` is released too, with a patch.
    assert_eq!(
        released.trim(),
        "Released: globset 0.5.0 (globset-0.5.0), tool 1.2.1 (1.2.1)"
    );
    assert_eq!(
        released_files(&repo),
        ["Cargo.toml", "crates/globset/Cargo.toml"]
    );
    assert!(
        repo.read("Cargo.toml")
            .contains("version = \"1.2.1\"\nedition = \"2021\"\n\n[dependencies]\nglobset = { version = \"0.5.0\", path = \"crates/globset\" }")
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("nothing to release"), "{plan}");

    repo.commit_file(
        "crates/searcher/src/lib.rs",
        "pub fn search() {}\n",
        "feat(searcher): search()",
    );
    repo.push(&["main"]);
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains("Plan: release grep-searcher 0.1.16 → 0.2.0 (tag grep-searcher-0.2.0)"),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        remote_tags(&repo),
        [
            "1.2.0",
            "1.2.1",
            "globset-0.4.20",
            "globset-0.5.0",
            "grep-searcher-0.1.16",
            "grep-searcher-0.2.0",
            "oldcrate-0.1.0",
            "oldcrate-0.2.0"
        ]
    );
}
