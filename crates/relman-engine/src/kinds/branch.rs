//! `branch = "release/{major}.{minor}"`: create a branch (from HEAD or `from`), and switch to it
//! unless `switch = false`.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchStep {
    pub name: Template,
    pub from: Option<Template>,
    pub switch: bool,
}

use super::{Outcome, PlanCx, Probe, RunCx, StepError};
use crate::journal::Undo;
use crate::plan::Effect;

impl BranchStep {
    pub(crate) fn preview(&self, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let name = cx.render(&self.name);
        let from = self
            .from
            .as_ref()
            .map_or_else(|| "HEAD".to_owned(), |from| cx.render(from));
        let mut effects = vec![Effect::Git {
            description: format!("create branch `{name}` from {from}"),
            command: format!("git branch {name} {from}"),
        }];
        if self.switch {
            effects.push(Effect::Git {
                description: format!("switch to `{name}`"),
                command: format!("git switch {name}"),
            });
            cx.sim.branch = Some(name);
        }
        Ok(effects)
    }

    pub(crate) fn execute(&self, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let repo = cx.repo();
        let name = cx.render(&self.name)?;
        let from = match &self.from {
            Some(from) => cx.render(from)?,
            None => "HEAD".to_owned(),
        };
        let start = repo.resolve_commit(&from)?;
        if cx.context_value("start").is_none() {
            cx.set_context("start", start.clone());
            if let Some(current) = repo.current_branch()? {
                cx.set_context("previous", current);
            }
            cx.save()?;
        }
        let exists = repo.branch_names()?.contains(&name);
        if exists {
            let at = repo.resolve_commit(&format!("refs/heads/{name}"))?;
            let recorded = cx.context_value("start").unwrap_or_default().to_owned();
            if at != recorded {
                return Err(StepError::new(format!(
                    "branch `{name}` already exists (at {})",
                    &at[..7.min(at.len())]
                ))
                .with_hint(format!(
                    "release from it by switching to it (`switch = \"{name}\"`), or delete it first"
                )));
            }
        } else {
            repo.create_branch(&name, &start)?;
        }
        let previous = cx.context_value("previous").map(str::to_owned);
        cx.push_undo(Undo::DeleteBranch {
            branch: name.clone(),
            back_to: previous,
        });
        if self.switch && repo.current_branch()?.as_deref() != Some(name.as_str()) {
            repo.switch(&name)?;
        }
        cx.set_output("branch", name.clone());
        cx.set_output("sha", start);
        cx.set_runtime("branch", name.clone());
        cx.output(&format!(
            "branch {name} created{}",
            if self.switch { " and checked out" } else { "" }
        ));
        Ok(Outcome::Done)
    }

    pub(crate) fn probe(&self, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let name = cx.render(&self.name)?;
        let Some(start) = cx.context_value("start").map(str::to_owned) else {
            return Ok(Probe::NotDone);
        };
        let repo = cx.repo();
        if !repo.branch_names()?.contains(&name)
            || repo.resolve_commit(&format!("refs/heads/{name}"))? != start
        {
            return Ok(Probe::NotDone);
        }
        if self.switch && repo.current_branch()?.as_deref() != Some(name.as_str()) {
            return Ok(Probe::NotDone);
        }
        let previous = cx.context_value("previous").map(str::to_owned);
        cx.push_undo(Undo::DeleteBranch {
            branch: name.clone(),
            back_to: previous,
        });
        cx.set_output("branch", name.clone());
        cx.set_output("sha", start);
        cx.set_runtime("branch", name);
        Ok(Probe::Done)
    }
}
