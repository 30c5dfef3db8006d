//! A small fake-HTTP-server framework for tests: [`FakeServer`] listens on 127.0.0.1 on a free
//! port, answers every request with a handler closure, records every request for assertions, and
//! injects faults (5xx, hangs past the client's timeout, 429 with `Retry-After`, GitHub's secondary
//! and primary rate limits, any status and body) either queued for the next requests or at a
//! random rate. It stops when dropped.
//!
//! The fake GitHub is built on it; fakes of CircleCI, Slack or a ticket API are too:
//!
//! ```no_run
//! use relman_testkit::http_server::{FakeResponse, FakeServer, Fault};
//! let server = FakeServer::start(|request| match (request.method.as_str(), request.path.as_str()) {
//!     ("POST", "/hook") => FakeResponse::text(200, "ok"),
//!     _ => FakeResponse::json(404, &serde_json::json!({"message": "Not Found"})),
//! });
//! server.fail_next(Fault::BadGateway);
//! // ... point the client at server.url() ...
//! assert_eq!(server.requests()[1].header("content-type"), Some("application/json"));
//! ```

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string, without `?` (empty when there is none).
    pub query: String,
    /// Names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The fault this request was answered with, if one was injected (its `Debug` form).
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// A query parameter's value, percent-decoded (`+` as space).
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key) == name).then(|| decode(value))
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// `METHOD /path` (for messages and routing).
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Percent-decodes a query component.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl FakeResponse {
    /// A JSON body with `Content-Type: application/json; charset=utf-8`.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![(
                "Content-Type".to_owned(),
                "application/json; charset=utf-8".to_owned(),
            )],
            body: value.to_string().into_bytes(),
        }
    }

    /// A plain-text body.
    pub fn text(status: u16, text: &str) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
            body: text.as_bytes().to_vec(),
        }
    }

    /// Raw bytes with a content type.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body,
        }
    }

    /// No body (`204 No Content`, for instance).
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::empty(status).with_header("Location", location)
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A failure to inject instead of the handler's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// `500` with a short JSON body.
    ServerError,
    /// `502` with an HTML body, as a proxy sends.
    BadGateway,
    /// Answers only after this long (set it past the client's timeout), with a `504`; the handler
    /// never runs (the request was lost before it was carried out).
    Hang(Duration),
    /// Runs the handler (the request is carried out) but answers only after this long: the client
    /// times out not knowing whether its write happened.
    SlowAnswer(Duration),
    /// `429` with `Retry-After: N` (seconds).
    TooManyRequests { retry_after: u64 },
    /// GitHub's secondary rate limit: `403` with its message, and `Retry-After` when given.
    SecondaryRateLimit { retry_after: Option<u64> },
    /// GitHub's primary rate limit: `403`, `x-ratelimit-remaining: 0`, `x-ratelimit-reset: EPOCH`.
    RateLimitExhausted { reset_epoch: u64 },
    /// Any answer.
    Respond(FakeResponse),
}

impl Fault {
    fn response(&self) -> FakeResponse {
        match self {
            Fault::ServerError => {
                FakeResponse::json(500, &serde_json::json!({"message": "Server Error"}))
            }
            Fault::BadGateway => FakeResponse::bytes(
                502,
                "text/html",
                b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
            ),
            Fault::Hang(_) | Fault::SlowAnswer(_) => FakeResponse::text(504, "gateway timeout"),
            Fault::TooManyRequests { retry_after } => FakeResponse::json(
                429,
                &serde_json::json!({"message": "Too Many Requests"}),
            )
            .with_header("Retry-After", &retry_after.to_string()),
            Fault::SecondaryRateLimit { retry_after } => {
                let response = FakeResponse::json(
                    403,
                    &serde_json::json!({
                        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    }),
                );
                match retry_after {
                    Some(seconds) => response.with_header("Retry-After", &seconds.to_string()),
                    None => response,
                }
            }
            Fault::RateLimitExhausted { reset_epoch } => FakeResponse::json(
                403,
                &serde_json::json!({
                    "message": "API rate limit exceeded for user ID 1.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                }),
            )
            .with_header("x-ratelimit-limit", "5000")
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", &reset_epoch.to_string()),
            Fault::Respond(response) => response.clone(),
        }
    }
}

type Handler = dyn Fn(&RecordedRequest) -> FakeResponse + Send + Sync;

struct QueuedFault {
    method: Option<String>,
    path_prefix: Option<String>,
    fault: Fault,
}

struct RandomFaults {
    rate: f64,
    faults: Vec<Fault>,
    rng: fastrand::Rng,
}

struct Shared {
    handler: Box<Handler>,
    requests: Mutex<Vec<RecordedRequest>>,
    queue: Mutex<VecDeque<QueuedFault>>,
    random: Mutex<Option<RandomFaults>>,
    stopping: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A server on 127.0.0.1 answering with a handler; stopped on drop.
pub struct FakeServer {
    url: String,
    port: u16,
    shared: Arc<Shared>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Starts a server on a free port of 127.0.0.1.
    ///
    /// # Panics
    /// When no port can be bound (a test environment problem).
    pub fn start(
        handler: impl Fn(&RecordedRequest) -> FakeResponse + Send + Sync + 'static,
    ) -> Self {
        let server = Arc::new(
            tiny_http::Server::http("127.0.0.1:0").expect("binding 127.0.0.1:0 for a fake server"),
        );
        let port = server
            .server_addr()
            .to_ip()
            .expect("a fake server listens on an IP address")
            .port();
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
            queue: Mutex::new(VecDeque::new()),
            random: Mutex::new(None),
            stopping: AtomicBool::new(false),
        });
        let thread = {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("fake-server-{port}"))
                .spawn(move || accept_loop(&server, &shared))
                .expect("spawning a fake server thread")
        };
        Self {
            url: format!("http://127.0.0.1:{port}"),
            port,
            shared,
            server,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every request received so far, faulted ones included.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Every request received so far, forgetting them.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut *lock(&self.shared.requests))
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        lock(&self.shared.requests).len()
    }

    /// Answers the next request with `fault`.
    pub fn fail_next(&self, fault: Fault) {
        lock(&self.shared.queue).push_back(QueuedFault {
            method: None,
            path_prefix: None,
            fault,
        });
    }

    /// Answers the next `count` requests with `fault`.
    pub fn fail_next_n(&self, count: usize, fault: Fault) {
        for _ in 0..count {
            self.fail_next(fault.clone());
        }
    }

    /// Answers the next request whose path starts with `path_prefix` with `fault`.
    pub fn fail_next_on(&self, path_prefix: &str, fault: Fault) {
        lock(&self.shared.queue).push_back(QueuedFault {
            method: None,
            path_prefix: Some(path_prefix.to_owned()),
            fault,
        });
    }

    /// Answers the next `method` request whose path starts with `path_prefix` with `fault` (a
    /// `POST` that creates, not the `GET` probe before it).
    pub fn fail_next_request(&self, method: &str, path_prefix: &str, fault: Fault) {
        lock(&self.shared.queue).push_back(QueuedFault {
            method: Some(method.to_ascii_uppercase()),
            path_prefix: Some(path_prefix.to_owned()),
            fault,
        });
    }

    /// Answers a share `rate` (0.0 to 1.0) of requests with one of `faults`, picked by a generator
    /// seeded with `seed` (so a failing run can be replayed).
    pub fn fail_randomly(&self, rate: f64, faults: Vec<Fault>, seed: u64) {
        *lock(&self.shared.random) = Some(RandomFaults {
            rate,
            faults,
            rng: fastrand::Rng::with_seed(seed),
        });
    }

    /// Stops injecting faults (queued and random).
    pub fn stop_failing(&self) {
        lock(&self.shared.queue).clear();
        *lock(&self.shared.random) = None;
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(server: &tiny_http::Server, shared: &Arc<Shared>) {
    while !shared.stopping.load(Ordering::SeqCst) {
        let request = match server.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => request,
            Ok(None) => continue,
            Err(_) => break,
        };
        let shared = Arc::clone(shared);
        // One thread per request, so a hanging answer does not hold up the others.
        let spawned = std::thread::Builder::new()
            .name("fake-server-request".to_owned())
            .spawn(move || answer(request, &shared));
        if spawned.is_err() {
            break;
        }
    }
}

fn next_fault(shared: &Shared, method: &str, path: &str) -> Option<Fault> {
    {
        let mut queue = lock(&shared.queue);
        let position = queue.iter().position(|queued| {
            queued
                .method
                .as_deref()
                .is_none_or(|wanted| wanted == method)
                && queued
                    .path_prefix
                    .as_deref()
                    .is_none_or(|prefix| path.starts_with(prefix))
        });
        if let Some(queued) = position.and_then(|index| queue.remove(index)) {
            return Some(queued.fault);
        }
    }
    let mut random = lock(&shared.random);
    let random = random.as_mut()?;
    if random.faults.is_empty() || random.rng.f64() >= random.rate {
        return None;
    }
    let index = random.rng.usize(..random.faults.len());
    Some(random.faults[index].clone())
}

fn answer(mut request: tiny_http::Request, shared: &Shared) {
    let mut body = Vec::new();
    let _ = request.as_reader().read_to_end(&mut body);
    let (path, query) = match request.url().split_once('?') {
        Some((path, query)) => (path.to_owned(), query.to_owned()),
        None => (request.url().to_owned(), String::new()),
    };
    let mut recorded = RecordedRequest {
        method: request.method().as_str().to_ascii_uppercase(),
        path,
        query,
        headers: request
            .headers()
            .iter()
            .map(|header| {
                (
                    header.field.as_str().as_str().to_ascii_lowercase(),
                    header.value.as_str().to_owned(),
                )
            })
            .collect(),
        body,
        fault: None,
    };
    let fault = next_fault(shared, &recorded.method, &recorded.path);
    recorded.fault = fault.as_ref().map(|fault| format!("{fault:?}"));
    lock(&shared.requests).push(recorded.clone());
    let wait = |duration: Duration| {
        let until = Instant::now() + duration;
        while Instant::now() < until && !shared.stopping.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let response = match &fault {
        Some(Fault::Hang(duration)) => {
            wait(*duration);
            Fault::Hang(*duration).response()
        }
        Some(Fault::SlowAnswer(duration)) => {
            let response = (shared.handler)(&recorded);
            wait(*duration);
            response
        }
        Some(fault) => fault.response(),
        None => (shared.handler)(&recorded),
    };
    let mut reply = tiny_http::Response::from_data(response.body)
        .with_status_code(tiny_http::StatusCode(response.status));
    for (name, value) in &response.headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            reply.add_header(header);
        }
    }
    // The client may have given up (a hang past its timeout): nothing to do about a failed write.
    let _ = request.respond(reply);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_handles_escapes_and_plus() {
        assert_eq!(decode("a%3Ab+c%2F"), "a:b c/");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }
}
