//! [`HttpClient`]: the one blocking HTTP client of relman, on ureq.
//!
//! ureq is configured not to turn 4xx/5xx into bare errors (their bodies carry the service's
//! explanation) and not to follow redirects: this client follows them itself, so that credentials,
//! which it attaches per request by origin, are never sent to another host (GitHub redirects
//! artifact downloads to blob storage). Each request has a response timeout, cut to what is left
//! of the step's deadline ([`super::deadline`]); failures that may pass are retried as
//! [`super::retry`] decides, sleeping through the injected [`Clock`], never past the deadline.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use ureq::http;

use super::deadline;
use super::error::{ErrorKind, HttpError, TransportKind, keep_body, service_message};
use super::request::{Body, Credential, Method, RenderedRequest, RequestDescription};
use super::response::Response;
use super::retry::{self, RateLimit, RetryPolicy, Wait};
use super::url::{Origin, resolve};
use crate::clock::Clock;
use crate::secret::{Redactor, Secret};

/// The most bytes of an error body read (the message is at its start).
const MAX_ERROR_BODY: u64 = 1024 * 1024;
/// Pages followed by one listing before it is deemed a loop.
const MAX_PAGES: usize = 1000;

/// Timeouts, limits and retries of a client.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Sent as `User-Agent` (GitHub rejects requests without one).
    pub user_agent: String,
    /// Time to resolve and connect.
    pub connect_timeout: Duration,
    /// Time to wait for the response headers, and the longest pause while reading or writing a
    /// body (so a large upload may take longer, but a stalled one fails).
    pub timeout: Duration,
    /// Redirects followed by one request.
    pub max_redirects: u32,
    /// The largest body read into memory (downloads to a file have no limit).
    pub max_body: u64,
    pub retry: RetryPolicy,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            user_agent: concat!("relman/", env!("CARGO_PKG_VERSION")).to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_redirects: 5,
            max_body: 64 * 1024 * 1024,
            retry: RetryPolicy::default(),
        }
    }
}

/// A retry about to happen, for a progress display (`retrying in 4s: 502 Bad Gateway`).
#[derive(Debug, Clone)]
pub struct RetryNotice {
    pub method: Method,
    /// Masked.
    pub url: String,
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    /// Why, one line, masked.
    pub reason: String,
    pub wait: Duration,
}

type RetryObserver = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// A blocking HTTP client with per-origin credentials, retries and redaction; cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    agent: ureq::Agent,
    options: HttpOptions,
    credentials: Vec<Credential>,
    redactor: Redactor,
    clock: Clock,
    on_retry: Option<RetryObserver>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("options", &self.options)
            .field("credentials", &self.credentials)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// Why one attempt failed before any status could be judged.
enum Failure {
    Transport(TransportKind, String),
    File(PathBuf, io::Error),
    Url(String),
    Redirect(String),
}

/// Where a successful body goes.
#[derive(Clone, Copy)]
enum Sink<'a> {
    Memory,
    File(&'a Path),
}

impl HttpClient {
    /// A client with no credentials, on the system clock.
    pub fn new(options: HttpOptions) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .save_redirect_history(false)
            .user_agent(options.user_agent.as_str())
            .timeout_connect(Some(options.connect_timeout))
            .timeout_recv_response(Some(options.timeout))
            .timeout_per_read(Some(options.timeout))
            .timeout_per_write(Some(options.timeout))
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            super::resolve::MarkingResolver::default(),
        );
        Self {
            agent,
            options,
            credentials: Vec::new(),
            redactor: Redactor::new(),
            clock: Clock::system(),
            on_retry: None,
        }
    }

    /// Adds a credential, sent only to its origin; its secret is masked in every error.
    pub fn with_credential(mut self, credential: Credential) -> Self {
        for mask in credential.masks() {
            self.redactor.add(mask);
        }
        self.credentials.retain(|known| {
            known.origin() != credential.origin() || known.header_name() != credential.header_name()
        });
        self.credentials.push(credential);
        self
    }

    /// Masks one more value in every error and rendering (a webhook URL, a password in a body).
    pub fn with_secret(mut self, secret: &Secret) -> Self {
        self.redactor.add(secret);
        self
    }

    /// Masks every secret another redactor knows.
    pub fn with_redactor(mut self, redactor: &Redactor) -> Self {
        self.redactor.extend(redactor);
        self
    }

    /// Uses another clock for retry waits (a simulated one in tests).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Calls `observer` before each retry wait.
    pub fn with_retry_observer(
        mut self,
        observer: impl Fn(&RetryNotice) + Send + Sync + 'static,
    ) -> Self {
        self.on_retry = Some(Arc::new(observer));
        self
    }

    /// The options this client was built with.
    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    /// The redactor that masks this client's secrets.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The clock retries wait on.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Whether a credential would be sent to this URL.
    pub fn has_credential_for(&self, url: &str) -> bool {
        Origin::of(url).is_ok_and(|origin| self.credentials.iter().any(|c| *c.origin() == origin))
    }

    /// The request as a plan shows it: masked, with the credential headers it would carry.
    pub fn render(&self, request: &RequestDescription) -> RenderedRequest {
        let mut rendered = request.render(&self.redactor);
        if let Ok(origin) = Origin::of(&request.url) {
            for credential in self.credentials.iter().filter(|c| *c.origin() == origin) {
                rendered.headers.push(credential.rendered());
            }
        }
        rendered
    }

    /// Sends the request (following redirects, retrying what may pass); a status of 400 or more
    /// is an error carrying the service's message.
    pub fn execute(&self, request: &RequestDescription) -> Result<Response, HttpError> {
        self.execute_into(request, Sink::Memory)
    }

    /// Sends the request and decodes the JSON answer.
    pub fn json<T: DeserializeOwned>(&self, request: &RequestDescription) -> Result<T, HttpError> {
        self.execute(request)?.json()
    }

    /// Streams a successful body to `destination` (replaced on each attempt); the returned response
    /// has an empty body.
    pub fn download(
        &self,
        request: &RequestDescription,
        destination: &Path,
    ) -> Result<Response, HttpError> {
        self.execute_into(request, Sink::File(destination))
    }

    /// Follows `Link: rel="next"` from `first`, handing each page to `on_page` until it returns
    /// `false` or the pages end.
    pub fn for_each_page(
        &self,
        first: &RequestDescription,
        mut on_page: impl FnMut(&Response) -> Result<bool, HttpError>,
    ) -> Result<(), HttpError> {
        let mut request = first.clone();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_PAGES {
            seen.insert(request.url.clone());
            let response = self.execute(&request)?;
            if !on_page(&response)? {
                return Ok(());
            }
            match response.next_page() {
                Some(next) if !seen.contains(&next) => {
                    request.url = resolve(&response.raw_url, &next).map_err(|reason| {
                        HttpError::invalid_url(request.method, &self.redactor.redact(&next), reason)
                    })?;
                }
                _ => return Ok(()),
            }
        }
        Err(HttpError::new(
            first.method,
            self.redactor.redact(&first.url),
            ErrorKind::Redirect {
                message: format!("more than {MAX_PAGES} pages: the `Link` headers seem to loop"),
            },
        ))
    }

    /// Every item of a paginated list: each page is a JSON array, or an object whose `field` is one
    /// (GitHub's check runs come as `{"total_count": n, "check_runs": [...]}`).
    pub fn get_all<T: DeserializeOwned>(
        &self,
        first: &RequestDescription,
        field: Option<&str>,
    ) -> Result<Vec<T>, HttpError> {
        let mut items = Vec::new();
        self.for_each_page(first, |page| {
            let mut value: serde_json::Value = page.json()?;
            if let Some(field) = field {
                value = value
                    .get_mut(field)
                    .map(serde_json::Value::take)
                    .ok_or_else(|| {
                        HttpError::decode(
                            page.method(),
                            page.url(),
                            page.status(),
                            format!("no `{field}` field"),
                        )
                    })?;
            }
            let batch: Vec<T> = serde_json::from_value(value).map_err(|error| {
                HttpError::decode(page.method(), page.url(), page.status(), error.to_string())
            })?;
            let more = !batch.is_empty();
            items.extend(batch);
            Ok(more)
        })?;
        Ok(items)
    }

    fn execute_into(
        &self,
        request: &RequestDescription,
        sink: Sink<'_>,
    ) -> Result<Response, HttpError> {
        let masked_url = self.redactor.redact(&request.url);
        let policy = &self.options.retry;
        let mut waited = Duration::ZERO;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if deadline::remaining().is_some_and(|left| left.is_zero()) {
                let kind = ErrorKind::Transport {
                    kind: TransportKind::Timeout,
                    message: "the step's timeout passed before it could be sent".to_owned(),
                };
                return Err(HttpError::new(request.method, &masked_url, kind)
                    .never_sent()
                    .with_attempts(attempt - 1));
            }
            let outcome = self.attempt(request, sink);
            let now = self.clock.now();
            let (wait, error) =
                match outcome {
                    Ok(response) if response.status < 400 => return Ok(response),
                    Ok(response) => {
                        let text = String::from_utf8_lossy(&response.body);
                        let limit =
                            RateLimit::read(|name| response.header(name).map(str::to_owned), now);
                        let wait = retry::for_status(response.status, &limit, &text, now);
                        let error =
                            self.status_error(request.method, &response, &text, None, limit.reset);
                        (wait, error)
                    }
                    Err(Failure::Transport(kind, message)) => (
                        retry::for_transport(kind, request.method),
                        HttpError::new(
                            request.method,
                            &masked_url,
                            ErrorKind::Transport {
                                kind,
                                message: self.redactor.redact(&message),
                            },
                        ),
                    ),
                    Err(Failure::File(path, source)) => {
                        let kind = ErrorKind::File { path, source };
                        return Err(HttpError::new(request.method, &masked_url, kind)
                            .with_attempts(attempt));
                    }
                    Err(Failure::Url(reason)) => {
                        let kind = ErrorKind::InvalidUrl {
                            reason: self.redactor.redact(&reason),
                        };
                        return Err(HttpError::new(request.method, &masked_url, kind)
                            .with_attempts(attempt));
                    }
                    Err(Failure::Redirect(message)) => {
                        let kind = ErrorKind::Redirect {
                            message: self.redactor.redact(&message),
                        };
                        return Err(HttpError::new(request.method, &masked_url, kind)
                            .with_attempts(attempt));
                    }
                };
            let Some(wait) = wait else {
                return Err(error.with_attempts(attempt));
            };
            let delay = match wait {
                Wait::Backoff => policy.backoff(attempt),
                Wait::Exactly(delay) => delay,
                Wait::AtLeast(minimum) => policy.backoff(attempt).max(minimum),
            };
            if attempt >= policy.max_attempts {
                return Err(error.with_attempts(attempt));
            }
            if waited + delay > policy.max_total_wait {
                let asked = matches!(wait, Wait::Exactly(_) | Wait::AtLeast(_)).then_some(delay);
                return Err(error.with_retry_after(asked).with_attempts(attempt));
            }
            // No retry that would start after the step's deadline.
            if deadline::remaining().is_some_and(|left| delay >= left) {
                return Err(error.with_attempts(attempt));
            }
            if let Some(observer) = &self.on_retry {
                observer(&RetryNotice {
                    method: request.method,
                    url: masked_url.clone(),
                    attempt,
                    reason: error.to_string(),
                    wait: delay,
                });
            }
            self.clock.sleep(delay);
            waited += delay;
        }
    }

    fn status_error(
        &self,
        method: Method,
        response: &Response,
        text: &str,
        retry_after: Option<Duration>,
        rate_limit_reset: Option<std::time::SystemTime>,
    ) -> HttpError {
        HttpError::new(
            method,
            &response.url,
            ErrorKind::Status {
                status: response.status,
                message: self.redactor.redact(&service_message(text)),
                body: self.redactor.redact(&keep_body(text)),
                retry_after,
                rate_limit_reset,
            },
        )
        .with_www_authenticate(response.header("www-authenticate").map(str::to_owned))
    }

    /// One attempt: the request and the redirects it leads to.
    fn attempt(&self, request: &RequestDescription, sink: Sink<'_>) -> Result<Response, Failure> {
        let first_origin = Origin::of(&request.url).map_err(Failure::Url)?;
        let mut url = request.url.clone();
        let mut method = request.method;
        let mut body = &request.body;
        for _ in 0..=self.options.max_redirects {
            let origin = Origin::of(&url).map_err(Failure::Url)?;
            let same_origin = origin == first_origin;
            let response =
                self.send_once(method, &url, &origin, same_origin, request, body, sink)?;
            let location = match response.status {
                301 | 302 | 303 | 307 | 308 => response.header("location").map(str::to_owned),
                _ => None,
            };
            let Some(location) = location else {
                return Ok(response);
            };
            url = resolve(&url, &location).map_err(Failure::Redirect)?;
            let keeps_method = matches!(response.status, 307 | 308);
            if !keeps_method && !matches!(method, Method::Get | Method::Head) {
                method = Method::Get;
                body = &Body::Empty;
            }
        }
        Err(Failure::Redirect(format!(
            "more than {} redirects",
            self.options.max_redirects
        )))
    }

    #[allow(clippy::too_many_arguments)]
    fn send_once(
        &self,
        method: Method,
        url: &str,
        origin: &Origin,
        same_origin: bool,
        request: &RequestDescription,
        body: &Body,
        sink: Sink<'_>,
    ) -> Result<Response, Failure> {
        let mut builder = http::Request::builder().method(method.as_str()).uri(url);
        for (name, value) in &request.headers {
            // Plain headers are meant for the first origin; anything auth-like stays there.
            let sensitive = ["authorization", "cookie", "proxy-authorization"]
                .iter()
                .any(|known| name.eq_ignore_ascii_case(known));
            if same_origin || !sensitive {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        for credential in self.credentials.iter().filter(|c| c.origin() == origin) {
            builder = builder.header(credential.header_name(), credential.value().expose());
        }
        let has_content_type = request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
        let timeout = request.timeout.unwrap_or(self.options.timeout);
        let result = match body {
            Body::Empty => self.run(builder, (), timeout),
            Body::Json(value) => {
                if !has_content_type {
                    builder = builder.header("content-type", "application/json");
                }
                let bytes =
                    serde_json::to_vec(value).map_err(|error| Failure::Url(error.to_string()))?;
                self.run(builder, bytes, timeout)
            }
            Body::Bytes { content_type, data } => {
                if !has_content_type {
                    builder = builder.header("content-type", content_type.as_str());
                }
                self.run(builder, data.as_slice(), timeout)
            }
            Body::File { content_type, path } => {
                if !has_content_type {
                    builder = builder.header("content-type", content_type.as_str());
                }
                let file = fs_err::File::open(path).map_err(|error| {
                    Failure::File(
                        path.clone(),
                        io::Error::new(error.kind(), error.to_string()),
                    )
                })?;
                self.run(builder, file.file(), timeout)
            }
        };
        let response = result?;
        self.read_response(method, url, response, sink)
    }

    fn run<S: ureq::AsSendBody>(
        &self,
        builder: http::request::Builder,
        body: S,
        timeout: Duration,
    ) -> Result<http::Response<ureq::Body>, Failure> {
        let request = builder
            .body(body)
            .map_err(|error| Failure::Url(error.to_string()))?;
        let left = deadline::remaining();
        let cap = |limit: Duration| left.map_or(limit, |left| limit.min(left));
        let request = self
            .agent
            .configure_request(request)
            .timeout_connect(Some(cap(self.options.connect_timeout)))
            .timeout_recv_response(Some(cap(timeout)))
            .timeout_per_read(Some(cap(self.options.timeout)))
            // The whole exchange, body included, ends by the deadline.
            .timeout_global(left)
            .build();
        self.agent.run(request).map_err(transport_failure)
    }

    fn read_response(
        &self,
        method: Method,
        url: &str,
        response: http::Response<ureq::Body>,
        sink: Sink<'_>,
    ) -> Result<Response, Failure> {
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = response.into_body();
        let bytes = match sink {
            Sink::File(path) if (200..300).contains(&status) => {
                let mut file = fs_err::File::create(path).map_err(|error| {
                    Failure::File(
                        path.to_owned(),
                        io::Error::new(error.kind(), error.to_string()),
                    )
                })?;
                io::copy(&mut body.as_reader(), &mut file).map_err(|error| {
                    Failure::Transport(TransportKind::Io, format!("reading the body: {error}"))
                })?;
                Vec::new()
            }
            _ => {
                let limit = if status >= 300 {
                    MAX_ERROR_BODY
                } else {
                    self.options.max_body
                };
                body.with_config()
                    .limit(limit)
                    .read_to_vec()
                    .map_err(transport_failure)?
            }
        };
        Ok(Response {
            method,
            url: self.redactor.redact(url),
            raw_url: url.to_owned(),
            status,
            headers,
            body: bytes,
        })
    }
}

fn transport_failure(error: ureq::Error) -> Failure {
    let kind = match &error {
        // Timing out before the connection exists is as safe to retry as a refused connection.
        ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => {
            TransportKind::Connect
        }
        ureq::Error::Timeout(_) | ureq::Error::BodyStalled => TransportKind::Timeout,
        ureq::Error::HostNotFound => TransportKind::Dns,
        ureq::Error::Other(inner) if inner.is::<super::resolve::NameNotResolved>() => {
            return Failure::Transport(TransportKind::Dns, inner.to_string());
        }
        ureq::Error::ConnectionFailed => TransportKind::Connect,
        ureq::Error::Io(io) => match io.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => TransportKind::Timeout,
            // Errors of `connect`: nothing was sent.
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable => TransportKind::Connect,
            _ => TransportKind::Io,
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => TransportKind::Tls,
        ureq::Error::Protocol(_) => TransportKind::Io,
        ureq::Error::BadUri(reason) => return Failure::Url(reason.clone()),
        ureq::Error::Http(error) => return Failure::Url(error.to_string()),
        _ => TransportKind::Other,
    };
    Failure::Transport(kind, error.to_string())
}
