//! Remotes: URL, default branch, ls-remote, fetch, and pushes refused by a hook or for being
//! behind, with secrets kept out of the errors.

use relman_git::{GitError, RejectReason};
use relman_testkit::TestRepo;

use crate::{open, open_at};

#[test]
fn remote_url_head_branch_and_ls_remote() {
    let repo = TestRepo::new();
    let first = repo.commit("one");
    repo.tag_annotated("v1.0.0", "release");
    repo.push(&["main", "v1.0.0"]);
    let git = open(&repo);

    assert_eq!(git.remote_url("origin").unwrap(), Some(repo.remote_url()));
    assert_eq!(git.remote_url("upstream").unwrap(), None);
    // No refs/remotes/origin/HEAD here: asked from the remote.
    assert_eq!(
        git.remote_head_branch("origin").unwrap().as_deref(),
        Some("main")
    );
    // A clone records it locally.
    let clone = repo.clone_remote("clone", &[]);
    let cloned = open_at(&repo, &clone);
    assert_eq!(
        cloned.remote_head_branch("origin").unwrap().as_deref(),
        Some("main")
    );

    let refs = git.ls_remote("origin", &["refs/tags/v1.0.0"]).unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].name, "refs/tags/v1.0.0");
    assert_eq!(refs[0].commit(), first);
    assert_ne!(refs[0].target, first, "the annotated tag object");
    assert!(
        git.ls_remote("origin", &["refs/tags/v9"])
            .unwrap()
            .is_empty()
    );
    assert_eq!(git.ls_remote("origin", &[]).unwrap().len(), 3); // HEAD, main, tag
}

#[test]
fn fetch_updates_remote_tracking_refs() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.push(&["main"]);
    let clone = repo.clone_remote("clone", &[]);
    repo.git_in(
        &clone,
        &["commit", "--quiet", "--allow-empty", "-m", "from clone"],
    );
    repo.git_in(&clone, &["push", "--quiet", "origin", "main"]);
    let remote_main = repo.git_in(&clone, &["rev-parse", "HEAD"]);

    let git = open(&repo);
    git.fetch("origin", &[]).unwrap();
    assert_eq!(repo.git(&["rev-parse", "origin/main"]), remote_main);
    git.fetch("origin", &["+refs/heads/main:refs/remotes/origin/copy"])
        .unwrap();
    assert_eq!(repo.git(&["rev-parse", "origin/copy"]), remote_main);
}

#[test]
fn push_sets_upstream_and_is_atomic() {
    let repo = TestRepo::new();
    let sha = repo.commit("one");
    repo.tag("v1.0.0");
    let git = open(&repo);
    git.push("origin", &["main", "v1.0.0"], true, true).unwrap();
    assert_eq!(repo.git_in(repo.remote_path(), &["rev-parse", "main"]), sha);
    assert_eq!(
        repo.git_in(repo.remote_path(), &["rev-parse", "v1.0.0"]),
        sha
    );
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "main@{upstream}"]),
        "origin/main"
    );
}

#[test]
fn push_rejected_by_a_pre_receive_hook_shows_its_message() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.tag("v1.0.0");
    repo.reject_pushes("releases are frozen until Monday");
    let git = open(&repo);
    let error = git
        .push("origin", &["main", "v1.0.0"], true, false)
        .unwrap_err();
    let GitError::PushRejected(rejection) = &error else {
        panic!("expected a rejection, got {error}");
    };
    assert_eq!(rejection.remote, "origin");
    assert!(
        rejection
            .rejected
            .iter()
            .any(|r| r.remote == "refs/heads/main"
                && r.reason == RejectReason::Remote("pre-receive hook declined".to_owned())),
        "{:?}",
        rejection.rejected
    );
    assert_eq!(
        rejection.remote_messages,
        ["releases are frozen until Monday"]
    );
    let text = error.to_string();
    assert!(
        text.contains("remote: releases are frozen until Monday"),
        "{text}"
    );
    assert!(error.hint().unwrap().contains("hook"));
    assert!(
        repo.git_in(repo.remote_path(), &["tag"]).is_empty(),
        "atomic: nothing landed"
    );
}

#[test]
fn push_behind_the_remote_is_rejected_with_a_hint() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.push(&["main"]);
    let clone = repo.clone_remote("clone", &[]);
    repo.git_in(
        &clone,
        &["commit", "--quiet", "--allow-empty", "-m", "elsewhere"],
    );
    repo.git_in(&clone, &["push", "--quiet", "origin", "main"]);
    repo.commit("here");
    let git = open(&repo);
    git.fetch("origin", &[]).unwrap();

    let error = git.push("origin", &["main"], false, false).unwrap_err();
    let GitError::PushRejected(rejection) = &error else {
        panic!("expected a rejection, got {error}");
    };
    assert_eq!(rejection.rejected.len(), 1);
    assert_eq!(rejection.rejected[0].reason, RejectReason::NonFastForward);
    assert!(error.hint().unwrap().contains("git pull --rebase"));
}

#[test]
fn secrets_never_reach_error_messages() {
    let repo = TestRepo::new();
    repo.commit("one");
    let git = open(&repo).with_config(
        "credential.helper",
        "!f() { echo password=s3cret-token; }; f",
    );
    // Nothing listens on port 9 of loopback: the push fails at once.
    let error = git
        .push(
            "https://user:s3cret-token@127.0.0.1:9/o/r.git",
            &["main"],
            false,
            false,
        )
        .unwrap_err();
    let text = format!("{error} {:?}", error.hint());
    assert!(!text.contains("s3cret"), "{text}");
    assert!(text.contains("credential.helper=***"), "{text}");
    assert!(text.contains("https://***@127.0.0.1:9/o/r.git"), "{text}");
}
