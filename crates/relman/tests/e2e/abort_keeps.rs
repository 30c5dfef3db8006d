//! What `abort` keeps and what it gives back: a person's edits and staged files made while the
//! release was paused survive it, a file a person changed since relman wrote it makes it refuse
//! (changing nothing), the commits on the remote stay while the ones after them go, and the
//! index is as it was before the release (what a failed commit staged goes back out; what the
//! person had staged stays staged).

use relman_testkit::write_executable;

use crate::support::*;

/// bump → commit → tag → push → a development bump and its commit → a manual step.
const DEV_AFTER_PUSH: &str = r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"

[[workflow.release.step]]
push = ["branch", "tag"]

[[workflow.release.step]]
bump = "dev"

[[workflow.release.step]]
commit = "Start {dev_version}"

[[workflow.release.step]]
manual = "Announce {version}"
"#;

/// bump → commit → manual: paused with the release commit made and nothing pushed.
const PAUSED_AFTER_COMMIT: &str = r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
changelog = "update"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
manual = "Look at the release commit"
"#;

#[test]
fn a_commit_made_after_the_pushed_release_is_moved_back_and_status_says_so() {
    let fixture = Fixture::new(DEV_AFTER_PUSH);
    fixture.relman(&["release"]).expect(3);
    let release = fixture.git(&["rev-parse", "v1.3.0^{commit}"]);
    assert_eq!(fixture.git(&["rev-parse", "origin/main"]), release);
    assert_eq!(fixture.subjects("HEAD~1..HEAD"), ["Start 1.3.1-dev.0"]);

    let run = fixture.relman(&["abort"]);
    run.expect(0);
    let short = &release[..7];
    assert_eq!(
        run.stdout,
        format!(
            "Release aborted.\n  \
             ↺ moved `main` back to {short}\n  \
             ↺ restored package.json\n  \
             ! tag `v1.3.0` was pushed: kept here too\n  \
             ! commit {short} on `main` is on the remote: kept (to take it back, `git revert {short}` and push)\n  \
             ! package.json: kept as committed in {short}\n\
             \n\
             Still out there (relman does not undo these):\n  \
             - branch `main` pushed to `origin` at {short}\n      \
             undo: git revert the release commit on `main` and push, or force-push `main` back if nobody has pulled it\n  \
             - tag `v1.3.0` pushed to `origin`\n      \
             undo: git push origin :refs/tags/v1.3.0\n"
        )
    );
    // Back to what the remote has: the development commit is gone, the release stays.
    assert_eq!(fixture.git(&["rev-parse", "HEAD"]), release);
    assert_eq!(fixture.read("package.json"), package_json("1.3.0"));
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");
    let status = fixture.status();
    assert_eq!(
        step_states(&status),
        ["done", "done", "done", "done", "undone", "undone", "undone"],
        "{status:#}"
    );
    assert!(
        status["steps"][1]["message"]
            .as_str()
            .unwrap()
            .contains("is on the remote: kept"),
        "{status:#}"
    );
}

#[test]
fn a_persons_edits_and_staged_files_made_during_the_pause_survive_abort() {
    let fixture = Fixture::new(PAUSED_AFTER_COMMIT);
    let before = fixture.repo.head();
    fixture.relman(&["release"]).expect(3);
    // While the release waits: an edit to a file relman did not touch, a new file staged, an
    // edit staged.
    fixture.repo.write("greet.txt", "hello, world\n");
    fixture.repo.write("notes.txt", "to do\n");
    fixture.git(&["add", "notes.txt"]);
    fixture.repo.write("README.md", "# greeter\n");
    fixture.git(&["add", "README.md"]);

    fixture.relman(&["abort"]).expect(0);
    assert_eq!(fixture.repo.head(), before);
    assert_eq!(fixture.read("package.json"), package_json("1.2.3"));
    assert_eq!(fixture.read("CHANGELOG.md"), CHANGELOG);
    assert_eq!(fixture.read("greet.txt"), "hello, world\n");
    assert_eq!(fixture.read("notes.txt"), "to do\n");
    assert_eq!(
        fixture.git(&["status", "--porcelain"]),
        "A  README.md\n M greet.txt\nA  notes.txt"
    );
}

#[test]
fn abort_refuses_to_undo_a_file_a_person_changed_since_and_changes_nothing() {
    let fixture = Fixture::new(PAUSED_AFTER_COMMIT);
    fixture.relman(&["release"]).expect(3);
    let edited = fixture
        .read("CHANGELOG.md")
        .replace("All notable", "Every notable");
    fixture.repo.write("CHANGELOG.md", &edited);
    let journal = fixture.journal().unwrap();
    let before = snapshot(&fixture);

    let run = fixture.relman(&["abort"]);
    run.expect(2)
        .stderr_has(
            "error: `CHANGELOG.md` changed since relman wrote it: abort would lose that work, so it changed nothing",
        )
        .stderr_has("hint: keep your changes elsewhere");
    assert_unchanged(&before, &snapshot(&fixture));
    assert_eq!(fixture.journal().unwrap(), journal, "still in progress");

    // Once the file holds relman's bytes again, abort goes through.
    fixture.git(&["checkout", "HEAD", "--", "CHANGELOG.md"]);
    fixture.relman(&["abort"]).expect(0);
    assert_eq!(fixture.read("CHANGELOG.md"), CHANGELOG);
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");
}

/// A pre-commit hook says no: the commit step fails with nothing staged, and abort leaves the
/// index as it was before the release (the person's staged file still staged).
#[test]
fn a_failed_commit_leaves_nothing_staged_and_abort_restores_the_index() {
    let fixture = Fixture::new(PAUSED_AFTER_COMMIT);
    fixture
        .repo
        .write("notes.txt", "staged before the release\n");
    fixture.git(&["add", "notes.txt"]);
    write_executable(
        &fixture.path().join(".git/hooks/pre-commit"),
        "#!/bin/sh\necho 'lint: trailing whitespace' >&2\nexit 1\n",
    );
    fixture.relman(&["release"]).expect(1);
    assert_eq!(
        fixture.git(&["status", "--porcelain"]),
        " M CHANGELOG.md\nA  notes.txt\n M package.json"
    );

    fixture.relman(&["abort"]).expect(0);
    assert_eq!(fixture.read("package.json"), package_json("1.2.3"));
    assert_eq!(fixture.git(&["status", "--porcelain"]), "A  notes.txt");
    assert_eq!(
        step_states(&fixture.status()),
        ["undone", "undone", "undone", "pending"]
    );
}

/// What the person staged before the release is not in the release commit, and is still staged
/// afterwards; the plan says the commit takes only its files.
#[test]
fn the_release_commit_takes_only_what_the_steps_changed() {
    let fixture = Fixture::new(PAUSED_AFTER_COMMIT);
    fixture
        .repo
        .write("notes.txt", "staged before the release\n");
    fixture.git(&["add", "notes.txt"]);
    fixture.repo.write("greet.txt", "hello, world\n");
    fixture.git(&["add", "greet.txt"]);

    fixture
        .relman(&["plan", "release"])
        .expect(0)
        .stdout_has(
            "commit package.json, CHANGELOG.md: only these; what is staged already stays staged, out of the commit",
        )
        .stdout_has("git commit --only -m 'Release 1.3.0' -- package.json CHANGELOG.md");
    fixture.relman(&["release"]).expect(3);
    assert_eq!(
        fixture.git(&["show", "--name-only", "--format=", "HEAD"]),
        "CHANGELOG.md\npackage.json"
    );
    assert_eq!(
        fixture.git(&["status", "--porcelain"]),
        "M  greet.txt\nA  notes.txt"
    );

    // And abort keeps them staged.
    fixture.relman(&["abort"]).expect(0);
    assert_eq!(
        fixture.git(&["status", "--porcelain"]),
        "M  greet.txt\nA  notes.txt"
    );
    assert_eq!(fixture.read("greet.txt"), "hello, world\n");
}
