//! Bump levels and the rules that turn a current version into the next one.
//!
//! The arithmetic of each scheme lives in `crate::scheme`; this module decides which arithmetic a
//! level means, and guards the results. The rules, where the version schemes leave room:
//!
//! - `major` … `prerelease` and `release` are npm's `semver.inc` for semver and `poetry version`
//!   for pep440, exactly (npm lets `prerelease` with an earlier label go backwards; relman's own
//!   levels never do). The label only matters to the `pre…` levels, as in npm.
//! - `alpha`, `beta`, `rc` move a version to that phase: the same phase counts up (`rc.1` →
//!   `rc.2`), a later one starts at 0 (`1.3.0b2` → `1.3.0rc0`), a final version starts the next
//!   patch's (`1.2.3` → `1.2.4-rc.0`). A phase before the current one is an error.
//! - `dev`: pep440 `1.2.3` → `1.2.4.dev0` → `1.2.4.dev1`; semver `1.2.3` → `1.2.4-dev.0` →
//!   `1.2.4-dev.1`. `post` is pep440 only: `1.2.3` → `1.2.3.post1` → `1.2.3.post2`.
//! - `auto` from the commits' [`Impact`]: nothing releasable gives `Ok(None)`; breaking → major
//!   (minor below 1.0.0), `feat` → minor, `fix`/`perf` → patch. On a pre-release it stays in the
//!   pre-release cycle: the next pre-release when the coming release already covers the impact
//!   (`1.3.0a1` + a fix → `1.3.0a2`), otherwise a new cycle of the bigger release in the same
//!   phase (`1.3.0a1` + a breaking change → `2.0.0a0`); `release` finishes a cycle. A development
//!   version (`1.2.4.dev0`, `1.2.4-dev.0`) is not a cycle: `auto` releases it (`1.2.4`, or `1.3.0`
//!   for a feature), and the development of a pre-release (`1.3.0rc0.dev0`) releases that
//!   pre-release (`1.3.0rc0`) when it covers the impact. A label makes `auto` a pre-release: of the next version for a final one
//!   (`--pre rc` → `pre…`), of the version being developed for a development one (`1.2.4rc0`).
//! - rubygems: the first three numbers are major, minor and patch; `post` counts a fourth, the
//!   follow-up of a release (`8.1.3` → `8.1.3.1`); pre-releases are a numbered word (`beta1`,
//!   `rc2`), and a bare `alpha` (`8.2.0.alpha`) is the development version, which `dev` makes
//!   from a release and `auto` releases (see `scheme/rubygems/bump.rs`).
//! - calver: `auto`, `major`, `minor` and `patch` all give today's version (MICRO counted up within
//!   a period, reset in a new one); a format without MICRO cannot release twice in a period.
//! - An explicit version must be greater than the current one unless `allow_downgrade`.

use std::fmt;
use std::str::FromStr;

use crate::date::Date;
use crate::scheme::calver::CalverNextError;
use crate::scheme::semver::NpmLevel;
use crate::scheme::{CalverFormat, Scheme, VersionError, pep440, rubygems, semver};
use crate::version::Version;

/// What the commits since the last release call for, from conventional commits.
/// Ordered: a larger impact wins when commits are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Impact {
    /// Nothing releasable (docs, chores, non-conventional commits).
    #[default]
    None,
    /// `fix` or `perf`.
    Patch,
    /// `feat`.
    Minor,
    /// A breaking change (`!` or a `BREAKING CHANGE` footer).
    Major,
}

/// A bump level as written on the command line or in a `bump` step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Level {
    Major,
    Minor,
    Patch,
    Premajor,
    Preminor,
    Prepatch,
    Prerelease,
    Alpha,
    Beta,
    Rc,
    Release,
    Dev,
    Post,
    Auto,
    /// A version to set, as written (`2.1.3`, `v2.1.3`); read with the project's scheme.
    Explicit(String),
}

const NAMED: [(&str, Level); 14] = [
    ("major", Level::Major),
    ("minor", Level::Minor),
    ("patch", Level::Patch),
    ("premajor", Level::Premajor),
    ("preminor", Level::Preminor),
    ("prepatch", Level::Prepatch),
    ("prerelease", Level::Prerelease),
    ("alpha", Level::Alpha),
    ("beta", Level::Beta),
    ("rc", Level::Rc),
    ("release", Level::Release),
    ("dev", Level::Dev),
    ("post", Level::Post),
    ("auto", Level::Auto),
];

const LEVEL_LIST: &str = "major, minor, patch, premajor, preminor, prepatch, prerelease, alpha, beta, rc, release, dev, post, auto";

/// A word that is neither a level nor a version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown bump level `{text}`: expected one of {LEVEL_LIST}, or a version such as `1.2.3`")]
pub struct LevelError {
    pub text: String,
    pub suggestion: Option<&'static str>,
}

impl LevelError {
    pub fn hint(&self) -> Option<String> {
        self.suggestion
            .map(|level| format!("did you mean `{level}`?"))
    }
}

impl FromStr for Level {
    type Err = LevelError;

    fn from_str(text: &str) -> Result<Level, LevelError> {
        if let Some((_, level)) = NAMED.iter().find(|(name, _)| *name == text) {
            return Ok(level.clone());
        }
        let unprefixed = text.strip_prefix('v').unwrap_or(text);
        if unprefixed.starts_with(|c: char| c.is_ascii_digit()) {
            return Ok(Level::Explicit(text.to_owned()));
        }
        let lower = text.to_ascii_lowercase();
        let suggestion = NAMED
            .iter()
            .map(|(name, _)| (edit_distance(&lower, name), *name))
            .filter(|(distance, name)| *distance <= if name.len() > 3 { 2 } else { 1 })
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, name)| name);
        Err(LevelError {
            text: text.to_owned(),
            suggestion,
        })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Explicit(text) => f.write_str(text),
            named => {
                let name = NAMED
                    .iter()
                    .find(|(_, level)| level == named)
                    .map_or("?", |(n, _)| n);
                f.write_str(name)
            }
        }
    }
}

/// Edits (insert, delete, substitute, swap two neighbours) between two short ASCII words.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// Everything a bump needs besides the current version and the level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BumpOptions {
    /// The pre-release label the user asked for (`--pre`, `pre = "rc"`, `pre-label`); `None`
    /// gives npm's and Poetry's label-less results. See [`default_pre_label`] for the scheme's
    /// default. For `auto` on a final version, a label asks for a pre-release: pass only a label
    /// given for this bump, not a project-wide default.
    pub pre_label: Option<String>,
    /// Today, for calendar versions.
    pub today: Date,
    /// What the commits since the last release call for, for `auto`.
    pub impact: Impact,
    /// Accept an explicit version that is not greater than the current one.
    pub allow_downgrade: bool,
}

impl BumpOptions {
    pub fn new(today: Date) -> BumpOptions {
        BumpOptions {
            pre_label: None,
            today,
            impact: Impact::None,
            allow_downgrade: false,
        }
    }
}

/// The label to use when the user gave none: the scheme's default (`alpha` for semver) for a
/// level that starts a new pre-release cycle, and none where the current label should carry on
/// (`prerelease` on `1.2.3-beta.1` gives `beta.2`, not `alpha.0`).
pub fn default_pre_label(level: &Level, current: &Version) -> Option<&'static str> {
    let starts_cycle = match level {
        Level::Premajor | Level::Preminor | Level::Prepatch => true,
        Level::Prerelease => !current.is_prerelease(),
        _ => false,
    };
    if starts_cycle {
        current.scheme().default_pre_label()
    } else {
        None
    }
}

/// Why a version cannot be bumped as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BumpError {
    #[error("`{requested}` is lower than the current version `{current}`")]
    Downgrade { current: String, requested: String },
    #[error("`{version}` is already the current version")]
    Unchanged { version: String },
    /// An explicit version that the project's scheme cannot read.
    #[error(transparent)]
    Version(#[from] VersionError),
    #[error("`{label}` is not a valid {scheme} pre-release label: {reason}")]
    Label {
        label: String,
        scheme: Scheme,
        reason: String,
    },
    #[error("`{current}` is not a pre-release, so `{level}` has nothing to finish")]
    NotPrerelease { current: String, level: Level },
    #[error("`{level}` cannot bump `{current}`: {reason}")]
    NotApplicable {
        level: Level,
        current: String,
        reason: &'static str,
        hint: &'static str,
    },
    #[error("`{level}` would give `{target}`, which is not greater than the current `{current}`")]
    Backwards {
        current: String,
        level: Level,
        target: String,
    },
    #[error(
        "`{current}` is already today's version: `calver:{format}` has no MICRO to count a second \
         release in the same period"
    )]
    CalverSamePeriod {
        current: String,
        format: CalverFormat,
    },
    #[error("today ({today}) gives `{target}`, which is before the current version `{current}`")]
    CalverBehind {
        current: String,
        target: String,
        today: Date,
    },
    #[error("`calver:{format}` cannot write the year {year}: `YY` and `0Y` count from 2000")]
    CalverYear { format: CalverFormat, year: i32 },
    #[error("`{current}` cannot be bumped: a number would overflow")]
    Overflow { current: String },
}

impl BumpError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Downgrade { .. } | Self::Unchanged { .. } => Some(
                "give a greater version, or set `allow-downgrade = true` on the bump step to \
                 go back on purpose"
                    .to_owned(),
            ),
            Self::Version(error) => error.hint(),
            Self::Label {
                scheme: Scheme::Pep440,
                ..
            } => Some("use `--pre a`, `--pre b` or `--pre rc`".to_owned()),
            Self::Label {
                scheme: Scheme::Rubygems,
                ..
            } => Some("use a word such as `--pre beta` or `--pre rc`".to_owned()),
            Self::Label { .. } => Some(
                "a label is dot-separated identifiers of letters, digits and `-`, numbers \
                 without leading zeros: `alpha`, `rc`, `beta.2`"
                    .to_owned(),
            ),
            Self::NotPrerelease { .. } => {
                Some("use `patch`, `minor` or `major` to make a new release".to_owned())
            }
            Self::NotApplicable { hint, .. } => Some((*hint).to_owned()),
            Self::Backwards { .. } => Some(
                "pre-releases go alpha → beta → rc; start a new cycle with `prepatch`, \
                 `preminor` or `premajor` and the label, or finish this one with `release`"
                    .to_owned(),
            ),
            Self::CalverSamePeriod { format, .. } => Some(format!(
                "add a counter to the scheme (`calver:{format}.MICRO`) to release more than once \
                 per period, or give the version explicitly"
            )),
            Self::CalverBehind { .. } => Some(
                "check the clock and `SOURCE_DATE_EPOCH`, or give the version explicitly"
                    .to_owned(),
            ),
            Self::CalverYear { .. } => Some("use `YYYY` for the year".to_owned()),
            Self::Overflow { .. } => None,
        }
    }
}

/// The version `level` gives from `current`; `Ok(None)` when `auto` finds nothing releasable.
/// The result is normalised and has no build metadata or local part (unless explicit).
pub fn bump(
    current: &Version,
    level: &Level,
    options: &BumpOptions,
) -> Result<Option<Version>, BumpError> {
    match level {
        Level::Auto => auto(current, options),
        Level::Explicit(text) => explicit(current, text, options).map(Some),
        _ => step(current, level, options.pre_label.as_deref(), options).map(Some),
    }
}

fn explicit(current: &Version, text: &str, options: &BumpOptions) -> Result<Version, BumpError> {
    let requested = current.scheme().parse(text)?;
    if !options.allow_downgrade {
        if requested < *current {
            return Err(BumpError::Downgrade {
                current: current.to_string(),
                requested: requested.to_string(),
            });
        }
        if requested == *current {
            return Err(BumpError::Unchanged {
                version: requested.to_string(),
            });
        }
    }
    Ok(requested)
}

fn auto(current: &Version, options: &BumpOptions) -> Result<Option<Version>, BumpError> {
    let impact = match options.impact {
        Impact::None => return Ok(None),
        Impact::Major if current.major() == 0 => Impact::Minor,
        impact => impact,
    };
    let label = options.pre_label.as_deref();
    let (development, current_label) = match current {
        Version::Semver(v) => (semver::is_dev(v), semver::current_label(v)),
        Version::Pep440(v) => (
            v.pre().is_none(),
            pep440::current_label(v).map(|k| k.to_string()),
        ),
        Version::Rubygems(v) => (rubygems::bump::is_dev(v), rubygems::bump::current_label(v)),
        Version::Calver(_) => (false, None),
    };
    // What the release in the making covers: `2.0.0rc1` a breaking change, `1.3.0a1` a feature.
    let covered = match (current.minor(), current.patch()) {
        (0, 0) => Impact::Major,
        (_, 0) => Impact::Minor,
        _ => Impact::Patch,
    };
    // The development of a pre-release (`3.7rc0.dev0`, what `dev` writes after `3.7b1`, and the
    // version a project that opens each release with `rc0` keeps between releases) is released
    // as that pre-release, not the one after it.
    if let Version::Pep440(v) = current
        && v.pre().is_some()
        && v.dev().is_some()
        && v.post().is_none()
        && impact <= covered
        && label.is_none_or(|label| {
            pep440::parse_label(label).is_ok_and(|kind| v.pre().is_some_and(|pre| pre.kind == kind))
        })
    {
        return Ok(Some(Version::Pep440(
            v.clone().without_local().with_dev(None),
        )));
    }
    // A development version is released by `auto`, unless a label asks for a pre-release of it.
    let in_cycle = current.is_prerelease() && (label.is_some() || !development);
    let (level, label) = if in_cycle {
        if impact <= covered {
            (Level::Prerelease, label.map(str::to_owned))
        } else {
            (
                pre_level(impact),
                label.map(str::to_owned).or(current_label),
            )
        }
    } else if label.is_some() && !matches!(current, Version::Calver(_)) {
        (pre_level(impact), label.map(str::to_owned))
    } else {
        (final_level(impact), None)
    };
    let next = step(current, &level, label.as_deref(), options)?;
    if next <= *current {
        return Err(backwards(current, &Level::Auto, &next));
    }
    Ok(Some(next))
}

fn final_level(impact: Impact) -> Level {
    match impact {
        Impact::Major => Level::Major,
        Impact::Minor => Level::Minor,
        Impact::None | Impact::Patch => Level::Patch,
    }
}

fn pre_level(impact: Impact) -> Level {
    match impact {
        Impact::Major => Level::Premajor,
        Impact::Minor => Level::Preminor,
        Impact::None | Impact::Patch => Level::Prepatch,
    }
}

fn backwards(current: &Version, level: &Level, target: &Version) -> BumpError {
    BumpError::Backwards {
        current: current.to_string(),
        level: level.clone(),
        target: target.to_string(),
    }
}

/// Every named level except `auto`.
fn step(
    current: &Version,
    level: &Level,
    label: Option<&str>,
    options: &BumpOptions,
) -> Result<Version, BumpError> {
    match current {
        Version::Semver(v) => semver_step(v, level, label).map(Version::Semver),
        Version::Pep440(v) => pep440_step(v, level, label).map(Version::Pep440),
        Version::Rubygems(v) => rubygems::bump::step(v, level, label).map(Version::Rubygems),
        Version::Calver(v) => match level {
            Level::Major | Level::Minor | Level::Patch | Level::Auto => v
                .next(options.today)
                .map(Version::Calver)
                .map_err(|error| match error {
                    CalverNextError::SamePeriod => BumpError::CalverSamePeriod {
                        current: v.to_string(),
                        format: v.format(),
                    },
                    CalverNextError::Behind(target) => BumpError::CalverBehind {
                        current: v.to_string(),
                        target: target.to_string(),
                        today: options.today,
                    },
                    CalverNextError::Year(error) => BumpError::CalverYear {
                        format: v.format(),
                        year: error.year,
                    },
                    CalverNextError::Overflow => BumpError::Overflow {
                        current: v.to_string(),
                    },
                }),
            _ => Err(BumpError::NotApplicable {
                level: level.clone(),
                current: v.to_string(),
                reason: "calendar versions have no pre-, development or post-releases",
                hint: "calver releases with `auto`, `major`, `minor` or `patch` (all give today's \
                       version), or an explicit version",
            }),
        },
    }
}

fn semver_step(
    current: &::semver::Version,
    level: &Level,
    label: Option<&str>,
) -> Result<::semver::Version, BumpError> {
    let npm = |npm_level, label| semver::inc(current, npm_level, label);
    let forward = |phase: &str| {
        let next = semver::inc(current, NpmLevel::Prerelease, Some(phase))?;
        if next <= *current {
            let (current, next) = (Version::Semver(current.clone()), Version::Semver(next));
            return Err(backwards(&current, level, &next));
        }
        Ok(next)
    };
    match level {
        Level::Major => npm(NpmLevel::Major, label),
        Level::Minor => npm(NpmLevel::Minor, label),
        Level::Patch => npm(NpmLevel::Patch, label),
        Level::Premajor => npm(NpmLevel::Premajor, label),
        Level::Preminor => npm(NpmLevel::Preminor, label),
        Level::Prepatch => npm(NpmLevel::Prepatch, label),
        Level::Prerelease => npm(NpmLevel::Prerelease, label),
        Level::Release => npm(NpmLevel::Release, label),
        Level::Alpha => forward("alpha"),
        Level::Beta => forward("beta"),
        Level::Rc => forward("rc"),
        Level::Dev if current.pre.is_empty() || semver::is_dev(current) => {
            npm(NpmLevel::Prerelease, Some("dev"))
        }
        Level::Dev => Err(BumpError::NotApplicable {
            level: Level::Dev,
            current: current.to_string(),
            reason: "semver has no development version of a pre-release",
            hint: "use `prerelease` for the next pre-release, or `release` to finish this one",
        }),
        Level::Post => Err(BumpError::NotApplicable {
            level: Level::Post,
            current: current.to_string(),
            reason: "semver has no post-releases",
            hint: "use `patch` for a follow-up release, or set `scheme = \"pep440\"` in \
                   `[project]` for Python-style versions",
        }),
        Level::Auto | Level::Explicit(_) => Err(unreachable_level(level, current)),
    }
}

fn pep440_step(
    current: &pep440_rs::Version,
    level: &Level,
    label: Option<&str>,
) -> Result<pep440_rs::Version, BumpError> {
    let kind = || label.map(pep440::parse_label).transpose();
    let forward = |next: pep440_rs::Version| {
        if next <= *current {
            let (current, next) = (Version::Pep440(current.clone()), Version::Pep440(next));
            return Err(backwards(&current, level, &next));
        }
        Ok(next)
    };
    match level {
        Level::Major => pep440::next_major(current),
        Level::Minor => pep440::next_minor(current),
        Level::Patch => pep440::next_patch(current),
        Level::Premajor => Ok(pep440::first_prerelease(
            pep440::next_major(current)?,
            kind()?,
        )),
        Level::Preminor => Ok(pep440::first_prerelease(
            pep440::next_minor(current)?,
            kind()?,
        )),
        Level::Prepatch => Ok(pep440::first_prerelease(
            pep440::next_patch(current)?,
            kind()?,
        )),
        Level::Prerelease => forward(pep440::prerelease(current, kind()?)?),
        Level::Alpha => forward(pep440::prerelease(
            current,
            Some(pep440_rs::PrereleaseKind::Alpha),
        )?),
        Level::Beta => forward(pep440::prerelease(
            current,
            Some(pep440_rs::PrereleaseKind::Beta),
        )?),
        Level::Rc => forward(pep440::prerelease(
            current,
            Some(pep440_rs::PrereleaseKind::Rc),
        )?),
        Level::Release => pep440::release(current).ok_or_else(|| BumpError::NotPrerelease {
            current: current.to_string(),
            level: Level::Release,
        }),
        Level::Dev => pep440::dev(current),
        Level::Post => pep440::post(current)?.ok_or_else(|| BumpError::NotApplicable {
            level: Level::Post,
            current: current.to_string(),
            reason: "a post-release follows a release, and this development version is unreleased",
            hint: "use `release` to release it first, or `dev` for the next development version",
        }),
        Level::Auto | Level::Explicit(_) => Err(unreachable_level(level, current)),
    }
}

/// `bump` handles `auto` and explicit versions before choosing arithmetic; reaching a scheme's
/// arithmetic with them is a bug in this module, reported rather than panicking on a user.
fn unreachable_level(level: &Level, current: &impl fmt::Display) -> BumpError {
    BumpError::NotApplicable {
        level: level.clone(),
        current: current.to_string(),
        reason: "internal error: this level has no arithmetic of its own",
        hint: "please report this as a bug in relman",
    }
}
