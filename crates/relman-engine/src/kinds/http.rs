//! `http = "POST https://..."`: any request, with headers, a JSON or raw body, an expected
//! status, `save` of JSON pointers from the response into step outputs, and `find`/`found`: a
//! look-up that finds what an earlier run created, so the request is sent once.

use relman_remote::Redactor;
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, join, labelled_text, show};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
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
        let step = self;
        format!("{} {}", step.method, url(&step.url))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let http = self;
        let mut explained = Explained::new(format!("Send `{} {}`.", http.method, show(&http.url)));
        if let Some(json) = &http.json {
            explained = explained.detail(format!("With the JSON body `{json}`."));
        }
        if let Some(body) = &http.body {
            explained = explained.detail(labelled_text("The body", body));
        }
        if !http.headers.is_empty() {
            let names: Vec<String> = http
                .headers
                .iter()
                .map(|(name, _)| format!("`{name}`"))
                .collect();
            explained = explained.detail(format!("Headers: {}.", join(&names)));
        }
        explained = explained.detail(match http.expect {
            Some(status) => format!("It must answer {status}."),
            None => "It must answer with a 2xx status.".to_owned(),
        });
        if !http.save.is_empty() {
            let saved: Vec<String> = http
                .save
                .iter()
                .map(|(name, pointer)| format!("`{name}` (from `{pointer}`)"))
                .collect();
            explained = explained.detail(format!("Keeps {} from the answer.", join(&saved)));
        }
        if let Some(find) = &http.find {
            explained = explained.detail(format!(
                "Looks first with `GET {}`: when its answer has {}, the request was sent by an earlier run and is not sent again.",
                show(find),
                join(
                    &http
                        .found
                        .iter()
                        .map(|(_, pointer)| format!("`{pointer}`"))
                        .collect::<Vec<_>>()
                )
            ));
        }
        explained
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let _ = step;
        crate::remote::announce::preview_http(self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        crate::remote::announce::execute_http(step, self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        crate::remote::announce::probe_http(step, self, cx)
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
            format!(
                "when the look-up finds the effect, the step's outputs come from `found`: add `found.{name}`"
            ),
        ));
    }
    Ok((Some(url), pointers))
}
