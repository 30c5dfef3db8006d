//! The packages a repository holds, as its manifests declare them: the members of a Cargo
//! workspace, of npm, pnpm and yarn workspaces and of a uv workspace, and the Go modules below
//! the root (every `go.mod`), and Python projects in folders below the root that no workspace
//! lists. Each member comes with its name (from the manifest, never the
//! folder: `crates/searcher` is `grep-searcher`), its folder, its declared version, whether it
//! is published at all, and its dependencies on other members.
//!
//! Only manifests are read: which members are released on their own, with which tags, is the
//! engine's business (it also looks at the tags).

mod cargo;
mod cargo_members;
mod globs;
mod go;
mod npm;
pub mod npm_range;
mod python;
pub mod requirements;

use std::path::{Path, PathBuf};

pub(crate) use cargo_members::manifests as cargo_member_manifests;
pub(crate) use globs::wildcard;
pub(crate) use python::normalize as normalize_python_name;

/// The package manager family a member belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Ecosystem {
    Cargo,
    /// npm, pnpm or yarn.
    Npm,
    /// A uv workspace (`pyproject.toml` members).
    Python,
    Go,
}

impl Ecosystem {
    /// The usual tag format of a package of this ecosystem that has no tags yet: release-plz's
    /// `NAME-vX.Y.Z` for Cargo and Python, changesets' `NAME@X.Y.Z` for npm, Go's `PATH/vX.Y.Z`.
    pub fn default_tag(self, name: &str, path: &Path) -> String {
        match self {
            Ecosystem::Cargo | Ecosystem::Python => format!("{name}-v{{version}}"),
            Ecosystem::Npm => format!("{name}@{{version}}"),
            Ecosystem::Go => format!("{}/v{{version}}", path.display()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Python => "python",
            Ecosystem::Go => "go",
        }
    }
}

/// One package a manifest declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The name the manifest gives (a Go module below the root: its folder).
    pub name: String,
    /// The folder, relative to the root (empty for a package at the root).
    pub path: PathBuf,
    /// The manifest, relative to the root.
    pub manifest: PathBuf,
    pub ecosystem: Ecosystem,
    /// The version the manifest states (a Cargo member inheriting the workspace's: that one);
    /// `None` for Go modules and manifests without one.
    pub version: Option<String>,
    /// A Cargo member with `version.workspace = true`.
    pub inherits_version: bool,
    /// Never published: `publish = false`, `"private": true`.
    pub private: bool,
    /// Dependencies on other members.
    pub dependencies: Vec<Dependency>,
    /// The Go module path (`example.com/m/sub`), for `require` lines.
    pub module: Option<String>,
    /// Declared by a workspace (or a Go module); `false` for a Python project found in a folder
    /// below the root that no workspace lists (hatch's `backend/`), which is a package only
    /// when tags of its name say so: test fixtures and examples have `pyproject.toml`s too.
    pub declared: bool,
}

/// A member's dependency on another member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The other member's name.
    pub name: String,
    /// The requirement as written (`^1.2.0`, `=0.4.1`, `workspace:*`, `v1.2.0`), when there is one.
    pub requirement: Option<String>,
    pub kind: DependencyKind,
    /// The file the requirement is written in, relative to the root (a Cargo member's
    /// `dep.workspace = true`: the workspace's `Cargo.toml`).
    pub declared_in: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DependencyKind {
    Normal,
    Development,
    Build,
    Peer,
    Optional,
}

/// Everything the manifests under a root declare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workspace {
    /// Members in a stable order: by ecosystem, then as the manifests list them; a root
    /// manifest's own package first within its ecosystem.
    pub members: Vec<Member>,
}

impl Workspace {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|member| member.name == name)
    }
}

/// Reads the workspaces declared at `root` (see the module documentation). Manifests that
/// cannot be read or parsed are left out: the version-file reads report them where it matters.
pub fn discover(root: &Path) -> Workspace {
    let mut members = Vec::new();
    members.extend(cargo::members(root));
    members.extend(npm::members(root));
    members.extend(python::members(root));
    members.extend(go::members(root));
    let names: Vec<(Ecosystem, String)> = members
        .iter()
        .map(|member| (member.ecosystem, member.name.clone()))
        .collect();
    for member in &mut members {
        let ecosystem = member.ecosystem;
        for dependency in &mut member.dependencies {
            // Python names compare normalized (`My_Lib` is `my-lib`): use the member's spelling.
            if ecosystem == Ecosystem::Python {
                let wanted = python::normalize(&dependency.name);
                if let Some((_, name)) = names.iter().find(|(other, name)| {
                    *other == Ecosystem::Python && python::normalize(name) == wanted
                }) {
                    dependency.name = name.clone();
                }
            }
        }
        let own = member.name.clone();
        member.dependencies.retain(|dependency| {
            dependency.name != own
                && names
                    .iter()
                    .any(|(other, name)| *other == ecosystem && *name == dependency.name)
        });
    }
    Workspace { members }
}

/// Reads a file under the root as text, `None` when it is missing or unreadable.
/// The strings of a TOML array (a workspace's `members`, `exclude`); none when it is absent or
/// not an array.
fn strings(item: Option<&toml_edit::Item>) -> Vec<String> {
    item.and_then(toml_edit::Item::as_array)
        .map(|array| {
            array
                .iter()
                .filter_map(toml_edit::Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn read(root: &Path, path: &Path) -> Option<String> {
    crate::files::read_text_bounded(&root.join(path), crate::files::bounded::MAX_VERSION_FILE).ok()
}
