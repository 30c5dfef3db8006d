//! What a line of prose is: a heading for another kind of release, a definition, an
//! explanation, a line that is never a task, or an instruction (it starts with a verb).

use std::sync::LazyLock;

use regex::Regex;

use super::words::*;
use crate::init::runbook::{commands, text};

/// Headings and lines that start another kind of release (`patch releases`).
pub(super) static RELEASE_KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(patch|hotfix|bug ?fix|point|pre[- ]?|final|minor|major|maintenance)[- ]?releases?$",
    )
    .expect("the release kind expression is valid")
});

/// Headings of a section of one-time setup ("One-time setup"): what a maintainer does once,
/// before any release, not a step of each.
pub(super) static SETUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:one[- ]time (?:setup|set-up|preparations?)|first[- ]time setup|before (?:your|the) first release)$",
    )
    .expect("the setup expression is valid")
});

/// Headings of a section of either one-time setup or a release's preconditions: its first line
/// tells which.
pub(super) static PREREQUISITES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:pre-?requisites?|requirements)$")
        .expect("the prerequisites expression is valid")
});

/// A term being defined ("`upstream`: the official repository"), not a task.
pub(super) static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^`[^`]+`\s*(?::|—|–| - )\s").expect("the definition expression is valid")
});

/// A table-of-contents entry: a link to an anchor of the same page.
pub(super) static TOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[[^\]]*\]\(#[^)]*\)$").expect("the toc expression is valid"));

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

/// A person named with a handle (`Ada Lovelace @ada`, `Grace Hopper (@grace)`): a list of
/// who does the release, no task.
static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){1,3},? \(?@[\w-]+\)?$")
        .expect("the person expression is valid")
});

/// A file's path alone (`include/demo/version.h`, `` `package.json` ``): a place a line before
/// names, no task.
fn is_path(text: &str) -> bool {
    let path = text.trim().trim_matches('`');
    !path.is_empty()
        && !path.contains(char::is_whitespace)
        && !path.contains("://")
        // `./scripts/release.sh` alone is a command to run.
        && !commands::looks_like_command(path)
        && (path.contains('/')
            || path.rsplit_once('.').is_some_and(|(stem, extension)| {
                !stem.is_empty()
                    && (1..=5).contains(&extension.len())
                    && extension.chars().all(|c| c.is_ascii_alphanumeric())
                    && extension.chars().any(|c| c.is_ascii_alphabetic())
            }))
}

/// Lines that are never a person's task: a table row, a quotation, a link definition, a
/// kramdown attribute list, a rule, a question, a date, a person with a handle, a file's path
/// alone or a heading written as text, and,
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
        || PERSON.is_match(text)
        || is_path(text)
        || (!in_list
            && text.chars().next().is_some_and(char::is_lowercase)
            && text.split_whitespace().count() < 6
            && !imperative(text)
            && !commands::looks_like_command(&text.replace('`', "")))
}

/// Whether a line of prose starts with an instruction's verb.
pub(super) fn imperative(text: &str) -> bool {
    let plain = text::plain(text);
    let first = plain
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| !word.is_empty())
        .unwrap_or_default();
    IMPERATIVE.contains(&first)
}

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

/// The words of a line of prose, lower-cased: letters, digits, `-` and `'` kept.
fn words(plain: &str) -> Vec<&str> {
    plain
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == ':'))
        .filter(|word| !word.is_empty())
        .collect()
}

/// Whether `plain` (lower-cased) starts with a verb that tells someone to act, rather than with
/// a noun the rest describes.
fn starts_with_task(plain: &str) -> bool {
    let mut all = words(plain);
    while all
        .first()
        .is_some_and(|word| LEAD_INS.contains(word) || word.trim_end_matches(':') == "optional")
    {
        all.remove(0);
    }
    let Some(first) = all.first().map(|word| word.trim_end_matches(':')) else {
        return false;
    };
    if !(IMPERATIVE.contains(&first) || TASK_VERBS.contains(&first)) {
        return false;
    }
    if all.get(1).is_some_and(|second| COMPOUND.contains(second)) {
        return false;
    }
    let clause = plain.split([',', ';', '(', '.']).next().unwrap_or_default();
    CLAUSE_VERBS.contains(&first)
        || !words(clause)
            .iter()
            .skip(1)
            .take(4)
            .any(|word| DESCRIBING.contains(word))
}

/// Whether a line tells someone to do something: it starts with a task's verb (after a lead-in
/// like "Optional:" or a circumstance like "Once CI passes,"), or says "you should", "make
/// sure", "please". Descriptions of what happens, policies and schedules ("Release candidates
/// ship on Saturdays", "CI will push the tag", "3 months later.") do not.
pub(super) fn instructs(text: &str) -> bool {
    let plain = text::plain(text);
    let plain = without_role(plain.trim());
    if CHEERS.iter().any(|cheer| plain.contains(cheer)) {
        return false;
    }
    let telling =
        TELLING.iter().any(|phrase| plain.contains(phrase)) && !plain.contains("please see");
    if telling || starts_with_task(plain) {
        return true;
    }
    // "It's good practice to watch the builds": advice is an instruction.
    if let Some(rest) = ADVICE.iter().find_map(|advice| plain.strip_prefix(advice))
        && starts_with_task(rest.strip_prefix("go and ").unwrap_or(rest))
    {
        return true;
    }
    let first = words(plain).first().copied().unwrap_or_default();
    if CIRCUMSTANCE.contains(&first) || plain.starts_with("in case") {
        // The instruction after the circumstance: "If it fails, rerun the job".
        if plain
            .match_indices([',', ':'])
            .any(|(at, _)| starts_with_task(plain[at + 1..].trim()))
        {
            return true;
        }
        // "After CI is green make a git tag", "if it moved on then fix it here".
        let all = words(plain);
        return (2..all.len()).any(|index| {
            !DETERMINERS.contains(&all[index - 1])
                && plain
                    .find(&format!(" {} ", all[index]))
                    .is_some_and(|at| starts_with_task(&plain[at + 1..]))
        });
    }
    false
}

/// A line without the role it is addressed to (`[b/r] Tag the release`, `[maintainer] …`): a
/// short word in brackets before the instruction.
fn without_role(plain: &str) -> &str {
    if let Some(rest) = plain.strip_prefix('[')
        && let Some(close) = rest.find(']')
        && close <= 16
        && !rest[..close].contains(' ')
        && rest[close + 1..].starts_with(' ')
    {
        return rest[close + 1..].trim_start();
    }
    plain
}

/// Whether a list item describes rather than asks: it starts like an explanation ("This
/// triggers …") or with a noun the rest describes ("Release candidate one ships …", "Pull
/// requests must have a label"), and speaks to no one.
pub(super) fn item_describes(text: &str) -> bool {
    let plain = text::plain(text);
    let plain = without_role(plain.trim());
    if instructs(plain) {
        return false;
    }
    let all = words(plain);
    let first = all.first().copied().unwrap_or_default();
    EXPLAINING.contains(&first)
        || CIRCUMSTANCE.contains(&first)
        || CHEERS.iter().any(|cheer| plain.contains(cheer))
        || all
            .iter()
            .skip(1)
            .take(4)
            .any(|word| DESCRIBING.contains(word) && !STATES.contains(word))
}

/// Whether prose tells what automation does ("CI will push the tag", "this automatically
/// starts a build"): never a step, whatever it names.
pub(super) fn automation(text: &str) -> bool {
    let plain = text::plain(text);
    !plain.contains("you")
        && (plain.contains("automatically") || plain.contains(" will "))
        && !instructs(&plain)
        || CHEERS.iter().any(|cheer| plain.contains(cheer))
}

/// Whether a line states a requirement ("the tag must be signed", "CI needs to pass"): a step
/// when a recogniser reads one in it, else a comment.
pub(super) fn requires(text: &str) -> bool {
    let plain = text::plain(text);
    let all = words(&plain);
    // A state to reach: "API docs are generated", "the milestone is closed" (not "… are
    // managed by a bot").
    let state = !plain.contains(" by ")
        && all
            .windows(2)
            .any(|pair| matches!(pair[0], "is" | "are") && pair[1].ends_with("ed"));
    state
        || [
            " must ",
            " should ",
            " need to ",
            " needs to ",
            " has to ",
            " have to ",
            " required",
        ]
        .iter()
        .any(|word| plain.contains(word))
}

/// Verbs that tell what something is or holds ("This includes:", "A release results in:",
/// "The commands assume the following remotes:").
const STATING: &[&str] = &[
    "is", "are", "was", "were", "include", "includes", "involve", "involves", "results", "result",
    "assume", "assumes", "aim", "aims", "follow", "follows", "expect", "consists", "contains",
    "covers", "means", "produces", "creates",
];

/// Whether a line of prose ending in a colon introduces a list that describes (what a release
/// results in, what something includes, the conventions followed) rather than one of tasks: its
/// last sentence starts like an explanation ("This", "The", "A", "We", "Each"), states with a
/// verb of being or holding, and neither instructs nor requires nor speaks to the reader. A
/// list of steps ("There are two steps:"), a time ("On the day of the release:") or a need
/// ("These files will need editing:") introduces tasks.
pub(super) fn describes_a_list(text: &str) -> bool {
    let plain = text::plain(text);
    let plain = plain.trim_end();
    let Some(body) = plain.strip_suffix(':') else {
        return false;
    };
    let sentence = body
        .rsplit(". ")
        .next()
        .unwrap_or(body)
        .trim()
        .trim_start_matches(['*', '_']);
    let all = words(sentence);
    let first = all.first().copied().unwrap_or_default();
    EXPLAINING.contains(&first)
        && !CIRCUMSTANCE.contains(&first)
        && all.iter().any(|word| STATING.contains(word))
        && !all.iter().any(|word| {
            word.starts_with("step")
                || word.starts_with("need")
                || matches!(*word, "you" | "your" | "should" | "must" | "please")
        })
        && !instructs(sentence)
        && !requires(sentence)
}

/// Whether a line of prose introduces a list of what happens ("Doing so will:", "The
/// automation will decide the version based on the following criteria:") or of a format
/// ("Entries are meant to be in this order:"), not of tasks.
pub(super) fn effects_follow(text: &str) -> bool {
    let plain = text::plain(text);
    let plain = plain.trim_end();
    plain.ends_with("will:")
        // "The release manager is responsible for:": duties, not this release's tasks.
        || plain.ends_with("responsible for:")
        // "These files will need editing:" is a need, its list the tasks.
        || (plain.ends_with(':')
            && plain.contains(" will ")
            && !plain.contains("you")
            && !plain.contains(" will need"))
        // "Entries are meant to be in this order:": a format, its list no tasks.
        || (plain.ends_with(':')
            && ["are meant to be", "in this order", "in the following order"]
                .iter()
                .any(|words| plain.contains(words)))
        || describes_a_list(text)
}

/// Whether a line of prose only introduces an example ("Example:", "For example,", "Example
/// command to list the images:"): what follows shows a command the runbook asked for already.
/// A sentence that goes on after the lead ("For example, version 2.1.3 is tagged `v2.1.3`:")
/// may be the only place the runbook gives the commands, so it still introduces them.
pub(super) fn introduces_example(text: &str) -> bool {
    let plain = text::plain(text);
    let plain = plain.trim().trim_end_matches([':', ',', '.', ' ']);
    matches!(
        plain,
        "example" | "examples" | "for example" | "for instance" | "e.g"
    ) || plain.starts_with("example command")
}
