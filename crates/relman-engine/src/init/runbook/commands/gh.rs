//! GitHub's CLI (`gh`) in a runbook and the forge steps its commands are: `gh release create`
//! is a release, `gh workflow run` a dispatch (with its inputs, ref and repository), `gh pr
//! create` a pull request, `gh pr merge` its merge, `gh pr checks --watch` a wait for checks.
//! Anything else stays a `run` step.

use super::{option_value, run};
use crate::init::runbook::actions::{Action, Scope, step};
use crate::init::runbook::text::{literal, versioned};

pub(super) fn gh(args: &[&str], line: &str, scope: &Scope<'_>) -> Vec<Action> {
    match args {
        ["release", "create", rest @ ..] => {
            let draft = rest.contains(&"--draft") || rest.contains(&"-d");
            vec![Action::Step(release(
                if draft { "draft" } else { "publish" },
                rest,
                scope,
            ))]
        }
        // Publishing the draft made earlier: its notes, edited by people, stay.
        ["release", "edit", rest @ ..]
            if rest.iter().any(|arg| matches!(*arg, "--draft=false" | "--draft=0")) =>
        {
            vec![Action::Step(
                release("publish", &[], scope).with("keep-notes", true),
            )]
        }
        // Logging in, or asking whether one is: the check that the token works.
        ["auth", "login" | "status", ..] => vec![Action::Step(
            step("check", "credentials").comment(
                "relman uses the token in `GITHUB_TOKEN` (or `GH_TOKEN`): this check asks GitHub that it works, with the other services' logins",
            ),
        )],
        ["workflow", "run", workflow, rest @ ..] if !workflow.starts_with('-') => {
            vec![Action::Step(dispatch(workflow, rest, scope))]
        }
        ["pr", "create", rest @ ..] => {
            let mut pull = step("pull-request", "open");
            for (option, names) in [
                ("base", &["-B", "--base"][..]),
                ("head", &["-H", "--head"]),
                ("title", &["-t", "--title"]),
            ] {
                if let Some(value) = option_value(rest, names) {
                    pull.set(option, versioned(&value));
                }
            }
            if rest.iter().any(|arg| matches!(*arg, "-d" | "--draft")) {
                pull.set("draft", true);
            }
            vec![Action::Step(pull)]
        }
        ["pr", "merge", rest @ ..] => {
            let number = match &scope.last_pull_request {
                Some(id) => format!("{{steps.{id}.number}}"),
                None => "{pr_number}".to_owned(),
            };
            let method = if rest.iter().any(|arg| matches!(*arg, "-s" | "--squash")) {
                "squash"
            } else if rest.iter().any(|arg| matches!(*arg, "-r" | "--rebase")) {
                "rebase"
            } else {
                "merge"
            };
            vec![Action::Step(
                step("merge-pull-request", number).with("method", method),
            )]
        }
        ["pr", "checks", rest @ ..] if rest.contains(&"--watch") => {
            vec![Action::Step(step("wait", "checks"))]
        }
        _ => vec![run(line)],
    }
}

/// `gh workflow run release.yml -R o/n --ref main -f version=1.2.3`.
fn dispatch(workflow: &str, args: &[&str], scope: &Scope<'_>) -> crate::init::workflow::DraftStep {
    let mut dispatch = step("dispatch", literal(workflow));
    if let Some(reference) = option_value(args, &["-r", "--ref"]) {
        dispatch.set("ref", versioned(&reference));
    }
    if let Some(repo) = option_value(args, &["-R", "--repo"])
        && scope.facts.repo.as_deref() != Some(repo.as_str())
    {
        dispatch.set("repo", literal(&repo));
    }
    let mut inputs = toml::Table::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let field = match *arg {
            "-f" | "-F" | "--field" | "--raw-field" => iter.next().copied(),
            other => ["-f", "-F", "--field=", "--raw-field="]
                .iter()
                .find_map(|prefix| other.strip_prefix(prefix))
                .filter(|field| field.contains('=')),
        };
        if let Some((key, value)) = field.and_then(|field| field.split_once('=')) {
            inputs.insert(key.to_owned(), versioned(value).into());
        }
    }
    if !inputs.is_empty() {
        dispatch.set("inputs", toml::Value::Table(inputs));
    }
    dispatch
}

/// `gh release create TAG [FILES…] --notes-file F --generate-notes --prerelease -R o/n`.
fn release(value: &str, args: &[&str], scope: &Scope<'_>) -> crate::init::workflow::DraftStep {
    let mut release = step("release", value);
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match *arg {
            "-F" | "--notes-file" => {
                if let Some(file) = iter.next().filter(|file| plain_path(file)) {
                    release.set("notes", format!("{{file:{}}}", literal(file)));
                }
            }
            "-n" | "--notes" => {
                if let Some(notes) = iter.next() {
                    release.set("notes", versioned(notes));
                }
            }
            "-t" | "--title" | "--target" | "--discussion-category" => {
                iter.next();
            }
            "--generate-notes" => release.set("notes", "generate"),
            "-p" | "--prerelease" => release.set("prerelease", true),
            "-R" | "--repo" => {
                if let Some(repo) = iter.next()
                    && scope.facts.repo.as_deref() != Some(*repo)
                {
                    release.set("repo", literal(repo));
                }
            }
            other if other.starts_with('-') => {}
            other => positional.push(other),
        }
    }
    if let Some(tag) = positional.first() {
        let tag = versioned(tag);
        let known = scope.facts.tag_format.as_deref().unwrap_or("v{version}");
        if tag != "{tag}" && tag != known {
            release.set("tag", tag);
        }
    }
    let assets: Vec<toml::Value> = positional
        .iter()
        .skip(1)
        .filter(|file| plain_path(file))
        .map(|file| versioned(file).into())
        .collect();
    if !assets.is_empty() {
        release.set("assets", toml::Value::Array(assets));
    }
    release
}

/// A path inside the repository, as written (no variable, no way up).
fn plain_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains("..")
        && !path.contains(['$', '{', '}', '`'])
}
