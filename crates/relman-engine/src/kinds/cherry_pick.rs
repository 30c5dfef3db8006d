//! `cherry-pick = ["sha", ...]`: apply commits with `-x`; a conflict pauses the release with
//! instructions, and `resume` continues once the user has resolved it.

use std::ops::ControlFlow;

use relman_git::{LogOptions, PickOutcome, Revisions};
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, codes};
use crate::core::options::{OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CherryPickStep {
    /// Each entry may expand to several commits separated by spaces or commas
    /// (`"{args.commits}"`).
    pub commits: Vec<Template>,
}

impl Kind for CherryPickStep {
    const SPEC: KindSpec = KindSpec {
        key_type: OptionType::StringOrList,
        in_checkout: true,
        outputs: &["shas"],
        ..KindSpec::new(
            "cherry-pick",
            "cherry-pick commits onto the current branch, recorded with -x",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string_or_list("cherry-pick").ok_or(Reported)?;
        let span = value.span();
        let mut commits = Vec::new();
        for entry in value.into_inner().into_vec() {
            commits.push(options.template_text(&entry, span.clone())?);
        }
        Ok(CherryPickStep { commits })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new().all("cherry-pick", &self.commits).list()
    }

    fn describe(&self, _variables: &Variables) -> String {
        "cherry-pick".to_owned()
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Cherry-pick {} onto the current branch, recorded with `-x`.",
            codes(&self.commits)
        ))
        .detail("A conflict pauses the release: resolve it, then `relman resume`.")
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let commits: Vec<String> = self
            .commits
            .iter()
            .flat_map(|template| {
                split(&cx.render(template))
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        Ok(vec![Effect::Git {
            description: format!(
                "cherry-pick {} onto the current branch, recorded with -x; a conflict pauses the release",
                relman_version::words::counted(commits.len(), "commit", "commits")
            ),
            command: format!("git cherry-pick -x {}", commits.join(" ")),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let commits = self.commits(cx)?;
        if let Some(branch) = cx.context_value("branch").map(str::to_owned) {
            let before = cx
                .context_value("head_before")
                .unwrap_or_default()
                .to_owned();
            let head = cx.repo().head_sha()?;
            cx.push_undo(Undo::ResetBranch {
                branch,
                to: before,
                from: head,
                index_only: false,
            });
        }
        let repo = cx.repo();
        if repo.cherry_pick_in_progress() {
            let status = repo.status()?;
            if !status.conflicts.is_empty() {
                let current = cx.context_value("conflict").unwrap_or_default().to_owned();
                return Ok(self.conflict(&current, &status.conflicts));
            }
            match repo.cherry_pick_continue()? {
                PickOutcome::Applied => {}
                PickOutcome::Conflict { commit, paths } => {
                    cx.set_context("conflict", commit.clone());
                    return Ok(self.conflict(&commit, &paths));
                }
                PickOutcome::Empty { commit } => return Err(empty(&commit)),
            }
        }
        let applied = self.applied(cx, &commits)?;
        let pending: Vec<String> = commits
            .iter()
            .filter(|sha| !applied.contains(sha))
            .cloned()
            .collect();
        if !pending.is_empty() {
            let pending: Vec<&str> = pending.iter().map(String::as_str).collect();
            match cx.repo().cherry_pick(&pending, true)? {
                PickOutcome::Applied => {}
                PickOutcome::Conflict { commit, paths } => {
                    cx.set_context("conflict", commit.clone());
                    return Ok(self.conflict(&commit, &paths));
                }
                PickOutcome::Empty { commit } => return Err(empty(&commit)),
            }
        }
        self.finish(cx)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        if cx.context_value("commits").is_none() {
            return Ok(Probe::NotDone);
        }
        let commits = self.commits(cx)?;
        if cx.repo().cherry_pick_in_progress() {
            return Ok(Probe::NotDone);
        }
        let applied = self.applied(cx, &commits)?;
        if commits.iter().all(|sha| applied.contains(sha)) {
            self.finish(cx)?;
            Ok(Probe::Done)
        } else {
            Ok(Probe::NotDone)
        }
    }
}

fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| !word.is_empty())
}

impl CherryPickStep {
    /// The commits to pick, resolved to full shas and recorded.
    fn commits(&self, cx: &mut RunCx<'_>) -> Result<Vec<String>, StepError> {
        if let Some(recorded) = cx.context_value("commits") {
            return Ok(recorded.split_whitespace().map(str::to_owned).collect());
        }
        let mut shas = Vec::new();
        for template in &self.commits {
            let text = cx.render(template)?;
            for word in split(&text) {
                shas.push(cx.repo().resolve_commit(word).map_err(|error| {
                    StepError::new(format!("cannot cherry-pick `{word}`: {error}"))
                        .with_hint("name commits by sha, tag or branch")
                })?);
            }
        }
        if shas.is_empty() {
            return Err(StepError::new("no commits to cherry-pick")
                .with_hint("pass them as an argument, e.g. `relman cherry-pick-fix <sha>`"));
        }
        let head = cx.repo().head_sha()?;
        cx.set_context("commits", shas.join(" "));
        cx.set_context("head_before", head);
        if let Some(branch) = cx.repo().current_branch()? {
            cx.set_context("branch", branch);
        }
        cx.save()?;
        Ok(shas)
    }

    /// Which of `commits` are already on the branch since the step started (by the
    /// "(cherry picked from commit …)" line `-x` adds).
    fn applied(&self, cx: &RunCx<'_>, commits: &[String]) -> Result<Vec<String>, StepError> {
        let before = cx
            .context_value("head_before")
            .unwrap_or_default()
            .to_owned();
        let mut applied = Vec::new();
        cx.repo().walk(
            Revisions::Range {
                since: &before,
                until: "HEAD",
            },
            &LogOptions::default(),
            |commit| {
                let message = commit.message();
                for sha in commits {
                    if message.contains(&format!("(cherry picked from commit {sha})")) {
                        applied.push(sha.clone());
                    }
                }
                ControlFlow::<()>::Continue(())
            },
        )?;
        Ok(applied)
    }

    fn conflict(&self, commit: &str, paths: &[std::path::PathBuf]) -> Outcome {
        Outcome::Paused(format!(
            "cherry-picking {} conflicts in {}: resolve the conflicts, `git add` the files, then `relman resume` (relman continues the cherry-pick)",
            &commit[..commit.len().min(7)],
            paths
                .iter()
                .map(|path| path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    fn finish(&self, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let head = cx.repo().head_sha()?;
        if let Some(branch) = cx.context_value("branch").map(str::to_owned) {
            let before = cx
                .context_value("head_before")
                .unwrap_or_default()
                .to_owned();
            cx.record()
                .undo
                .retain(|undo| !matches!(undo, Undo::ResetBranch { .. }));
            cx.push_undo(Undo::ResetBranch {
                branch,
                to: before,
                from: head.clone(),
                index_only: false,
            });
        }
        let commits = cx.context_value("commits").unwrap_or_default().to_owned();
        cx.set_output("shas", commits);
        cx.set_runtime("sha", head.clone());
        cx.set_runtime("short_sha", &head[..head.len().min(7)]);
        cx.output("cherry-picked");
        Ok(Outcome::Done)
    }
}

fn empty(commit: &str) -> StepError {
    StepError::new(format!(
        "cherry-picking {} changes nothing: it is probably on the branch already",
        &commit[..commit.len().min(7)]
    ))
    .with_hint(
        "skip it with `git cherry-pick --skip` and `relman resume`, or remove it from the list",
    )
}
