//! Git steps after a crash: a push whose local bookkeeping was cut short, a push that went
//! through while relman was gone, and the `{changelog}` a resumed release carries on with.

use relman_testkit::write_executable;

use crate::remote_support::{Fixture, outputs};

const PROJECT: &str = r#"[project]
name = "app"
tag = "v{version}"
scheme = "semver"
version-files = ["VERSION"]
"#;

fn release_branch() -> Fixture {
    Fixture::new(&format!(
        r#"{PROJECT}
[[workflow.ship.step]]
branch = "release/{{major}}.{{minor}}"

[[workflow.ship.step]]
tag = "{{tag}}"
message = "Release {{version}}"

[[workflow.ship.step]]
push = ["branch", "tag"]
"#
    ))
}

fn upstream(fixture: &Fixture) -> String {
    fixture
        .repo
        .git(&["rev-parse", "--abbrev-ref", "release/1.2@{upstream}"])
}

#[test]
fn a_push_whose_bookkeeping_was_cut_short_gets_its_upstream_on_resume() {
    let fixture = release_branch();
    fixture.run("ship").assert_done();
    assert_eq!(upstream(&fixture), "origin/release/1.2");
    // Killed after the remote took the refs, before git wrote the upstream and tracking ref.
    let repo = &fixture.repo;
    repo.git(&["config", "--unset", "branch.release/1.2.remote"]);
    repo.git(&["config", "--unset", "branch.release/1.2.merge"]);
    repo.git(&["update-ref", "-d", "refs/remotes/origin/release/1.2"]);
    fixture.crash_at(3, None);
    fixture.resume(false).assert_done();
    assert_eq!(upstream(&fixture), "origin/release/1.2");
    assert_eq!(
        repo.git(&["rev-parse", "origin/release/1.2"]),
        repo.git_in(repo.remote_path(), &["rev-parse", "release/1.2"])
    );
    assert_eq!(
        outputs(&fixture, 3)["refs"],
        "refs/heads/release/1.2 refs/tags/v1.2.3"
    );
}

#[test]
fn a_push_refused_because_the_remote_has_the_refs_already_is_done() {
    let fixture = release_branch();
    // The remote takes the refs, then refuses the push: what a relman sees when the push of a
    // relman killed a moment ago went through first.
    write_executable(
        &fixture.repo.remote_path().join("hooks/pre-receive"),
        concat!(
            "#!/bin/sh\n",
            "# Another pusher: the objects leave the quarantine, the refs are updated, and this\n",
            "# push is refused as the loser of a race is.\n",
            "cp -R \"$GIT_OBJECT_DIRECTORY\"/. objects/\n",
            "while read old new ref; do\n",
            "  env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \\\n",
            "    git update-ref \"$ref\" \"$new\"\n",
            "done\n",
            "echo 'cannot lock ref: reference already exists' >&2\n",
            "exit 1\n",
        ),
    );
    fixture.run("ship").assert_done();
    let journal = fixture.journal();
    assert!(
        journal.steps[2]
            .output_tail
            .iter()
            .any(|line| line.contains("an interrupted push went through")),
        "{:?}",
        journal.steps[2].output_tail
    );
    assert_eq!(upstream(&fixture), "origin/release/1.2");

    // Refused with the remote lacking them: that is a failure.
    let fixture = release_branch();
    fixture.repo.reject_pushes("frozen");
    let (step, message, _) = fixture.run("ship").failed();
    assert_eq!(step, 3);
    assert!(
        message.contains("frozen") || message.contains("rejected"),
        "{message}"
    );
}

#[test]
fn a_resumed_release_carries_on_with_the_same_changelog_section() {
    let fixture = Fixture::new(&format!(
        r#"{PROJECT}
[[workflow.ship.step]]
changelog = "update"
"#
    ));
    fixture.run("ship").assert_done();
    let fresh = outputs(&fixture, 1)["changelog"].clone();
    assert!(
        fresh.starts_with("## [1.2.3]") || fresh.starts_with("## 1.2.3"),
        "{fresh}"
    );
    // Killed after the file was written: the probe finds the section, heading and all.
    fixture.crash_at(1, None);
    fixture.resume(false).assert_done();
    assert_eq!(outputs(&fixture, 1)["changelog"], fresh);
}

#[test]
fn git_locks_left_by_a_killed_relman_are_removed_when_its_lock_is_taken_over() {
    let fixture = Fixture::new(&format!(
        r#"{PROJECT}
[[workflow.ship.step]]
changelog = "update"

[[workflow.ship.step]]
commit = "Release {{version}}"
"#
    ));
    // A git command of the killed relman died holding the index.
    let index_lock = fixture.repo.path().join(".git/index.lock");
    fs_err::write(&index_lock, "").unwrap();
    let (step, message, _) = fixture.run("ship").failed();
    assert_eq!(step, 2);
    assert!(message.contains("index.lock"), "{message}");
    // Without a takeover (the last relman ended cleanly), a lock may be someone else's: kept.
    let ran = fixture.resume(false);
    ran.failed();
    assert!(index_lock.exists());

    // The relman that held the release was killed: its pid is still in the lock file.
    fs_err::write(fixture.repo.path().join(".git/relman/lock"), "4194303\n").unwrap();
    let ran = fixture.resume(false);
    ran.assert_done();
    assert!(!index_lock.exists());
    let warnings: Vec<String> = ran
        .events
        .iter()
        .filter_map(|event| match event {
            relman_engine::report::Event::Warning { message } => Some(message.clone()),
            _ => None,
        })
        .collect();
    assert!(
        warnings
            .iter()
            .any(|warning| warning.contains("removed `.git/index.lock`")),
        "{warnings:?}"
    );
    assert_eq!(
        fixture.repo.git(&["log", "-1", "--format=%s"]),
        "Release 1.2.3"
    );
}

#[test]
fn a_second_commit_stages_only_what_changed_after_the_first() {
    let fixture = Fixture::new(&format!(
        r#"{PROJECT}
[[workflow.ship.step]]
bump = "patch"

[[workflow.ship.step]]
changelog = "update"

[[workflow.ship.step]]
commit = "Release {{version}}"

[[workflow.ship.step]]
bump = "preminor"

[[workflow.ship.step]]
commit = "Start {{dev_version}}"
"#
    ));
    let plan = fixture.plan("ship");
    let text = crate::remote_support::effects_text(&plan, 5);
    assert!(text.contains("commit VERSION"), "{text}");
    assert!(!text.contains("CHANGELOG.md"), "{text}");
    fixture.start(&plan).assert_done();
    let repo = &fixture.repo;
    assert_eq!(
        repo.git(&["show", "--format=%s", "--name-only", "HEAD"]),
        "Start 1.3.0-alpha.0\n\nVERSION"
    );
    assert_eq!(
        repo.git(&["show", "--format=%s", "--name-only", "HEAD~1"]),
        "Release 1.2.4\n\nCHANGELOG.md\nVERSION"
    );
}
