//! `merge-pull-request = "{pr_number}"`: merge a pull request with a method.

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergePullRequestStep {
    pub number: Template,
    /// `merge`, `squash` or `rebase`.
    pub method: String,
    pub repo: Option<Template>,
}

impl Kind for MergePullRequestStep {
    const SPEC: KindSpec = KindSpec {
        key_type: OptionType::StringOrInt,
        options: &[OptionSpec::string("method"), OptionSpec::string("repo")],
        outputs: &["sha"],
        ..KindSpec::new("merge-pull-request", "merge a pull request")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options
            .string_or_int("merge-pull-request")
            .ok_or(Reported)?;
        let span = value.span();
        let number = options.template_text(&value.into_inner().into_string(), span)?;
        let method = match options.string("method") {
            None => "merge".to_owned(),
            Some(method) => options
                .one_of(&method, "method", &["merge", "squash", "rebase"])?
                .to_owned(),
        };
        Ok(MergePullRequestStep {
            number,
            method,
            repo: options.template("repo")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("merge-pull-request", &self.number)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let step = self;
        format!("merge pull request #{}", render(&step.number))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let merge = self;
        Explained::new(format!(
            "Merge pull request {} ({}).",
            show_code(&merge.number),
            merge.method
        ))
        .detail_if(
            merge.repo.is_some(),
            format!(
                "In the repository {}.",
                merge.repo.as_ref().map(show_code).unwrap_or_default()
            ),
        )
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let _ = step;
        crate::remote::pull_request::preview_merge(self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let _ = step;
        crate::remote::pull_request::execute_merge(self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = step;
        crate::remote::pull_request::probe_merge(self, cx)
    }
}
