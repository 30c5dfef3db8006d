//! `webhook = URL`: a JSON payload posted to a URL.

use relman_remote::Redactor;
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookStep {
    pub url: Template,
    /// A JSON payload whose strings are templates.
    pub payload: serde_json::Value,
    pub headers: Vec<(String, Template)>,
}

impl Kind for WebhookStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::new("payload", OptionType::Json),
            OptionSpec::map("headers"),
        ],
        outputs: &["status"],
        ..KindSpec::new("webhook", "post a JSON payload to a URL")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(WebhookStep {
            url: options.required("webhook", "\"https://…\"")?,
            payload: match options.json("payload")? {
                Some(payload) => payload,
                None => serde_json::json!({ "version": "{version}", "tag": "{tag}" }),
            },
            headers: options.template_map("headers")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("webhook", &self.url)
            .values("headers", &self.headers)
            .list()
    }

    fn json_values(&self) -> Vec<&serde_json::Value> {
        vec![&self.payload]
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        // Titles land in the journal and the terminal: a URL's password or token never shows.
        let url = |template: &Template| Redactor::new().redact(&render(template));
        let step = self;
        format!("post to the webhook {}", url(&step.url))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let webhook = self;
        Explained::new(format!(
            "Post a JSON payload to {}.",
            show_code(&webhook.url)
        ))
        .detail(format!("The payload: `{}`.", webhook.payload))
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let _ = step;
        crate::remote::announce::preview_webhook(self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        crate::remote::announce::execute_webhook(step, self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = (step, cx);
        Ok(Probe::Unknown)
    }
}
