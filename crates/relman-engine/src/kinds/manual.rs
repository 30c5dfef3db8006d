//! `manual = "..."`: something a person must do. On a terminal relman shows it and waits;
//! otherwise the release pauses until `relman resume --confirm`.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualStep {
    pub text: Template,
    pub checklist: Vec<Template>,
}

use super::{Outcome, PlanCx, RunCx, StepError};
use crate::plan::Effect;
use crate::report::ManualAnswer;

impl ManualStep {
    pub(crate) fn preview(&self, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        Ok(vec![Effect::Manual {
            text: cx.render(&self.text),
            checklist: self.checklist.iter().map(|item| cx.render(item)).collect(),
        }])
    }

    pub(crate) fn execute(&self, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        if cx.confirmed {
            cx.output("confirmed with `relman resume --confirm`");
            return Ok(Outcome::Done);
        }
        let text = cx.render(&self.text)?;
        let checklist = self
            .checklist
            .iter()
            .map(|item| cx.render(item))
            .collect::<Result<Vec<_>, _>>()?;
        if cx.env.interactive {
            match cx.prompter.manual(&text, &checklist) {
                ManualAnswer::Done => return Ok(Outcome::Done),
                ManualAnswer::Later => {}
            }
        }
        let mut reason = text;
        for item in &checklist {
            reason.push_str("\n  - ");
            reason.push_str(item);
        }
        reason.push_str("\nwhen it is done: relman resume --confirm");
        Ok(Outcome::Paused(reason))
    }
}
