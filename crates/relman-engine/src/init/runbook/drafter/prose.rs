//! What a line of prose is: a heading for another kind of release, a definition, an
//! explanation, a line that is never a task, or an instruction (it starts with a verb).

use std::sync::LazyLock;

use regex::Regex;

use crate::init::runbook::{commands, text};

/// Headings and lines that start another kind of release (`patch releases`).
pub(super) static RELEASE_KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(patch|hotfix|bug ?fix|point|pre[- ]?|final|minor|major|maintenance)[- ]?releases?$",
    )
    .expect("the release kind expression is valid")
});

/// A term being defined ("`upstream`: the official repository"), not a task.
pub(super) static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^`[^`]+`\s*(?::|—|–| - )\s").expect("the definition expression is valid")
});

/// A table-of-contents entry: a link to an anchor of the same page.
pub(super) static TOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[[^\]]*\]\(#[^)]*\)$").expect("the toc expression is valid"));

/// First words of prose that explains rather than instructs.
pub(super) const EXPLAINING: &[&str] = &[
    "the",
    "this",
    "these",
    "those",
    "that",
    "it",
    "it's",
    "its",
    "there",
    "each",
    "every",
    "ultimately",
    "at",
    "here",
    "we",
    "our",
    "they",
    "a",
    "an",
    "note",
    "no",
    "finally",
];

pub(super) fn slug(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::new();
    for c in lower.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    match out.as_str() {
        "pre" => "pre-release".to_owned(),
        "bug-fix" | "bugfix" => "bugfix".to_owned(),
        _ => out,
    }
}

/// Whether a line of prose explains rather than instructs.
pub(super) fn explains(text: &str) -> bool {
    let plain = text::plain(text);
    let first = plain
        .split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or_default();
    EXPLAINING.contains(&first)
        || [" can ", " could ", " may ", " might "]
            .iter()
            .any(|modal| plain.contains(modal))
}

/// A date on a line of its own (a schedule): "December 23, 2026", "2026-12-23".
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})\.?$")
        .expect("the date expression is valid")
});

/// A Markdown link definition (`[release page]: https://…`), not a task.
static LINK_DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[[^\]]+\]:(?:\s|$)").expect("the link definition expression is valid")
});

/// Lines that are never a person's task: a table row, a quotation, a link definition, a
/// kramdown attribute list, a rule, a question, a date or a heading written as text, and,
/// outside a list, a fragment that continues the line before (a few words starting in lower
/// case, no command: "on GitHub Actions.").
pub(super) fn not_a_task(text: &str, raw: &str, in_list: bool) -> bool {
    let raw = raw.trim();
    let text = text.trim();
    raw.starts_with('|')
        || raw.starts_with('>')
        || LINK_DEFINITION.is_match(raw)
        || (raw.starts_with("{:") && raw.ends_with('}'))
        || raw == "---"
        || (raw.starts_with('#') && !raw.starts_with("#."))
        || text.ends_with('?')
        || DATE.is_match(text)
        || (!in_list
            && text.chars().next().is_some_and(char::is_lowercase)
            && text.split_whitespace().count() < 6
            && !imperative(text)
            && !commands::looks_like_command(&text.replace('`', "")))
}

/// Verbs a runbook's instructions start with.
const IMPERATIVE: &[&str] = &[
    "upload",
    "download",
    "run",
    "create",
    "update",
    "send",
    "announce",
    "publish",
    "notify",
    "post",
    "close",
    "merge",
    "push",
    "tag",
    "build",
    "wait",
    "open",
    "make",
    "bump",
    "set",
    "edit",
    "add",
    "remove",
    "delete",
    "copy",
    "move",
    "review",
    "check",
    "verify",
    "ensure",
    "confirm",
    "trigger",
    "approve",
    "submit",
    "file",
    "write",
    "commit",
    "sign",
    "deploy",
    "release",
    "draft",
    "tweet",
    "email",
    "mail",
    "go",
    "click",
    "select",
    "paste",
    "install",
    "test",
    "generate",
    "regenerate",
    "prepare",
    "cut",
    "clone",
    "fetch",
    "pull",
    "switch",
    "increment",
    "change",
    "rebuild",
    "upgrade",
    "label",
    "milestone",
    "archive",
    "sync",
];

/// Whether a line of prose starts with an instruction's verb.
pub(super) fn imperative(text: &str) -> bool {
    let plain = text::plain(text);
    let first = plain
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| !word.is_empty())
        .unwrap_or_default();
    IMPERATIVE.contains(&first)
}

/// Words of prose that never stand in a command line written without backticks: "make sure
/// it builds" and "go to the page" are sentences, `make tidy` and `go mod tidy` are commands.
const PROSE_WORDS: &[&str] = &[
    "sure", "the", "a", "an", "to", "that", "is", "are", "and", "of", "for", "with", "your", "you",
    "it", "this", "back", "into", "if", "when", "then", "on", "all", "any", "new",
];

/// A list item that is a command written as text (`- git pull # important`,
/// `- git status - make sure everything is checked in`): the command, and the remark after it
/// (`# …`, ` - …`) when there is one. `None` for prose, for an item with code spans (those are
/// read as spans), and for a sentence (it ends with a full stop).
pub(super) fn bare_command(text: &str) -> Option<(String, Option<String>)> {
    let text = text.trim();
    if text.contains('`') {
        return None;
    }
    let (command, remark) = match [" # ", " - "]
        .iter()
        .filter_map(|mark| text.find(mark).map(|at| (at, mark.len())))
        .min()
    {
        Some((at, length)) => (text[..at].trim(), Some(text[at + length..].trim())),
        None => (text, None),
    };
    if !commands::looks_like_command(command) || command.ends_with('.') {
        return None;
    }
    let words = commands::split(command);
    let prose = words
        .iter()
        .skip(1)
        .any(|word| !word.contains(' ') && PROSE_WORDS.contains(&word.to_lowercase().as_str()));
    if prose || words.len() < 2 && command != "make" {
        return None;
    }
    let remark = remark
        .map(|remark| remark.trim_start_matches(['#', '\\', ' ']).to_owned())
        .filter(|remark| !remark.is_empty());
    Some((command.to_owned(), remark))
}
