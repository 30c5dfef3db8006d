//! RubyGems versions, read and ordered as `Gem::Version` does, written in the gem's own spelling.
//!
//! A version is numbers and words separated by dots (`8.1.0.beta1`, `8.1.3.1`, `1.0.0.pre.rc.1`);
//! inside a part, a change between digits and letters starts a new segment (`beta1` is `beta`,
//! `1`). Any letter makes it a pre-release. Comparison drops the zeros that end the numbers
//! before the first word and the zeros that end the rest (`1.0` equals `1.0.0`, `1.0.a.0` equals
//! `1.0.a`), then compares segment by segment, a missing one counting as 0, a word below any
//! number, words by their bytes: `8.1.0.beta1 < 8.1.0.rc1 < 8.1.0 < 8.1.0.1`. A `-` is RubyGems'
//! `.pre.` (`1.0.0-rc1` is `1.0.0.pre.rc1`), which is also how it is written back.
//!
//! The bump arithmetic is in `rubygems/bump.rs`.

pub(crate) mod bump;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::scheme::VersionError;
use crate::tag_format::TagFormat;

/// A parsed RubyGems version: its text as `Gem::Version#to_s` writes it, and its segments.
#[derive(Debug, Clone)]
pub struct GemVersion {
    text: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Number(u64),
    Word(String),
}

pub(crate) fn parse(text: &str) -> Result<GemVersion, VersionError> {
    let error = |reason: &str| VersionError::Rubygems {
        text: text.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = text.trim();
    let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
    check_grammar(body).map_err(error)?;
    let normal = body.replace('-', ".pre.");
    let mut segments = Vec::new();
    let mut rest = normal.as_str();
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        rest = &rest[start..];
        let digits = rest.as_bytes()[0].is_ascii_digit();
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric() || c.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let part = &rest[..end];
        segments.push(if digits {
            Segment::Number(part.parse().map_err(|_| error("a number is too large"))?)
        } else {
            Segment::Word(part.to_owned())
        });
        rest = &rest[end..];
    }
    Ok(GemVersion {
        text: normal,
        segments,
    })
}

/// `Gem::Version`'s grammar: a number, then `.` parts of letters and digits, then optionally a
/// `-` and `.`-separated parts that may hold `-` too. An empty version (which RubyGems reads as
/// `0`) is refused: it is never meant.
fn check_grammar(body: &str) -> Result<(), &'static str> {
    if body.is_empty() {
        return Err("it is empty");
    }
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("it must start with a number");
    }
    let (main, pre) = match body.split_once('-') {
        Some((main, pre)) => (main, Some(pre)),
        None => (body, None),
    };
    let part_ok = |part: &str, dash: bool| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || (dash && c == '-'))
    };
    if !main.split('.').all(|part| part_ok(part, false)) {
        return Err("parts are letters and digits separated by single dots");
    }
    if let Some(pre) = pre
        && !pre.split('.').all(|part| part_ok(part, true))
    {
        return Err("the part after `-` is letters, digits and `-` separated by single dots");
    }
    Ok(())
}

impl GemVersion {
    /// The numbers before the first word: `8, 1, 3, 1` of `8.1.3.1`, `8, 1, 0` of `8.1.0.beta1`.
    pub fn release(&self) -> Vec<u64> {
        self.segments
            .iter()
            .map_while(|segment| match segment {
                Segment::Number(n) => Some(*n),
                Segment::Word(_) => None,
            })
            .collect()
    }

    /// Any letter makes a pre-release, as in `Gem::Version#prerelease?`.
    pub fn is_prerelease(&self) -> bool {
        self.segments
            .iter()
            .any(|segment| matches!(segment, Segment::Word(_)))
    }

    /// The text from the first letter on, without the dot before it: `beta1` of `8.1.0.beta1`,
    /// `pre.rc1` of `1.0.0.pre.rc1`, `b1` of `1.0b1`. `None` for a final version.
    pub fn pre(&self) -> Option<&str> {
        let start = self.text.find(|c: char| c.is_ascii_alphabetic())?;
        Some(&self.text[start..])
    }

    /// The same release with another pre-release part, written where the current one is (after
    /// a dot or glued: `1.0b1` → `1.0b2`).
    pub(crate) fn with_pre(&self, pre: &str) -> Option<GemVersion> {
        let start = self.text.find(|c: char| c.is_ascii_alphabetic())?;
        parse(&format!("{}{pre}", &self.text[..start])).ok()
    }

    /// The segments `Gem::Version#canonical_segments` compares: trailing zeros dropped from the
    /// numbers before the first word, and from the rest.
    fn canonical(&self) -> Vec<&Segment> {
        let split = self
            .segments
            .iter()
            .position(|segment| matches!(segment, Segment::Word(_)))
            .unwrap_or(self.segments.len());
        let (numbers, rest) = self.segments.split_at(split);
        let trim = |part: &'_ [Segment]| {
            let end = part
                .iter()
                .rposition(|segment| *segment != Segment::Number(0))
                .map_or(0, |last| last + 1);
            part[..end].len()
        };
        let mut canonical: Vec<&Segment> = numbers[..trim(numbers)].iter().collect();
        canonical.extend(&rest[..trim(rest)]);
        canonical
    }
}

impl fmt::Display for GemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Ord for GemVersion {
    /// `Gem::Version#<=>`.
    fn cmp(&self, other: &GemVersion) -> Ordering {
        let (a, b) = (self.canonical(), other.canonical());
        let zero = Segment::Number(0);
        for i in 0..a.len().max(b.len()) {
            let left = a.get(i).copied().unwrap_or(&zero);
            let right = b.get(i).copied().unwrap_or(&zero);
            let order = match (left, right) {
                (Segment::Number(x), Segment::Number(y)) => x.cmp(y),
                (Segment::Word(x), Segment::Word(y)) => x.as_bytes().cmp(y.as_bytes()),
                (Segment::Word(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Word(_)) => Ordering::Greater,
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &GemVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &GemVersion) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

impl Hash for GemVersion {
    /// Versions equal by `Gem::Version` (`1.0`, `1.0.0`) hash alike.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical().hash(state);
    }
}

/// Whether a project's versions need RubyGems' rules: some version text (a version file's value,
/// a tag's version part) reads as a gem version but not as semver, nor as semver's old two-part
/// `1.0` (`8.1.3.1`, `8.1.0.beta1`, `8.2.0.alpha`).
pub fn needed<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    texts.into_iter().any(|text| {
        text.contains('.')
            && parse(text).is_ok()
            && crate::tag_format::read_tag_version(&super::Scheme::Semver, text).is_none()
    })
}

/// [`needed`] for a project: the values of its version files, and its tags read with `format`
/// (the configured tag format), else with the format RubyGems' rules guess from them.
pub fn needed_by<'a>(
    values: impl IntoIterator<Item = &'a str>,
    tags: &[String],
    format: Option<&TagFormat>,
    name: &str,
) -> bool {
    if needed(values) {
        return true;
    }
    let tags = || tags.iter().map(String::as_str);
    let guessed;
    let format = match format {
        Some(format) => format,
        None => match TagFormat::guess(tags(), &super::Scheme::Rubygems, Some(name)) {
            Some(format) => {
                guessed = format;
                &guessed
            }
            None => return false,
        },
    };
    needed(tags().filter_map(|tag| format.extract(tag)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> GemVersion {
        parse(text).unwrap()
    }

    #[test]
    fn order_of_rails_releases() {
        let ordered = [
            "8.0.5.1",
            "8.1.0.alpha",
            "8.1.0.beta1",
            "8.1.0.rc1",
            "8.1.0.rc2",
            "8.1.0",
            "8.1.0.1",
            "8.1.1",
            "8.1.3.1",
            "8.2.0.alpha",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0.a.0"), v("1.0.a"));
        assert!(v("1.0.a") < v("1.0.b"));
        assert!(v("1.0.B") < v("1.0.a"));
    }

    #[test]
    fn parts_and_spelling() {
        let version = v(" v8.1.0.beta1 ");
        assert_eq!(version.to_string(), "8.1.0.beta1");
        assert_eq!(version.release(), [8, 1, 0]);
        assert_eq!(version.pre(), Some("beta1"));
        assert!(version.is_prerelease());
        let dashed = v("1.0.0-rc1");
        assert_eq!(dashed.to_string(), "1.0.0.pre.rc1");
        assert_eq!(dashed.pre(), Some("pre.rc1"));
        assert_eq!(v("1.0b1").release(), [1, 0]);
        assert_eq!(v("1.0b1").pre(), Some("b1"));
        assert!(!v("8.1.3.1").is_prerelease());
        assert_eq!(v("8.1.3.1").pre(), None);
    }

    #[test]
    fn refuses_what_gem_version_refuses() {
        for bad in ["", "v", "1..0", "1.0.", "1.0_RC1", "x1", "1.0-", "1.0+b"] {
            let error = parse(bad).unwrap_err();
            assert!(error.to_string().contains("RubyGems"), "{bad}: {error}");
        }
        assert!(parse("99999999999999999999999").is_err());
    }

    #[test]
    fn needed_by_versions_semver_cannot_read() {
        assert!(needed(["8.2.0.alpha"]));
        assert!(needed(["1.0.0", "8.1.3.1"]));
        assert!(!needed(["1.0.0", "1.2", "1.3.0-rc.1"]));
        assert!(!needed(["1", "v1.0_RC1"]));
    }

    #[test]
    fn needed_by_a_projects_tags_or_files() {
        let tags: Vec<String> = ["v8.1.3", "v8.1.3.1", "v2.3.2"].map(str::to_owned).into();
        assert!(needed_by([], &tags, None, "rails"));
        assert!(needed_by(["8.2.0.alpha"], &[], None, "rails"));
        let semver_only: Vec<String> = ["v1.0.0", "v1.1.0-rc.1"].map(str::to_owned).into();
        assert!(!needed_by(["1.2.0"], &semver_only, None, "gem"));
        let other = TagFormat::parse("gem-{version}").unwrap();
        assert!(!needed_by([], &tags, Some(&other), "rails"));
    }
}
