//! What `changeset version` writes for a release: the `package.json` ranges it rewrites, and the
//! `CHANGELOG.md` entry of its default generator (`@changesets/cli/changelog`), inserted as it
//! inserts it.
//!
//! An entry is `## VERSION`, then `### Major Changes`, `### Minor Changes` and `### Patch
//! Changes` sections of `- SHA7: summary` lines (the commit that added the changeset; the
//! summary's further lines indented by two spaces), in changeset order, and, among the patch
//! changes, `- Updated dependencies [SHA7]` with `  - NAME@VERSION` for the workspace
//! dependencies it moved along.

use std::collections::{BTreeMap, BTreeSet};

use super::plan::{PlanPackage, Release, effective_range};
use super::{Changeset, Config, ReleaseType};
use crate::workspace::npm_range;
use crate::workspace::requirements::parse_semver;

/// Whether `changeset version` rewrites the range `range` (in `table`) of a release of
/// `dependency` (`shouldUpdateDependencyBasedOnConfig`).
fn should_update(
    config: &Config,
    dependency: &Release,
    range: &str,
    table: &str,
    dir: &str,
) -> bool {
    let range = match range.strip_prefix("workspace:") {
        Some("*") => return true,
        Some(_) => match effective_range(range, &dependency.old_version, dir) {
            Some(range) => range,
            None => return false,
        },
        None => range.to_owned(),
    };
    let Ok(new) = parse_semver(&dependency.new_version) else {
        return false;
    };
    if !npm_range::satisfies(&new, &range) {
        return true;
    }
    if table == "peerDependencies" {
        return !config.only_update_peer_dependents_when_out_of_range;
    }
    let minimum = if config.update_internal_minor {
        ReleaseType::Minor
    } else {
        ReleaseType::Patch
    };
    dependency.kind >= minimum
}

/// The range edits `changeset version` makes in `package`'s `package.json` for `releases`:
/// `(table, dependency, from, to)`.
pub fn range_edits(
    config: &Config,
    package: &PlanPackage,
    releases: &[Release],
    dirs: &BTreeMap<String, String>,
) -> Vec<(String, String, String, String)> {
    let mut edits = Vec::new();
    for table in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        for release in releases {
            let Some((_, _, current)) = package
                .dependencies
                .iter()
                .find(|(kind, name, _)| kind == table && *name == release.name)
            else {
                continue;
            };
            if current.starts_with("file:") || current.starts_with("link:") {
                continue;
            }
            let dir = dirs.get(&release.name).map(String::as_str).unwrap_or("");
            if !should_update(config, release, current, table, dir) {
                continue;
            }
            let (workspace, range) = match current.strip_prefix("workspace:") {
                Some(range) => (true, range),
                None => (false, current.as_str()),
            };
            if !workspace && (config.bump_workspace_protocol_only || !npm_range::valid_range(range))
            {
                continue;
            }
            if workspace && (matches!(range, "*" | "^" | "~") || !npm_range::valid_range(range)) {
                continue;
            }
            let pre = release.new_version.contains('-');
            if npm_range::matches_anything(range) && !pre {
                continue;
            }
            let operator = if range.starts_with('^') {
                "^"
            } else if range.starts_with('~') {
                "~"
            } else if range.starts_with(">=") {
                ">="
            } else if range.starts_with("<=") {
                "<="
            } else if range.starts_with('>') {
                ">"
            } else {
                ""
            };
            let mut to = format!("{operator}{}", release.new_version);
            if workspace {
                to = format!("workspace:{to}");
            }
            edits.push((table.to_owned(), release.name.clone(), current.clone(), to));
        }
    }
    edits
}

/// The changelog entry of `release` (`None` for a `none` release): `commits` maps a changeset's
/// id to the commit that added it.
pub fn changelog_entry(
    config: &Config,
    release: &Release,
    package: &PlanPackage,
    releases: &[Release],
    changesets: &[&Changeset],
    commits: &BTreeMap<String, String>,
    dirs: &BTreeMap<String, String>,
) -> Option<String> {
    if release.kind == ReleaseType::None {
        return None;
    }
    let mut lines: BTreeMap<ReleaseType, Vec<String>> = BTreeMap::new();
    for changeset in changesets {
        let Some((_, kind)) = changeset
            .releases
            .iter()
            .find(|(name, _)| *name == release.name)
        else {
            continue;
        };
        if *kind == ReleaseType::None {
            continue;
        }
        lines
            .entry(*kind)
            .or_default()
            .push(release_line(changeset, commits.get(&changeset.id)));
    }
    // Dependencies (and peers) released along whose range this release rewrites.
    let updated: Vec<&Release> = releases
        .iter()
        .filter(|other| {
            let range = package
                .dependencies
                .iter()
                .find(|(table, name, _)| table == "dependencies" && *name == other.name)
                .map(|(table, _, range)| (table.as_str(), range))
                .or_else(|| {
                    package
                        .dependencies
                        .iter()
                        .find(|(table, name, _)| table == "peerDependencies" && *name == other.name)
                        .map(|(table, _, range)| (table.as_str(), range))
                });
            let Some((table, range)) = range else {
                return false;
            };
            let dir = dirs.get(&other.name).map(String::as_str).unwrap_or("");
            (range.starts_with("workspace:") || npm_range::valid_range(range))
                && should_update(config, other, range, table, dir)
        })
        .collect();
    let ids: BTreeSet<&str> = updated
        .iter()
        .flat_map(|other| other.changesets.iter().map(String::as_str))
        .collect();
    let dependency_line = if updated.is_empty() {
        String::new()
    } else {
        let mut text: Vec<String> = changesets
            .iter()
            .filter(|changeset| ids.contains(changeset.id.as_str()))
            .map(|changeset| match commits.get(&changeset.id) {
                Some(sha) => format!("- Updated dependencies [{}]", short(sha)),
                None => "- Updated dependencies".to_owned(),
            })
            .collect();
        text.extend(
            updated
                .iter()
                .map(|other| format!("  - {}@{}", other.name, other.new_version)),
        );
        text.join("\n")
    };
    lines
        .entry(ReleaseType::Patch)
        .or_default()
        .push(dependency_line);
    let mut parts = vec![format!("## {}", release.new_version)];
    for kind in [ReleaseType::Major, ReleaseType::Minor, ReleaseType::Patch] {
        if let Some(section) = lines
            .get(&kind)
            .and_then(|lines| markdown_for_type(kind, lines))
        {
            parts.push(section);
        }
    }
    Some(parts.join("\n\n"))
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// `getReleaseLine` of the default generator.
fn release_line(changeset: &Changeset, commit: Option<&String>) -> String {
    let mut lines = changeset.summary.split('\n').map(str::trim_end);
    let first = lines.next().unwrap_or_default();
    let mut text = format!(
        "- {}{first}",
        commit
            .map(|sha| format!("{}: ", short(sha)))
            .unwrap_or_default()
    );
    let rest: Vec<String> = lines.map(|line| format!("  {line}")).collect();
    if !rest.is_empty() {
        text.push('\n');
        text.push_str(&rest.join("\n"));
    }
    text
}

/// `generateMarkdownForVersionType`: the heading, then the lines, separated by one or two new
/// lines as each line asks.
fn markdown_for_type(kind: ReleaseType, lines: &[String]) -> Option<String> {
    let lines: Vec<&String> = lines.iter().filter(|line| !line.is_empty()).collect();
    if lines.is_empty() {
        return None;
    }
    let name = match kind {
        ReleaseType::Major => "Major",
        ReleaseType::Minor => "Minor",
        _ => "Patch",
    };
    let mut content = format!("### {name} Changes");
    let mut new_lines: usize = 2;
    for line in lines {
        new_lines += line.len() - line.trim_start_matches('\n').len();
        content.push_str(&"\n".repeat(new_lines.clamp(1, 2)));
        content.push_str(trim_js(line));
        new_lines = line.len() - line.trim_end_matches('\n').len();
    }
    Some(content)
}

/// JavaScript's `String.prototype.trim` (white space and line terminators).
fn trim_js(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// The changelog's new text with `entry` inserted as `changeset version` inserts it: a new file
/// is `# NAME` and the entry; a file that starts with a version heading gets it on top; else it
/// goes after the first line.
pub fn insert(existing: Option<&str>, entry: &str, name: &str) -> String {
    let template = format!("\n\n{}\n", trim_js(entry));
    let Some(existing) = existing.filter(|text| !text.is_empty()) else {
        return format!("# {name}{template}");
    };
    if starts_with_version_heading(existing) {
        return format!("{}{existing}", template.trim_start());
    }
    match existing.find('\n') {
        None => format!("{existing}{template}"),
        Some(index) => format!("{}{template}{}", &existing[..index], &existing[index + 1..]),
    }
}

/// `/^#{1,6}\s+\d+\.\d+/`.
fn starts_with_version_heading(text: &str) -> bool {
    let hashes = text.len() - text.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return false;
    }
    let rest = &text[hashes..];
    let spaced = rest.trim_start();
    if spaced.len() == rest.len() {
        return false;
    }
    let digits = spaced.len()
        - spaced
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    digits > 0
        && spaced[digits..].starts_with('.')
        && spaced[digits + 1..].starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertion() {
        assert_eq!(insert(None, "## 1.0.1\n\nx", "a"), "# a\n\n## 1.0.1\n\nx\n");
        assert_eq!(
            insert(Some("# a\n\n## 1.0.0\n\n- y\n"), "## 1.0.1\n\n- x", "a"),
            "# a\n\n## 1.0.1\n\n- x\n\n## 1.0.0\n\n- y\n"
        );
        assert_eq!(
            insert(Some("## 1.0.0\n\n- y\n"), "## 1.0.1", "a"),
            "## 1.0.1\n## 1.0.0\n\n- y\n"
        );
    }

    #[test]
    fn lines_are_spaced_as_the_generator_asks() {
        let text = markdown_for_type(
            ReleaseType::Patch,
            &[
                "- abc: one".to_owned(),
                String::new(),
                "- Updated dependencies\n  - a@1.0.0".to_owned(),
            ],
        )
        .unwrap();
        assert_eq!(
            text,
            "### Patch Changes\n\n- abc: one\n- Updated dependencies\n  - a@1.0.0"
        );
    }
}
