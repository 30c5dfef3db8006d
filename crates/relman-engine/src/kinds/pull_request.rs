//! `pull-request = "open"`: open a pull request, or reuse the open one for the same head and
//! base; exposes `{pr_number}` and `{pr_url}`.

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, codes, labelled_text, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequestStep {
    pub head: Template,
    pub base: Template,
    pub title: Template,
    pub body: Option<Template>,
    pub reviewers: Vec<Template>,
    pub assignees: Vec<Template>,
    pub labels: Vec<Template>,
    /// Another repository (`owner/name`).
    pub repo: Option<Template>,
    pub draft: bool,
}

impl Kind for PullRequestStep {
    const SPEC: KindSpec = KindSpec {
        values: &["open"],
        options: &[
            OptionSpec::string("head"),
            OptionSpec::string("base"),
            OptionSpec::string("title"),
            OptionSpec::string("body"),
            OptionSpec::list("reviewers"),
            OptionSpec::list("assignees"),
            OptionSpec::list("labels"),
            OptionSpec::string("repo"),
            OptionSpec::flag("draft"),
        ],
        outputs: &["number", "url"],
        ..KindSpec::new(
            "pull-request",
            "open a pull request, or reuse the open one for the same head and base",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("pull-request").ok_or(Reported)?;
        options.one_of(&value, "pull-request", &["open"])?;
        Ok(PullRequestStep {
            head: options.required("head", "\"release/{version}\"")?,
            base: options.required("base", "\"master\"")?,
            title: options.required("title", "\"Release {version}\"")?,
            body: options.template("body")?,
            reviewers: options.templates("reviewers")?,
            assignees: options.templates("assignees")?,
            labels: options.templates("labels")?,
            repo: options.template("repo")?,
            draft: options.flag("draft").unwrap_or(false),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("head", &self.head)
            .one("base", &self.base)
            .one("title", &self.title)
            .opt("body", &self.body)
            .all("reviewers", &self.reviewers)
            .all("assignees", &self.assignees)
            .all("labels", &self.labels)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let step = self;
        format!(
            "open a pull request from {} into {}",
            render(&step.head),
            render(&step.base)
        )
    }

    fn explain(&self, cx: &mut ExplainCx<'_>) -> Explained {
        let pull = self;
        let mut explained = Explained::new(format!(
            "Open a pull request from {} into {}, titled {} (or reuse the open one).",
            show_code(&pull.head),
            show_code(&pull.base),
            show_code(&pull.title)
        ));
        if let Some(repo) = &pull.repo {
            explained = explained.detail(format!("In the repository {}.", show_code(repo)));
        }
        if pull.draft {
            explained = explained.detail("As a draft.");
        }
        if let Some(body) = &pull.body {
            explained = explained.detail(labelled_text("The description", body));
        }
        for (label, values) in [
            ("Reviewers", &pull.reviewers),
            ("Assignees", &pull.assignees),
            ("Labels", &pull.labels),
        ] {
            if !values.is_empty() {
                explained = explained.detail(format!("{label}: {}.", codes(values)));
            }
        }
        explained.detail_if(
            cx.step.id.is_none(),
            "Later steps can use `{pr_number}` and `{pr_url}`.",
        )
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let _ = step;
        crate::remote::pull_request::preview_open(self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let _ = step;
        crate::remote::pull_request::execute_open(self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = step;
        crate::remote::pull_request::probe_open(self, cx)
    }
}
