//! Python lock files that record the project itself: `uv.lock` has a `[[package]]` for the
//! project (`source = { editable = "." }` or `{ virtual = "." }`) whose `version` `uv lock
//! --check` compares with `pyproject.toml`; `poetry.lock` records a project only as a directory
//! dependency (`[package.source] type = "directory"`, `url = "."`). When a `pyproject.toml` is a
//! version file, those entries at its version follow it.

use std::path::{Path, PathBuf};

use toml_edit::{Document, Item};

use super::text::Location;

/// The project's entry to find in a lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// The project's name, normalized as PEP 503 says.
    pub name: String,
    pub version: String,
    /// The project's folder as the lock names its source (`.`, or `packages/a` for a member
    /// of a uv workspace whose lock is at the workspace's root).
    pub source: String,
}

/// The lock files beside `pyproject` (relative to `root`) that record the project at its version.
pub(super) fn companions(root: &Path, pyproject: &Path) -> Vec<(PathBuf, Entry)> {
    let Ok(text) =
        super::read_text_bounded(&root.join(pyproject), super::bounded::MAX_VERSION_FILE)
    else {
        return Vec::new();
    };
    let Ok(doc) = Document::parse(text.as_str()) else {
        return Vec::new();
    };
    let item = doc.as_item();
    let field = |table: &[&str], key: &str| {
        let mut item = item;
        for segment in table {
            item = item.get(segment)?;
        }
        item.get(key)?.as_str().map(str::to_owned)
    };
    let (Some(name), Some(version)) = (
        field(&["project"], "name").or_else(|| field(&["tool", "poetry"], "name")),
        field(&["project"], "version").or_else(|| field(&["tool", "poetry"], "version")),
    ) else {
        return Vec::new();
    };
    let entry = Entry {
        name: normalize(&name),
        version,
        source: ".".to_owned(),
    };
    let mut found = Vec::new();
    // uv writes one lock at the workspace's root for every member.
    let dir = pyproject.parent().unwrap_or(Path::new(""));
    let mut current = Some(dir);
    while let Some(candidate) = current {
        let lock = candidate.join("uv.lock");
        if root.join(&lock).is_file() {
            let source = dir
                .strip_prefix(candidate)
                .map(|rest| rest.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            found.push((
                lock,
                Entry {
                    source: if source.is_empty() {
                        ".".to_owned()
                    } else {
                        source
                    },
                    ..entry.clone()
                },
            ));
            break;
        }
        current = candidate.parent();
    }
    let poetry = pyproject.with_file_name("poetry.lock");
    if root.join(&poetry).is_file() {
        found.push((poetry, entry));
    }
    found
}

fn normalize(name: &str) -> String {
    crate::workspace::normalize_python_name(name)
}

/// The `version` of the project's own entry in a lock file.
pub(super) fn locate(entry: &Entry, text: &str, doc: &Document<&str>) -> Vec<Location> {
    let Some(packages) = doc
        .as_item()
        .get("package")
        .and_then(Item::as_array_of_tables)
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for package in packages.iter() {
        let Some(name) = package.get("name").and_then(Item::as_str) else {
            continue;
        };
        if normalize(name) != entry.name || !is_the_project(package, &entry.source) {
            continue;
        }
        let Some(value) = package.get("version").and_then(Item::as_value) else {
            continue;
        };
        let (Some(version), Some(span)) = (value.as_str(), value.span()) else {
            continue;
        };
        if !same_version(version, &entry.version) || text[span.clone()].len() != version.len() + 2 {
            continue;
        }
        let start = span.start + 1;
        found.push(Location::new(
            start..start + version.len(),
            format!("the entry of `{name}`"),
        ));
    }
    found
}

/// Equal as PEP 440 versions (the lock holds the normalized form: `8.5.0.dev0` for `8.5.0.dev`).
fn same_version(a: &str, b: &str) -> bool {
    let pep440 = crate::scheme::Scheme::Pep440;
    a == b || matches!((pep440.parse(a), pep440.parse(b)), (Ok(a), Ok(b)) if a == b)
}

/// An entry whose source is the project's own folder (`folder` as the lock names it).
fn is_the_project(package: &toml_edit::Table, folder: &str) -> bool {
    let Some(source) = package.get("source") else {
        return false;
    };
    let local = |key: &str| source.get(key).and_then(Item::as_str) == Some(folder);
    local("editable")
        || local("virtual")
        || (source.get("type").and_then(Item::as_str) == Some("directory") && local("url"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_s_own_entry() {
        let text = "version = 1\n\n[[package]]\nname = \"anyio\"\nversion = \"8.1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\nname = \"My_Project\"\nversion = \"8.1.0\"\nsource = { editable = \".\" }\n";
        let doc = Document::parse(text).unwrap();
        let entry = Entry {
            name: normalize("my-project"),
            version: "8.1.0".into(),
            source: ".".into(),
        };
        let found = locate(&entry, text, &doc);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "8.1.0");
        assert!(text[..found[0].span.start].contains("My_Project"));
    }
}
