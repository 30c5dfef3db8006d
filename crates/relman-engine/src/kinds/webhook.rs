//! `webhook = "https://..."`: a JSON `payload` (whose strings are templates) posted to a URL, with
//! `headers`.
//!
//! No service says whether it already got a message: a step interrupted while sending pauses for
//! a person (`Probe::Unknown`), and a message sent without an answer pauses rather than fails (a
//! failed step is sent again on resume).

use relman_remote::Redactor;
use relman_remote::announce::webhook::Webhook;
use serde::{Deserialize, Serialize};

use crate::clients::{self, ask_a_person, failed, http_effect, maybe_received, render_json};
use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
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
        format!("post to the webhook {}", url(&self.url))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!("Post a JSON payload to {}.", show_code(&self.url)))
            .detail(format!("The payload: `{}`.", self.payload))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let client = clients::http(cx.project, cx.env);
        let ResolvedWebhook {
            url,
            payload,
            headers,
        } = webhook_call(self, &mut |template| Ok(cx.render(template)))?;
        Ok(vec![match Webhook::new(&url, payload.clone(), &headers) {
            Ok(webhook) => http_effect(&webhook.render(&client), &redactor),
            Err(_) => Effect::Http {
                method: "POST".to_owned(),
                url: redactor.redact(&url),
                body: Some(
                    redactor.redact(&serde_json::to_string_pretty(&payload).unwrap_or_default()),
                ),
            },
        }])
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let client = clients::http_with_timeout(cx.project, cx.env, step.timeout);
        let ResolvedWebhook {
            url,
            payload,
            headers,
        } = webhook_call(self, &mut |template| cx.render(template))?;
        let shown = client.redactor().redact(&url);
        let answer =
            match Webhook::new(&url, payload, &headers).and_then(|webhook| webhook.send(&client)) {
                Ok(answer) => answer,
                Err(error) if maybe_received(&error) => {
                    return Ok(ask_a_person(&format!("the webhook {shown}"), &error));
                }
                Err(error) => {
                    return Err(failed(
                        &format!("cannot post to the webhook {shown}"),
                        error,
                    ));
                }
            };
        cx.output(&format!("{shown} answered {}", answer.status));
        cx.push_remote(RemoteEffect {
            description: format!("webhook {shown} notified (answered {})", answer.status),
            undo_hint: "relman knows no undo for it: reverse it in that service by hand if needed"
                .to_owned(),
            pushed_refs: Vec::new(),
            pushed_at: None,
        });
        cx.set_output("status", answer.status.to_string());
        Ok(Outcome::Done)
    }

    /// No service says whether it got a message: a person checks.
    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(Probe::Unknown)
    }
}

/// `webhook` options, resolved.
struct ResolvedWebhook {
    url: String,
    payload: serde_json::Value,
    headers: Vec<(String, String)>,
}

fn webhook_call(
    step: &WebhookStep,
    render: &mut dyn FnMut(&Template) -> Result<String, StepError>,
) -> Result<ResolvedWebhook, StepError> {
    let url = clients::url_template::render_url(&step.url, render)?;
    let payload = render_json(&step.payload, render)?;
    let mut headers = Vec::new();
    for (name, value) in &step.headers {
        headers.push((name.clone(), render(value)?));
    }
    Ok(ResolvedWebhook {
        url,
        payload,
        headers,
    })
}
