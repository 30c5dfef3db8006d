//! npm's version ranges as node-semver reads them (`^1.2.0`, `~1.2`, `1.x`, `>=1 <2`, `1.2 - 2`,
//! `a || b`), for telling whether a package's new version still satisfies a sibling's
//! requirement, as `changeset version` asks: every range is desugared into comparator sets the
//! way node-semver does it (`^1.2.3` is `>=1.2.3 <2.0.0-0`), and a pre-release satisfies a set
//! only when a comparator of that set names a pre-release of the same `major.minor.patch`.
//! The vectors in `tests/data/npm-satisfies.json` were written by node-semver itself.

use std::cmp::Ordering;

use semver::{Prerelease, Version};

/// An operator and a version: one comparator of a desugared set.
#[derive(Debug, Clone, PartialEq)]
enum Comparator {
    Any,
    Less(Version),
    LessEq(Version),
    Greater(Version),
    GreaterEq(Version),
    Equal(Version),
}

impl Comparator {
    fn test(&self, version: &Version) -> bool {
        match self {
            Comparator::Any => true,
            Comparator::Less(bound) => compare(version, bound) == Ordering::Less,
            Comparator::LessEq(bound) => compare(version, bound) != Ordering::Greater,
            Comparator::Greater(bound) => compare(version, bound) == Ordering::Greater,
            Comparator::GreaterEq(bound) => compare(version, bound) != Ordering::Less,
            Comparator::Equal(bound) => compare(version, bound) == Ordering::Equal,
        }
    }

    fn version(&self) -> Option<&Version> {
        match self {
            Comparator::Any => None,
            Comparator::Less(version)
            | Comparator::LessEq(version)
            | Comparator::Greater(version)
            | Comparator::GreaterEq(version)
            | Comparator::Equal(version) => Some(version),
        }
    }
}

/// Precedence without build metadata (npm ignores it).
fn compare(a: &Version, b: &Version) -> Ordering {
    (a.major, a.minor, a.patch)
        .cmp(&(b.major, b.minor, b.patch))
        .then_with(|| a.pre.cmp(&b.pre))
}

fn version(major: u64, minor: u64, patch: u64, pre: &str) -> Version {
    let mut version = Version::new(major, minor, patch);
    version.pre = Prerelease::new(pre).unwrap_or(Prerelease::EMPTY);
    version
}

/// A partial version as written in a range: `1`, `1.2`, `1.x`, `1.2.3-rc.1`.
#[derive(Debug, Clone)]
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: String,
}

fn parse_partial(text: &str) -> Option<Partial> {
    let text = text.trim().trim_start_matches(['v', '=']).trim();
    let text = text.split('+').next().unwrap_or(text);
    let (core, pre) = match text.split_once('-') {
        Some((core, pre)) => (core, pre.to_owned()),
        None => (text, String::new()),
    };
    let mut parts = core.split('.');
    let number = |part: Option<&str>| -> Option<Option<u64>> {
        match part {
            None | Some("x" | "X" | "*") => Some(None),
            Some(part) if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) => {
                part.parse().ok().map(Some)
            }
            Some(_) => None,
        }
    };
    let major = number(parts.next())?;
    let minor = number(parts.next())?;
    let patch = number(parts.next())?;
    if parts.next().is_some() {
        return None;
    }
    if !pre.is_empty() && Prerelease::new(&pre).is_err() {
        return None;
    }
    // `1.x.3` is read as `1.x`.
    let (minor, patch) = if major.is_none() || minor.is_none() {
        (None, None)
    } else {
        (minor, patch)
    };
    Some(Partial {
        major,
        minor,
        patch,
        pre,
    })
}

/// One comparator as written, desugared into node-semver's primitive comparators.
fn desugar(text: &str) -> Option<Vec<Comparator>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(vec![Comparator::Any]);
    }
    let (op, rest) = ["~>", ">=", "<=", ">", "<", "=", "~", "^"]
        .iter()
        .find_map(|op| text.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("", text));
    let partial = parse_partial(rest)?;
    let Partial {
        major,
        minor,
        patch,
        pre,
    } = partial;
    let Some(major) = major else {
        return Some(match op {
            ">" | "<" => vec![Comparator::Less(version(0, 0, 0, "0"))],
            _ => vec![Comparator::Any],
        });
    };
    let full = |minor: Option<u64>, patch: Option<u64>| {
        version(major, minor.unwrap_or(0), patch.unwrap_or(0), &pre)
    };
    Some(match op {
        "^" => {
            let low = Comparator::GreaterEq(full(minor, patch));
            let high = match (minor, patch) {
                (None, _) => version(major + 1, 0, 0, "0"),
                (Some(minor), None) if major == 0 => version(0, minor + 1, 0, "0"),
                (Some(_), None) => version(major + 1, 0, 0, "0"),
                (Some(minor), Some(patch)) if major == 0 && minor == 0 => {
                    version(0, 0, patch + 1, "0")
                }
                (Some(minor), Some(_)) if major == 0 => version(0, minor + 1, 0, "0"),
                (Some(_), Some(_)) => version(major + 1, 0, 0, "0"),
            };
            vec![low, Comparator::Less(high)]
        }
        "~" | "~>" => {
            let low = Comparator::GreaterEq(full(minor, patch));
            let high = match minor {
                None => version(major + 1, 0, 0, "0"),
                Some(minor) => version(major, minor + 1, 0, "0"),
            };
            vec![low, Comparator::Less(high)]
        }
        "" | "=" => match (minor, patch) {
            (None, _) => vec![
                Comparator::GreaterEq(version(major, 0, 0, "")),
                Comparator::Less(version(major + 1, 0, 0, "0")),
            ],
            (Some(minor), None) => vec![
                Comparator::GreaterEq(version(major, minor, 0, "")),
                Comparator::Less(version(major, minor + 1, 0, "0")),
            ],
            (Some(_), Some(_)) => vec![Comparator::Equal(full(minor, patch))],
        },
        ">" => match (minor, patch) {
            (None, _) => vec![Comparator::GreaterEq(version(major + 1, 0, 0, ""))],
            (Some(minor), None) => vec![Comparator::GreaterEq(version(major, minor + 1, 0, ""))],
            (Some(_), Some(_)) => vec![Comparator::Greater(full(minor, patch))],
        },
        ">=" => vec![Comparator::GreaterEq(full(minor, patch))],
        "<" => match (minor, patch) {
            (Some(_), Some(_)) => vec![Comparator::Less(full(minor, patch))],
            _ => vec![Comparator::Less(version(major, minor.unwrap_or(0), 0, "0"))],
        },
        "<=" => match (minor, patch) {
            (None, _) => vec![Comparator::Less(version(major + 1, 0, 0, "0"))],
            (Some(minor), None) => vec![Comparator::Less(version(major, minor + 1, 0, "0"))],
            (Some(_), Some(_)) => vec![Comparator::LessEq(full(minor, patch))],
        },
        _ => return None,
    })
}

/// A whole range: sets of comparators, any of which may match.
fn parse(range: &str) -> Option<Vec<Vec<Comparator>>> {
    let mut sets = Vec::new();
    for set in range.split("||") {
        let set = set.trim();
        let mut comparators = Vec::new();
        if let Some((low, high)) = set.split_once(" - ") {
            let low = parse_partial(low)?;
            let high = parse_partial(high)?;
            comparators.push(match low.major {
                None => Comparator::Any,
                Some(major) => Comparator::GreaterEq(version(
                    major,
                    low.minor.unwrap_or(0),
                    low.patch.unwrap_or(0),
                    &low.pre,
                )),
            });
            comparators.push(match (high.major, high.minor, high.patch) {
                (None, _, _) => Comparator::Any,
                (Some(major), None, _) => Comparator::Less(version(major + 1, 0, 0, "0")),
                (Some(major), Some(minor), None) => {
                    Comparator::Less(version(major, minor + 1, 0, "0"))
                }
                (Some(major), Some(minor), Some(patch)) => {
                    Comparator::LessEq(version(major, minor, patch, &high.pre))
                }
            });
        } else {
            // An operator may be separated from its version by spaces (`>= 1.2.3`).
            let mut words: Vec<String> = Vec::new();
            for word in set.split_whitespace() {
                match words.last_mut() {
                    Some(last)
                        if ["<", ">", "<=", ">=", "=", "~", "^", "~>"].contains(&last.as_str()) =>
                    {
                        last.push_str(word);
                    }
                    _ => words.push(word.to_owned()),
                }
            }
            if words.is_empty() {
                comparators.push(Comparator::Any);
            }
            for word in words {
                comparators.extend(desugar(&word)?);
            }
        }
        sets.push(comparators);
    }
    Some(sets)
}

/// Whether `range` is a range node-semver accepts (`validRange`).
pub fn valid_range(range: &str) -> bool {
    parse(range).is_some()
}

/// Whether a range matches every version (`*`, `x`, the empty range): node-semver normalises it
/// to the empty string.
pub fn matches_anything(range: &str) -> bool {
    parse(range).is_some_and(|sets| {
        sets.iter()
            .any(|set| set.iter().all(|comparator| *comparator == Comparator::Any))
    })
}

/// `semver.satisfies(version, range)` of node-semver (no `includePrerelease`, not loose).
pub fn satisfies(version: &Version, range: &str) -> bool {
    let Some(sets) = parse(range) else {
        return false;
    };
    sets.iter().any(|set| {
        if !set.iter().all(|comparator| comparator.test(version)) {
            return false;
        }
        if version.pre.is_empty() {
            return true;
        }
        set.iter().any(|comparator| {
            comparator.version().is_some_and(|allowed| {
                !allowed.pre.is_empty()
                    && (allowed.major, allowed.minor, allowed.patch)
                        == (version.major, version.minor, version.patch)
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(version: &str, range: &str) -> bool {
        satisfies(&Version::parse(version).unwrap(), range)
    }

    #[test]
    fn common_ranges() {
        assert!(sat("1.2.5", "^1.2.3"));
        assert!(!sat("2.0.0", "^1.2.3"));
        assert!(sat("0.2.9", "^0.2.3"));
        assert!(!sat("0.3.0", "^0.2.3"));
        assert!(!sat("1.3.0", "~1.2.3"));
        assert!(sat("1.2.0", "1.2.0"));
        assert!(!sat("1.2.1", "1.2.0"));
        assert!(sat("1.9.0", "1.x"));
        assert!(sat("1.5.0", ">=1.0.0 <2.0.0"));
        assert!(sat("3.0.0", "^1 || ^3"));
        assert!(sat("2.3.4", "1.2 - 2.3.4"));
        assert!(!sat("1.2.3-rc.1", "^1.2.0"));
        assert!(sat("1.2.3-rc.2", "^1.2.3-rc.1"));
        assert!(!sat("1.2.4-rc.1", "^1.2.3-rc.1"));
        assert!(sat("5.0.0", "*"));
        assert!(matches_anything("*") && matches_anything("x") && matches_anything(""));
        assert!(!valid_range("workspace:*"));
    }
}
