//! The drafter: walks a runbook's blocks in order, reads each for actions, and assembles the
//! workflows, keeping what later lines refer to (the branch created, the pull request opened,
//! the other checkout the steps act in). Code blocks are read in `code`, prose that sits between
//! them in `between`, what a line's actions do to the workflow in `apply`, the finished
//! workflows settled in `settle`, and what a line of prose is (a task, an explanation) told in
//! `prose`, from the word lists in `words`.

mod apply;
mod between;
mod code;
mod diff;
mod prose;
mod resolve;
mod settle;
mod words;

use super::actions::{Action, Checkout, Scope};
use super::blocks::{Block, BlockKind};
use super::layout::Layout;
use super::phrases::{self, Item};
use super::{ChangelogHint, Draft, ProjectFacts, commands, text};
use crate::init::workflow::{DraftStep, DraftWorkflow, Entry};
use between::{commit_message, dispatch_of_link};
use prose::{
    DEFINITION, PREREQUISITES, RELEASE_KIND, SETUP, TOC, automation, bare_command, effects_follow,
    explains, imperative, instructs, introduces_example, item_describes, not_a_task, requires,
    slug,
};
use settle::{fold_descriptions, fragment_folder, tidy};

/// Kinds that act in the local checkout: what follows them is no longer the start of the
/// release (a `git checkout` there is a switch, not a check).
const LOCAL_CHANGES: &[&str] = &[
    "bump",
    "edit",
    "changelog",
    "run",
    "commit",
    "tag",
    "branch",
    "switch",
    "merge",
    "cherry-pick",
    "checksums",
];

/// Kinds that take `dir` (act in another checkout).
const IN_CHECKOUT: &[&str] = &[
    "changelog",
    "edit",
    "checksums",
    "run",
    "commit",
    "tag",
    "push",
    "branch",
    "switch",
    "merge",
    "cherry-pick",
];

pub(super) struct Drafter {
    source: String,
    facts: ProjectFacts,
    workflows: Vec<DraftWorkflow>,
    current: DraftWorkflow,
    title: Option<String>,
    /// The other checkout the steps act in, and the list depth it was set at.
    checkout: Option<(Checkout, usize)>,
    /// The branch created in the other checkout.
    checkout_branch: Option<String>,
    /// Pull requests drafted so far: id and repository.
    pull_requests: Vec<(String, Option<String>)>,
    tag_format: Option<String>,
    changelog: Option<ChangelogHint>,
    /// Comments of prose that introduces the next code block.
    intro: Vec<String>,
    /// Whether the list being read follows "Doing so will:": it tells what happens, no tasks.
    effects: bool,
    /// Whether that list is numbered, once its first item is read.
    effects_list: Option<bool>,
    /// Citations of lines that choose the version, for the `bump` step when it comes.
    version_choice: Vec<String>,
    /// The level of the heading of a section of one-time setup ("One-time setup"), while the
    /// blocks read are in it: notes, not steps of each release.
    setup: Option<u8>,
    /// The level of a "Prerequisites" heading whose first line is still to be read: the section
    /// is one-time setup when that line says so ("These are one-time operations", "install
    /// …"), else a release's preconditions ("Confirm that the version has been changed").
    maybe_setup: Option<u8>,
}

impl Drafter {
    pub(super) fn new(source: &str, facts: ProjectFacts) -> Drafter {
        Drafter {
            source: source.to_owned(),
            facts,
            workflows: Vec::new(),
            current: DraftWorkflow::new("release"),
            title: None,
            checkout: None,
            checkout_branch: None,
            pull_requests: Vec::new(),
            tag_format: None,
            changelog: None,
            intro: Vec::new(),
            effects: false,
            effects_list: None,
            version_choice: Vec::new(),
            setup: None,
            maybe_setup: None,
        }
    }

    fn cite(&self, line: usize, quote: &str) -> String {
        format!("{}:{line}: {quote}", self.source)
    }

    pub(super) fn read(&mut self, blocks: &[Block]) {
        let layout = Layout::of(blocks);
        let mut consumed = vec![false; blocks.len()];
        for (index, block) in blocks.iter().enumerate() {
            if consumed[index] {
                continue;
            }
            if let Some((_, depth)) = &self.checkout {
                let inside = block.list().is_some_and(|mark| mark.depth >= *depth);
                if !inside {
                    self.checkout = None;
                    self.checkout_branch = None;
                }
            }
            if let BlockKind::Heading { level, text } = &block.kind {
                if self.setup.is_some_and(|setup| *level <= setup) {
                    self.setup = None;
                }
                self.maybe_setup = None;
                let heading = text::clean(text);
                if SETUP.is_match(heading.trim()) {
                    self.setup = Some(*level);
                } else if PREREQUISITES.is_match(heading.trim()) {
                    self.maybe_setup = Some(*level);
                }
            } else if let Some(level) = self.maybe_setup.take()
                && block.text().is_some_and(says_setup)
            {
                self.setup = Some(level);
            }
            if self.setup.is_some() && !matches!(block.kind, BlockKind::Heading { .. }) {
                self.setup_note(block);
                continue;
            }
            match &block.kind {
                BlockKind::Heading { level, text } => {
                    self.effects = false;
                    let text = text::clean(text);
                    self.heading(*level, &text);
                    self.heading_task(block.line, *level, &text);
                }
                BlockKind::Note { text } => {
                    let note = self.cite(block.line, &format!("(note) {}", text::clean(text)));
                    self.current.note(note);
                }
                BlockKind::Code { lines } => {
                    self.effects = false;
                    self.code(lines);
                }
                BlockKind::Diff { note, lines } => {
                    if !self.diff(lines) {
                        let note = self.cite(block.line, &format!("(note) {note}"));
                        self.current.note(note);
                    }
                }
                BlockKind::Text { text: raw, list } => {
                    let text = text::clean(raw);
                    // A list of the other kind (numbered after bullets) is the next list.
                    if let Some(mark) = list
                        && self.effects
                    {
                        let ordered = *self.effects_list.get_or_insert(mark.ordered);
                        if ordered != mark.ordered {
                            self.effects = false;
                        }
                    }
                    if list.is_none() {
                        self.effects = effects_follow(&text);
                        self.effects_list = None;
                    } else if self.effects {
                        let note = self.cite(block.line, &text);
                        self.current.note(note);
                        continue;
                    }
                    if TOC.is_match(raw.trim()) {
                        continue;
                    }
                    if layout.group_heading[index]
                        || (list.is_none() && RELEASE_KIND.is_match(&text))
                    {
                        self.heading(7, &text);
                        continue;
                    }
                    // "Example:", "For example," over a block: the commands show, no step runs them.
                    if layout.intro[index]
                        && introduces_example(&text)
                        && let Some(BlockKind::Code { lines }) =
                            blocks.get(index + 1).map(|b| &b.kind)
                    {
                        self.flush_intro();
                        let note = self.cite(block.line, &text);
                        self.current.note(note);
                        for (number, line) in lines {
                            let note = self.cite(*number, &format!("(example) {}", line.trim()));
                            self.current.note(note);
                        }
                        consumed[index + 1] = true;
                        continue;
                    }
                    // "Commit with a message like this:" over a block holding the message.
                    if layout.intro[index]
                        && let Some(message) = commit_message(&text, blocks.get(index + 1))
                    {
                        self.flush_intro();
                        let step =
                            DraftStep::new("commit", message).comment(self.cite(block.line, &text));
                        self.push(step);
                        consumed[index + 1] = true;
                        continue;
                    }
                    // "Determine the version number": what the `bump` argument decides; what
                    // the item explains under it is no task.
                    if phrases::chooses_version(&text) {
                        self.flush_intro();
                        self.version_choice.push(format!(
                            "{}\n→ the `bump` argument (a level or a version) decides the version",
                            self.cite(block.line, &text)
                        ));
                        for child in &layout.children[index] {
                            consumed[*child] = true;
                            let child = &blocks[*child];
                            let note = self
                                .cite(child.line, &text::clean(child.text().unwrap_or_default()));
                            self.version_choice.push(note);
                        }
                        continue;
                    }
                    if layout.intro[index] && !self.intro_asks_more(&text, &blocks[index + 1..]) {
                        self.intro.push(self.cite(block.line, &text));
                        continue;
                    }
                    if layout.children[index].is_empty() && not_a_task(&text, raw, list.is_some()) {
                        self.flush_intro();
                        let note = self.cite(block.line, &text);
                        self.current.note(note);
                        continue;
                    }
                    // A description, a policy or a schedule is no task, whatever it names.
                    let describes = match list {
                        None => automation(&text),
                        Some(_) => item_describes(&text),
                    };
                    if describes && bare_command(&text).is_none() {
                        self.flush_intro();
                        let note = self.cite(block.line, &text);
                        self.current.note(note);
                        continue;
                    }
                    // "Invoke the [release workflow](…/actions/workflows/release.yml)".
                    if let Some(step) = dispatch_of_link(raw, &text, self.facts.repo.as_deref()) {
                        self.flush_intro();
                        let step = step.comment(self.cite(block.line, &text));
                        self.push(step);
                        continue;
                    }
                    let children = &layout.children[index];
                    if !children.is_empty() && self.children_are_one_task(&text, blocks, children) {
                        self.checklist(block, &text, blocks, children);
                        for child in children {
                            consumed[*child] = true;
                        }
                        continue;
                    }
                    let parent = layout.parent[index]
                        .map(|parent| text::clean(blocks[parent].text().unwrap_or_default()));
                    let explains = list.is_none()
                        && (explains(&text) || !(instructs(&text) || requires(&text)));
                    self.item(
                        block.line,
                        &text,
                        parent.as_deref(),
                        // In a section with code the commands are the instructions and its prose
                        // explains them, unless it says to do something ("Upload … to the mirror").
                        explains || (layout.section_has_code[index] && !imperative(&text)),
                        list.map_or(0, |mark| mark.depth),
                        !children.is_empty(),
                    );
                }
            }
        }
    }

    fn heading(&mut self, level: u8, text: &str) {
        self.flush_intro();
        if self.title.is_none() && level == 1 {
            self.title = Some(text.to_owned());
            self.current.help = Some(text.to_owned());
            return;
        }
        if RELEASE_KIND.is_match(text) && self.current.steps().next().is_some() {
            let name = slug(
                RELEASE_KIND
                    .captures(text)
                    .and_then(|captures| captures.get(1))
                    .map_or("patch", |m| m.as_str()),
            );
            let mut unique = name.clone();
            let mut number = 2;
            while unique == "release" || self.workflows.iter().any(|w| w.name == unique) {
                unique = format!("{name}-{number}");
                number += 1;
            }
            let mut next = DraftWorkflow::new(&unique);
            next.help = Some(text.to_owned());
            let done = std::mem::replace(&mut self.current, next);
            self.workflows.push(done);
            // Steps refer only to steps of their own workflow.
            self.pull_requests.clear();
            self.checkout = None;
            self.checkout_branch = None;
        }
        self.current.note(format!("── {text} ──"));
    }

    /// A block of a section of one-time setup, as a note citing its first line.
    fn setup_note(&mut self, block: &Block) {
        let text = match &block.kind {
            BlockKind::Code { lines } => lines
                .iter()
                .map(|(_, line)| line.trim())
                .collect::<Vec<_>>()
                .join("; "),
            _ => text::clean(block.text().unwrap_or_default()),
        };
        if !text.trim().is_empty() {
            let note = self.cite(block.line, &format!("(one-time setup) {text}"));
            self.current.note(note);
        }
    }

    /// A heading written as a sentence that instructs ("Put the new version in the `VERSION`
    /// file."): the typed steps it asks for, citing it. A heading that names a topic ("Tagging",
    /// "Tag the release") leaves the steps to its section.
    fn heading_task(&mut self, line: usize, level: u8, text: &str) {
        if level == 1 || !text.trim_end().ends_with('.') || !instructs(text) {
            return;
        }
        let item = Item::new(text);
        let actions: Vec<Action> = phrases::recognise(&item, &self.scope(&item.plain))
            .into_iter()
            .map(|(_, action)| action)
            .collect();
        let typed = actions.iter().any(|action| {
            matches!(action, Action::Step(step) if !matches!(step.kind(), "manual" | "run"))
        });
        if typed {
            self.apply(line, text, actions, &[]);
        }
    }

    fn flush_intro(&mut self) {
        for comment in std::mem::take(&mut self.intro) {
            self.current.note(comment);
        }
    }

    fn scope<'s>(&'s self, item: &'s str) -> Scope<'s> {
        Scope {
            facts: &self.facts,
            changed: self
                .current
                .steps()
                .any(|step| LOCAL_CHANGES.contains(&step.kind())),
            last_branch: self
                .current
                .steps()
                .rfind(|step| step.kind() == "branch")
                .and_then(|step| step.kind_value().map(str::to_owned)),
            last_branch_aside: self
                .current
                .steps()
                .rfind(|step| step.kind() == "branch")
                .is_some_and(|step| {
                    step.fields
                        .iter()
                        .any(|(key, value)| key == "switch" && value.as_bool() == Some(false))
                }),
            checkout: self.checkout.as_ref().map(|(checkout, _)| checkout),
            last_pull_request: self.pull_requests.last().map(|(id, _)| id.clone()),
            issues_opened: self
                .current
                .steps()
                .filter(|step| {
                    step.kind() == "http"
                        && step.kind_value().is_some_and(|request| {
                            request.starts_with("POST ") && request.ends_with("/issues")
                        })
                })
                .count(),
            has_release: self.current.steps().any(|step| step.kind() == "release"),
            has_changelog: self.current.steps().any(|step| step.kind() == "changelog"),
            forge_moved: self.current.steps().any(|step| {
                matches!(
                    step.kind(),
                    "pull-request" | "merge-pull-request" | "wait" | "dispatch"
                )
            }),
            current_branch: self.current_branch(),
            item,
        }
    }

    /// The branch the workflow's steps leave checked out, when they say.
    fn current_branch(&self) -> Option<String> {
        let mut current = None;
        for step in self.current.steps() {
            let option = |key: &str| {
                step.fields
                    .iter()
                    .find(|(name, _)| name == key)
                    .map(|(_, value)| value.clone())
            };
            if option("dir").is_some() {
                continue;
            }
            match step.kind() {
                "check" if step.kind_value() == Some("branch") => {
                    current = Some(match option("branch") {
                        Some(toml::Value::String(branch)) => branch,
                        _ => self.facts.branch.clone(),
                    });
                }
                "branch" if option("switch").and_then(|value| value.as_bool()) == Some(false) => {}
                "switch" | "branch" | "merge" => {
                    current = step.kind_value().map(str::to_owned);
                }
                _ => {}
            }
        }
        current
    }

    /// Whether an item and every child of it are unrecognised: the item is then one task with a
    /// checklist. An item that asks for git or forge steps itself ("once the PR is merged, wait
    /// until CI passes") is read as one, and its children after it.
    fn children_are_one_task(&self, text: &str, blocks: &[Block], children: &[usize]) -> bool {
        let item = Item::new(text);
        let acts = phrases::recognise(&item, &self.scope(&item.plain))
            .iter()
            .any(|(_, action)| {
                matches!(action, Action::Step(step)
                    if !matches!(step.kind(), "run" | "manual" | "bump" | "changelog"))
            });
        if acts {
            return false;
        }
        children.iter().all(|child| {
            let text = blocks[*child].text().unwrap_or_default();
            let item = Item::new(text);
            phrases::recognise(&item, &self.scope(&item.plain)).is_empty()
        })
    }

    fn checklist(&mut self, block: &Block, text: &str, blocks: &[Block], children: &[usize]) {
        self.flush_intro();
        let below: Vec<&str> = children.iter().filter_map(|c| blocks[*c].text()).collect();
        // "Update the version references in:" over the files: their edits.
        let plain = text::plain(text);
        let scope = self.scope(&plain);
        if let Some(edits) = phrases::edits_in_files_below(text, &below, &scope) {
            self.apply(
                block.line,
                text,
                edits.into_iter().map(Action::Step).collect(),
                &[],
            );
            return;
        }
        let checklist: Vec<toml::Value> = below
            .iter()
            .map(|child| text::templated(&text::clean(child)).into())
            .collect();
        let step = DraftStep::new("manual", text::templated(text))
            .with("checklist", toml::Value::Array(checklist))
            .comment(self.cite(block.line, text));
        self.current.push(step);
    }

    fn item(
        &mut self,
        line: usize,
        text: &str,
        parent: Option<&str>,
        context_only: bool,
        depth: usize,
        has_children: bool,
    ) {
        self.flush_intro();
        // A command written as a list item, without backticks: read as a command line, and its
        // remark ("make sure everything is checked in") as prose.
        if let Some((command, remark)) = bare_command(text) {
            let lower = command.to_lowercase();
            let mut actions = commands::command(&command, &self.scope(&lower));
            if let Some(remark) = remark {
                let item = Item::new(&remark);
                let said = phrases::recognise(&item, &self.scope(&item.plain));
                actions.extend(said.into_iter().map(|(_, action)| action));
            }
            if self.apply(line, text, actions, &[]) {
                return;
            }
        }
        // A comment in a list of commands (`- # wait for the builds`) is read as prose.
        let text = text
            .strip_prefix("\\# ")
            .or_else(|| text.strip_prefix("# "))
            .unwrap_or(text);
        let plain = text::plain(text);
        let item = Item::new(text);
        let explanation = plain.starts_with('(') && plain.ends_with(')')
            || plain.contains("proceed to")
            || DEFINITION.is_match(text)
            || (context_only && phrases::recognise(&item, &self.scope(&plain)).is_empty());
        if explanation {
            let note = self.cite(line, text);
            self.current.note(note);
            return;
        }
        let actions = phrases::recognise(&item, &self.scope(&plain));
        let checkout = actions.iter().find_map(|(_, action)| match action {
            Action::Checkout(checkout) => Some(checkout.clone()),
            _ => None,
        });
        if let Some(checkout) = checkout {
            self.checkout = Some((checkout, depth));
            self.checkout_branch = None;
        }
        if !actions.is_empty() && self.apply_by_line(line, text, &item.plain, actions) {
            return;
        }
        if has_children {
            // A heading in list form ("Regenerate site docs." over its sub-steps).
            self.current.note(format!("── {text} ──"));
            return;
        }
        let words = match parent {
            Some(parent) => format!("{}: {text}", parent.trim_end_matches([':', '.'])),
            None => text.to_owned(),
        };
        let step = DraftStep::new("manual", text::templated(&words)).comment(self.cite(line, text));
        self.current.push(step);
    }

    pub(super) fn finish(mut self, text: &str) -> Draft {
        self.flush_intro();
        // A version chosen with no bump drafted after it: the bump that is there, else a note.
        let choice = std::mem::take(&mut self.version_choice);
        if let Some(bump) = self.current.steps_mut().find(|step| step.kind() == "bump") {
            bump.comments.extend(choice);
        } else {
            for note in choice {
                self.current.note(note);
            }
        }
        let current = std::mem::replace(&mut self.current, DraftWorkflow::new("release"));
        self.workflows.push(current);
        if let Some(hint) = &mut self.changelog
            && hint.fragments
        {
            hint.folder = fragment_folder(text);
        }
        fold_descriptions(&mut self.workflows);
        let facts = self.facts.clone();
        for workflow in &mut self.workflows {
            tidy(workflow, &facts, &self.source);
        }
        Draft {
            source: self.source,
            workflows: self.workflows,
            tag_format: self.tag_format,
            changelog: self.changelog,
        }
    }
}

/// Whether the first line under a "Prerequisites" heading says its section is done once.
fn says_setup(text: &str) -> bool {
    let plain = text::plain(text);
    ["one-time", "one time", "only once", "first time", "install"]
        .iter()
        .any(|words| plain.contains(words))
}

/// The steps among `entries` after position `at`.
fn steps_after(entries: &[Entry], at: usize) -> Vec<&DraftStep> {
    entries[at + 1..]
        .iter()
        .filter_map(|entry| match entry {
            Entry::Step(step) => Some(step),
            Entry::Comment(_) => None,
        })
        .collect()
}
