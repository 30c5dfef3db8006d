//! Many tag families (the packages of a monorepo) in one walk: each family's last release and
//! unreleased commits must be exactly what `commits_since_release` gives for that family alone,
//! on linear histories, merges of branches older than a tag, release branches with higher tags,
//! families without tags, and random histories with skewed clocks.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use relman_git::{Release, Repository, TagKind};
use relman_testkit::TestRepo;

use crate::open;

/// Family `a`, `b`, `c` tags are `NAME-vSEMVER`.
fn classify(name: &str) -> Option<(usize, TagKind<semver::Version>)> {
    let (family, version) = name.split_once("-v")?;
    let family = ["a", "b", "c"].iter().position(|known| *known == family)?;
    Some((family, kind(version)))
}

fn kind(version: &str) -> TagKind<semver::Version> {
    match semver::Version::parse(version) {
        Ok(version) if !version.pre.is_empty() => TagKind::PreRelease(version),
        Ok(version) => TagKind::Release(version),
        Err(_) => TagKind::Malformed,
    }
}

/// The same family alone, as `commits_since_release` classifies.
fn alone(family: usize) -> impl Fn(&str) -> TagKind<semver::Version> {
    move |name| match classify(name) {
        Some((owner, kind)) if owner == family => kind,
        _ => TagKind::Unrelated,
    }
}

type Found = (Option<Release<semver::Version>>, Vec<String>);

/// Per family: the release and the sorted unreleased commits, from one walk.
fn together(git: &Repository) -> Vec<Found> {
    let walk = git
        .family_releases(
            "HEAD",
            3,
            classify,
            |_, _| {},
            |commit| Some(commit.sha().to_owned()),
        )
        .unwrap();
    (0..3)
        .map(|family| {
            let mut commits: Vec<String> = walk
                .commits
                .iter()
                .filter(|kept| kept.unreleased.contains(family))
                .map(|kept| kept.value.clone())
                .collect();
            commits.sort();
            (walk.releases[family].clone(), commits)
        })
        .collect()
}

/// Per family: the same, one `commits_since_release` each.
fn one_by_one(git: &Repository) -> Vec<Found> {
    (0..3)
        .map(|family| {
            let mut commits = Vec::new();
            let release = git
                .commits_since_release(
                    "HEAD",
                    alone(family),
                    |_| {},
                    |commit| {
                        commits.push(commit.sha().to_owned());
                    },
                )
                .unwrap();
            commits.sort();
            (release, commits)
        })
        .collect()
}

#[test]
fn linear_families_and_their_changed_paths() {
    let repo = TestRepo::new();
    repo.commit_file("a/x", "1", "feat(a): one");
    repo.tag("a-v0.1.0");
    repo.commit_file("b/y", "1", "feat(b): one");
    repo.tag_annotated("b-v1.0.0", "b 1.0.0");
    let after_b = repo.commit_file("a/x", "2", "fix(a): two");
    repo.tag("a-v0.1.1-rc.1");
    let last = repo.commit_file("b/y", "2", "fix(b): two");

    let git = open(&repo);
    let mut paths = BTreeMap::new();
    let walk = git
        .family_releases(
            "HEAD",
            3,
            classify,
            |_, _| {},
            |commit| {
                let changed: Vec<String> = commit
                    .changed_paths()
                    .map(|path| String::from_utf8_lossy(path).into_owned())
                    .collect();
                paths.insert(commit.sha().to_owned(), changed);
                Some(commit.sha().to_owned())
            },
        )
        .unwrap();
    let tags: Vec<Option<&str>> = walk
        .releases
        .iter()
        .map(|release| release.as_ref().map(|release| release.tag.as_str()))
        .collect();
    assert_eq!(tags, [Some("a-v0.1.1-rc.1"), Some("b-v1.0.0"), None]);
    assert_eq!(paths[&last], ["b/y"]);
    assert_eq!(paths[&after_b], ["a/x"]);
    // The walk stopped at the parent of the oldest last release: `a`'s tag at the root.
    assert_eq!(walk.commits.len(), 4, "c has no tag: the whole history");
    assert_eq!(together(&git), one_by_one(&git));
}

#[test]
fn the_walk_stops_once_every_family_is_closed() {
    let repo = TestRepo::new();
    crate::import_linear(&repo, 50);
    repo.tag("a-v1.0.0");
    repo.tag("c-v1.0.0");
    repo.commit_file("b/y", "1", "feat(b): one");
    repo.tag("b-v0.1.0");
    repo.commit_file("a/x", "1", "fix(a): two");

    let git = open(&repo);
    let walk = git
        .family_releases(
            "HEAD",
            3,
            classify,
            |_, _| {},
            |commit| Some(commit.sha().to_owned()),
        )
        .unwrap();
    assert_eq!(
        walk.commits.len(),
        3,
        "the oldest last release and what is after it"
    );
    assert_eq!(together(&git), one_by_one(&git));
}

#[test]
fn a_branch_older_than_a_tag_merged_after_it_is_unreleased() {
    let repo = TestRepo::new();
    repo.commit_file("a/x", "0", "feat: base");
    repo.tag("b-v1.0.0");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.commit_file("a/side", "1", "feat(a): side");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit_file("a/x", "1", "feat(a): main");
    repo.tag("a-v1.0.0");
    repo.tag("c-v1.0.0");
    repo.git(&["merge", "-q", "--no-ff", "side", "-m", "Merge side"]);
    repo.commit_file("a/x", "2", "fix(a): after");

    let git = open(&repo);
    let found = together(&git);
    assert_eq!(found, one_by_one(&git));
    assert_eq!(found[0].1.len(), 3, "side, the merge, after: {found:?}");
}

#[test]
fn a_higher_tag_on_a_release_branch_takes_the_exact_walk() {
    let repo = TestRepo::new();
    repo.commit_file("a/x", "0", "feat: base");
    repo.tag("a-v1.0.0");
    repo.tag("b-v0.1.0");
    repo.commit_file("a/x", "1", "feat(a): shared");
    repo.git(&["checkout", "-q", "-b", "release-1.1"]);
    repo.commit_file("a/r", "1", "fix(a): on the branch");
    repo.tag("a-v1.1.0");
    repo.git(&["checkout", "-q", "main"]);
    repo.commit_file("a/x", "2", "feat(a): main");
    repo.tag("c-v0.0.1");

    let git = open(&repo);
    let found = together(&git);
    assert_eq!(found, one_by_one(&git));
    assert_eq!(found[0].0.as_ref().unwrap().tag, "a-v1.0.0");
    assert_eq!(found[0].1.len(), 1, "the shared commit shipped in 1.1.0");
}

#[test]
fn malformed_tags_are_reported_with_their_family() {
    let repo = TestRepo::new();
    repo.commit("feat: one");
    repo.tag("b-vnext");
    let git = open(&repo);
    let mut malformed = Vec::new();
    git.family_releases(
        "HEAD",
        3,
        classify,
        |family, tag| malformed.push((family, tag.to_owned())),
        |_| Some(()),
    )
    .unwrap();
    assert_eq!(malformed, [(1, "b-vnext".to_owned())]);
}

/// A small deterministic generator: random histories without a proptest dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// Random histories: branches forking from random earlier commits and merged back, dates that
/// sometimes go backwards, tags of the three families at random versions (some below earlier
/// ones, some pre-releases) on random commits, including commits of unmerged branches.
#[test]
fn random_histories_agree_with_one_walk_per_family() {
    for seed in 1..=24 {
        let mut random = Lcg(seed);
        let repo = TestRepo::new();
        let mut stream = String::new();
        let mut marks: Vec<usize> = Vec::new();
        let mut branch_heads: Vec<Option<usize>> = vec![None; 3];
        let count = 30 + random.next(30) as usize;
        for mark in 1..=count {
            let branch = random.next(3) as usize;
            let reference = if branch == 0 {
                "refs/heads/main".to_owned()
            } else {
                format!("refs/heads/b{branch}")
            };
            let skew = random.next(5) as i64 - 1;
            let time = 1_700_000_000 + mark as i64 * 100 - skew * 150;
            let file = ["a/x", "b/y", "c/z", "root.txt"][random.next(4) as usize];
            let message = format!("feat: change {mark}\n");
            write!(
                stream,
                "commit {reference}\nmark :{mark}\ncommitter T <t@example.com> {time} +0000\ndata {}\n{message}",
                message.len()
            )
            .unwrap();
            let parent = match branch_heads[branch] {
                Some(head) => Some(head),
                None => marks.last().copied().filter(|_| branch == 0).or_else(|| {
                    (!marks.is_empty()).then(|| marks[random.next(marks.len() as u64) as usize])
                }),
            };
            if let Some(parent) = parent {
                writeln!(stream, "from :{parent}").unwrap();
            }
            if branch == 0 && random.next(4) == 0 {
                let other = 1 + random.next(2) as usize;
                if let Some(head) = branch_heads[other] {
                    writeln!(stream, "merge :{head}").unwrap();
                }
            }
            write!(stream, "M 644 inline {file}\ndata 3\n{:02}\n\n", mark % 100).unwrap();
            branch_heads[branch] = Some(mark);
            marks.push(mark);
        }
        for family in ["a", "b", "c"] {
            for _ in 0..random.next(4) {
                let mark = 1 + random.next(count as u64) as usize;
                let (minor, patch) = (random.next(3), random.next(3));
                let pre = if random.next(4) == 0 { "-rc.1" } else { "" };
                writeln!(
                    stream,
                    "reset refs/tags/{family}-v1.{minor}.{patch}{pre}\nfrom :{mark}\n"
                )
                .unwrap();
            }
        }
        let mut child = repo
            .command("git")
            .args(["fast-import", "--quiet", "--force"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        repo.git(&["reset", "--quiet", "--hard", "main"]);
        if seed % 2 == 0 {
            repo.git(&["pack-refs", "--all"]);
        }
        let git = open(&repo);
        assert_eq!(together(&git), one_by_one(&git), "seed {seed}");
    }
}
