//! `switch = "master"`: switch to a branch.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwitchStep {
    pub branch: Template,
}

use super::{Outcome, PlanCx, Probe, RunCx, StepError};
use crate::journal::Undo;
use crate::plan::Effect;

impl SwitchStep {
    pub(crate) fn preview(&self, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let name = cx.render(&self.branch);
        cx.sim.branch = Some(name.clone());
        Ok(vec![Effect::Git {
            description: format!("switch to `{name}`"),
            command: format!("git switch {name}"),
        }])
    }

    pub(crate) fn execute(&self, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let repo = cx.repo();
        let name = cx.render(&self.branch)?;
        if cx.context_value("previous").is_none()
            && let Some(current) = repo.current_branch()?
        {
            cx.set_context("previous", current);
            cx.save()?;
        }
        if repo.current_branch()?.as_deref() != Some(name.as_str()) {
            repo.switch(&name)?;
        }
        self.finish(cx, &name);
        Ok(Outcome::Done)
    }

    fn finish(&self, cx: &mut RunCx<'_>, name: &str) {
        if let Some(previous) = cx.context_value("previous").map(str::to_owned) {
            cx.push_undo(Undo::SwitchBack { to: previous });
        }
        cx.set_runtime("branch", name);
        cx.output(&format!("on {name}"));
    }

    pub(crate) fn probe(&self, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let name = cx.render(&self.branch)?;
        if cx.repo().current_branch()?.as_deref() == Some(name.as_str()) {
            self.finish(cx, &name);
            Ok(Probe::Done)
        } else {
            Ok(Probe::NotDone)
        }
    }
}
