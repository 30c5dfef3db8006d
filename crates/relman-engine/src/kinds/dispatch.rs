//! `dispatch = "release.yml"`: a GitHub Actions `workflow_dispatch`, then wait for the run it
//! started and download its artifacts.

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, PAUSES, join, show_code};
use crate::core::options::{INTERVAL, OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchStep {
    pub workflow: Template,
    /// Default: the release tag if it exists, else the branch.
    pub git_ref: Option<Template>,
    pub inputs: Vec<(String, Template)>,
    /// A folder to download the run's artifacts into.
    pub artifacts: Option<Template>,
    pub repo: Option<Template>,
}

impl Kind for DispatchStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::string("ref"),
            OptionSpec::map("inputs"),
            OptionSpec::string("artifacts"),
            OptionSpec::string("repo"),
            INTERVAL,
        ],
        outputs: &["run_id", "run_url", "conclusion"],
        ..KindSpec::new(
            "dispatch",
            "dispatch a GitHub Actions workflow and wait for its run",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(DispatchStep {
            workflow: options.required("dispatch", "\"release.yml\"")?,
            git_ref: options.template("ref")?,
            inputs: options.template_map("inputs")?,
            artifacts: options.template("artifacts")?,
            repo: options.template("repo")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("dispatch", &self.workflow)
            .opt("ref", &self.git_ref)
            .values("inputs", &self.inputs)
            .opt("artifacts", &self.artifacts)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let step = self;
        format!("dispatch {} and wait for its run", render(&step.workflow))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let dispatch = self;
        let mut explained = Explained::new(format!(
            "Run the GitHub Actions workflow {} on {} and wait for it to finish.",
            show_code(&dispatch.workflow),
            dispatch
                .git_ref
                .as_ref()
                .map_or_else(|| "the release tag (or the branch)".to_owned(), show_code)
        ));
        if !dispatch.inputs.is_empty() {
            let inputs: Vec<String> = dispatch
                .inputs
                .iter()
                .map(|(name, value)| format!("`{name}` = {}", show_code(value)))
                .collect();
            explained = explained.detail(format!("Inputs: {}.", join(&inputs)));
        }
        if let Some(artifacts) = &dispatch.artifacts {
            explained = explained.detail(format!(
                "Its artifacts are downloaded into {}.",
                show_code(artifacts)
            ));
        }
        explained.detail(PAUSES)
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        crate::remote::dispatch::preview(step, self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        crate::remote::dispatch::execute(step, self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = step;
        crate::remote::dispatch::probe(self, cx)
    }
}
