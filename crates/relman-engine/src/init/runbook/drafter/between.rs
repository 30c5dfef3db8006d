//! Prose between code blocks: a paragraph that introduces a block yet asks for steps of its
//! own, a commit message given in the block after "Commit with message:", a linked Actions
//! workflow to start, and the changelog step written after the commands that print its notes.

use super::Drafter;
use crate::init::runbook::actions::Action;
use crate::init::runbook::blocks::{Block, BlockKind};
use crate::init::runbook::commands;
use crate::init::runbook::phrases::{self, Item};
use crate::init::runbook::text;
use crate::init::workflow::{DraftStep, Entry};

use super::prose::{imperative, instructs};

impl Drafter {
    /// Whether prose before a code block asks for typed steps the block does not do ("Bump the
    /// version in `VERSION`." over a paragraph introducing `make generate`; "Wait for CI." before
    /// the next command): it is then an instruction of its own, not the block's introduction.
    /// Prose that restates the block ("Tag the release with:" over `git tag`) stays its intro.
    pub(super) fn intro_asks_more(&self, text: &str, after: &[Block]) -> bool {
        if !(instructs(text) || imperative(text)) {
            return false;
        }
        let item = Item::new(text);
        let typed: Vec<(usize, String)> = phrases::recognise(&item, &self.scope(&item.plain))
            .into_iter()
            .filter_map(|(at, action)| match action {
                Action::Step(step) if !matches!(step.kind(), "run" | "manual") => {
                    Some((at, step.kind().to_owned()))
                }
                _ => None,
            })
            .collect();
        // A line ending in a colon names the block's work in its last clause ("Create the PR:"
        // over a script that does): only what it asks before that clause is its own ("Once the
        // PR merges, get back on master and test:").
        let introduced = match item.plain.trim_end().ends_with(':') {
            true => text::clauses(&item.plain)
                .last()
                .map_or(0, |(start, _)| *start),
            false => usize::MAX,
        };
        if !typed.iter().any(|(at, _)| *at < introduced) {
            return false;
        }
        let Some(lines) = after.iter().find_map(|block| match &block.kind {
            BlockKind::Code { lines } => Some(lines),
            _ => None,
        }) else {
            return true;
        };
        let done: Vec<String> = lines
            .iter()
            .flat_map(|(_, line)| {
                let lower = line.to_lowercase();
                commands::command(line.trim().trim_start_matches("$ "), &self.scope(&lower))
            })
            .filter_map(|action| match action {
                Action::Step(step) => Some(step.kind().to_owned()),
                _ => None,
            })
            .collect();
        !typed.iter().any(|(_, kind)| done.contains(kind))
    }

    /// Moves the changelog step after the commands run since it ("update the changelog", a
    /// script that prints notes, "review them before adding them"): the notes are written
    /// once the commands have run.
    pub(super) fn changelog_after_commands(&mut self) {
        let Some(at) = self
            .current
            .entries
            .iter()
            .position(|entry| matches!(entry, Entry::Step(step) if step.kind() == "changelog"))
        else {
            return;
        };
        let after = super::steps_after(&self.current.entries, at);
        if only_commands(&after) {
            let moved = self.current.entries.remove(at);
            self.current.entries.push(moved);
        }
    }
}

/// A `dispatch` of the GitHub Actions workflow a line links to when it says to run it
/// ("Invoke the [release workflow](https://github.com/o/n/actions/workflows/release.yml)").
pub(super) fn dispatch_of_link(raw: &str, text: &str, repo: Option<&str>) -> Option<DraftStep> {
    static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"https://github\.com/([\w.-]+/[\w.-]+)/actions/workflows/([\w.-]+\.ya?ml)\b",
        )
        .expect("the workflow link expression is valid")
    });
    const RUN: &[&str] = &["invoke", "run", "trigger", "start", "dispatch", "kick"];
    // "Visit the [Release action](…/actions/workflows/release.yml)": the workflow's page is
    // where it is started, unless the line says to look at what ran.
    const GO: &[&str] = &["visit", "open", "go"];
    const LOOK: &[&str] = &[
        "see", "check", "look", "status", "result", "results", "log", "logs",
    ];
    let plain = text::plain(text);
    let words: Vec<&str> = plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let first = words.first().copied().unwrap_or_default();
    let starts = RUN.contains(&first)
        || GO.contains(&first) && !words.iter().any(|word| LOOK.contains(word));
    if !starts || !(plain.contains("workflow") || plain.contains("action")) {
        return None;
    }
    let captures = LINK.captures(raw)?;
    let mut step = DraftStep::new("dispatch", text::literal(&captures[2]));
    if repo != Some(&captures[1]) {
        step.set("repo", text::literal(&captures[1]));
    }
    Some(step)
}

/// Whether `steps` are commands and nothing else (at least one).
pub(super) fn only_commands(steps: &[&DraftStep]) -> bool {
    !steps.is_empty() && steps.iter().all(|step| step.kind() == "run")
}

/// The message of "Commit with (a) message like this:" when the next block holds it alone (one
/// line that is no command), its placeholders as templates.
pub(super) fn commit_message(text: &str, next: Option<&Block>) -> Option<String> {
    let plain = text::plain(text);
    let plain = plain.trim().trim_end_matches(':').trim();
    let asks = (plain.starts_with("commit with") || plain.starts_with("commit the changes with"))
        && plain.contains("message");
    let Some(BlockKind::Code { lines }) = next.map(|block| &block.kind) else {
        return None;
    };
    let lines: Vec<&str> = lines
        .iter()
        .map(|(_, line)| line.trim())
        .filter(|line| !line.is_empty())
        .collect();
    match lines.as_slice() {
        [message] if asks && !commands::looks_like_command(message) => {
            Some(text::versioned(message.trim_matches(['"', '\''])))
        }
        _ => None,
    }
}
