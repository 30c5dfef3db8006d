//! Instructions in prose and the typed steps they become: "switch to `master`", "increment the
//! `__version__`", "make a git tag", "create a Pull Request", "draft a new release", "wait for
//! CircleCI checks", "make sure it is on PyPI", "announce on the `releases` Slack channel" …
//!
//! Each recogniser reads one item (a list item or a line of prose) and answers with actions at
//! byte offsets of the item, so that several instructions on one line keep their order. A line
//! nothing recognises becomes a manual step; that is decided by the drafter, not here.

mod clause;
mod intent;
mod notes;
mod notes_file;
mod patterns;
mod place;
mod whole;

use self::patterns::ANNOUNCE_VERB;
use super::actions::{Action, Scope, step};
use super::text::{clauses, literal};
use crate::init::workflow::DraftStep;

/// An item of a runbook, prepared for matching.
#[derive(Debug)]
pub(crate) struct Item {
    /// As a person reads it ([`super::text::clean`]), code spans in backticks.
    pub text: String,
    /// Lower-cased, without backticks: what phrases are matched against.
    pub plain: String,
    /// Code spans, with offsets into `plain`.
    pub spans: Vec<(usize, String)>,
}

impl Item {
    pub fn new(text: &str) -> Item {
        let text = super::text::clean(text);
        // A role the line is addressed to (`[b/r] While you wait …`) is blanked, not cut, so
        // that offsets into the text stay right.
        let mut plain = super::text::plain(&text);
        if let Some(rest) = plain.strip_prefix('[')
            && let Some(close) = rest.find(']')
            && close <= 16
            && !rest[..close].contains(' ')
            && rest[close + 1..].starts_with(' ')
        {
            plain.replace_range(..close + 2, &" ".repeat(close + 2));
        }
        let spans = super::text::code_spans(&text)
            .into_iter()
            .map(|(offset, span)| {
                let ticks = text[..offset].matches('`').count();
                (offset - ticks, span)
            })
            .collect();
        Item { text, plain, spans }
    }
}

/// Whether a line asks to choose the release's version ("Determine the release's version
/// number"): the choice the `bump` argument makes.
pub(crate) fn chooses_version(text: &str) -> bool {
    patterns::CHOOSE_VERSION.is_match(super::text::plain(text).trim())
}

/// The edits an item asks for in the files its sub-items name ("Update the version references
/// in:" over `README.md` and `docs/guide.md`), when every file holds its places once.
pub(crate) fn edits_in_files_below(
    text: &str,
    children: &[&str],
    scope: &Scope<'_>,
) -> Option<Vec<DraftStep>> {
    let item = Item::new(&format!("{text} {}", children.join(" ")));
    let steps = place::edits(&item.plain, 0, &item, scope)?;
    steps
        .iter()
        .all(|step| step.kind() == "edit")
        .then_some(steps)
}

/// A marker for a commit message the drafter fills in: `Release {version}`, or a development
/// message when the commit follows a later `bump`.
pub(crate) const DEFAULT_COMMIT: &str = "\u{0}default commit message";
/// Everything recognised in `item`, in the order the item says it.
pub(crate) fn recognise(item: &Item, scope: &Scope<'_>) -> Vec<(usize, Action)> {
    // Commands in code spans are more precise than the words around them: a phrase that
    // restates a command of the same line ("push a new tag, e.g. `git push origin v1.2.3`")
    // adds nothing.
    let mut commands: Vec<(usize, Action)> = Vec::new();
    for (offset, span) in &item.spans {
        // `git tag v1.2.3; git push origin v1.2.3`: one command after the other.
        for (index, line) in span
            .split("; ")
            .flat_map(|part| part.split(" && "))
            .enumerate()
        {
            let line = line.trim().trim_end_matches(';');
            if super::commands::looks_like_command(line) {
                for action in super::commands::command(line, scope) {
                    commands.push((*offset + index, action));
                }
            }
        }
    }
    let mut phrases: Vec<(usize, Action)> = Vec::new();
    let mut quiet_clauses = Vec::new();
    for (offset, clause) in clauses(&item.plain) {
        let before = phrases.len();
        clause::actions(clause.trim(), offset, item, scope, &mut phrases);
        notes::actions(clause.trim(), offset, item, scope, &mut phrases);
        if phrases.len() == before {
            // No phrase named it: the clause read by its verb and object.
            intent::actions(clause.trim(), offset, item, scope, &mut phrases);
        }
        if phrases.len() == before {
            quiet_clauses.push((offset, clause));
        }
    }
    whole::actions(item, scope, &mut phrases);
    let command_kinds: Vec<String> = commands
        .iter()
        .filter_map(|(_, action)| match action {
            Action::Step(step) => Some(step.kind().to_owned()),
            _ => None,
        })
        .collect();
    phrases.retain(|(_, action)| {
        !matches!(action, Action::Step(step) if command_kinds.iter().any(|kind| kind == step.kind()))
    });
    // A command stands where the words say it ("create a tag and push it: `git tag …; git
    // push …`"): at the phrase of its kind, so the line's order is the words'.
    for (offset, action) in &mut commands {
        if let Action::Step(command) = action
            && let Some((at, _)) = phrases.iter().find(
                |(_, phrase)| matches!(phrase, Action::Step(step) if step.kind() == command.kind()),
            )
        {
            *offset = (*offset).min(*at);
        }
    }
    let mut found = commands;
    found.extend(phrases);
    // Clauses of a line that did something else and still name a task for people.
    if !found.is_empty() {
        for (offset, clause) in quiet_clauses {
            if ANNOUNCE_VERB.is_match(clause.trim()) {
                let text = item_clause(item, offset, clause.len());
                found.push((
                    offset,
                    Action::Step(step("manual", literal(&capitalise(&text)))),
                ));
            }
        }
    }
    found.sort_by_key(|(offset, _)| *offset);
    let mut seen: Vec<DraftStep> = Vec::new();
    found.retain(|(_, action)| match action {
        Action::Step(step) if seen.iter().any(|earlier| earlier.same_as(step)) => false,
        Action::Step(step) => {
            seen.push(step.clone());
            true
        }
        _ => true,
    });
    found
}

/// The original words of a clause, for a manual step.
fn item_clause(item: &Item, offset: usize, length: usize) -> String {
    // `plain` drops backticks and lower-cases; take the same stretch of the cleaned text.
    let mut plain_index = 0;
    let mut start = None;
    let mut end = item.text.len();
    for (index, c) in item.text.char_indices() {
        if c == '`' {
            continue;
        }
        if plain_index == offset && start.is_none() {
            start = Some(index);
        }
        if plain_index == offset + length {
            end = index;
            break;
        }
        plain_index += c.to_lowercase().map(char::len_utf8).sum::<usize>();
    }
    item.text[start.unwrap_or(0)..end].trim().to_owned()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
