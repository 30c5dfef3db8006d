//! Writes through the git CLI: staging, commits (hooks run), tags, branches and resets.

use relman_git::{Annotation, GitError};
use relman_testkit::{TestRepo, write_executable};

use crate::open;

#[test]
fn add_commit_and_the_new_sha() {
    let repo = TestRepo::new();
    repo.commit("initial");
    let git = open(&repo);
    repo.write("CHANGELOG.md", "# Changelog\n\n## 1.0.0\n");
    repo.write("weird *name.txt", "literal");
    git.add(&["CHANGELOG.md", "weird *name.txt"]).unwrap();
    // A message starting with `#` and `-` survives: it goes through stdin, whitespace cleanup only.
    let sha = git
        .commit("Release 1.0.0\n\n# not a comment\n-x\n", Some(false))
        .unwrap();
    assert_eq!(sha, repo.head());
    assert_eq!(
        repo.git(&["log", "-1", "--format=%B"]),
        "Release 1.0.0\n\n# not a comment\n-x"
    );
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "CHANGELOG.md\nweird *name.txt"
    );
}

#[test]
fn commit_runs_hooks_and_reports_their_failure() {
    let repo = TestRepo::new();
    repo.commit("initial");
    write_executable(
        &repo.path().join(".git/hooks/pre-commit"),
        "#!/bin/sh\necho 'version files disagree' >&2\nexit 1\n",
    );
    let git = open(&repo);
    repo.write("a.txt", "a");
    git.add(&["a.txt"]).unwrap();
    let error = git.commit("chore: x", None).unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("`git commit --quiet"), "{text}");
    assert!(text.ends_with("version files disagree"), "{text}");
}

#[test]
fn rm_and_rm_cached() {
    let repo = TestRepo::new();
    repo.write("CHANGELOG.d/1.feature.md", "x");
    repo.write("CHANGELOG.d/2.bugfix.md", "y");
    repo.commit("fragments");
    let git = open(&repo);
    git.rm(&["CHANGELOG.d/1.feature.md"]).unwrap();
    git.rm_cached(&["CHANGELOG.d/2.bugfix.md"]).unwrap();
    assert!(!repo.path().join("CHANGELOG.d/1.feature.md").exists());
    assert!(repo.path().join("CHANGELOG.d/2.bugfix.md").exists());
    let status = git.status().unwrap();
    assert_eq!(status.staged.len(), 2);
    assert_eq!(status.untracked.len(), 1);
}

#[test]
fn tags_of_each_kind_and_deletion() {
    let repo = TestRepo::new();
    let first = repo.commit("one");
    repo.commit("two");
    let git = open(&repo);
    git.tag("v1.0.0", &first, &Annotation::Lightweight).unwrap();
    git.tag(
        "v1.1.0",
        "HEAD",
        &Annotation::Annotated {
            message: "Release 1.1.0\n\n## Features\n- x\n".to_owned(),
        },
    )
    .unwrap();
    assert_eq!(repo.git(&["cat-file", "-t", "v1.0.0"]), "commit");
    assert_eq!(repo.git(&["rev-parse", "v1.0.0"]), first);
    assert_eq!(repo.git(&["cat-file", "-t", "v1.1.0"]), "tag");
    assert_eq!(
        repo.git(&["tag", "-l", "--format=%(contents)", "v1.1.0"]),
        "Release 1.1.0\n\n## Features\n- x"
    );
    let error = git
        .tag("v1.0.0", "HEAD", &Annotation::Lightweight)
        .unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
    git.delete_tag("v1.0.0").unwrap();
    assert!(!git.tag_exists("v1.0.0").unwrap());
    assert!(matches!(
        git.tag("-f", "HEAD", &Annotation::Lightweight).unwrap_err(),
        GitError::UnknownRevision { .. }
    ));
}

#[test]
fn branches_switch_and_resets() {
    let repo = TestRepo::new();
    let first = repo.commit_file("a.txt", "1", "one");
    let second = repo.commit_file("a.txt", "2", "two");
    let git = open(&repo);
    git.create_branch("release/1.0", &first).unwrap();
    assert_eq!(repo.git(&["rev-parse", "release/1.0"]), first);
    assert_eq!(git.current_branch().unwrap().as_deref(), Some("main"));
    git.switch("release/1.0").unwrap();
    assert_eq!(
        git.current_branch().unwrap().as_deref(),
        Some("release/1.0")
    );
    assert_eq!(repo.read("a.txt"), "1");
    git.switch("main").unwrap();
    git.delete_branch("release/1.0").unwrap();
    assert_eq!(git.branch_names().unwrap(), ["main"]);

    git.reset_soft(&first).unwrap();
    assert_eq!(repo.head(), first);
    assert_eq!(
        git.status().unwrap().staged.len(),
        1,
        "the undone change stays staged"
    );
    git.move_branch("main", &second, &first).unwrap();
    git.reset_paths("HEAD", &["a.txt"]).unwrap();
    git.checkout_paths("HEAD", &["a.txt"]).unwrap();
    assert_eq!(repo.read("a.txt"), "2");

    repo.write("a.txt", "edited");
    git.checkout_paths("HEAD", &["a.txt"]).unwrap();
    assert_eq!(repo.read("a.txt"), "2");
    assert!(git.status().unwrap().is_clean());
}

/// What abort and the release commit rely on: what is staged, a commit of given paths that
/// leaves the rest staged, index entries put back without touching the work tree, and a branch
/// moved only from where relman left it.
#[test]
fn the_index_is_read_committed_by_path_and_put_back() {
    let repo = TestRepo::new();
    let first = repo.commit_file("a.txt", "1\n", "one");
    let git = open(&repo);
    repo.write("staged.txt", "mine\n");
    repo.git(&["add", "staged.txt"]);
    let staged = git.staged_entries().unwrap();
    assert_eq!(staged.len(), 1);
    let entry = staged[std::path::Path::new("staged.txt")].clone().unwrap();
    assert_eq!(entry.mode, "100644");

    // A release commit of `a.txt` and a new file: what was staged stays staged, out of it.
    repo.write("a.txt", "2\n");
    repo.write("new.txt", "new\n");
    assert_eq!(
        git.indexed_paths(&["a.txt", "new.txt"]).unwrap(),
        [std::path::PathBuf::from("a.txt")]
    );
    git.add_intent(&["new.txt"]).unwrap();
    let release = git
        .commit_paths("Release", None, &["a.txt", "new.txt"])
        .unwrap();
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        "a.txt\nnew.txt"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "A  staged.txt");
    assert_eq!(
        git.changed_between(&first, &release).unwrap(),
        [std::path::PathBuf::from("a.txt"), "new.txt".into()]
    );

    // Moving back: refused unless the branch is where relman left it; the work tree stays.
    assert!(git.move_branch("main", &first, "HEAD~0^").is_err());
    git.move_branch("main", &first, &release).unwrap();
    assert_eq!(repo.head(), first);
    assert_eq!(repo.read("a.txt"), "2\n");
    git.reset_paths(&first, &["a.txt", "new.txt"]).unwrap();
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        " M a.txt\nA  staged.txt\n?? new.txt"
    );
    // `staged.txt` differs too: `first` has no such file.
    assert_eq!(
        git.worktree_differs(&first, &["a.txt", "staged.txt", "new.txt"])
            .unwrap(),
        [std::path::PathBuf::from("a.txt"), "staged.txt".into()]
    );

    // An entry put back as it was staged, and one removed from the index.
    git.set_index_entries(&[("a.txt".into(), Some(entry)), ("staged.txt".into(), None)])
        .unwrap();
    assert_eq!(repo.git(&["show", ":a.txt"]), "mine");
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "MM a.txt\n?? new.txt\n?? staged.txt"
    );
    assert!(!git.on_remote_branch(&first).unwrap());
}
