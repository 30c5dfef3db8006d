//! The finished workflows settled: descriptions folded into comments, the bumps of a release
//! (one release bump, a dev bump after it), a bump before a workflow that would release a
//! released version, repeated checks removed, and the arguments the steps use.

use std::sync::LazyLock;

use regex::Regex;

use crate::init::runbook::{ProjectFacts, text};
use crate::init::workflow::{DraftArg, DraftStep, DraftWorkflow, Entry};

/// A later workflow made only of a person's tasks is a section describing a kind of release (a
/// policy: "even versions only update dependencies"), not a procedure: its lines go back, as
/// comments, into the workflow before it.
pub(super) fn fold_descriptions(workflows: &mut Vec<DraftWorkflow>) {
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
            let level = step.kind_value().unwrap_or_default().to_owned();
            // "Update the version in the README" after the release restates the release's
            // version: only a line that speaks of the next version is the dev bump.
            let said = step.comments.join(" ").to_lowercase();
            let next = ["dev", "snapshot", "next"]
                .iter()
                .any(|word| said.contains(word));
            if level == "{args.bump}" && !next {
                restated(workflow, index);
                continue;
            }
            let Entry::Step(step) = &mut workflow.entries[index] else {
                continue;
            };
            if matches!(
                level.as_str(),
                "{args.bump}" | "major" | "minor" | "patch" | "auto"
            ) {
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
        restated(workflow, index);
    }
}

/// A bump that restates the release's: its lines stay as comments where it was.
fn restated(workflow: &mut DraftWorkflow, index: usize) {
    let Entry::Step(step) = workflow.entries.remove(index) else {
        return;
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
/// A dry run of a publish (`cargo publish --dry-run`, `cargo package`, `npm publish --dry-run`)
/// before the workflow's `publish` of the same registry is what that step's plan does already:
/// a comment, not a second step.
fn dry_runs_the_publish_plans(workflow: &mut DraftWorkflow, facts: &ProjectFacts) {
    for index in 0..workflow.entries.len() {
        let Entry::Step(step) = &workflow.entries[index] else {
            continue;
        };
        let command = match (step.kind(), step.kind_value()) {
            ("run", Some(command)) => command.split_whitespace().collect::<Vec<_>>(),
            _ => continue,
        };
        let registry = match command.as_slice() {
            ["cargo", "publish", rest @ ..] if rest.contains(&"--dry-run") => "cargo",
            ["cargo", "package", ..] => "cargo",
            ["npm", "publish", rest @ ..] if rest.contains(&"--dry-run") => "npm",
            _ => continue,
        };
        let published_later = workflow.entries[index + 1..].iter().any(|entry| {
            matches!(entry, Entry::Step(later)
                if later.kind() == "publish" && later.kind_value() == Some(registry))
        });
        if !published_later {
            // `cargo package` alone builds the `.crate`: the `build` step does, and checks it.
            // (A crate at the top, so that the step can read its name.)
            let crate_at_top = facts.root.as_ref().is_none_or(|root| {
                relman_version::files::read_text_bounded(
                    &root.join("Cargo.toml"),
                    relman_version::files::bounded::MAX_VERSION_FILE,
                )
                .is_ok_and(|manifest| manifest.contains("[package]"))
            });
            if command.starts_with(&["cargo", "package"])
                && crate_at_top
                && !command
                    .iter()
                    .any(|arg| arg.starts_with("-p") || arg.starts_with("--package"))
            {
                let mut build = DraftStep::new("build", "cargo");
                build.comments = step.comments.clone();
                workflow.entries[index] = Entry::Step(build);
            }
            continue;
        }
        let mut comments = step.comments.join("\n");
        comments.push_str(&format!(
            "\n→ the `publish = \"{registry}\"` step below runs its dry run in `relman plan`, before any step"
        ));
        workflow.entries[index] = Entry::Comment(comments);
    }
}

pub(super) fn tidy(workflow: &mut DraftWorkflow, facts: &ProjectFacts, source: &str) {
    dry_runs_the_publish_plans(workflow, facts);
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
pub(super) fn fragment_folder(text: &str) -> Option<String> {
    static FOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(changelog\.d|changes\.d|newsfragments|news\.d)\b")
            .expect("the folder expression is valid")
    });
    FOLDER.find(text).map(|found| found.as_str().to_owned())
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
