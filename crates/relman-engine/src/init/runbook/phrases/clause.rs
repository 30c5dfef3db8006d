//! Recognisers that read one clause of an item: an instruction ("increment the version",
//! "push a new tag", "create a Pull Request to master") and the step it asks for.

use std::sync::LazyLock;

use regex::Regex;

use super::patterns::*;
use super::{DEFAULT_COMMIT, Item, capitalise};
use crate::init::runbook::actions::{Action, Scope, step};
use crate::init::runbook::commands::{cherry_pick, switch_or_check};
use crate::init::runbook::text::{VERSION, literal, versioned};
use crate::init::workflow::DraftStep;

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

pub(super) fn actions(
    clause: &str,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
    found: &mut Vec<(usize, Action)>,
) {
    // "It's good practice to verify …" advises: the instruction after it.
    let (clause, offset) = match ADVICE.find(clause) {
        Some(advice) => (&clause[advice.end()..], offset + advice.end()),
        None => (clause, offset),
    };
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
    if let Some(verb) = VERIFYING.find(clause)
        && LOGGED_IN.is_match(&clause[verb.end()..])
    {
        push(verb.start(), Action::Step(step("check", "credentials")));
        return;
    }
    if let Some(found) = CLEAN.find(clause) {
        push(found.start(), Action::Step(step("check", "clean")));
        return;
    }
    // "Make sure you are on the `main` branch": where the release starts.
    if let Some(verb) = VERIFYING.find(clause)
        && let Some(captures) = ON_BRANCH.captures(&clause[verb.end()..])
    {
        let mut check = step("check", "branch");
        if captures[1] != scope.facts.branch {
            check.set("branch", literal(&captures[1]));
        }
        push(verb.start(), Action::Step(check));
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
    // "Create a branch `release-X.Y.Z` from the `X.Y.x` branch": the branch the span names.
    // "Check out a new `release-next` branch", "create a new `release/YY.N` branch off `main`".
    if let Some(found) = NAMED_BRANCH.find(clause) {
        let at = offset + found.start();
        let mut spans = item.spans.iter().filter(|(start, _)| *start >= at);
        // A name before the word is an instruction only when the clause starts with it ("if we
        // release a patch, we create a `release-M.N` branch …" describes).
        let before = clause[..found.start()].trim();
        let instructs = before.is_empty() || before.ends_with("then") || before.ends_with("and");
        if let Some((start, name)) = spans.next()
            && (*start >= offset + found.end() || instructs)
        {
            let mut branch = step("branch", versioned(name));
            let from_at = [" from ", " off of ", " off "]
                .iter()
                .find_map(|word| clause[found.end()..].find(word))
                .map(|index| offset + found.end() + index);
            if let Some(from_at) = from_at
                && let Some((_, base)) = item.spans.iter().find(|(start, _)| *start > from_at)
            {
                branch.set("from", versioned(base));
            }
            push(found.start(), Action::Step(branch));
            return;
        }
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
    let bump_verb = BUMP_VERB
        .find(clause)
        .filter(|verb| {
            names_version_word(&clause[verb.end()..])
                || VERSIONS_OBJECT.is_match(&clause[verb.end()..])
        })
        .or_else(|| BUMP_NOUN.find(clause));
    if let Some(verb) = bump_verb
        && !VERIFYING.is_match(&clause[..verb.start()])
        // "Change the `Unreleased` header to the version" edits the changelog.
        && !CHANGELOG_HEADING.is_match(clause)
    {
        let level = match NEXT_DEV.captures(clause) {
            Some(captures) if matches!(&captures[1], "dev" | "development" | "snapshot") => "dev",
            Some(_) => "preminor",
            None => "{args.bump}",
        };
        // "Update the version in `docs/install.md`" (or in `changelog.md`): where that file
        // holds it, an edit (the changelog's heading); else the bump.
        let leads = clause[..verb.start()].trim().is_empty();
        let steps = match level {
            "{args.bump}" => super::place::written_version(clause, offset, item, scope, leads),
            _ => None,
        };
        for step in steps.unwrap_or_else(|| vec![step("bump", level)]) {
            push(verb.start(), Action::Step(step));
        }
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
    // "Create a signed tag", and the verb alone: "Tag", "Tag the release commit" (not a label
    // put on an issue or a pull request).
    let tags = MAKE_TAG
        .captures(clause)
        .map(|captures| {
            let at = captures.get(0).map_or(0, |m| m.start());
            (at, captures.get(1).map_or("", |m| m.as_str()).to_owned())
        })
        .or_else(|| {
            TAG_VERB
                .find(clause)
                .filter(|_| !TAGGED_OTHER.is_match(clause))
                .map(|found| (found.start(), clause.to_owned()))
        });
    if let Some((at, kind)) = tags
        && !clause.contains("no tag")
    {
        let mut tag = step("tag", "{tag}");
        if kind.contains("signed") {
            tag.set("message", "Release {version}");
            tag.set("sign", true);
        } else if kind.contains("annotated") {
            tag.set("message", "Release {version}");
        }
        push(at, Action::Step(tag));
    }
    // "Push the gem to RubyGems" publishes: no git push.
    if let Some(found) = PUSH_VERB.find(clause)
        && super::intent::publishes(clause, &item.plain).is_none()
    {
        let rest = &clause[found.start()..];
        let target = if rest.contains("tag") {
            "tag"
        } else {
            "branch"
        };
        push(found.start(), Action::Step(step("push", target)));
    }
    // "Pull them back locally": the merged commit, here; "pull the latest changes": the branch
    // the steps are on (at the start, as `git pull` there, that the clone is current).
    if let Some(found) = PULL_LATEST.find(clause) {
        let branch = scope
            .current_branch
            .clone()
            .unwrap_or_else(|| scope.facts.branch.clone());
        let action = if scope.changed || scope.forge_moved {
            step("pull", literal(&branch))
        } else {
            step("check", "up-to-date")
        };
        push(found.start(), Action::Step(action));
    } else if let Some(found) = PULL_BACK.find(clause) {
        push(
            found.start(),
            Action::Step(step("pull", literal(&scope.facts.branch))),
        );
    }
    // The forge.
    if let Some(found) = PULL_REQUEST.find(clause) {
        // What the pull request is about stops where the next instruction starts ("… against
        // `main` and wait for the tests to run").
        let rest = &clause[found.end()..];
        let rest = rest.split(" and ").next().unwrap_or(rest);
        let base = PR_BASE
            .captures(rest)
            .filter(|captures| {
                captures.get(2).is_some()
                    || captures[1] == scope.facts.branch
                    || BRANCH_NAME.is_match(&captures[1])
            })
            .map(|captures| captures[1].to_owned());
        // "for generated docs" names it; "for it", "for this" do not.
        let title = rest
            .trim()
            .strip_prefix("for ")
            .filter(|what| {
                let first = what.split_whitespace().next().unwrap_or_default();
                ![
                    "it", "this", "that", "them", "these", "those", "the", "a", "an",
                ]
                .contains(&first)
                    && what.split_whitespace().count() <= 4
                    && !what.contains(['.', ','])
            })
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
    // "Add the `release` label to the PR": the pull request drafted before carries it.
    if let Some(captures) = LABEL_PR.captures(clause)
        && scope.last_pull_request.is_some()
    {
        let label = literal(captures[1].trim());
        push(
            captures.get(0).map_or(0, |m| m.start()),
            Action::Amend {
                kind: "pull-request",
                value: None,
                set: vec![("labels", toml::Value::Array(vec![label.clone().into()]))],
                what: format!("the pull request carries the `{label}` label (`labels`)"),
            },
        );
    }
    // "Merge the `release/…` branch into `main`" once a pull request of it is open: its merge.
    let merges_head = MERGE_HEAD
        .find(clause)
        .filter(|_| scope.last_pull_request.is_some());
    if let Some(found) = MERGE_PR.find(clause).or(merges_head) {
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
    } else if let Some(found) = PUBLISH_RELEASE
        .find(clause)
        .or_else(|| CREATE_RELEASE.find(clause))
    {
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
    // "While you're waiting for the tests, review the log": the wait is the circumstance.
    let waits = WAIT_CHECKS
        .find(clause)
        .filter(|_| !clause.starts_with("while "))
        .or_else(|| {
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
    // "Send to CI and if it passes, …": the branch pushed, its checks waited for.
    if let Some(found) = SEND_TO_CI.find(clause) {
        push(found.start(), Action::Step(step("push", "branch")));
        push(found.start() + 1, Action::Step(step("wait", "checks")));
    }
    if let Some(found) = TRIGGER_CIRCLECI.find(clause) {
        push(found.start(), Action::Step(step("circleci", "pipeline")));
    }
    // People.
    if let Some(found) = TICKET.find(clause) {
        let step = github_issue(clause, item, scope).unwrap_or_else(|| ticket(item));
        push(found.start(), Action::Step(step));
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

/// A commit: the message the line gives (`Use \`Release 1.2.3\` commit message`), else the
/// drafter's default.
fn commit(item: &Item) -> DraftStep {
    let message = if item.plain.contains("message") {
        item.spans
            .iter()
            .map(|(_, span)| span)
            .find(|span| span.contains(' ') || VERSION.is_match(span))
            .map(|span| versioned(span.trim_matches(['"', '\''])))
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

/// The headers of a drafted request to GitHub's REST API: the token from the environment, and
/// the media type GitHub documents.
pub(super) fn github_api_headers() -> toml::Table {
    toml::Table::from_iter([
        (
            "Authorization".to_owned(),
            toml::Value::from("Bearer {env.GITHUB_TOKEN}"),
        ),
        (
            "Accept".to_owned(),
            toml::Value::from("application/vnd.github+json"),
        ),
    ])
}

/// "Open an issue to track the release" in a project on GitHub: the request that opens it, with
/// a title the release fills in. A tracker of another kind (Bugzilla, Jira), another
/// repository named on the line, or an issue as one choice among others stays a person's task.
pub(super) fn github_issue(clause: &str, item: &Item, scope: &Scope<'_>) -> Option<DraftStep> {
    let repo = scope.facts.repo.as_deref()?;
    // "An issue or a pull request for later follow-up", "let them know that by creating an
    // issue they could have …": a person's judgement, or no task.
    if !clause.contains("issue")
        || ["bugzilla", "jira", "tracker"]
            .iter()
            .any(|word| item.plain.contains(word))
        || [
            "bug",
            "issue or",
            "or an issue",
            "or issue",
            "could",
            "would",
            "know",
            "follow-up",
        ]
        .iter()
        .any(|word| clause.contains(word))
    {
        return None;
    }
    let other_repo = item.spans.iter().any(|(_, span)| {
        let parts: Vec<&str> = span.split('/').collect();
        parts.len() == 2
            && parts.iter().all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            })
            && !span.eq_ignore_ascii_case(repo)
    });
    if other_repo {
        return None;
    }
    let headers = github_api_headers();
    let json = toml::Table::from_iter([(
        "title".to_owned(),
        toml::Value::from("Release {project} {version}"),
    )]);
    let save = toml::Table::from_iter([("number".to_owned(), toml::Value::from("/number"))]);
    Some(
        step(
            "http",
            format!("POST https://api.github.com/repos/{repo}/issues"),
        )
        .with("id", issue_id(scope.issues_opened))
        .with("headers", toml::Value::Table(headers))
        .with("json", toml::Value::Table(json))
        .with("save", toml::Value::Table(save))
        .comment("opens the issue on GitHub: give it the title and the body the runbook asks for (`json`)"),
    )
}

/// The id of the workflow's issue opened after `opened` others: `issue`, `issue2` …
pub(super) fn issue_id(opened: usize) -> String {
    match opened {
        0 => "issue".to_owned(),
        n => format!("issue{}", n + 1),
    }
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
