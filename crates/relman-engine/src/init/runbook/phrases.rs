//! Instructions in prose and the typed steps they become: "switch to `master`", "increment the
//! `__version__`", "make a git tag", "create a Pull Request", "draft a new release", "wait for
//! CircleCI checks", "make sure it is on PyPI", "announce on the `releases` Slack channel" …
//!
//! Each recogniser reads one item (a list item or a line of prose) and answers with actions at
//! byte offsets of the item, so that several instructions on one line keep their order. A line
//! nothing recognises becomes a manual step; that is decided by the drafter, not here.

use std::sync::LazyLock;

use regex::Regex;

use super::actions::{Action, Scope, step, strings};
use super::commands::{checkout_from_url, cherry_pick, switch_or_check};
use super::text::{VERSION, clauses, literal, versioned};
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
        let plain = super::text::plain(&text);
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

/// A marker for a commit message the drafter fills in: `Release {version}`, or a development
/// message when the commit follows a later `bump`.
pub(crate) const DEFAULT_COMMIT: &str = "\u{0}default commit message";

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|error| panic!("phrase expression `{pattern}`: {error}"))
}

macro_rules! phrase {
    ($name:ident, $pattern:literal) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| regex($pattern));
    };
}

phrase!(
    VERIFYING,
    r"\b(confirm|verify|check|make sure|ensure|double-check)\b"
);
phrase!(
    EXPLAINING,
    r"^(this|that|it|which|these|those|there)\b|^(it's|it is|this will)\b"
);
phrase!(
    BRANCH_FROM,
    r"\bmust (?:be )?(?:cut |released |made |done )?(?:from|on) (?:the )?([\w./*-]+) branch"
);
phrase!(
    SWITCH,
    r"\b(?:switch|change|go|check ?out|move)\w* (?:back )?(?:to|onto|on) (?:the )?([\w./*{}-]+) branch"
);
phrase!(
    RELEASE_BRANCH,
    r"\b(?:creat|cut|mak|open|branch off)\w* (?:a |the )?(?:new )?release branch"
);
phrase!(
    BUMP_VERB,
    r"\b(?:increment|bump|update|change|edit|set|raise|increase)\w*\b"
);
phrase!(VERSION_WORD, r"(?:\bversion\b|__version__)");
phrase!(
    NEXT_DEV,
    r"\bnext (alpha|beta|rc|pre-?release|dev|development)\b"
);
phrase!(
    TAG_WITH_LEVEL,
    r"^tag\b.*\bwith (?:the |a )?(major|minor|patch) version"
);
phrase!(
    MAKE_TAG,
    r"\b(?:make|create|add|cut|apply)\w* (?:a |an |the )?(?:new )?((?:signed |annotated |git |release )*)tag\b"
);
phrase!(COMMIT_VERB, r"(?:^|\band |\bthen )commit\b(?: (\S+))?");
phrase!(PUSH_VERB, r"(?:^|\band |\bthen )push(?:es)?\b");
phrase!(
    PULL_REQUEST,
    r"\b(?:create|creating|open|opening|submit|submitting|make|making|raise|raising|send|file)s? (?:a |an |the )?(?:new )?(?:github |gitlab )?(?:pull request|pr|merge request)\b"
);
phrase!(
    PR_BASE,
    r"\b(?:to|into) (?:the )?([\w./-]+)(?: branch)?\s*$"
);
phrase!(
    ASSIGN_PR,
    r"\b(?:assign|request (?:a )?review)\w*\b.*\b(?:pr|pull request|review)"
);
phrase!(
    GITHUB_HANDLE,
    r"github:\s*@([A-Za-z0-9-]+)|@([A-Za-z0-9-]+)"
);
phrase!(
    MERGE_PR,
    r"\bmerge\w* (?:the )?(?:created |docs |release |open )?(?:pull request|pr)\b"
);
phrase!(
    PR_MERGED,
    r"\b(?:once|when|after|wait\w*)\b.*\b(?:pr|pull request)\b.*\bmerged\b"
);
phrase!(
    DRAFT_RELEASE,
    r"\bdraft(?:s|ed)? (?:a |the )?(?:new )?(?:github )?release\b|\bdraft release notes\b|/releases/new\b"
);
phrase!(
    PUBLISH_RELEASE,
    r"\bpublish(?:es|ed)? (?:the )?(?:github |draft )?release\b"
);
phrase!(
    RELEASE_FORM,
    r"\b(?:enter|copy|paste|fill|type|set)\w*\b.*\b(?:tag version|release description|release notes|release title|description)\b"
);
phrase!(
    WAIT_CHECKS,
    r"\bwait\w* (?:for|until) (?:the |all )?(?:ci|circleci|checks|build|tests|github actions|travis|jenkins|pipeline)\b"
);
phrase!(
    CI_GREEN,
    r"\b(?:ci|build|checks?|tests)\b (?:is|are|turns?|goes) (?:green|passing|passed)|\bpass(?:es)? (?:the )?ci\b"
);
phrase!(
    RERUN,
    r"\b(?:restart|re-?run|retry|re-?trigger)\w*\b.*\b(?:fail|flaky)"
);
phrase!(MUST_PASS_CI, r"\bmust pass (?:the )?ci\b|\bci must pass\b");
phrase!(
    MUST_CHANGELOG,
    r"\bmust (?:be accompanied by|have|include) (?:a |an |the )?(?:changelog|release notes)"
);
phrase!(
    CHANGELOG_ENTRY,
    r"changelog.*\b(?:entry|section|includes|contains|mentions|has)\b"
);
phrase!(
    VERSION_CHANGED,
    r"\bversion\b.*\b(?:changed|bumped|updated|incremented)\b"
);
phrase!(
    MILESTONE,
    r"\bmilestone\b.*\bclosed?\b|\bclose\w* (?:the )?milestone"
);
phrase!(
    CLEAN,
    r"\bno (?:local )?(?:staged (?:or |and )?)?(?:uncommit+ed|unstaged|local) changes|\b(?:working|work) (?:tree|copy|directory) is clean|\bclean (?:work(?:ing)? )?tree"
);
phrase!(UP_TO_DATE, r"\bup[- ]to[- ]date\b");
phrase!(
    CHANGELOG_UPDATE,
    r"\b(?:generat|updat|regenerat|writ|build)\w* (?:the )?(?:changelog|change log|release notes file)"
);
phrase!(
    CHANGELOG_REVIEW,
    r"\b(?:verify|make sure|check|review|fix|edit|looks good|accounted for|proofread)\b"
);
phrase!(TRIGGER_CIRCLECI, r"\btrigger\w*\b.*\bcircleci\b");
phrase!(PYPI, r"\bpypi\b");
phrase!(
    PUBLISHED,
    r"\b(?:published|available|is on|are on|appears?|uploaded|release is|files)\b"
);
phrase!(PYPI_PROJECT, r"pypi\.org/project/([A-Za-z0-9_.-]+)");
phrase!(
    DOCKER,
    r"\bdocker ?hub\b|\bdocker (?:images?|registry)\b|\bcontainer images?\b"
);
phrase!(
    OTHER_ARTIFACTS,
    r"\bhelm\b|\bs3\b|\bwebsite\b|\bbucket\b|\bdocs\b|\bcharts?\b"
);
phrase!(SLACK, r"\bslack\b");
phrase!(SLACK_HASH, r"#([a-z0-9][a-z0-9_-]*)");
phrase!(
    EMAIL,
    r"\b(?:send|shoot|write|drop)\w* (?:them |him |her |the \w+ |an? )*e-?mail\b|^e-?mail (?:the|to)\b"
);
phrase!(ADDRESS, r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+");
phrase!(
    TICKET,
    r"\b(?:file|open|creat|rais|submit)\w* (?:a |an )?(?:new )?(?:bug|ticket|issue|jira)\b|\bbugzilla\b"
);
phrase!(CLONE, r"\b(?:clone|checkout|check out)\b.*?(https?://\S+)");
phrase!(
    GIT_STATUS,
    r"\b(?:appear|show|listed)\w* in (?:the )?git status\b"
);
phrase!(
    SCHEME,
    r"\bversion(?:ing|ling)?\b.*\b(?:scheme|should use)\b|\bsemantic versioning\b|\bsemver\b"
);
phrase!(CHERRY_PICK, r"\bcherry-?pick");
phrase!(
    ANNOUNCE_VERB,
    r"^(?:collect|ask|notify|inform|tell|announce)\b"
);

/// Whether `text` speaks of the version (`version`, `__version__`), not of `{version}`.
fn names_version_word(text: &str) -> bool {
    VERSION_WORD
        .find_iter(text)
        .any(|found| !text[..found.start()].ends_with('{'))
}

/// Words after "commit" that make it a noun.
const NOT_COMMITTED: &[&str] = &[
    "hash", "hashes", "sha", "shas", "id", "ids", "message", "messages", "history", "log", "of",
];

/// Everything recognised in `item`, in the order the item says it.
pub(crate) fn recognise(item: &Item, scope: &Scope<'_>) -> Vec<(usize, Action)> {
    // Commands in code spans are more precise than the words around them: a phrase that
    // restates a command of the same line ("push a new tag, e.g. `git push origin v1.2.3`")
    // adds nothing.
    let mut commands: Vec<(usize, Action)> = Vec::new();
    for (offset, span) in &item.spans {
        if super::commands::looks_like_command(span) {
            for action in super::commands::command(span, scope) {
                commands.push((*offset, action));
            }
        }
    }
    let mut phrases: Vec<(usize, Action)> = Vec::new();
    let mut quiet_clauses = Vec::new();
    for (offset, clause) in clauses(&item.plain) {
        let before = phrases.len();
        clause_actions(clause.trim(), offset, item, scope, &mut phrases);
        if phrases.len() == before {
            quiet_clauses.push((offset, clause));
        }
    }
    item_actions(item, scope, &mut phrases);
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

fn clause_actions(
    clause: &str,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
    found: &mut Vec<(usize, Action)>,
) {
    if EXPLAINING.is_match(clause) {
        return;
    }
    let mut push = |at: usize, action: Action| found.push((offset + at, action));
    // Requirements and checks: "must be from master", "confirm the changelog has an entry".
    if let Some(captures) = BRANCH_FROM.captures(clause) {
        let mut check = step("check", "branch");
        if captures[1] != scope.facts.branch {
            check.set("branch", literal(&captures[1]));
        }
        push(
            captures.get(0).map_or(0, |m| m.start()),
            Action::Step(check),
        );
        return;
    }
    if let Some(found) = MUST_PASS_CI.find(clause) {
        push(found.start(), Action::Step(step("check", "ci-green")));
        return;
    }
    if let Some(found) = MUST_CHANGELOG.find(clause) {
        push(
            found.start(),
            Action::Step(step("check", "changelog-entry")),
        );
        return;
    }
    if let Some(verb) = VERIFYING.find(clause) {
        let rest = &clause[verb.start()..];
        if CHANGELOG_ENTRY.is_match(rest) {
            push(verb.start(), Action::Step(step("check", "changelog-entry")));
            return;
        }
        if VERSION_CHANGED.is_match(rest) {
            push(verb.start(), Action::Step(step("check", "version-bumped")));
            return;
        }
    }
    if let Some(found) = MILESTONE.find(clause) {
        push(
            found.start(),
            Action::Step(step("check", "milestone-closed")),
        );
        return;
    }
    if let Some(found) = CLEAN.find(clause) {
        push(found.start(), Action::Step(step("check", "clean")));
        return;
    }
    if let Some(found) = UP_TO_DATE.find(clause)
        && (clause.contains("local") || clause.contains("pull") || clause.contains("copy"))
    {
        push(found.start(), Action::Step(step("check", "up-to-date")));
        return;
    }
    // Branches.
    if let Some(captures) = SWITCH.captures(clause) {
        let name = &captures[1];
        push(
            captures.get(0).map_or(0, |m| m.start()),
            Action::Step(switch_or_check(name, scope)),
        );
    }
    if let Some(found) = RELEASE_BRANCH.find(clause) {
        push(
            found.start(),
            Action::Step(step("branch", "release/{major}.{minor}")),
        );
        if clause.contains("github") || clause.contains("remote") || clause.contains("push") {
            push(found.start() + 1, Action::Step(step("push", "branch")));
        }
    }
    if let Some(found) = CHERRY_PICK.find(clause) {
        push(found.start(), Action::Step(cherry_pick()));
    }
    // Versions.
    if let Some(captures) = TAG_WITH_LEVEL.captures(clause) {
        push(0, Action::Step(step("bump", captures[1].to_owned())));
        push(1, Action::Step(step("tag", "{tag}")));
        return;
    }
    if let Some(verb) = BUMP_VERB.find(clause)
        && names_version_word(&clause[verb.end()..])
        && !VERIFYING.is_match(&clause[..verb.start()])
    {
        let level = match NEXT_DEV.captures(clause) {
            Some(captures) if &captures[1] == "dev" || &captures[1] == "development" => "dev",
            Some(_) => "preminor",
            None => "{args.bump}",
        };
        push(verb.start(), Action::Step(step("bump", level)));
    }
    // Changelog.
    if let Some(found) = CHANGELOG_UPDATE.find(clause) {
        push(found.start(), Action::Step(step("changelog", "update")));
    }
    // Git.
    if let Some(captures) = COMMIT_VERB.captures(clause) {
        // "the commit hash", "commit message": a noun, not an instruction.
        let object = captures.get(1).map_or("", |m| m.as_str());
        if !NOT_COMMITTED.contains(&object) {
            let at = captures.get(0).map_or(0, |m| m.start());
            push(at, Action::Step(commit(item)));
        }
    }
    if let Some(captures) = MAKE_TAG.captures(clause)
        && !clause.contains("no tag")
    {
        let kind = captures.get(1).map_or("", |m| m.as_str());
        let mut tag = step("tag", "{tag}");
        if kind.contains("signed") {
            tag.set("message", "Release {version}");
            tag.set("sign", true);
        } else if kind.contains("annotated") {
            tag.set("message", "Release {version}");
        }
        push(captures.get(0).map_or(0, |m| m.start()), Action::Step(tag));
    }
    if let Some(found) = PUSH_VERB.find(clause) {
        let rest = &clause[found.start()..];
        let target = if rest.contains("tag") {
            "tag"
        } else {
            "branch"
        };
        push(found.start(), Action::Step(step("push", target)));
    }
    // The forge.
    if let Some(found) = PULL_REQUEST.find(clause) {
        let base = PR_BASE
            .captures(&clause[found.end()..])
            .map(|captures| captures[1].to_owned())
            .filter(|base| !["github", "it", "review", "master branch"].contains(&base.as_str()));
        let title = clause[found.end()..]
            .trim()
            .strip_prefix("for ")
            .map(|what| format!("{} for {{project}} {{version}}", capitalise(what.trim())));
        let mut pull = step("pull-request", "open");
        if let Some(base) = base {
            pull.set("base", literal(&base));
        }
        if let Some(title) = title {
            pull.set(
                "title",
                literal(&title).replace("{{project}} {{version}}", "{project} {version}"),
            );
        }
        push(found.start(), Action::Step(pull));
    }
    if let Some(found) = MERGE_PR.find(clause) {
        push(
            found.start(),
            Action::Step(merge_pull_request(clause, scope)),
        );
    }
    if let Some(found) = PR_MERGED.find(clause) {
        let mut wait = step("wait", "pr-merged");
        if let Some(id) = &scope.last_pull_request {
            wait.set("pr", format!("{{steps.{id}.number}}"));
        }
        push(found.start(), Action::Step(wait));
    }
    if let Some(found) = DRAFT_RELEASE.find(clause) {
        push(found.start(), Action::Step(step("release", "draft")));
    } else if let Some(found) = PUBLISH_RELEASE.find(clause) {
        push(found.start(), Action::Step(step("release", "publish")));
    } else if scope.has_release && RELEASE_FORM.is_match(clause) {
        push(
            0,
            Action::Covered(
                "the `release` step sets the tag, the title and the notes (this version's changelog section)"
                    .to_owned(),
            ),
        );
    }
    // CI.
    let waits = WAIT_CHECKS.find(clause).or_else(|| {
        VERIFYING
            .find(clause)
            .filter(|verb| CI_GREEN.is_match(&clause[verb.start()..]))
    });
    if let Some(found) = waits {
        let mut wait = step("wait", "checks");
        if let Some(checkout) = scope.checkout {
            if let Some(repo) = &checkout.repo {
                wait.set("repo", repo.clone());
            }
            if let Some(branch) = &scope.last_branch {
                wait.set("ref", branch.clone());
            }
        } else if scope.item.contains("tag") {
            wait.set("ref", "{tag}");
        }
        push(found.start(), Action::Step(wait));
    }
    if let Some(found) = RERUN.find(clause) {
        push(
            found.start(),
            Action::Amend {
                kind: "wait",
                value: Some("checks"),
                set: vec![("rerun-failed", toml::Value::Integer(2))],
                what: "re-runs failed jobs (twice at most) before it gives up: `rerun-failed` on the wait step"
                    .to_owned(),
            },
        );
    }
    if let Some(found) = TRIGGER_CIRCLECI.find(clause) {
        push(found.start(), Action::Step(step("circleci", "pipeline")));
    }
    // People.
    if let Some(found) = TICKET.find(clause) {
        push(found.start(), Action::Step(ticket(item)));
        return;
    }
    if let Some(found) = EMAIL.find(clause) {
        let text = literal(&item.text);
        let action = match ADDRESS.find(&item.text) {
            Some(address) => Action::Step(
                step("email", address.as_str().to_owned())
                    .with("subject", "{project} {version} released")
                    .with("body", "{changelog}"),
            ),
            None => Action::Step(step("manual", text)),
        };
        push(found.start(), action);
    }
    if SLACK.is_match(clause) {
        let mut channels: Vec<String> = SLACK_HASH
            .captures_iter(clause)
            .map(|captures| captures[1].to_owned())
            .collect();
        if channels.is_empty() && clause.contains("channel") {
            channels = item
                .spans
                .iter()
                .filter(|(at, span)| {
                    *at >= offset && *at < offset + clause.len() + 2 && !span.contains(' ')
                })
                .map(|(_, span)| span.trim_start_matches('#').to_owned())
                .collect();
        }
        for (index, channel) in channels.iter().enumerate() {
            push(
                clause.find("slack").unwrap_or(0) + index,
                Action::Step(
                    step("slack", format!("#{channel}"))
                        .with("message", "{project} {version} is released"),
                ),
            );
        }
    }
}

/// Recognisers that read the whole item rather than one clause.
fn item_actions(item: &Item, scope: &Scope<'_>, found: &mut Vec<(usize, Action)>) {
    let plain = item.plain.as_str();
    if let Some(found_clone) = CLONE.captures(plain)
        && let Some(url) = found_clone.get(1)
        && let Some(checkout) = checkout_from_url(&original_url(item, url.as_str()))
    {
        found.push((
            url.start(),
            Action::Covered(format!(
                "the steps below act in `{}`, cloned from {} when it is missing (`dir` and `clone`)",
                checkout.dir, checkout.clone
            )),
        ));
        found.push((url.start(), Action::Checkout(checkout)));
        return;
    }
    if let Some(at) = PYPI.find(plain)
        && VERIFYING.is_match(plain)
        && PUBLISHED.is_match(plain)
    {
        let package = PYPI_PROJECT.captures(plain).map_or_else(
            || scope.facts.name.clone(),
            |captures| captures[1].to_owned(),
        );
        found.push((
            at.start(),
            Action::Step(step("verify", "pypi").with("package", literal(&package))),
        ));
    }
    if let Some(at) = DOCKER.find(plain)
        && (VERIFYING.is_match(plain) || plain.contains("published"))
    {
        let image = match &scope.facts.repo {
            Some(repo) => format!("docker.io/{repo}"),
            None => format!("docker.io/{}", scope.facts.name),
        };
        let mut verify = step("verify", "oci")
            .with("image", literal(&image))
            .comment("check the image name: relman guessed it from the repository");
        if plain.contains("alpha channel") {
            verify.set("tags", strings(&["alpha"]));
        }
        found.push((at.start(), Action::Step(verify)));
        if OTHER_ARTIFACTS.is_match(plain) {
            found.push((
                at.start() + 1,
                Action::Step(step("manual", literal(&item.text)).comment(
                    "relman verifies the image above; the rest of this line is left to a person",
                )),
            ));
        }
    }
    if let Some(at) = GIT_STATUS.find(plain) {
        found.push((
            at.start(),
            Action::Covered(
                "a `commit` step stages exactly what the steps before it changed, and `relman plan` lists those files"
                    .to_owned(),
            ),
        ));
    }
    if let Some(at) = SCHEME.find(plain) {
        found.push((
            at.start(),
            Action::Covered("`scheme` in [project] says what versions look like".to_owned()),
        ));
    }
    if ASSIGN_PR.is_match(plain) {
        let handles: Vec<String> = GITHUB_HANDLE
            .captures_iter(&item.text)
            .filter_map(|captures| captures.get(1).or_else(|| captures.get(2)))
            .map(|handle| handle.as_str().to_owned())
            .take(1)
            .collect();
        if !handles.is_empty() {
            let handles: Vec<&str> = handles.iter().map(String::as_str).collect();
            found.push((
                0,
                Action::Amend {
                    kind: "pull-request",
                    value: None,
                    set: vec![
                        ("reviewers", strings(&handles)),
                        ("assignees", strings(&handles)),
                    ],
                    what: format!(
                        "asks {} to review: `reviewers` and `assignees` on the pull request step",
                        handles
                            .iter()
                            .map(|h| format!("@{h}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            ));
        }
    }
    let changelog_mentioned = plain.contains("changelog");
    let has_check = found
        .iter()
        .any(|(_, action)| matches!(action, Action::Step(step) if step.kind() == "check"));
    if changelog_mentioned && !has_check && CHANGELOG_REVIEW.is_match(plain) {
        found.push((
            CHANGELOG_REVIEW.find(plain).map_or(0, |m| m.start()),
            Action::Amend {
                kind: "changelog",
                value: None,
                set: vec![("edit", toml::Value::Boolean(true))],
                what: "opens the new section in `$EDITOR` before it is written: `edit = true` on the changelog step"
                    .to_owned(),
            },
        ));
    }
}

/// The URL as the runbook wrote it (case kept), from its lower-cased match.
fn original_url(item: &Item, lowered: &str) -> String {
    let lower = item.text.to_lowercase();
    match lower.find(lowered) {
        Some(at)
            if item.text.is_char_boundary(at) && item.text.is_char_boundary(at + lowered.len()) =>
        {
            item.text[at..at + lowered.len()].to_owned()
        }
        _ => lowered.to_owned(),
    }
}

/// A commit: the message the line gives (`Use \`Release 1.2.3\` commit message`), else the
/// drafter's default.
fn commit(item: &Item) -> DraftStep {
    let message = if item.plain.contains("message") {
        item.spans
            .iter()
            .map(|(_, span)| span)
            .find(|span| span.contains(' ') || VERSION.is_match(span))
            .map(|span| versioned(span))
    } else {
        None
    };
    step(
        "commit",
        message.unwrap_or_else(|| DEFAULT_COMMIT.to_owned()),
    )
}

fn merge_pull_request(clause: &str, scope: &Scope<'_>) -> DraftStep {
    let number = match &scope.last_pull_request {
        Some(id) => format!("{{steps.{id}.number}}"),
        None => "{pr_number}".to_owned(),
    };
    let mut merge = step("merge-pull-request", number);
    let _ = clause;
    merge.set("method", "merge");
    merge
}

/// A bug or ticket to file: a manual step, with the request an `http` step would send, from
/// what the line names (product, component, title), as a commented suggestion.
fn ticket(item: &Item) -> DraftStep {
    static NAMED: LazyLock<Regex> =
        LazyLock::new(|| regex(r"`([^`]+)` (product|component)|(?i:titled) `([^`]+)`"));
    let mut fields: Vec<(String, String)> = Vec::new();
    for captures in NAMED.captures_iter(&item.text) {
        match (captures.get(1), captures.get(2), captures.get(3)) {
            (Some(value), Some(field), _) => {
                fields.push((field.as_str().to_owned(), value.as_str().to_owned()));
            }
            (_, _, Some(title)) => fields.push(("summary".to_owned(), title.as_str().to_owned())),
            _ => {}
        }
    }
    let mut manual = step("manual", literal(&item.text));
    if !fields.is_empty() {
        let json: Vec<String> = fields
            .iter()
            .map(|(key, value)| {
                format!(
                    "{key} = {}",
                    crate::init::toml_text::quote(&versioned(value))
                )
            })
            .collect();
        manual = manual.comment(format!(
            "With the tracker's REST API this could be an `http` step instead, e.g.\n\
             http = \"POST https://bugzilla.example.org/rest/bug\"\n\
             json = {{ {}, description = \"{{changelog}}\" }}\n\
             headers = {{ X-BUGZILLA-API-KEY = \"{{env.BUGZILLA_API_KEY}}\" }}",
            json.join(", ")
        ));
    }
    manual
}
