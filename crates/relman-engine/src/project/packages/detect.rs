//! Which packages a repository holds, from its manifests, its tags and `[package.NAME]` tables.
//!
//! Each manifest below the root (a Cargo, npm, pnpm, yarn or uv workspace member, a Go module,
//! a Python project no workspace lists once tags of its name exist) is a candidate. Its existing tags are matched first, by name or folder (`NAME-X.Y.Z`,
//! `NAME-vX.Y.Z`, `NAME@X.Y.Z`, `PATH/vX.Y.Z`; the form holding the highest version wins). The
//! root package exists when the root has version files or release tags of its own (the tags no
//! candidate claimed decide its format) or is a Go module; tags alone that stopped a year before
//! the packages' newest release are history (see `stale_root`). Then, for each candidate:
//!
//! - a `[package.NAME]` table, its own tags, or a Go module: a package;
//! - a member that carries the root package's version moves with it (a fixed-version workspace:
//!   vue's `packages/*`, prost's crates, lerna's): no package of its own;
//! - private (`publish = false`, `"private": true`) or without a version: not released;
//! - beside a root package, a member with neither tags nor a changelog of its own is not
//!   released on its own (ruff's internal crates); without a root package, every member is.
//!
//! When tables exist, they are the packages (with the root package when there is one).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use relman_version::files::{KnownFormat, VersionFileKind, VersionFileSpec, VersionFiles};
use relman_version::scheme::Scheme;
use relman_version::tag_format::{TagFormat, TagRead};
use relman_version::version::Version;
use relman_version::workspace::{self, Dependency, DependencyKind, Ecosystem, Member};

use super::candidate::{candidate_scheme, configured_format, house_style};
use super::families::{claim, matched_family, retired, unscoped, with_prefix};
use super::settings::PackageOptions;
use super::stale_root;
use super::{Owners, Package, PackageSettings, Scope};
use crate::project::{Project, ProjectError};

/// A candidate and the tags matched to it.
pub(super) struct Candidate<'w> {
    pub(super) name: String,
    pub(super) member: Option<&'w Member>,
    pub(super) options: Option<&'w PackageOptions>,
    /// The tag format of its existing tags, and how many releases it has.
    pub(super) family: Option<(TagFormat, usize)>,
}

impl Project {
    /// Finds the packages (see the module documentation); called by [`Project::resolve`].
    pub(crate) fn settle_packages(
        &mut self,
        configured: &IndexMap<String, PackageOptions>,
        guess_root_tag: bool,
        name_configured: bool,
    ) -> Result<(), ProjectError> {
        let python_root = matches!(self.scheme, Scheme::Pep440);
        let found = workspace::discover(&self.root);
        if found.members.is_empty() && configured.is_empty() {
            return Ok(());
        }
        let all_tags = self.repo.tag_names()?;
        let mut tags: Vec<&str> = all_tags
            .iter()
            .map(String::as_str)
            .filter(|tag| {
                self.ignore_tags
                    .as_ref()
                    .is_none_or(|globs| !globs.is_match(tag))
            })
            .collect();
        // Sorted, the tags a format can read are one run of them (see `with_prefix`).
        tags.sort_unstable();
        // A project no workspace lists is a package once tags of its name exist (hatch's
        // `backend/`, tagged `hatchling-v1.32.0`); without them it is a fixture or an example.
        let below_root: Vec<&Member> = found
            .members
            .iter()
            .filter(|member| !member.path.as_os_str().is_empty())
            .filter(|member| {
                member.declared
                    || configured.contains_key(&member.name)
                    || matched_family(
                        &member.name,
                        &member.path.to_string_lossy(),
                        &Scheme::Pep440,
                        &tags,
                    )
                    .is_some()
            })
            .collect();
        if below_root.is_empty() && configured.is_empty() {
            return Ok(());
        }

        let mut candidates: Vec<Candidate<'_>> = Vec::new();
        for (name, options) in configured {
            let member = found.member(name).or_else(|| {
                options.path.as_deref().and_then(|path| {
                    found
                        .members
                        .iter()
                        .find(|member| member.path == Path::new(path))
                })
            });
            candidates.push(Candidate {
                name: name.clone(),
                member,
                options: Some(options),
                family: None,
            });
        }
        for member in &below_root {
            if candidates
                .iter()
                .any(|candidate| candidate.name == member.name)
            {
                continue;
            }
            candidates.push(Candidate {
                name: member.name.clone(),
                member: Some(member),
                options: None,
                family: None,
            });
        }
        let mut claimed = vec![false; tags.len()];
        for candidate in &mut candidates {
            let scheme = candidate_scheme(candidate)?;
            let path = candidate
                .options
                .and_then(|options| options.path.clone())
                .or_else(|| {
                    candidate
                        .member
                        .map(|member| member.path.to_string_lossy().into_owned())
                })
                .unwrap_or_default();
            if let Some(format) = candidate.options.and_then(|options| options.tag.as_deref()) {
                let format = configured_format(&candidate.name, format, &path)?;
                let count = claim(&format, &scheme, &tags, &mut claimed);
                candidate.family = Some((format, count));
                continue;
            }
            candidate.family = matched_family(&candidate.name, &path, &scheme, &tags)
                .filter(|format| !self.tags_of_a_former_namesake(candidate, format, &scheme, &tags))
                .map(|format| {
                    let count = claim(&format, &scheme, &tags, &mut claimed);
                    (format, count)
                })
                .filter(|(_, count)| *count > 0);
        }

        // The root package: its version files, else its own release tags.
        let unclaimed: Vec<&str> = tags
            .iter()
            .zip(&claimed)
            .filter(|(_, claimed)| !**claimed)
            .map(|(tag, _)| *tag)
            .collect();
        if guess_root_tag {
            self.tag_format =
                TagFormat::guess_own(unclaimed.iter().copied(), &self.scheme, Some(&self.name))
                    .unwrap_or_else(|| {
                        TagFormat::parse("v{version}").expect("a literal tag format parses")
                    });
        }
        let root_releases: Vec<Version> = unclaimed
            .iter()
            .filter_map(|tag| match self.tag_format.read(tag, &self.scheme) {
                TagRead::Release(version) => Some(version),
                _ => None,
            })
            .collect();
        let go_root = found
            .members
            .iter()
            .any(|member| member.path.as_os_str().is_empty() && member.ecosystem == Ecosystem::Go);
        let mut has_root = !self.version_files.is_empty() || !root_releases.is_empty() || go_root;
        // Tags alone, stopped a year or more before the packages' releases: history.
        if has_root
            && self.version_files.is_empty()
            && !go_root
            && let Some(root_tag) =
                stale_root::newest_tag(&self.tag_format, &self.scheme, &unclaimed)
        {
            let mut package_tags = Vec::new();
            for candidate in &candidates {
                if let Some((format, _)) = &candidate.family {
                    let scheme = candidate_scheme(candidate)?;
                    let range = with_prefix(&tags, format.prefix());
                    package_tags.extend(stale_root::newest_tag(format, &scheme, &tags[range]));
                }
            }
            has_root = !stale_root::stopped(&self.repo, root_tag, &package_tags);
        }
        let root_tag = if has_root {
            stale_root::newest_tag(&self.tag_format, &self.scheme, &unclaimed)
        } else {
            None
        };
        let root_version = if has_root {
            self.root_version(&root_releases)
        } else {
            None
        };

        let mut packages: Vec<Package> = Vec::new();
        let mut joined: Vec<&Member> = Vec::new();
        for candidate in &candidates {
            let member = candidate.member;
            if candidate.options.is_none()
                && let Some(member) = member
            {
                if member.ecosystem != Ecosystem::Go {
                    // A member carrying the root package's version moves with it, unless that
                    // very version was released under its own tag: a member inheriting the
                    // workspace's version, or at the same version with only older tags of its
                    // own (prost's crates were tagged on their own before).
                    // So does the member named as the project, of a root that has release
                    // tags and no version file (rustls' `rustls/` crate at 0.24.0-dev.1, its
                    // releases the root's `v/0.23.43`): the version in the making is its.
                    let named_as_root = self.version_files.is_empty()
                        && !member.private
                        && member.name == self.name;
                    let carries_root = has_root
                        && (named_as_root
                            || member.inherits_version
                            || root_version.as_ref().is_some_and(|root| {
                                member.version.as_deref().is_some_and(|text| {
                                    self.scheme
                                        .parse(text)
                                        .is_ok_and(|version| version == *root)
                                        || self.spells_gem_version(member, text, root)
                                })
                            }));
                    let tagged_at_version = match (&candidate.family, &member.version) {
                        (Some((format, _)), Some(version)) => {
                            all_tags.iter().any(|tag| *tag == format.render(version))
                        }
                        _ => false,
                    };
                    if carries_root
                        && (member.inherits_version || named_as_root || !tagged_at_version)
                    {
                        joined.push(member);
                        continue;
                    }
                }
                // A Go module below the root is released on its own once it has tags of its
                // own (`FOLDER/vX.Y.Z`); one with none is a tool or a module the root's tags
                // cover (argo-cd's `hack/…`), until relman.toml names it.
                let released_alone = candidate.family.is_some()
                    && !self.tags_left_behind(candidate, member, &tags, root_tag)?;
                if !released_alone && member.ecosystem == Ecosystem::Go {
                    continue;
                }
                if !released_alone {
                    if !configured.is_empty() || member.private || member.version.is_none() {
                        continue;
                    }
                    // Beside a root package, a member never tagged is released alone when it
                    // keeps a changelog or its version is a development one (rustls' new
                    // `rustls-ring` at 0.1.0-dev.1; not tRPC's `11.18.0-alpha` beside its
                    // fixed-version packages); else it is an internal one (and so is one whose
                    // tags were left behind).
                    let in_development = candidate.family.is_none()
                        && member.version.as_deref().is_some_and(|text| {
                            candidate_scheme(candidate)
                                .ok()
                                .and_then(|scheme| scheme.parse(text).ok())
                                .is_some_and(|version| version.is_development())
                        });
                    if has_root
                        && !in_development
                        && !self.root.join(&member.path).join("CHANGELOG.md").is_file()
                    {
                        continue;
                    }
                }
            }
            packages.push(self.candidate_package(candidate, house_style(&candidates))?);
        }
        // A root with no version of its own whose release tags carry one member's version
        // (vite's private `vite-monorepo` root, its `v8.2.2` tags `packages/vite`'s): the root
        // package is that member, and is named so.
        if let [only] = joined.as_slice()
            && self.version_files.is_empty()
            && !name_configured
        {
            // Without an npm scope, as the root's own name is taken.
            self.name = unscoped(&only.name).unwrap_or(&only.name).to_owned();
        }
        self.join_root(&joined);
        if packages.is_empty() {
            return Ok(());
        }
        if has_root {
            self.keep_separate_crates(&packages);
            let root_member = found
                .members
                .iter()
                .find(|member| member.path.as_os_str().is_empty());
            // A Go module at the root is named by its module path's last element (the folder
            // name says nothing of it).
            if let Some(member) = root_member
                && member.ecosystem == Ecosystem::Go
                && !name_configured
            {
                self.name = member.name.clone();
            }
            let root_ecosystem = root_member
                .map(|member| member.ecosystem)
                .or(python_root.then_some(Ecosystem::Python));
            let root = Package {
                name: self.name.clone(),
                path: PathBuf::new(),
                ecosystem: root_ecosystem,
                manifest: root_member.map(|member| member.manifest.clone()),
                root: true,
                configured: false,
                // A private npm workspace root that no member's release joined (ipywidgets'
                // root, released by its tags) is never published to npm.
                private: root_member.map_or_else(
                    || joined.is_empty() && private_npm_root(&self.root),
                    |member| member.private,
                ),
                dependencies: root_dependencies(root_member, &joined, &found.members, &packages),
                module: root_member.and_then(|member| member.module.clone()),
                settings: PackageSettings {
                    scheme: self.scheme,
                    tag_format: self.tag_format.clone(),
                    version_files: self.version_files.clone(),
                    left_out: self.left_out.clone(),
                    changelog: self.changelog.clone(),
                    pre_label: self.pre_label.clone(),
                    initial_version: self.initial_version.clone(),
                },
            };
            packages.insert(0, root);
        }
        let mut owners = Owners::new(&packages);
        // Members moving with the root package keep their old tags out of the retired list.
        owners
            .names
            .extend(joined.iter().map(|member| member.name.clone()));
        let owners = Arc::new(owners);
        self.retired = retired(&owners, &tags);
        self.owners = Some(Arc::clone(&owners));
        if has_root {
            self.scope = Some(Scope { index: 0, owners });
        }
        self.packages = packages;
        self.confine_package_paths()
    }

    /// The crates released on their own stay when the root's workspace moves, though they may
    /// carry its version (wgpu's `naga` tagged `naga-v22.0.0` beside `v22.0.0`): a release of
    /// the root moving them too would be undone, requirement by requirement, by theirs.
    fn keep_separate_crates(&mut self, packages: &[Package]) {
        let separate: Vec<String> = packages
            .iter()
            .filter(|package| package.ecosystem == Some(Ecosystem::Cargo))
            .map(|package| package.name.clone())
            .collect();
        if separate.is_empty() {
            return;
        }
        for spec in &mut self.version_files {
            if matches!(spec.kind(), VersionFileKind::Known(KnownFormat::Cargo)) {
                *spec = spec.clone().except(separate.clone());
            }
        }
    }

    /// Whether a member's own tags stopped a year before the root's newest release while its
    /// version moved on (see `stale_root::left_behind`): it is then no package of its own.
    fn tags_left_behind(
        &self,
        candidate: &Candidate<'_>,
        member: &Member,
        tags: &[&str],
        root_tag: Option<&str>,
    ) -> Result<bool, ProjectError> {
        let (Some((format, _)), Some(root_tag), Some(text)) =
            (&candidate.family, root_tag, member.version.as_deref())
        else {
            return Ok(false);
        };
        let scheme = candidate_scheme(candidate)?;
        let own = &tags[with_prefix(tags, format.prefix())];
        let Some(newest) = stale_root::newest_tag(format, &scheme, own) else {
            return Ok(false);
        };
        let (TagRead::Release(tagged), Ok(current)) =
            (format.read(newest, &scheme), scheme.parse(text))
        else {
            return Ok(false);
        };
        Ok(stale_root::left_behind(
            &self.repo, newest, &tagged, &current, root_tag,
        ))
    }

    /// The root package's version: its version files' (when they read), else its highest tag.
    fn root_version(&self, releases: &[Version]) -> Option<Version> {
        if !self.version_files.is_empty() {
            return VersionFiles::read(&self.root, &self.version_files)
                .ok()
                .and_then(|files| files.found().first().map(|found| found.value.clone()))
                .and_then(|value| self.scheme.parse(&value).ok());
        }
        releases.iter().max().cloned()
    }

    /// Members carrying the root package's version move with it: a member's manifest becomes a
    /// version file of the root package unless one of the root's files already brings it along
    /// (a root `Cargo.toml` its workspace, a root `package.json` its workspaces).
    fn join_root(&mut self, joined: &[&Member]) {
        for member in joined {
            let covering = match member.ecosystem {
                Ecosystem::Cargo => KnownFormat::Cargo,
                Ecosystem::Npm => KnownFormat::PackageJson,
                Ecosystem::Python => KnownFormat::Pyproject,
                Ecosystem::Go => continue,
            };
            let covered = self.version_files.iter().any(
                |spec| matches!(spec.kind(), VersionFileKind::Known(format) if *format == covering),
            );
            if covered {
                continue;
            }
            if let Ok(spec) =
                VersionFileSpec::known(&member.manifest).map(|spec| spelt_for(self.scheme, spec))
                && !self
                    .version_files
                    .iter()
                    .any(|file| file.path() == spec.path())
            {
                self.version_files.push(spec);
            }
        }
    }

    /// Whether an npm member's version `text` is the gem's version `root` in npm's spelling
    /// (Rails' `@rails/actioncable` at `8.2.0-alpha` beside `RAILS_VERSION` `8.2.0.alpha`): the
    /// package is the gem's, written as npm reads it, not a package of its own.
    fn spells_gem_version(&self, member: &Member, text: &str, root: &Version) -> bool {
        self.scheme == Scheme::Rubygems
            && member.ecosystem == Ecosystem::Npm
            && relman_version::files::npm_spellings(&root.to_string())
                .is_some_and(|(rails, plain)| text == rails || plain.as_deref() == Some(text))
    }
}

/// Whether `root/package.json` is a private workspace root: `"private": true` and no name or a
/// `workspaces` list, which npm never publishes (read when no member is at the root, and by a
/// publish step of a project of one package).
pub(crate) fn private_npm_root(root: &Path) -> bool {
    relman_version::files::read_text_bounded(
        &root.join("package.json"),
        relman_version::files::bounded::MAX_FRAGMENT,
    )
    .ok()
    .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    .is_some_and(|json| {
        json.get("private") == Some(&serde_json::Value::Bool(true))
            && (json.get("name").is_none() || json.get("workspaces").is_some())
    })
}

/// The root package's requirements on other packages: its manifest's, and those of the members
/// moving with it (wgpu's `wgpu` crate requires `wgpu-core`, released on its own, through
/// `[workspace.dependencies]`), each once; requirements among them are no other package's. The
/// requirements of members released by no package (a private `naga-fuzz`) follow too, as a
/// development dependency's do: rewritten, releasing nobody.
fn root_dependencies(
    root_member: Option<&Member>,
    joined: &[&Member],
    members: &[Member],
    packages: &[Package],
) -> Vec<Dependency> {
    let moving: Vec<&Member> = root_member
        .into_iter()
        .chain(joined.iter().copied())
        .collect();
    let ours: Vec<&str> = moving.iter().map(|member| member.name.as_str()).collect();
    let unreleased = members.iter().filter(|member| {
        member.ecosystem == Ecosystem::Cargo
            && !ours.contains(&member.name.as_str())
            && !packages.iter().any(|package| package.name == member.name)
    });
    let mut found: Vec<Dependency> = Vec::new();
    let mut add = |dependency: Dependency| {
        if !ours.contains(&dependency.name.as_str()) && !found.contains(&dependency) {
            found.push(dependency);
        }
    };
    for member in &moving {
        member.dependencies.iter().cloned().for_each(&mut add);
    }
    for member in unreleased {
        for dependency in &member.dependencies {
            add(Dependency {
                kind: DependencyKind::Development,
                ..dependency.clone()
            });
        }
    }
    found
}

/// A version file as the project's scheme has it spelt: under RubyGems, an npm manifest (and its
/// lock) moving with the gem writes the gem's version in npm's spelling.
pub(crate) fn spelt_for(scheme: Scheme, spec: VersionFileSpec) -> VersionFileSpec {
    use relman_version::files::{Spelling, VersionFileKind};
    let npm = matches!(
        spec.kind(),
        VersionFileKind::Known(KnownFormat::PackageJson | KnownFormat::PackageLock)
    );
    if scheme == Scheme::Rubygems && npm {
        spec.spelt(Spelling::NpmOfGem)
    } else {
        spec
    }
}
