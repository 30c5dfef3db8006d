//! An npm, pnpm or yarn workspace moves together: when a `package.json` is a version file, the
//! places that must follow its version are found in the workspace around it and edited with it,
//! byte-exact, so that `npm ci` (and `pnpm install --frozen-lockfile`) still accept the locks:
//!
//! - the packages that move: the version file's own, and the members at the same version (a
//!   fixed-version workspace: every `packages/*` at `3.5.41`);
//! - each moving member's `version`;
//! - every member's requirement on a moving package that names that version (`3.5.41`,
//!   `^3.5.41`, `~3.5.41`, `=3.5.41`, `workspace:^3.5.41`): requirements that are ranges
//!   (`workspace:*`, `^3.0.0`) stay;
//! - `package-lock.json` at the workspace root: the root entries when the root moves,
//!   `packages["MEMBER"].version` of each moving member, and the copies of those requirements
//!   in `packages["MEMBER"]`'s dependency tables;
//! - `pnpm-lock.yaml`: the `specifier` of those requirements under `importers`.
//!
//! A member released on its own (a package of a monorepo) moves alone: its `version` and its
//! `package-lock.json` entry.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jsonc_parser::ast::Value;

use super::text::Location;

/// The dependency tables of a `package.json`, as in the lock's `packages` entries.
pub(super) const TABLES: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
];

/// What to look for in one companion file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Places {
    /// A member's `package.json`: its `version` (when `own`) and requirements on `moving`.
    Manifest {
        own: bool,
        moving: BTreeSet<String>,
        version: String,
    },
    /// `package-lock.json`: the root entries (when `root`), `packages[ENTRY].version` of
    /// `entries`, and requirements on `moving` in every `packages[...]` entry of `members`.
    Lock {
        root: bool,
        entries: Vec<String>,
        members: Vec<String>,
        moving: BTreeSet<String>,
        version: String,
    },
    /// `pnpm-lock.yaml`: requirements on `moving` under `importers[MEMBER]` of `members`.
    Pnpm {
        members: Vec<String>,
        moving: BTreeSet<String>,
        version: String,
    },
}

/// A companion of a `package.json` version file.
#[derive(Debug, Clone)]
pub(super) struct Companion {
    pub path: PathBuf,
    pub places: Places,
}

/// A `package.json` read for its workspace facts.
struct Manifest {
    /// The folder, relative to the project root.
    dir: PathBuf,
    json: serde_json::Value,
}

impl Manifest {
    fn read(root: &Path, dir: &Path) -> Option<Manifest> {
        let text = super::read_text_bounded(
            &root.join(dir).join("package.json"),
            super::bounded::MAX_VERSION_FILE,
        )
        .ok()?;
        let json = serde_json::from_str(&text).ok()?;
        Some(Manifest {
            dir: dir.to_owned(),
            json,
        })
    }

    fn field(&self, key: &str) -> Option<&str> {
        self.json.get(key).and_then(serde_json::Value::as_str)
    }

    fn declares_workspaces(&self, root: &Path) -> bool {
        self.json.get("workspaces").is_some()
            || root.join(&self.dir).join("pnpm-workspace.yaml").is_file()
    }
}

/// A folder relative to the root as the lock files write it (`packages/a`; the root: empty).
fn entry_of(dir: &Path) -> String {
    dir.to_string_lossy().replace('\\', "/")
}

/// The companions of the `package.json` version file `manifest` (relative to `root`), and every
/// file the search read. `alone`: the package is released on its own.
pub(super) fn companions(
    root: &Path,
    manifest: &Path,
    alone: bool,
) -> (Vec<Companion>, Vec<PathBuf>) {
    let dir = manifest.parent().unwrap_or(Path::new("")).to_owned();
    let Some(own) = Manifest::read(root, &dir) else {
        return (Vec::new(), Vec::new());
    };
    let Some(version) = own.field("version").map(str::to_owned) else {
        return (Vec::new(), Vec::new());
    };
    // The workspace root: this folder if it declares workspaces, else the nearest parent that
    // does (within the project).
    let mut workspace_dir = None;
    let mut candidate = Some(dir.as_path());
    while let Some(current) = candidate {
        if let Some(found) = Manifest::read(root, current)
            && found.declares_workspaces(root)
        {
            workspace_dir = Some(current.to_owned());
            break;
        }
        candidate = current.parent();
    }
    let Some(workspace_dir) = workspace_dir else {
        // A package on its own: `package-lock.json` beside it is a known companion already.
        return (Vec::new(), Vec::new());
    };
    let workspace_root = Manifest::read(root, &workspace_dir)
        .expect("invariant: the workspace manifest was just read");
    let member_dirs: Vec<PathBuf> = crate::workspace::discover(&root.join(&workspace_dir))
        .members
        .iter()
        .filter(|member| member.ecosystem == crate::workspace::Ecosystem::Npm)
        .map(|member| workspace_dir.join(&member.path))
        .filter(|member| !member.as_os_str().is_empty() || workspace_dir.as_os_str().is_empty())
        .collect();
    let mut members: Vec<Manifest> = vec![workspace_root];
    for member_dir in member_dirs {
        if members.iter().any(|known| known.dir == member_dir) {
            continue;
        }
        if let Some(member) = Manifest::read(root, &member_dir) {
            members.push(member);
        }
    }
    let mut read: Vec<PathBuf> = members
        .iter()
        .map(|member| member.dir.join("package.json"))
        .collect();
    let relative = |dir: &Path| entry_of(dir.strip_prefix(&workspace_dir).unwrap_or(dir));
    let mut moving = BTreeSet::new();
    let mut moving_dirs = Vec::new();
    for member in &members {
        let moves = if alone {
            member.dir == dir
        } else {
            member.dir == dir || member.field("version") == Some(version.as_str())
        };
        if moves && let Some(name) = member.field("name") {
            moving.insert(name.to_owned());
            moving_dirs.push(member.dir.clone());
        }
    }
    let mut found = Vec::new();
    if !alone {
        for member in &members {
            if member.dir == dir {
                // The version file itself: its requirements on the others still move.
                found.push(Companion {
                    path: member.dir.join("package.json"),
                    places: Places::Manifest {
                        own: false,
                        moving: moving.clone(),
                        version: version.clone(),
                    },
                });
                continue;
            }
            found.push(Companion {
                path: member.dir.join("package.json"),
                places: Places::Manifest {
                    own: moving_dirs.contains(&member.dir),
                    moving: moving.clone(),
                    version: version.clone(),
                },
            });
        }
    }
    let entries: Vec<String> = moving_dirs
        .iter()
        .filter(|member| **member != workspace_dir)
        .map(|member| relative(member))
        .collect();
    let member_entries: Vec<String> = if alone {
        Vec::new()
    } else {
        members.iter().map(|member| relative(&member.dir)).collect()
    };
    for lock in ["package-lock.json", "npm-shrinkwrap.json"] {
        let path = workspace_dir.join(lock);
        if root.join(&path).is_file() {
            read.push(path.clone());
            found.push(Companion {
                path,
                places: Places::Lock {
                    // The root's own entries are the known companion of a root version file.
                    root: false,
                    entries: entries.clone(),
                    members: member_entries.clone(),
                    moving: moving.clone(),
                    version: version.clone(),
                },
            });
        }
    }
    let pnpm = workspace_dir.join("pnpm-lock.yaml");
    if !alone && root.join(&pnpm).is_file() {
        read.push(pnpm.clone());
        found.push(Companion {
            path: pnpm,
            places: Places::Pnpm {
                members: member_entries,
                moving,
                version,
            },
        });
    }
    (found, read)
}

/// Whether a requirement names exactly `version` (with at most an operator or `workspace:`),
/// and the byte range of the version inside it.
pub(super) fn pinned(requirement: &str, version: &str) -> Option<std::ops::Range<usize>> {
    let rest = requirement
        .strip_prefix("workspace:")
        .unwrap_or(requirement);
    let start = requirement.len() - rest.len();
    let operator = rest.len() - rest.trim_start_matches(['=', '^', '~', 'v']).len();
    (rest[operator..] == *version).then(|| start + operator..requirement.len())
}

/// The places of a `package.json` or `package-lock.json` companion.
pub(super) fn locate_json(places: &Places, text: &str, root: &Value<'_>) -> Vec<Location> {
    let mut found = Vec::new();
    match places {
        Places::Manifest {
            own,
            moving,
            version,
        } => {
            if *own {
                found.extend(string_at(text, root, &["version"], version, "version"));
            }
            requirements(text, root, &[], moving, version, &mut found);
        }
        Places::Lock {
            root: root_entries,
            entries,
            members,
            moving,
            version,
        } => {
            if *root_entries {
                found.extend(string_at(text, root, &["version"], version, "version"));
            }
            for entry in entries {
                found.extend(string_at(
                    text,
                    root,
                    &["packages", entry, "version"],
                    version,
                    &format!("packages[\"{entry}\"].version"),
                ));
            }
            for member in members {
                requirements(
                    text,
                    root,
                    &["packages", member],
                    moving,
                    version,
                    &mut found,
                );
            }
        }
        Places::Pnpm { .. } => {}
    }
    found
}

/// Requirements on `moving` naming `version` in the dependency tables under `prefix`.
fn requirements(
    text: &str,
    root: &Value<'_>,
    prefix: &[&str],
    moving: &BTreeSet<String>,
    version: &str,
    found: &mut Vec<Location>,
) {
    let Some(Value::Object(object)) = get(root, prefix) else {
        return;
    };
    for table in TABLES {
        let Some(property) = object
            .properties
            .iter()
            .find(|property| property.name.as_str() == table)
        else {
            continue;
        };
        let Value::Object(dependencies) = &property.value else {
            continue;
        };
        for dependency in &dependencies.properties {
            let name = dependency.name.as_str();
            if !moving.contains(name) {
                continue;
            }
            let Value::StringLit(string) = &dependency.value else {
                continue;
            };
            let inner = string.range.start + 1..string.range.end - 1;
            if text.get(inner.clone()) != Some(&*string.value) {
                continue;
            }
            if let Some(span) = pinned(&string.value, version) {
                found.push(Location::new(
                    inner.start + span.start..inner.start + span.end,
                    format!("the requirement on `{name}` in `{table}`"),
                ));
            }
        }
    }
}

fn get<'v, 't>(root: &'v Value<'t>, segments: &[&str]) -> Option<&'v Value<'t>> {
    let mut value = root;
    for segment in segments {
        let Value::Object(object) = value else {
            return None;
        };
        value = &object
            .properties
            .iter()
            .find(|property| property.name.as_str() == *segment)?
            .value;
    }
    Some(value)
}

/// The version string at a path, when it is exactly `version` (written without escapes).
fn string_at(
    text: &str,
    root: &Value<'_>,
    segments: &[&str],
    version: &str,
    label: &str,
) -> Option<Location> {
    let Value::StringLit(string) = get(root, segments)? else {
        return None;
    };
    let inner = string.range.start + 1..string.range.end - 1;
    (text.get(inner.clone()) == Some(version)).then(|| Location::new(inner, label))
}

/// The `specifier`s of requirements on `moving` naming `version` under `importers` of
/// `pnpm-lock.yaml` (a block-style YAML file pnpm writes).
pub(super) fn locate_pnpm(
    path: &Path,
    places: &Places,
    text: &str,
    index: &super::yaml::YamlIndex,
) -> Vec<Location> {
    let Places::Pnpm {
        members,
        moving,
        version,
    } = places
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let lookup = index.lookup();
    for member in members {
        let importer = if member.is_empty() { "." } else { member };
        for table in TABLES {
            for name in moving {
                let segments = [
                    "importers".to_owned(),
                    importer.to_owned(),
                    table.to_owned(),
                    name.clone(),
                    "specifier".to_owned(),
                ];
                let Ok(Some(location)) =
                    super::yaml::locate_in(path, &lookup, &segments, "specifier")
                else {
                    continue;
                };
                let specifier = &text[location.span.clone()];
                if let Some(span) = pinned(specifier, version) {
                    let start = location.span.start;
                    found.push(Location::new(
                        start + span.start..start + span.end,
                        format!("the specifier of `{name}` for `{importer}`"),
                    ));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn pinned_requirements() {
        assert_eq!(pinned("3.5.41", "3.5.41"), Some(0..6));
        assert_eq!(pinned("^3.5.41", "3.5.41"), Some(1..7));
        assert_eq!(pinned("workspace:~3.5.41", "3.5.41"), Some(11..17));
        assert_eq!(pinned("workspace:*", "3.5.41"), None);
        assert_eq!(pinned("^3.0.0", "3.5.41"), None);
        assert_eq!(pinned(">=3.5.41", "3.5.41"), None);
    }
}
