//! Reading history for a release: the previous release tag and the commits since it, turned into
//! the impact for `auto` and the release notes, in one `git log` walk; and the whole history cut
//! into released sections for `relman changelog --all`, streamed.

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
}

impl History {
    /// The notes, named for the release of `version` (tagged `tag`) on `date`.
    pub fn notes_for(&self, version: &str, tag: &str, date: &str) -> ReleaseNotes {
        let mut notes = self.notes.clone();
        notes.version = version.to_owned();
        notes.tag = tag.to_owned();
        notes.date = date.to_owned();
        if let Some(previous) = &self.previous {
            notes.previous_version = Some(previous.version.to_string());
            notes.previous_tag = Some(previous.tag.clone());
        }
        notes
    }
}

impl Project {
    fn classify(&self, tag: &str) -> TagKind<Version> {
        if self
            .ignore_tags
            .as_ref()
            .is_some_and(|globs| globs.is_match(tag))
        {
            return TagKind::Unrelated;
        }
        match self.tag_format.extract(tag) {
            None => TagKind::Unrelated,
            Some(text) => match self.scheme.parse(text) {
                Ok(version) => TagKind::Release(version),
                Err(_) => TagKind::Malformed,
            },
        }
    }

    /// The previous release reachable from HEAD and the commits since it, in one walk.
    pub fn history(&self, include_other: bool) -> Result<History, ProjectError> {
        let options = NotesOptions {
            include_other,
            ..NotesOptions::default()
        };
        let mut notes = ReleaseNotes::new("", "", "", options);
        let mut impact = Impact::None;
        let mut commits = 0;
        let mut malformed = Vec::new();
        let previous = self.repo.commits_since_release(
            "HEAD",
            |tag| self.classify(tag),
            |tag| malformed.push(tag.to_owned()),
            |commit| {
                commits += 1;
                let parsed = conventional::parse(commit.message_bytes());
                impact = impact.max(parsed.impact());
                notes.push(commit.sha(), &parsed);
            },
        )?;
        // Checked after the walk, which costs nothing more: the tags are classified before it.
        self.refuse_malformed(malformed)?;
        Ok(History {
            previous,
            impact,
            notes,
            commits,
        })
    }

    /// Every tag that matches the tag format must be a release (SPEC §9: a non-version tag among
    /// release tags is bad input), unless `ignore-tags` says it is not one: a changelog computed
    /// past a tag that may mark a release would repeat what that release shipped.
    fn check_release_tags(&self) -> Result<(), ProjectError> {
        let malformed = self
            .repo
            .tag_names()?
            .into_iter()
            .filter(|tag| matches!(self.classify(tag), TagKind::Malformed))
            .collect();
        self.refuse_malformed(malformed)
    }

    fn refuse_malformed(&self, mut tags: Vec<String>) -> Result<(), ProjectError> {
        if tags.is_empty() {
            return Ok(());
        }
        tags.sort();
        tags.dedup();
        Err(ProjectError::MalformedTags {
            tags,
            format: self.tag_format.to_string(),
            scheme: self.scheme.to_string(),
            remote: self.remote.clone(),
        })
    }

    /// Walks the whole history from HEAD once, and calls `on_section` with each release's notes,
    /// newest first, as soon as the walk has passed its previous release. Commits newer than the
    /// newest release are not part of any section. Refuses tags that match the tag format but
    /// are not versions before anything is written.
    pub fn released_sections(
        &self,
        include_other: bool,
        mut on_section: impl FnMut(&ReleaseNotes) -> std::io::Result<()>,
    ) -> Result<(), ProjectError> {
        self.check_release_tags()?;
        let options = NotesOptions {
            include_other,
            ..NotesOptions::default()
        };
        let mut notes = ReleaseNotes::new("", "", "", options);
        let mut open = false;
        let mut failure: Option<std::io::Error> = None;
        self.repo.history(|commit| {
            // The highest release version among this commit's tags starts a section.
            let mut release: Option<(Version, &str)> = None;
            for tag in commit.tags() {
                match self.classify(tag) {
                    TagKind::Release(version) => {
                        if release.as_ref().is_none_or(|(best, _)| version > *best) {
                            release = Some((version, tag));
                        }
                    }
                    // Refused above; one made during the walk is not a release either.
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
            if open {
                let parsed = conventional::parse(commit.message_bytes());
                notes.push(commit.sha(), &parsed);
            }
            ControlFlow::Continue(())
        })?;
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
