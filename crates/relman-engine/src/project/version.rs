//! The current version (from the version files, or the last release tag when there are none;
//! nothing released yet when there is neither) and the next one.

use relman_git::Release;
use relman_version::bump::{self, BumpOptions, Impact, Level};
use relman_version::calendar::{Calendar, Period};
use relman_version::date::Date;
use relman_version::files::{FoundVersion, VersionFiles, WriteOptions};
use relman_version::scheme::Scheme;
use relman_version::version::Version;

use super::{Project, ProjectError};

/// The version the project is at.
#[derive(Debug, Clone)]
pub struct CurrentVersion {
    pub version: Version,
    /// Where it was read: a file, or `tag v1.2.3`.
    pub source: String,
    /// Every version file's value (empty when the version comes from a tag).
    pub files: Vec<FoundVersion>,
    /// Nothing was released yet (no release tag, no version file): `version` is `0.0.0` and the
    /// first release is `initial-version`.
    pub unreleased: bool,
}

/// How to compute a next version.
#[derive(Debug, Clone)]
pub struct NextVersion<'a> {
    pub level: &'a str,
    /// A label given for this bump (`--pre`, `pre = "rc"`).
    pub pre_label: Option<&'a str>,
    pub impact: Impact,
    pub today: Date,
    pub allow_downgrade: bool,
}

impl Project {
    /// Reads the version files (which must agree, compared as versions of the scheme), or takes
    /// the previous release's version when the project keeps its version in tags only.
    pub fn current_version(
        &self,
        previous: Option<&Release<Version>>,
    ) -> Result<CurrentVersion, ProjectError> {
        if self.version_files.is_empty() {
            return match (previous, &self.initial_version) {
                (Some(release), _) => Ok(CurrentVersion {
                    version: release.version.clone(),
                    source: format!("tag {}", release.tag),
                    files: Vec::new(),
                    unreleased: false,
                }),
                (None, Some(initial)) => Ok(CurrentVersion {
                    version: self
                        .scheme
                        .parse("0.0.0")
                        .unwrap_or_else(|_| initial.clone()),
                    source: format!("no release yet: the first is {initial}"),
                    files: Vec::new(),
                    unreleased: true,
                }),
                (None, None) => Err(ProjectError::NoVersion {
                    format: self.tag_format.to_string(),
                }),
            };
        }
        let files = VersionFiles::read(&self.root, &self.version_files)?.into_found();
        let mut parsed: Vec<(Version, &FoundVersion)> = Vec::with_capacity(files.len());
        for found in &files {
            let version =
                self.scheme
                    .parse(&found.value)
                    .map_err(|source| ProjectError::FileVersion {
                        file: format!("{}:{}", found.path.display(), found.line),
                        value: found.value.clone(),
                        scheme: self.scheme.to_string(),
                        source: Box::new(source),
                    })?;
            parsed.push((version, found));
        }
        let (first, first_found) = &parsed[0];
        if parsed.iter().any(|(version, _)| version != first) {
            let lines = parsed
                .iter()
                .map(|(_, found)| {
                    format!("  {}:{}: {}", found.path.display(), found.line, found.value)
                })
                .collect();
            return Err(ProjectError::Disagree { lines });
        }
        Ok(CurrentVersion {
            version: first.clone(),
            source: first_found.path.display().to_string(),
            files: files.clone(),
            unreleased: false,
        })
    }

    /// The current version as `relman check` accepts it: besides agreeing, the version files must
    /// not be behind the last release (a bump from them would go back).
    pub fn checked_current_version(
        &self,
        history: &super::History,
    ) -> Result<CurrentVersion, ProjectError> {
        let current = self.current_version(history.previous.as_ref())?;
        if let (Some(release), Some(found)) = (&history.previous, current.files.first())
            && super::files::behind(&current.version, &release.version)
        {
            return Err(ProjectError::FilesBehind {
                file: found.path.display().to_string(),
                version: current.version.to_string(),
                last: release.version.to_string(),
                tag: release.tag.clone(),
            });
        }
        Ok(current)
    }

    /// The version `next.level` gives; `None` when `auto` finds nothing releasable.
    pub fn next_version(
        &self,
        current: &Version,
        next: &NextVersion<'_>,
    ) -> Result<Option<Version>, ProjectError> {
        let level: Level = next.level.trim().parse()?;
        // A label asked for this bump wins; the project's `pre-label` and the scheme's default
        // apply only to levels that start a pre-release cycle (for `auto`, any label would turn
        // the release into a pre-release, so only an explicit one counts).
        let label = match next.pre_label {
            Some(label) => Some(label.to_owned()),
            None if matches!(level, Level::Auto) => None,
            None => bump::default_pre_label(&level, current)
                .map(|default| self.pre_label.clone().unwrap_or_else(|| default.to_owned())),
        };
        let mut options = BumpOptions::new(next.today);
        options.pre_label = label;
        options.impact = next.impact;
        options.allow_downgrade = next.allow_downgrade;
        if let Some(calendar) = self.calendar() {
            if !current.is_prerelease() {
                let releasable = match level {
                    // A yearly count is counted for features; fixes alone are MICRO releases
                    // of the last one (pip's `26.1.1`, attrs' `25.1.1`), as in semver.
                    Level::Auto if matches!(calendar.period, Period::Counter { .. }) => {
                        next.impact > Impact::Patch
                    }
                    Level::Auto => next.impact > Impact::None,
                    // `premajor` and `preminor` start today's version's cycle (`26.12.0a0`).
                    Level::Major | Level::Minor | Level::Premajor | Level::Preminor => true,
                    _ => false,
                };
                if releasable {
                    if matches!(level, Level::Premajor | Level::Preminor) {
                        // PEP 440 has no default label: its cycles start at `a`, as Poetry's do.
                        options.pre_label.get_or_insert_with(|| "a".to_owned());
                    }
                    return calendar_version(calendar, current, &options, next.today).map(Some);
                }
            } else if matches!(level, Level::Auto) {
                // The release being made is named by the date, not by the changes: a breaking
                // change finishes the cycle or the development version as a feature would.
                options.impact = options.impact.min(Impact::Minor);
            } else if matches!(level, Level::Major | Level::Minor) {
                // pip's `26.3.dev0`: the version being made is already named; `major` is no
                // `27.0`.
                return Ok(bump::bump(current, &Level::Release, &options)?);
            }
        }
        Ok(bump::bump(current, &level, &options)?)
    }
}

impl Project {
    /// What a version file may not show of how the project spells its versions: under PEP 440,
    /// whose versions may be written with leading zeros, the zero padding of a calendar's tags
    /// (certifi's `2026.07.22`: month and day), for a file at `2025.11.12`, whose text cannot
    /// tell. A semver file is never padded (`26.01.0` is no semver version; helix's `Cargo.toml`
    /// stays at `26.1.0` while its tags say `26.01`).
    pub fn write_options(&self) -> WriteOptions {
        let padded = match self.calendar() {
            Some(calendar) if calendar.padded && self.scheme == Scheme::Pep440 => {
                match calendar.period {
                    Period::Month => 1,
                    Period::Day => 2,
                    Period::Counter { .. } => 0,
                }
            }
            _ => 0,
        };
        WriteOptions { padded }
    }
}

/// Today's calendar version after the final `current`, in the scheme's spelling (`26.12.0`;
/// `26.3` for a project whose versions leave out a first MICRO, as pip's do), a pre-release of it
/// when a label is given (`26.12.0b0`, `26.12.0-beta.0`).
fn calendar_version(
    calendar: &Calendar,
    current: &Version,
    options: &BumpOptions,
    today: Date,
) -> Result<Version, ProjectError> {
    let (year, second, micro) = calendar.next_numbers(current, today);
    let scheme = current.scheme();
    let core = if micro == 0 && calendar.short_first && scheme == Scheme::Pep440 {
        format!("{year}.{second}")
    } else {
        format!("{year}.{second}.{micro}")
    };
    let text = match (options.pre_label.as_deref(), scheme) {
        (None, _) => core,
        (Some(label), Scheme::Pep440) => format!("{core}{label}0"),
        (Some(label), _) => format!("{core}-{label}.0"),
    };
    let explicit = Level::Explicit(text);
    let version = bump::bump(current, &explicit, options)?;
    Ok(version.expect("an explicit version is always a version"))
}

/// The next development version spelt as the project spelt its own: a project at `1.17.0-dev`
/// (terraform, grpc-go) goes on to `1.17.1-dev`, and one at Maven's or Gradle's
/// `2.14.1-SNAPSHOT` (gson, okio) to `2.14.2-SNAPSHOT`, not the `-dev.0` a `dev` bump counts.
pub fn spell_dev_like(next: Version, before: &Version) -> Version {
    let (next_text, before_text) = (next.to_string(), before.to_string());
    let spelling = before_text
        .split_once('-')
        .map(|(_, pre)| pre)
        .filter(|pre| matches!(*pre, "dev" | "SNAPSHOT"));
    match (next_text.strip_suffix("-dev.0"), spelling) {
        (Some(core), Some(spelling)) if !core.contains('-') => next
            .scheme()
            .parse(&format!("{core}-{spelling}"))
            .unwrap_or(next),
        _ => next,
    }
}
