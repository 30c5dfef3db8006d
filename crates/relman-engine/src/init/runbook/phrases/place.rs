//! An edit that prose asks for without saying where it sits: "update the version in
//! `docs/install.md`", "set the date in `CITATION.cff`". `init --from` runs in the project's
//! clone, so the file the line names is opened (inside the repository only: no `..`, no absolute
//! path, no link leading out) and the place is found where the value stands today: the released
//! (or current) version, or an ISO date. Each place becomes an `edit` whose pattern is the text
//! around it on its line, checked as `edit` will use it: it must match once in the file as it is
//! and find that value there. A file that is one of the project's version files is the `bump`'s;
//! a file where no place holds once, or holds too many, leaves the line to the phrases before.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use relman_version::files::{ValuePlace, plan_value, read_text_bounded};

use super::Item;
use super::notes_file::Asks;
use super::patterns::regex;
use crate::init::runbook::actions::{Scope, step};
use crate::init::workflow::DraftStep;

/// What the line asks to write into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Version,
    Date,
}

/// The most places one line may stand for: more is a file of many versions (a history, a table).
const MOST_PLACES: usize = 3;
/// The longest text before the value a pattern takes.
const LONGEST: usize = 80;
/// The whole lines before or after a place a pattern may take.
const CONTEXT_LINES: usize = 3;
/// Files larger than this are no file a person edits one value in.
const LARGEST: u64 = 256 * 1024;

/// The `edit` steps (or the `bump`) for a clause that asks to write the version or the date into
/// a file it names, when every file named holds its places once; `None` otherwise.
pub(super) fn edits(
    clause: &str,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
) -> Option<Vec<DraftStep>> {
    let root = scope.facts.root.as_deref()?;
    if scope.checkout.is_some() {
        return None;
    }
    static NEXT: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(?:next|upcoming|previous|old|minimum|min\.|supported)\b"));
    if NEXT.is_match(clause) {
        return None;
    }
    // One version: "the versions in the headers" are several values (major, minor, patch …), of
    // which a pattern finds one.
    static VERSION: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(?:version|release)\b"));
    static VERSIONS: LazyLock<Regex> = LazyLock::new(|| regex(r"\bversions\b"));
    static DATE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bdate\b"));
    let value = match (VERSION.is_match(clause), DATE.is_match(clause)) {
        // In a release of several packages `{version}` lists them all.
        (true, false) if !VERSIONS.is_match(clause) && !scope.facts.several_packages => {
            Value::Version
        }
        (false, true) => Value::Date,
        _ => return None,
    };
    let files = named_files(clause, offset, item, root);
    if files.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    for file in files {
        if scope.facts.version_files.contains(&file) {
            if value != Value::Version {
                return None;
            }
            steps.push(step("bump", "{args.bump}"));
            continue;
        }
        let text = read_text_bounded(&root.join(&file), LARGEST).ok()?;
        let (found, written) = match value {
            Value::Version => (version_places(&text, &scope.facts.versions)?, "{version}"),
            Value::Date => (date_places(&text)?, "{date}"),
        };
        for ((start, end), pattern) in patterns(root, &file, &text, &found)? {
            let (start, end) = (&start, &end);
            steps.push(
                step("edit", file.clone())
                    .with("pattern", pattern)
                    .with("value", written)
                    .comment(format!(
                        "the place: `{file}` holds `{}` on line {} today",
                        &text[*start..*end],
                        text[..*start].matches('\n').count() + 1
                    )),
            );
        }
    }
    Some(steps)
}

/// What "update the version in FILE" writes when FILE is no version file: the changelog step
/// for release notes (only where the verb `leads` the clause: "file a PR editing `CHANGES.md` to
/// version it" asks for more), else an `edit` for each place; `None` leaves it the `bump`.
pub(super) fn written_version(
    clause: &str,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
    leads: bool,
) -> Option<Vec<DraftStep>> {
    let facts = scope.facts;
    let names_version_file = item
        .spans
        .iter()
        .any(|(_, span)| facts.version_files.iter().any(|file| file == span.trim()));
    if leads && !names_version_file {
        let notes = super::notes_file::changelog(clause, offset, item, scope, Asks::Update);
        if let Some(notes) = notes {
            return Some(vec![notes]);
        }
    }
    edits(clause, offset, item, scope)
}

/// The files of the repository the clause names: code spans and bare words that are paths of
/// regular files inside the work tree.
fn named_files(clause: &str, offset: usize, item: &Item, root: &Path) -> Vec<String> {
    static PATH: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.[A-Za-z0-9]+"));
    let end = offset + clause.len();
    let mut names: Vec<String> = item
        .spans
        .iter()
        .filter(|(at, _)| (offset..end).contains(at))
        .map(|(_, span)| span.trim().trim_start_matches("./").to_owned())
        .collect();
    // A Sphinx or MyST document reference (`` :doc:`/usage/install` ``, `` {doc}`…` ``) names a
    // page of the documentation's source, without its extension.
    static DOC: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?:\{doc\}|:doc:)`(?:[^`<]*<)?/?([A-Za-z0-9_./-]+)>?`"));
    for found in DOC.captures_iter(&item.text) {
        let page = &found[1];
        if !clause.contains(&page.to_lowercase()) {
            continue;
        }
        let source = ["docs/", "doc/", ""].iter().find_map(|folder| {
            [".md", ".rst"]
                .iter()
                .map(|extension| format!("{folder}{page}{extension}"))
                .find(|name| inside_file(root, name).is_some())
        });
        names.extend(source);
    }
    for found in PATH.find_iter(&item.text) {
        let name = found.as_str().trim_start_matches("./");
        if clause.contains(&name.to_lowercase()) && !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    // Release notes are the changelog step's: their versions are history, not a place.
    static NOTES: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?i)(?:^|/)(?:change|news|history|release|whats|what's)[\w.-]*$"));
    let mut files = Vec::new();
    for name in names {
        if NOTES.is_match(&name) {
            continue;
        }
        if inside_file(root, &name).is_some() && !files.contains(&name) {
            files.push(name);
        }
    }
    files
}

/// The file `name` names in the work tree, when it is a regular file inside it (no `..`, no
/// absolute path, no link that leads out).
pub(super) fn inside_file(root: &Path, name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    let plain = !name.is_empty()
        && !name.contains("://")
        && path
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
    if !plain {
        return None;
    }
    let real_root = fs_err::canonicalize(root).ok()?;
    let real = fs_err::canonicalize(root.join(path)).ok()?;
    (real.starts_with(&real_root) && real.is_file()).then_some(real)
}

/// The places line by line, and on a line from its end (or from its start): what an edit
/// changes is only its value, so a pattern may hold the places its line still has unchanged
/// when it runs, and none that an edit before it changed.
fn in_order(text: &str, places: &[(usize, usize)], from_end: bool) -> Vec<(usize, usize)> {
    let mut ordered = places.to_vec();
    ordered.sort_by_key(|(start, _)| {
        let line = text[..*start].matches('\n').count();
        (line, if from_end { usize::MAX - start } else { *start })
    });
    ordered
}

/// A pattern for every place, edited in the order of [`in_order`] (from each line's end, else
/// from its start); `None` when some place has none either way.
fn patterns(
    root: &Path,
    file: &str,
    text: &str,
    places: &[(usize, usize)],
) -> Option<Vec<((usize, usize), String)>> {
    [true, false].into_iter().find_map(|from_end| {
        let order = in_order(text, places, from_end);
        order
            .iter()
            .enumerate()
            .map(|(index, place)| {
                // The places edited before this one bound its pattern: their text has changed.
                let before = &order[..index];
                let low = before
                    .iter()
                    .filter(|other| other.1 <= place.0)
                    .map(|other| other.1)
                    .max()
                    .unwrap_or(0);
                let high = before
                    .iter()
                    .filter(|other| other.0 >= place.1)
                    .map(|other| other.0)
                    .min()
                    .unwrap_or(text.len());
                let pattern = pattern(root, file, text, *place, (low, high))?;
                Some((*place, pattern))
            })
            .collect()
    })
}

/// Where the released version (or else the current one) stands in `text`, as a whole version:
/// not part of a longer one (`1.2.30`, `1.2.3-rc1`, `1.2.3.dev0`).
fn version_places(text: &str, versions: &[String]) -> Option<Vec<(usize, usize)>> {
    versions
        .iter()
        .filter(|version| {
            version.contains('.') && version.starts_with(|c: char| c.is_ascii_digit())
        })
        .map(|version| {
            text.match_indices(version.as_str())
                .map(|(at, found)| (at, at + found.len()))
                .filter(|(start, end)| whole(text, *start, *end))
                .collect::<Vec<_>>()
        })
        .find(|places| !places.is_empty())
        .filter(|places| places.len() <= MOST_PLACES)
}

fn whole(text: &str, start: usize, end: usize) -> bool {
    let before: Vec<char> = text[..start].chars().rev().take(2).collect();
    let ok_before = match before.first() {
        None => true,
        Some(c) if c.is_ascii_digit() || *c == '.' || *c == '_' => false,
        // `v1.2.3` at a word's start.
        Some('v' | 'V') => before.get(1).is_none_or(|c| !c.is_alphanumeric()),
        Some(c) => !c.is_alphanumeric(),
    };
    let mut after = text[end..].chars();
    let ok_after = match (after.next(), after.next()) {
        (None, _) => true,
        (Some(c), _) if c.is_alphanumeric() || c == '_' => false,
        (Some('.' | '-' | '+'), Some(next)) => !next.is_alphanumeric(),
        _ => true,
    };
    ok_before && ok_after
}

/// Where an ISO date (`2024-05-01`) stands in `text`.
fn date_places(text: &str) -> Option<Vec<(usize, usize)>> {
    static ISO: LazyLock<Regex> = LazyLock::new(|| regex(r"\b\d{4}-\d{2}-\d{2}\b"));
    let places: Vec<(usize, usize)> = ISO
        .find_iter(text)
        .filter(|found| whole(text, found.start(), found.end()))
        .map(|found| (found.start(), found.end()))
        .collect();
    (!places.is_empty() && places.len() <= MOST_PLACES).then_some(places)
}

/// The shortest text around the place within `low..high` that `edit` finds once in the file,
/// finding the value there today: on its line first (cut at word boundaries, whole words
/// first), then with up to [`CONTEXT_LINES`] whole lines before or after it (a snippet repeated
/// in a page differs in the lines around it).
fn pattern(
    root: &Path,
    file: &str,
    text: &str,
    (start, end): (usize, usize),
    (low, high): (usize, usize),
) -> Option<String> {
    let old = &text[start..end];
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |at| end + at);
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let line = &text[line_start.max(low)..start];
    let boundary = |at: usize, spaces_only: bool| {
        let here = line[at..].chars().next();
        match (line[..at].chars().next_back(), here) {
            (None, _) => true,
            (Some(previous), Some(here)) if spaces_only => {
                previous.is_whitespace() && !here.is_whitespace()
            }
            // Not inside a number (`1.9.4`): its digits change with an edit before.
            (Some(previous), Some(here)) => {
                let joined = is_word(previous) && is_word(here);
                let in_number =
                    previous.is_ascii_digit() || here.is_ascii_digit() && previous == '.';
                !joined && !in_number
            }
            _ => false,
        }
    };
    let mut prefixes: Vec<&str> = Vec::new();
    for spaces_only in [true, false] {
        for (at, _) in line.char_indices().rev() {
            let prefix = line[at..].trim_start();
            let visible = prefix.chars().filter(|c| !c.is_whitespace()).count();
            if boundary(at, spaces_only)
                && !prefix.is_empty()
                && prefix.len() <= LONGEST
                && (visible >= 3 || at == 0)
                && !prefixes.contains(&prefix)
            {
                prefixes.push(prefix);
            }
        }
    }
    let suffixes = suffixes(&text[end..line_end.min(high)]);
    // On its line first; then with whole lines around it, nearest first.
    let mut candidates: Vec<(&str, &str)> = suffixes
        .iter()
        .flat_map(|suffix| prefixes.iter().map(move |prefix| (*prefix, *suffix)))
        .collect();
    let widest_prefix = prefixes
        .iter()
        .copied()
        .max_by_key(|text| text.len())
        .unwrap_or_default();
    let widest_suffix = suffixes
        .iter()
        .copied()
        .max_by_key(|text| text.len())
        .unwrap_or_default();
    let mut above = line_start;
    let mut below = line_end;
    for _ in 0..CONTEXT_LINES {
        if above > low && above > 0 {
            above = text[..above - 1]
                .rfind('\n')
                .map_or(0, |at| at + 1)
                .max(low);
            candidates.push((&text[above..start], widest_suffix));
        }
        if below < high && below < text.len() {
            below = text[below + 1..]
                .find('\n')
                .map_or(text.len(), |at| below + 1 + at)
                .min(high);
            candidates.push((widest_prefix, &text[end..below]));
        }
    }
    candidates.into_iter().find_map(|(prefix, suffix)| {
        let pattern = format!("{prefix}{{value}}{suffix}");
        let found = plan_value(
            root,
            Path::new(file),
            &ValuePlace::Pattern(pattern.clone()),
            "0.0.0",
        );
        found
            .is_ok_and(|(value, _)| value == old)
            .then_some(pattern)
    })
}

/// The texts after the value that may end it, shortest first: nothing at a space or the line's
/// end (the value is then a token), else up to the next space (`</version>`, `"`,
/// `/file.zip">`), then up to the space after, and so on.
fn suffixes(after: &str) -> Vec<&str> {
    let mut found = Vec::new();
    if after.is_empty() || after.starts_with(char::is_whitespace) {
        found.push("");
    }
    let mut ends: Vec<usize> = after
        .char_indices()
        .filter(|(at, c)| c.is_whitespace() && *at > 0)
        .map(|(at, _)| at)
        .collect();
    ends.push(after.len());
    for end in ends {
        let piece = &after[..end];
        if !piece.trim().is_empty() && piece.len() <= LONGEST / 2 && !found.contains(&piece) {
            found.push(piece);
        }
    }
    found.truncate(4);
    found
}
