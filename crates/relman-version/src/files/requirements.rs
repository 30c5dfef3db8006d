//! Rewriting requirements on a package of the same repository ([`RequirementChange`]s the caller
//! decided), byte-exact: in a Cargo manifest the `version` of a path dependency (or of a
//! `[workspace.dependencies]` entry), in a `package.json` the range of a dependency (and its
//! copies in `package-lock.json`'s `packages` entry and `pnpm-lock.yaml`'s `importers`), in a
//! `go.mod` the version of a `require`. Only text that still reads `from` is rewritten, so
//! planning the same changes again finds nothing to do once they are in.

use std::ops::Range;
use std::path::{Path, PathBuf};

use jsonc_parser::ast::Value;
use toml_edit::Item;

use super::text::decode;
use super::{FileEdit, FileError, normalize, yaml};
use crate::workspace::Ecosystem;
use crate::workspace::requirements::RequirementChange;

/// The edits that make `changes` (on top of `base`: edits planned already, whose result they
/// start from), each file's edits merged with its `base` edit. Nothing is written.
pub fn plan_requirement_edits(
    root: &Path,
    changes: &[RequirementChange],
    base: &[FileEdit],
) -> Result<Vec<FileEdit>, FileError> {
    let mut edits: Vec<FileEdit> = base.to_vec();
    for change in changes {
        // A requirement lives in a manifest of the repository: never a path that leaves it (a
        // journal edited by hand could name one).
        if !change
            .manifest
            .components()
            .all(|component| matches!(component, std::path::Component::Normal(_)))
        {
            return Err(FileError::Unsupported {
                path: change.manifest.clone(),
                line: 0,
                message: "a requirement's manifest must be inside the repository".to_owned(),
            });
        }
        let mut targets: Vec<(PathBuf, Target)> =
            vec![(normalize(&change.manifest), Target::Manifest)];
        if change.ecosystem == Ecosystem::Npm {
            targets.extend(npm_locks(root, &change.manifest));
        }
        for (path, target) in targets {
            let full = root.join(&path);
            let index = match edits.iter().position(|edit| edit.path == full) {
                Some(index) => index,
                None => {
                    let bytes = match super::read_bounded(&full, super::bounded::MAX_VERSION_FILE) {
                        Ok(bytes) => bytes,
                        Err(_) if !matches!(target, Target::Manifest) => continue,
                        Err(_) => return Err(FileError::Missing { path }),
                    };
                    edits.push(FileEdit {
                        path: full.clone(),
                        display_path: path.clone(),
                        before: bytes.clone(),
                        after: bytes,
                    });
                    edits.len() - 1
                }
            };
            let current = edits[index].after.clone();
            let (bom, text) = decode(&path, &current)?;
            let spans = match (&target, change.ecosystem) {
                (Target::Manifest, Ecosystem::Cargo) => cargo_spans(&path, text, change)?,
                (Target::Manifest, Ecosystem::Npm) => json_spans(&path, text, &[], change)?,
                (Target::Manifest, Ecosystem::Go) => go_spans(text, change),
                (Target::Manifest, Ecosystem::Python) => Vec::new(),
                (Target::PackageLock(entry), _) => {
                    json_spans(&path, text, &["packages", entry.as_str()], change)?
                }
                (Target::Pnpm(importer), _) => pnpm_spans(&path, text, importer, change)?,
            };
            let spans: Vec<Range<usize>> = spans
                .into_iter()
                .map(|span| span.start + bom..span.end + bom)
                .collect();
            edits[index].after = super::text::splice(&current, &spans, &change.to);
        }
    }
    edits.retain(|edit| edit.after != edit.before);
    Ok(edits)
}

/// Where a requirement's copy lives.
enum Target {
    Manifest,
    /// `package-lock.json`'s `packages[ENTRY]`.
    PackageLock(String),
    /// `pnpm-lock.yaml`'s `importers[IMPORTER]`.
    Pnpm(String),
}

/// The lock files of the workspace a `package.json` is in, with its entry in each.
fn npm_locks(root: &Path, manifest: &Path) -> Vec<(PathBuf, Target)> {
    let dir = manifest.parent().unwrap_or(Path::new(""));
    let mut found = Vec::new();
    let mut current = Some(dir);
    while let Some(candidate) = current {
        let entry = dir
            .strip_prefix(candidate)
            .map(|rest| rest.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let lock = candidate.join("package-lock.json");
        if root.join(&lock).is_file() {
            found.push((lock, Target::PackageLock(entry.clone())));
        }
        let pnpm = candidate.join("pnpm-lock.yaml");
        if root.join(&pnpm).is_file() {
            let importer = if entry.is_empty() {
                ".".to_owned()
            } else {
                entry
            };
            found.push((pnpm, Target::Pnpm(importer)));
        }
        if !found.is_empty() {
            break;
        }
        current = candidate.parent();
    }
    found
}

const CARGO_TABLES: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];

fn cargo_spans(
    path: &Path,
    text: &str,
    change: &RequirementChange,
) -> Result<Vec<Range<usize>>, FileError> {
    let doc = super::toml::parse(path, text)?;
    let root = doc.as_item();
    let mut tables: Vec<&Item> = CARGO_TABLES
        .iter()
        .filter_map(|name| root.get(name))
        .collect();
    if let Some(targets) = root.get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            tables.extend(CARGO_TABLES.iter().filter_map(|name| target.get(name)));
        }
    }
    if let Some(workspace) = root
        .get("workspace")
        .and_then(|item| item.get("dependencies"))
    {
        tables.push(workspace);
    }
    let mut spans = Vec::new();
    for table in tables {
        let Some(table) = table.as_table_like() else {
            continue;
        };
        for (key, entry) in table.iter() {
            let name = entry.get("package").and_then(Item::as_str).unwrap_or(key);
            if name != change.dependency || entry.get("path").is_none() {
                continue;
            }
            if let Some(span) = entry
                .get("version")
                .and_then(Item::as_value)
                .and_then(|value| exact_string(text, value.as_str(), value.span(), &change.from))
            {
                spans.push(span);
            }
        }
    }
    Ok(spans)
}

/// The span inside the quotes of a string value written exactly as `expected` (no escapes).
fn exact_string(
    text: &str,
    value: Option<&str>,
    span: Option<Range<usize>>,
    expected: &str,
) -> Option<Range<usize>> {
    let (value, span) = (value?, span?);
    let inner = span.start + 1..span.end.checked_sub(1)?;
    (value == expected && text.get(inner.clone()) == Some(expected)).then_some(inner)
}

fn json_spans(
    path: &Path,
    text: &str,
    prefix: &[&str],
    change: &RequirementChange,
) -> Result<Vec<Range<usize>>, FileError> {
    let root = super::json::parse(path, text)?;
    let mut value = &root;
    for segment in prefix {
        let Value::Object(object) = value else {
            return Ok(Vec::new());
        };
        let Some(property) = object
            .properties
            .iter()
            .find(|property| property.name.as_str() == *segment)
        else {
            return Ok(Vec::new());
        };
        value = &property.value;
    }
    let Value::Object(object) = value else {
        return Ok(Vec::new());
    };
    let mut spans = Vec::new();
    for table in super::npm::TABLES {
        let Some(Value::Object(dependencies)) = object
            .properties
            .iter()
            .find(|property| property.name.as_str() == table)
            .map(|property| &property.value)
        else {
            continue;
        };
        for dependency in &dependencies.properties {
            if dependency.name.as_str() != change.dependency {
                continue;
            }
            if let Value::StringLit(string) = &dependency.value {
                let range = string.range.start..string.range.end;
                if let Some(span) =
                    exact_string(text, Some(&string.value), Some(range), &change.from)
                {
                    spans.push(span);
                }
            }
        }
    }
    Ok(spans)
}

fn pnpm_spans(
    path: &Path,
    text: &str,
    importer: &str,
    change: &RequirementChange,
) -> Result<Vec<Range<usize>>, FileError> {
    let index = yaml::scan_pnpm_lock(path, text)?;
    let mut spans = Vec::new();
    for table in super::npm::TABLES {
        let segments = [
            "importers".to_owned(),
            importer.to_owned(),
            table.to_owned(),
            change.dependency.clone(),
            "specifier".to_owned(),
        ];
        if let Some(location) = yaml::locate(path, &index, &segments, "specifier")?
            && text[location.span.clone()] == *change.from
        {
            spans.push(location.span);
        }
    }
    Ok(spans)
}

/// `require` entries of `go.mod` naming the module at `from`.
fn go_spans(text: &str, change: &RequirementChange) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut block = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim();
        let entry = if block {
            if trimmed == ")" {
                block = false;
                continue;
            }
            trimmed
        } else if let Some(rest) = trimmed.strip_prefix("require") {
            let rest = rest.trim();
            if rest == "(" {
                block = true;
                continue;
            }
            rest
        } else {
            continue;
        };
        let mut words = entry.split_whitespace();
        if let (Some(module), Some(version)) = (words.next(), words.next())
            && module.trim_matches('"') == change.dependency
            && version == change.from
            && let Some(at) = code.rfind(version)
        {
            spans.push(start + at..start + at + version.len());
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        ecosystem: Ecosystem,
        manifest: &str,
        dependency: &str,
        from: &str,
        to: &str,
    ) -> RequirementChange {
        RequirementChange {
            manifest: PathBuf::from(manifest),
            ecosystem,
            dependency: dependency.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
        }
    }

    #[test]
    fn go_require_lines() {
        let text = "module example.com/m/a\n\nrequire example.com/m/b v0.1.0\n\nrequire (\n\texample.com/m/c v1.0.0 // pinned\n)\n";
        let spans = go_spans(
            text,
            &change(
                Ecosystem::Go,
                "a/go.mod",
                "example.com/m/c",
                "v1.0.0",
                "v1.1.0",
            ),
        );
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0].clone()], "v1.0.0");
        assert!(text[..spans[0].start].ends_with("example.com/m/c "));
    }
}
