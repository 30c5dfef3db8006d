//! The member globs workspaces use (`crates/*`, `packages/**`, `tools/cli`, `!packages/private`),
//! expanded over folders, component by component. `**` spans any depth, never entering
//! `node_modules`, `target` or hidden folders.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Folders `**` never descends into.
const SKIPPED: &[&str] = &["node_modules", "target", "vendor"];

/// The folders a member pattern names, relative to `root` (`base` is where the pattern is
/// relative to), sorted within each wildcard.
pub(crate) fn expand(root: &Path, base: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut current = vec![base.to_owned()];
    for component in pattern
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
    {
        let mut next = Vec::new();
        for dir in &current {
            if component == "**" {
                next.push(dir.clone());
                descendants(root, dir, &mut next);
                continue;
            }
            if !component.contains(['*', '?', '[']) {
                next.push(dir.join(component));
                continue;
            }
            next.extend(
                subfolders(root, dir)
                    .into_iter()
                    .filter(|name| wildcard(component, name))
                    .map(|name| dir.join(name)),
            );
        }
        current = next;
    }
    current
}

fn subfolders(root: &Path, dir: &Path) -> Vec<String> {
    let Ok(entries) = fs_err::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}

fn descendants(root: &Path, dir: &Path, found: &mut Vec<PathBuf>) {
    for name in subfolders(root, dir) {
        if name.starts_with('.') || SKIPPED.contains(&name.as_str()) {
            continue;
        }
        let child = dir.join(&name);
        found.push(child.clone());
        descendants(root, &child, found);
    }
}

/// `*` and `?` matching within one path component (what member globs use).
pub(crate) fn wildcard(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t, mut star, mut mark) = (0, 0, None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(position) = star {
            p = position + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// The folders of include patterns minus those of `!`-negated ones, each once, in the order
/// the patterns give them.
///
/// Sets, not lists: astro's `packages/**/*` names 2,800 folders and its `!**/.vercel/**` every
/// folder of the repository, and comparing each with each took minutes.
pub(super) fn expand_all(root: &Path, patterns: &[String]) -> Vec<PathBuf> {
    let mut excluded: HashSet<PathBuf> = HashSet::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut found: Vec<PathBuf> = Vec::new();
    for pattern in patterns {
        if let Some(negated) = pattern.strip_prefix('!') {
            excluded.extend(expand(root, Path::new(""), negated));
        }
    }
    for pattern in patterns.iter().filter(|pattern| !pattern.starts_with('!')) {
        for dir in expand(root, Path::new(""), pattern) {
            if !excluded.contains(&dir) && seen.insert(dir.clone()) {
                found.push(dir);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn member_globs() {
        assert!(wildcard("*", "core"));
        assert!(wildcard("regex-*", "regex-syntax"));
        assert!(!wildcard("regex-*", "rure"));
        assert!(wildcard("c?re", "core"));
        assert!(!wildcard("core", "cores"));
    }
}
