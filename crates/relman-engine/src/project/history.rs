//! Reading history for a release: the previous release tag and the commits since it, turned into
//! the impact for `auto` and the release notes, in one `git log` walk; and the whole history cut
//! into released sections for `relman changelog --all`, streamed.
//!
//! What `auto` releases, by where the notes come from:
//! - news fragments waiting: the largest level of their types ([`super::fragment_level`]), and at
//!   least a patch: fragments are something to release; a type the news file shows in a release
//!   that kept the major version is a minor change (`fragment_history`);
//! - commits that are mostly Conventional Commits: breaking → major, `feat` → minor, `fix`/`perf`
//!   → patch, nothing releasable → nothing to release;
//! - commits that are mostly not conventional (a project that does not write them): a patch when
//!   there is any commit, since relman cannot tell a feature from a fix there (`relman release
//!   minor` says otherwise); a conventional `feat` or breaking change among them still counts.
//!   A project that keeps news fragments and has none waiting has nothing to release unless a
//!   conventional commit says so.

use std::ops::ControlFlow;

use relman_git::{Release, TagKind};
use relman_version::bump::Impact;
use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
use relman_version::conventional;
use relman_version::version::Version;

use super::{Project, ProjectError};

/// The previous release and what happened since.
#[derive(Debug, Clone)]
pub struct History {
    pub previous: Option<Release<Version>>,
    pub impact: Impact,
    /// Notes of the commits since the previous release, not yet named: the next version is
    /// only known once the impact is (see [`History::notes_for`]).
    pub notes: ReleaseNotes,
    /// How many commits since the previous release.
    pub commits: usize,
    /// Tags in the tag format that are no releases (another package's, junk), ignored; sorted.
    pub ignored_tags: Vec<String>,
    /// The newest final release tagged where HEAD cannot reach (a release branch's `v4.2.1`
    /// above the reachable `v4.1.0`), as (tag, version): a release made here above it follows
    /// it, in the notes and `{previous_tag}` (see [`History::previous_of`]).
    pub branch_release: Option<(String, Version)>,
}

impl History {
    /// The notes, named for the release of `version` (tagged `tag`) on `date`.
    pub fn notes_for(&self, version: &str, tag: &str, date: &str) -> ReleaseNotes {
        let mut notes = self.notes.clone();
        notes.version = version.to_owned();
        notes.tag = tag.to_owned();
        notes.date = date.to_owned();
        if let Some((previous_tag, previous_version)) = self.previous_of(version) {
            notes.previous_version = Some(previous_version);
            notes.previous_tag = Some(previous_tag);
        }
        notes
    }

    /// The release that `version` follows, as (tag, version): the newest one made on a release
    /// branch when it is below `version` (argo-cd's 3.6.0 on master follows `v3.5.1` of
    /// `release-3.5`, not the `v0.8.0` master last reached), else the previous release.
    pub fn previous_of(&self, version: &str) -> Option<(String, String)> {
        if let Some((tag, released)) = &self.branch_release
            && released
                .scheme()
                .parse(version)
                .is_ok_and(|target| *released < target)
        {
            return Some((tag.clone(), released.to_string()));
        }
        self.previous
            .as_ref()
            .map(|release| (release.tag.clone(), release.version.to_string()))
    }
}

impl Project {
    /// What the news fragments waiting call for, when the notes come from fragments and there
    /// are any: the largest level of their types, at least a patch.
    pub fn fragment_impact(&self) -> Result<Option<Impact>, ProjectError> {
        let Some(config) = self.towncrier() else {
            return Ok(None);
        };
        let fragments = match relman_version::changelog::towncrier::collect_fragments(config) {
            Ok(fragments) => fragments,
            // A missing folder is reported where the section is built.
            Err(_) => return Ok(None),
        };
        if fragments.is_empty() {
            return Ok(None);
        }
        let news = relman_version::files::read_text_bounded(
            &self.root.join(&self.changelog.file),
            relman_version::files::bounded::MAX_CHANGELOG,
        )
        .unwrap_or_default();
        let level = |kind: &str| {
            let level = super::fragment_level(&self.changelog.levels, kind);
            // A type the project shipped in minor releases (its news file says so) is none.
            let shipped_in_minor = || {
                config.types.iter().any(|fragment_type| {
                    fragment_type.key == kind
                        && super::fragment_history::shipped_without_major(
                            &self.changelog.file,
                            &news,
                            &fragment_type.name,
                            &self.scheme,
                        )
                })
            };
            if level == Impact::Major
                && !self.changelog.levels.contains_key(kind)
                && shipped_in_minor()
            {
                Impact::Minor
            } else {
                level
            }
        };
        let impact = fragments
            .sections
            .iter()
            .flat_map(|section| &section.fragments)
            .map(|fragment| level(&fragment.kind))
            .max()
            .unwrap_or_default();
        Ok(Some(impact.max(Impact::Patch)))
    }

    /// The previous release reachable from HEAD and the commits since it, in one walk.
    pub fn history(&self, include_other: bool) -> Result<History, ProjectError> {
        if let Some(scope) = &self.scope {
            // One package of several: only the commits that touched it.
            let mut histories = self.histories_of(&[scope.index], Some(include_other))?;
            return Ok(histories.remove(0));
        }
        let options = NotesOptions {
            include_other,
            extra_types: self.changelog.types.clone(),
            ..NotesOptions::default()
        };
        let mut notes = ReleaseNotes::new("", "", "", options);
        let mut impact = Impact::None;
        let mut commits = 0;
        let mut ignored_tags = Vec::new();
        // The newest final release of all, seen as the walk reads the tags: above the previous
        // release, HEAD cannot reach it (the walk stops at the newest one it reaches), so it
        // was made on another branch.
        let mut newest: Option<(String, Version)> = None;
        let previous = self.repo.commits_since_release(
            "HEAD",
            |tag| {
                let kind = self.classify(tag);
                if let TagKind::Release(version) = &kind
                    && newest.as_ref().is_none_or(|(_, known)| version > known)
                {
                    newest = Some((tag.to_owned(), version.clone()));
                }
                kind
            },
            |tag| ignored_tags.push(tag.to_owned()),
            |commit| {
                commits += 1;
                let parsed = conventional::parse(commit.message_bytes());
                impact = impact.max(parsed.impact());
                notes.push_commit(
                    commit.sha(),
                    commit.parents(),
                    &commit.author_name(),
                    &parsed,
                );
            },
        )?;
        ignored_tags.sort();
        let branch_release = newest.filter(|(_, version)| {
            previous
                .as_ref()
                .is_some_and(|previous| *version > previous.version)
        });
        match self.fragment_impact()? {
            Some(fragments) => impact = fragments,
            // A project that keeps news fragments says what to release with them.
            None if self.towncrier().is_some() => {}
            None if commits > 0 && !notes.changes().is_conventional() => {
                impact = impact.max(Impact::Patch);
            }
            None => {}
        }
        Ok(History {
            previous,
            impact,
            notes,
            commits,
            ignored_tags,
            branch_release,
        })
    }

    /// Walks the whole history from HEAD once, and calls `on_section` with each release's notes,
    /// newest first, as soon as the walk has passed its previous release. Commits newer than the
    /// newest release are not part of any section; tags that are no releases are ignored.
    pub fn released_sections(
        &self,
        include_other: bool,
        mut on_section: impl FnMut(&ReleaseNotes) -> std::io::Result<()>,
    ) -> Result<(), ProjectError> {
        let options = NotesOptions {
            include_other,
            extra_types: self.changelog.types.clone(),
            ..NotesOptions::default()
        };
        let mut notes = ReleaseNotes::new("", "", "", options);
        let mut open = false;
        let mut failure: Option<std::io::Error> = None;
        // One package of several: its tags start the sections, and only the commits that
        // touched it are in them.
        let scope = self
            .scope
            .as_ref()
            .map(|scope| (scope.index, std::sync::Arc::clone(&scope.owners)));
        let on_commit = |commit: relman_git::CommitRef<'_>| {
            // The highest release version among this commit's tags starts a section.
            let mut release: Option<(Version, &str)> = None;
            for tag in commit.tags() {
                match self.classify(tag) {
                    TagKind::Release(version) | TagKind::PreRelease(version) => {
                        if release.as_ref().is_none_or(|(best, _)| version > *best) {
                            release = Some((version, tag));
                        }
                    }
                    TagKind::Malformed | TagKind::Unrelated => {}
                }
            }
            if let Some((version, tag)) = release {
                if open {
                    notes.previous_version = Some(version.to_string());
                    notes.previous_tag = Some(tag.to_owned());
                    if let Err(error) = on_section(&notes) {
                        failure = Some(error);
                        return ControlFlow::Break(());
                    }
                }
                let date = commit.author_date().get(..10).unwrap_or_default();
                notes.reset(&version.to_string(), tag, date);
                open = true;
            }
            let touched = scope.as_ref().is_none_or(|(index, owners)| {
                commit
                    .changed_paths()
                    .any(|path| owners.owner_of_path(path) == Some(*index))
            });
            if open && touched {
                let parsed = conventional::parse(commit.message_bytes());
                notes.push_commit(
                    commit.sha(),
                    commit.parents(),
                    &commit.author_name(),
                    &parsed,
                );
            }
            ControlFlow::Continue(())
        };
        if scope.is_some() {
            if self.repo.is_shallow() {
                return Err(self.repo.shallow_error().into());
            }
            let options = relman_git::LogOptions {
                changed_paths: true,
                ..relman_git::LogOptions::default()
            };
            self.repo
                .walk(relman_git::Revisions::Head, &options, on_commit)?;
        } else {
            self.repo.history(on_commit)?;
        }
        if let Some(error) = failure {
            return Err(ProjectError::Write {
                path: "standard output".to_owned(),
                source: error,
            });
        }
        if open {
            on_section(&notes).map_err(|source| ProjectError::Write {
                path: "standard output".to_owned(),
                source,
            })?;
        }
        Ok(())
    }
}
