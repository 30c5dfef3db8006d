//! Real I/O faults and what relman says about them: a read-only `.git` (a read-only bind mount),
//! a disk that fills up half-way through a release and a full disk under the lock (a tiny tmpfs
//! on `.git/relman`). Each is made in a private mount namespace (`unshare`) that ends with the
//! command, so nothing is left mounted. The contract: the error says what failed and why; exit 4
//! ("another release") only for another release; exit 2 ("nothing was changed") only when
//! nothing was; after files changed, exit 1 and `resume` finishes the release.

use crate::release::RELEASE;
use crate::support::*;

/// Runs `script` (sh) in a private mount namespace in the work tree, with `$RELMAN` set to the
/// binary. Returns its stdout, stderr and status like a relman run.
fn in_namespace(fixture: &Fixture, script: &str) -> Run {
    let output = fixture
        .sealed("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", script])
        .env("RELMAN", RELMAN)
        .output()
        .expect("run unshare");
    let run = Run::from_output(&["(in a mount namespace)"], output);
    assert!(
        !run.stderr.contains("unshare:") && !run.stderr.contains("mount:"),
        "the fault could not be set up:\n{run}"
    );
    run
}

#[test]
fn a_read_only_git_dir_is_an_io_error_not_another_release() {
    if !relman_testkit::require_mount_namespace() {
        return;
    }
    let fixture = Fixture::new(RELEASE);
    let before = snapshot(&fixture);
    let run = in_namespace(
        &fixture,
        r#"mount --bind -o ro .git .git && exec "$RELMAN" release"#,
    );
    let lock = fixture.path().join(".git/relman/lock");
    run.expect(2)
        .stderr_has(&format!(
            "error: cannot lock `{}`: failed to create directory `{}`",
            lock.display(),
            lock.parent().unwrap().display()
        ))
        .stderr_has("Read-only file system")
        .stderr_has("hint: the file system is read-only: relman keeps its lock and journal in `.git/relman` and must be able to write there");
    assert!(!run.stderr.contains("another relman"), "{run}");
    assert_unchanged(&before, &snapshot(&fixture));

    // A paused release cannot be resumed from a read-only `.git` either, and says why.
    let pausing = RELEASE.replace(
        "[[workflow.release.step]]\npush",
        "[[workflow.release.step]]\nmanual = \"Check the tag\"\n\n[[workflow.release.step]]\npush",
    );
    fixture.repo.write("relman.toml", pausing);
    fixture.repo.commit("chore: check the tag by hand");
    fixture.repo.push(&["main"]);
    fixture.relman(&["release"]).expect(3);
    let run = in_namespace(
        &fixture,
        r#"mount --bind -o ro .git .git && exec "$RELMAN" resume --confirm"#,
    );
    run.expect(2)
        .stderr_has(&format!("error: cannot lock `{}`", lock.display()))
        .stderr_has("Read-only file system");
    fixture.relman(&["resume", "--confirm"]).expect(0);
}

#[test]
fn a_disk_full_half_way_exits_1_keeps_the_journal_and_resume_finishes() {
    if !relman_testkit::require_mount_namespace() {
        return;
    }
    // The third step fills the disk that holds the journal (once), so recording it fails after
    // the bump has changed package.json.
    let config = r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
name = "build"
run = ["sh", "-c", "if [ ! -e ../filled ]; then touch ../filled; cat /dev/zero > .git/relman/filler; fi; true"]
idempotent = true

[[workflow.release.step]]
tag = "{tag}"
"#;
    let fixture = Fixture::new(config);
    fixture.repo.commit("chore: configure relman");
    fixture.repo.push(&["main"]);
    let journal = fixture.path().join(".git/relman/journal.json");
    // Both commands in one namespace: the tmpfs (and the journal on it) lives as long as it.
    let run = in_namespace(
        &fixture,
        r#"mkdir -p .git/relman && mount -t tmpfs -o size=512k tmpfs .git/relman
"$RELMAN" release; echo "first exit $?" >&2
rm -f .git/relman/filler
"$RELMAN" resume; echo "second exit $?" >&2"#,
    );
    run.stderr_has("first exit 1")
        .stderr_has(&format!(
            "error: cannot write the journal `{}`",
            journal.display()
        ))
        .stderr_has("No space left on device")
        .stderr_has("; the release stopped here")
        .stderr_has("hint: the disk is full: free some space, then try again; then `relman resume` continues the release")
        .stderr_has("second exit 0");
    assert!(!run.stderr.contains("Nothing was changed"), "{run}");
    assert_eq!(fixture.read("package.json"), package_json("1.3.0"));
    assert_eq!(fixture.git(&["tag", "--list", "v1.3.0"]), "v1.3.0");
}

#[test]
fn a_full_disk_under_the_lock_is_an_io_error_not_another_release() {
    if !relman_testkit::require_mount_namespace() {
        return;
    }
    let fixture = Fixture::new(RELEASE);
    let before = snapshot(&fixture);
    let run = in_namespace(
        &fixture,
        r#"mkdir -p .git/relman && mount -t tmpfs -o size=64k tmpfs .git/relman
cat /dev/zero > .git/relman/filler 2>/dev/null
exec "$RELMAN" release"#,
    );
    run.expect(2)
        .stderr_has(&format!(
            "error: cannot lock `{}`",
            fixture.path().join(".git/relman/lock").display()
        ))
        .stderr_has("No space left on device")
        .stderr_has("hint: the disk is full: free some space, then try again");
    assert!(!run.stderr.contains("another relman"), "{run}");
    // The tmpfs is gone with the namespace; the repository is as it was (but the empty folder
    // the mount point needed).
    let mut after = snapshot(&fixture);
    after.files.remove(".git/relman/");
    assert_unchanged(&before, &after);
}
