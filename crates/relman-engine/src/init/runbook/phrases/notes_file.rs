//! The project's release notes named as a file, with a verb that writes them: "update
//! `WhatsNew.txt`", "ensure `/CHANGELOG.md` is updated and dated", "add the notes to
//! `CHANGES.rst`", "update the version in `changelog.md`". The file must be one the repository
//! has, named as release notes are (changelog, changes, news, history, release notes, what's
//! new); that is the one `changelog = "update"` step, which writes the version's heading and
//! date. Notes a person writes ("write a summary", "make sure it reflects everything") stay a
//! person's: the verb and the words the reading takes leave them out.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::Item;
use super::patterns::regex;
use crate::init::runbook::actions::{Scope, step};
use crate::init::workflow::DraftStep;

/// How the clause asks for the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Asks {
    /// "Update …", "bump the version in …".
    Update,
    /// "Ensure … is updated", "make sure … is dated".
    Ensure,
    /// "Add the notes to …", "add the date to …".
    Add,
}

/// The changelog step a clause asks for when it names the repository's release notes.
pub(super) fn changelog(
    clause: &str,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
    asks: Asks,
) -> Option<DraftStep> {
    let root = scope.facts.root.as_deref()?;
    if scope.checkout.is_some() {
        return None;
    }
    static FUTURE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(?:next|upcoming|unreleased|future)\b"));
    static ENSURED: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(?:updated|versioned|dated|date|version)\b"));
    static ADDED: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"^\S+ (?:the |a |an |current |today's )*(?:changelog |release )?(?:notes|entry|entries|date|version|heading)\b",
        )
    });
    let fits = match asks {
        Asks::Update => true,
        Asks::Ensure => ENSURED.is_match(clause),
        Asks::Add => ADDED.is_match(clause),
    };
    if !fits || FUTURE.is_match(clause) || !names_notes(clause, offset, item, root) {
        return None;
    }
    Some(step("changelog", "update"))
}

/// Whether the clause names a file of release notes the repository has: as a path (a leading
/// `/` is the repository's root), or as the bare name of one at the root (`CHANGELOG`).
fn names_notes(clause: &str, offset: usize, item: &Item, root: &Path) -> bool {
    static NOTES: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(?i)^(?:changelog|changes|news|history|release[-_ ]?notes|whats[-_ ]?new)(?:\.[a-z]+)?$",
        )
    });
    static WORD: LazyLock<Regex> = LazyLock::new(|| regex(r"[A-Za-z0-9_./-]+"));
    // The object, not a remark in brackets or where something comes from ("edit the page
    // (insert the changes from RELEASE-NOTES)").
    let clause = clause
        .split(['(', '['])
        .next()
        .unwrap_or_default()
        .split(" from ")
        .next()
        .unwrap_or_default();
    let end = offset + clause.len();
    let spans = item
        .spans
        .iter()
        .filter(|(at, _)| (offset..end).contains(at))
        .map(|(_, span)| span.clone());
    // A bare word is a file's name when it looks like one: a path, an extension, or capitals
    // (`CHANGELOG`, not the word "changes").
    let words = WORD
        .find_iter(&item.text)
        .map(|found| found.as_str().trim_end_matches('.').to_owned())
        .filter(|word| {
            let named = word.contains(['/', '.']) || !word.chars().any(char::is_lowercase);
            named && clause.contains(&word.to_lowercase())
        });
    spans.chain(words).any(|name| {
        let name = name.trim().trim_start_matches("./").trim_start_matches('/');
        let base = name.rsplit('/').next().unwrap_or(name);
        NOTES.is_match(base) && exists(root, name)
    })
}

/// Whether the repository has the file `name` (no `..`, no link leading out), or, for a bare
/// name, a file so named whatever its case (and its extension, when the name has none) at the
/// root or in `docs/` or `doc/` (`CHANGELOG` → `CHANGELOG.md`, `changelog.md` →
/// `docs/changelog.md`).
fn exists(root: &Path, name: &str) -> bool {
    if super::place::inside_file(root, name).is_some() {
        return true;
    }
    if name.contains('/') {
        return false;
    }
    ["", "docs", "doc"].iter().any(|folder| {
        let Ok(entries) = fs_err::read_dir(root.join(folder)) else {
            return false;
        };
        entries.flatten().any(|entry| {
            let file = entry.file_name().to_string_lossy().into_owned();
            let stem = file.split_once('.').map_or(file.as_str(), |(stem, _)| stem);
            let named = file.eq_ignore_ascii_case(name)
                || !name.contains('.') && stem.eq_ignore_ascii_case(name);
            let path = if folder.is_empty() {
                file.clone()
            } else {
                format!("{folder}/{file}")
            };
            named && super::place::inside_file(root, &path).is_some()
        })
    })
}
