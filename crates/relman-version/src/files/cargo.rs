//! A Cargo workspace moves together: when a `Cargo.toml` is a version file, the places that must
//! follow its version are found in the workspace around it and edited with it, byte-exact, so the
//! result is what `cargo metadata --locked --offline` accepts:
//!
//! - the crates that move: the manifest's own package, the members whose `package.version` is the
//!   same version, and the members with `version.workspace = true` when `[workspace.package]`
//!   holds it (its `version` is edited too when the version file is a member);
//! - each member's `package.version` of a crate that moves;
//! - every dependency requirement on a crate that moves, through a `path` (or in
//!   `[workspace.dependencies]` with a `path`), whose version is that version (`"2.13.1"`,
//!   `"=2.13.1"`, `{ version = "^2.13.1", path = "core" }`);
//! - `Cargo.lock`'s entries of those crates (path crates have no `source`), and references to
//!   them as `"core 2.13.1"` in `dependencies` lists.
//!
//! Members carrying another version (per-crate releases, as ripgrep's library crates) stay, and
//! so do the crates the spec names as released on their own though at the same version (wgpu's
//! `naga`, tagged `naga-v22.0.0` beside `v22.0.0`): their requirements are their releases' to move.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, Value};

use super::text::Location;
use crate::workspace::cargo_member_manifests;

/// What to look for in one companion file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Places {
    /// A member manifest: its own `package.version` (when `own`), `workspace.package.version`
    /// (when `workspace_version`), and requirements on `crates`.
    Manifest {
        own: bool,
        workspace_version: bool,
        crates: BTreeSet<String>,
        version: String,
    },
    /// `Cargo.lock`: the entries of `crates` at `version` without a `source`.
    Lock {
        crates: BTreeSet<String>,
        version: String,
    },
}

/// A companion file of a Cargo version file: its path relative to the project root and what to
/// edit in it.
#[derive(Debug, Clone)]
pub(super) struct Companion {
    pub path: PathBuf,
    pub places: Places,
}

/// A parsed manifest of the workspace.
struct Manifest {
    /// Relative to the project root.
    path: PathBuf,
    text: String,
}

impl Manifest {
    fn read(root: &Path, path: PathBuf) -> Option<Manifest> {
        let text =
            super::read_text_bounded(&root.join(&path), super::bounded::MAX_VERSION_FILE).ok()?;
        Document::parse(text.as_str()).ok()?;
        Some(Manifest { path, text })
    }

    fn doc(&self) -> Document<&str> {
        Document::parse(self.text.as_str()).expect("invariant: parsed when read")
    }
}

fn string_at<'d>(item: &'d Item, path: &[&str]) -> Option<&'d str> {
    let mut item = item;
    for segment in path {
        item = item.get(segment)?;
    }
    item.as_str()
}

fn inherits_version(doc: &Document<&str>) -> bool {
    doc.as_item()
        .get("package")
        .and_then(|package| package.get("version"))
        .and_then(|version| version.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// The companions of the Cargo version file `manifest` (relative to `root`), and every file the
/// search read (to copy for a plan's scratch overlay).
pub(super) fn companions(
    root: &Path,
    manifest: &Path,
    except: &[String],
) -> (Vec<Companion>, Vec<PathBuf>) {
    let Some(own) = Manifest::read(root, manifest.to_owned()) else {
        return (Vec::new(), Vec::new());
    };
    let own_doc = own.doc();
    let own_version = string_at(own_doc.as_item(), &["package", "version"])
        .or_else(|| string_at(own_doc.as_item(), &["workspace", "package", "version"]))
        .map(str::to_owned);
    let workspace = find_workspace(root, manifest, &own);
    let Some(workspace) = workspace else {
        // A crate on its own: only its lock file follows.
        let (Some(version), Some(name)) = (
            own_version,
            string_at(own_doc.as_item(), &["package", "name"]),
        ) else {
            return (Vec::new(), Vec::new());
        };
        let lock = manifest.with_file_name("Cargo.lock");
        let mut read = vec![manifest.to_owned()];
        let mut found = Vec::new();
        if root.join(&lock).is_file() {
            read.push(lock.clone());
            found.push(Companion {
                path: lock,
                places: Places::Lock {
                    crates: BTreeSet::from([name.to_owned()]),
                    version,
                },
            });
        }
        return (found, read);
    };
    let workspace_doc = workspace.doc();
    let shared = string_at(
        workspace_doc.as_item(),
        &["workspace", "package", "version"],
    )
    .map(str::to_owned);
    let Some(version) =
        own_version.or_else(|| inherits_version(&own_doc).then(|| shared.clone())?)
    else {
        return (Vec::new(), Vec::new());
    };
    let mut manifests = vec![];
    if workspace.path != own.path {
        manifests.push(Manifest {
            path: own.path.clone(),
            text: own.text.clone(),
        });
    }
    let member_paths = cargo_member_manifests(root, &workspace.path, &workspace_doc);
    let workspace_path = workspace.path.clone();
    let workspace_dir = workspace.path.parent().unwrap_or(Path::new("")).to_owned();
    manifests.push(workspace);
    for path in member_paths {
        if manifests.iter().any(|manifest| manifest.path == path) {
            continue;
        }
        if let Some(member) = Manifest::read(root, path) {
            manifests.push(member);
        }
    }
    // The crates that move, and which manifests carry the version themselves.
    let mut moving = BTreeSet::new();
    let mut carries = Vec::with_capacity(manifests.len());
    for manifest in &manifests {
        let doc = manifest.doc();
        let name = string_at(doc.as_item(), &["package", "name"]);
        // A crate released on its own stays, though at the same version.
        let separate = manifest.path != own.path
            && name.is_some_and(|name| except.iter().any(|other| other == name));
        let explicit = string_at(doc.as_item(), &["package", "version"]).filter(|_| !separate);
        let moves = explicit == Some(version.as_str())
            || (inherits_version(&doc) && shared.as_deref() == Some(version.as_str()));
        if let (true, Some(name)) = (moves, name) {
            moving.insert(name.to_owned());
        }
        carries.push(explicit == Some(version.as_str()));
    }
    let mut found = Vec::new();
    let mut read: Vec<PathBuf> = manifests.iter().map(|m| m.path.clone()).collect();
    for (manifest, carries) in manifests.iter().zip(carries) {
        let is_version_file = manifest.path == own.path;
        let is_workspace_root = manifest.path == workspace_path;
        found.push(Companion {
            path: manifest.path.clone(),
            places: Places::Manifest {
                own: carries && !is_version_file,
                workspace_version: is_workspace_root
                    && !is_version_file
                    && shared.as_deref() == Some(version.as_str()),
                crates: moving.clone(),
                version: version.clone(),
            },
        });
    }
    let lock = workspace_dir.join("Cargo.lock");
    if root.join(&lock).is_file() && !moving.is_empty() {
        read.push(lock.clone());
        found.push(Companion {
            path: lock,
            places: Places::Lock {
                crates: moving,
                version,
            },
        });
    }
    (found, read)
}

/// The companions of a crate released on its own: the entry of that crate alone in the nearest
/// `Cargo.lock` (the workspace's); requirements on it are rewritten by the caller.
pub(super) fn lone_companions(root: &Path, manifest: &Path) -> (Vec<Companion>, Vec<PathBuf>) {
    let Some(own) = Manifest::read(root, manifest.to_owned()) else {
        return (Vec::new(), Vec::new());
    };
    let doc = own.doc();
    let (Some(name), Some(version)) = (
        string_at(doc.as_item(), &["package", "name"]),
        string_at(doc.as_item(), &["package", "version"]),
    ) else {
        return (Vec::new(), Vec::new());
    };
    let mut dir = manifest.parent();
    while let Some(current) = dir {
        let lock = current.join("Cargo.lock");
        if root.join(&lock).is_file() {
            return (
                vec![Companion {
                    path: lock.clone(),
                    places: Places::Lock {
                        crates: BTreeSet::from([name.to_owned()]),
                        version: version.to_owned(),
                    },
                }],
                vec![manifest.to_owned(), lock],
            );
        }
        dir = current.parent();
    }
    (Vec::new(), vec![manifest.to_owned()])
}

/// The manifest with `[workspace]` that `manifest` belongs to: itself, or the nearest parent
/// folder's within the project.
fn find_workspace(root: &Path, manifest: &Path, own: &Manifest) -> Option<Manifest> {
    if own.doc().as_item().get("workspace").is_some() {
        return Some(Manifest {
            path: own.path.clone(),
            text: own.text.clone(),
        });
    }
    let mut dir = manifest.parent()?;
    while let Some(parent) = dir.parent() {
        let candidate = parent.join("Cargo.toml");
        if let Some(found) = Manifest::read(root, candidate)
            && found.doc().as_item().get("workspace").is_some()
        {
            return Some(found);
        }
        dir = parent;
    }
    None
}

/// The places of `places` in a companion file's text.
pub(super) fn locate(places: &Places, text: &str, doc: &Document<&str>) -> Vec<Location> {
    match places {
        Places::Manifest {
            own,
            workspace_version,
            crates,
            version,
        } => {
            let mut found = Vec::new();
            if *own
                && let Some(location) =
                    string_location(text, doc.as_item(), &["package", "version"], version)
            {
                found.push(location);
            }
            if *workspace_version
                && let Some(location) = string_location(
                    text,
                    doc.as_item(),
                    &["workspace", "package", "version"],
                    version,
                )
            {
                found.push(location);
            }
            requirements(text, doc, crates, version, &mut found);
            found
        }
        Places::Lock { crates, version } => lock_entries(text, doc, crates, version),
    }
}

/// The exact version string at `path`, when it holds `version`.
fn string_location(text: &str, item: &Item, path: &[&str], version: &str) -> Option<Location> {
    let mut item = item;
    for segment in path {
        item = item.get(segment)?;
    }
    let value = item.as_value()?;
    inner_version(text, value, version, &path.join("."))
}

/// The span of `version` inside a string value whose requirement is exactly that version, with
/// at most an operator before it (`=`, `^`, `~`, `>=`).
fn inner_version(text: &str, value: &Value, version: &str, label: &str) -> Option<Location> {
    let Value::String(string) = value else {
        return None;
    };
    let span = value.span()?;
    let raw = &text[span.clone()];
    if raw.len() < 2 || raw[1..raw.len() - 1] != *string.value() {
        return None;
    }
    let inner = string.value();
    let operator_len = inner.len() - inner.trim_start_matches(['=', '^', '~', '>', ' ']).len();
    if inner[operator_len..] != *version {
        return None;
    }
    let start = span.start + 1 + operator_len;
    Some(Location::new(start..start + version.len(), label))
}

const DEPENDENCY_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// Requirements on the moving crates in every dependency table of a manifest.
fn requirements(
    text: &str,
    doc: &Document<&str>,
    crates: &BTreeSet<String>,
    version: &str,
    found: &mut Vec<Location>,
) {
    let root = doc.as_item();
    let mut tables: Vec<(String, &Item, bool)> = Vec::new();
    for name in DEPENDENCY_TABLES {
        if let Some(table) = root.get(name) {
            tables.push((name.to_owned(), table, false));
        }
    }
    if let Some(targets) = root.get("target").and_then(Item::as_table_like) {
        for (target, item) in targets.iter() {
            for name in DEPENDENCY_TABLES {
                if let Some(table) = item.get(name) {
                    tables.push((format!("target.{target}.{name}"), table, false));
                }
            }
        }
    }
    if let Some(table) = root
        .get("workspace")
        .and_then(|workspace| workspace.get("dependencies"))
    {
        tables.push(("workspace.dependencies".to_owned(), table, true));
    }
    for (table_name, table, _) in tables {
        let Some(table) = table.as_table_like() else {
            continue;
        };
        for (key, item) in table.iter() {
            let name = item.get("package").and_then(Item::as_str).unwrap_or(key);
            if !crates.contains(name) {
                continue;
            }
            let label = format!("{table_name}.{key}");
            // Only a requirement that resolves to the workspace's crate: through a `path`.
            let Some(requirement) = item.get("version") else {
                continue;
            };
            if item.get("path").is_none() {
                continue;
            }
            if let Some(value) = requirement.as_value()
                && let Some(location) = inner_version(text, value, version, &label)
            {
                found.push(location);
            }
        }
    }
}

/// `Cargo.lock`: `version` of each `[[package]]` of a moving crate without a `source`, and the
/// `"NAME VERSION"` references to it.
fn lock_entries(
    text: &str,
    doc: &Document<&str>,
    crates: &BTreeSet<String>,
    version: &str,
) -> Vec<Location> {
    let mut found = Vec::new();
    let Some(packages) = doc
        .as_item()
        .get("package")
        .and_then(Item::as_array_of_tables)
    else {
        return found;
    };
    for package in packages.iter() {
        let name = package.get("name").and_then(Item::as_str);
        if let Some(name) = name
            && crates.contains(name)
            && package.get("source").is_none()
            && let Some(value) = package.get("version").and_then(Item::as_value)
            && let Some(location) =
                inner_version(text, value, version, &format!("the entry of `{name}`"))
        {
            found.push(location);
        }
        let Some(dependencies) = package.get("dependencies").and_then(Item::as_array) else {
            continue;
        };
        for dependency in dependencies.iter() {
            let (Some(reference), Some(span)) = (dependency.as_str(), dependency.span()) else {
                continue;
            };
            let mut parts = reference.split(' ');
            let (Some(name), Some(referenced), None) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if referenced != version || !crates.contains(name) {
                continue;
            }
            if text[span.clone()].len() != reference.len() + 2 {
                continue;
            }
            let start = span.start + 1 + name.len() + 1;
            found.push(Location::new(
                start..start + version.len(),
                format!("a reference to `{name}`"),
            ));
        }
    }
    found
}
