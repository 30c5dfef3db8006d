//! Hand-written changelogs: promoting the notes a person collected for the next release to that
//! release, in the file's own style, changing no other byte.
//!
//! Where the notes wait, in the order they are looked for above the newest release:
//!
//! - **an unreleased section**: a heading of its own (`## [Unreleased]`, `# Unreleased Changes`,
//!   `TBD`, `dev`, `Upcoming` …). It stays, emptied, and the release's heading goes below it,
//!   above the notes: the file keeps a place for the next release's notes (as the
//!   `keepachangelog` tool writes it);
//! - **a version's heading marked unreleased** (`## 2.0.0 (unreleased)`): the heading is rewritten
//!   as a release heading;
//! - **a version's section whose first line says so** (`Version 3.2.0` / `Unreleased`, as Pallets
//!   projects keep it): that line becomes the line older releases have there (`Released
//!   2025-05-13`), and the heading names the version released if it named another.
//!
//! The release heading is written like the newest release heading the file has
//! ([`super::heading_style`]). With no unreleased notes, or an empty unreleased section, the
//! release gets a new section with the list of changes the caller gives (from commits). Keep a
//! Changelog link definitions are brought up to date ([`super::link_refs`]). A file that has a
//! released section for the version already is left as it is, so running the step twice
//! changes nothing.

use std::ops::Range;
use std::path::Path;

use crate::date::Date;

use super::dates::find_date;
use super::document::{Document, splice, uses_crlf};
use super::heading_style::{HeadingStyle, markup, raw_heading, replace_tokens};
use super::headings::{Format, lines_with_offsets};
use super::link_refs::{self, NewRelease};

/// The release a hand-written changelog is promoted to.
#[derive(Debug, Clone, Copy)]
pub struct Promotion<'a> {
    pub version: &'a str,
    pub date: Date,
    /// The release's tag (for a compare link whose refs hold no version).
    pub tag: &'a str,
    /// The body of a new section, when the file holds no notes for the release: the list of
    /// changes since the previous release. May be empty.
    pub notes: &'a str,
}

/// How the file was promoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promoted {
    /// It has a released section for the version already: unchanged.
    AlreadyReleased,
    /// The unreleased section's notes went under the release's heading.
    UnreleasedSection,
    /// A version heading marked unreleased became the release's heading.
    MarkedHeading,
    /// The line marking a version's section as unreleased became a release line.
    MarkedLine,
    /// A new section for the release, with the list of changes.
    NewSection,
}

/// The stand-in for the date in a learnt release line.
const DATE: &str = "\u{1}date\u{1}";

/// Where unreleased notes wait.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Waiting {
    Section(usize),
    MarkedHeading(usize),
    /// The heading, and the marker line's range (without its line break).
    MarkedLine(usize, Range<usize>),
}

/// Whether a heading's text (or a link label) names an unreleased section: `Unreleased`,
/// `[Unreleased]`, `Unreleased changes`, `TBD`, `Upcoming`, `dev` …
pub fn is_unreleased_title(title: &str) -> bool {
    let normal = normalize(title);
    const NAMES: &[&str] = &[
        "tbd",
        "tba",
        "upcoming",
        "upcoming changes",
        "upcoming release",
        "next",
        "next release",
        "next version",
        "dev",
        "development",
        "in development",
        "in progress",
        "not released yet",
        "not yet released",
        "pending",
        "head",
        "latest changes",
        "changes since last release",
    ];
    // A branch's name beside the word: cortex's `## master / unreleased`, `main (unreleased)`.
    const BRANCHES: &[&str] = &["master", "main", "develop", "trunk", "head", "unreleased"];
    normal.starts_with("unreleased")
        || NAMES.contains(&normal.as_str())
        || (normal.split(' ').any(|word| word == "unreleased")
            && normal.split(' ').all(|word| BRANCHES.contains(&word)))
}

/// A version heading or a section's first line that says the version is not out yet.
fn marks_unreleased(text: &str) -> bool {
    let normal = normalize(text);
    [
        "unreleased",
        "not released",
        "not yet released",
        "in development",
        "tbd",
        "tba",
        "upcoming",
        "unpublished",
        "release date tbd",
        "to be released",
    ]
    .iter()
    .any(|marker| {
        normal == *marker
            || normal.ends_with(&format!(" {marker}"))
            || normal.contains(&format!(" {marker} "))
    })
}

fn normalize(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if matches!(
                c,
                '[' | ']' | '(' | ')' | '*' | '_' | ':' | '#' | '.' | '!' | '`' | '-' | '/'
            ) {
                ' '
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the changelog at `path` (whose text is `text`) reads as written by hand rather than
/// generated from commits: it has a place where the next release's notes wait, or its newest
/// release is not grouped the way notes from commits are (`### Features`, `### Bug Fixes`,
/// `### Changes` …, and only such groups: git-lfs writes `### Features` beside `### Bugs` and
/// `### Misc`, which no generator does). A file with no release yet is not.
pub fn is_hand_written(path: &Path, text: &str) -> bool {
    let document = Document::for_path(path, text);
    if waiting(&document).is_some() {
        return true;
    }
    let Some(newest) = (0..document.headings().len()).find(|&index| document.is_release(index))
    else {
        return false;
    };
    let body = document.section_at(newest).body;
    let groups: Vec<String> = body
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("### "))
        .map(normalize)
        .collect();
    let generated = !groups.is_empty()
        && groups
            .iter()
            .all(|title| GENERATED_GROUPS.contains(&title.as_str()));
    !generated && !body.trim_start().starts_with(super::markdown::NO_CHANGES)
}

/// The group headings notes from commits have (relman's, git-cliff's, release-please's,
/// conventional-changelog's), normalized.
const GENERATED_GROUPS: &[&str] = &[
    "features",
    "bug fixes",
    "breaking changes",
    "performance",
    "performance improvements",
    "reverts",
    "other",
    "changes",
    "dependencies",
    "miscellaneous chores",
    "⚠ breaking changes",
    "documentation",
    "code refactoring",
    "refactor",
    "tests",
    "build system",
    "continuous integration",
    "styles",
    "chores",
    "security",
];

/// The section where the next release's notes wait, heading included, as the file has it.
pub fn unreleased_section(path: &Path, text: &str) -> Option<String> {
    let document = Document::for_path(path, text);
    let index = match waiting(&document)? {
        Waiting::Section(index) | Waiting::MarkedHeading(index) | Waiting::MarkedLine(index, _) => {
            index
        }
    };
    let section = document.section_at(index);
    Some(text[section.range].trim_end().to_owned())
}

/// Whether the file has a released section for `version` (not one that waits, marked
/// unreleased).
pub fn is_released(path: &Path, text: &str, version: &str) -> bool {
    let document = Document::for_path(path, text);
    let waiting = match waiting(&document) {
        Some(
            Waiting::Section(index) | Waiting::MarkedHeading(index) | Waiting::MarkedLine(index, _),
        ) => Some(index),
        None => None,
    };
    document
        .find_index(version)
        .is_some_and(|index| document.is_release(index) && Some(index) != waiting)
}

/// Whether the file holds notes for the next release: an unreleased section with text under
/// its heading, or a version's section marked unreleased.
pub fn has_unreleased_notes(path: &Path, text: &str) -> bool {
    let document = Document::for_path(path, text);
    match waiting(&document) {
        Some(Waiting::Section(index) | Waiting::MarkedHeading(index)) => {
            !document.section_at(index).body.trim().is_empty()
        }
        Some(Waiting::MarkedLine(index, line)) => {
            let section = document.section_at(index);
            text[line.end..section.range.end].trim() != ""
        }
        None => false,
    }
}

/// Promotes the changelog at `path` (whose text is `text`); see the module documentation.
pub fn promote(path: &Path, text: &str, promotion: &Promotion<'_>) -> (String, Promoted) {
    let document = Document::for_path(path, text);
    let waiting = waiting(&document);
    let waiting_heading = match &waiting {
        Some(
            Waiting::Section(index) | Waiting::MarkedHeading(index) | Waiting::MarkedLine(index, _),
        ) => Some(*index),
        None => None,
    };
    if let Some(index) = document.find_index(promotion.version)
        && document.is_release(index)
        && Some(index) != waiting_heading
    {
        return (text.to_owned(), Promoted::AlreadyReleased);
    }
    let newline = if uses_crlf(text) { "\r\n" } else { "\n" };
    // The newest release other than the waiting one, and the one before it.
    let mut released = (0..document.headings().len())
        .filter(|&index| document.is_release(index) && Some(index) != waiting_heading);
    let newest = released.next();
    let before_newest = released.next();
    let newest_version = newest.and_then(|index| document.version_of(index));
    let before_version = before_newest.and_then(|index| document.version_of(index));
    let format = document.format();
    let style = match newest {
        Some(index) => HeadingStyle::learn(
            &raw_heading(text, &document.headings()[index], format),
            newest_version.unwrap_or_default(),
            before_version,
        ),
        None => {
            let like =
                waiting_heading.map(|index| raw_heading(text, &document.headings()[index], format));
            HeadingStyle::default_for(format, like.as_ref())
        }
    };
    let heading = style.render(promotion.version, newest_version, promotion.date, newline);
    let nested = match (format, newest) {
        (Format::Markdown, Some(index)) => nest_groups(promotion.notes, &document, index),
        _ => promotion.notes.to_owned(),
    };
    let notes = nested.trim_end();
    let (promoted, how) = match waiting {
        Some(Waiting::Section(index)) => (
            under_unreleased(&document, index, &heading, notes, newline),
            Promoted::UnreleasedSection,
        ),
        Some(Waiting::MarkedHeading(index)) => {
            let range = document.headings()[index].range.clone();
            let mut out = String::with_capacity(text.len() + heading.len());
            out.push_str(&text[..range.start]);
            out.push_str(&heading);
            out.push_str(newline);
            out.push_str(&text[range.end..]);
            let out = fill_if_empty(&out, promotion.version, path, notes);
            (out, Promoted::MarkedHeading)
        }
        Some(Waiting::MarkedLine(index, line)) => {
            let released_line = newest
                .and_then(|newest| release_line(&document, newest))
                .unwrap_or_else(|| format!("Released {DATE}"));
            let released_line = match newest.and_then(|newest| {
                let body = document.section_at(newest).body;
                first_line(body)
                    .and_then(find_date)
                    .map(|found| found.format)
            }) {
                Some(format) => released_line.replace(DATE, &format.render(promotion.date)),
                None => released_line.replace(DATE, &promotion.date.to_string()),
            };
            let heading_range = document.headings()[index].range.clone();
            let old_version = document.version_of(index).unwrap_or_default().to_owned();
            let mut out = String::with_capacity(text.len() + 32);
            if old_version == promotion.version {
                out.push_str(&text[..line.start]);
            } else {
                // The section names another version: rename it, underline and all.
                let raw = raw_heading(text, &document.headings()[index], format);
                let title = replace_tokens(raw.title, &old_version, promotion.version);
                out.push_str(&text[..heading_range.start]);
                out.push_str(&markup(raw.syntax, &title, newline));
                out.push_str(newline);
                out.push_str(&text[heading_range.end..line.start]);
            }
            out.push_str(&released_line);
            out.push_str(&text[line.end..]);
            (out, Promoted::MarkedLine)
        }
        None => {
            let mut section = heading.clone();
            if !notes.is_empty() {
                section.push_str(newline);
                section.push_str(newline);
                section.push_str(notes);
            }
            section.push('\n');
            let at = document.insertion_point(None);
            (splice(text, at, &section), Promoted::NewSection)
        }
    };
    let promoted = match (format, style.reference_label(promotion.version)) {
        (Format::Markdown, Some(label)) => link_refs::update(
            &promoted,
            &NewRelease {
                label: &label,
                version: promotion.version,
                newest: newest_version,
                tag: promotion.tag,
            },
            newline,
        ),
        _ => promoted,
    };
    (promoted, how)
}

/// The notes' group headings (`### Features`) at the level the file's newest release gives its
/// own: the first ATX heading within it, else one below the release's (DataFrames.jl's
/// `# DataFrames.jl v1.8.2 Release Notes` has `## Bug fixes`).
fn nest_groups(notes: &str, document: &Document<'_>, newest: usize) -> String {
    let section = document.section_at(newest);
    let within = section.body.lines().find_map(|line| {
        let hashes = line.len() - line.trim_start_matches('#').len();
        (hashes > 0 && line[hashes..].starts_with(' ')).then_some(hashes)
    });
    let level = within.unwrap_or(usize::from(section.level) + 1).clamp(1, 6);
    if level == 3 {
        return notes.to_owned();
    }
    let marker = "#".repeat(level);
    notes
        .split_inclusive('\n')
        .map(|line| match line.strip_prefix("### ") {
            Some(rest) => format!("{marker} {rest}"),
            None => line.to_owned(),
        })
        .collect()
}

/// Where unreleased notes wait, if anywhere (see the module documentation).
fn waiting(document: &Document<'_>) -> Option<Waiting> {
    for (index, heading) in document.headings().iter().enumerate() {
        if document.is_release(index) {
            if marks_unreleased(&heading.text) {
                return Some(Waiting::MarkedHeading(index));
            }
            let section = document.section_at(index);
            let first = first_line(section.body)?;
            if marks_unreleased(first) && first.len() < 40 {
                let start = section.body_range.start
                    + (section.body.len() - section.body.trim_start().len());
                return Some(Waiting::MarkedLine(index, start..start + first.len()));
            }
            return None;
        }
        if is_unreleased_title(&heading.text) {
            return Some(Waiting::Section(index));
        }
    }
    None
}

fn first_line(body: &str) -> Option<&str> {
    let line = body.trim_start().lines().next()?.trim_end();
    (!line.is_empty()).then_some(line)
}

/// The first line of a release's section when it holds the release date (`Released
/// 2025-05-13`), with a stand-in for the date.
fn release_line(document: &Document<'_>, index: usize) -> Option<String> {
    let line = first_line(document.section_at(index).body)?;
    let found = find_date(line)?;
    if line.len() > 60 {
        return None;
    }
    let mut template = line.to_owned();
    template.replace_range(found.range, DATE);
    Some(template)
}

/// The release's heading below the unreleased heading at `index`, above its notes; the notes
/// when the section has none.
fn under_unreleased(
    document: &Document<'_>,
    index: usize,
    heading: &str,
    notes: &str,
    newline: &str,
) -> String {
    let text = document.text();
    let section = document.section_at(index);
    if is_placeholder(section.body) {
        // The placeholder stays where the next release's notes will go; the release gets the
        // list of changes below it.
        let end = section.body_range.end;
        let mut out = String::with_capacity(text.len() + heading.len() + notes.len() + 8);
        out.push_str(&text[..end]);
        out.push_str(newline);
        out.push_str(newline);
        out.push_str(heading);
        out.push_str(newline);
        if !notes.is_empty() {
            out.push_str(newline);
            out.push_str(&with_newlines(notes, newline));
        }
        out.push_str(&text[end..]);
        return out;
    }
    let heading_end = document.headings()[index].range.end;
    // The blank lines after the heading.
    let gap_end = lines_with_offsets(&text[heading_end..])
        .into_iter()
        .find(|(_, line)| !line.trim().is_empty())
        .map_or(text.len(), |(offset, _)| heading_end + offset);
    let empty = section.body.trim().is_empty();
    let gap = &text[heading_end..gap_end];
    let mut out = String::with_capacity(text.len() + heading.len() + notes.len() + 8);
    out.push_str(&text[..heading_end]);
    if !text[..heading_end].ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(if gap.is_empty() { newline } else { gap });
    out.push_str(heading);
    out.push_str(newline);
    if empty {
        let rest = &text[section.range.end.max(gap_end)..];
        if !notes.is_empty() {
            out.push_str(newline);
            out.push_str(&with_newlines(notes, newline));
            out.push_str(newline);
        }
        if !rest.is_empty() {
            out.push_str(newline);
        }
        out.push_str(rest);
    } else {
        out.push_str(gap);
        out.push_str(&text[gap_end..]);
    }
    out
}

/// Whether an unreleased section holds only a placeholder for notes not written yet (`- \[Short
/// description of non-trivial change.\]`, `Release notes have not yet been written.`).
fn is_placeholder(body: &str) -> bool {
    let mut lines = body
        .lines()
        .map(|line| {
            line.trim()
                .trim_start_matches(['-', '*', '+'])
                .trim()
                .replace('\\', "")
        })
        .filter(|line| !line.is_empty())
        .peekable();
    lines.peek().is_some()
        && lines.all(|line| {
            let lower = line.to_ascii_lowercase();
            (line.starts_with('[') && line.ends_with(']'))
                || lower.contains("not yet been written")
                || lower.contains("have not been written")
                || lower.contains("nothing yet")
                || lower.contains("no changes yet")
                || ["tbd", "todo", "tba", "..."].contains(&lower.trim_end_matches('.'))
        })
}

/// `text` with `notes` under the heading of `version` when its section is empty.
fn fill_if_empty(text: &str, version: &str, path: &Path, notes: &str) -> String {
    let document = Document::for_path(path, text);
    let Some(index) = document.find_index(version) else {
        return text.to_owned();
    };
    if !document.section_at(index).body.trim().is_empty() || notes.is_empty() {
        return text.to_owned();
    }
    let newline = if uses_crlf(text) { "\r\n" } else { "\n" };
    let heading_end = document.headings()[index].range.end;
    let rest = text[heading_end..].trim_start_matches(['\n', '\r']);
    let mut out = String::with_capacity(text.len() + notes.len() + 4);
    out.push_str(&text[..heading_end]);
    if !text[..heading_end].ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(newline);
    out.push_str(&with_newlines(notes, newline));
    out.push_str(newline);
    if !rest.is_empty() {
        out.push_str(newline);
    }
    out.push_str(rest);
    out
}

/// `text` (with `\n` line breaks) with `newline` line breaks.
fn with_newlines(text: &str, newline: &str) -> String {
    if newline == "\n" {
        text.to_owned()
    } else {
        text.replace("\r\n", "\n").replace('\n', newline)
    }
}

#[cfg(test)]
mod tests;
