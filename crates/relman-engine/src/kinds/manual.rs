//! `manual = "..."`: something a person must do. On a terminal relman shows it and waits;
//! otherwise the release pauses until `relman resume --confirm`.

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::report::ManualAnswer;
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualStep {
    pub text: Template,
    pub checklist: Vec<Template>,
}

impl Kind for ManualStep {
    const SPEC: KindSpec = KindSpec {
        options: &[OptionSpec::list("checklist")],
        ..KindSpec::new(
            "manual",
            "something a person does; the release waits for them",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(ManualStep {
            text: options.required("manual", "\"…\"")?,
            checklist: options.templates("checklist")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("manual", &self.text)
            .all("checklist", &self.checklist)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let text = render(&self.text);
        let first = text.lines().next().unwrap_or_default();
        if first.chars().count() > 60 {
            format!("manual: {}…", first.chars().take(59).collect::<String>())
        } else {
            format!("manual: {first}")
        }
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let mut explained = Explained::new(format!("**By hand:** {}", show(&self.text)));
        for item in &self.checklist {
            explained = explained.detail(format!("[ ] {}", show(item)));
        }
        explained.detail(
            "The release waits for you: confirm on the terminal, or `relman resume --confirm`.",
        )
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        Ok(vec![Effect::Manual {
            text: cx.render(&self.text),
            checklist: self.checklist.iter().map(|item| cx.render(item)).collect(),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
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

    // A person's step is done when they say so.
    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(Probe::NotDone)
    }
}
