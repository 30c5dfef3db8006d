//! What a request is before it is sent: [`RequestDescription`] (method, URL, plain headers, body),
//! the [`Credential`]s a client attaches by origin, and [`RenderedRequest`], the masked form a plan,
//! a log line or the journal shows.
//!
//! The same description is rendered by `relman plan` and sent by the executor, so what the user
//! approved is what goes out. Secrets never live in a description: they are bound to an origin in a
//! [`Credential`] held by the client and added at send time, only when the URL (after any redirect)
//! has that origin.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use serde::Serialize;

use super::url::{Origin, append_query};
use crate::secret::{MASK, Redactor, Secret};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request body. Files are read at send time (again on each retry), never held in memory.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Empty,
    /// Sent with `Content-Type: application/json`.
    Json(serde_json::Value),
    Bytes {
        content_type: String,
        data: Vec<u8>,
    },
    /// Streamed from disk with a `Content-Length` (GitHub's asset upload requires one).
    File {
        content_type: String,
        path: PathBuf,
    },
}

/// A request as planned: everything but the credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestDescription {
    pub method: Method,
    pub url: String,
    /// Plain headers (`Accept`, API version). Secret headers belong in a [`Credential`].
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Overrides the client's response timeout for this request (a slow report endpoint).
    pub timeout: Option<Duration>,
}

impl RequestDescription {
    /// A request with no body and no extra header.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Body::Empty,
            timeout: None,
        }
    }

    /// `GET url`.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::Get, url)
    }

    /// `POST url`.
    pub fn post(url: impl Into<String>) -> Self {
        Self::new(Method::Post, url)
    }

    /// `PATCH url`.
    pub fn patch(url: impl Into<String>) -> Self {
        Self::new(Method::Patch, url)
    }

    /// `PUT url`.
    pub fn put(url: impl Into<String>) -> Self {
        Self::new(Method::Put, url)
    }

    /// `DELETE url`.
    pub fn delete(url: impl Into<String>) -> Self {
        Self::new(Method::Delete, url)
    }

    /// Adds a plain header (replacing one of the same name).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.headers
            .retain(|(known, _)| !known.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// Appends an encoded query parameter to the URL.
    pub fn query(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.url = append_query(&self.url, name, value.as_ref());
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, value: serde_json::Value) -> Self {
        self.body = Body::Json(value);
        self
    }

    /// Sets a JSON body from any serialisable value (maps with non-string keys become `null`).
    pub fn json_of(self, value: &impl Serialize) -> Self {
        self.json(serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
    }

    /// Sets a raw body.
    pub fn bytes(mut self, content_type: impl Into<String>, data: Vec<u8>) -> Self {
        self.body = Body::Bytes {
            content_type: content_type.into(),
            data,
        };
        self
    }

    /// Sets a body streamed from a file.
    pub fn file(mut self, content_type: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        self.body = Body::File {
            content_type: content_type.into(),
            path: path.into(),
        };
        self
    }

    /// Sets the response timeout of this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The masked form, without credentials (use `HttpClient::render` to list those too).
    pub fn render(&self, redactor: &Redactor) -> RenderedRequest {
        let body = match &self.body {
            Body::Empty => None,
            Body::Json(value) => Some(redactor.redact(
                &serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()),
            )),
            Body::Bytes { content_type, data } => match std::str::from_utf8(data) {
                Ok(text) if data.len() <= 4096 => Some(redactor.redact(text)),
                _ => Some(format!("<{} bytes of {content_type}>", data.len())),
            },
            Body::File { content_type, path } => Some(format!(
                "<contents of {} as {content_type}>",
                path.display()
            )),
        };
        RenderedRequest {
            method: self.method,
            url: redactor.redact(&self.url),
            headers: self
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), redactor.redact(value)))
                .collect(),
            body,
        }
    }
}

/// A request with every secret masked: what a plan shows and the journal records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenderedRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The body as text (JSON pretty-printed), or a `<N bytes of TYPE>` placeholder.
    pub body: Option<String>,
}

impl fmt::Display for RenderedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            write!(f, "\n{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            write!(f, "\n\n{body}")?;
        }
        Ok(())
    }
}

/// A credential was given a URL without a usable origin.
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot bind a credential to `{url}`: {reason}")]
pub struct InvalidOrigin {
    pub url: String,
    pub reason: String,
}

/// A secret header bound to one origin: sent only to URLs of that scheme, host and port, so a
/// redirect to another host (an artifact download to blob storage) never carries it.
#[derive(Debug, Clone)]
pub struct Credential {
    origin: Origin,
    header: String,
    value: Secret,
    /// Every form of the secret that could show up in a text (the raw token, the header value).
    masks: Vec<Secret>,
}

impl Credential {
    /// `Authorization: Bearer TOKEN` for the origin of `url`.
    pub fn bearer(url: &str, token: Secret) -> Result<Self, InvalidOrigin> {
        let value = Secret::new(format!("Bearer {}", token.expose()));
        Self::build(url, "Authorization", value, vec![token])
    }

    /// `Authorization: Basic base64(user:password)` for the origin of `url`.
    pub fn basic(url: &str, user: &str, password: Secret) -> Result<Self, InvalidOrigin> {
        let encoded = base64::engine::general_purpose::STANDARD
            .encode(format!("{user}:{}", password.expose()));
        let value = Secret::new(format!("Basic {encoded}"));
        Self::build(
            url,
            "Authorization",
            value,
            vec![password, Secret::new(encoded)],
        )
    }

    /// Any header (`Circle-Token: TOKEN`) for the origin of `url`.
    pub fn header(url: &str, name: &str, value: Secret) -> Result<Self, InvalidOrigin> {
        Self::build(url, name, value.clone(), vec![value])
    }

    fn build(
        url: &str,
        header: &str,
        value: Secret,
        mut masks: Vec<Secret>,
    ) -> Result<Self, InvalidOrigin> {
        let origin = Origin::of(url).map_err(|reason| InvalidOrigin {
            url: Redactor::new().redact(url),
            reason,
        })?;
        masks.push(value.clone());
        Ok(Self {
            origin,
            header: header.to_owned(),
            value,
            masks,
        })
    }

    /// The origin this credential is sent to.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The header's name.
    pub fn header_name(&self) -> &str {
        &self.header
    }

    pub(crate) fn value(&self) -> &Secret {
        &self.value
    }

    pub(crate) fn masks(&self) -> &[Secret] {
        &self.masks
    }

    /// The header as a plan shows it.
    pub fn rendered(&self) -> (String, String) {
        (self.header.clone(), MASK.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rendering_masks_secrets_in_url_headers_and_body() {
        let redactor = Redactor::new().with(&Secret::new("s3cr3t-value"));
        let request = RequestDescription::post("https://hooks.test/services/s3cr3t-value")
            .header("X-Note", "s3cr3t-value")
            .json(json!({"text": "hello", "key": "s3cr3t-value"}));
        let rendered = request.render(&redactor).to_string();
        assert!(!rendered.contains("s3cr3t-value"), "{rendered}");
        assert!(rendered.starts_with("POST https://hooks.test/services/****\nX-Note: ****\n\n{"));
    }

    #[test]
    fn credentials_know_their_masks() {
        let credential =
            Credential::basic("https://reg.test/v2/", "bot", Secret::new("pa55word")).unwrap();
        assert_eq!(credential.origin().to_string(), "https://reg.test");
        assert_eq!(
            credential.rendered(),
            ("Authorization".to_owned(), "****".to_owned())
        );
        let mut redactor = Redactor::new();
        for mask in credential.masks() {
            redactor.add(mask);
        }
        assert_eq!(redactor.redact(credential.value().expose()), "****");
        assert!(Credential::bearer("not a url", Secret::new("x")).is_err());
    }
}
