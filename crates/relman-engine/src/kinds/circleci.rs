//! `circleci = "pipeline"`: trigger a CircleCI pipeline on a branch or tag with parameters, wait
//! for its workflows, and download artifacts.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::core::explain::{ExplainCx, Explained, PAUSES, join, show_code};
use crate::core::options::{INTERVAL, OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircleciStep {
    pub branch: Option<Template>,
    pub tag: Option<Template>,
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub artifacts: Option<Template>,
    /// The project slug, e.g. `gh/owner/name`; default from the forge repository.
    pub project: Option<Template>,
    /// Default `CIRCLE_TOKEN`.
    pub token_env: String,
}

impl Kind for CircleciStep {
    const SPEC: KindSpec = KindSpec {
        values: &["pipeline"],
        options: &[
            OptionSpec::string("branch"),
            OptionSpec::string("tag"),
            OptionSpec::new("parameters", OptionType::Table),
            OptionSpec::string("artifacts"),
            OptionSpec::string("project"),
            OptionSpec::string("token-env"),
            INTERVAL,
        ],
        outputs: &["pipeline_id", "pipeline_number", "pipeline_url"],
        ..KindSpec::new(
            "circleci",
            "trigger a CircleCI pipeline and wait for its workflows",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("circleci").ok_or(Reported)?;
        options.one_of(&value, "circleci", &["pipeline"])?;
        if options.has("branch") && options.has("tag") {
            return Err(options.error(
                options.whole(),
                "a `circleci` pipeline runs on a `branch` or a `tag`, not both",
            ));
        }
        let parameters = match options.json("parameters")? {
            Some(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        Ok(CircleciStep {
            branch: options.template("branch")?,
            tag: options.template("tag")?,
            parameters,
            artifacts: options.template("artifacts")?,
            project: options.template("project")?,
            token_env: options
                .string("token-env")
                .map_or_else(|| "CIRCLE_TOKEN".to_owned(), Spanned::into_inner),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .opt("branch", &self.branch)
            .opt("tag", &self.tag)
            .opt("artifacts", &self.artifacts)
            .opt("project", &self.project)
            .list()
    }

    fn json_values(&self) -> Vec<&serde_json::Value> {
        self.parameters.values().collect()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let step = self;
        match (&step.branch, &step.tag) {
            (_, Some(tag)) => format!("run a CircleCI pipeline on tag {}", render(tag)),
            (Some(branch), None) => format!("run a CircleCI pipeline on {}", render(branch)),
            (None, None) => "run a CircleCI pipeline".to_owned(),
        }
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let circleci = self;
        let on = match (&circleci.branch, &circleci.tag) {
            (Some(branch), _) => format!(" on the branch {}", show_code(branch)),
            (None, Some(tag)) => format!(" on the tag {}", show_code(tag)),
            (None, None) => String::new(),
        };
        let mut explained = Explained::new(format!(
            "Trigger a CircleCI pipeline{on} and wait for its workflows."
        ));
        if !circleci.parameters.is_empty() {
            let parameters: Vec<String> = circleci
                .parameters
                .iter()
                .map(|(name, value)| format!("`{name} = {value}`"))
                .collect();
            explained = explained.detail(format!("Parameters: {}.", join(&parameters)));
        }
        if let Some(project) = &circleci.project {
            explained = explained.detail(format!("The project is {}.", show_code(project)));
        }
        if let Some(artifacts) = &circleci.artifacts {
            explained = explained.detail(format!(
                "Its artifacts are downloaded into {}.",
                show_code(artifacts)
            ));
        }
        explained
            .detail(format!("The token is read from `{}`.", circleci.token_env))
            .detail(PAUSES)
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        crate::remote::circleci::preview(step, self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        crate::remote::circleci::execute(step, self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = step;
        crate::remote::circleci::probe(self, cx)
    }
}
