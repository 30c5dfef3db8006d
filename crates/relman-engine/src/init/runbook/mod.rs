//! `relman init --from RUNBOOK`: drafting workflows from a release runbook written for people.
//!
//! The runbook is cut into blocks ([`blocks`]); each list item or line of prose is read for
//! instructions ([`phrases`]) and each command for what it does ([`commands`]). What is
//! recognised becomes a typed step, the rest a `manual` step in the runbook's own words, and
//! prose that explains rather than instructs becomes a comment. Every step cites the line it
//! came from, so the draft can be checked against the runbook line by line.

mod actions;
mod blocks;
mod commands;
mod phrases;
mod text;

use std::sync::LazyLock;

use regex::Regex;

use self::actions::{Action, Checkout, Hint, Scope};
use self::blocks::{Block, BlockKind};
use self::phrases::{DEFAULT_COMMIT, Item};
use super::workflow::{DraftArg, DraftStep, DraftWorkflow, Entry};

/// What the drafter knows of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub name: String,
    /// The release branch.
    pub branch: String,
    pub remote: String,
    /// The tag format of the existing release tags; `None` when there are none yet (the
    /// runbook's `git tag` then decides it).
    pub tag_format: Option<String>,
    /// `owner/name` on GitHub.
    pub repo: Option<String>,
    /// The default of the `bump` argument: `auto` for conventional commits, else `patch`.
    pub bump_default: String,
}

/// Workflows drafted from a runbook, and what the runbook says about the project.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The runbook's name as the comments cite it.
    pub source: String,
    pub workflows: Vec<DraftWorkflow>,
    /// The tag format of the runbook's `git tag` (`v{version}`).
    pub tag_format: Option<String>,
    pub changelog: Option<ChangelogHint>,
}

/// The changelog tool a runbook runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangelogHint {
    /// As written in comments: "`towncrier`".
    pub tool: String,
    /// Whether the tool builds notes from news fragments.
    pub fragments: bool,
    /// The fragment folder the runbook names.
    pub folder: Option<String>,
}

impl Draft {
    /// The drafted workflows alone, as TOML (a `relman.toml` without `[project]`).
    pub fn workflows_toml(&self) -> String {
        let mut out = super::toml_text::TomlText::new();
        super::workflow::write_workflows(&mut out, &self.workflows);
        out.finish()
    }

    /// Every step of every workflow.
    pub fn steps(&self) -> impl Iterator<Item = &DraftStep> {
        self.workflows.iter().flat_map(DraftWorkflow::steps)
    }
}

/// Drafts workflows from the runbook `text`, cited as `source`.
pub fn draft(source: &str, text: &str, facts: &ProjectFacts) -> Draft {
    let blocks = blocks::parse(text);
    let mut drafter = Drafter::new(source, facts.clone());
    drafter.read(&blocks);
    drafter.finish(text)
}

/// Headings and lines that start another kind of release (`patch releases`).
static RELEASE_KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(patch|hotfix|bug ?fix|point|pre[- ]?|final|minor|major|maintenance)[- ]?releases?$",
    )
    .expect("the release kind expression is valid")
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

struct Drafter {
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
    fn new(source: &str, facts: ProjectFacts) -> Drafter {
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

    fn read(&mut self, blocks: &[Block]) {
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
                        explains || layout.section_has_code[index],
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
            let mut next = DraftWorkflow::new(&name);
            next.help = Some(text.to_owned());
            let done = std::mem::replace(&mut self.current, next);
            self.workflows.push(done);
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
            .map(|child| text::literal(&text::clean(child)).into())
            .collect();
        let step = DraftStep::new("manual", text::literal(text))
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
        let step = DraftStep::new("manual", text::literal(&words)).comment(self.cite(line, text));
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

    /// Completes a step from what the draft knows: commit messages, pull request branches,
    /// the other checkout.
    fn resolve(&mut self, mut step: DraftStep, quote: &str) -> DraftStep {
        let bumps = self.current.steps().filter(|s| s.kind() == "bump").count();
        match step.kind() {
            "commit" if step.kind_value() == Some(DEFAULT_COMMIT) => {
                let message = if bumps >= 2 {
                    "Start development of {dev_version}"
                } else {
                    "Release {version}"
                };
                step.set("commit", message);
            }
            "tag" => {
                if let Some(format) = text::VERSION
                    .find(quote)
                    .map(|m| text::versioned(m.as_str()))
                    && self.facts.tag_format.is_none()
                    && step.kind_value() == Some("{tag}")
                {
                    self.facts.tag_format = Some(format.clone());
                    self.tag_format.get_or_insert(format);
                }
            }
            "pull-request" => return self.pull_request(step),
            "merge-pull-request" => {
                let lower = quote.to_lowercase();
                let target = self
                    .pull_requests
                    .iter()
                    .rev()
                    .find(|(_, repo)| {
                        repo.as_deref()
                            .and_then(|repo| repo.rsplit('/').next())
                            .is_some_and(|name| lower.contains(&name.to_lowercase()))
                    })
                    .or(self.pull_requests.last())
                    .cloned();
                if let Some((id, repo)) = target {
                    step.set("merge-pull-request", format!("{{steps.{id}.number}}"));
                    if let Some(repo) = repo {
                        step.set("repo", repo);
                    }
                }
            }
            "wait" if step.kind_value() == Some("checks") => {
                if let Some((checkout, _)) = &self.checkout {
                    if let Some(repo) = &checkout.repo {
                        step.set("repo", repo.clone());
                    }
                    if let Some(branch) = &self.checkout_branch {
                        step.set("ref", branch.clone());
                    }
                }
            }
            _ => {}
        }
        if let Some((checkout, _)) = &self.checkout
            && IN_CHECKOUT.contains(&step.kind())
            && !(step.kind() == "run"
                && step
                    .kind_value()
                    .is_some_and(|command| command.starts_with("./")))
        {
            step.set("dir", checkout.dir.clone());
            step.set("clone", checkout.clone.clone());
        }
        step
    }

    /// A pull request: its head is the branch the workflow created (in the other checkout,
    /// drafted with its commit and push when the runbook leaves them implicit).
    fn pull_request(&mut self, mut step: DraftStep) -> DraftStep {
        let checkout = self.checkout.as_ref().map(|(checkout, _)| checkout.clone());
        let id_base = match &checkout {
            Some(checkout) => format!(
                "{}_pr",
                checkout
                    .dir
                    .trim_start_matches("../")
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            ),
            None => "pr".to_owned(),
        };
        let mut id = id_base.clone();
        let mut number = 2;
        while self.pull_requests.iter().any(|(used, _)| *used == id) {
            id = format!("{id_base}{number}");
            number += 1;
        }
        let head = match &checkout {
            Some(checkout) => {
                if self.checkout_branch.is_none() {
                    let branch = "{project}-{version}".to_owned();
                    let inferred =
                        "not in the runbook: a pull request needs a branch with the changes on it";
                    self.push(
                        DraftStep::new("branch", branch.clone())
                            .with("dir", checkout.dir.clone())
                            .with("clone", checkout.clone.clone())
                            .comment(inferred),
                    );
                    self.push(
                        DraftStep::new("commit", "Update for {project} {version}")
                            .with("add", toml::Value::Array(vec!["**".into()]))
                            .with("dir", checkout.dir.clone())
                            .comment(format!("{inferred}; narrow `add` to the files that change")),
                    );
                    self.push(
                        DraftStep::new("push", "branch")
                            .with("dir", checkout.dir.clone())
                            .comment(inferred),
                    );
                    self.checkout_branch = Some(branch);
                }
                self.checkout_branch.clone().unwrap_or_default()
            }
            None => match self
                .current
                .steps()
                .rfind(|step| step.kind() == "branch")
                .and_then(|step| step.kind_value().map(str::to_owned))
            {
                Some(branch) => branch,
                None => {
                    step = step.comment("no branch is created before this: create `head` first");
                    "release/{version}".to_owned()
                }
            },
        };
        let mut fields = vec![
            ("pull-request".to_owned(), toml::Value::from("open")),
            ("id".to_owned(), id.clone().into()),
            ("head".to_owned(), head.into()),
            (
                "base".to_owned(),
                step.get("base")
                    .cloned()
                    .unwrap_or_else(|| self.facts.branch.clone().into()),
            ),
            (
                "title".to_owned(),
                step.get("title").cloned().unwrap_or_else(|| {
                    if checkout.is_some() {
                        "Update for {project} {version}".into()
                    } else {
                        "Release {version}".into()
                    }
                }),
            ),
        ];
        let repo = checkout.and_then(|checkout| checkout.repo);
        if let Some(repo) = &repo {
            fields.push(("repo".to_owned(), repo.clone().into()));
        }
        step.fields = fields;
        self.pull_requests.push((id, repo));
        step
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

    fn finish(mut self, text: &str) -> Draft {
        self.flush_intro();
        let current = std::mem::replace(&mut self.current, DraftWorkflow::new("release"));
        self.workflows.push(current);
        if let Some(hint) = &mut self.changelog
            && hint.fragments
        {
            hint.folder = fragment_folder(text);
        }
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

/// Removes checks that repeat an earlier one with only checks between, adds the arguments the
/// steps use, and makes sure the workflow has a step.
fn tidy(workflow: &mut DraftWorkflow, facts: &ProjectFacts, source: &str) {
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

/// A command line for a comment: one line, at most 120 characters.
fn shorten(command: &str) -> String {
    let line = command.lines().next().unwrap_or_default();
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 || command.lines().count() > 1 {
        out.push_str(" …");
    }
    out
}

/// How the blocks relate: sections with code, prose that introduces code, list items that are
/// headings, and which items are the children of which.
struct Layout {
    section_has_code: Vec<bool>,
    intro: Vec<bool>,
    group_heading: Vec<bool>,
    children: Vec<Vec<usize>>,
    parent: Vec<Option<usize>>,
}

impl Layout {
    fn of(blocks: &[Block]) -> Layout {
        let count = blocks.len();
        // A numbered item followed, after a blank line, by prose or code rather than the next
        // item is the title of what follows ("1. Update the version number").
        let group_heading: Vec<bool> = (0..count)
            .map(|index| {
                let (Some(mark), Some(text)) = (blocks[index].list(), blocks[index].text()) else {
                    return false;
                };
                // A title is short and is no sentence.
                mark.ordered
                    && mark.depth == 0
                    && text.chars().count() <= 60
                    && !text.trim_end().ends_with(['.', '!', '?'])
                    && blocks.get(index + 1).is_some_and(|next| {
                        next.blank_before
                            && next.list().is_none()
                            && !matches!(next.kind, BlockKind::Heading { .. })
                    })
            })
            .collect();
        let is_heading = |index: usize| {
            matches!(blocks[index].kind, BlockKind::Heading { .. }) || group_heading[index]
        };
        let mut section_has_code = vec![false; count];
        let mut start = 0;
        for end in 0..=count {
            if end == count || (end > start && is_heading(end)) {
                let has_code = blocks[start..end]
                    .iter()
                    .any(|block| matches!(block.kind, BlockKind::Code { .. }));
                for flag in &mut section_has_code[start..end] {
                    *flag = has_code;
                }
                start = end;
            }
        }
        // Prose right before a code block (with only prose between) introduces it.
        let mut intro = vec![false; count];
        for index in (0..count).rev() {
            let next_is_code = blocks.get(index + 1).is_some_and(|next| {
                matches!(next.kind, BlockKind::Code { .. }) || intro[index + 1]
            });
            intro[index] = next_is_code
                && matches!(blocks[index].kind, BlockKind::Text { list: None, .. })
                && !group_heading[index];
        }
        let mut children = vec![Vec::new(); count];
        let mut parent = vec![None; count];
        for index in 0..count {
            let Some(mark) = blocks[index].list() else {
                continue;
            };
            // The nearest item above with a smaller depth, in the same run of items; or, for
            // a top-level run, the prose line right above it (no blank line between).
            let mut above = index;
            while above > 0 {
                above -= 1;
                match blocks[above].list() {
                    Some(other) if other.depth < mark.depth => {
                        parent[index] = Some(above);
                        break;
                    }
                    Some(_) => {}
                    None => {
                        let attached =
                            matches!(blocks[above].kind, BlockKind::Text { list: None, .. })
                                && !blocks[above + 1].blank_before
                                && blocks[above + 1].list().is_some();
                        if attached && mark.depth == blocks[above + 1].list().map_or(0, |m| m.depth)
                        {
                            parent[index] = Some(above);
                        }
                        break;
                    }
                }
            }
            if let Some(parent) = parent[index] {
                children[parent].push(index);
            }
        }
        Layout {
            section_has_code,
            intro,
            group_heading,
            children,
            parent,
        }
    }
}

#[cfg(test)]
mod tests;
