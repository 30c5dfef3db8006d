//! Cherry-picks and merges: conflicts come back as outcomes naming the files.

use std::path::PathBuf;

use relman_git::{MergeOutcome, PickOutcome};
use relman_testkit::TestRepo;

use crate::open;

#[test]
fn cherry_pick_applies_with_origin_recorded() {
    let repo = TestRepo::new();
    repo.commit_file("a.txt", "base\n", "base");
    repo.git(&["switch", "--quiet", "-c", "fix"]);
    let fix = repo.commit_file("b.txt", "fix\n", "fix: b");
    repo.git(&["switch", "--quiet", "main"]);
    let git = open(&repo);
    assert_eq!(
        git.cherry_pick(&[&fix], true).unwrap(),
        PickOutcome::Applied
    );
    assert!(
        repo.git(&["log", "-1", "--format=%B"])
            .ends_with(&format!("(cherry picked from commit {fix})"))
    );
    assert!(!git.cherry_pick_in_progress());
}

#[test]
fn cherry_pick_conflict_then_continue() {
    let repo = TestRepo::new();
    repo.commit_file("a.txt", "base\n", "base");
    repo.git(&["switch", "--quiet", "-c", "feature"]);
    let feature = repo.commit_file("a.txt", "feature\n", "fix: on feature");
    let other = repo.commit_file("c.txt", "c\n", "fix: clean one");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit_file("a.txt", "main\n", "fix: on main");
    let git = open(&repo);

    let outcome = git.cherry_pick(&[&feature, &other], true).unwrap();
    assert_eq!(
        outcome,
        PickOutcome::Conflict {
            commit: feature.clone(),
            paths: vec![PathBuf::from("a.txt")]
        }
    );
    assert!(git.cherry_pick_in_progress());
    assert_eq!(git.status().unwrap().conflicts, [PathBuf::from("a.txt")]);

    repo.write("a.txt", "resolved\n");
    git.add(&["a.txt"]).unwrap();
    assert_eq!(git.cherry_pick_continue().unwrap(), PickOutcome::Applied);
    assert!(!git.cherry_pick_in_progress());
    assert_eq!(
        repo.read("c.txt"),
        "c\n",
        "the rest of the sequence was applied"
    );
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "4");
}

#[test]
fn cherry_pick_of_an_applied_commit_is_empty_and_can_be_aborted() {
    let repo = TestRepo::new();
    let base = repo.commit_file("a.txt", "base\n", "base");
    let change = repo.commit_file("a.txt", "changed\n", "fix: change");
    let git = open(&repo);
    let _ = base;
    let outcome = git.cherry_pick(&[&change], false).unwrap();
    assert_eq!(outcome, PickOutcome::Empty { commit: change });
    git.cherry_pick_abort().unwrap();
    assert!(!git.cherry_pick_in_progress());
}

#[test]
fn cherry_pick_of_an_unknown_commit_is_an_error() {
    let repo = TestRepo::new();
    repo.commit("base");
    let error = open(&repo).cherry_pick(&["0123abc"], true).unwrap_err();
    assert!(
        error.to_string().contains("git cherry-pick -x 0123abc"),
        "{error}"
    );
}

#[test]
fn merge_no_ff_and_conflict() {
    let repo = TestRepo::new();
    repo.commit_file("a.txt", "base\n", "base");
    repo.git(&["switch", "--quiet", "-c", "release/1.0"]);
    repo.commit_file("b.txt", "b\n", "fix: on release");
    repo.git(&["switch", "--quiet", "main"]);
    let git = open(&repo);
    let MergeOutcome::Merged { commit } = git.merge("release/1.0", "Merge release/1.0").unwrap()
    else {
        panic!("expected a merge commit");
    };
    assert_eq!(commit, repo.head());
    assert_eq!(
        repo.git(&["log", "-1", "--format=%P"]).split(' ').count(),
        2
    );
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "Merge release/1.0");

    repo.git(&["switch", "--quiet", "release/1.0"]);
    repo.commit_file("a.txt", "release\n", "fix: a on release");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit_file("a.txt", "main\n", "fix: a on main");
    let outcome = git.merge("release/1.0", "Merge again").unwrap();
    assert_eq!(
        outcome,
        MergeOutcome::Conflict {
            paths: vec![PathBuf::from("a.txt")]
        }
    );
    git.merge_abort().unwrap();
    assert!(git.status().unwrap().is_clean());
}
