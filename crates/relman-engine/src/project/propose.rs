//! The version a release proposes, checked against history so that versions never go backwards
//! and never repeat: the bump of the current version, refused when it is below the last release
//! (unless `allow-downgrade`) and, when a tag anywhere (another branch, the remote) already holds
//! it, moved on to the next free version of the same level, or refused for an explicit version.
//!
//! On a branch named for a line of releases (`release-1.20`, `v1.x`), `auto` stays within
//! that line. Two shapes of real repositories come first: with no release tag and no version file the first
//! release is `initial-version`; and version files that lead the last release with a version no
//! tag has (bumped when the last release was cut) are what `auto` releases.

use std::sync::Arc;

use relman_git::TagKind;
use relman_version::bump::Level;
use relman_version::tag_format::TagRead;
use relman_version::version::Version;

use super::line_branch::{self, Line};
use super::{CurrentVersion, History, NextVersion, Project, ProjectError, ReleaseTag};

/// The text after `+` in a version's spelling.
fn local_label(version: &Version) -> String {
    let text = version.to_string();
    text.split_once('+')
        .map_or_else(String::new, |(_, label)| label.to_owned())
}

/// Release tags that exist, in this clone and (when asked) on the remote.
#[derive(Debug, Clone, Default)]
pub struct KnownReleases {
    local: Vec<ReleaseTag>,
    /// Every local tag name, release or not (an `ignore-tags` entry may cover a release's name).
    names: Arc<[String]>,
    /// Release tags the remote has and this clone does not.
    remote_only: Vec<ReleaseTag>,
    /// Why the remote's tags could not be listed, when they were asked for.
    pub remote_problem: Option<String>,
}

/// Where a taken version's tag is.
struct Holder<'k> {
    tag: &'k str,
    on_remote_only: bool,
}

impl KnownReleases {
    fn holder(&self, version: &Version, tag_name: &str) -> Option<Holder<'_>> {
        if let Some(release) = self
            .local
            .iter()
            .find(|release| release.version == *version)
        {
            return Some(Holder {
                tag: &release.tag,
                on_remote_only: false,
            });
        }
        if let Some(name) = self.names.iter().find(|name| *name == tag_name) {
            return Some(Holder {
                tag: name,
                on_remote_only: false,
            });
        }
        self.remote_only
            .iter()
            .find(|release| release.version == *version || release.tag == tag_name)
            .map(|release| Holder {
                tag: &release.tag,
                on_remote_only: true,
            })
    }
}

/// What a bump proposes.
#[derive(Debug, Clone, Default)]
pub struct Proposal {
    /// `None`: `auto` found nothing releasable.
    pub version: Option<Version>,
    /// What was decided beyond the plain bump (a taken version skipped, files already ahead).
    pub notes: Vec<String>,
}

impl Project {
    /// The release tags of this clone, and with `ask_remote` those of the remote too (one
    /// `ls-remote`; a remote that cannot be asked is noted, not an error).
    pub fn known_releases(&self, ask_remote: bool) -> Result<KnownReleases, ProjectError> {
        // One read of the tag names serves both.
        let names: Arc<[String]> = self.repo.tag_names()?.into();
        let (local, _) = self.release_tags_among(&names);
        let mut known = KnownReleases {
            local,
            names,
            ..KnownReleases::default()
        };
        if ask_remote {
            match self.remote_only_tags(&known.names)? {
                Ok(tags) => {
                    for tag in tags {
                        if let TagKind::Release(version) | TagKind::PreRelease(version) =
                            self.classify(&tag)
                        {
                            known.remote_only.push(ReleaseTag { tag, version });
                        }
                    }
                }
                Err(problem) => known.remote_problem = Some(problem),
            }
        }
        Ok(known)
    }

    /// The remote's tags this clone does not have (one `ls-remote`), or why the remote could
    /// not be asked; none when there is no remote.
    fn remote_only_tags(
        &self,
        local: &[String],
    ) -> Result<Result<Vec<String>, String>, ProjectError> {
        if self.repo.remote_url(&self.remote)?.is_none() {
            return Ok(Ok(Vec::new()));
        }
        Ok(match self.repo.ls_remote(&self.remote, &["refs/tags/*"]) {
            Ok(refs) => Ok(refs
                .into_iter()
                .filter_map(|remote_ref| {
                    let tag = remote_ref.name.strip_prefix("refs/tags/")?;
                    (!tag.ends_with("^{}") && !local.iter().any(|name| name == tag))
                        .then(|| tag.to_owned())
                })
                .collect()),
            Err(error) => Err(error.to_string()),
        })
    }

    /// The release tags of this clone for each package at `indices` of [`Project::packages`],
    /// from one pass over the tags (asking each package alone reads every tag once per package).
    pub fn package_known_releases(
        &self,
        indices: &[usize],
        ask_remote: bool,
    ) -> Result<Vec<KnownReleases>, ProjectError> {
        let names: Arc<[String]> = self.repo.tag_names()?.into();
        let owners = self.owners();
        let mut known: Vec<KnownReleases> = indices
            .iter()
            .map(|_| KnownReleases {
                names: Arc::clone(&names),
                ..KnownReleases::default()
            })
            .collect();
        for tag in names.iter() {
            if self
                .ignore_tags
                .as_ref()
                .is_some_and(|globs| globs.is_match(tag))
            {
                continue;
            }
            let Some((owner, TagRead::Release(version))) = owners.owner_of_tag(tag) else {
                continue;
            };
            if let Some(slot) = indices.iter().position(|index| *index == owner) {
                known[slot].local.push(ReleaseTag {
                    tag: tag.clone(),
                    version,
                });
            }
        }
        if ask_remote {
            // One `ls-remote` for every package.
            match self.remote_only_tags(&names)? {
                Ok(tags) => {
                    for tag in tags {
                        let Some((owner, TagRead::Release(version))) = owners.owner_of_tag(&tag)
                        else {
                            continue;
                        };
                        if let Some(slot) = indices.iter().position(|index| *index == owner) {
                            known[slot].remote_only.push(ReleaseTag { tag, version });
                        }
                    }
                }
                Err(problem) => {
                    for known in &mut known {
                        known.remote_problem = Some(problem.clone());
                    }
                }
            }
        }
        Ok(known)
    }

    /// The version a bump of `current` at `next.level` releases (see the module documentation).
    pub fn propose(
        &self,
        current: &CurrentVersion,
        history: &History,
        next: &NextVersion<'_>,
        known: &KnownReleases,
    ) -> Result<Proposal, ProjectError> {
        let level: Level = next.level.trim().parse()?;
        let mut notes = Vec::new();
        if current.unreleased {
            let version = match &level {
                Level::Explicit(text) => {
                    let version = self
                        .scheme
                        .parse(text)
                        .map_err(|error| ProjectError::Config(error.to_string()))?;
                    self.refuse_taken(&version, known)?;
                    version
                }
                // A release branch never merged back may hold the initial version already:
                // the level moves on from it as from any taken version.
                _ => self.next_free(
                    self.initial_version
                        .clone()
                        .expect("invariant: a project without a release has an initial version"),
                    &level,
                    next,
                    known,
                    &mut notes,
                )?,
            };
            notes.push(format!(
                "no release tag and no version file: this is the first release, {version}"
            ));
            return Ok(Proposal {
                version: Some(version),
                notes,
            });
        }
        // A local label (`2.4.0+dev`) marks development: the release is the public version,
        // when no tag has it yet; once it has (trio writes `0.34.0+dev` after 0.34.0), the bump
        // below moves on from it and drops the label.
        let release = current
            .version
            .without_local()
            .unwrap_or_else(|| current.version.clone());
        let ahead = !current.files.is_empty()
            && history
                .previous
                .as_ref()
                .is_some_and(|last| release > last.version)
            && known
                .holder(&release, &self.tag_of(&release.to_string()))
                .is_none();
        if let (Level::Auto, Some(last)) = (&level, &history.previous)
            && ahead
            && !release.is_prerelease()
        {
            // The release it follows: a release branch's newer tag, when there is one below it.
            let follows = history
                .previous_of(&release.to_string())
                .map_or_else(|| last.version.to_string(), |(_, version)| version);
            let held = if release == current.version {
                String::new()
            } else {
                format!(
                    " (released without its local label `+{}`)",
                    local_label(&current.version)
                )
            };
            notes.push(format!(
                "the version files hold {}, ahead of the last release {follows} and not tagged yet: that is the release{held}",
                current.version
            ));
            return Ok(Proposal {
                version: Some(release),
                notes,
            });
        }
        let developed = current.version.local_as_development().filter(|_| ahead);
        let Some(mut version) =
            self.next_version(developed.as_ref().unwrap_or(&current.version), next)?
        else {
            return Ok(Proposal::default());
        };
        // On a branch named for a line (`release-1.20`), `auto` stays within it.
        if matches!(level, Level::Auto)
            && let Some((branch, line)) = self.branch_line()
            && line.holds(&current.version)
            && !line.holds(&version)
        {
            let within = NextVersion {
                level: line.level(),
                ..next.clone()
            };
            if let Some(kept) = self.next_version(&current.version, &within)? {
                notes.push(format!(
                    "`{branch}` is the {} line: `auto` releases {kept} there, not {version}",
                    line.describe()
                ));
                version = kept;
            }
        }
        if let Some(last) = &history.previous
            && version < last.version
            && !next.allow_downgrade
        {
            return Err(ProjectError::VersionBelow {
                version: version.to_string(),
                last: last.version.to_string(),
                tag: last.tag.clone(),
                place: self.place_of(&last.tag, false),
                files_behind: super::files::behind(&current.version, &last.version)
                    && !current.files.is_empty(),
            });
        }
        let version = self.next_free(version, &level, next, known, &mut notes)?;
        Ok(Proposal {
            version: Some(version),
            notes,
        })
    }

    /// The branch HEAD is on and the line of releases its name is for, when it is no branch
    /// releases are normally cut from (see `line_branch`).
    fn branch_line(&self) -> Option<(String, Line)> {
        if !line_branch::applies_to(&self.scheme) {
            return None;
        }
        let branch = self.repo.current_branch().ok().flatten()?;
        if self.branch.as_deref() == Some(branch.as_str()) {
            return None;
        }
        Line::of_branch(&branch).map(|line| (branch, line))
    }

    /// `version`, or when a tag holds it the next free one of the same level (an explicit
    /// version is refused instead); bounded, since each step is strictly higher.
    fn next_free(
        &self,
        mut version: Version,
        level: &Level,
        next: &NextVersion<'_>,
        known: &KnownReleases,
        notes: &mut Vec<String>,
    ) -> Result<Version, ProjectError> {
        for _ in 0..1000 {
            let tag = self.tag_of(&version.to_string());
            let Some(holder) = known.holder(&version, &tag) else {
                return Ok(version);
            };
            let place = self.place_of(holder.tag, holder.on_remote_only);
            let taken = || ProjectError::VersionTaken {
                version: version.to_string(),
                tag: holder.tag.to_owned(),
                place: place.clone(),
            };
            if matches!(level, Level::Explicit(_)) {
                return Err(taken());
            }
            let again = self.next_version(&version, next)?;
            match again {
                Some(higher) if higher > version => {
                    notes.push(format!(
                        "{version} exists already (tag `{}` {place}): the next free {} version is {higher}",
                        holder.tag,
                        next.level.trim()
                    ));
                    version = higher;
                }
                _ => return Err(taken()),
            }
        }
        Err(ProjectError::Config(format!(
            "no free version found above {version} at level `{}`",
            next.level
        )))
    }

    fn refuse_taken(&self, version: &Version, known: &KnownReleases) -> Result<(), ProjectError> {
        match known.holder(version, &self.tag_of(&version.to_string())) {
            Some(holder) => Err(ProjectError::VersionTaken {
                version: version.to_string(),
                tag: holder.tag.to_owned(),
                place: self.place_of(holder.tag, holder.on_remote_only),
            }),
            None => Ok(()),
        }
    }

    /// Where a tag is, for messages: `on branch `release-4.2``, `on `origin``.
    fn place_of(&self, tag: &str, on_remote_only: bool) -> String {
        if on_remote_only {
            return format!("on `{}`", self.remote);
        }
        match self
            .repo
            .branches_containing(&format!("refs/tags/{tag}"))
            .ok()
            .and_then(|branches| branches.into_iter().next())
        {
            Some(branch) => format!("on branch `{branch}`"),
            None => "on no branch".to_owned(),
        }
    }
}
