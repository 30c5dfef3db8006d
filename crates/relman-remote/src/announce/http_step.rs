//! `http = "POST https://..."`: any request a release needs that has no typed step (open a ticket,
//! ping a deploy service), with `headers`, a `json` or raw `body`, the `expect`ed statuses
//! (default: any success), and `save = { bug = "/id" }`: JSON pointers (RFC 6901) into the answer
//! whose values become step outputs (`steps.ID.bug`). A string is saved as is; a number, boolean,
//! object or array as its JSON text.
//!
//! Secrets in headers or the body come from variables the engine masks through the client's
//! redactor; `Authorization` and `Cookie` headers are not carried across a redirect to another
//! host.

use super::AnnounceError;
use crate::http::url::Origin;
use crate::http::{HttpClient, Method, RenderedRequest, RequestDescription};

/// The body of the request.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum HttpStepBody {
    #[default]
    None,
    Json(serde_json::Value),
    /// Sent as `text/plain; charset=utf-8` unless `headers` set a `Content-Type`.
    Text(String),
}

/// A resolved `http` step.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpStep {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: HttpStepBody,
    expect: Vec<u16>,
    save: Vec<(String, String)>,
}

/// What the request answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpStepResult {
    pub status: u16,
    /// The saved values, in the order of `save`.
    pub outputs: Vec<(String, String)>,
    /// The answer's text (masked and cut when it came with an error status).
    pub body: String,
}

impl HttpStep {
    /// `target` is `METHOD URL` or a bare URL (GET). `expect` empty means any status below 400.
    pub fn new(
        target: &str,
        headers: &[(String, String)],
        body: HttpStepBody,
        expect: &[u16],
        save: &[(String, String)],
    ) -> Result<Self, AnnounceError> {
        let (method, url) = parse_target(target)?;
        Origin::of(&url).map_err(|reason| AnnounceError::invalid("http", &url, reason))?;
        if let Some(status) = expect.iter().find(|status| !(100..=599).contains(*status)) {
            return Err(AnnounceError::invalid(
                "expect",
                status.to_string(),
                "not an HTTP status",
            ));
        }
        for (name, pointer) in save {
            if !(pointer.is_empty() || pointer.starts_with('/')) {
                return Err(AnnounceError::invalid(
                    "save",
                    format!("{name} = {pointer:?}"),
                    "a JSON pointer starts with `/` (`/id`, `/bugs/0/id`)",
                ));
            }
        }
        if matches!(method, Method::Get | Method::Head) && body != HttpStepBody::None {
            return Err(AnnounceError::invalid(
                "body",
                method.as_str(),
                "a GET or HEAD request has no body",
            ));
        }
        Ok(Self {
            method,
            url,
            headers: headers.to_vec(),
            body,
            expect: expect.to_vec(),
            save: save.to_vec(),
        })
    }

    pub fn request(&self) -> RequestDescription {
        let mut request = RequestDescription::new(self.method, &self.url);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        match &self.body {
            HttpStepBody::None => request,
            HttpStepBody::Json(value) => request.json(value.clone()),
            HttpStepBody::Text(text) => {
                request.bytes("text/plain; charset=utf-8", text.as_bytes().to_vec())
            }
        }
    }

    /// The request as a plan shows it, with what will be saved.
    pub fn render(&self, client: &HttpClient) -> RenderedRequest {
        client.render(&self.request())
    }

    /// Sends the request, checks the status and saves the pointed-at values.
    pub fn execute(&self, client: &HttpClient) -> Result<HttpStepResult, AnnounceError> {
        let (status, body, url) = match client.execute(&self.request()) {
            Ok(response) => (
                response.status(),
                response.text(),
                response.url().to_owned(),
            ),
            Err(error) => match error.status() {
                Some(status) if self.expect.contains(&status) => (
                    status,
                    error.body().unwrap_or_default().to_owned(),
                    error.url().to_owned(),
                ),
                _ => return Err(error.into()),
            },
        };
        if !self.expect.is_empty() && !self.expect.contains(&status) {
            let expected: Vec<String> = self.expect.iter().map(u16::to_string).collect();
            return Err(AnnounceError::UnexpectedStatus {
                method: self.method.to_string(),
                url,
                status,
                expected: expected.join(" or "),
            });
        }
        let outputs = self.saved_values(&body, &url)?;
        Ok(HttpStepResult {
            status,
            outputs,
            body,
        })
    }

    fn saved_values(&self, body: &str, url: &str) -> Result<Vec<(String, String)>, AnnounceError> {
        if self.save.is_empty() {
            return Ok(Vec::new());
        }
        let document: serde_json::Value =
            serde_json::from_str(body).map_err(|error| AnnounceError::NotJson {
                url: url.to_owned(),
                name: self.save[0].0.clone(),
                reason: error.to_string(),
            })?;
        self.save
            .iter()
            .map(|(name, pointer)| match document.pointer(pointer) {
                Some(value) => Ok((name.clone(), output_text(value))),
                None => Err(AnnounceError::MissingValue {
                    url: url.to_owned(),
                    name: name.clone(),
                    pointer: pointer.clone(),
                    available: describe_keys(&document),
                }),
            })
            .collect()
    }
}

/// `METHOD URL`, or a URL alone for GET.
pub fn parse_target(target: &str) -> Result<(Method, String), AnnounceError> {
    let target = target.trim();
    let (method, url) = match target.split_once(char::is_whitespace) {
        Some((method, url)) => (method, url.trim()),
        None => ("GET", target),
    };
    let method = match method.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        other => {
            return Err(AnnounceError::invalid(
                "http",
                other,
                "the method is one of GET, HEAD, POST, PUT, PATCH, DELETE",
            ));
        }
    };
    Ok((method, url.to_owned()))
}

/// The text a step output gets for a JSON value.
pub(super) fn output_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn describe_keys(document: &serde_json::Value) -> String {
    match document {
        serde_json::Value::Object(map) if !map.is_empty() => {
            let keys: Vec<String> = map.keys().take(10).map(|key| format!("`/{key}`")).collect();
            keys.join(", ")
        }
        serde_json::Value::Array(items) => format!("an array of {} items", items.len()),
        other => format!("a {}", json_kind(other)),
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "empty object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_parse() {
        assert_eq!(
            parse_target("post https://bz.test/rest/bug").unwrap(),
            (Method::Post, "https://bz.test/rest/bug".to_owned())
        );
        assert_eq!(parse_target("https://x.test/").unwrap().0, Method::Get);
        assert!(parse_target("FETCH https://x.test/").is_err());
    }

    #[test]
    fn options_are_checked() {
        let step = |target: &str, body: HttpStepBody, expect: &[u16], save: &[(&str, &str)]| {
            let save: Vec<(String, String)> = save
                .iter()
                .map(|(name, pointer)| ((*name).to_owned(), (*pointer).to_owned()))
                .collect();
            HttpStep::new(target, &[], body, expect, &save)
        };
        assert!(
            step(
                "POST https://x.test/",
                HttpStepBody::None,
                &[201],
                &[("bug", "/id")]
            )
            .is_ok()
        );
        assert!(step("POST https://x.test/", HttpStepBody::None, &[999], &[]).is_err());
        assert!(
            step(
                "POST https://x.test/",
                HttpStepBody::None,
                &[],
                &[("bug", "id")]
            )
            .is_err()
        );
        assert!(
            step(
                "GET https://x.test/",
                HttpStepBody::Json(json!({})),
                &[],
                &[]
            )
            .is_err()
        );
        assert!(step("POST x.test/", HttpStepBody::None, &[], &[]).is_err());
    }

    #[test]
    fn outputs_are_text() {
        assert_eq!(output_text(&json!("abc")), "abc");
        assert_eq!(output_text(&json!(1001)), "1001");
        assert_eq!(output_text(&json!({"a": [1]})), r#"{"a":[1]}"#);
        assert_eq!(
            describe_keys(&json!({"id": 1, "url": "u"})),
            "`/id`, `/url`"
        );
        assert_eq!(describe_keys(&json!([1, 2])), "an array of 2 items");
    }
}
