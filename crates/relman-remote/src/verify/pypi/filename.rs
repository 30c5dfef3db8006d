//! Names on a package index: PEP 503 project-name normalisation, and the project name and version
//! inside a distribution's file name (wheels per PEP 427/491, sdists per PEP 625 and the older
//! `name-version.tar.gz` forms where the name itself may hold hyphens).

use std::str::FromStr;

/// `Relman.Demo` and `relman__demo` are both `relman-demo` (PEP 503): the form in index URLs.
pub fn normalize_project_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            in_separator = true;
            continue;
        }
        if in_separator && !out.is_empty() {
            out.push('-');
        }
        in_separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// What kind of distribution a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistributionKind {
    Wheel,
    Sdist,
    /// `.egg`, `.exe`, `.msi`, `.rpm`: still listed by old projects.
    Legacy,
}

/// The project and version a distribution file name states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionName {
    pub kind: DistributionKind,
    /// Normalised (PEP 503).
    pub project: String,
    /// As written in the file name.
    pub version: String,
}

const SDIST_SUFFIXES: [&str; 6] = [".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar"];
const LEGACY_SUFFIXES: [&str; 4] = [".egg", ".exe", ".msi", ".rpm"];

impl DistributionName {
    /// Parses a file name; `None` when it is no distribution relman knows (a `.asc`, a
    /// `.metadata`). `project` disambiguates sdists whose names contain hyphens.
    pub fn parse(filename: &str, project: &str) -> Option<Self> {
        let project = normalize_project_name(project);
        if let Some(stem) = filename.strip_suffix(".whl") {
            // {name}-{version}(-{build})?-{python}-{abi}-{platform}
            let parts: Vec<&str> = stem.split('-').collect();
            if parts.len() != 5 && parts.len() != 6 {
                return None;
            }
            return Some(Self {
                kind: DistributionKind::Wheel,
                project: normalize_project_name(parts[0]),
                version: parts[1].to_owned(),
            });
        }
        if let Some(stem) = strip_any_suffix(filename, &SDIST_SUFFIXES) {
            return Self::split_name_version(stem, &project, DistributionKind::Sdist);
        }
        if let Some(stem) = strip_any_suffix(filename, &LEGACY_SUFFIXES) {
            // name-version-py3.8(-platform).egg or name-version.platform.exe: the version is the
            // part after the project's name.
            let parsed = Self::split_name_version(stem, &project, DistributionKind::Legacy)?;
            let version = parsed
                .version
                .split('-')
                .next()
                .unwrap_or_default()
                .to_owned();
            return Some(Self { version, ..parsed });
        }
        None
    }

    /// `name-version` where `name` may contain hyphens: prefer the split that gives the
    /// expected project, else the first hyphen followed by a digit.
    fn split_name_version(stem: &str, project: &str, kind: DistributionKind) -> Option<Self> {
        let hyphens: Vec<usize> = stem.match_indices('-').map(|(index, _)| index).collect();
        let split = hyphens
            .iter()
            .find(|&&index| normalize_project_name(&stem[..index]) == project)
            .or_else(|| {
                hyphens
                    .iter()
                    .find(|&&index| stem[index + 1..].starts_with(|c: char| c.is_ascii_digit()))
            })?;
        Some(Self {
            kind,
            project: normalize_project_name(&stem[..*split]),
            version: stem[split + 1..].to_owned(),
        })
    }

    /// Whether this file is of `project` at `version` (PEP 440 equality: `1.3.0a1` is
    /// `1.3.0-alpha.1` and `1.3.0.a1`; versions that do not parse compare as written).
    pub fn is_release(&self, project: &str, version: &str) -> bool {
        self.project == normalize_project_name(project) && same_version(&self.version, version)
    }
}

fn strip_any_suffix<'a>(filename: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    let lower = filename.to_ascii_lowercase();
    suffixes
        .iter()
        .find(|suffix| lower.ends_with(*suffix))
        .map(|suffix| &filename[..filename.len() - suffix.len()])
}

/// PEP 440 equality, with `_` read as `-` as wheel names write local versions and pre-releases.
pub fn same_version(left: &str, right: &str) -> bool {
    let parse = |text: &str| pep440_rs::Version::from_str(&text.replace('_', "-")).ok();
    match (parse(left), parse(right)) {
        (Some(left), Some(right)) => left == right,
        _ => left.eq_ignore_ascii_case(right),
    }
}

/// The normalised text of a version (`1.3.0-alpha.1` → `1.3.0a1`), or the text itself when it is
/// not PEP 440.
pub fn normalize_version(version: &str) -> String {
    pep440_rs::Version::from_str(version).map_or_else(|_| version.to_owned(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_normalise() {
        assert_eq!(normalize_project_name("Relman.Demo"), "relman-demo");
        assert_eq!(normalize_project_name("relman__demo"), "relman-demo");
        assert_eq!(normalize_project_name("ciso8601"), "ciso8601");
        assert_eq!(normalize_project_name("zope.interface"), "zope-interface");
    }

    #[test]
    fn wheels_parse() {
        let name =
            DistributionName::parse("ciso8601-2.1.3-cp39-cp39-manylinux_2_17_x86_64.whl", "x")
                .unwrap();
        assert_eq!(name.kind, DistributionKind::Wheel);
        assert_eq!(
            (name.project.as_str(), name.version.as_str()),
            ("ciso8601", "2.1.3")
        );
        let build = DistributionName::parse("pkg-1.0-1-py3-none-any.whl", "pkg").unwrap();
        assert_eq!(build.version, "1.0");
        assert!(DistributionName::parse("bad-name.whl", "bad").is_none());
    }

    #[test]
    fn sdists_with_hyphenated_names_parse() {
        let name =
            DistributionName::parse("python-dateutil-2.8.2.tar.gz", "python-dateutil").unwrap();
        assert_eq!(
            (name.project.as_str(), name.version.as_str()),
            ("python-dateutil", "2.8.2")
        );
        let name = DistributionName::parse("Django-4.2.zip", "django").unwrap();
        assert_eq!(
            (name.project.as_str(), name.version.as_str()),
            ("django", "4.2")
        );
        // Without the expected project, the first hyphen before a digit splits.
        let name = DistributionName::parse("my-pkg-1.0.tar.gz", "other").unwrap();
        assert_eq!(name.project, "my-pkg");
        assert!(DistributionName::parse("pkg-1.0.tar.gz.asc", "pkg").is_none());
    }

    #[test]
    fn legacy_eggs_parse() {
        let name = DistributionName::parse("pkg-1.0-py2.7.egg", "pkg").unwrap();
        assert_eq!(
            (name.kind, name.version.as_str()),
            (DistributionKind::Legacy, "1.0")
        );
    }

    #[test]
    fn pre_releases_compare_by_pep440() {
        let wheel =
            DistributionName::parse("relman_demo-1.3.0a1-py3-none-any.whl", "Relman.Demo").unwrap();
        assert!(wheel.is_release("Relman.Demo", "1.3.0a1"));
        assert!(wheel.is_release("relman-demo", "1.3.0-alpha.1"));
        assert!(wheel.is_release("relman_demo", "1.3.0.a1"));
        assert!(!wheel.is_release("relman-demo", "1.3.0"));
        assert!(!wheel.is_release("relman-demo", "1.3.0a2"));
        assert!(same_version("1.0", "1.0.0"));
        assert_eq!(normalize_version("1.3.0-alpha.1"), "1.3.0a1");
        assert_eq!(normalize_version("not.a-version!"), "not.a-version!");
    }
}
