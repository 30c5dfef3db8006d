//! SemVer 2.0.0: parsing and bump arithmetic.
//!
//! The levels that npm's `semver.inc(version, level, label)` has (`major` … `prerelease`,
//! `release`) reproduce it exactly, down to its handling of odd pre-release identifiers, because
//! the JavaScript ecosystem's release tools all answer the way it does; the vectors in
//! `tests/data/semver-inc.json` were written by npm itself. Parsing is npm's too: surrounding white
//! space and one leading `v` are dropped, everything else is strict SemVer 2.0.0.

use semver::{BuildMetadata, Prerelease, Version};

use crate::bump::{BumpError, Level};
use crate::scheme::VersionError;

/// JavaScript's `Number.MAX_SAFE_INTEGER`: npm treats larger numeric identifiers as text.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

pub(crate) fn parse(text: &str) -> Result<Version, VersionError> {
    let trimmed = text.trim();
    let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
    Version::parse(body).map_err(|error| VersionError::Semver {
        text: text.to_owned(),
        reason: error.to_string(),
    })
}

/// What to tell someone whose `text` is not semver.
pub(crate) fn hint(text: &str) -> String {
    let trimmed = text.trim().trim_start_matches(['v', 'V']);
    let numbers: Vec<&str> = trimmed.split('.').collect();
    if !trimmed.is_empty()
        && numbers.len() < 3
        && numbers
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        let mut padded = numbers.join(".");
        for _ in numbers.len()..3 {
            padded.push_str(".0");
        }
        return format!("semver needs three numbers: write `{padded}`");
    }
    if super::pep440::parse(text).is_ok() {
        return "this is a PEP 440 version: set `scheme = \"pep440\"` in `[project]` for \
                Python-style versions, or write it as semver (`1.2.3-rc.1`)"
            .to_owned();
    }
    "a semver version is three numbers without leading zeros, then an optional pre-release and \
     build: `1.2.3`, `1.2.3-rc.1`, `1.2.3+build.5`"
        .to_owned()
}

/// The levels npm's `semver.inc` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NpmLevel {
    Major,
    Minor,
    Patch,
    Premajor,
    Preminor,
    Prepatch,
    Prerelease,
    Release,
}

impl NpmLevel {
    fn level(self) -> Level {
        match self {
            NpmLevel::Major => Level::Major,
            NpmLevel::Minor => Level::Minor,
            NpmLevel::Patch => Level::Patch,
            NpmLevel::Premajor => Level::Premajor,
            NpmLevel::Preminor => Level::Preminor,
            NpmLevel::Prepatch => Level::Prepatch,
            NpmLevel::Prerelease => Level::Prerelease,
            NpmLevel::Release => Level::Release,
        }
    }
}

/// One pre-release identifier as npm holds it: a number when it is all digits and below
/// `MAX_SAFE_INTEGER`, text otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identifier {
    Number(u64),
    Text(String),
}

impl Identifier {
    fn read(text: &str) -> Identifier {
        match text.parse::<u64>() {
            Ok(n) if n < MAX_SAFE_INTEGER && text.bytes().all(|b| b.is_ascii_digit()) => {
                Identifier::Number(n)
            }
            _ => Identifier::Text(text.to_owned()),
        }
    }
}

/// `semver.inc(current, level, label)`, or the reason npm returns `null`.
pub(crate) fn inc(
    current: &Version,
    level: NpmLevel,
    label: Option<&str>,
) -> Result<Version, BumpError> {
    let overflow = || BumpError::Overflow {
        current: current.to_string(),
    };
    let is_pre_level = matches!(
        level,
        NpmLevel::Premajor | NpmLevel::Preminor | NpmLevel::Prepatch | NpmLevel::Prerelease
    );
    if is_pre_level && let Some(label) = label {
        check_label(label)?;
    }
    let mut pre: Vec<Identifier> = if current.pre.is_empty() {
        Vec::new()
    } else {
        current
            .pre
            .as_str()
            .split('.')
            .map(Identifier::read)
            .collect()
    };
    let (mut major, mut minor, mut patch) = (current.major, current.minor, current.patch);
    match level {
        NpmLevel::Premajor => {
            pre.clear();
            (major, minor, patch) = (major.checked_add(1).ok_or_else(overflow)?, 0, 0);
        }
        NpmLevel::Preminor => {
            pre.clear();
            (minor, patch) = (minor.checked_add(1).ok_or_else(overflow)?, 0);
        }
        NpmLevel::Prepatch => {
            pre.clear();
            patch = patch.checked_add(1).ok_or_else(overflow)?;
        }
        NpmLevel::Prerelease => {
            if pre.is_empty() {
                patch = patch.checked_add(1).ok_or_else(overflow)?;
            }
        }
        NpmLevel::Release => {
            if pre.is_empty() {
                return Err(BumpError::NotPrerelease {
                    current: current.to_string(),
                    level: level.level(),
                });
            }
            pre.clear();
        }
        // A pre-release of x.0.0 becomes x.0.0 itself; anything else moves on.
        NpmLevel::Major => {
            if minor != 0 || patch != 0 || pre.is_empty() {
                major = major.checked_add(1).ok_or_else(overflow)?;
            }
            (minor, patch) = (0, 0);
            pre.clear();
        }
        NpmLevel::Minor => {
            if patch != 0 || pre.is_empty() {
                minor = minor.checked_add(1).ok_or_else(overflow)?;
            }
            patch = 0;
            pre.clear();
        }
        NpmLevel::Patch => {
            if pre.is_empty() {
                patch = patch.checked_add(1).ok_or_else(overflow)?;
            }
            pre.clear();
        }
    }
    if is_pre_level {
        next_pre(&mut pre, label).ok_or_else(overflow)?;
    }
    let pre = pre
        .iter()
        .map(|identifier| match identifier {
            Identifier::Number(n) => n.to_string(),
            Identifier::Text(text) => text.clone(),
        })
        .collect::<Vec<_>>()
        .join(".");
    Ok(Version {
        major,
        minor,
        patch,
        // Valid by construction: identifiers come from a parsed version or a checked label.
        pre: Prerelease::new(&pre).map_err(|_| overflow())?,
        build: BuildMetadata::EMPTY,
    })
}

/// npm accepts a label when `-LABEL` is a valid pre-release: dot-separated identifiers of ASCII
/// letters, digits and `-`, numbers without leading zeros.
fn check_label(label: &str) -> Result<(), BumpError> {
    if label.is_empty() {
        return Err(label_error(label, "the label is empty"));
    }
    Prerelease::new(label)
        .map(drop)
        .map_err(|error| label_error(label, &error.to_string()))
}

fn label_error(label: &str, reason: &str) -> BumpError {
    BumpError::Label {
        label: label.to_owned(),
        scheme: super::Scheme::Semver,
        reason: reason.to_owned(),
    }
}

/// npm's internal `inc('pre', identifier)` with no identifier base: count up the last number of
/// the pre-release (or start one at 0), then switch to `[label, 0]` unless the pre-release already
/// starts with the label followed by something numeric. `None` on overflow.
fn next_pre(pre: &mut Vec<Identifier>, label: Option<&str>) -> Option<()> {
    if pre.is_empty() {
        pre.push(Identifier::Number(0));
    } else if let Some(n) = pre
        .iter_mut()
        .rev()
        .find_map(|identifier| match identifier {
            Identifier::Number(n) => Some(n),
            Identifier::Text(_) => None,
        })
    {
        *n = n.checked_add(1)?;
    } else {
        pre.push(Identifier::Number(0));
    }
    let Some(label) = label else { return Some(()) };
    let restart = vec![Identifier::Text(label.to_owned()), Identifier::Number(0)];
    let parts: Vec<&str> = label.split('.').collect();
    let starts_with_label = parts.len() <= pre.len()
        && parts
            .iter()
            .zip(pre.iter())
            .all(|(part, identifier)| same_identifier(identifier, part));
    if !starts_with_label || js_is_nan(pre.get(parts.len())) {
        *pre = restart;
    }
    Some(())
}

/// npm's `compareIdentifiers(a, b) === 0`: all-digit identifiers compare as JavaScript numbers.
fn same_identifier(identifier: &Identifier, part: &str) -> bool {
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match identifier {
        Identifier::Number(n) => all_digits(part) && part.parse::<f64>() == Ok(*n as f64),
        Identifier::Text(text) if all_digits(text) && all_digits(part) => {
            text.parse::<f64>().ok() == part.parse::<f64>().ok()
        }
        Identifier::Text(text) => text == part,
    }
}

/// JavaScript's `isNaN(x)` for an identifier (or `undefined`): text such as `1e5`, `0x1f` or
/// `Infinity` converts to a number, so npm counts it as the number after a label.
fn js_is_nan(identifier: Option<&Identifier>) -> bool {
    let text = match identifier {
        None => return true,
        Some(Identifier::Number(_)) => return false,
        Some(Identifier::Text(text)) => text.as_str(),
    };
    let radix_digits = |prefix: [&str; 2], radix: u32| {
        prefix
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)))
    };
    if radix_digits(["0x", "0X"], 16)
        || radix_digits(["0o", "0O"], 8)
        || radix_digits(["0b", "0B"], 2)
    {
        return false;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned == "Infinity" {
        return false;
    }
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (
            mantissa,
            Some(exponent.strip_prefix(['-', '+']).unwrap_or(exponent)),
        ),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    !(digits(mantissa) && exponent.is_none_or(digits))
}

/// The label of a pre-release: its identifiers before the last number (`alpha` for `alpha.3`,
/// `rc` for `rc.1`); `None` for a final version or a bare number (`1.0.0-0`).
pub(crate) fn current_label(version: &Version) -> Option<String> {
    if version.pre.is_empty() {
        return None;
    }
    let identifiers: Vec<&str> = version.pre.as_str().split('.').collect();
    let end = identifiers
        .iter()
        .rposition(|identifier| matches!(Identifier::read(identifier), Identifier::Number(_)))
        .unwrap_or(identifiers.len());
    (end > 0).then(|| identifiers[..end].join("."))
}

/// A development pre-release, `1.2.4-dev.0`: what `dev` writes, and what `auto` releases from.
/// Maven's and Gradle's `1.2.4-SNAPSHOT` is one too: the version being developed, which a
/// release drops (`1.2.4`), never a pre-release that ships.
pub(crate) fn is_dev(version: &Version) -> bool {
    version.pre.as_str().split('.').next() == Some("dev") || version.pre.as_str() == "SNAPSHOT"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        parse(text).unwrap()
    }

    #[test]
    fn parse_drops_white_space_and_one_v() {
        assert_eq!(v(" v1.2.3-rc.1+b.5\n").to_string(), "1.2.3-rc.1+b.5");
        for bad in ["vv1.2.3", "V1.2.3", "=1.2.3", "1.2", "01.2.3", "1.2.3-01"] {
            let error = parse(bad).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("`{bad}` is not a valid semver version: "))
            );
        }
    }

    #[test]
    fn hints_point_at_the_likely_fix() {
        assert_eq!(hint("1.2"), "semver needs three numbers: write `1.2.0`");
        assert_eq!(hint("v7"), "semver needs three numbers: write `7.0.0`");
        assert!(hint("1.2.3rc1").contains("PEP 440"));
        assert!(hint("banana").contains("`1.2.3-rc.1`"));
    }

    #[test]
    fn javascript_number_conversion() {
        let text = |s: &str| Some(Identifier::Text(s.to_owned()));
        for number in [
            "1e5",
            "1E-5",
            "0x1f",
            "0B101",
            "0o17",
            "Infinity",
            "-Infinity",
            "-5",
        ] {
            assert!(!js_is_nan(text(number).as_ref()), "{number}");
        }
        for nan in [
            "alpha", "1e", "0x", "0xg", "-", "-0x1f", "e5", "1-2", "infinity",
        ] {
            assert!(js_is_nan(text(nan).as_ref()), "{nan}");
        }
        assert!(js_is_nan(None));
        assert!(!js_is_nan(Some(&Identifier::Number(3))));
    }

    #[test]
    fn labels_and_dev() {
        assert_eq!(current_label(&v("1.2.3-alpha.3")).as_deref(), Some("alpha"));
        assert_eq!(current_label(&v("1.2.3-alpha")).as_deref(), Some("alpha"));
        assert_eq!(current_label(&v("1.2.3-x.1.y.2")).as_deref(), Some("x.1.y"));
        assert_eq!(current_label(&v("1.2.3-0")), None);
        assert_eq!(current_label(&v("1.2.3")), None);
        assert!(is_dev(&v("1.2.4-dev.0")));
        assert!(!is_dev(&v("1.2.4-devel.0")));
        assert!(is_dev(&v("2.14.1-SNAPSHOT")));
        assert!(!is_dev(&v("2.14.1-SNAPSHOT.1")));
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let max = u64::MAX;
        let error = inc(&v(&format!("1.2.{max}")), NpmLevel::Patch, None).unwrap_err();
        assert!(matches!(error, BumpError::Overflow { .. }));
        let error = inc(&v(&format!("{max}.0.0")), NpmLevel::Premajor, None).unwrap_err();
        assert!(matches!(error, BumpError::Overflow { .. }));
    }
}
