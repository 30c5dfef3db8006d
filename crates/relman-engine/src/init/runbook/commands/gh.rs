//! GitHub's CLI (`gh`) in a runbook and the forge steps its commands are: `gh release create`
//! is a release, `gh workflow run` a dispatch (with its inputs, ref and repository), `gh pr
//! create` a pull request, `gh pr merge` its merge, `gh pr checks --watch` a wait for checks.
//! Anything else stays a `run` step.

use super::{option_value, run};
use crate::init::runbook::actions::{Action, Scope, step};
use crate::init::runbook::text::{literal, versioned};

pub(super) fn gh(args: &[&str], line: &str, scope: &Scope<'_>) -> Vec<Action> {
    match args {
        ["release", "create", ..] => {
            let draft = args.contains(&"--draft") || args.contains(&"-d");
            vec![Action::Step(step(
                "release",
                if draft { "draft" } else { "publish" },
            ))]
        }
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
