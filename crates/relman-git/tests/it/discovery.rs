//! Finding the repository from a directory without git: subdirectories, linked worktrees,
//! submodules, bare repositories, explicit GIT_DIR, and shallow clones.

use relman_git::{GitError, Head, Repository};
use relman_testkit::TestRepo;

use crate::{open, open_at};

#[test]
fn discovers_from_a_subdirectory() {
    let repo = TestRepo::new();
    repo.write("a/b/c.txt", "x");
    let git = open_at(&repo, &repo.path().join("a/b"));
    assert_eq!(git.work_tree(), Some(repo.path()));
    assert_eq!(git.git_dir(), repo.path().join(".git"));
    assert_eq!(git.common_dir(), repo.path().join(".git"));
    // A file as the start works too.
    let git = Repository::discover(&repo.path().join("a/b/c.txt")).unwrap();
    assert_eq!(git.work_tree(), Some(repo.path()));
}

#[test]
fn discovers_a_linked_worktree_and_shares_its_tags() {
    let repo = TestRepo::new();
    repo.commit("first");
    repo.tag("v1.0.0");
    let worktree = repo.root().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "--quiet",
        "-b",
        "feature",
        &worktree.to_string_lossy(),
    ]);
    repo.write("../wt/sub/x.txt", "x");

    let git = open_at(&repo, &worktree.join("sub"));
    assert_eq!(git.work_tree(), Some(worktree.as_path()));
    assert_eq!(git.git_dir(), repo.path().join(".git/worktrees/wt"));
    assert_eq!(git.common_dir(), repo.path().join(".git"));
    assert_eq!(git.current_branch().unwrap().as_deref(), Some("feature"));
    assert_eq!(git.tag_names().unwrap(), ["v1.0.0"]);
    // Commands run in the worktree, not in the main checkout.
    repo.git_in(
        &worktree,
        &["commit", "--quiet", "--allow-empty", "-m", "on feature"],
    );
    assert_eq!(
        git.head_sha().unwrap(),
        repo.git_in(&worktree, &["rev-parse", "HEAD"])
    );
    assert_ne!(git.head_sha().unwrap(), repo.head());
}

#[test]
fn discovers_a_submodule() {
    let repo = TestRepo::new();
    repo.commit("first");
    repo.push(&["main"]);
    repo.git(&["submodule", "add", "--quiet", &repo.remote_url(), "sub"]);

    let git = open_at(&repo, &repo.path().join("sub"));
    assert_eq!(git.work_tree(), Some(repo.path().join("sub").as_path()));
    assert_eq!(git.git_dir(), repo.path().join(".git/modules/sub"));
    let remote_main = repo.git_in(repo.remote_path(), &["rev-parse", "main"]);
    assert_eq!(git.head_sha().unwrap(), remote_main);
}

#[test]
fn discovers_a_bare_repository_and_opens_an_explicit_git_dir() {
    let repo = TestRepo::new();
    repo.commit("first");
    repo.push(&["main"]);
    let bare = Repository::discover(repo.remote_path()).unwrap();
    assert_eq!(bare.work_tree(), None);
    assert_eq!(bare.git_dir(), repo.remote_path());

    // GIT_DIR/GIT_WORK_TREE as a caller passes them, from an unrelated current directory.
    let git = Repository::open(&repo.path().join(".git"), Some(repo.path()))
        .unwrap()
        .with_envs(repo.env_vars());
    assert_eq!(git.rev_parse("HEAD").unwrap(), repo.head());
    assert!(git.status().unwrap().is_clean());
}

#[test]
fn outside_any_repository_is_an_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let error = Repository::discover(dir.path()).unwrap_err();
    assert!(matches!(error, GitError::NotARepository { .. }), "{error}");
    assert!(error.hint().unwrap().contains("git init"));
}

#[test]
fn unborn_branch_has_no_commits() {
    let repo = TestRepo::new();
    let git = open(&repo);
    assert_eq!(
        git.head().unwrap(),
        Head::Branch {
            name: "main".to_owned(),
            commit: None
        }
    );
    assert_eq!(git.current_branch().unwrap().as_deref(), Some("main"));
    let error = git.head_sha().unwrap_err();
    assert_eq!(
        error.to_string(),
        "repository has no commits (branch `main` is unborn)"
    );
    assert!(error.hint().is_some());
}

#[test]
fn detects_a_shallow_clone() {
    let repo = TestRepo::new();
    for index in 0..3 {
        repo.commit(&format!("commit {index}"));
    }
    repo.push(&["main"]);
    assert!(!open(&repo).is_shallow());
    let shallow = repo.clone_remote("shallow", &["--depth=1"]);
    let git = open_at(&repo, &shallow);
    assert!(git.is_shallow());
    let error = git
        .history(|_| std::ops::ControlFlow::<()>::Continue(()))
        .unwrap_err();
    assert!(matches!(error, GitError::Shallow { .. }), "{error}");
    let hint = error.hint().unwrap();
    assert!(hint.contains("git fetch --unshallow") && hint.contains("fetch-depth: 0"));

    git.unshallow("origin").unwrap();
    assert!(!git.is_shallow());
}
