//! An instruction read by its verb and its object, for the phrasings no phrase of `clause` or
//! `notes` names: "make a new branch for the update", "create a `Version Release` issue to track
//! it", "waiting up to a day for approval", "create a release named `1.2.0` on GitHub".
//!
//! The clause must be an imperative: after a circumstance ending in a colon ("On the build
//! server:") and lead-in words ("finally", "then"), its first word is the verb, sorted into a
//! class (create, close, wait, verify). The object is the head noun of the words that follow,
//! up to a preposition: the last noun of a small vocabulary there (of "a `Release Tracking`
//! issue" the head is "issue", of "a release checklist" it is "checklist"). Only clauses nothing else recognised are read
//! here, so this adds steps and never changes one a phrase drafted.

use std::sync::LazyLock;

use regex::Regex;

use super::Item;
use super::notes_file::{self, Asks};
use super::patterns::regex;
use crate::init::runbook::actions::{Action, Scope, step};
use crate::init::runbook::text::literal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Create,
    Draft,
    Close,
    Wait,
    Verify,
    Get,
    Publish,
    /// "Update the version in `docs/install.md`": a value written into a file.
    Update,
}

/// Words before the verb that change nothing.
const LEAD_INS: &[&str] = &[
    "then",
    "and",
    "finally",
    "now",
    "also",
    "next",
    "first",
    "optionally",
    "optional:",
    "please",
    "manually",
    "immediately",
];

/// Words that end an object: what follows says for what, where or how.
const STOPS: &[&str] = &[
    "to", "for", "by", "named", "called", "titled", "on", "in", "into", "from", "with", "that",
    "which", "and", "or", "before", "after", "if", "when", "of", "at", "as", "off",
];

/// Nouns an object may have as its head.
const NOUNS: &[&str] = &[
    "issue",
    "issues",
    "milestone",
    "branch",
    "branches",
    "release",
    "releases",
    "notes",
    "candidate",
    "process",
    "pr",
    "prs",
    "checklist",
    "announcement",
    "post",
    "page",
];

fn verb(words: &[&str]) -> Option<(Verb, usize)> {
    let first = *words.first()?;
    let two = words.get(1).copied().unwrap_or_default();
    Some(match (first, two) {
        ("make" | "making", "sure") => (Verb::Verify, 2),
        ("double-check" | "check" | "verify" | "confirm" | "ensure" | "validate", _) => {
            (Verb::Verify, 1)
        }
        // Not "add": "add the milestone to the tracker's categories" puts one somewhere.
        ("create" | "make" | "open" | "file" | "raise" | "submit" | "cut" | "start", _) => {
            (Verb::Create, 1)
        }
        ("draft", _) => (Verb::Draft, 1),
        ("close", _) => (Verb::Close, 1),
        ("wait" | "waiting" | "await", _) => (Verb::Wait, 1),
        ("get" | "obtain" | "receive", _) => (Verb::Get, 1),
        ("publish" | "upload" | "push" | "release" | "deploy" | "ship", _) => (Verb::Publish, 1),
        (
            "update" | "updating" | "set" | "change" | "edit" | "adjust" | "bump" | "refresh"
            | "increment",
            _,
        ) => (Verb::Update, 1),
        _ => return None,
    })
}

/// The head noun of the object and the word after it: the last noun of the vocabulary before
/// a preposition ("a `Release Tracking` issue", "a release checklist").
fn head<'a>(words: &[&'a str]) -> Option<(&'a str, &'a str)> {
    let length = words
        .iter()
        .take(8)
        .take_while(|word| !STOPS.contains(word))
        .count();
    let at = words[..length]
        .iter()
        .rposition(|word| NOUNS.contains(word))?;
    let after = words.get(at + 1).copied().unwrap_or_default();
    Some((words[at], after))
}

/// The steps a clause nothing else recognised asks for, read by its verb and its object.
pub(super) fn actions(
    clause: &str,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
    found: &mut Vec<(usize, Action)>,
) {
    // "On the build server: wait until …": the circumstance before the colon.
    let start = clause
        .rfind(": ")
        .filter(|at| clause[..*at].split_whitespace().count() <= 6)
        .map_or(0, |at| at + 2);
    read(clause, start, offset, item, scope, found);
    // "Paste the link in the issue and close it": an instruction after "and" or "then".
    for (at, _) in clause
        .match_indices(" and ")
        .chain(clause.match_indices(" then "))
    {
        let next = clause[at..].trim_start();
        let next = next
            .strip_prefix("and ")
            .or_else(|| next.strip_prefix("then "))
            .unwrap_or(next);
        let words: Vec<&str> = next.split_whitespace().take(2).collect();
        if at > start && verb(&words).is_some() {
            read(
                clause,
                clause.len() - next.len(),
                offset,
                item,
                scope,
                found,
            );
        }
    }
}

/// The step of the instruction that starts at `start` of the clause, if its verb and object
/// name one.
fn read(
    clause: &str,
    start: usize,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
    found: &mut Vec<(usize, Action)>,
) {
    static WORD: LazyLock<Regex> = LazyLock::new(|| regex(r"[a-z0-9][a-z0-9'’:-]*"));
    let mut words: Vec<(usize, &str)> = WORD
        .find_iter(&clause[start..])
        .map(|word| (start + word.start(), word.as_str()))
        .collect();
    while words
        .first()
        .is_some_and(|(_, word)| LEAD_INS.contains(word))
    {
        words.remove(0);
    }
    let Some(&(at, _)) = words.first() else {
        return;
    };
    let plain: Vec<&str> = words
        .iter()
        .map(|(_, word)| word.trim_end_matches(':'))
        .collect();
    // "Update `WhatsNew.txt`", "ensure CHANGELOG is updated", "add the notes to `NEWS.md`".
    let asks = match (plain[0], plain.get(1).copied().unwrap_or_default()) {
        ("update" | "updating" | "edit" | "bump" | "refresh", _) => Some(Asks::Update),
        ("ensure", _) | ("make", "sure") => Some(Asks::Ensure),
        ("add", _) => Some(Asks::Add),
        _ => None,
    };
    if let Some(asks) = asks
        && let Some(changelog) =
            notes_file::changelog(&clause[at..], offset + at, item, scope, asks)
    {
        found.push((offset + at, Action::Step(changelog)));
        return;
    }
    // "Copy this checklist to a new issue": the issue it goes into is opened.
    static INTO_NEW_ISSUE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(?:to|into|in|as) (?:a |an )?new (?:[\w-]+ ){0,2}issue\b"));
    if matches!(plain[0], "copy" | "paste" | "move" | "transfer")
        && INTO_NEW_ISSUE.is_match(&clause[at..])
        && let Some(issue) = super::clause::github_issue(&clause[at..], item, scope)
    {
        found.push((offset + at, Action::Step(issue)));
        return;
    }
    let Some((verb, length)) = verb(&plain) else {
        return;
    };
    let rest = &plain[length..];
    let text = &clause[at..];
    let has = |any: &[&str]| rest.iter().any(|word| any.contains(word));
    if verb == Verb::Update {
        let start = offset + at;
        for edit in super::place::edits(&clause[at..], start, item, scope).unwrap_or_default() {
            found.push((start, Action::Step(edit)));
        }
        return;
    }
    let action = match (verb, head(rest)) {
        (Verb::Wait, _) => wait(rest, scope),
        (Verb::Get, _) if has(&["approval", "approved", "lgtm", "sign-off", "signoff"]) => {
            Some(approval(scope))
        }
        (Verb::Create, Some(("issue", _))) => super::clause::github_issue(text, item, scope),
        (Verb::Create, Some(("milestone", _))) if !has(&["next", "future", "upcoming"]) => {
            milestone(scope)
        }
        (Verb::Close, Some(("milestone", _))) => Some(step("check", "milestone-closed")),
        // "Close the issue" the workflow opened: its number, saved when it was opened.
        (Verb::Close, Some(("issue", _))) if scope.issues_opened > 0 => close_issue(scope),
        // "Make a new branch for the update": no name given.
        (Verb::Create, Some(("branch", _)))
            if item.spans.is_empty() && scope.last_branch.is_none() =>
        {
            Some(
                step("branch", "release/{version}")
                    .comment("the runbook names no branch: relman named it `release/{version}`"),
            )
        }
        // "Create a release named `1.2.0`", "create a Release for the new tag on GitHub": the
        // forge's release, when the clause says which (a name, a tag, the forge).
        (Verb::Create | Verb::Draft, Some(("release", after)))
            if matches!(
                after,
                "" | "named" | "called" | "titled" | "for" | "on" | "in"
            ) && has(&["github", "gitlab", "named", "called", "titled", "tag"])
                && !scope.has_release =>
        {
            Some(step(
                "release",
                if verb == Verb::Draft {
                    "draft"
                } else {
                    "publish"
                },
            ))
        }
        // "Upload the package to PyPI", "publish the crate to crates.io": the registry says which.
        (Verb::Publish, _) => publishes(text, &item.plain).map(publish),
        // "Check that the new version is on crates.io", "verify it shows up on npm".
        (Verb::Verify, _)
            if has(&[
                "on",
                "available",
                "published",
                "listed",
                "appears",
                "shows",
                "live",
            ]) =>
        {
            registry(text)
                .filter(|registry| *registry != "pypi")
                .map(|registry| {
                    let kind = if registry == "cargo" {
                        "crates"
                    } else {
                        registry
                    };
                    step("verify", kind).with("package", literal(&scope.facts.name))
                })
                .or_else(|| verify(rest))
        }
        (Verb::Verify, _) => verify(rest),
        _ => None,
    };
    if let Some(action) = action {
        found.push((offset + at, Action::Step(action)));
    }
}

/// "Wait until the PR is approved / merged / the build passes": what is waited for.
fn wait(rest: &[&str], scope: &Scope<'_>) -> Option<crate::init::workflow::DraftStep> {
    let has = |any: &[&str]| rest.iter().any(|word| any.contains(word));
    if has(&[
        "approval", "approved", "lgtm", "review", "reviewed", "sign-off",
    ]) {
        return Some(approval(scope));
    }
    if has(&["merged"]) {
        let mut wait = step("wait", "pr-merged");
        if let Some(id) = &scope.last_pull_request {
            wait.set("pr", format!("{{steps.{id}.number}}"));
        }
        return Some(wait);
    }
    let ci = has(&[
        "ci",
        "build",
        "builds",
        "checks",
        "tests",
        "pipeline",
        "pipelines",
        "workflow",
        "workflows",
        "job",
        "jobs",
        "actions",
    ]);
    let done = has(&[
        "pass",
        "passes",
        "passed",
        "green",
        "finishes",
        "finished",
        "succeeds",
        "complete",
        "completes",
        "done",
    ]);
    (ci && (done
        || rest
            .first()
            .is_some_and(|word| matches!(*word, "for" | "until"))))
    .then(|| step("wait", "checks"))
}

fn approval(scope: &Scope<'_>) -> crate::init::workflow::DraftStep {
    let mut wait = step("wait", "pr-approved");
    if let Some(id) = &scope.last_pull_request {
        wait.set("pr", format!("{{steps.{id}.number}}"));
    }
    wait
}

/// "Create a milestone for the release": GitHub's milestones API, titled with the version.
fn milestone(scope: &Scope<'_>) -> Option<crate::init::workflow::DraftStep> {
    let repo = scope.facts.repo.as_deref()?;
    let headers = super::clause::github_api_headers();
    let json = toml::Table::from_iter([("title".to_owned(), toml::Value::from("{version}"))]);
    Some(
        step(
            "http",
            format!("POST https://api.github.com/repos/{repo}/milestones"),
        )
        .with("headers", toml::Value::Table(headers))
        .with("json", toml::Value::Table(json))
        .comment("opens the release's milestone on GitHub, titled with the version"),
    )
}

/// The request that closes the issue the workflow opened last.
fn close_issue(scope: &Scope<'_>) -> Option<crate::init::workflow::DraftStep> {
    let repo = scope.facts.repo.as_deref()?;
    let id = super::clause::issue_id(scope.issues_opened - 1);
    let headers = super::clause::github_api_headers();
    let json = toml::Table::from_iter([("state".to_owned(), toml::Value::from("closed"))]);
    Some(
        step(
            "http",
            format!("PATCH https://api.github.com/repos/{repo}/issues/{{steps.{id}.number}}"),
        )
        .with("headers", toml::Value::Table(headers))
        .with("json", toml::Value::Table(json))
        .comment("closes the issue the workflow opened"),
    )
}

/// "Make sure it builds on CI", "validate that the chart linting is successful": what CI runs
/// (a build, tests, linting, a workflow) is green.
fn verify(rest: &[&str]) -> Option<crate::init::workflow::DraftStep> {
    let has = |any: &[&str]| rest.iter().any(|word| any.contains(word));
    // "Check it builds" (then `make`) is a build here, not CI's.
    let ci = has(&[
        "ci",
        "build",
        "checks",
        "tests",
        "linting",
        "lint",
        "workflow",
        "workflows",
        "job",
        "jobs",
        "pipeline",
        "pipelines",
    ]);
    let green = has(&["ci"]) && has(&["builds"])
        || has(&[
            "passes",
            "pass",
            "passing",
            "passed",
            "green",
            "succeeds",
            "succeeded",
            "successful",
            "successfully",
        ]);
    (ci && green).then(|| step("check", "ci-green"))
}

/// The package registry a clause names, as `publish` names it: `pypi`, `npm`, `cargo`, `gem`.
pub(super) fn registry(clause: &str) -> Option<&'static str> {
    static REGISTRY: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"\b(?:(pypi)(?:\.org)?|(npm)(?:js)?(?:\.com)?|(crates)\.io|(rubygems)(?:\.org)?)\b")
    });
    let captures = REGISTRY.captures(clause)?;
    [(1, "pypi"), (2, "npm"), (3, "cargo"), (4, "gem")]
        .into_iter()
        .find_map(|(group, name)| captures.get(group).map(|_| name))
}

/// The registry a clause asks to publish to, unless what it moves is git's ("push the tag to
/// the PyPI mirror") or the line tells what automation does ("this will trigger a workflow that
/// … push the new gem to RubyGems").
pub(super) fn publishes(clause: &str, item: &str) -> Option<&'static str> {
    static GIT: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(?:tags?|branch\w*|commits?|changes)\b"));
    static AUTOMATION: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"\b(?:trigger\w*|ci|workflows?|automatic\w*|github actions|will)\b")
    });
    registry(clause).filter(|_| !GIT.is_match(clause) && !AUTOMATION.is_match(item))
}

/// The publish step for a registry.
fn publish(registry: &'static str) -> crate::init::workflow::DraftStep {
    let publish = step("publish", registry);
    if registry == "pypi" {
        return publish.with("files", toml::Value::Array(vec!["dist/*".into()]));
    }
    publish
}
