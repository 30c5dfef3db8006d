//! A gem's `gem_version.rb` that keeps its version in parts, as Rails' gems do: `MAJOR`, `MINOR`,
//! `TINY` numbers and a `PRE` string or `nil`, joined by the gem as
//! `[MAJOR, MINOR, TINY, PRE].compact.join(".")`. The version read is that join; a new version is
//! split back the same way (`8.1.3.1` → 8, 1, 3, `"1"`; `8.2.0` → 8, 2, 0, `nil`), each constant's
//! value replaced where it stands. A version that does not split so (`1.3.0-rc.1`) is refused.
//!
//! A version kept in parts is one mechanism for every file that keeps one: the places found
//! here and a C header's `#define`s (`c_header`) are [`Part`]s, composed into one version when
//! read and split back, each rewritten where it stands, when written (`found`, `splice`).

use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::text::{Location, line_of, looks_like_version, splice_each};
use super::{FileError, FoundVersion};

/// Which part of a version kept in parts a place holds: a gem's constants (`Pre` is the gem's
/// `PRE`), or a C header's defines (`Tiny` its third number, `Prerelease` its pre-release string
/// or `NULL`, `Whole` its quoted whole version; see `c_header`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Major,
    Minor,
    Tiny,
    Pre,
    Prerelease,
    Whole,
}

/// Whether places in parts are a gem's constants: those always have a `PRE`, which no C header
/// has.
fn is_gem<'p>(mut parts: impl Iterator<Item = Option<&'p Part>>) -> bool {
    parts.any(|part| part == Some(&Part::Pre))
}

const PARTS: [(Part, &str); 4] = [
    (Part::Major, "MAJOR"),
    (Part::Minor, "MINOR"),
    (Part::Tiny, "TINY"),
    (Part::Pre, "PRE"),
];

pub(super) const LOOKED_FOR: &str = "`MAJOR`, `MINOR`, `TINY` and `PRE` constants";

/// `MAJOR = 8` … `PRE = "alpha"` or `PRE = nil`, each alone on its line (a comment may follow).
static CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^[ \t]*(?P<name>MAJOR|MINOR|TINY|PRE)[ \t]*=[ \t]*(?P<value>[0-9]+|nil|"[^"\\\r\n#]*"|'[^'\\\r\n]*')[ \t]*(?:#[^\r\n]*)?\r?$"#,
    )
    .expect("the gem_version.rb expression is valid")
});

/// The four constants' values (numbers as written, `PRE` with its quotes or `nil`), in order.
pub(super) fn locate(path: &Path, text: &str) -> Result<Vec<Location>, FileError> {
    let mut found: Vec<Location> = Vec::with_capacity(4);
    for (part, name) in PARTS {
        let places: Vec<_> = CONSTANT
            .captures_iter(text)
            .filter(|captures| &captures["name"] == name)
            .filter_map(|captures| captures.name("value"))
            .collect();
        match places.as_slice() {
            [] if found.is_empty() && part == Part::Major => return Ok(Vec::new()),
            [] => {
                return Err(FileError::NoVersion {
                    path: path.to_owned(),
                    looked_for: LOOKED_FOR.to_owned(),
                });
            }
            [value] => {
                let numeric = value.as_str().bytes().all(|b| b.is_ascii_digit());
                if numeric != (part != Part::Pre) {
                    return Err(FileError::Unsupported {
                        path: path.to_owned(),
                        line: line_of(text, value.start()),
                        message: format!(
                            "`{name}` is `{}`, where the gem's version needs {}",
                            value.as_str(),
                            if part == Part::Pre {
                                "a string or `nil`"
                            } else {
                                "a number"
                            }
                        ),
                    });
                }
                found.push(Location::part(value.range(), name, part));
            }
            _ => {
                return Err(FileError::Ambiguous {
                    path: path.to_owned(),
                    looked_for: format!("`{name}` constant"),
                    lines: places
                        .iter()
                        .map(|value| line_of(text, value.start()))
                        .collect(),
                });
            }
        }
    }
    Ok(found)
}

/// The version the constants make, as the gem joins them: `8.2.0.alpha`, `8.1.3`.
pub(super) fn compose(text: &str, locations: &[Location]) -> String {
    locations
        .iter()
        .filter_map(|location| {
            let value = &text[location.span.clone()];
            match value {
                "nil" => None,
                _ => Some(value.trim_matches(['"', '\''])),
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The version the constants at `locations` of `path` make, found at the first one's line.
pub(super) fn found(
    path: &Path,
    text: &str,
    locations: &[Location],
) -> Result<FoundVersion, FileError> {
    let line = line_of(text, locations.first().map_or(0, |first| first.span.start));
    let (value, location) = if is_gem(locations.iter().map(|location| location.part.as_ref())) {
        (compose(text, locations), LOOKED_FOR.to_owned())
    } else {
        let names: Vec<String> = locations
            .iter()
            .map(|location| format!("`{}`", location.label))
            .collect();
        (
            super::c_header::compose(path, text, locations)?,
            names.join(", "),
        )
    };
    if !looks_like_version(&value) {
        return Err(FileError::NotAVersion {
            path: path.to_owned(),
            line,
            location,
            value,
        });
    }
    Ok(FoundVersion {
        path: path.to_owned(),
        line,
        location,
        value,
        spelt: None,
    })
}

/// `bytes` with each place replaced: a whole version by `version`, a part by its share of it.
/// The spans are sorted and do not overlap.
pub(super) fn splice(
    path: &Path,
    bytes: &[u8],
    spans: &[(Range<usize>, Option<Part>)],
    version: &str,
) -> Result<Vec<u8>, FileError> {
    let gem = is_gem(spans.iter().map(|(_, part)| part.as_ref()));
    if !gem
        && version.contains('-')
        && !spans
            .iter()
            .any(|(_, part)| matches!(part, Some(Part::Prerelease | Part::Whole)))
    {
        // Numbers alone cannot say `3.6.0-rc.1`: writing `3.6.0` would claim the release.
        let start = spans.first().map_or(0, |(span, _)| span.start);
        return Err(FileError::NumbersOnly {
            path: path.to_owned(),
            line: memchr::memchr_iter(b'\n', &bytes[..start]).count() + 1,
            version: version.to_owned(),
            holder: "the header's version `#define`s take",
        });
    }
    let mut replaced = Vec::with_capacity(spans.len());
    for (span, part) in spans {
        let text = match part {
            None => version.to_owned(),
            Some(part) => {
                let old = String::from_utf8_lossy(&bytes[span.clone()]);
                if gem {
                    replacement(*part, version, &old)?
                } else {
                    super::c_header::replacement(*part, version, &old).ok_or_else(|| {
                        FileError::InvalidNewVersion {
                            value: version.to_owned(),
                            reason: "a C header's `#define`s hold a version of three numbers \
                                     and an optional pre-release, such as `1.10.0` or \
                                     `1.10.0-alpha`",
                        }
                    })?
                }
            }
        };
        replaced.push((span.clone(), text));
    }
    Ok(splice_each(bytes, &replaced))
}

/// What `part` becomes for `version`; `old` is its current text, whose quotes a new `PRE` keeps.
pub(super) fn replacement(part: Part, version: &str, old: &str) -> Result<String, FileError> {
    let refuse = || FileError::InvalidNewVersion {
        value: version.to_owned(),
        reason: "`MAJOR`/`MINOR`/`TINY`/`PRE` constants hold a version of three numbers and an \
                 optional dot-separated rest, such as `8.1.0`, `8.1.3.1` or `8.1.0.beta1`",
    };
    let mut pieces = version.splitn(4, '.');
    let mut number = || {
        pieces
            .next()
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
            .ok_or_else(refuse)
    };
    let (major, minor, tiny) = (number()?, number()?, number()?);
    let pre = pieces.next();
    Ok(match part {
        Part::Major => major,
        Part::Minor => minor,
        Part::Tiny => tiny,
        Part::Whole => version.to_owned(),
        Part::Pre | Part::Prerelease => match pre {
            None => "nil".to_owned(),
            Some(pre) => {
                let quote = if old.starts_with('\'') { '\'' } else { '"' };
                format!("{quote}{pre}{quote}")
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAILTIE: &str = "module Rails\n  module VERSION\n    MAJOR = 8\n    MINOR = 2\n    TINY  = 0\n    PRE   = \"alpha\"\n\n    STRING = [MAJOR, MINOR, TINY, PRE].compact.join(\".\")\n  end\nend\n";

    #[test]
    fn the_constants_make_the_version() {
        let found = locate(Path::new("gem_version.rb"), RAILTIE).unwrap();
        assert_eq!(compose(RAILTIE, &found), "8.2.0.alpha");
        let released = RAILTIE.replace("\"alpha\"", "nil");
        let found = locate(Path::new("gem_version.rb"), &released).unwrap();
        assert_eq!(compose(&released, &found), "8.2.0");
        assert!(
            locate(Path::new("x.rb"), "module X\n  VERSION = \"1\"\nend\n")
                .unwrap()
                .is_empty()
        );
        let missing = RAILTIE.replace("    PRE   = \"alpha\"\n", "");
        assert!(matches!(
            locate(Path::new("gem_version.rb"), &missing),
            Err(FileError::NoVersion { .. })
        ));
        let twice = RAILTIE.replace("TINY  = 0\n", "TINY  = 0\n    TINY = 1\n");
        assert!(matches!(
            locate(Path::new("gem_version.rb"), &twice),
            Err(FileError::Ambiguous { .. })
        ));
    }

    #[test]
    fn a_version_splits_into_the_constants() {
        let parts = |version: &str, old_pre: &str| {
            [Part::Major, Part::Minor, Part::Tiny, Part::Pre]
                .map(|part| replacement(part, version, old_pre).unwrap())
        };
        assert_eq!(parts("8.1.3.1", "nil"), ["8", "1", "3", "\"1\""]);
        assert_eq!(parts("8.2.0", "\"alpha\""), ["8", "2", "0", "nil"]);
        assert_eq!(parts("1.0.0.pre.rc1", "'x'"), ["1", "0", "0", "'pre.rc1'"]);
        for bad in ["1.3.0-rc.1", "1.0", "1.0b1.2"] {
            assert!(replacement(Part::Major, bad, "nil").is_err(), "{bad}");
        }
    }
}
