//! `delete-branch = "release/{version}"`: delete a branch here and on the remote (a release
//! branch whose PR was merged). A branch already gone from either place is fine: the step is
//! done when it is in neither. The branch checked out cannot be deleted: switch first.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::core::explain::{ExplainCx, Explained, code, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteBranchStep {
    pub branch: Template,
    /// Default `project.remote` (`origin` in another checkout).
    pub remote: Option<String>,
}

impl Kind for DeleteBranchStep {
    const SPEC: KindSpec = KindSpec {
        options: &[OptionSpec::string("remote")],
        in_checkout: true,
        plans_its_files: true,
        ..KindSpec::new("delete-branch", "delete a branch here and on the remote")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(DeleteBranchStep {
            branch: options.required("delete-branch", "\"release/{version}\"")?,
            remote: options.string("remote").map(Spanned::into_inner),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("delete-branch", &self.branch)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        format!("delete branch {}", self.branch.render_partial(variables))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Delete the branch {} here and on {}.",
            show_code(&self.branch),
            self.remote
                .as_deref()
                .map_or_else(|| "the remote".to_owned(), code)
        ))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let remote = self.remote.as_deref().unwrap_or(&cx.project.remote);
        let branch = cx.render(&self.branch);
        if cx.sim.branch.as_deref() == Some(branch.as_str()) {
            return Err(StepError::new(format!(
                "`{branch}` is checked out at this point: it cannot be deleted"
            ))
            .with_hint("switch to another branch in a step before (`switch = \"main\"`)"));
        }
        cx.sim.changed_anything = true;
        Ok(vec![Effect::Git {
            description: format!("delete the branch `{branch}` here and on `{remote}`"),
            command: format!(
                "git branch --delete --force {branch} && git push {remote} --delete {branch}"
            ),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let branch = cx.render(&self.branch)?;
        let remote = self
            .remote
            .clone()
            .unwrap_or_else(|| cx.default_remote().to_owned());
        let repo = cx.repo();
        if repo.current_branch()?.as_deref() == Some(branch.as_str()) {
            return Err(
                StepError::new(format!("`{branch}` is checked out: it cannot be deleted"))
                    .with_hint("switch to another branch in a step before (`switch = \"main\"`)"),
            );
        }
        let local = repo.resolve_commit(&format!("refs/heads/{branch}")).ok();
        let name = format!("refs/heads/{branch}");
        let on_remote = repo
            .ls_remote(&remote, &[&name])?
            .into_iter()
            .find(|found| found.name == name)
            .map(|found| found.target);
        if let Some(sha) = &local {
            cx.set_context("local", sha.clone());
        }
        if let Some(sha) = &on_remote {
            cx.set_context("remote", sha.clone());
        }
        cx.save()?;
        if let Some(sha) = local {
            repo.delete_branch(&branch)?;
            cx.push_remote(RemoteEffect {
                description: format!("local branch `{branch}` deleted (it was at {sha})"),
                undo_hint: format!("git branch {branch} {sha}"),
                pushed_refs: Vec::new(),
                pushed_at: None,
            });
        }
        if let Some(sha) = on_remote {
            repo.delete_remote_branch(&remote, &branch)?;
            cx.push_remote(RemoteEffect {
                description: format!("branch `{branch}` deleted on `{remote}`"),
                undo_hint: format!("git push {remote} {sha}:refs/heads/{branch}"),
                pushed_refs: Vec::new(),
                pushed_at: None,
            });
        }
        cx.output(&format!("deleted `{branch}` here and on {remote}"));
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let branch = cx.render(&self.branch)?;
        let remote = self
            .remote
            .clone()
            .unwrap_or_else(|| cx.default_remote().to_owned());
        let name = format!("refs/heads/{branch}");
        let repo = cx.repo();
        let here = repo.resolve_commit(&name).is_ok();
        let there = repo
            .ls_remote(&remote, &[&name])?
            .iter()
            .any(|found| found.name == name);
        Ok(if here || there {
            Probe::NotDone
        } else {
            Probe::Done
        })
    }
}
