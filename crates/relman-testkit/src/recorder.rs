//! A recording fake for the systems releases talk to, on [`FakeServer`]: a Slack incoming webhook
//! (`POST /services/...` answers `ok`, or Slack's `invalid_payload` / `no_text` errors), a generic
//! webhook (`POST /hooks/...` answers `{"ok": true}`), and a Bugzilla-style ticket API
//! (`POST /rest/bug` answers `{"id": N}`, `GET /rest/bug/N` returns it, and `GET /rest/bug?…`
//! searches as Bugzilla does: `product`, `component` and `version` match whole, `summary` as a
//! case-insensitive substring). Every request is kept for assertions.

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};

use crate::http_server::{FakeResponse, FakeServer, RecordedRequest};

/// The fake; stopped on drop.
#[derive(Debug)]
pub struct Recorder {
    server: FakeServer,
}

impl Recorder {
    /// The first bug id the ticket API hands out.
    pub const FIRST_BUG: u64 = 1001;
    /// The API key the ticket API wants in `X-BUGZILLA-API-KEY`.
    pub const BUGZILLA_KEY: &'static str = "bz-test-key-0123456789";

    pub fn start() -> Self {
        let bugs: Arc<Mutex<Vec<Value>>> = Arc::new(Mutex::new(Vec::new()));
        let server = FakeServer::start(move |request| {
            let path = request.path.as_str();
            if path.starts_with("/services/") {
                return slack(request);
            }
            if path.starts_with("/hooks/") {
                return if request.method == "POST" {
                    FakeResponse::json(200, &json!({"ok": true}))
                } else {
                    FakeResponse::text(405, "Method Not Allowed")
                };
            }
            if let Some(rest) = path.strip_prefix("/rest/bug") {
                let mut bugs = bugs.lock().unwrap_or_else(PoisonError::into_inner);
                return bugzilla(&mut bugs, request, rest);
            }
            FakeResponse::json(404, &json!({"error": "not found"}))
        });
        Self { server }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The server underneath (fault injection: `server().fail_randomly(...)`).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// An incoming-webhook URL, with a secret-looking path as Slack's have.
    pub fn slack_webhook_url(&self) -> String {
        format!("{}/services/T0001/B0002/s3cr3tWebhookPath", self.url())
    }

    /// A generic webhook URL.
    pub fn webhook_url(&self) -> String {
        format!("{}/hooks/release", self.url())
    }

    /// The ticket API root (`.../rest`).
    pub fn bugzilla_url(&self) -> String {
        format!("{}/rest", self.url())
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// The requests whose path starts with `prefix`.
    pub fn requests_to(&self, prefix: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|request| request.path.starts_with(prefix))
            .collect()
    }
}

/// Slack answers `ok` as text; its errors are short codes as text too.
fn slack(request: &RecordedRequest) -> FakeResponse {
    if request.method != "POST" {
        return FakeResponse::text(405, "invalid_method");
    }
    let payload = request.json();
    if !payload.is_object() {
        return FakeResponse::text(400, "invalid_payload");
    }
    let has_text = payload["text"]
        .as_str()
        .is_some_and(|text| !text.is_empty());
    if !has_text && payload.get("blocks").is_none() {
        return FakeResponse::text(400, "no_text");
    }
    FakeResponse::text(200, "ok")
}

fn bugzilla(bugs: &mut Vec<Value>, request: &RecordedRequest, rest: &str) -> FakeResponse {
    if request.header("x-bugzilla-api-key") != Some(Recorder::BUGZILLA_KEY) {
        return FakeResponse::json(
            401,
            &json!({"error": true, "code": 410, "message": "You must log in before using this part of Bugzilla."}),
        );
    }
    match (request.method.as_str(), rest) {
        ("POST", "" | "/") => {
            let bug = request.json();
            let missing: Vec<&str> = ["product", "component", "summary", "version"]
                .into_iter()
                .filter(|field| bug[*field].as_str().is_none_or(str::is_empty))
                .collect();
            if let Some(field) = missing.first() {
                return FakeResponse::json(
                    400,
                    &json!({"error": true, "code": 51, "message": format!("You must enter a {field} for this bug.")}),
                );
            }
            let id = Recorder::FIRST_BUG + bugs.len() as u64;
            let mut stored = bug;
            stored["id"] = json!(id);
            bugs.push(stored);
            FakeResponse::json(200, &json!({ "id": id }))
        }
        ("GET", "" | "/") => {
            let matches = |bug: &Value, field: &str, whole: bool| {
                request.query_param(field).is_none_or(|wanted| {
                    let value = bug[field].as_str().unwrap_or_default();
                    if whole {
                        value == wanted
                    } else {
                        value.to_lowercase().contains(&wanted.to_lowercase())
                    }
                })
            };
            let found: Vec<&Value> = bugs
                .iter()
                .filter(|bug| {
                    matches(bug, "product", true)
                        && matches(bug, "component", true)
                        && matches(bug, "version", true)
                        && matches(bug, "summary", false)
                })
                .collect();
            FakeResponse::json(200, &json!({ "bugs": found }))
        }
        ("GET", id) => {
            let id: Option<u64> = id.trim_start_matches('/').parse().ok();
            match bugs
                .iter()
                .find(|bug| bug["id"].as_u64() == id && id.is_some())
            {
                Some(bug) => FakeResponse::json(200, &json!({ "bugs": [bug] })),
                None => FakeResponse::json(
                    404,
                    &json!({"error": true, "code": 101, "message": "Bug does not exist."}),
                ),
            }
        }
        _ => FakeResponse::json(
            405,
            &json!({"error": true, "message": "method not allowed"}),
        ),
    }
}
