//! `http = "METHOD URL"`: any request, with headers, a `json` body whose strings are templates or
//! a raw `body`, the `expect`ed status, and `save` of JSON pointers from the answer into outputs.
//!
//! No service says whether it already received a request: a step interrupted while sending
//! answers `Unknown`, and the executor pauses for a person rather than send twice, unless the step
//! is marked `idempotent = true`, or names a look-up (`find = "GET …"` with `found` pointers) that
//! finds what it created: then the step looks first, sends only when nothing is found, and a
//! resumed step found done takes its outputs from the look-up. A step recorded done is never sent
//! again. For the same reason, a `POST` or `PATCH` whose answer never came (the step's `timeout`,
//! default a minute, passed after it was sent) pauses instead of failing: a failed step is sent
//! again on resume, and this one may have been received.

use relman_remote::Redactor;
use relman_remote::announce::find::HttpFind;
use relman_remote::announce::http_step::{HttpStep as HttpCall, HttpStepBody};
use relman_remote::http::truncate;
use serde::{Deserialize, Serialize};

use crate::clients::{self, ask_a_person, failed, http_effect, maybe_received, note, render_json};
use crate::core::explain::{ExplainCx, Explained, join, labelled_text, show};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpStep {
    pub method: String,
    pub url: Template,
    pub headers: Vec<(String, Template)>,
    /// A JSON body whose strings are templates.
    pub json: Option<serde_json::Value>,
    pub body: Option<Template>,
    /// Default: any 2xx.
    pub expect: Option<u16>,
    /// Output name → JSON pointer into the response body.
    pub save: Vec<(String, String)>,
    /// The URL of a GET whose answer shows whether the effect is already there.
    #[serde(default)]
    pub find: Option<Template>,
    /// Output name → JSON pointer into `find`'s answer; all present means found.
    #[serde(default)]
    pub found: Vec<(String, String)>,
    pub idempotent: bool,
}

/// What `find` means, for the schema.
const FIND: &str = "`http`: a GET whose answer says whether the step's effect is already there.";

/// What `found` means, for the schema.
const FOUND: &str =
    "`http`: JSON pointers into `find`'s answer; all present means found (they become outputs).";

impl Kind for HttpStep {
    const SPEC: KindSpec = KindSpec {
        options: &[
            OptionSpec::map("headers"),
            OptionSpec::new("json", OptionType::Json),
            OptionSpec::string("body"),
            OptionSpec::new("expect", OptionType::U16),
            OptionSpec::map("save"),
            OptionSpec::string("find").about(FIND),
            OptionSpec::map("found").about(FOUND),
            OptionSpec::flag("idempotent"),
        ],
        outputs: &["status", "body"],
        ..KindSpec::new("http", "send an HTTP request")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("http").ok_or(Reported)?;
        let span = value.span();
        let text = value.into_inner();
        let Some((method, url)) = text.trim().split_once(char::is_whitespace) else {
            return Err(options.error_hint(
                span,
                format!("`http = \"{text}\"` needs a method and a URL"),
                "write it like `http = \"POST https://example.org/hook\"`",
            ));
        };
        let method = method.to_ascii_uppercase();
        if !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"].contains(&method.as_str()) {
            return Err(options.error(
                span,
                format!("`{method}` is not an HTTP method relman sends"),
            ));
        }
        if options.has("json") && options.has("body") {
            return Err(options.error(
                options.whole(),
                "an `http` step has a `json` or a `body`, not both",
            ));
        }
        let url = options.template_text(url.trim(), span)?;
        let json = options.json("json")?;
        let mut save = Vec::new();
        for (name, pointer) in options.map("save") {
            if !pointer.get_ref().is_empty() && !pointer.get_ref().starts_with('/') {
                return Err(options.error_hint(
                    pointer.span(),
                    format!(
                        "`save.{name} = \"{}\"` is not a JSON pointer",
                        pointer.get_ref()
                    ),
                    "JSON pointers start with `/`, e.g. `\"/id\"`",
                ));
            }
            save.push((name, pointer.into_inner()));
        }
        let (find, found) = parse_find(options, &save)?;
        Ok(HttpStep {
            method,
            url,
            headers: options.template_map("headers")?,
            json,
            body: options.template("body")?,
            expect: options.u16("expect"),
            save,
            find,
            found,
            idempotent: options.flag("idempotent").unwrap_or(false),
        })
    }

    fn outputs(&self) -> Vec<String> {
        let mut outputs: Vec<String> = Self::SPEC
            .outputs
            .iter()
            .map(|name| (*name).to_owned())
            .collect();
        // `found` only says whether the effect is there; the outputs are `save`'s, which
        // `found` names too.
        outputs.extend(self.save.iter().map(|(name, _)| name.clone()));
        outputs
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("http", &self.url)
            .opt("find", &self.find)
            .values("headers", &self.headers)
            .opt("body", &self.body)
            .list()
    }

    fn json_values(&self) -> Vec<&serde_json::Value> {
        self.json.iter().collect()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        // Titles land in the journal and the terminal: a URL's password or token never shows.
        let url = |template: &Template| Redactor::new().redact(&render(template));
        format!("{} {}", self.method, url(&self.url))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let mut explained = Explained::new(format!("Send `{} {}`.", self.method, show(&self.url)));
        if let Some(json) = &self.json {
            explained = explained.detail(format!("With the JSON body `{json}`."));
        }
        if let Some(body) = &self.body {
            explained = explained.detail(labelled_text("The body", body));
        }
        if !self.headers.is_empty() {
            let names: Vec<String> = self
                .headers
                .iter()
                .map(|(name, _)| format!("`{name}`"))
                .collect();
            explained = explained.detail(format!("Headers: {}.", join(&names)));
        }
        explained = explained.detail(match self.expect {
            Some(status) => format!("It must answer {status}."),
            None => "It must answer with a 2xx status.".to_owned(),
        });
        if !self.save.is_empty() {
            let saved: Vec<String> = self
                .save
                .iter()
                .map(|(name, pointer)| format!("`{name}` (from `{pointer}`)"))
                .collect();
            explained = explained.detail(format!("Keeps {} from the answer.", join(&saved)));
        }
        if let Some(find) = &self.find {
            explained = explained.detail(format!(
                "Looks first with `GET {}`: when its answer has {}, the request was sent by an earlier run and is not sent again.",
                show(find),
                join(
                    &self
                        .found
                        .iter()
                        .map(|(_, pointer)| format!("`{pointer}`"))
                        .collect::<Vec<_>>()
                )
            ));
        }
        explained
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let client = clients::http(cx.project, cx.env);
        let resolved = resolve_http(self, &mut |template| Ok(cx.render(template)))?;
        let mut effects = match http_call(self, resolved) {
            Ok(call) => vec![http_effect(&call.render(&client), &redactor)],
            // A URL only known at run time (`{steps.ID.url}`): show it as it stands.
            Err(_) => vec![Effect::Http {
                method: self.method.clone(),
                url: redactor.redact(
                    &clients::url_template::render_url(&self.url, &mut |template| {
                        Ok(cx.render(template))
                    })
                    .unwrap_or_else(|_| cx.render(&self.url)),
                ),
                body: None,
            }],
        };
        if let Some(find) = &self.find {
            let headers = render_headers(self, &mut |template| Ok(cx.render(template)))?;
            let url =
                clients::url_template::render_url(find, &mut |template| Ok(cx.render(template)))
                    .unwrap_or_else(|_| cx.render(find));
            match HttpFind::new(&url, &headers, &self.found) {
                Ok(find) => {
                    effects.insert(0, http_effect(&find.render(&client), &redactor));
                    effects.insert(
                    1,
                    note(
                        format!(
                            "looks first: when its answer has {}, the request was sent already and is not sent again",
                            pointers(&self.found)
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
        if !self.save.is_empty() {
            let saved: Vec<String> = self
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

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        // Look before creating: what an earlier run (or a person) created is not created twice.
        if let Some(find) = resolve_find(self, cx)?
            && let Some(outputs) = look_up(&find, cx, step.timeout)?
        {
            found_done(cx, outputs);
            return Ok(Outcome::Done);
        }
        let client = clients::http_with_timeout(cx.project, cx.env, step.timeout);
        let resolved = resolve_http(self, &mut |template| cx.render(template))?;
        let target = client.redactor().redact(&resolved.target);
        let call = http_call(self, resolved)?;
        let result = match call.execute(&client) {
            Ok(result) => result,
            Err(error) if !self.idempotent && maybe_received(&error) => {
                // Sent, no answer: the look-up can tell whether it was carried out.
                if let Some(find) = resolve_find(self, cx)?
                    && let Some(outputs) = look_up(&find, cx, step.timeout)?
                {
                    found_done(cx, outputs);
                    return Ok(Outcome::Done);
                }
                return Ok(ask_a_person(&format!("`{target}`"), &error));
            }
            Err(error) => return Err(failed(&format!("`{target}` failed"), error)),
        };
        cx.output(&format!("{target} answered {}", result.status));
        if self.method != "GET" && self.method != "HEAD" {
            cx.push_remote(RemoteEffect {
                description: format!("`{target}` (answered {})", result.status),
                undo_hint:
                    "relman knows no undo for it: reverse it in that service by hand if needed"
                        .to_owned(),
                pushed_refs: Vec::new(),
                pushed_at: None,
            });
        }
        cx.set_output("status", result.status.to_string());
        cx.set_output("body", truncate(&result.body, MAX_BODY_OUTPUT));
        for (name, value) in result.outputs {
            cx.set_output(&name, value);
        }
        Ok(Outcome::Done)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let Some(find) = resolve_find(self, cx)? else {
            return Ok(if self.idempotent {
                Probe::NotDone
            } else {
                Probe::Unknown
            });
        };
        Ok(match look_up(&find, cx, step.timeout)? {
            Some(outputs) => {
                found_done(cx, outputs);
                Probe::Done
            }
            None => Probe::NotDone,
        })
    }
}

/// An `http` step's look-up: the URL of its GET, and the pointers that show the effect.
type Find = (Option<Template>, Vec<(String, String)>);

/// `find` and `found`: both or neither; pointers; and every `save` name among `found`, so a
/// step found done has the outputs later steps use.
fn parse_find(options: &mut Options<'_>, save: &[(String, String)]) -> Result<Find, Reported> {
    let find = options.string("find");
    let found = options.map("found");
    let Some(find) = find else {
        if !found.is_empty() {
            return Err(options.error_hint(
                options.whole(),
                "`found` reads the answer of `find`, and the step has no `find`",
                "add `find = \"GET https://…\"`, a request that looks for what the step creates",
            ));
        }
        return Ok((None, Vec::new()));
    };
    let span = find.span();
    let text = find.into_inner();
    let url = match text.trim().split_once(char::is_whitespace) {
        Some((method, url)) if method.eq_ignore_ascii_case("GET") => url.trim(),
        Some((method, _)) => {
            return Err(options.error_hint(
                span,
                format!("`find` only reads, so it is a GET request, not `{method}`"),
                "write it like `find = \"GET https://example.org/rest/bug?summary=...\"`",
            ));
        }
        None => text.trim(),
    };
    let url = options.template_text(url, span.clone())?;
    if found.is_empty() {
        return Err(options.error_hint(
            span,
            "`find` needs `found`: what in its answer shows the effect is there",
            "add `found = { id = \"/bugs/0/id\" }` (JSON pointers into the answer)",
        ));
    }
    let mut pointers = Vec::new();
    for (name, pointer) in found {
        if !pointer.get_ref().starts_with('/') {
            return Err(options.error_hint(
                pointer.span(),
                format!(
                    "`found.{name} = \"{}\"` is not a JSON pointer",
                    pointer.get_ref()
                ),
                "JSON pointers start with `/`, e.g. `\"/bugs/0/id\"`",
            ));
        }
        pointers.push((name, pointer.into_inner()));
    }
    if let Some((name, _)) = save
        .iter()
        .find(|(name, _)| !pointers.iter().any(|(known, _)| known == name))
    {
        return Err(options.error_hint(
            span,
            format!("`save.{name}` has no counterpart in `found`"),
            format!("when the look-up finds the effect, the step's outputs come from `found`: add `found.{name}`"),
        ));
    }
    Ok((Some(url), pointers))
}

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
    let target = format!(
        "{} {}",
        step.method,
        clients::url_template::render_url(&step.url, render)?
    );
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
    let url = clients::url_template::render_url(find, &mut |template| cx.render(template))?;
    HttpFind::new(&url, &headers, &step.found)
        .map(Some)
        .map_err(|error| failed("the look-up (`find`) is not valid", error))
}

/// Asks the look-up; `Some(outputs)` when the effect is there.
fn look_up(
    find: &HttpFind,
    cx: &RunCx<'_>,
    timeout: Option<std::time::Duration>,
) -> Result<Option<Vec<(String, String)>>, StepError> {
    let client = clients::http_with_timeout(cx.project, cx.env, timeout);
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
