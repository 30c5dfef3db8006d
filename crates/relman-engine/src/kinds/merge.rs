//! `merge = "master"`: merge the current branch into another one with a merge commit (a release
//! branch merged back), leaving that branch checked out. With `ff-only = true` the branch is
//! fast-forwarded instead, and a merge that cannot be a fast-forward pauses the release.

use relman_git::MergeOutcome;
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeStep {
    pub into: Template,
    pub message: Option<Template>,
    /// Fast-forward only: no merge commit. (Left out of the journal when false, so journals
    /// written before it read and write back the same.)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ff_only: bool,
}

impl Kind for MergeStep {
    const SPEC: KindSpec = KindSpec {
        options: &[OptionSpec::string("message"), OptionSpec::flag("ff-only")],
        in_checkout: true,
        yields: true,
        outputs: &["sha"],
        ..KindSpec::new(
            "merge",
            "merge the current branch into another with a merge commit",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(MergeStep {
            into: options.required("merge", "\"master\"")?,
            message: options.template("message")?,
            ff_only: options.flag("ff-only").unwrap_or(false),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("merge", &self.into)
            .opt("message", &self.message)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("merge into {}", render(&self.into))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Merge the current branch into {} {}.",
            show_code(&self.into),
            if self.ff_only {
                "as a fast-forward (the release pauses when it cannot be one)"
            } else {
                "with a merge commit"
            }
        ))
        .detail_if(
            self.message.is_some(),
            format!(
                "Its message: {}.",
                self.message.as_ref().map(show_code).unwrap_or_default()
            ),
        )
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let target = cx.render(&self.into);
        let source = cx
            .sim
            .branch
            .clone()
            .or_else(|| cx.variables.get_key("branch").map(str::to_owned))
            .unwrap_or_else(|| "HEAD".to_owned());
        cx.sim.branch = Some(target.clone());
        if self.ff_only {
            return Ok(vec![Effect::Git {
                description: format!(
                    "fast-forward `{target}` to `{source}` (leaves `{target}` checked out)"
                ),
                command: format!("git switch {target} && git merge --ff-only {source}"),
            }]);
        }
        Ok(vec![Effect::Git {
            description: format!(
                "merge `{source}` into `{target}` with a merge commit (leaves `{target}` checked out)"
            ),
            command: format!("git switch {target} && git merge --no-ff {source}"),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let repo = cx.repo();
        let target = cx.render(&self.into)?;
        if cx.context_value("source").is_none() {
            let source = repo
                .current_branch()?
                .ok_or_else(|| StepError::new("HEAD is detached: there is no branch to merge"))?;
            let source_sha = repo.head_sha()?;
            let target_before = repo.resolve_commit(&format!("refs/heads/{target}"))?;
            cx.set_context("source", source);
            cx.set_context("source_sha", source_sha);
            cx.set_context("target_before", target_before);
            cx.save()?;
        }
        let source = cx.context_value("source").unwrap_or_default().to_owned();
        let source_sha = cx
            .context_value("source_sha")
            .unwrap_or_default()
            .to_owned();
        if repo.current_branch()?.as_deref() != Some(target.as_str()) {
            repo.switch(&target)?;
        }
        if repo.is_ancestor(&source_sha, "HEAD")? {
            return self.finish(cx, &source, &target);
        }
        if self.ff_only {
            let before = cx
                .context_value("target_before")
                .unwrap_or_default()
                .to_owned();
            if !repo.is_ancestor("HEAD", &source_sha)? {
                return Ok(Outcome::Paused(format!(
                    "`{target}` cannot be fast-forwarded to `{source}`: they have diverged; merge \
                     or rebase by hand so `{target}` contains `{source}`, then `relman resume`"
                )));
            }
            repo.fast_forward(&target, &before, &source_sha)?;
            return self.finish(cx, &source, &target);
        }
        let message = self.message(cx, &source, &target)?;
        match repo.merge(&source_sha, &message)? {
            MergeOutcome::Merged { .. } => self.finish(cx, &source, &target),
            MergeOutcome::Conflict { paths } => Ok(Outcome::Paused(format!(
                "merging `{source}` into `{target}` conflicts in {}: resolve them, `git add` them and `git commit`, then `relman resume`",
                paths
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let Some(source_sha) = cx.context_value("source_sha").map(str::to_owned) else {
            return Ok(Probe::NotDone);
        };
        let target = cx.render(&self.into)?;
        let repo = cx.repo();
        if repo.current_branch()?.as_deref() == Some(target.as_str())
            && repo.is_ancestor(&source_sha, "HEAD")?
        {
            let source = cx.context_value("source").unwrap_or_default().to_owned();
            self.finish(cx, &source, &target)?;
            Ok(Probe::Done)
        } else {
            Ok(Probe::NotDone)
        }
    }
}

impl MergeStep {
    fn message(&self, cx: &RunCx<'_>, source: &str, target: &str) -> Result<String, StepError> {
        match &self.message {
            Some(message) => cx.render(message),
            None => Ok(format!("Merge branch '{source}' into {target}")),
        }
    }

    fn finish(&self, cx: &mut RunCx<'_>, source: &str, target: &str) -> Result<Outcome, StepError> {
        let head = cx.repo().head_sha()?;
        let before = cx
            .context_value("target_before")
            .unwrap_or_default()
            .to_owned();
        cx.push_undo(Undo::SwitchBack {
            to: source.to_owned(),
        });
        cx.push_undo(Undo::ResetBranch {
            branch: target.to_owned(),
            to: before,
            from: head.clone(),
            index_only: false,
        });
        cx.set_output("sha", head.clone());
        cx.set_runtime("branch", target);
        cx.output(&format!("merged {source} into {target}"));
        Ok(Outcome::Done)
    }
}
