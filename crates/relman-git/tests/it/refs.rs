//! HEAD and tag names read from files (loose and packed), and through git for reftable.

use relman_git::{Head, Repository};
use relman_testkit::TestRepo;

use crate::open;

#[test]
fn tags_from_loose_and_packed_refs() {
    let repo = TestRepo::new();
    repo.commit("first");
    repo.tag("v1.0.0");
    repo.tag_annotated("v1.1.0", "release 1.1.0");
    repo.tag("nested/v0.1.0");
    repo.git(&["pack-refs", "--all"]);
    repo.commit("second");
    repo.tag("v2.0.0");
    repo.tag_annotated("v2.1.0", "release 2.1.0");
    repo.git(&["branch", "release/1.x"]);

    let git = open(&repo);
    assert!(repo.path().join(".git/packed-refs").is_file());
    assert!(repo.path().join(".git/refs/tags/v2.0.0").is_file());
    assert_eq!(
        git.tag_names().unwrap(),
        ["nested/v0.1.0", "v1.0.0", "v1.1.0", "v2.0.0", "v2.1.0"]
    );
    assert_eq!(git.branch_names().unwrap(), ["main", "release/1.x"]);
    // The unsorted scan sees the same names (a packed tag written loose again may come twice).
    let mut visited = Vec::new();
    git.visit_tag_names(|name| visited.push(name.to_owned()))
        .unwrap();
    visited.sort();
    visited.dedup();
    assert_eq!(visited, git.tag_names().unwrap());
    assert!(git.tag_exists("v1.1.0").unwrap());
    assert!(!git.tag_exists("v9").unwrap());

    // A deleted packed tag is gone from both places.
    repo.git(&["tag", "-d", "v1.0.0"]);
    assert!(!git.tag_exists("v1.0.0").unwrap());
}

#[test]
fn head_branch_from_packed_refs_and_detached() {
    let repo = TestRepo::new();
    let first = repo.commit("first");
    repo.git(&["pack-refs", "--all"]);
    assert!(!repo.path().join(".git/refs/heads/main").exists());
    let git = open(&repo);
    assert_eq!(
        git.head().unwrap(),
        Head::Branch {
            name: "main".to_owned(),
            commit: Some(first.clone())
        }
    );
    repo.commit("second");
    repo.git(&["checkout", "--quiet", "--detach", &first]);
    assert_eq!(
        git.head().unwrap(),
        Head::Detached {
            commit: first.clone()
        }
    );
    assert_eq!(git.current_branch().unwrap(), None);
    assert_eq!(git.head_sha().unwrap(), first);
}

#[test]
fn reftable_falls_back_to_git() {
    let repo = TestRepo::new();
    let dir = repo.root().join("reftable");
    let init = repo.git_output(&[
        "init",
        "--quiet",
        "--ref-format=reftable",
        &dir.to_string_lossy(),
    ]);
    if !init.status.success() {
        println!("skipped: this git cannot create reftable repositories");
        return;
    }
    repo.git_in(&dir, &["commit", "--quiet", "--allow-empty", "-m", "first"]);
    repo.git_in(&dir, &["tag", "v1.0.0"]);
    repo.git_in(&dir, &["tag", "-a", "-m", "annotated", "v1.1.0"]);
    let head = repo.git_in(&dir, &["rev-parse", "HEAD"]);

    let git = Repository::discover(&dir)
        .unwrap()
        .with_envs(repo.env_vars());
    assert!(git.uses_reftable());
    assert_eq!(git.tag_names().unwrap(), ["v1.0.0", "v1.1.0"]);
    let mut visited = Vec::new();
    git.visit_tag_names(|name| visited.push(name.to_owned()))
        .unwrap();
    assert_eq!(visited, ["v1.0.0", "v1.1.0"]);
    assert_eq!(
        git.head().unwrap(),
        Head::Branch {
            name: "main".to_owned(),
            commit: Some(head.clone())
        }
    );
    let found = git
        .previous_release("HEAD", crate::semver_tag, |_| {})
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.tag.as_str(), found.commit.as_str()),
        ("v1.1.0", head.as_str())
    );
}
