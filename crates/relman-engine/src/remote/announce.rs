//! Telling systems and people: `http = "METHOD URL"` (headers, a `json` body whose strings are
//! templates or a raw `body`, the `expect`ed status, `save` of JSON pointers into outputs),
//! `slack = "#channel"` (through the incoming webhook in `webhook-env`, default
//! `SLACK_WEBHOOK_URL`) and `webhook = URL` (a JSON `payload`).
//!
//! None of these has a probe of its own: no service says whether it already received a message.
//! A step interrupted while sending answers `Unknown`, and the executor pauses for a person rather
//! than send twice, unless an `http` step is marked `idempotent = true`, or names a look-up
//! (`find = "GET …"` with `found` pointers) that finds what it created: then the step looks first,
//! sends only when nothing is found, and a resumed step found done takes its outputs from the
//! look-up. A step recorded done is never sent again. For the same reason, a `POST` or `PATCH` whose answer never came (the step's
//! `timeout`, default a minute, passed after it was sent) pauses instead of failing: a failed
//! step is sent again on resume, and this one may have been received.

use relman_remote::Secret;
use relman_remote::announce::AnnounceError;
use relman_remote::announce::find::HttpFind;
use relman_remote::announce::http_step::{HttpStep as HttpCall, HttpStepBody};
use relman_remote::announce::slack::{Slack, SlackMessage};
use relman_remote::announce::webhook::Webhook;
use relman_remote::http::{ErrorKind, Method, truncate};

use super::client::{self, failed};
use super::{http_effect, note, render_json};
use crate::journal::RemoteEffect;
use crate::plan::Effect;
use crate::steps::http::HttpStep;
use crate::steps::slack::SlackStep;
use crate::steps::webhook::WebhookStep;
use crate::steps::{Outcome, PlanCx, RunCx, StepDef, StepError};
use crate::template::Template;

/// The most of an answer's body kept as the `body` output (it lands in the journal).
const MAX_BODY_OUTPUT: usize = 16 * 1024;

/// `http` options, resolved.
struct ResolvedHttp {
    target: String,
    headers: Vec<(String, String)>,
    body: HttpStepBody,
}

fn resolve_http(
    step: &HttpStep,
    render: &mut dyn FnMut(&Template) -> Result<String, StepError>,
) -> Result<ResolvedHttp, StepError> {
    let target = format!("{} {}", step.method, render(&step.url)?);
    let mut headers = Vec::new();
    for (name, value) in &step.headers {
        headers.push((name.clone(), render(value)?));
    }
    let body = match (&step.json, &step.body) {
        (Some(json), _) => HttpStepBody::Json(render_json(json, render)?),
        (None, Some(body)) => HttpStepBody::Text(render(body)?),
        (None, None) => HttpStepBody::None,
    };
    Ok(ResolvedHttp {
        target,
        headers,
        body,
    })
}

fn http_call(step: &HttpStep, resolved: ResolvedHttp) -> Result<HttpCall, StepError> {
    HttpCall::new(
        &resolved.target,
        &resolved.headers,
        resolved.body,
        step.expect.as_slice(),
        &step.save,
    )
    .map_err(|error| failed("the request is not valid", error))
}

pub(super) fn preview_http(step: &HttpStep, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
    let redactor = client::redactor(cx.project, cx.env);
    let client = client::http(cx.project, cx.env);
    let resolved = resolve_http(step, &mut |template| Ok(cx.render(template)))?;
    let mut effects = match http_call(step, resolved) {
        Ok(call) => vec![http_effect(&call.render(&client), &redactor)],
        // A URL only known at run time (`{steps.ID.url}`): show it as it stands.
        Err(_) => vec![Effect::Http {
            method: step.method.clone(),
            url: redactor.redact(&cx.render(&step.url)),
            body: None,
        }],
    };
    if let Some(find) = &step.find {
        let headers = render_headers(step, &mut |template| Ok(cx.render(template)))?;
        let url = cx.render(find);
        match HttpFind::new(&url, &headers, &step.found) {
            Ok(find) => {
                effects.insert(0, http_effect(&find.render(&client), &redactor));
                effects.insert(
                    1,
                    note(
                        format!(
                            "looks first: when its answer has {}, the request was sent already and is not sent again",
                            pointers(&step.found)
                        ),
                        &redactor,
                    ),
                );
            }
            Err(_) => effects.insert(
                0,
                Effect::Http {
                    method: "GET".to_owned(),
                    url: redactor.redact(&url),
                    body: None,
                },
            ),
        }
    }
    if !step.save.is_empty() {
        let saved: Vec<String> = step
            .save
            .iter()
            .map(|(name, pointer)| format!("`{name}` from `{pointer}`"))
            .collect();
        effects.push(note(
            format!("saves {} of the JSON answer", saved.join(", ")),
            &redactor,
        ));
    }
    Ok(effects)
}

fn pointers(found: &[(String, String)]) -> String {
    found
        .iter()
        .map(|(_, pointer)| format!("`{pointer}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn render_headers(
    step: &HttpStep,
    render: &mut dyn FnMut(&Template) -> Result<String, StepError>,
) -> Result<Vec<(String, String)>, StepError> {
    step.headers
        .iter()
        .map(|(name, value)| Ok((name.clone(), render(value)?)))
        .collect()
}

/// The look-up of an `http` step, resolved; `None` when it has none.
fn resolve_find(step: &HttpStep, cx: &RunCx<'_>) -> Result<Option<HttpFind>, StepError> {
    let Some(find) = &step.find else {
        return Ok(None);
    };
    let headers = render_headers(step, &mut |template| cx.render(template))?;
    HttpFind::new(&cx.render(find)?, &headers, &step.found)
        .map(Some)
        .map_err(|error| failed("the look-up (`find`) is not valid", error))
}

/// Asks the look-up; `Some(outputs)` when the effect is there.
fn look_up(
    find: &HttpFind,
    cx: &RunCx<'_>,
    timeout: Option<std::time::Duration>,
) -> Result<Option<Vec<(String, String)>>, StepError> {
    let client = client::http_with_timeout(cx.project, cx.env, timeout);
    let url = client.redactor().redact(&find.request().url);
    find.look(&client)
        .map_err(|error| failed(&format!("cannot look with `GET {url}`"), error))
}

/// The outputs of a step the look-up found done.
fn found_done(cx: &mut RunCx<'_>, outputs: Vec<(String, String)>) {
    let summary: Vec<String> = outputs
        .iter()
        .map(|(name, value)| format!("{name} {value}"))
        .collect();
    cx.output(&format!(
        "found what an earlier run created ({}): not sent again",
        summary.join(", ")
    ));
    for (name, value) in outputs {
        cx.set_output(&name, value);
    }
}

/// `http` with a look-up: done when it finds the effect; without one, unknowable.
pub(super) fn probe_http(
    def: &StepDef,
    step: &HttpStep,
    cx: &mut RunCx<'_>,
) -> Result<crate::steps::Probe, StepError> {
    use crate::steps::Probe;
    let Some(find) = resolve_find(step, cx)? else {
        return Ok(if step.idempotent {
            Probe::NotDone
        } else {
            Probe::Unknown
        });
    };
    Ok(match look_up(&find, cx, def.timeout)? {
        Some(outputs) => {
            found_done(cx, outputs);
            Probe::Done
        }
        None => Probe::NotDone,
    })
}

/// Whether a request failed in a way that leaves unknown whether the service carried it out:
/// a `POST` or `PATCH` that may have left, then no answer (the client does not send those
/// again). One that never left (the name did not resolve, the connection was refused) failed.
fn maybe_received(error: &AnnounceError) -> bool {
    matches!(error, AnnounceError::Http(http)
    if matches!(http.method(), Method::Post | Method::Patch)
        && matches!(http.kind(), ErrorKind::Transport { .. })
        && http.may_have_been_received())
}

/// The pause of a message that may have been received.
fn ask_a_person(what: &str, error: &AnnounceError) -> Outcome {
    Outcome::Paused(format!(
        "{what} was sent, but no answer came ({error}): it may have been received. Check, then `relman resume --confirm` if it was; on a terminal, `relman resume` offers to send it again"
    ))
}

pub(super) fn execute_http(
    def: &StepDef,
    step: &HttpStep,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    // Look before creating: what an earlier run (or a person) created is not created twice.
    if let Some(find) = resolve_find(step, cx)?
        && let Some(outputs) = look_up(&find, cx, def.timeout)?
    {
        found_done(cx, outputs);
        return Ok(Outcome::Done);
    }
    let client = client::http_with_timeout(cx.project, cx.env, def.timeout);
    let resolved = resolve_http(step, &mut |template| cx.render(template))?;
    let target = client.redactor().redact(&resolved.target);
    let call = http_call(step, resolved)?;
    let result = match call.execute(&client) {
        Ok(result) => result,
        Err(error) if !step.idempotent && maybe_received(&error) => {
            // Sent, no answer: the look-up can tell whether it was carried out.
            if let Some(find) = resolve_find(step, cx)?
                && let Some(outputs) = look_up(&find, cx, def.timeout)?
            {
                found_done(cx, outputs);
                return Ok(Outcome::Done);
            }
            return Ok(ask_a_person(&format!("`{target}`"), &error));
        }
        Err(error) => return Err(failed(&format!("`{target}` failed"), error)),
    };
    cx.output(&format!("{target} answered {}", result.status));
    if step.method != "GET" && step.method != "HEAD" {
        cx.push_remote(RemoteEffect {
            description: format!("`{target}` (answered {})", result.status),
            undo_hint: "relman knows no undo for it: reverse it in that service by hand if needed"
                .to_owned(),
            pushed_refs: Vec::new(),
        });
    }
    cx.set_output("status", result.status.to_string());
    cx.set_output("body", truncate(&result.body, MAX_BODY_OUTPUT));
    for (name, value) in result.outputs {
        cx.set_output(&name, value);
    }
    Ok(Outcome::Done)
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
        &relman_remote::HttpClient::new(client::http_options(timeout)),
        Secret::new(webhook),
    )
    .map_err(|error| failed("the Slack webhook URL is not usable", error))
}

pub(super) fn preview_slack(
    step: &SlackStep,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let redactor = client::redactor(cx.project, cx.env);
    let message = slack_message(step, &|template| Ok(cx.render(template)))?;
    match cx.env.var(&step.webhook_env) {
        Some(webhook) => {
            let rendered = slack(webhook, None)?.render(&message);
            Ok(vec![http_effect(&rendered, &redactor)])
        }
        None => {
            Ok(vec![
            Effect::Http {
                method: "POST".to_owned(),
                url: format!("${}", step.webhook_env),
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
                    step.webhook_env
                ),
                &redactor,
            ),
        ])
        }
    }
}

pub(super) fn execute_slack(
    def: &StepDef,
    step: &SlackStep,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let message = slack_message(step, &|template| cx.render(template))?;
    let webhook = cx.env.var(&step.webhook_env).ok_or_else(|| {
        StepError::new(format!(
            "`{}` is not set: it holds the Slack incoming-webhook URL",
            step.webhook_env
        ))
        .with_hint(format!(
            "create an incoming webhook (https://api.slack.com/messaging/webhooks) and export its URL as `{}`",
            step.webhook_env
        ))
    })?;
    let channel = message.channel.clone().unwrap_or_default();
    match slack(webhook, def.timeout)?.send(&message) {
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
    });
    cx.set_output("status", "200");
    Ok(Outcome::Done)
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
    let url = render(&step.url)?;
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

pub(super) fn preview_webhook(
    step: &WebhookStep,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let redactor = client::redactor(cx.project, cx.env);
    let client = client::http(cx.project, cx.env);
    let ResolvedWebhook {
        url,
        payload,
        headers,
    } = webhook_call(step, &mut |template| Ok(cx.render(template)))?;
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

pub(super) fn execute_webhook(
    def: &StepDef,
    step: &WebhookStep,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let client = client::http_with_timeout(cx.project, cx.env, def.timeout);
    let ResolvedWebhook {
        url,
        payload,
        headers,
    } = webhook_call(step, &mut |template| cx.render(template))?;
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
    });
    cx.set_output("status", answer.status.to_string());
    Ok(Outcome::Done)
}
