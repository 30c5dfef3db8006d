//! Finding the last release and the commits since it, with as few git processes as possible
//! (see "The fast path for history" in docs/architecture.md).
//!
//! The last release is the release tag of highest version reachable from the start revision
//! (not the nearest one), and the unreleased commits are those the start reaches and no release
//! tag reaches: a fix shipped from a release branch (`v4.2.1` on `release-4.2`, never merged
//! back) is not unreleased on `main` again.
//!
//! Tag names are read from files and classified by the caller's closure (this crate knows nothing
//! of versions); `packed-refs` also tells which commit each packed tag peels to, so git is asked
//! to decorate commits only with the loose release tags (decorating every tag costs git a read of
//! each tag object). One `git log` walk from the start revision stops at the first commit carrying
//! a release tag, keeping the commits before it. When no release tag has a higher version than
//! that one (the usual case), it is the last release, and the kept commits are handed over when
//! they are exactly `TAG..FROM`: the walk is in commit-date order, so after a merge a side branch
//! can hold commits older than the tag that still belong to the release; commits are kept until
//! the tag is reached and given only if they are closed (every parent seen, or the tag itself).
//!
//! Only release tags *above* the one found need more work, and only they need excluding: a tag
//! below the last release that HEAD does not reach sits on a maintenance branch whose shared
//! history is in the last release already. `merge-base --is-ancestor` tells which of the higher
//! tags are reachable (the highest of those is the last release, except a pre-release that an
//! older final release already descends from: an abandoned pre-release line), and one more walk
//! `FROM --not LAST HIGHER…` delivers the commits.
//! Kept commits are bounded ([`MAX_KEPT`]); past that the walk only looks for the tag and the
//! second walk delivers everything.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use crate::error::GitError;
use crate::log::{Commit, CommitRef, Decorate, LogOptions, Revisions};
use crate::read::check_revision;
use crate::repository::Repository;

/// What a tag name means to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagKind<V> {
    /// A release tag of this (final) version.
    Release(V),
    /// A release tag of a pre-release version (`v2.0.0-rc.1`, `2.0.0b1`).
    PreRelease(V),
    /// Looks like the project's tags but is no release (not a version, another package's tag):
    /// handed to the caller's `malformed` callback, which reports it, and otherwise ignored.
    Malformed,
    /// Not a release tag of this project.
    Unrelated,
}

/// A release found in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release<V> {
    pub tag: String,
    pub version: V,
    /// The commit the tag points at (peeled through an annotated tag).
    pub commit: String,
}

/// Above this many tags to check, one `refs/tags/` pattern is cheaper than naming each tag.
pub(crate) const MAX_NAMED_PATTERNS: usize = 200;

/// Up to this many higher tags are checked one `merge-base --is-ancestor` each.
const MAX_ANCESTRY_CHECKS: usize = 32;

/// At most this many commits are kept by the first walk; past it the second walk delivers.
const MAX_KEPT: usize = 50_000;

/// A release tag as classified: its version and whether it is a pre-release.
pub(crate) struct Classified<V> {
    pub version: V,
    pub pre: bool,
}

/// A release tag that may be the last release, with its commit.
pub(crate) struct Candidate<'a, V> {
    pub name: &'a str,
    pub version: &'a V,
    pub pre: bool,
    pub commit: String,
}

impl Repository {
    /// The newest release (in version order) reachable from `from` (usually `HEAD`). `classify`
    /// maps each tag name to a version; `malformed` receives each tag that is
    /// [`TagKind::Malformed`].
    pub fn previous_release<V: Ord>(
        &self,
        from: &str,
        classify: impl FnMut(&str) -> TagKind<V>,
        malformed: impl FnMut(&str),
    ) -> Result<Option<Release<V>>, GitError> {
        self.commits_since_release(from, classify, malformed, |_| {})
    }

    /// Like [`previous_release`](Self::previous_release), and also hands `on_commit` every commit
    /// reachable from `from` and from no release tag at or above that release (all of `from`'s
    /// history when there is none), newest first, usually from the same single git process.
    pub fn commits_since_release<V: Ord>(
        &self,
        from: &str,
        mut classify: impl FnMut(&str) -> TagKind<V>,
        mut malformed: impl FnMut(&str),
        mut on_commit: impl FnMut(CommitRef<'_>),
    ) -> Result<Option<Release<V>>, GitError> {
        check_revision(from)?;
        let mut releases: HashMap<String, Classified<V>> = HashMap::new();
        // Commit id → release tags on it, for the tags whose commit `packed-refs` records.
        let mut known: HashMap<String, Vec<String>> = HashMap::new();
        let mut undecorated: Vec<String> = Vec::new();
        for tag in self.tag_targets()? {
            let (version, pre) = match classify(&tag.name) {
                TagKind::Release(version) => (version, false),
                TagKind::PreRelease(version) => (version, true),
                TagKind::Malformed => {
                    malformed(&tag.name);
                    continue;
                }
                TagKind::Unrelated => continue,
            };
            match &tag.commit {
                Some(commit) => known
                    .entry(commit.clone())
                    .or_default()
                    .push(tag.name.clone()),
                None => undecorated.push(format!("refs/tags/{}", tag.name)),
            }
            releases.insert(tag.name, Classified { version, pre });
        }
        let options = LogOptions::default();
        if releases.is_empty() {
            if self.is_shallow() {
                return Err(self.shallow_error());
            }
            self.walk_with(
                Revisions::Rev(from),
                &options,
                &Decorate::Nothing,
                |commit| {
                    on_commit(commit);
                    ControlFlow::<()>::Continue(())
                },
            )?;
            return Ok(None);
        }

        let decorate = if undecorated.is_empty() {
            Decorate::Nothing
        } else if undecorated.len() <= MAX_NAMED_PATTERNS {
            Decorate::Only(undecorated)
        } else {
            Decorate::AllTags
        };
        let mut unreleased = Unreleased::default();
        let stop = self.walk_with(Revisions::Rev(from), &options, &decorate, |commit| {
            match newest_release_tag(&commit, &releases, &known) {
                Some(tag) => ControlFlow::Break((tag, commit.sha().to_owned())),
                None => {
                    unreleased.observe(commit);
                    ControlFlow::Continue(())
                }
            }
        })?;

        let Some((tag, commit)) = stop else {
            if self.is_shallow() {
                return Err(self.shallow_error());
            }
            // No release reachable: everything walked is unreleased.
            if !unreleased.flush(&mut on_commit) {
                self.deliver(Revisions::Rev(from), &mut on_commit)?;
            }
            return Ok(None);
        };
        let found = releases
            .get(&tag)
            .expect("invariant: the stop tag was found in the release map");
        let higher: Vec<(&str, &Classified<V>)> = releases
            .iter()
            .filter(|(_, release)| release.version > found.version)
            .map(|(name, release)| (name.as_str(), release))
            .collect();
        if higher.is_empty() {
            let exact = unreleased.is_exact(&commit);
            if !(exact && unreleased.flush(&mut on_commit)) {
                self.deliver(
                    Revisions::Range {
                        since: &commit,
                        until: from,
                    },
                    &mut on_commit,
                )?;
            }
            return Ok(Some(take_release(releases, tag, commit)));
        }

        let first = Candidate {
            name: tag.as_str(),
            version: &found.version,
            pre: found.pre,
            commit: commit.clone(),
        };
        let chosen = self.last_release(from, first, &higher)?;
        let (name, commit) = (chosen.name.to_owned(), chosen.commit);
        let chosen_version = &releases[&name].version;
        // Everything at or above the last release: the release itself, the higher tags HEAD
        // cannot reach (release branches) and the pre-releases it left behind.
        let mut excluded: Vec<String> = vec![commit.clone()];
        excluded.extend(
            higher
                .iter()
                .filter(|(_, release)| release.version > *chosen_version)
                .map(|(name, _)| format!("refs/tags/{name}")),
        );
        excluded.sort();
        self.deliver(
            Revisions::Excluding {
                from,
                not: &excluded,
            },
            &mut on_commit,
        )?;
        Ok(Some(take_release(releases, name, commit)))
    }

    /// Streams every commit of `revisions` to `on_commit`.
    fn deliver(
        &self,
        revisions: Revisions<'_>,
        on_commit: &mut impl FnMut(CommitRef<'_>),
    ) -> Result<(), GitError> {
        self.walk_with(
            revisions,
            &LogOptions::default(),
            &Decorate::Nothing,
            |commit| {
                on_commit(commit);
                ControlFlow::<()>::Continue(())
            },
        )?;
        Ok(())
    }

    /// The last release among `first` (the release tag the walk met first) and the `higher`
    /// release tags `from` reaches: the highest, except a pre-release that a lower final release
    /// descends from (the project went on with the older line and left that pre-release behind).
    pub(crate) fn last_release<'a, V: Ord>(
        &self,
        from: &str,
        first: Candidate<'a, V>,
        higher: &[(&'a str, &'a Classified<V>)],
    ) -> Result<Candidate<'a, V>, GitError> {
        let mut candidates = self.reachable(from, higher)?;
        candidates.push(first);
        candidates.sort_by(|a, b| b.version.cmp(a.version));
        let mut index = 0;
        while index < candidates.len() {
            let candidate = &candidates[index];
            if candidate.pre {
                let below = candidates
                    .iter()
                    .filter(|other| !other.pre && other.version < candidate.version)
                    .max_by(|a, b| a.version.cmp(b.version));
                if let Some(below) = below
                    && self.is_ancestor(&candidate.commit, &below.commit)?
                {
                    index += 1;
                    continue;
                }
            }
            return Ok(candidates.swap_remove(index));
        }
        unreachable!("invariant: the last candidate is a final release or has none below it")
    }

    /// Which of `tags` `from` reaches, with their commits. `for-each-ref --merged` proves that a
    /// tag is *not* reachable only by walking all of `from`'s history (10 s on a million commits
    /// without a commit-graph), while `merge-base --is-ancestor` stops at the first common
    /// ancestor: so the tags' commits are read with one `for-each-ref`, then each is asked about
    /// on its own, up to [`MAX_ANCESTRY_CHECKS`]; past that, one `for-each-ref --merged`.
    fn reachable<'a, V>(
        &self,
        from: &str,
        tags: &[(&'a str, &'a Classified<V>)],
    ) -> Result<Vec<Candidate<'a, V>>, GitError> {
        let by_name: HashMap<&str, &Classified<V>> = tags.iter().copied().collect();
        let one_by_one = tags.len() <= MAX_ANCESTRY_CHECKS;
        let mut command = self.git([
            "for-each-ref",
            "--format=%(refname)%09%(objectname)%09%(*objectname)",
        ]);
        if !one_by_one {
            command.arg(format!("--merged={from}"));
        }
        if tags.len() <= MAX_NAMED_PATTERNS {
            command.args(tags.iter().map(|(name, _)| format!("refs/tags/{name}")));
        } else {
            command.arg("refs/tags/");
        }
        let text = command.run_text()?;
        let mut found = Vec::new();
        for line in text.lines() {
            let mut fields = line.split('\t');
            let (Some(refname), Some(target), peeled) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Some((&name, release)) = refname
                .strip_prefix("refs/tags/")
                .and_then(|name| by_name.get_key_value(name))
            else {
                continue;
            };
            let commit = peeled.filter(|peeled| !peeled.is_empty()).unwrap_or(target);
            if one_by_one && !self.is_ancestor(commit, from)? {
                continue;
            }
            found.push(Candidate {
                name,
                version: &release.version,
                pre: release.pre,
                commit: commit.to_owned(),
            });
        }
        Ok(found)
    }
}

fn take_release<V>(
    mut releases: HashMap<String, Classified<V>>,
    tag: String,
    commit: String,
) -> Release<V> {
    let version = releases
        .remove(&tag)
        .expect("invariant: the release was taken from this map")
        .version;
    Release {
        tag,
        version,
        commit,
    }
}

/// The release tag of highest version on `commit`, if it carries any: from git's decorations
/// (loose tags) and from the tags whose commit is known.
fn newest_release_tag<V: Ord>(
    commit: &CommitRef<'_>,
    releases: &HashMap<String, Classified<V>>,
    known: &HashMap<String, Vec<String>>,
) -> Option<String> {
    let known_here = known
        .get(commit.sha())
        .into_iter()
        .flatten()
        .map(String::as_str);
    commit
        .tags()
        .chain(known_here)
        .filter_map(|tag| releases.get(tag).map(|release| (tag, &release.version)))
        .max_by(|a, b| a.1.cmp(b.1))
        .map(|(tag, _)| tag.to_owned())
}

/// The commits a release walk has seen before reaching a release tag, kept (up to
/// [`MAX_KEPT`]) with what is needed to tell whether they are exactly `TAG..FROM`.
#[derive(Default)]
struct Unreleased {
    commits: Vec<Commit>,
    /// More than [`MAX_KEPT`] commits were seen: the kept ones were dropped.
    overflowed: bool,
    /// The parent a single-parent chain from the start continues with, until the first merge.
    expected: String,
    started: bool,
    merged: bool,
    seen: HashSet<String>,
    /// Parents referenced by commits after the chain and not seen yet.
    open: HashSet<String>,
    has_root: bool,
}

impl Unreleased {
    fn observe(&mut self, commit: CommitRef<'_>) {
        if !self.overflowed {
            if self.commits.len() >= MAX_KEPT {
                self.overflowed = true;
                self.commits = Vec::new();
                self.seen = HashSet::new();
                self.open = HashSet::new();
            } else {
                self.commits.push(commit.to_commit());
            }
        }
        if self.overflowed {
            return;
        }
        if !self.merged {
            let continues_chain = !self.started || commit.sha() == self.expected;
            self.started = true;
            if continues_chain && commit.parent_count() <= 1 {
                self.expected.clear();
                self.expected
                    .push_str(commit.parents().next().unwrap_or(""));
                self.has_root |= commit.parent_count() == 0;
                return;
            }
            self.merged = true;
            if !self.expected.is_empty() && commit.sha() != self.expected {
                self.open.insert(self.expected.clone());
            }
        }
        let sha = commit.sha();
        self.seen.insert(sha.to_owned());
        self.open.remove(sha);
        for parent in commit.parents() {
            if !self.seen.contains(parent) {
                self.open.insert(parent.to_owned());
            }
        }
        self.has_root |= commit.parent_count() == 0;
    }

    /// Whether the commits seen are exactly those between the tag's commit and the start.
    fn is_exact(&self, tag_commit: &str) -> bool {
        if self.overflowed || self.has_root {
            return false;
        }
        if !self.merged {
            return !self.started || self.expected == tag_commit;
        }
        self.open.len() == 1 && self.open.contains(tag_commit)
    }

    /// Hands the kept commits over; `false` (and nothing handed) when they were dropped.
    fn flush(&mut self, on_commit: &mut impl FnMut(CommitRef<'_>)) -> bool {
        if self.overflowed {
            return false;
        }
        for commit in std::mem::take(&mut self.commits) {
            on_commit(commit.as_commit_ref());
        }
        true
    }
}
