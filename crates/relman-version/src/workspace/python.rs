//! uv workspaces: the root `pyproject.toml`'s `[tool.uv.workspace]` (`members` globs minus
//! `exclude`); each member's `pyproject.toml` gives `project.name`, `project.version` and its
//! dependencies (PEP 508 strings, names compared normalized). Python projects one or two folders
//! below the root that no workspace lists are members too, marked undeclared: the engine takes
//! them as packages only when tags of their name exist (hatch's `backend/` is `hatchling`).

use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, Value};

use super::{Dependency, DependencyKind, Ecosystem, Member, globs, read, strings};

pub(super) fn members(root: &Path) -> Vec<Member> {
    // A uv workspace says which projects are its members (and which folders are not).
    if let Some(members) = workspace_members(root) {
        return members;
    }
    let mut found = Vec::new();
    for manifest in undeclared_projects(root) {
        let Some(text) = read(root, &manifest) else {
            continue;
        };
        let Ok(doc) = Document::parse(text.as_str()) else {
            continue;
        };
        if let Some(mut member) = member(&manifest, &doc) {
            member.declared = false;
            found.push(member);
        }
    }
    found
}

/// Folders below the root that are never a released project (tests' fixtures, examples).
const NOT_PROJECTS: &[&str] = &[
    "tests",
    "test",
    "testing",
    "fixtures",
    "docs",
    "doc",
    "examples",
    "example",
    "node_modules",
    "venv",
    "build",
    "dist",
    "target",
    "vendor",
    "third_party",
];

/// The `pyproject.toml`s one or two folders below the root (`backend/`, `libs/core/`), outside
/// hidden folders and those in [`NOT_PROJECTS`], in a stable order.
fn undeclared_projects(root: &Path) -> Vec<PathBuf> {
    let folders = |parent: &Path| -> Vec<PathBuf> {
        let Ok(entries) = fs_err::read_dir(root.join(parent)) else {
            return Vec::new();
        };
        let mut folders: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| !name.starts_with('.') && !NOT_PROJECTS.contains(&name.as_str()))
            .map(|name| parent.join(name))
            .collect();
        folders.sort();
        folders
    };
    let mut manifests = Vec::new();
    for first in folders(Path::new("")) {
        for folder in std::iter::once(first.clone()).chain(folders(&first)) {
            let manifest = folder.join("pyproject.toml");
            if root.join(&manifest).is_file() {
                manifests.push(manifest);
            }
        }
    }
    manifests
}

/// The root's `[tool.uv.workspace]` members, the root's own project first; `None` without one.
fn workspace_members(root: &Path) -> Option<Vec<Member>> {
    let manifest = PathBuf::from("pyproject.toml");
    let text = read(root, &manifest)?;
    let doc = Document::parse(text.as_str()).ok()?;
    let workspace = doc
        .as_item()
        .get("tool")
        .and_then(|tool| tool.get("uv"))
        .and_then(|uv| uv.get("workspace"))?;
    let list = |key: &str| strings(workspace.get(key));
    let mut patterns = list("members");
    patterns.extend(list("exclude").into_iter().map(|glob| format!("!{glob}")));
    let mut found = Vec::new();
    if let Some(member) = member(&manifest, &doc) {
        found.push(member);
    }
    for dir in globs::expand_all(root, &patterns) {
        if dir.as_os_str().is_empty() {
            continue;
        }
        let path = dir.join("pyproject.toml");
        let Some(text) = read(root, &path) else {
            continue;
        };
        let Ok(member_doc) = Document::parse(text.as_str()) else {
            continue;
        };
        if let Some(member) = member(&path, &member_doc) {
            found.push(member);
        }
    }
    Some(found)
}

/// PEP 503: lower case, runs of `-`, `_` and `.` as one `-`.
pub(crate) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn member(manifest: &Path, doc: &Document<&str>) -> Option<Member> {
    let project = doc.as_item().get("project")?;
    let name = project.get("name").and_then(Item::as_str)?.to_owned();
    let version = project
        .get("version")
        .and_then(Item::as_str)
        .map(str::to_owned);
    let private = project
        .get("classifiers")
        .and_then(Item::as_array)
        .is_some_and(|classifiers| {
            classifiers
                .iter()
                .filter_map(Value::as_str)
                .any(|classifier| classifier.starts_with("Private ::"))
        });
    let mut dependencies = Vec::new();
    let mut push = |requirement: &str, kind| {
        let end = requirement
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(requirement.len());
        let (name, rest) = requirement.split_at(end);
        if !name.is_empty() {
            let rest = rest.trim();
            dependencies.push(Dependency {
                name: name.to_owned(),
                requirement: (!rest.is_empty()).then(|| rest.to_owned()),
                kind,
                declared_in: manifest.to_owned(),
            });
        }
    };
    if let Some(list) = project.get("dependencies").and_then(Item::as_array) {
        for requirement in list.iter().filter_map(Value::as_str) {
            push(requirement, DependencyKind::Normal);
        }
    }
    if let Some(groups) = project
        .get("optional-dependencies")
        .and_then(Item::as_table_like)
    {
        for (_, list) in groups.iter() {
            for requirement in list
                .as_array()
                .into_iter()
                .flat_map(|array| array.iter().filter_map(Value::as_str))
            {
                push(requirement, DependencyKind::Optional);
            }
        }
    }
    Some(Member {
        name,
        path: manifest.parent().unwrap_or(Path::new("")).to_owned(),
        manifest: manifest.to_owned(),
        ecosystem: Ecosystem::Python,
        version,
        inherits_version: false,
        private,
        dependencies,
        module: None,
        declared: true,
    })
}
