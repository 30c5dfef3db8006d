//! Go: every `go.mod` at or below the root (a `go.work` lists them too, but repositories with
//! several modules often have none), skipping `vendor`, `testdata`, `node_modules` and folders
//! starting with `.` or `_` as the go command does. A module below the root is named by its
//! folder (its tags are `FOLDER/vX.Y.Z`); its `require` lines on sibling modules are its
//! dependencies.

use std::path::{Path, PathBuf};

use super::{Dependency, DependencyKind, Ecosystem, Member, read};

/// A root module's name: its path's last element, above a major version suffix
/// (`github.com/argoproj/argo-cd/v3` is `argo-cd`, not `v3`).
fn module_name(path: &str) -> &str {
    let mut elements = path.rsplit('/');
    let last = elements.next().unwrap_or(path);
    let is_major = last
        .strip_prefix('v')
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()));
    match elements.next() {
        Some(above) if is_major && !above.is_empty() => above,
        _ => last,
    }
}

/// Folders never searched for modules.
const SKIPPED: &[&str] = &["vendor", "testdata", "node_modules"];

pub(super) fn members(root: &Path) -> Vec<Member> {
    if !root.join("go.mod").is_file() && !root.join("go.work").is_file() {
        return Vec::new();
    }
    let mut manifests = Vec::new();
    if root.join("go.mod").is_file() {
        manifests.push(PathBuf::from("go.mod"));
    }
    search(root, Path::new(""), &mut manifests);
    let mut modules: Vec<(PathBuf, String, String)> = Vec::new();
    for manifest in manifests {
        let Some(text) = read(root, &manifest) else {
            continue;
        };
        if let Some(module) = module_path(&text) {
            modules.push((manifest, module, text));
        }
    }
    let paths: Vec<String> = modules
        .iter()
        .map(|(_, module, _)| module.clone())
        .collect();
    modules
        .iter()
        .map(|(manifest, module, text)| {
            let folder = manifest.parent().unwrap_or(Path::new("")).to_owned();
            let name = if folder.as_os_str().is_empty() {
                module_name(module).to_owned()
            } else {
                folder.to_string_lossy().into_owned()
            };
            let dependencies = requires(text)
                .into_iter()
                .filter_map(|(path, version)| {
                    let index = paths.iter().position(|known| *known == path)?;
                    let (other_manifest, _, _) = &modules[index];
                    let other = other_manifest.parent().unwrap_or(Path::new(""));
                    let name = if other.as_os_str().is_empty() {
                        module_name(&path).to_owned()
                    } else {
                        other.to_string_lossy().into_owned()
                    };
                    Some(Dependency {
                        name,
                        requirement: Some(version),
                        kind: DependencyKind::Normal,
                        declared_in: manifest.clone(),
                    })
                })
                .collect();
            Member {
                name,
                path: folder,
                manifest: manifest.clone(),
                ecosystem: Ecosystem::Go,
                version: None,
                inherits_version: false,
                private: false,
                dependencies,
                module: Some(module.clone()),
                declared: true,
            }
        })
        .collect()
}

fn search(root: &Path, dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs_err::read_dir(root.join(dir)) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in names {
        if name.starts_with(['.', '_']) || SKIPPED.contains(&name.as_str()) {
            continue;
        }
        let child = dir.join(&name);
        let manifest = child.join("go.mod");
        if root.join(&manifest).is_file() {
            found.push(manifest);
        }
        search(root, &child, found);
    }
}

/// The `module` line's path.
pub(crate) fn module_path(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.split("//").next().unwrap_or("");
        let rest = line.trim().strip_prefix("module")?;
        if !rest.starts_with([' ', '\t']) {
            return None;
        }
        let path = rest.trim().trim_matches('"');
        (!path.is_empty()).then(|| path.to_owned())
    })
}

/// `require` entries, single-line and in blocks: (module path, version).
pub(crate) fn requires(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut block = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if block {
            if line == ")" {
                block = false;
                continue;
            }
            push_require(line, &mut found);
            continue;
        }
        let Some(rest) = line.strip_prefix("require") else {
            continue;
        };
        let rest = rest.trim();
        if rest == "(" {
            block = true;
        } else {
            push_require(rest, &mut found);
        }
    }
    found
}

fn push_require(line: &str, found: &mut Vec<(String, String)>) {
    let mut words = line.split_whitespace();
    if let (Some(path), Some(version)) = (words.next(), words.next()) {
        found.push((path.trim_matches('"').to_owned(), version.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_mod_lines() {
        let text = "module example.com/m/sub // the sub module\n\ngo 1.22\n\nrequire example.com/m v1.2.0\n\nrequire (\n\tgolang.org/x/text v0.3.0 // indirect\n\texample.com/m/other v0.1.0\n)\n";
        assert_eq!(module_path(text).unwrap(), "example.com/m/sub");
        assert_eq!(
            requires(text),
            [
                ("example.com/m".to_owned(), "v1.2.0".to_owned()),
                ("golang.org/x/text".to_owned(), "v0.3.0".to_owned()),
                ("example.com/m/other".to_owned(), "v0.1.0".to_owned()),
            ]
        );
    }

    #[test]
    fn a_root_module_is_named_above_its_major_version() {
        assert_eq!(module_name("github.com/argoproj/argo-cd/v3"), "argo-cd");
        assert_eq!(module_name("github.com/spf13/cobra"), "cobra");
        assert_eq!(module_name("example.com/v2tools"), "v2tools");
        assert_eq!(module_name("gopkg.in/yaml.v3"), "yaml.v3");
        assert_eq!(module_name("v3"), "v3");
    }
}
