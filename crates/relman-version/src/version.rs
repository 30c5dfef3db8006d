//! A version of any scheme: its normalised text, its order, and the parts templates use
//! (`major`, `minor`, `patch`, `pre`, `is_prerelease`).
//!
//! Versions are made by [`Scheme::parse`](crate::scheme::Scheme::parse) and by bumps. Versions of
//! different schemes never meet in a real project (one project, one scheme), but `Ord` must be
//! total so that sorting can never panic: it orders by scheme first (semver, then PEP 440, then
//! calver by format, then RubyGems), which is arbitrary and documented rather than a silent
//! guess.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::scheme::{CalverVersion, GemVersion, Scheme, pep440};

/// A parsed version. `Display` writes the normalised form: no `v` prefix, PEP 440's canonical
/// spelling (`1.3.0-alpha.0` → `1.3.0a0`), semver with its build metadata, RubyGems' (`1.0.0-rc1`
/// → `1.0.0.pre.rc1`).
#[derive(Debug, Clone)]
pub enum Version {
    Semver(semver::Version),
    Pep440(pep440_rs::Version),
    Calver(CalverVersion),
    Rubygems(GemVersion),
}

/// What a template needs of a version, ready for serde.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionParts {
    pub version: String,
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Option<String>,
    pub is_prerelease: bool,
    pub is_final: bool,
}

impl Version {
    /// The scheme this version was read with.
    pub fn scheme(&self) -> Scheme {
        match self {
            Version::Semver(_) => Scheme::Semver,
            Version::Pep440(_) => Scheme::Pep440,
            Version::Calver(version) => Scheme::Calver(version.format()),
            Version::Rubygems(_) => Scheme::Rubygems,
        }
    }

    /// The first number (the year for calver); the epoch of a PEP 440 version is not counted.
    pub fn major(&self) -> u64 {
        self.number(0)
    }

    /// The second number, 0 when the version has only one (`2` in PEP 440).
    pub fn minor(&self) -> u64 {
        self.number(1)
    }

    /// The third number, 0 when the version has fewer.
    pub fn patch(&self) -> u64 {
        self.number(2)
    }

    fn number(&self, index: usize) -> u64 {
        match (self, index) {
            (Version::Semver(v), 0) => v.major,
            (Version::Semver(v), 1) => v.minor,
            (Version::Semver(v), _) => v.patch,
            (Version::Pep440(v), _) => v.release().get(index).copied().unwrap_or(0),
            (Version::Calver(v), _) => v.values().get(index).copied().unwrap_or(0),
            (Version::Rubygems(v), _) => v.release().get(index).copied().unwrap_or(0),
        }
    }

    /// The pre-release part as written after the release numbers: `rc.1` (semver), `a1`,
    /// `rc2.dev0`, `dev3` (PEP 440), `beta1`, `pre.rc1` (RubyGems). `None` for a final version,
    /// including a post-release (`1.2.3.post1`, `8.1.3.1`).
    pub fn pre(&self) -> Option<String> {
        match self {
            Version::Semver(v) if v.pre.is_empty() => None,
            Version::Semver(v) => Some(v.pre.to_string()),
            Version::Pep440(v) => pep440::pre_text(v),
            Version::Rubygems(v) => v.pre().map(str::to_owned),
            Version::Calver(_) => None,
        }
    }

    /// A pre-release or development version (`1.0a1`, `1.0.dev0`, `1.0.0-rc.1`); a post-release
    /// is final.
    pub fn is_prerelease(&self) -> bool {
        match self {
            Version::Semver(v) => !v.pre.is_empty(),
            Version::Pep440(v) => v.any_prerelease(),
            Version::Rubygems(v) => v.is_prerelease(),
            Version::Calver(_) => false,
        }
    }

    /// Whether this is a development version, the one being made rather than a pre-release
    /// that ships: semver's `1.2.4-dev.0` (or Maven's `-SNAPSHOT`), PEP 440's `1.2.4.dev0`,
    /// a gem's bare `alpha`.
    pub fn is_development(&self) -> bool {
        match self {
            Version::Semver(v) => crate::scheme::semver::is_dev(v),
            Version::Pep440(v) => v.dev().is_some(),
            Version::Rubygems(v) => crate::scheme::rubygems::bump::is_dev(v),
            Version::Calver(_) => false,
        }
    }

    /// The version a package index takes, without a PEP 440 local label (`2.4.0+dev` →
    /// `2.4.0`): `None` when there is no local label. mypy and trio mark their development with
    /// one; PyPI refuses to publish it and no project tags it.
    pub fn without_local(&self) -> Option<Version> {
        match self {
            Version::Pep440(v) if !v.local().is_empty() => {
                Some(Version::Pep440(v.clone().without_local()))
            }
            _ => None,
        }
    }

    /// A PEP 440 version with a local label as the development version of its public one
    /// (`2.4.0+dev` → `2.4.0.dev0`), which the levels bump as the version being developed
    /// (`minor` gives 2.4.0); `None` when there is no local label.
    pub fn local_as_development(&self) -> Option<Version> {
        match self {
            Version::Pep440(v) if !v.local().is_empty() && v.dev().is_none() => {
                Some(Version::Pep440(v.clone().without_local().with_dev(Some(0))))
            }
            _ => None,
        }
    }

    /// The parts templates use, with the normalised text.
    pub fn parts(&self) -> VersionParts {
        VersionParts {
            version: self.to_string(),
            major: self.major(),
            minor: self.minor(),
            patch: self.patch(),
            pre: self.pre(),
            is_prerelease: self.is_prerelease(),
            is_final: !self.is_prerelease(),
        }
    }

    fn scheme_rank(&self) -> u8 {
        match self {
            Version::Semver(_) => 0,
            Version::Pep440(_) => 1,
            Version::Calver(_) => 2,
            Version::Rubygems(_) => 3,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Semver(v) => v.fmt(f),
            Version::Pep440(v) => v.fmt(f),
            Version::Calver(v) => v.fmt(f),
            Version::Rubygems(v) => v.fmt(f),
        }
    }
}

impl Ord for Version {
    /// The scheme's own order (semver precedence, build metadata ignored, PEP 440 ordering with `1.0.dev0 < 1.0a0 < 1.0 <
    /// 1.0.post1`, calver by date then MICRO, `Gem::Version`'s `8.1.0.rc1 < 8.1.0 < 8.1.0.1`);
    /// versions of different schemes by scheme.
    fn cmp(&self, other: &Version) -> Ordering {
        match (self, other) {
            // Build metadata has no precedence: `2.2.7+unknown` is the release 2.2.7.
            (Version::Semver(a), Version::Semver(b)) => a.cmp_precedence(b),
            (Version::Pep440(a), Version::Pep440(b)) => a.cmp(b),
            (Version::Calver(a), Version::Calver(b)) => a.cmp(b),
            (Version::Rubygems(a), Version::Rubygems(b)) => a.cmp(b),
            _ => self.scheme_rank().cmp(&other.scheme_rank()),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Equal when the scheme orders them equal: PEP 440's `1.0` equals `1.0.0`.
impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.scheme_rank().hash(state);
        match self {
            Version::Semver(v) => (v.major, v.minor, v.patch, &v.pre).hash(state),
            // pep440_rs hashes `1.0` and `1.0.0` alike, as its equality requires.
            Version::Pep440(v) => v.hash(state),
            Version::Calver(v) => v.hash(state),
            Version::Rubygems(v) => v.hash(state),
        }
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pep(text: &str) -> Version {
        Scheme::Pep440.parse(text).unwrap()
    }

    fn sem(text: &str) -> Version {
        Scheme::Semver.parse(text).unwrap()
    }

    #[test]
    fn pep440_order() {
        let ordered = [
            "1.0.dev0",
            "1.0a0.dev0",
            "1.0a0",
            "1.0a1",
            "1.0b0",
            "1.0rc1.dev2",
            "1.0rc1",
            "1.0",
            "1.0.post1.dev0",
            "1.0.post1",
            "1.0.post1+local",
            "1.0.1",
            "1.1.dev0",
            "2.0",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            assert!(pep(pair[0]) < pep(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(pep("1.0"), pep("1.0.0"));
        assert_eq!(pep("v1.0"), pep("1.0"));
    }

    #[test]
    fn semver_order() {
        let ordered = [
            "1.0.0-0",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for pair in ordered.windows(2) {
            assert!(sem(pair[0]) < sem(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn schemes_order_by_scheme_and_never_panic() {
        let mut mixed = [pep("0.1"), sem("9.9.9"), pep("0.0.1"), sem("0.0.1")];
        mixed.sort();
        let texts: Vec<String> = mixed.iter().map(ToString::to_string).collect();
        assert_eq!(texts, ["0.0.1", "9.9.9", "0.0.1", "0.1"]);
        assert_ne!(sem("1.0.0"), pep("1.0.0"));
    }

    #[test]
    fn normalised_display() {
        assert_eq!(pep("1.3.0-alpha.0").to_string(), "1.3.0a0");
        assert_eq!(pep("v1.0").to_string(), "1.0");
        assert_eq!(sem("v1.0.0-rc.1+b5").to_string(), "1.0.0-rc.1+b5");
    }

    #[test]
    fn template_parts() {
        let parts = pep("1!2.3rc1.dev0+x").parts();
        assert_eq!(
            parts,
            VersionParts {
                version: "1!2.3rc1.dev0+x".to_owned(),
                major: 2,
                minor: 3,
                patch: 0,
                pre: Some("rc1.dev0".to_owned()),
                is_prerelease: true,
                is_final: false,
            }
        );
        let parts = sem("1.2.3-rc.1+build").parts();
        assert_eq!((parts.major, parts.minor, parts.patch), (1, 2, 3));
        assert_eq!(parts.pre.as_deref(), Some("rc.1"));
        let post = pep("1.2.3.post1").parts();
        assert!(post.is_final && !post.is_prerelease && post.pre.is_none());
        let scheme: Scheme = "calver:YYYY.0M.MICRO".parse().unwrap();
        let calver = scheme.parse("2024.06.2").unwrap();
        assert_eq!(
            (calver.major(), calver.minor(), calver.patch()),
            (2024, 6, 2)
        );
        assert_eq!(calver.scheme(), scheme);
        assert_eq!(serde_json::to_string(&calver).unwrap(), "\"2024.06.2\"");
        let json = serde_json::to_value(pep("1.0a1").parts()).unwrap();
        assert_eq!(json["pre"], "a1");
        assert_eq!(json["is_final"], false);
    }

    #[test]
    fn build_metadata_has_no_precedence() {
        use std::collections::HashSet;
        assert_eq!(sem("2.2.7+unknown"), sem("2.2.7"));
        assert!(sem("2.2.7+unknown") < sem("2.2.8"));
        assert!(sem("2.4.0-beta+unknown") < sem("2.4.0-beta.0"));
        let set: HashSet<Version> = [sem("1.0.0+a"), sem("1.0.0")].into_iter().collect();
        assert_eq!(set.len(), 1, "equal versions hash alike");
        assert_eq!(
            sem("2.2.7+unknown").to_string(),
            "2.2.7+unknown",
            "spelt as written"
        );
    }
}
