//! Recording fakes of the social and forum services releases are announced on, on one
//! [`FakeServer`], each following its published API closely enough that a client written against
//! the documentation works against it unchanged:
//!
//! - **Mastodon** ([`mastodon`]): `POST /api/v1/statuses` (Bearer token; `status`, `visibility`;
//!   an `Idempotency-Key` seen before answers the status it created, as Mastodon does for an
//!   hour), `GET /api/v1/accounts/verify_credentials`, `GET /api/v1/statuses/:id`.
//! - **Bluesky** ([`bluesky`]): the PDS XRPC calls `com.atproto.server.createSession`
//!   (identifier + app password → `accessJwt`, `did`), `com.atproto.repo.createRecord` (with an
//!   optional `rkey`; an existing one is an error, never a second record) and
//!   `com.atproto.repo.getRecord`.
//! - **Discourse** ([`discourse`]): `POST /posts.json` (`Api-Key`/`Api-Username` headers;
//!   `title`, `raw`, `category` create a topic; a duplicate title is refused with 422 as
//!   Discourse does), `GET /latest.json` (the topic list), `GET /session/current.json`.
//!
//! Every request is kept; what each service holds (statuses, records, topics) can be read back.

mod bluesky;
mod discourse;
mod mastodon;

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};

use crate::http_server::{FakeResponse, FakeServer, RecordedRequest};

/// The fake; stopped on drop.
#[derive(Debug)]
pub struct FakeSocial {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

/// What the services hold.
#[derive(Debug, Default)]
struct State {
    /// Mastodon statuses, with the idempotency key each was created with.
    statuses: Vec<(Option<String>, Value)>,
    /// Bluesky records: (collection, rkey, record).
    records: Vec<(String, String, Value)>,
    /// Discourse topics.
    topics: Vec<Value>,
}

impl FakeSocial {
    /// The Mastodon access token the fake accepts.
    pub const MASTODON_TOKEN: &'static str = "mastodon-test-token-0123";
    /// The Bluesky handle and app password the fake accepts.
    pub const BLUESKY_HANDLE: &'static str = "relman.test";
    pub const BLUESKY_PASSWORD: &'static str = "abcd-efgh-ijkl-mnop";
    /// The Discourse API key and user the fake accepts.
    pub const DISCOURSE_KEY: &'static str = "discourse-test-key-4567";
    pub const DISCOURSE_USER: &'static str = "release-bot";

    pub fn start() -> Self {
        let state: Arc<Mutex<State>> = Arc::default();
        let shared = Arc::clone(&state);
        let server = FakeServer::start(move |request| {
            let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
            let path = request.path.as_str();
            if path.starts_with("/api/v1/") {
                mastodon::handle(&mut state, request)
            } else if path.starts_with("/xrpc/") {
                bluesky::handle(&mut state, request)
            } else {
                discourse::handle(&mut state, request)
            }
        });
        Self { server, state }
    }

    /// `http://127.0.0.1:PORT`: the Mastodon instance, the Bluesky PDS and the forum.
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The server underneath (fault injection).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// The Mastodon statuses posted.
    pub fn statuses(&self) -> Vec<Value> {
        self.lock()
            .statuses
            .iter()
            .map(|(_, status)| status.clone())
            .collect()
    }

    /// The Bluesky posts created (`app.bsky.feed.post` records).
    pub fn posts(&self) -> Vec<Value> {
        self.lock()
            .records
            .iter()
            .filter(|(collection, _, _)| collection == "app.bsky.feed.post")
            .map(|(_, _, record)| record.clone())
            .collect()
    }

    /// The Discourse topics created.
    pub fn topics(&self) -> Vec<Value> {
        self.lock().topics.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A JSON error as the services word them.
fn error(status: u16, body: Value) -> FakeResponse {
    FakeResponse::json(status, &body)
}

fn not_found() -> FakeResponse {
    error(404, json!({"error": "Record not found"}))
}
