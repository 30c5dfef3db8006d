//! A branch named for a line of releases: `release-1.20`, `release/2.2`, `rel-0.23`, `1.20.x`,
//! `release-48.0.0` (cert-manager's, containerd's, rustls', click's, wasmtime's maintenance
//! branches) hold the patches of that minor line; `v1.x` the minors of that major line. `auto`
//! there stays within the line: a feature backported to `release-1.20` after 1.20.3 is
//! released as 1.20.4, not as 1.21.0 (which the line above has) or the next free 1.22.0.

use relman_version::scheme::Scheme;
use relman_version::version::Version;

/// The line a branch name is for: its major, and its minor unless the name stops at the major.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Line {
    major: u64,
    minor: Option<u64>,
}

impl Line {
    /// The line of a branch name whose last part is numbers, optionally after a word
    /// (`release-`, `rel-`, `stable-v`) and before a `.x`; `None` for any other name.
    pub(super) fn of_branch(name: &str) -> Option<Line> {
        let last = name.rsplit('/').next().unwrap_or(name);
        let numbers = last
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .trim_start_matches(['-', '_']);
        let numbers = numbers
            .strip_prefix(['v', 'V'])
            .unwrap_or(numbers)
            .trim_end_matches(".x");
        let parts: Vec<&str> = numbers.split('.').collect();
        if parts.is_empty()
            || parts.len() > 3
            || !parts
                .iter()
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let number = |index: usize| parts.get(index).and_then(|part| part.parse::<u64>().ok());
        let major = number(0)?;
        // `v1.x` is a major line; `release-1` is no line (a version's first release, or a name).
        let minor = match (parts.len(), last.ends_with(".x")) {
            (1, true) => None,
            (1, false) => return None,
            _ => Some(number(1)?),
        };
        Some(Line { major, minor })
    }

    /// Whether `version` belongs to the line.
    pub(super) fn holds(self, version: &Version) -> bool {
        version.major() == self.major && self.minor.is_none_or(|minor| version.minor() == minor)
    }

    /// The level that keeps a release within the line.
    pub(super) fn level(self) -> &'static str {
        if self.minor.is_some() {
            "patch"
        } else {
            "minor"
        }
    }

    /// How the line is written, for messages (`1.20`, `1.x`).
    pub(super) fn describe(self) -> String {
        match self.minor {
            Some(minor) => format!("{}.{minor}", self.major),
            None => format!("{}.x", self.major),
        }
    }
}

/// Whether lines make sense in `scheme`: numbered releases, not dates.
pub(super) fn applies_to(scheme: &Scheme) -> bool {
    matches!(scheme, Scheme::Semver | Scheme::Pep440)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str) -> Option<String> {
        Line::of_branch(name).map(Line::describe)
    }

    #[test]
    fn branch_names_that_name_a_line() {
        assert_eq!(line("release-1.20").as_deref(), Some("1.20"));
        assert_eq!(line("release/2.2").as_deref(), Some("2.2"));
        assert_eq!(line("rel-0.23").as_deref(), Some("0.23"));
        assert_eq!(line("1.20.x").as_deref(), Some("1.20"));
        assert_eq!(line("8.0.x").as_deref(), Some("8.0"));
        assert_eq!(line("release-48.0.0").as_deref(), Some("48.0"));
        assert_eq!(line("stable-v0.26").as_deref(), Some("0.26"));
        assert_eq!(line("v1.x").as_deref(), Some("1.x"));
        assert_eq!(line("3.11").as_deref(), Some("3.11"));
        for other in [
            "main",
            "master",
            "develop",
            "release",
            "release-1",
            "jbp-dev-0.24x",
            "feature/1.2-fix",
            "v1.2.3.4",
            "release-1.2-rc",
        ] {
            assert_eq!(line(other), None, "{other}");
        }
    }

    #[test]
    fn a_line_holds_its_versions() {
        let semver = |text: &str| Scheme::Semver.parse(text).unwrap();
        let minor = Line::of_branch("release-1.20").unwrap();
        assert!(minor.holds(&semver("1.20.3")) && !minor.holds(&semver("1.21.0")));
        assert_eq!(minor.level(), "patch");
        let major = Line::of_branch("v1.x").unwrap();
        assert!(major.holds(&semver("1.9.0")) && !major.holds(&semver("2.0.0")));
        assert_eq!(major.level(), "minor");
    }
}
