//! [`HttpError`]: every failure of a request, naming the method, the URL (secrets masked), the
//! status, and what the service itself said (GitHub's `message` and `errors[]`, a JSON `error`, or
//! the start of the body), so the user sees "Validation Failed: `tag_name` already_exists" rather
//! than "422".

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::request::Method;
use crate::timestamp::format_rfc3339;

/// The longest service message kept in an error (bodies can be whole HTML pages).
const MAX_MESSAGE: usize = 400;
/// The longest body kept in an error, for callers that parse it (GitHub's `errors[].code`).
const MAX_BODY: usize = 16 * 1024;

/// A failed request: method, masked URL, attempts made, and what went wrong.
#[derive(Debug)]
pub struct HttpError {
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    method: Method,
    url: String,
    attempts: u32,
    kind: ErrorKind,
    /// The `WWW-Authenticate` challenge of a 401 (a registry names its token service there).
    www_authenticate: Option<String>,
    /// Set when the client knows no byte of the request left (the deadline passed first).
    not_sent: bool,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The URL could not be used (not absolute, unsupported scheme).
    InvalidUrl { reason: String },
    /// No response: connection refused, DNS failure, TLS failure, timeout, reset.
    Transport {
        kind: TransportKind,
        message: String,
    },
    /// The service answered with a status of 400 or more (after retries, when retryable).
    Status {
        status: u16,
        /// What the service said, one line (GitHub: `message: errors`).
        message: String,
        /// The body, masked and cut to 16 KiB.
        body: String,
        /// How long the service asked to wait, when that was longer than the retry budget.
        retry_after: Option<Duration>,
        /// When a primary rate limit resets (`x-ratelimit-reset`), if it was exhausted.
        rate_limit_reset: Option<SystemTime>,
    },
    /// A redirect without `Location`, or too many of them.
    Redirect { message: String },
    /// The body was not what was expected (invalid JSON, a missing field).
    Decode { status: u16, message: String },
    /// A local file to send or to write could not be used.
    File {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The class of a transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Connect,
    Dns,
    Timeout,
    Tls,
    Io,
    Other,
}

impl HttpError {
    pub(crate) fn new(method: Method, url: impl Into<String>, kind: ErrorKind) -> Self {
        Self {
            inner: Box::new(Inner {
                method,
                url: url.into(),
                attempts: 1,
                kind,
                www_authenticate: None,
                not_sent: false,
            }),
        }
    }

    /// Marks the error as one of a request that was never sent.
    pub(crate) fn never_sent(mut self) -> Self {
        self.inner.not_sent = true;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn with_www_authenticate(mut self, challenge: Option<String>) -> Self {
        self.inner.www_authenticate = challenge;
        self
    }

    pub(crate) fn with_retry_after(mut self, asked: Option<Duration>) -> Self {
        if let ErrorKind::Status { retry_after, .. } = &mut self.inner.kind {
            *retry_after = asked;
        }
        self
    }

    /// An invalid URL error (also used by credential constructors).
    pub fn invalid_url(method: Method, url: &str, reason: impl Into<String>) -> Self {
        Self::new(
            method,
            url,
            ErrorKind::InvalidUrl {
                reason: reason.into(),
            },
        )
    }

    /// A decode error for a response that was not what the caller expected.
    pub fn decode(method: Method, url: &str, status: u16, message: impl Into<String>) -> Self {
        Self::new(
            method,
            url,
            ErrorKind::Decode {
                status,
                message: message.into(),
            },
        )
    }

    /// The request's method.
    pub fn method(&self) -> Method {
        self.inner.method
    }

    /// The request's URL, secrets masked.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        match &self.inner.kind {
            ErrorKind::Status { status, .. } | ErrorKind::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// What the service said, when it answered with an error status.
    pub fn service_message(&self) -> Option<&str> {
        match &self.inner.kind {
            ErrorKind::Status { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The (masked, truncated) error body, for callers that look for a specific error code.
    pub fn body(&self) -> Option<&str> {
        match &self.inner.kind {
            ErrorKind::Status { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The `WWW-Authenticate` header of the error response, if it had one.
    pub fn www_authenticate(&self) -> Option<&str> {
        self.inner.www_authenticate.as_deref()
    }

    /// Whether the service may have received the request: `false` only when it certainly did
    /// not (the name did not resolve, the connection was refused or unreachable, the TLS
    /// handshake failed, the URL was unusable, the deadline passed before sending). A `POST`
    /// that failed this way is safe to send again; one that may have been received is not.
    pub fn may_have_been_received(&self) -> bool {
        if self.inner.not_sent {
            return false;
        }
        match &self.inner.kind {
            ErrorKind::InvalidUrl { .. } => false,
            ErrorKind::Transport { kind, .. } => !matches!(
                kind,
                TransportKind::Connect | TransportKind::Dns | TransportKind::Tls
            ),
            _ => true,
        }
    }

    /// Whether trying again later may succeed (a timeout, a 5xx, a rate limit).
    pub fn is_transient(&self) -> bool {
        match &self.inner.kind {
            ErrorKind::Transport { kind, .. } => {
                !matches!(kind, TransportKind::Tls | TransportKind::Other)
            }
            ErrorKind::Status { status, .. } => {
                *status == 429 || (*status >= 500 && *status != 501)
            }
            _ => false,
        }
    }

    /// What the user can do about it, when this layer knows (forge clients add their own).
    pub fn hint(&self) -> Option<String> {
        match &self.inner.kind {
            ErrorKind::Status {
                rate_limit_reset: Some(reset),
                ..
            } => Some(format!(
                "the rate limit resets at {}; resume the release after that",
                format_rfc3339(*reset)
            )),
            ErrorKind::Status {
                retry_after: Some(wait),
                ..
            } => Some(format!(
                "the service asked to wait {}s before retrying; resume the release later",
                wait.as_secs()
            )),
            ErrorKind::Transport {
                kind: TransportKind::Timeout,
                ..
            } => Some("the service did not answer in time; check it is up, then resume".to_owned()),
            ErrorKind::Transport {
                kind: TransportKind::Dns | TransportKind::Connect,
                ..
            } => Some("check the URL and the network connection".to_owned()),
            _ => None,
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner {
            method,
            url,
            attempts,
            kind,
            www_authenticate: _,
            not_sent: _,
        } = &*self.inner;
        match kind {
            ErrorKind::InvalidUrl { reason } => {
                write!(f, "{method} `{url}`: invalid URL: {reason}")?;
            }
            ErrorKind::Transport { message, .. } => write!(f, "{method} {url} failed: {message}")?,
            ErrorKind::Status {
                status, message, ..
            } => {
                write!(f, "{method} {url} answered {status}")?;
                if let Some(reason) = reason_phrase(*status) {
                    write!(f, " {reason}")?;
                }
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
            }
            ErrorKind::Redirect { message } => write!(f, "{method} {url}: {message}")?,
            ErrorKind::Decode { status, message } => {
                write!(
                    f,
                    "{method} {url} answered {status} with an unexpected body: {message}"
                )?;
            }
            ErrorKind::File { path, source } => {
                write!(
                    f,
                    "{method} {url}: cannot use `{}`: {source}",
                    path.display()
                )?;
            }
        }
        if *attempts > 1 {
            write!(f, " (after {attempts} attempts)")?;
        }
        Ok(())
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.kind {
            ErrorKind::File { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The standard reason phrase of the statuses services actually send.
pub fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// The body kept in an error: cut at a character boundary.
pub(crate) fn keep_body(body: &str) -> String {
    truncate(body, MAX_BODY)
}

/// At most `max` bytes of `text`, cut at a character boundary and marked `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// What a service said in an error body: GitHub's `message` plus its `errors[]` (each a string or
/// `{resource, field, code, message}`), or a JSON `error`/`error_description`/`detail`, or the
/// body's text on one line.
pub fn service_message(body: &str) -> String {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    if let Ok(serde_json::Value::Object(object)) =
        serde_json::from_str::<serde_json::Value>(trimmed)
    {
        let text = |key: &str| object.get(key).and_then(serde_json::Value::as_str);
        let mut message = text("message")
            .or_else(|| text("error_description"))
            .or_else(|| text("detail"))
            .or_else(|| text("error"))
            .or_else(|| text("title"))
            .unwrap_or_default()
            .to_owned();
        if let Some(errors) = object.get("errors").and_then(serde_json::Value::as_array) {
            let details: Vec<String> = errors.iter().filter_map(describe_error_item).collect();
            if !details.is_empty() {
                if !message.is_empty() {
                    message.push_str(": ");
                }
                message.push_str(&details.join("; "));
            }
        }
        if !message.is_empty() {
            return truncate(&one_line(&message), MAX_MESSAGE);
        }
    }
    if trimmed.starts_with('<') {
        return truncate(&one_line(&strip_tags(trimmed)), MAX_MESSAGE);
    }
    truncate(&one_line(trimmed), MAX_MESSAGE)
}

fn describe_error_item(item: &serde_json::Value) -> Option<String> {
    match item {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Object(fields) => {
            let text = |key: &str| fields.get(key).and_then(serde_json::Value::as_str);
            if let Some(message) = text("message") {
                return Some(message.to_owned());
            }
            let mut parts = Vec::new();
            match (text("resource"), text("field")) {
                (Some(resource), Some(field)) => parts.push(format!("{resource} `{field}`")),
                (None, Some(field)) => parts.push(format!("`{field}`")),
                (Some(resource), None) => parts.push(resource.to_owned()),
                (None, None) => {}
            }
            if let Some(code) = text("code") {
                parts.push(code.to_owned());
            }
            (!parts.is_empty()).then(|| parts.join(" "))
        }
        _ => None,
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_validation_errors_are_spelled_out() {
        let body = r#"{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}],"documentation_url":"https://docs.github.com/rest"}"#;
        assert_eq!(
            service_message(body),
            "Validation Failed: Release `tag_name` already_exists"
        );
        let body = r#"{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"A pull request already exists for o:b."}]}"#;
        assert_eq!(
            service_message(body),
            "Validation Failed: A pull request already exists for o:b."
        );
    }

    #[test]
    fn other_bodies_become_one_line() {
        assert_eq!(
            service_message(r#"{"error":"invalid_token"}"#),
            "invalid_token"
        );
        assert_eq!(
            service_message("<html><h1>502 Bad\nGateway</h1></html>"),
            "502 Bad Gateway"
        );
        assert_eq!(service_message("  oops \n  again "), "oops again");
        assert_eq!(service_message(""), "");
        assert!(service_message(&"x".repeat(1000)).chars().count() <= MAX_MESSAGE + 1);
    }

    #[test]
    fn display_names_method_url_status_and_message() {
        let error = HttpError::new(
            Method::Post,
            "https://api.github.com/repos/o/r/releases",
            ErrorKind::Status {
                status: 422,
                message: "Validation Failed: Release `tag_name` already_exists".to_owned(),
                body: String::new(),
                retry_after: None,
                rate_limit_reset: None,
            },
        )
        .with_attempts(2);
        assert_eq!(
            error.to_string(),
            "POST https://api.github.com/repos/o/r/releases answered 422 Unprocessable Entity: \
             Validation Failed: Release `tag_name` already_exists (after 2 attempts)"
        );
        assert_eq!(error.status(), Some(422));
        assert!(!error.is_transient());
    }
}
