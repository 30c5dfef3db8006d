//! A release belongs to the worktree that started it. From another worktree of the same
//! repository, `status` names it, and `run`, `resume` and `abort` refuse to act on it: resuming
//! it there committed and pushed that worktree's branch, aborting it there restored files over
//! that worktree's own work and said "Release aborted".

use std::path::Path;

use crate::support::*;

/// Bump, commit, then a pause, then tag and push: paused with a release commit made.
const PAUSING: &str = r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
manual = "Check the release commit"

[[workflow.release.step]]
tag = "{tag}"

[[workflow.release.step]]
push = ["branch", "tag"]
"#;

fn relman_in(fixture: &Fixture, dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["-C", dir.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    fixture.relman(&all)
}

/// The fixture, with a second worktree `other` on branch `other` (at the same commit).
fn with_other_worktree() -> (Fixture, std::path::PathBuf) {
    let fixture = Fixture::new(PAUSING);
    fixture.repo.commit("chore: configure relman");
    fixture.repo.push(&["main"]);
    let other = fixture.repo.root().join("other");
    fixture.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "other",
        other.to_str().unwrap(),
    ]);
    (fixture, other)
}

#[test]
fn another_worktree_names_the_release_and_does_not_act_on_it() {
    let (fixture, other) = with_other_worktree();
    fixture.relman(&["release"]).expect(3);
    let main_head = fixture.git(&["rev-parse", "main"]);
    let other_head = fixture.git(&["rev-parse", "other"]);
    // A person's work in the other worktree, which an abort from there must not touch.
    fs_err::write(other.join("package.json"), package_json("9.9.9-mine")).unwrap();

    let elsewhere = format!(
        "a release is in progress in the worktree `{}`: `release` 1.3.0 is paused at step 3 (manual: Check the release commit)",
        fixture.path().display()
    );
    let hint = format!(
        "hint: a release belongs to the worktree that started it: resume or abort it there (`relman -C {} resume`)",
        fixture.path().display()
    );
    for args in [&["resume", "--confirm"][..], &["abort"]] {
        relman_in(&fixture, &other, args)
            .expect(2)
            .stderr_has(&format!("error: {elsewhere}"))
            .stderr_has(&hint);
    }
    // Starting another release there is refused as another release in progress.
    relman_in(&fixture, &other, &["release"])
        .expect(4)
        .stderr_has(&format!("error: {elsewhere}"));
    relman_in(&fixture, &other, &["status"])
        .expect(0)
        .stdout_has(&format!(
            "A release is in progress in the worktree `{}`: `release` 1.3.0 is paused at step 3",
            fixture.path().display()
        ));

    assert_eq!(fixture.git(&["rev-parse", "main"]), main_head);
    assert_eq!(fixture.git(&["rev-parse", "other"]), other_head);
    assert_eq!(
        fs_err::read_to_string(other.join("package.json")).unwrap(),
        package_json("9.9.9-mine")
    );
    assert!(fixture.git(&["tag", "--list", "v1.3.0"]).is_empty());

    // Where it started, it finishes: the tag is on main's release commit.
    fixture.relman(&["resume", "--confirm"]).expect(0);
    assert_eq!(
        fixture.git(&["rev-parse", "v1.3.0^{commit}"]),
        fixture.git(&["rev-parse", "main"])
    );
    assert_eq!(fixture.git(&["rev-parse", "other"]), other_head);
}

#[test]
fn a_release_started_in_a_linked_worktree_lives_there() {
    let (fixture, other) = with_other_worktree();
    fs_err::write(
        other.join("relman.toml"),
        PAUSING.replace("push = [\"branch\", \"tag\"]", "push = [\"tag\"]"),
    )
    .unwrap();
    relman_in(&fixture, &other, &["release"]).expect(3);
    let git_dir = fixture.git(&[
        "-C",
        other.to_str().unwrap(),
        "rev-parse",
        "--absolute-git-dir",
    ]);
    assert!(Path::new(&git_dir).join("relman/journal.json").is_file());
    assert!(!fixture.path().join(".git/relman/journal.json").exists());

    fixture.relman(&["resume"]).expect(2).stderr_has(&format!(
        "error: a release is in progress in the worktree `{}`",
        other.display()
    ));
    relman_in(&fixture, &other, &["resume", "--confirm"]).expect(0);
    assert_eq!(
        fixture.git(&["rev-parse", "v1.3.0^{commit}"]),
        fixture.git(&["rev-parse", "other"])
    );
    assert_eq!(fixture.read("package.json"), package_json("1.2.3"));
}

#[test]
fn the_release_of_a_worktree_that_was_deleted_says_how_to_forget_it() {
    let (fixture, other) = with_other_worktree();
    relman_in(&fixture, &other, &["release"]).expect(3);
    fs_err::remove_dir_all(&other).unwrap();
    fixture.relman(&["release"]).expect(4).stderr_has(
        "hint: that worktree is gone: `git worktree prune` forgets it, and its release with it",
    );
    fixture.git(&["worktree", "prune"]);
    fixture.relman(&["release"]).expect(3);
}
