//! What a line's actions do to the workflow being drafted: a step is added (or joins the one of
//! its kind the workflow has: one changelog update, one release of each kind), an option is set
//! on an earlier step, a note says what relman already does; a line that asks nothing relman can
//! do falls back to a manual step.

use super::between::only_commands;
use super::{Drafter, steps_after};
use crate::init::runbook::ChangelogHint;
use crate::init::runbook::actions::{Action, Hint};
use crate::init::workflow::{DraftStep, Entry};

impl Drafter {
    /// Applies what a line asks for; `false` when nothing took effect (an option for a step
    /// that is not there), so the caller falls back to a manual step.
    pub(super) fn apply(
        &mut self,
        line: usize,
        quote: &str,
        actions: Vec<Action>,
        intro: &[String],
    ) -> bool {
        let mut applied = false;
        let mut cited = false;
        let mut covered: Vec<String> = Vec::new();
        for action in actions {
            match action {
                Action::Step(step) => {
                    let mut step = self.resolve(step, quote);
                    let citation = if cited {
                        format!("{}:{line} (same line)", self.source)
                    } else {
                        self.cite(line, quote)
                    };
                    cited = true;
                    // What introduced the code block goes above its first step only.
                    let mut comments: Vec<String> =
                        if applied { Vec::new() } else { intro.to_vec() };
                    comments.push(citation);
                    comments.append(&mut step.comments);
                    step.comments = comments;
                    self.push(step);
                    applied = true;
                }
                Action::Amend {
                    kind,
                    value,
                    set,
                    what,
                } => {
                    let citation = if cited {
                        format!("{}:{line} (same line) → {what}", self.source)
                    } else {
                        format!("{}\n→ {what}", self.cite(line, quote))
                    };
                    if kind == "changelog" {
                        self.changelog_after_commands();
                    }
                    let target = self.current.steps_mut().rev().find(|step| {
                        step.kind() == kind
                            && value.is_none_or(|value| step.kind_value() == Some(value))
                    });
                    if let Some(target) = target {
                        for (key, value) in set {
                            target.set(key, value);
                        }
                        target.comments.push(citation);
                        applied = true;
                        cited = true;
                    }
                }
                Action::Covered(reason) => {
                    if !covered.contains(&reason) {
                        let note = format!("{}\n→ {reason}", self.cite(line, quote));
                        self.current.note(note);
                        covered.push(reason);
                    }
                    applied = true;
                }
                Action::Checkout(_) => applied = true,
                Action::Hint(Hint::TagFormat(format)) => {
                    if self.facts.tag_format.is_none() {
                        self.facts.tag_format = Some(format.clone());
                    }
                    self.tag_format.get_or_insert(format);
                }
                Action::Hint(Hint::Changelog {
                    tool,
                    fragments,
                    folder,
                }) => {
                    self.changelog.get_or_insert(ChangelogHint {
                        tool,
                        fragments,
                        folder,
                    });
                }
            }
        }
        applied
    }

    pub(super) fn push(&mut self, mut step: DraftStep) {
        if step.kind() == "bump" && !self.version_choice.is_empty() {
            let mut comments = std::mem::take(&mut self.version_choice);
            comments.append(&mut step.comments);
            step.comments = comments;
        }
        // A workflow updates its changelog once, and has one release of each kind: a later
        // line about them ("add a heading with the version", "edit the notes") adds to it.
        if matches!(step.kind(), "changelog" | "release")
            && let Some(at) = self.current.entries.iter().position(|entry| {
                matches!(entry, Entry::Step(earlier)
                    if earlier.kind() == step.kind() && earlier.kind_value() == step.kind_value())
            })
        {
            // Only commands ran since ("update the changelog", then a script that prints notes,
            // then "review them before adding them"): the notes are written after the commands.
            let after = steps_after(&self.current.entries, at);
            let at = if step.kind() == "changelog" && only_commands(&after) {
                let moved = self.current.entries.remove(at);
                self.current.entries.push(moved);
                self.current.entries.len() - 1
            } else {
                at
            };
            let Some(Entry::Step(earlier)) = self.current.entries.get_mut(at) else {
                return;
            };
            // Notes the earlier step writes are not kept from the release as it was
            // (`gh release edit --draft=false` after `gh release create --notes-file`).
            let has_notes = earlier.fields.iter().any(|(key, _)| key == "notes");
            for (key, value) in &step.fields {
                if key != step.kind() && !(key == "keep-notes" && has_notes) {
                    earlier.set(key, value.clone());
                }
            }
            earlier.comments.extend(step.comments);
            return;
        }
        // The same step twice in a row (a line restating the one before) is drafted once.
        if let Some(Entry::Step(last)) = self
            .current
            .entries
            .iter_mut()
            .rev()
            .find(|entry| matches!(entry, Entry::Step(_)))
            && last.same_as(&step)
        {
            last.comments.extend(step.comments);
            return;
        }
        self.current.push(step);
    }

    /// Applies an item's actions, each cited on the line it sits on: an item whose lines are
    /// joined by `<br>` ("Merge it:<br> `git checkout main`<br> `git push`") holds a command a
    /// line, and the runbook's reader finds each on its own line.
    pub(super) fn apply_by_line(
        &mut self,
        line: usize,
        text: &str,
        plain: &str,
        actions: Vec<(usize, Action)>,
    ) -> bool {
        let line_of = |at: usize| {
            plain
                .get(..at)
                .map_or(0, |before| before.matches("<br>").count())
        };
        // The first thing the item asks for is the item's, wherever its line breaks.
        let first = actions.first().map_or(0, |(at, _)| line_of(*at));
        let mut groups: Vec<(usize, Vec<Action>)> = Vec::new();
        for (at, action) in actions {
            let offset = Some(line_of(at))
                .filter(|offset| *offset > first)
                .unwrap_or(0);
            match groups.last_mut() {
                Some((last, group)) if offset <= *last => group.push(action),
                _ => groups.push((offset, vec![action])),
            }
        }
        let mut applied = false;
        for (offset, group) in groups {
            let quote = match offset {
                0 => text.to_owned(),
                _ => text
                    .split("<br>")
                    .nth(offset)
                    .unwrap_or(text)
                    .trim()
                    .to_owned(),
            };
            applied |= self.apply(line + offset, &quote, group, &[]);
        }
        applied
    }
}
