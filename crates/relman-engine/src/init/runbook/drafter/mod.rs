//! The drafter: walks a runbook's blocks in order, reads each for actions, and assembles the
//! workflows, keeping what later lines refer to (the branch created, the pull request opened,
//! the other checkout the steps act in).

mod resolve;

use std::sync::LazyLock;

use regex::Regex;

use super::actions::{Action, Checkout, Hint, Scope};
use super::blocks::{Block, BlockKind};
use super::layout::Layout;
use super::phrases::{self, Item};
use super::{ChangelogHint, Draft, ProjectFacts, commands, text};
use crate::init::workflow::{DraftArg, DraftStep, DraftWorkflow, Entry};

/// Headings and lines that start another kind of release (`patch releases`).
static RELEASE_KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(patch|hotfix|bug ?fix|point|pre[- ]?|final|minor|major|maintenance)[- ]?releases?$",
    )
    .expect("the release kind expression is valid")
});

/// A term being defined ("`upstream`: the official repository"), not a task.
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^`[^`]+`\s*(?::|—|–| - )\s").expect("the definition expression is valid")
});

/// A table-of-contents entry: a link to an anchor of the same page.
static TOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[[^\]]*\]\(#[^)]*\)$").expect("the toc expression is valid"));

/// First words of prose that explains rather than instructs.
const EXPLAINING: &[&str] = &[
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

/// Kinds that act in the local checkout: what follows them is no longer the start of the
/// release (a `git checkout` there is a switch, not a check).
const LOCAL_CHANGES: &[&str] = &[
    "bump",
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
            match &block.kind {
                BlockKind::Heading { level, text } => self.heading(*level, &text::clean(text)),
                BlockKind::Note { text } => {
                    let note = self.cite(block.line, &format!("(note) {}", text::clean(text)));
                    self.current.note(note);
                }
                BlockKind::Code { lines } => self.code(lines),
                BlockKind::Text { text: raw, list } => {
                    let text = text::clean(raw);
                    if TOC.is_match(raw.trim()) {
                        continue;
                    }
                    if layout.group_heading[index]
                        || (list.is_none() && RELEASE_KIND.is_match(&text))
                    {
                        self.heading(7, &text);
                        continue;
                    }
                    if layout.intro[index] {
                        self.intro.push(self.cite(block.line, &text));
                        continue;
                    }
                    if layout.children[index].is_empty() && not_a_task(&text, raw, list.is_some()) {
                        self.flush_intro();
                        let note = self.cite(block.line, &text);
                        self.current.note(note);
                        continue;
                    }
                    let children = &layout.children[index];
                    if !children.is_empty() && self.children_are_one_task(blocks, children) {
                        self.checklist(block, &text, blocks, children);
                        for child in children {
                            consumed[*child] = true;
                        }
                        continue;
                    }
                    let parent = layout.parent[index]
                        .map(|parent| text::clean(blocks[parent].text().unwrap_or_default()));
                    let explains = list.is_none() && explains(&text);
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
            checkout: self.checkout.as_ref().map(|(checkout, _)| checkout),
            last_pull_request: self.pull_requests.last().map(|(id, _)| id.clone()),
            has_release: self.current.steps().any(|step| step.kind() == "release"),
            forge_moved: self.current.steps().any(|step| {
                matches!(
                    step.kind(),
                    "pull-request" | "merge-pull-request" | "wait" | "dispatch"
                )
            }),
            item,
        }
    }

    /// A code block: one command per line, `\` continuations and open quotes joined.
    fn code(&mut self, lines: &[(usize, String)]) {
        let mut commands: Vec<(usize, String)> = Vec::new();
        let mut pending: Option<(usize, String)> = None;
        for (number, line) in lines {
            let (start, mut joined) = match pending.take() {
                Some((start, text)) => (start, format!("{text}\n{line}")),
                None => (*number, line.clone()),
            };
            if joined.trim_end().ends_with('\\') {
                joined = joined.trim_end().trim_end_matches('\\').to_owned();
                pending = Some((start, joined));
                continue;
            }
            if shell_words::split(&joined).is_err() && !joined.trim().starts_with('#') {
                pending = Some((start, joined));
                continue;
            }
            commands.push((start, joined));
        }
        commands.extend(pending);
        // With prompts (`$ make dist`), only the prompted lines are commands: the rest is their
        // output. Rules (`===`) and sentences of prose are never commands.
        if commands
            .iter()
            .any(|(_, command)| command.trim_start().starts_with("$ "))
        {
            commands.retain(|(_, command)| command.trim_start().starts_with("$ "));
        }
        commands.retain(|(_, command)| !is_output(command));
        // Prose that introduced a block with no step in it reads best before the block's notes.
        let any_step = commands.iter().any(|(_, command)| {
            let flat = command.split_whitespace().collect::<Vec<_>>().join(" ");
            let lower = flat.to_lowercase();
            commands::command(&flat, &self.scope(&lower))
                .iter()
                .any(|action| matches!(action, Action::Step(_)))
        });
        if !any_step {
            self.flush_intro();
        }
        let mut produced = false;
        for (line, command) in commands {
            let flat = command.split_whitespace().collect::<Vec<_>>().join(" ");
            if flat.is_empty() || flat.starts_with('#') {
                continue;
            }
            let lower = flat.to_lowercase();
            let actions = commands::command(&flat, &self.scope(&lower));
            let quote = shorten(&flat);
            if actions
                .iter()
                .any(|action| matches!(action, Action::Step(_)))
                && !produced
            {
                produced = true;
                let intro = std::mem::take(&mut self.intro);
                self.apply(line, &quote, actions, &intro);
            } else {
                self.apply(line, &quote, actions, &[]);
            }
        }
        self.flush_intro();
    }

    /// Whether every child of an item is unrecognised: the item is then one task with a checklist.
    fn children_are_one_task(&self, blocks: &[Block], children: &[usize]) -> bool {
        children.iter().all(|child| {
            let text = blocks[*child].text().unwrap_or_default();
            let item = Item::new(text);
            phrases::recognise(&item, &self.scope(&item.plain)).is_empty()
        })
    }

    fn checklist(&mut self, block: &Block, text: &str, blocks: &[Block], children: &[usize]) {
        self.flush_intro();
        let checklist: Vec<toml::Value> = children
            .iter()
            .filter_map(|child| blocks[*child].text())
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
        let actions: Vec<Action> = actions.into_iter().map(|(_, action)| action).collect();
        if let Some(checkout) = checkout {
            self.checkout = Some((checkout, depth));
            self.checkout_branch = None;
        }
        if !actions.is_empty() && self.apply(line, text, actions, &[]) {
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

    /// Applies what a line asks for; `false` when nothing took effect (an option for a step
    /// that is not there), so the caller falls back to a manual step.
    fn apply(&mut self, line: usize, quote: &str, actions: Vec<Action>, intro: &[String]) -> bool {
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

    fn push(&mut self, step: DraftStep) {
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

    pub(super) fn finish(mut self, text: &str) -> Draft {
        self.flush_intro();
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

/// A later workflow made only of a person's tasks is a section describing a kind of release (a
/// policy: "even versions only update dependencies"), not a procedure: its lines go back, as
/// comments, into the workflow before it.
fn fold_descriptions(workflows: &mut Vec<DraftWorkflow>) {
    let mut index = 1;
    while index < workflows.len() {
        let describes = workflows[index].steps().all(|step| step.kind() == "manual");
        if !describes {
            index += 1;
            continue;
        }
        let folded = workflows.remove(index);
        let previous = &mut workflows[index - 1];
        if let Some(help) = &folded.help {
            previous.note(format!("── {help} ──"));
        }
        for entry in folded.entries {
            match entry {
                Entry::Comment(text) => previous.note(text),
                Entry::Step(step) => previous.note(step.comments.join("\n")),
            }
        }
    }
}

/// Kinds that make the release public: the first of them is where the release happens.
const RELEASING: &[&str] = &["tag", "release", "publish"];

/// The bumps of a workflow as a release has them: the first one before the release decides the
/// version; another before the release restates it (the version in a README, in the lock file)
/// and is folded into the first, which writes every version file; one after the release writes
/// the next development version (`dev`), never a second release's.
fn settle_bumps(workflow: &mut DraftWorkflow) {
    let release_at = workflow
        .entries
        .iter()
        .position(|entry| matches!(entry, Entry::Step(step) if RELEASING.contains(&step.kind())));
    let mut first = None;
    for index in 0..workflow.entries.len() {
        let Entry::Step(step) = &workflow.entries[index] else {
            continue;
        };
        if step.kind() != "bump" {
            continue;
        }
        // After the release, and after the release's own bump: the next development version.
        let after_release = release_at.is_some_and(|at| index > at) && first.is_some();
        if after_release {
            let Entry::Step(step) = &mut workflow.entries[index] else {
                continue;
            };
            let level = step.kind_value().unwrap_or_default();
            if matches!(level, "{args.bump}" | "major" | "minor" | "patch" | "auto") {
                step.set("bump", "dev");
                step.comments.push(
                    "→ after the release: the next development version (`{dev_version}`)"
                        .to_owned(),
                );
            }
            continue;
        }
        if first.is_none() {
            first = Some(index);
            continue;
        }
        // A restatement: its lines stay as comments above the step that does it.
        let Entry::Step(step) = workflow.entries.remove(index) else {
            continue;
        };
        let mut comments = step.comments;
        if let Some(last) = comments.last_mut() {
            last.push_str(
                "\n→ the `bump` above writes the version to every version file (list this file in `version-files` if it holds it)",
            );
        }
        workflow
            .entries
            .insert(index, Entry::Comment(comments.join("\n")));
    }
}

/// A commit named for the next development version with no second bump before it (the bumps it
/// followed when it was drafted folded into the release's) is the release's commit: no bump
/// would give `{dev_version}` a value, and `plan` refuses it.
fn release_commits_before_a_dev_bump(workflow: &mut DraftWorkflow) {
    let mut bumps = 0;
    for step in workflow.steps_mut() {
        match step.kind() {
            "bump" => bumps += 1,
            "commit"
                if bumps < 2
                    && step
                        .kind_value()
                        .is_some_and(|message| message.contains("{dev_version}")) =>
            {
                step.set("commit", "Release {version}");
            }
            _ => {}
        }
    }
}

/// A workflow that acts without a bump while the project's version is released already would
/// release that version again: it gets a `bump` before its first step that changes anything.
fn bump_before_release(workflow: &mut DraftWorkflow, facts: &ProjectFacts) {
    // Any step that acts (not a check, not a person's task): the plan of a workflow names the
    // version it releases, and it must not be one released already.
    let releases = workflow
        .steps()
        .any(|step| !matches!(step.kind(), "check" | "manual"));
    let bumps = workflow.steps().any(|step| step.kind() == "bump");
    if !releases || bumps || !facts.current_released {
        return;
    }
    let at = workflow
        .entries
        .iter()
        .position(|entry| matches!(entry, Entry::Step(step) if step.kind() != "check"))
        .unwrap_or(workflow.entries.len());
    workflow.entries.insert(
        at,
        Entry::Step(DraftStep::new("bump", "{args.bump}").comment(
            "the project's version has its release tag already, and the runbook bumps it outside \
             these steps (a release PR, a script): relman bumps it here so that the release is a new one",
        )),
    );
}

/// Removes checks that repeat an earlier one with only checks between, adds the arguments the
/// steps use, and makes sure the workflow has a step.
fn tidy(workflow: &mut DraftWorkflow, facts: &ProjectFacts, source: &str) {
    settle_bumps(workflow);
    release_commits_before_a_dev_bump(workflow);
    bump_before_release(workflow, facts);
    let mut seen_checks: Vec<DraftStep> = Vec::new();
    workflow.entries.retain(|entry| {
        let Entry::Step(step) = entry else {
            return true;
        };
        if step.kind() != "check" {
            seen_checks.clear();
            return true;
        }
        if seen_checks.iter().any(|seen| seen.same_as(step)) {
            return false;
        }
        seen_checks.push(step.clone());
        true
    });
    if workflow.steps().next().is_none() {
        workflow.push(
            DraftStep::new(
                "manual",
                text::literal(&format!("Release by hand, following {source}.")),
            )
            .comment(format!("{source} held no step relman recognised")),
        );
    }
    let uses = |workflow: &DraftWorkflow, needle: &str| {
        workflow.steps().any(|step| {
            step.fields
                .iter()
                .any(|(_, value)| value.to_string().contains(needle))
        })
    };
    if uses(workflow, "{args.bump}") {
        workflow.args.push(DraftArg {
            name: "bump".to_owned(),
            default: Some(facts.bump_default.clone()),
            help: "a bump level (major, minor, patch, auto, rc …) or a version".to_owned(),
        });
    }
    if uses(workflow, "args.commits") {
        workflow.args.push(DraftArg {
            name: "commits".to_owned(),
            default: Some(String::new()),
            help: "commits to cherry-pick, separated by spaces".to_owned(),
        });
    }
}

/// The news fragment folder a runbook names (`CHANGELOG.D`, `newsfragments`).
fn fragment_folder(text: &str) -> Option<String> {
    static FOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(changelog\.d|changes\.d|newsfragments|news\.d)\b")
            .expect("the folder expression is valid")
    });
    FOLDER.find(text).map(|found| found.as_str().to_owned())
}

fn slug(text: &str) -> String {
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
fn explains(text: &str) -> bool {
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

/// Lines that are never a person's task: a table row, a quotation, a question, a date or a
/// heading written as text, and, outside a list, a fragment that continues the line before (a
/// few words starting in lower case, no command: "on GitHub Actions.").
fn not_a_task(text: &str, raw: &str, in_list: bool) -> bool {
    let raw = raw.trim();
    let text = text.trim();
    raw.starts_with('|')
        || raw.starts_with('>')
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
fn imperative(text: &str) -> bool {
    let plain = text::plain(text);
    let first = plain
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| !word.is_empty())
        .unwrap_or_default();
    IMPERATIVE.contains(&first)
}

/// A line of a code block that is not a command: a rule (`===`, `---`), or a sentence (output
/// or prose: "The output is …").
fn is_output(line: &str) -> bool {
    let line = line.trim();
    if !line.is_empty() && line.chars().all(|c| c.is_ascii_punctuation()) && !line.starts_with("./")
    {
        return true;
    }
    let first = line.split_whitespace().next().unwrap_or_default();
    let sentence = first.chars().next().is_some_and(char::is_uppercase)
        && first.chars().skip(1).all(char::is_lowercase)
        && EXPLAINING.contains(&first.to_lowercase().as_str());
    sentence && !commands::looks_like_command(line)
}

/// A command line for a comment: one line, at most 120 characters.
fn shorten(command: &str) -> String {
    let line = command.lines().next().unwrap_or_default();
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 || command.lines().count() > 1 {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dev_commit_without_a_second_bump_is_the_release_commit() {
        let mut workflow = DraftWorkflow::new("release");
        for (kind, value) in [
            ("bump", "{args.bump}"),
            ("commit", "Start development of {dev_version}"),
            ("tag", "{tag}"),
            ("bump", "dev"),
            ("commit", "Start development of {dev_version}"),
        ] {
            workflow
                .entries
                .push(Entry::Step(DraftStep::new(kind, value)));
        }
        release_commits_before_a_dev_bump(&mut workflow);
        let commits: Vec<&str> = workflow
            .steps()
            .filter(|step| step.kind() == "commit")
            .filter_map(DraftStep::kind_value)
            .collect();
        assert_eq!(
            commits,
            ["Release {version}", "Start development of {dev_version}"]
        );
    }
}
