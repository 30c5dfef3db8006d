//! Cargo: the root manifest's package and the members of its `[workspace]` (`members` globs
//! minus `exclude`, and the crates reached through `path` dependencies), with their dependencies on one another through `path` (directly or through
//! `[workspace.dependencies]`).

use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, TableLike};

use super::{Dependency, DependencyKind, Ecosystem, Member, read};

const TABLES: [(&str, DependencyKind); 3] = [
    ("dependencies", DependencyKind::Normal),
    ("dev-dependencies", DependencyKind::Development),
    ("build-dependencies", DependencyKind::Build),
];

pub(super) fn members(root: &Path) -> Vec<Member> {
    let manifest = PathBuf::from("Cargo.toml");
    let Some(text) = read(root, &manifest) else {
        return Vec::new();
    };
    let Ok(doc) = Document::parse(text.as_str()) else {
        return Vec::new();
    };
    let item = doc.as_item();
    let workspace = item.get("workspace");
    let shared = workspace
        .and_then(|workspace| workspace.get("package"))
        .and_then(|package| package.get("version"))
        .and_then(Item::as_str);
    let workspace_dependencies = workspace
        .and_then(|workspace| workspace.get("dependencies"))
        .and_then(Item::as_table_like);
    let mut found = Vec::new();
    if let Some(member) = member(&manifest, &doc, shared, workspace_dependencies) {
        found.push(member);
    }
    if workspace.is_none() {
        return found;
    }
    for path in super::cargo_members::manifests(root, &manifest, &doc) {
        let Some(text) = read(root, &path) else {
            continue;
        };
        let Ok(member_doc) = Document::parse(text.as_str()) else {
            continue;
        };
        if let Some(member) = member(&path, &member_doc, shared, workspace_dependencies) {
            found.push(member);
        }
    }
    found
}

fn member(
    manifest: &Path,
    doc: &Document<&str>,
    shared: Option<&str>,
    workspace_dependencies: Option<&dyn TableLike>,
) -> Option<Member> {
    let package = doc.as_item().get("package")?;
    let name = package.get("name").and_then(Item::as_str)?.to_owned();
    let version_item = package.get("version");
    let inherits = version_item
        .and_then(|version| version.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true);
    let version = match version_item.and_then(Item::as_str) {
        Some(version) => Some(version.to_owned()),
        None if inherits => shared.map(str::to_owned),
        // No version at all: Cargo reads it as 0.0.0, unpublishable.
        None => None,
    };
    let publish = package.get("publish");
    let private = publish.and_then(Item::as_bool) == Some(false)
        || publish
            .and_then(Item::as_array)
            .is_some_and(toml_edit::Array::is_empty)
        || version.is_none();
    let mut dependencies = Vec::new();
    let mut tables: Vec<(&Item, DependencyKind)> = Vec::new();
    for (table, kind) in TABLES {
        if let Some(item) = doc.as_item().get(table) {
            tables.push((item, kind));
        }
    }
    if let Some(targets) = doc.as_item().get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            for (table, kind) in TABLES {
                if let Some(item) = target.get(table) {
                    tables.push((item, kind));
                }
            }
        }
    }
    for (table, kind) in tables {
        let Some(table) = table.as_table_like() else {
            continue;
        };
        for (key, entry) in table.iter() {
            let inherited = entry.get("workspace").and_then(Item::as_bool) == Some(true);
            let source = if inherited {
                workspace_dependencies.and_then(|dependencies| dependencies.get(key))
            } else {
                Some(entry)
            };
            let Some(source) = source else {
                continue;
            };
            if source.get("path").is_none() {
                continue;
            }
            let optional = entry.get("optional").and_then(Item::as_bool) == Some(true);
            let declared_in = if inherited {
                PathBuf::from("Cargo.toml")
            } else {
                manifest.to_owned()
            };
            dependencies.push(Dependency {
                name: source
                    .get("package")
                    .or_else(|| entry.get("package"))
                    .and_then(Item::as_str)
                    .unwrap_or(key)
                    .to_owned(),
                requirement: source
                    .get("version")
                    .and_then(Item::as_str)
                    .map(str::to_owned),
                kind: if optional && kind == DependencyKind::Normal {
                    DependencyKind::Optional
                } else {
                    kind
                },
                declared_in,
            });
        }
    }
    Some(Member {
        name,
        path: manifest.parent().unwrap_or(Path::new("")).to_owned(),
        manifest: manifest.to_owned(),
        ecosystem: Ecosystem::Cargo,
        version,
        inherits_version: inherits,
        private,
        dependencies,
        module: None,
        declared: true,
    })
}
