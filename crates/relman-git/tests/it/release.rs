//! The previous release in version order and the commits since it: linear history, tags that do
//! not parse, release branches beside higher tags, versions that went backwards, merges of side
//! branches older than the tag, and shallow clones.

use std::cell::RefCell;

use relman_git::{GitError, Release};
use relman_testkit::TestRepo;

use crate::{open, open_at, rev_list_sorted, semver_tag};

/// Runs `commits_since_release` from HEAD; returns the release, the commits (in delivery order)
/// and the warnings.
fn since(
    repo: &TestRepo,
    git: &relman_git::Repository,
) -> (Option<Release<semver::Version>>, Vec<String>, Vec<String>) {
    let warnings = RefCell::new(Vec::new());
    let mut commits = Vec::new();
    let release = git
        .commits_since_release(
            "HEAD",
            semver_tag,
            |tag| warnings.borrow_mut().push(tag.to_owned()),
            |commit| commits.push(commit.sha().to_owned()),
        )
        .unwrap();
    let _ = repo;
    (release, commits, warnings.into_inner())
}

/// `git rev-list REVS...`, sorted.
fn rev_list(repo: &TestRepo, revs: &[&str]) -> Vec<String> {
    let mut args = vec!["rev-list"];
    args.extend_from_slice(revs);
    sorted(repo.git(&args).lines().map(str::to_owned).collect())
}

fn sorted(mut shas: Vec<String>) -> Vec<String> {
    shas.sort();
    shas
}

#[test]
fn linear_history_with_unrelated_and_malformed_tags() {
    let repo = TestRepo::new();
    repo.commit("feat: zero");
    repo.tag("v0.9.0");
    let released = repo.commit("feat: one");
    repo.tag_annotated("v1.0.0", "release 1.0.0");
    let two = repo.commit("fix: two");
    repo.tag("deploy-2024");
    let three = repo.commit("feat: three");
    repo.tag("v2.x");
    let four = repo.commit("docs: four");

    let git = open(&repo);
    let (release, commits, warnings) = since(&repo, &git);
    let release = release.unwrap();
    assert_eq!(release.tag, "v1.0.0");
    assert_eq!(release.version, semver::Version::new(1, 0, 0));
    assert_eq!(
        release.commit, released,
        "the peeled commit of the annotated tag"
    );
    assert_eq!(commits, [four, three, two]);
    assert_eq!(warnings, ["v2.x"]);

    let previous = git
        .previous_release("HEAD", semver_tag, |_| {})
        .unwrap()
        .unwrap();
    assert_eq!(previous, release);
}

#[test]
fn head_on_the_release_commit_has_no_unreleased_commits() {
    let repo = TestRepo::new();
    repo.commit("feat: one");
    let tagged = repo.commit("feat: two");
    repo.tag("v0.2.0");
    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().commit, tagged);
    assert!(commits.is_empty());
}

#[test]
fn release_branch_ignores_higher_tags_it_cannot_reach() {
    let repo = TestRepo::new();
    let base = repo.commit("feat: base");
    repo.tag("v1.0.0");
    repo.commit("feat: next");
    repo.tag("v1.1.0");
    repo.commit("feat!: big");
    repo.tag("v2.0.0");
    repo.git(&["switch", "--quiet", "-c", "release/1.0", &base]);
    let fix = repo.commit("fix: backport");
    repo.tag("v1.0.1");
    let after = repo.commit("fix: another backport");

    let (release, commits, _) = since(&repo, &open(&repo));
    let release = release.unwrap();
    assert_eq!(
        (release.tag.as_str(), release.commit.as_str()),
        ("v1.0.1", fix.as_str())
    );
    assert_eq!(commits, [after]);
}

#[test]
fn a_higher_reachable_tag_wins_over_the_nearest_one() {
    let repo = TestRepo::new();
    let two = repo.commit("feat: two");
    repo.tag_annotated("v2.0.0", "2.0.0");
    let mistake = repo.commit("fix: tagged by mistake");
    repo.tag("v1.5.0");
    let head = repo.commit("feat: more");

    let (release, commits, _) = since(&repo, &open(&repo));
    let release = release.unwrap();
    assert_eq!(
        (release.tag.as_str(), release.commit.as_str()),
        ("v2.0.0", two.as_str())
    );
    assert_eq!(commits, [head, mistake]);
}

#[test]
fn several_release_tags_on_one_commit_take_the_highest() {
    let repo = TestRepo::new();
    repo.commit("feat: one");
    repo.tag("v1.0.0-rc.1");
    repo.tag("v1.0.0");
    repo.tag("v0.9.9");
    repo.commit("fix: after");
    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v1.0.0");
    assert_eq!(commits.len(), 1);
}

#[test]
fn merged_side_branch_older_than_the_tag_is_unreleased() {
    let repo = TestRepo::new();
    let base = repo.commit("feat: base");
    repo.tag("v0.1.0");
    repo.git(&["switch", "--quiet", "-c", "feature"]);
    repo.commit("feat: started before the release");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit("fix: released");
    repo.tag("v1.0.0");
    repo.git(&["merge", "--quiet", "--no-ff", "--no-edit", "feature"]);
    repo.commit("fix: after the merge");

    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v1.0.0");
    assert_eq!(commits.len(), 3, "no commit twice: {commits:?}");
    assert_eq!(sorted(commits), rev_list_sorted(&repo, "v1.0.0..HEAD"));
    let _ = base;
}

#[test]
fn merged_side_branch_newer_than_the_tag_comes_from_one_walk() {
    let repo = TestRepo::new();
    repo.commit("feat: base");
    repo.tag("v1.0.0");
    repo.git(&["switch", "--quiet", "-c", "feature"]);
    repo.commit("feat: on feature");
    repo.commit("feat: more on feature");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit("fix: on main");
    repo.git(&["merge", "--quiet", "--no-ff", "--no-edit", "feature"]);

    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v1.0.0");
    assert_eq!(commits.len(), 4);
    assert_eq!(sorted(commits), rev_list_sorted(&repo, "v1.0.0..HEAD"));
}

#[test]
fn no_release_tag_gives_the_whole_history() {
    let repo = TestRepo::new();
    repo.commit("feat: one");
    repo.tag("nightly");
    repo.commit("feat: two");
    let (release, commits, warnings) = since(&repo, &open(&repo));
    assert_eq!(release, None);
    assert_eq!(commits.len(), 2);
    assert!(warnings.is_empty());

    // Release tags that exist only on another branch are not reachable either.
    repo.git(&["switch", "--quiet", "-c", "other"]);
    repo.commit("feat: other");
    repo.tag("v1.0.0");
    repo.git(&["switch", "--quiet", "main"]);
    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release, None);
    assert_eq!(commits.len(), 2);
}

#[test]
fn from_an_older_tag_with_a_ceiling() {
    let repo = TestRepo::new();
    repo.commit("feat: one");
    repo.tag("v1.0.0");
    let two = repo.commit("feat: two");
    repo.tag("v1.1.0");
    repo.commit("feat: three");
    repo.tag("v1.2.0");
    // The section of v1.1.0: commits from v1.1.0 back to the release below it.
    let ceiling = semver::Version::new(1, 1, 0);
    let mut commits = Vec::new();
    let release = open(&repo)
        .commits_since_release(
            "v1.1.0",
            |name| match semver_tag(name) {
                relman_git::TagKind::Release(version) if version >= ceiling => {
                    relman_git::TagKind::Unrelated
                }
                other => other,
            },
            |_| {},
            |commit| commits.push(commit.sha().to_owned()),
        )
        .unwrap()
        .unwrap();
    assert_eq!(release.tag, "v1.0.0");
    assert_eq!(commits, [two]);
}

#[test]
fn shallow_clone_without_a_reachable_tag_says_how_to_fix_it() {
    let repo = TestRepo::new();
    repo.commit("feat: one");
    repo.tag("v1.0.0");
    repo.commit("feat: two");
    repo.commit("feat: three");
    repo.push(&["main", "v1.0.0"]);
    let shallow = repo.clone_remote("shallow", &["--depth=1", "--no-tags"]);
    let git = open_at(&repo, &shallow);
    let error = git
        .previous_release("HEAD", semver_tag, |_| {})
        .unwrap_err();
    // No tag was fetched, so the clone has no release tag at all.
    assert!(matches!(error, GitError::Shallow { .. }), "{error}");

    repo.git_in(
        &shallow,
        &["fetch", "--quiet", "--depth=1", "origin", "tag", "v1.0.0"],
    );
    let error = git
        .previous_release("HEAD", semver_tag, |_| {})
        .unwrap_err();
    // The tag exists now, but the walk from HEAD hits the shallow boundary before it.
    assert!(matches!(error, GitError::Shallow { .. }), "{error}");
}

#[test]
fn unborn_head_is_a_no_commits_error() {
    let repo = TestRepo::new();
    let error = open(&repo)
        .previous_release("HEAD", semver_tag, |_| {})
        .unwrap_err();
    assert!(matches!(error, GitError::NoCommits { .. }), "{error}");
}

#[test]
fn packed_tags_are_matched_by_their_recorded_commit_and_loose_ones_override() {
    let repo = TestRepo::new();
    let first = repo.commit("feat: one");
    repo.tag_annotated("v1.0.0", "1.0.0");
    let second = repo.commit("feat: two");
    repo.tag("v1.1.0");
    repo.git(&["pack-refs", "--all"]);
    let third = repo.commit("feat: three");
    repo.tag_annotated("v1.2.0", "1.2.0");
    let head = repo.commit("fix: four");
    let git = open(&repo);

    let found = |git: &relman_git::Repository| {
        let mut commits = Vec::new();
        let release = git
            .commits_since_release(
                "HEAD",
                semver_tag,
                |_| {},
                |c| commits.push(c.sha().to_owned()),
            )
            .unwrap()
            .unwrap();
        (release.tag, release.commit, commits)
    };
    // Loose annotated tag, seen through git's decoration.
    assert_eq!(
        found(&git),
        ("v1.2.0".to_owned(), third.clone(), vec![head.clone()])
    );
    // Packed tags only: matched by the commits `packed-refs` records, annotated or not.
    repo.git(&["tag", "-d", "v1.2.0"]);
    assert_eq!(
        found(&git),
        (
            "v1.1.0".to_owned(),
            second.clone(),
            vec![head.clone(), third.clone()]
        )
    );
    repo.git(&["tag", "-d", "v1.1.0"]);
    assert_eq!(found(&git).1, first);
    // A loose ref overrides the stale packed line of the same name.
    repo.git(&["tag", "-f", "--no-sign", "v1.0.0", &third]);
    assert_eq!(found(&git), ("v1.0.0".to_owned(), third, vec![head]));
}

#[test]
fn many_loose_release_tags() {
    let repo = TestRepo::new();
    crate::import_linear(&repo, 300);
    // 250 loose lightweight tags, one per commit, in one git process.
    let shas = repo.git(&["rev-list", "--reverse", "HEAD"]);
    let mut input = String::new();
    for (index, sha) in shas.lines().take(250).enumerate() {
        input.push_str(&format!("create refs/tags/v0.{index}.0 {sha}\n"));
    }
    let mut child = repo
        .command("git")
        .args(["update-ref", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());

    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v0.249.0");
    assert_eq!(commits.len(), 50);
}

#[test]
fn commits_a_higher_release_branch_tag_reaches_are_not_unreleased() {
    // helm's shape: `release-4.2` forks from main, gets the 4.2.0 tag and is never merged back;
    // main's last reachable release stays 4.1.0.
    let repo = TestRepo::new();
    repo.commit("feat: base");
    repo.tag("v4.1.0");
    let shipped = repo.commit("feat: shipped in 4.2.0");
    repo.git(&["switch", "--quiet", "-c", "release-4.2"]);
    repo.commit("chore: bump to 4.2.0");
    repo.tag("v4.2.0");
    repo.commit("fix: only on the release branch");
    repo.tag("v4.2.1");
    repo.git(&["switch", "--quiet", "main"]);
    let new = repo.commit("feat: after the branch point");

    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v4.1.0");
    assert_eq!(commits, [new], "{shipped} shipped in v4.2.0");
    assert_eq!(
        sorted(commits),
        rev_list(&repo, &["HEAD", "^v4.1.0", "^v4.2.0", "^v4.2.1"])
    );
}

#[test]
fn a_pre_release_the_project_moved_past_is_not_the_last_release() {
    // httpx's shape: `1.0.0-beta.0` was tagged on main, then 0.x releases went on from it.
    let repo = TestRepo::new();
    repo.commit("feat: one");
    repo.tag("v0.18.0");
    repo.commit("feat: the 1.0 beta");
    repo.tag("v1.0.0-beta.0");
    repo.commit("fix: back on 0.x");
    repo.tag_annotated("v0.28.1", "0.28.1");
    let head = repo.commit("fix: unreleased");

    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v0.28.1");
    assert_eq!(commits, [head]);

    // A pre-release newer than the last final release is the last release.
    repo.tag("v1.0.0-rc.1");
    let after = repo.commit("fix: after the rc");
    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v1.0.0-rc.1");
    assert_eq!(commits, [after]);
}

#[test]
fn merges_with_a_higher_tag_elsewhere_deliver_each_commit_once() {
    let repo = TestRepo::new();
    let base = repo.commit("feat: base");
    repo.tag("v1.0.0");
    repo.git(&["switch", "--quiet", "-c", "feature"]);
    repo.commit("feat: on feature");
    repo.git(&["switch", "--quiet", "-c", "release-2.0", &base]);
    repo.commit("feat: 2.0 only");
    repo.tag("v2.0.0");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit("fix: on main");
    repo.git(&["merge", "--quiet", "--no-ff", "--no-edit", "feature"]);
    repo.commit("fix: after the merge");

    let (release, commits, _) = since(&repo, &open(&repo));
    assert_eq!(release.unwrap().tag, "v1.0.0");
    assert_eq!(commits.len(), 4, "no commit twice: {commits:?}");
    assert_eq!(
        sorted(commits),
        rev_list(&repo, &["HEAD", "^v1.0.0", "^v2.0.0"])
    );
}
