//! Releases that stop for a person and go on with `relman resume`: a cherry-pick or a merge that
//! conflicts, a manual step without a terminal, a command relman cannot tell finished, a push a
//! hook rejects.

use relman_testkit::write_executable;

use crate::support::*;

#[test]
fn a_cherry_pick_conflict_pauses_and_resume_continues_after_the_user_resolves_it() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.pick]
args = [{ name = "commits" }]

[[workflow.pick.step]]
cherry-pick = "{args.commits}"

[[workflow.pick.step]]
bump = "patch"

[[workflow.pick.step]]
commit = "Release {version}"
"#,
    );
    let repo = &fixture.repo;
    repo.git(&["switch", "--quiet", "--create", "topic"]);
    let clash = repo.commit_file("greet.txt", "hi\n", "fix: say hi");
    let clean = repo.commit_file("extra.txt", "extra\n", "fix: add extra");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit_file("greet.txt", "hey\n", "fix: say hey");
    let before = repo.head();

    let run = fixture.relman(&["pick", &format!("{clash} {clean}")]);
    run.expect(3).stderr_has(&format!(
        "cherry-picking {} conflicts in greet.txt: resolve the conflicts, `git add` the files, then `relman resume` (relman continues the cherry-pick)",
        &clash[..7]
    ));
    assert_eq!(fixture.journal().unwrap()["state"], "paused");

    // Not resolved yet: still paused, nothing committed.
    fixture
        .relman(&["resume"])
        .expect(3)
        .stderr_has("conflicts in greet.txt");
    assert_eq!(repo.head(), before);

    repo.write("greet.txt", "hi and hey\n");
    repo.git(&["add", "greet.txt"]);
    fixture.relman(&["resume"]).expect(0);

    assert_eq!(
        fixture.subjects(&format!("{before}..HEAD")),
        ["Release 1.2.4", "fix: add extra", "fix: say hi"]
    );
    let bodies = fixture.git(&["log", "--format=%B", &format!("{before}..HEAD~1")]);
    assert!(
        bodies.contains(&format!("(cherry picked from commit {clash})")),
        "{bodies}"
    );
    assert!(
        bodies.contains(&format!("(cherry picked from commit {clean})")),
        "{bodies}"
    );
    assert_eq!(fixture.read("greet.txt"), "hi and hey\n");
    assert_eq!(fixture.read("extra.txt"), "extra\n");
    assert_eq!(fixture.read("package.json"), package_json("1.2.4"));
    assert!(!fixture.path().join(".git/CHERRY_PICK_HEAD").exists());
    assert_eq!(fixture.history()[0]["state"], "done");
}

#[test]
fn a_merge_conflict_pauses_until_the_user_commits_the_merge() {
    let fixture = Fixture::new(
        r#"
[workflow.back]
[[workflow.back.step]]
merge = "main"

[[workflow.back.step]]
push = "branch"
"#,
    );
    let repo = &fixture.repo;
    repo.git(&["switch", "--quiet", "--create", "release/1.2"]);
    let release = repo.commit_file("greet.txt", "hello from 1.2\n", "fix: greet from 1.2");
    repo.git(&["switch", "--quiet", "main"]);
    let main = repo.commit_file("greet.txt", "hello from main\n", "feat: greet from main");
    repo.git(&["switch", "--quiet", "release/1.2"]);

    let run = fixture.relman(&["back"]);
    run.expect(3).stderr_has(
        "merging `release/1.2` into `main` conflicts in greet.txt: resolve them, `git add` them and `git commit`, then `relman resume`",
    );
    assert_eq!(fixture.git(&["branch", "--show-current"]), "main");

    repo.write("greet.txt", "hello from both\n");
    repo.git(&["add", "greet.txt"]);
    repo.git(&["commit", "--quiet", "--no-edit"]);
    fixture.relman(&["resume"]).expect(0);

    let merge = repo.head();
    assert_eq!(
        fixture.git(&["rev-list", "--parents", "-1", "HEAD"]),
        format!("{merge} {main} {release}")
    );
    assert_eq!(fixture.remote_refs()["refs/heads/main"], merge);
    assert_eq!(fixture.history()[0]["state"], "done");
}

#[test]
fn a_manual_step_pauses_without_a_terminal_until_resume_confirm() {
    let fixture = Fixture::new(
        r#"
[workflow.announce]
[[workflow.announce.step]]
manual = "Email the team about {version}"
checklist = ["the mailing list", "the chat room"]

[[workflow.announce.step]]
run = ["sh", "-c", "echo announced >> ../announced"]
"#,
    );
    let run = fixture.relman(&["announce"]);
    run.expect(3)
        .stderr_has("⏸ 1. manual: Email the team about 1.2.3")
        .stdout_has(
            "Paused at step 1 (manual: Email the team about 1.2.3):\n  Email the team about 1.2.3\n    - the mailing list\n    - the chat room\n  when it is done: relman resume --confirm",
        );
    // Without --confirm it asks again.
    fixture
        .relman(&["resume"])
        .expect(3)
        .stderr_has("Email the team about 1.2.3");
    assert!(!fixture.path().join("../announced").exists());
    let status = fixture.relman(&["status"]);
    status
        .expect(0)
        .stdout_has("announce 1.2.3 (v1.2.3): paused");

    fixture
        .relman(&["resume", "--confirm"])
        .expect(0)
        .stderr_has("confirmed with `relman resume --confirm`");
    assert_eq!(fixture.repo.read("../announced"), "announced\n");
    assert_eq!(step_states(&fixture.history()[0]), ["done", "done"]);
}

#[test]
fn a_command_interrupted_without_idempotent_pauses_for_a_person() {
    let fixture = Fixture::new(
        r#"
[workflow.upload]
[[workflow.upload.step]]
name = "upload"
# Uploads once, then relman dies before it can record that.
run = ["sh", "-c", "echo uploaded >> ../uploads; if [ ! -e ../crashed ]; then touch ../crashed; kill -9 $PPID; sleep 5; fi"]

[[workflow.upload.step]]
run = ["sh", "-c", "echo after >> ../uploads"]
"#,
    );
    let run = fixture.relman(&["upload"]);
    assert!(run.killed(), "{run}");
    // (Resume would wait for the command the killed relman started, still in its `sleep 5`.)
    fixture.wait_for_step_command(1);
    let run = fixture.relman(&["resume"]);
    run.expect(3)
        .stderr_has("warning: took over the release lock of relman pid")
        .stderr_has("relman stopped while this step was running and cannot tell whether it finished; check by hand, then `relman resume --confirm` if it did (or mark the step `idempotent = true` to have it run again)");
    assert_eq!(fixture.repo.read("../uploads"), "uploaded\n");

    // The person checked: it did upload. Confirming does not run it again.
    fixture.relman(&["resume", "--confirm"]).expect(0);
    assert_eq!(fixture.repo.read("../uploads"), "uploaded\nafter\n");
}

#[test]
fn a_push_rejected_by_a_hook_fails_and_resumes_once_the_hook_is_gone() {
    let fixture = Fixture::new(crate::release::RELEASE);
    let before = fixture.remote_refs();
    fixture
        .repo
        .reject_pushes("releases are frozen until Monday");

    let run = fixture.relman(&["release"]);
    run.expect(1)
        .stderr_has("✗ 9. push branch and tag")
        .stderr_has("error: step 9 (push branch and tag) failed: push to `origin` was rejected:")
        .stderr_has("`refs/heads/main`: remote rejected: pre-receive hook declined")
        .stderr_has("remote: releases are frozen until Monday")
        .stderr_has("hint: a hook on the remote refused the push; its message is shown above");
    assert_eq!(fixture.remote_refs(), before);
    assert_eq!(fixture.journal().unwrap()["state"], "failed");
    assert_eq!(fixture.subjects("HEAD")[0], "Release 1.3.0");

    fs_err::remove_file(fixture.repo.remote_path().join("hooks/pre-receive")).unwrap();
    fixture.relman(&["resume"]).expect(0);
    let head = fixture.git(&["rev-parse", "HEAD"]);
    let remote = fixture.remote_refs();
    assert_eq!(remote["refs/heads/main"], head);
    assert_eq!(remote["refs/tags/v1.3.0^{}"], head);
    assert_eq!(
        fixture.subjects("HEAD"),
        [
            "Release 1.3.0",
            "feat: greet people",
            "chore: start the project"
        ]
    );
}

/// Branch and tag go in one atomic push: when the remote refuses the tag, it does not get the
/// branch either.
#[test]
fn branch_and_tag_are_pushed_atomically() {
    let fixture = Fixture::new(crate::release::RELEASE);
    let before = fixture.remote_refs();
    write_executable(
        &fixture.repo.remote_path().join("hooks/update"),
        "#!/bin/sh\ncase $1 in refs/tags/*) echo \"tags are protected\" >&2; exit 1;; esac\n",
    );
    fixture
        .relman(&["release"])
        .expect(1)
        .stderr_has("remote: tags are protected");
    assert_eq!(fixture.remote_refs(), before);
}
