//! `slack = "#channel"`: a message through an incoming webhook (`SLACK_WEBHOOK_URL` by default,
//! or the variable `webhook-env` names).
//!
//! Slack does not say whether it already got a message: a step interrupted while sending pauses
//! for a person (`Probe::Unknown`), and a message sent without an answer pauses rather than fails
//! (a failed step is sent again on resume).

use relman_remote::Secret;
use relman_remote::announce::slack::{Slack, SlackMessage};
use serde::{Deserialize, Serialize};

use crate::clients::{self, ask_a_person, failed, http_effect, maybe_received, note};
use crate::core::explain::{ExplainCx, Explained, labelled_text, show, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
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
                .env_name("webhook-env")?
                .unwrap_or_else(|| "SLACK_WEBHOOK_URL".to_owned()),
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Env {
            name: self.webhook_env.clone(),
            holds: "the Slack webhook URL",
        }]
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("slack", &self.channel)
            .one("message", &self.message)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("post to Slack {}", render(&self.channel))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let message = show(&self.message);
        let explained = if message.trim_end().contains('\n') {
            Explained::new(format!("Post to Slack {}.", show_code(&self.channel)))
                .detail(labelled_text("The message", &self.message))
        } else {
            Explained::new(format!(
                "Post to Slack {}: {}.",
                show_code(&self.channel),
                show_code(&self.message)
            ))
        };
        explained.detail(format!(
            "Through the incoming webhook in `{}`.",
            self.webhook_env
        ))
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let message = slack_message(self, &|template| Ok(cx.render(template)))?;
        match cx.env.var(&self.webhook_env) {
            Some(webhook) => {
                let rendered = slack(webhook, None)?.render(&message);
                Ok(vec![http_effect(&rendered, &redactor)])
            }
            None => Ok(vec![
            Effect::Http {
                method: "POST".to_owned(),
                url: format!("${}", self.webhook_env),
                body: Some(redactor.redact(
                    &serde_json::to_string_pretty(
                        &serde_json::json!({"text": message.text, "channel": message.channel}),
                    )
                    .unwrap_or_default(),
                )),
            },
            note(
                format!(
                    "`{}` is not set: set it to the Slack incoming-webhook URL before running",
                    self.webhook_env
                ),
                &redactor,
            ),
        ]),
        }
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let message = slack_message(self, &|template| cx.render(template))?;
        let webhook = cx.env.var(&self.webhook_env).ok_or_else(|| {
            StepError::new(format!(
                "`{}` is not set: it holds the Slack incoming-webhook URL",
                self.webhook_env
            ))
            .with_hint(format!(
                "create an incoming webhook (https://api.slack.com/messaging/webhooks) and export its URL as `{}`",
                self.webhook_env
            ))
        })?;
        let channel = message.channel.clone().unwrap_or_default();
        match slack(webhook, step.timeout)?.send(&message) {
            Ok(()) => {}
            Err(error) if maybe_received(&error) => {
                return Ok(ask_a_person(
                    &format!("the Slack message to {channel}"),
                    &error,
                ));
            }
            Err(error) => return Err(failed(&format!("cannot post to Slack {channel}"), error)),
        }
        cx.output(&format!("posted to Slack {channel}"));
        cx.push_remote(RemoteEffect {
            description: format!("Slack message to {channel}"),
            undo_hint: "delete or correct it in Slack by hand".to_owned(),
            pushed_refs: Vec::new(),
            pushed_at: None,
        });
        cx.set_output("status", "200");
        Ok(Outcome::Done)
    }

    /// Slack does not say whether it got a message: a person checks.
    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(Probe::Unknown)
    }
}

fn slack_message(
    step: &SlackStep,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<SlackMessage, StepError> {
    Ok(SlackMessage {
        channel: Some(render(&step.channel)?),
        text: render(&step.message)?,
    })
}

/// The Slack client masks the webhook's path and shows its host; a client that knew the whole
/// URL as a secret (it is one, by its variable's name) would show `****` for all of it.
fn slack(webhook: &str, timeout: Option<std::time::Duration>) -> Result<Slack, StepError> {
    Slack::new(
        &relman_remote::HttpClient::new(clients::http_options(timeout)),
        Secret::new(webhook),
    )
    .map_err(|error| failed("the Slack webhook URL is not usable", error))
}
