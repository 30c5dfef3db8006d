//! Which manifests a Cargo workspace holds, as Cargo decides it: the `members` globs minus
//! `exclude`, and every crate the root package or a member depends on through a `path` inside
//! the workspace's folder, transitively (Cargo makes those members whether `members` lists them
//! or not: wasmtime lists a handful of its crates and reaches the rest through
//! `[workspace.dependencies]` paths). A `path` leaving the workspace's folder, or one under an
//! `exclude`d folder, is no member.

use std::path::{Component, Path, PathBuf};

use toml_edit::{Document, Item};

use super::{globs, read, strings};

const TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

/// The member manifests of the workspace whose `Cargo.toml` is `workspace` (relative to `root`,
/// parsed as `doc`), relative to `root`, in order: the listed members first, then the crates
/// found through paths. The workspace's own manifest is not among them.
pub(crate) fn manifests(root: &Path, workspace: &Path, doc: &Document<&str>) -> Vec<PathBuf> {
    let base = workspace.parent().unwrap_or(Path::new("")).to_owned();
    let table = doc.as_item().get("workspace");
    let list = |key: &str| strings(table.and_then(|workspace| workspace.get(key)));
    let excluded: Vec<PathBuf> = list("exclude")
        .iter()
        .filter_map(|path| inside(&base, path))
        .collect();
    let shared = table
        .and_then(|workspace| workspace.get("dependencies"))
        .and_then(Item::as_table_like);
    let mut found: Vec<PathBuf> = Vec::new();
    for pattern in list("members") {
        for dir in globs::expand(root, &base, &pattern) {
            let manifest = dir.join("Cargo.toml");
            if dir == base
                || excluded.contains(&dir)
                || found.contains(&manifest)
                || !root.join(&manifest).is_file()
            {
                continue;
            }
            found.push(manifest);
        }
    }
    // Follow paths from the root package and every member, breadth first.
    let mut queue: Vec<PathBuf> = std::iter::once(workspace.to_owned())
        .chain(found.iter().cloned())
        .collect();
    let mut next = 0;
    while next < queue.len() {
        let manifest = queue[next].clone();
        next += 1;
        let Some(text) = read(root, &manifest) else {
            continue;
        };
        let Ok(member) = Document::parse(text.as_str()) else {
            continue;
        };
        if member.as_item().get("package").is_none() {
            continue;
        }
        let dir = manifest.parent().unwrap_or(Path::new(""));
        for target in path_dependencies(&member, dir, &base, shared) {
            let path = target.join("Cargo.toml");
            if !target.starts_with(&base)
                || excluded.iter().any(|folder| target.starts_with(folder))
                || path == workspace
                || found.contains(&path)
                || !root.join(&path).is_file()
            {
                continue;
            }
            found.push(path.clone());
            queue.push(path);
        }
    }
    found
}

/// The folders (relative to the root) a manifest's dependencies name through `path`, its own
/// (relative to `dir`) or inherited from `[workspace.dependencies]` (relative to `base`).
fn path_dependencies(
    doc: &Document<&str>,
    dir: &Path,
    base: &Path,
    shared: Option<&dyn toml_edit::TableLike>,
) -> Vec<PathBuf> {
    let item = doc.as_item();
    let mut tables: Vec<&Item> = TABLES.iter().filter_map(|name| item.get(name)).collect();
    if let Some(targets) = item.get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            tables.extend(TABLES.iter().filter_map(|name| target.get(name)));
        }
    }
    let mut found = Vec::new();
    for table in tables {
        let Some(table) = table.as_table_like() else {
            continue;
        };
        for (key, entry) in table.iter() {
            let inherited = entry.get("workspace").and_then(Item::as_bool) == Some(true);
            let (source, from) = if inherited {
                (shared.and_then(|shared| shared.get(key)), base)
            } else {
                (Some(entry), dir)
            };
            if let Some(path) = source.and_then(|source| source.get("path")?.as_str())
                && let Some(target) = inside(from, path)
            {
                found.push(target);
            }
        }
    }
    found
}

/// `path` joined to `from` with `.` and `..` resolved, relative to the root; `None` when it
/// climbs above the root or is absolute.
fn inside(from: &Path, path: &str) -> Option<PathBuf> {
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for component in from.join(path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}
