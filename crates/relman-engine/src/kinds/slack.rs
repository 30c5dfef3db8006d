//! `slack = "#channel"`: a message through an incoming webhook (`SLACK_WEBHOOK_URL` by default).

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::core::explain::{ExplainCx, Explained, labelled_text, show, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlackStep {
    pub channel: Template,
    pub message: Template,
    pub webhook_env: String,
}

impl Kind for SlackStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::string("message"),
            OptionSpec::string("webhook-env"),
        ],
        outputs: &["status"],
        ..KindSpec::new(
            "slack",
            "post a message to a Slack channel through an incoming webhook",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(SlackStep {
            channel: options.required("slack", "\"#releases\"")?,
            message: options.required("message", "\"Released {version}\"")?,
            webhook_env: options
                .string("webhook-env")
                .map_or_else(|| "SLACK_WEBHOOK_URL".to_owned(), Spanned::into_inner),
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("slack", &self.channel)
            .one("message", &self.message)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let step = self;
        format!("post to Slack {}", render(&step.channel))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let slack = self;
        let message = show(&slack.message);
        let explained = if message.trim_end().contains('\n') {
            Explained::new(format!("Post to Slack {}.", show_code(&slack.channel)))
                .detail(labelled_text("The message", &slack.message))
        } else {
            Explained::new(format!(
                "Post to Slack {}: {}.",
                show_code(&slack.channel),
                show_code(&slack.message)
            ))
        };
        explained.detail(format!(
            "Through the incoming webhook in `{}`.",
            slack.webhook_env
        ))
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let _ = step;
        crate::remote::announce::preview_slack(self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        crate::remote::announce::execute_slack(step, self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = (step, cx);
        Ok(Probe::Unknown)
    }
}
