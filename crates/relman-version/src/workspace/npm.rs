//! npm, pnpm and yarn workspaces: the root `package.json` (`workspaces` as a list, or yarn's
//! `{ "packages": [...] }`) or `pnpm-workspace.yaml` (`packages:`) name member folder globs; each
//! member's `package.json` gives its name, version, `private` flag and dependencies.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Dependency, DependencyKind, Ecosystem, Member, globs, read};

const TABLES: [(&str, DependencyKind); 4] = [
    ("dependencies", DependencyKind::Normal),
    ("devDependencies", DependencyKind::Development),
    ("peerDependencies", DependencyKind::Peer),
    ("optionalDependencies", DependencyKind::Optional),
];

pub(super) fn members(root: &Path) -> Vec<Member> {
    let root_manifest = PathBuf::from("package.json");
    let root_json = read(root, &root_manifest).and_then(|text| serde_json::from_str(&text).ok());
    let mut patterns = pnpm_packages(root);
    if let Some(json) = &root_json {
        patterns.extend(workspaces(json));
    }
    let mut found = Vec::new();
    if let Some(json) = &root_json
        && let Some(member) = member(&root_manifest, json)
    {
        found.push(member);
    }
    if patterns.is_empty() {
        // A lone package.json is a project, not a workspace: the root member alone.
        return found;
    }
    for dir in globs::expand_all(root, &patterns) {
        if dir.as_os_str().is_empty() {
            continue;
        }
        let path = dir.join("package.json");
        let Some(json) =
            read(root, &path).and_then(|text| serde_json::from_str::<Value>(&text).ok())
        else {
            continue;
        };
        if let Some(member) = member(&path, &json) {
            found.push(member);
        }
    }
    found
}

/// The root `package.json`'s `workspaces`.
fn workspaces(json: &Value) -> Vec<String> {
    let list = match json.get("workspaces") {
        Some(Value::Array(list)) => list,
        Some(Value::Object(object)) => match object.get("packages") {
            Some(Value::Array(list)) => list,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    list.iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The `packages:` list of `pnpm-workspace.yaml` (a block sequence of plain or quoted strings).
fn pnpm_packages(root: &Path) -> Vec<String> {
    let Some(text) = read(root, Path::new("pnpm-workspace.yaml")) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let content = strip_comment(line);
        if content.trim().is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t', '-']) {
            inside = content.trim_end() == "packages:";
            continue;
        }
        if !inside {
            continue;
        }
        let Some(item) = content.trim().strip_prefix('-') else {
            continue;
        };
        let item = item.trim();
        let item = item
            .strip_prefix('\'')
            .and_then(|rest| rest.strip_suffix('\''))
            .or_else(|| {
                item.strip_prefix('"')
                    .and_then(|rest| rest.strip_suffix('"'))
            })
            .unwrap_or(item);
        if !item.is_empty() {
            found.push(item.to_owned());
        }
    }
    found
}

/// A line without its `#` comment (a `#` inside quotes is kept).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (index, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '#') if index == 0 || line[..index].ends_with([' ', '\t']) => {
                return &line[..index];
            }
            _ => {}
        }
    }
    line
}

fn member(manifest: &Path, json: &Value) -> Option<Member> {
    let name = json.get("name")?.as_str()?.to_owned();
    let version = json
        .get("version")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let private = json.get("private").and_then(Value::as_bool) == Some(true);
    let mut dependencies = Vec::new();
    for (table, kind) in TABLES {
        let Some(Value::Object(entries)) = json.get(table) else {
            continue;
        };
        for (dependency, requirement) in entries {
            // `npm:other@1.0.0` aliases another package: the key is only a local name.
            let requirement = requirement.as_str().map(str::to_owned);
            dependencies.push(Dependency {
                name: dependency.clone(),
                requirement,
                kind,
                declared_in: manifest.to_owned(),
            });
        }
    }
    Some(Member {
        name,
        path: manifest.parent().unwrap_or(Path::new("")).to_owned(),
        manifest: manifest.to_owned(),
        ecosystem: Ecosystem::Npm,
        version,
        inherits_version: false,
        private,
        dependencies,
        module: None,
        declared: true,
    })
}

#[cfg(test)]
mod tests {
    use super::strip_comment;

    #[test]
    fn comments() {
        assert_eq!(strip_comment("  - 'a#b' # x"), "  - 'a#b' ");
        assert_eq!(strip_comment("packages: # the list"), "packages: ");
    }
}
