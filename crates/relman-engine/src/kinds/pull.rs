//! `pull = "main"`: fetch the branch from the remote and fast-forward the local one to it (a
//! release PR was merged on the forge; the tag must go on the merged commit). A local branch
//! that has diverged pauses the release with what to do; one already ahead is left alone.
//!
//! Done means the local branch contains the remote commit recorded before it moved.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::core::explain::{ExplainCx, Explained, code, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullStep {
    pub branch: Template,
    /// Default `project.remote` (`origin` in another checkout).
    pub remote: Option<String>,
}

impl Kind for PullStep {
    const SPEC: KindSpec = KindSpec {
        options: &[OptionSpec::string("remote")],
        in_checkout: true,
        plans_its_files: true,
        outputs: &["sha"],
        ..KindSpec::new(
            "pull",
            "fetch a branch and fast-forward the local one to it",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(PullStep {
            branch: options.required("pull", "\"main\"")?,
            remote: options.string("remote").map(Spanned::into_inner),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new().one("pull", &self.branch).list()
    }

    fn describe(&self, variables: &Variables) -> String {
        format!("pull {}", self.branch.render_partial(variables))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Fetch {} from {} and fast-forward the local branch to it.",
            show_code(&self.branch),
            self.remote
                .as_deref()
                .map_or_else(|| "the remote".to_owned(), code)
        ))
        .detail("A local branch that has diverged pauses the release until you reconcile it.")
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let remote = self.remote.as_deref().unwrap_or(&cx.project.remote);
        let branch = cx.render(&self.branch);
        cx.sim.changed_anything = true;
        Ok(vec![Effect::Git {
            description: format!(
                "fetch `{branch}` from `{remote}` and fast-forward the local `{branch}` to it"
            ),
            command: format!(
                "git fetch {remote} {branch} && git merge --ff-only {remote}/{branch}"
            ),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let repo = cx.repo();
        let branch = cx.render(&self.branch)?;
        let remote = self.remote(cx);
        let tracking = format!("refs/remotes/{remote}/{branch}");
        repo.fetch(&remote, &[&format!("+refs/heads/{branch}:{tracking}")])?;
        let fetched = repo.resolve_commit(&tracking)?;
        let local = repo.resolve_commit(&format!("refs/heads/{branch}")).ok();
        if cx.context_value("target").is_none() {
            cx.set_context("before", local.clone().unwrap_or_default());
            cx.set_context("target", fetched.clone());
            cx.save()?;
        }
        match local {
            None => repo.create_branch(&branch, &fetched)?,
            Some(local) if local == fetched || repo.is_ancestor(&fetched, &local)? => {}
            Some(local) if repo.is_ancestor(&local, &fetched)? => {
                repo.fast_forward(&branch, &local, &fetched)?;
            }
            Some(_) => {
                return Ok(Outcome::Paused(format!(
                    "the local `{branch}` and `{remote}/{branch}` have diverged: reconcile them \
                     (`git switch {branch} && git pull --rebase {remote} {branch}`), then `relman resume`"
                )));
            }
        }
        self.finish(cx, &branch, &fetched)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let Some(target) = cx.context_value("target").map(str::to_owned) else {
            return Ok(Probe::NotDone);
        };
        let branch = cx.render(&self.branch)?;
        let repo = cx.repo();
        match repo.resolve_commit(&format!("refs/heads/{branch}")) {
            Ok(local) if repo.is_ancestor(&target, &local)? => {
                self.finish(cx, &branch, &target)?;
                Ok(Probe::Done)
            }
            _ => Ok(Probe::NotDone),
        }
    }
}

impl PullStep {
    fn remote(&self, cx: &RunCx<'_>) -> String {
        self.remote
            .clone()
            .unwrap_or_else(|| cx.default_remote().to_owned())
    }

    fn finish(&self, cx: &mut RunCx<'_>, branch: &str, target: &str) -> Result<Outcome, StepError> {
        let head = cx.repo().resolve_commit(&format!("refs/heads/{branch}"))?;
        let before = cx.context_value("before").unwrap_or_default().to_owned();
        if !before.is_empty() && before != head {
            cx.push_undo(Undo::ResetBranch {
                branch: branch.to_owned(),
                to: before,
                from: head.clone(),
                index_only: false,
            });
        }
        cx.set_output("sha", head.clone());
        if cx.repo().current_branch()?.as_deref() == Some(branch) {
            cx.set_runtime("sha", head.clone());
        }
        cx.output(&format!(
            "`{branch}` is at {} (the remote's {})",
            &head[..head.len().min(7)],
            &target[..target.len().min(7)]
        ));
        Ok(Outcome::Done)
    }
}
