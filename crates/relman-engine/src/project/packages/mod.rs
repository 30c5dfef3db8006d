//! Packages: a repository that holds several, each with its own version, tags and changelog.
//!
//! A project with packages keeps them in [`Project::packages`]: the root package first when the
//! repository has one (`[project]`'s settings: the root's version files or its own release tags),
//! then the others. [`Project::package`] gives one package as a [`Project`] of its own (a view:
//! the package's scheme, tag format, version files and changelog, with a [`Scope`] that says
//! which commits and tags are its), so everything a single-package project does (versions,
//! proposals, changelogs, plans) works on a package unchanged. A project without packages has no
//! scope and behaves as it always did.
//!
//! Commits belong to the package whose folder holds a file they change (the deepest folder when
//! packages nest; the root package has what no other folder holds). A tag belongs to the package
//! whose format reads it as a release, the most specific format winning (`grep-cli-0.1.0` is
//! `grep-cli`'s, not `grep`'s); tags shaped like another package's (`NAME-1.2.3`, `NAME@1.2.3`,
//! `NAME-v1.2.3`, `PATH/v1.2.3`) of a package that no longer exists are a retired package's old
//! releases: not the root package's, and no error.

mod candidate;
pub mod changesets;
pub(crate) mod detect;
mod families;
mod history;
pub mod settings;
mod stale_root;

use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use relman_git::TagKind;
use relman_version::scheme::Scheme;
use relman_version::tag_format::{TagFormat, TagRead};
use relman_version::version::Version;
use relman_version::workspace::{Dependency, Ecosystem};

use super::{ChangelogSettings, LeftOut, Project, ProjectError};
use relman_version::files::VersionFileSpec;

/// One package of a repository that holds several.
#[derive(Debug, Clone)]
pub struct Package {
    pub name: String,
    /// Its folder, relative to the top (empty for the root package).
    pub path: PathBuf,
    /// The manifest's ecosystem; `None` for a configured package no manifest names.
    pub ecosystem: Option<Ecosystem>,
    pub manifest: Option<PathBuf>,
    /// The root package: `[project]`'s settings.
    pub root: bool,
    /// Declared by a `[package.NAME]` table.
    pub configured: bool,
    /// Never published (`"private": true`, `publish = false`).
    pub private: bool,
    /// Its dependencies on the other packages.
    pub dependencies: Vec<Dependency>,
    /// A Go module's path.
    pub module: Option<String>,
    pub settings: PackageSettings,
}

/// What a package is released with.
#[derive(Debug, Clone)]
pub struct PackageSettings {
    pub scheme: Scheme,
    pub tag_format: TagFormat,
    pub version_files: Vec<VersionFileSpec>,
    pub left_out: Vec<LeftOut>,
    pub changelog: ChangelogSettings,
    pub pre_label: Option<String>,
    pub initial_version: Option<Version>,
}

/// Tags of a package that no longer exists: its old releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    /// The name (or folder) its tags carry.
    pub name: String,
    /// How many release tags it left.
    pub releases: usize,
    /// The tag of its highest version.
    pub last: String,
}

/// What makes a project one package of several: which package it is, and how commits and tags
/// are told apart between the packages.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Index into [`Project::packages`].
    pub index: usize,
    pub owners: Arc<Owners>,
}

/// Who owns a changed file or a tag, among the packages of a project.
#[derive(Debug)]
pub struct Owners {
    /// Package folders with a trailing `/` (the root: empty), deepest first, with the package.
    folders: Vec<(Vec<u8>, usize)>,
    /// Each package's tag format and scheme, by package index.
    formats: Vec<(TagFormat, Scheme)>,
    /// The formats by the length of their prefix, then by the prefix: a tag is only read by the
    /// formats whose prefix it starts with (a hundred packages' thousands of tags, read fast).
    by_prefix: Vec<(usize, HashMap<String, Vec<usize>>)>,
    /// Names and folders of the packages, for telling retired packages' tags.
    names: Vec<String>,
}

impl Owners {
    fn new(packages: &[Package]) -> Owners {
        let mut folders: Vec<(Vec<u8>, usize)> = packages
            .iter()
            .enumerate()
            .map(|(index, package)| {
                let mut folder = package.path.to_string_lossy().into_owned().into_bytes();
                if !folder.is_empty() && !folder.ends_with(b"/") {
                    folder.push(b'/');
                }
                (folder, index)
            })
            .collect();
        folders.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        let mut names = Vec::new();
        for package in packages {
            names.push(package.name.clone());
            if !package.path.as_os_str().is_empty() {
                names.push(package.path.to_string_lossy().into_owned());
            }
        }
        let mut by_prefix: Vec<(usize, HashMap<String, Vec<usize>>)> = Vec::new();
        for (index, package) in packages.iter().enumerate() {
            let prefix = package.settings.tag_format.prefix();
            let slot = match by_prefix.iter().position(|(len, _)| *len == prefix.len()) {
                Some(slot) => slot,
                None => {
                    by_prefix.push((prefix.len(), HashMap::new()));
                    by_prefix.len() - 1
                }
            };
            by_prefix[slot]
                .1
                .entry(prefix.to_owned())
                .or_default()
                .push(index);
        }
        Owners {
            folders,
            by_prefix,
            formats: packages
                .iter()
                .map(|package| (package.settings.tag_format.clone(), package.settings.scheme))
                .collect(),
            names,
        }
    }

    /// The package a changed file belongs to: the deepest folder holding it.
    pub fn owner_of_path(&self, path: &[u8]) -> Option<usize> {
        self.folders
            .iter()
            .find(|(folder, _)| path.starts_with(folder))
            .map(|(_, index)| *index)
    }

    /// The package a tag belongs to and what it reads as there: among the formats that read it
    /// as a release, the most specific (longest literal text); else the most specific that
    /// takes it for a malformed one of its own; between equally specific formats, the package
    /// listed first. Only the formats whose literal prefix starts the tag are asked.
    pub fn owner_of_tag(&self, tag: &str) -> Option<(usize, TagRead)> {
        let mut release: Option<(usize, usize, Version)> = None;
        let mut malformed: Option<(usize, usize)> = None;
        let candidates = self
            .by_prefix
            .iter()
            .filter_map(|(len, prefixes)| prefixes.get(tag.get(..*len)?))
            .flatten();
        for &index in candidates {
            let (format, scheme) = &self.formats[index];
            let specific = format.prefix().len() + format.suffix().len();
            match format.read(tag, scheme) {
                TagRead::Release(version) => {
                    if release.as_ref().is_none_or(|(at, best, _)| {
                        (specific, Reverse(index)) > (*best, Reverse(*at))
                    }) {
                        release = Some((index, specific, version));
                    }
                }
                TagRead::NotRelease => {
                    if malformed
                        .is_none_or(|(at, best)| (specific, Reverse(index)) > (best, Reverse(at)))
                    {
                        malformed = Some((index, specific));
                    }
                }
                TagRead::Other => {}
            }
        }
        match (release, malformed) {
            (Some((index, _, version)), _) => Some((index, TagRead::Release(version))),
            (None, Some((index, _))) => Some((index, TagRead::NotRelease)),
            (None, None) => None,
        }
    }

    /// The package a tag belongs to and what it is to that package: a release, a pre-release,
    /// or a malformed tag of its format; `None` for a tag no package has (a retired package's
    /// old release included).
    pub fn kind_of_tag(&self, tag: &str) -> Option<(usize, TagKind<Version>)> {
        match self.owner_of_tag(tag)? {
            (owner, TagRead::Release(version)) if version.is_prerelease() => {
                Some((owner, TagKind::PreRelease(version)))
            }
            (owner, TagRead::Release(version)) => Some((owner, TagKind::Release(version))),
            (owner, TagRead::NotRelease) if self.retired_name(tag).is_none() => {
                Some((owner, TagKind::Malformed))
            }
            (_, TagRead::NotRelease | TagRead::Other) => None,
        }
    }

    /// The name a tag of a package's shape carries (`globset` of `globset-0.4.20`, `sub` of
    /// `sub/v1.2.0`), when that name is no package's: a retired package's release.
    pub fn retired_name(&self, tag: &str) -> Option<String> {
        let (name, _) = package_tag_shape(tag)?;
        (!self.names.contains(&name)).then_some(name)
    }
}

/// Splits a tag of a package's shape into the name and the version text: `NAME-1.2.3`,
/// `NAME-v1.2.3`, `NAME@1.2.3` (scoped names included) and `PATH/v1.2.3`.
pub(crate) fn package_tag_shape(tag: &str) -> Option<(String, &str)> {
    for separator in ["/v", "@", "-v", "-"] {
        let mut search = tag.len();
        while let Some(at) = tag[..search].rfind(separator) {
            let (name, rest) = (&tag[..at], &tag[at + separator.len()..]);
            search = at;
            if name.is_empty() || !name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                continue;
            }
            let numeric = rest.split(['-', '+']).next().unwrap_or("");
            let parts: Vec<&str> = numeric.split('.').collect();
            if (2..=3).contains(&parts.len())
                && parts
                    .iter()
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
                && name.contains(|c: char| c.is_ascii_alphabetic())
            {
                return Some((name.to_owned(), rest));
            }
        }
    }
    None
}

/// Every package's index in dependency order: a package after the packages it depends on,
/// otherwise in the order listed; the packages of a dependency cycle keep the listed order.
pub fn dependency_order(packages: &[Package]) -> Vec<usize> {
    let depends: Vec<Vec<usize>> = packages
        .iter()
        .map(|package| {
            package
                .dependencies
                .iter()
                .filter_map(|dependency| {
                    packages
                        .iter()
                        .position(|other| other.name == dependency.name)
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = Vec::with_capacity(packages.len());
    let mut placed = vec![false; packages.len()];
    while order.len() < packages.len() {
        let next = (0..packages.len())
            .find(|&index| {
                !placed[index]
                    && depends[index]
                        .iter()
                        .all(|other| placed[*other] || *other == index)
            })
            .or_else(|| (0..packages.len()).find(|&index| !placed[index]))
            .expect("invariant: a package is left to place");
        placed[next] = true;
        order.push(next);
    }
    order
}

impl Project {
    /// Whether the repository holds several packages.
    pub fn has_packages(&self) -> bool {
        !self.packages.is_empty()
    }

    /// The root package, when the repository has packages and one of them is at the root.
    pub fn root_package(&self) -> Option<&Package> {
        self.packages.iter().find(|package| package.root)
    }

    /// The package this project is scoped to, if any.
    pub fn current_package(&self) -> Option<&Package> {
        self.scope
            .as_ref()
            .and_then(|scope| self.packages.get(scope.index))
    }

    /// The index of the package called `name` (its name, or its folder).
    pub fn package_index(&self, name: &str) -> Result<usize, ProjectError> {
        let name = name.trim_end_matches('/');
        self.packages
            .iter()
            .position(|package| package.name == name)
            .or_else(|| {
                self.packages
                    .iter()
                    .position(|package| !package.root && package.path == Path::new(name))
            })
            .ok_or_else(|| ProjectError::UnknownPackage {
                name: name.to_owned(),
                suggestion: crate::template::Suggestion::closest(
                    name,
                    self.packages.iter().map(|package| package.name.as_str()),
                ),
                known: self
                    .packages
                    .iter()
                    .map(|package| package.name.clone())
                    .collect(),
            })
    }

    /// The package called `name` as a project of its own (see the module documentation).
    pub fn package(&self, name: &str) -> Result<Project, ProjectError> {
        let index = self.package_index(name)?;
        Ok(self.package_at(index))
    }

    /// The package at `index` of [`Project::packages`] as a project of its own.
    pub fn package_at(&self, index: usize) -> Project {
        let package = &self.packages[index];
        let owners = self.owners();
        let mut view = self.clone();
        let settings = package.settings.clone();
        view.name = package.name.clone();
        view.scheme = settings.scheme;
        view.calendar = std::sync::OnceLock::from(None);
        view.tag_format = settings.tag_format;
        view.version_files = settings.version_files;
        view.left_out = settings.left_out;
        view.changelog = settings.changelog;
        view.pre_label = settings.pre_label;
        view.initial_version = settings.initial_version;
        view.scope = Some(Scope { index, owners });
        view
    }

    /// Every package, each as a project of its own, in [`Project::packages`] order.
    pub fn package_views(&self) -> Vec<Project> {
        (0..self.packages.len())
            .map(|index| self.package_at(index))
            .collect()
    }

    /// What `tag` is to the package this project is scoped to.
    pub(super) fn classify_scoped(&self, scope: &Scope, tag: &str) -> TagKind<Version> {
        match scope.owners.kind_of_tag(tag) {
            Some((owner, kind)) if owner == scope.index => kind,
            _ => TagKind::Unrelated,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::project::ChangelogSource;

    /// A package of a test, with nothing but its name, folder and tag format.
    pub(crate) fn package(name: &str, path: &str, format: &str) -> Package {
        Package {
            name: name.to_owned(),
            path: PathBuf::from(path),
            ecosystem: None,
            manifest: None,
            root: path.is_empty(),
            configured: true,
            private: false,
            dependencies: Vec::new(),
            module: None,
            settings: PackageSettings {
                scheme: Scheme::Semver,
                tag_format: TagFormat::parse(format).expect("a valid tag format"),
                version_files: Vec::new(),
                left_out: Vec::new(),
                changelog: ChangelogSettings {
                    file: PathBuf::from("CHANGELOG.md"),
                    source: ChangelogSource::Commits,
                    template: None,
                    include_other: false,
                    exists: false,
                    configured: false,
                    types: Vec::new(),
                    levels: Default::default(),
                },
                pre_label: None,
                initial_version: None,
            },
        }
    }

    fn owner(owners: &Owners, tag: &str) -> Option<(usize, String)> {
        owners.kind_of_tag(tag).map(|(owner, kind)| {
            let kind = match kind {
                TagKind::Release(version) => format!("release {version}"),
                TagKind::PreRelease(version) => format!("pre-release {version}"),
                TagKind::Malformed => "malformed".to_owned(),
                TagKind::Unrelated => "unrelated".to_owned(),
            };
            (owner, kind)
        })
    }

    #[test]
    fn a_tag_goes_to_the_most_specific_format_that_reads_it() {
        let owners = Owners::new(&[
            package("root", "", "v{version}"),
            package("grep", "crates/grep", "grep-{version}"),
            package("grep-cli", "crates/cli", "grep-cli-{version}"),
            package("sub", "sub", "sub/v{version}"),
        ]);
        assert_eq!(owner(&owners, "v1.2.3"), Some((0, "release 1.2.3".into())));
        assert_eq!(
            owner(&owners, "grep-0.2.0"),
            Some((1, "release 0.2.0".into()))
        );
        assert_eq!(
            owner(&owners, "grep-cli-0.1.0"),
            Some((2, "release 0.1.0".into()))
        );
        assert_eq!(
            owner(&owners, "sub/v2.0.0-rc.1"),
            Some((3, "pre-release 2.0.0-rc.1".into()))
        );
        assert_eq!(
            owner(&owners, "grep-cli-next"),
            Some((2, "malformed".into()))
        );
        // A retired crate's release is nobody's, and neither is a tag no format has.
        assert_eq!(owner(&owners, "globset-0.4.20"), None);
        assert_eq!(owner(&owners, "nightly"), None);
    }

    #[test]
    fn equally_specific_formats_give_a_tag_to_the_package_listed_first() {
        // `{version}-z` and `1{version}z` are as specific and both read `11.0.0-a-z` (as
        // `11.0.0-a` and `1.0.0-a-`). Formats are asked by prefix length, and the first package
        // has a one-letter prefix, so the third is asked before the second: still the second,
        // listed first, wins.
        let owners = Owners::new(&[
            package("nine", "nine", "9{version}"),
            package("second", "two", "{version}-z"),
            package("third", "three", "1{version}z"),
        ]);
        assert_eq!(
            owner(&owners, "11.0.0-a-z"),
            Some((1, "pre-release 11.0.0-a".into()))
        );
        let owners = Owners::new(&[
            package("nine", "nine", "9{version}"),
            package("second", "two", "1{version}z"),
            package("third", "three", "{version}-z"),
        ]);
        assert_eq!(
            owner(&owners, "11.0.0-a-z"),
            Some((1, "pre-release 1.0.0-a-".into()))
        );
    }
}
