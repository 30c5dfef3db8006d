//! Finding the previous release and the commits since it, with as few git processes as possible
//! (see "The fast path for history" in docs/architecture.md).
//!
//! Tag names are read from files and classified by the caller's closure (this crate knows nothing
//! of versions); `packed-refs` also tells which commit each packed tag peels to, so git is asked
//! to decorate commits only with the loose release tags (decorating every tag costs git a read of
//! each tag object). One `git log` walk from the start revision stops at the first commit carrying
//! a release tag, and hands the commits before it to the caller as it goes. Only when a release tag
//! with a *higher* version exists elsewhere is its reachability checked, with one more process.
//!
//! The commits delivered must be exactly `TAG..FROM`. The walk is in commit-date order, so on a
//! linear stretch the commits seen before the tag are that set, but after a merge a side branch
//! can hold commits older than the tag that still belong to the release. So: the chain of
//! single-parent commits from the start goes to the caller at once (it is always inside
//! `TAG..FROM`, whatever the tag); after the first merge, commits are kept until the tag is
//! reached, then given only if they are closed (every parent seen, or the tag itself). Otherwise,
//! and when a higher tag turned out to be the release, a second walk `TAG..FROM` delivers the
//! rest, skipping what the chain already gave.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use crate::error::GitError;
use crate::log::{Commit, CommitRef, Decorate, LogOptions, Revisions};
use crate::read::check_revision;
use crate::repository::Repository;

/// What a tag name means to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagKind<V> {
    /// A release tag of this version.
    Release(V),
    /// Matches the project's tag format but its version does not parse in the scheme: handed to
    /// the caller's `malformed` callback (relman refuses such tags) and not a release.
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
const MAX_NAMED_PATTERNS: usize = 200;

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
    /// reachable from `from` and not from that release (all of `from`'s history when there is
    /// none), newest first, usually from the same single git process.
    pub fn commits_since_release<V: Ord>(
        &self,
        from: &str,
        mut classify: impl FnMut(&str) -> TagKind<V>,
        mut malformed: impl FnMut(&str),
        mut on_commit: impl FnMut(CommitRef<'_>),
    ) -> Result<Option<Release<V>>, GitError> {
        check_revision(from)?;
        let mut releases: HashMap<String, V> = HashMap::new();
        // Commit id → release tags on it, for the tags whose commit `packed-refs` records.
        let mut known: HashMap<String, Vec<String>> = HashMap::new();
        let mut undecorated: Vec<String> = Vec::new();
        for tag in self.tag_targets()? {
            match classify(&tag.name) {
                TagKind::Release(version) => {
                    match tag.commit {
                        Some(commit) => known.entry(commit).or_default().push(tag.name.clone()),
                        None => undecorated.push(format!("refs/tags/{}", tag.name)),
                    }
                    releases.insert(tag.name, version);
                }
                TagKind::Malformed => malformed(&tag.name),
                TagKind::Unrelated => {}
            }
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
                    unreleased.observe(commit, &mut on_commit);
                    ControlFlow::Continue(())
                }
            }
        })?;

        let Some((tag, commit)) = stop else {
            if self.is_shallow() {
                return Err(self.shallow_error());
            }
            // No release reachable: everything walked is unreleased, and the walk saw it all.
            unreleased.flush(&mut on_commit);
            return Ok(None);
        };
        let exact = unreleased.is_exact(&commit);
        let version = releases
            .remove(&tag)
            .expect("invariant: the stop tag was found in the release map");
        let candidate = Release {
            tag,
            version,
            commit,
        };
        let release = match self.highest_reachable_above(from, &candidate.version, releases)? {
            Some(higher) => higher,
            None if exact => {
                unreleased.flush(&mut on_commit);
                return Ok(Some(candidate));
            }
            None => candidate,
        };
        let delivered = unreleased.delivered_prefix();
        self.walk_with(
            Revisions::Range {
                since: &release.commit,
                until: from,
            },
            &options,
            &Decorate::Nothing,
            |commit| {
                if !delivered.contains(commit.sha()) {
                    on_commit(commit);
                }
                ControlFlow::<()>::Continue(())
            },
        )?;
        Ok(Some(release))
    }

    /// Among the release tags with a version above `floor`, the highest reachable from `from`;
    /// `None` when no such tag exists (the usual case: no process is started) or none is reachable.
    fn highest_reachable_above<V: Ord>(
        &self,
        from: &str,
        floor: &V,
        releases: HashMap<String, V>,
    ) -> Result<Option<Release<V>>, GitError> {
        let higher: HashMap<String, V> = releases
            .into_iter()
            .filter(|(_, version)| version > floor)
            .collect();
        if higher.is_empty() {
            return Ok(None);
        }
        let mut command = self.git([
            "for-each-ref",
            "--format=%(refname)%09%(objectname)%09%(*objectname)",
        ]);
        command.arg(format!("--merged={from}"));
        if higher.len() <= MAX_NAMED_PATTERNS {
            command.args(higher.keys().map(|name| format!("refs/tags/{name}")));
        } else {
            command.arg("refs/tags/");
        }
        let text = command.run_text()?;
        let mut best: Option<(&str, &V, &str)> = None;
        for line in text.lines() {
            let mut fields = line.split('\t');
            let (Some(refname), Some(target), peeled) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Some((name, version)) = refname
                .strip_prefix("refs/tags/")
                .and_then(|name| higher.get_key_value(name))
            else {
                continue;
            };
            let commit = peeled.filter(|peeled| !peeled.is_empty()).unwrap_or(target);
            if best.is_none_or(|(_, best_version, _)| version > best_version) {
                best = Some((name, version, commit));
            }
        }
        let Some((name, _, commit)) = best else {
            return Ok(None);
        };
        let (name, commit) = (name.to_owned(), commit.to_owned());
        let mut higher = higher;
        let version = higher
            .remove(&name)
            .expect("invariant: the best tag was taken from this map");
        Ok(Some(Release {
            tag: name,
            version,
            commit,
        }))
    }
}

/// The release tag of highest version on `commit`, if it carries any: from git's decorations
/// (loose tags) and from the tags whose commit is known.
fn newest_release_tag<V: Ord>(
    commit: &CommitRef<'_>,
    releases: &HashMap<String, V>,
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
        .filter_map(|tag| releases.get(tag).map(|version| (tag, version)))
        .max_by(|a, b| a.1.cmp(b.1))
        .map(|(tag, _)| tag.to_owned())
}

/// The commits a release walk has seen before reaching a release tag.
#[derive(Default)]
struct Unreleased {
    /// Ids of the single-parent chain from the start, already given to the caller, back to back.
    prefix: String,
    /// The parent the chain continues with; empty before the first commit and after a root.
    expected: String,
    started: bool,
    id_width: usize,
    /// Everything after the chain, kept until the walk ends.
    kept: Option<Kept>,
}

#[derive(Default)]
struct Kept {
    commits: Vec<Commit>,
    seen: HashSet<String>,
    /// Parents referenced by kept commits and not seen yet.
    open: HashSet<String>,
    has_root: bool,
}

impl Unreleased {
    fn observe(&mut self, commit: CommitRef<'_>, on_commit: &mut impl FnMut(CommitRef<'_>)) {
        if self.kept.is_none() {
            let continues_chain = !self.started || commit.sha() == self.expected;
            if continues_chain && commit.parent_count() <= 1 {
                self.started = true;
                self.id_width = commit.sha().len();
                self.prefix.push_str(commit.sha());
                self.expected.clear();
                self.expected
                    .push_str(commit.parents().next().unwrap_or(""));
                on_commit(commit);
                return;
            }
            let mut kept = Kept::default();
            if self.started && !self.expected.is_empty() {
                kept.open.insert(self.expected.clone());
            }
            self.started = true;
            self.kept = Some(kept);
        }
        let kept = self
            .kept
            .as_mut()
            .expect("invariant: kept was just initialised");
        let sha = commit.sha();
        kept.seen.insert(sha.to_owned());
        kept.open.remove(sha);
        for parent in commit.parents() {
            if !kept.seen.contains(parent) {
                kept.open.insert(parent.to_owned());
            }
        }
        kept.has_root |= commit.parent_count() == 0;
        kept.commits.push(commit.to_commit());
    }

    /// Whether the commits seen are exactly those between the tag's commit and the start.
    fn is_exact(&self, tag_commit: &str) -> bool {
        match &self.kept {
            None => !self.started || self.expected == tag_commit,
            Some(kept) => !kept.has_root && kept.open.len() == 1 && kept.open.contains(tag_commit),
        }
    }

    fn flush(&mut self, on_commit: &mut impl FnMut(CommitRef<'_>)) {
        if let Some(kept) = self.kept.take() {
            for commit in &kept.commits {
                on_commit(commit.as_commit_ref());
            }
        }
    }

    fn delivered_prefix(&self) -> HashSet<&str> {
        // Ids in one repository have one length (40 for SHA-1, 64 for SHA-256).
        let width = self.id_width.max(1);
        let mut shas = HashSet::new();
        let mut rest = self.prefix.as_str();
        while rest.len() >= width {
            let (sha, tail) = rest.split_at(width);
            shas.insert(sha);
            rest = tail;
        }
        shas
    }
}
