//! `switch = "master"`: switch to a branch.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionType, Options, Reported, StringOrBool};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwitchStep {
    pub branch: Template,
}

impl Kind for SwitchStep {
    const SPEC: KindSpec = KindSpec {
        key_type: OptionType::StringOrBool,
        in_checkout: true,
        yields: true,
        ..KindSpec::new("switch", "switch to a branch")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string_or_bool("switch").ok_or(Reported)?;
        let span = value.span();
        match value.into_inner() {
            StringOrBool::String(text) => Ok(SwitchStep {
                branch: options.parse_template(&Spanned::new(span, text))?,
            }),
            StringOrBool::Bool(_) => Err(options.error_hint(
                span,
                "`switch = true` names no branch",
                "write `switch = \"main\"`, or use `switch = false` on a `branch` step",
            )),
        }
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new().one("switch", &self.branch).list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("switch to {}", render(&self.branch))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!("Switch to the branch {}.", show_code(&self.branch)))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let name = cx.render(&self.branch);
        cx.sim.branch = Some(name.clone());
        Ok(vec![Effect::Git {
            description: format!("switch to `{name}`"),
            command: format!("git switch {name}"),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
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

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let name = cx.render(&self.branch)?;
        if cx.repo().current_branch()?.as_deref() == Some(name.as_str()) {
            self.finish(cx, &name);
            Ok(Probe::Done)
        } else {
            Ok(Probe::NotDone)
        }
    }
}

impl SwitchStep {
    fn finish(&self, cx: &mut RunCx<'_>, name: &str) {
        if let Some(previous) = cx.context_value("previous").map(str::to_owned) {
            cx.push_undo(Undo::SwitchBack { to: previous });
        }
        cx.set_runtime("branch", name);
        cx.output(&format!("on {name}"));
    }
}
