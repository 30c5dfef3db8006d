//! Single-answer reads: describe, revisions, ancestry, files at a revision, config, status.

use std::path::{Path, PathBuf};

use relman_git::{Describe, GitError};
use relman_testkit::TestRepo;

use crate::open;

#[test]
fn describe_with_and_without_matching_tags() {
    let repo = TestRepo::new();
    repo.commit("one");
    let git = open(&repo);
    assert_eq!(git.describe(None).unwrap(), None);
    repo.tag_annotated("v0.3.0", "release");
    repo.commit("two");
    repo.tag("other-1");
    repo.commit("three");
    let abbreviated = repo.git(&["rev-parse", "--short", "HEAD"]);

    let describe = git.describe(Some("v*")).unwrap().unwrap();
    assert_eq!(
        describe,
        Describe {
            tag: "v0.3.0".to_owned(),
            distance: 2,
            abbreviated: abbreviated.clone()
        }
    );
    assert_eq!(describe.to_string(), format!("v0.3.0-2-g{abbreviated}"));
    assert_eq!(git.describe(None).unwrap().unwrap().tag, "other-1");
    assert_eq!(git.describe(Some("release-*")).unwrap(), None);
}

#[test]
fn revisions_and_ancestry() {
    let repo = TestRepo::new();
    let first = repo.commit("one");
    repo.tag_annotated("v1", "annotated");
    let second = repo.commit("two");
    let git = open(&repo);

    assert_eq!(git.rev_parse("HEAD").unwrap(), second);
    let tag_object = git.rev_parse("v1").unwrap();
    assert_ne!(tag_object, first, "an annotated tag names its tag object");
    assert_eq!(git.resolve_commit("v1").unwrap(), first);
    assert_eq!(
        git.tag_target("v1").unwrap().as_deref(),
        Some(first.as_str())
    );
    assert_eq!(git.tag_target("v2").unwrap(), None);
    let short = git.short_sha("HEAD").unwrap();
    assert!(second.starts_with(&short) && short.len() >= 7);

    assert!(git.is_ancestor(&first, &second).unwrap());
    assert!(!git.is_ancestor(&second, &first).unwrap());
    assert!(git.is_ancestor("v1", "HEAD").unwrap());

    let error = git.rev_parse("nope").unwrap_err();
    assert!(matches!(error, GitError::UnknownRevision { ref rev } if rev == "nope"));
    assert!(matches!(
        git.short_sha("nope").unwrap_err(),
        GitError::UnknownRevision { .. }
    ));
    assert!(git.is_ancestor("nope", "HEAD").is_err());
}

#[test]
fn files_at_a_revision() {
    let repo = TestRepo::new();
    repo.commit_file("dir/a.txt", "old\n", "one");
    repo.write("dir/a.txt", "new\0binary\n");
    repo.commit("two");
    let git = open(&repo);
    assert_eq!(
        git.show_file("HEAD~1", Path::new("dir/a.txt")).unwrap(),
        Some(b"old\n".to_vec())
    );
    assert_eq!(
        git.show_file("HEAD", Path::new("dir/a.txt")).unwrap(),
        Some(b"new\0binary\n".to_vec())
    );
    assert_eq!(
        git.show_file("HEAD", Path::new("missing.txt")).unwrap(),
        None
    );
    assert!(
        git.show_file("HEAD", Path::new("dir")).is_err(),
        "a tree is not a file"
    );
}

#[test]
fn config_values_from_every_scope() {
    let repo = TestRepo::new();
    repo.set_config("relman.answer", "42");
    let git = open(&repo);
    assert_eq!(
        git.config_get("relman.answer").unwrap().as_deref(),
        Some("42")
    );
    assert_eq!(
        git.config_get("user.name").unwrap().as_deref(),
        Some("Test User")
    );
    assert_eq!(git.config_get("relman.missing").unwrap(), None);
    let one_shot = git.with_config("relman.answer", "7");
    assert_eq!(
        one_shot.config_get("relman.answer").unwrap().as_deref(),
        Some("7")
    );
}

#[test]
fn status_lists_each_kind_of_change() {
    let repo = TestRepo::new();
    repo.write("tracked.txt", "1");
    repo.write("staged.txt", "1");
    repo.commit("one");
    let git = open(&repo);
    assert!(git.status().unwrap().is_clean());

    repo.write("tracked.txt", "2");
    repo.write("staged.txt", "2");
    repo.git(&["add", "staged.txt"]);
    repo.write("new file.txt", "x");
    let status = git.status().unwrap();
    assert_eq!(status.branch.as_deref(), Some("main"));
    assert_eq!(status.staged, [PathBuf::from("staged.txt")]);
    assert_eq!(status.unstaged, [PathBuf::from("tracked.txt")]);
    assert_eq!(status.untracked, [PathBuf::from("new file.txt")]);
    assert!(status.conflicts.is_empty());
    assert!(!status.is_clean());
}

#[test]
fn status_reports_upstream_distance() {
    let repo = TestRepo::new();
    repo.commit("one");
    repo.git(&["push", "--quiet", "--set-upstream", "origin", "main"]);
    repo.commit("two");
    let status = open(&repo).status().unwrap();
    assert_eq!(status.upstream.as_deref(), Some("origin/main"));
    assert_eq!(status.ahead_behind, Some((1, 0)));
}

#[test]
fn tag_dates_are_the_taggers_or_the_commits_in_one_answer() {
    let repo = TestRepo::new();
    repo.set_date("2025-07-15");
    repo.commit("one");
    repo.tag("25.07");
    repo.set_date("2025-07-18");
    repo.commit("two");
    repo.set_date("2025-08-02");
    repo.tag_annotated("25.07.1", "made later than its commit");
    repo.tag("missing/other");
    let git = open(&repo);
    let mut dates = git.tag_dates(&["25.07", "25.07.1", "missing"]).unwrap();
    dates.sort();
    assert_eq!(
        dates,
        [
            ("25.07".to_owned(), 1_752_580_860),
            ("25.07.1".to_owned(), 1_754_136_000),
        ]
    );
    assert_eq!(git.tag_dates(&[]).unwrap(), []);
}
