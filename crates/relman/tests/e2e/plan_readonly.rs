//! `relman plan` writes nothing: after it, `git status`, every ref, and every byte of the work
//! tree and of `.git` are as they were, for a workflow that uses every local step kind, as text
//! and as JSON, and when a check fails.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;

/// What must not change: the status, the refs, and the bytes of every file under the work tree
/// (`.git` included).
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    status: String,
    refs: String,
    files: BTreeMap<String, Vec<u8>>,
}

fn snapshot(fixture: &Fixture) -> Snapshot {
    // Files first: the git commands below must not be the ones to change them, and with
    // optional locks off `git status` does not refresh the index.
    let mut files = BTreeMap::new();
    read_tree(fixture.path(), fixture.path(), &mut files);
    let git = |args: &[&str]| {
        let output = fixture
            .repo
            .command("git")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    Snapshot {
        status: git(&[
            "status",
            "--porcelain=v2",
            "--branch",
            "--untracked-files=all",
        ]),
        refs: git(&["for-each-ref", "--format=%(refname) %(objectname)"]),
        files,
    }
}

fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in fs_err::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        if entry.file_type().unwrap().is_dir() {
            files.insert(format!("{relative}/"), Vec::new());
            read_tree(root, &path, files);
        } else {
            files.insert(relative, fs_err::read(&path).unwrap());
        }
    }
}

#[track_caller]
fn assert_unchanged(before: &Snapshot, after: &Snapshot) {
    assert_eq!(before.status, after.status);
    assert_eq!(before.refs, after.refs);
    let changed: Vec<&String> = before
        .files
        .keys()
        .chain(after.files.keys())
        .filter(|path| before.files.get(*path) != after.files.get(*path))
        .collect();
    assert!(changed.is_empty(), "`relman plan` changed {changed:?}");
}

#[test]
fn plan_leaves_the_repository_byte_for_byte_unchanged() {
    let fixture = Fixture::new(crate::crash::WORKFLOW);
    let repo = &fixture.repo;
    repo.git(&["switch", "--quiet", "--create", "hotfix"]);
    let fix = repo.commit_file("fix.txt", "fixed\n", "fix: repair the greeting");
    repo.git(&["switch", "--quiet", "main"]);
    // A tracked file whose stat data no longer matches the index (a build tool touched it): a
    // `git status` that may take the index lock would refresh the index and rewrite it.
    let touched = std::process::Command::new("touch")
        .args(["-d", "2030-01-01T00:00:00Z", "greet.txt"])
        .current_dir(fixture.path())
        .status()
        .unwrap();
    assert!(touched.success());
    let before = snapshot(&fixture);

    let run = fixture.relman(&["plan", "release", &fix]);
    run.expect(0)
        .stdout_has("Plan: release 1.2.3 → 1.3.0 (tag v1.3.0)")
        .stdout_has("$ git cherry-pick -x")
        .stdout_has("+  \"version\": \"1.3.0\",")
        .stdout_has("you: Install dist/greeter-1.3.0.tar on a clean machine");
    assert_unchanged(&before, &snapshot(&fixture));

    let run = fixture.relman(&["plan", "release", &fix, "--json"]);
    run.expect(0);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(plan["version"], "1.3.0");
    assert_eq!(plan["steps"].as_array().unwrap().len(), 17);
    assert_unchanged(&before, &snapshot(&fixture));
    assert!(!fixture.path().join(".git/relman").exists());
}

#[test]
fn a_plan_whose_check_fails_changes_nothing_either() {
    let fixture = Fixture::new(crate::release::RELEASE);
    fixture.repo.write("greet.txt", "hello, world\n");
    let before = snapshot(&fixture);
    let run = fixture.relman(&["plan", "release"]);
    run.expect(1)
        .stdout_has("✗ no uncommitted changes")
        .stdout_has("uncommitted changes: modified: greet.txt")
        .stderr_has("error: step 2 (check: clean) fails: the release would stop there");
    assert_unchanged(&before, &snapshot(&fixture));
}
