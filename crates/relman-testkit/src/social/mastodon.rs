//! Mastodon's statuses API (docs.joinmastodon.org/methods/statuses).

use serde_json::{Value, json};

use super::{FakeSocial, State, error, not_found};
use crate::http_server::{FakeResponse, RecordedRequest, decode};

pub(super) fn handle(state: &mut State, request: &RecordedRequest) -> FakeResponse {
    let bearer = format!("Bearer {}", FakeSocial::MASTODON_TOKEN);
    if request.header("authorization") != Some(bearer.as_str()) {
        return error(401, json!({"error": "The access token is invalid"}));
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/api/v1/accounts/verify_credentials") => FakeResponse::json(
            200,
            &json!({"id": "1", "username": "relman", "acct": "relman"}),
        ),
        ("POST", "/api/v1/statuses") => post(state, request),
        ("GET", path) => match path.strip_prefix("/api/v1/statuses/") {
            Some(id) => state
                .statuses
                .iter()
                .find(|(_, status)| status["id"] == id)
                .map_or_else(not_found, |(_, status)| FakeResponse::json(200, status)),
            None => not_found(),
        },
        _ => not_found(),
    }
}

fn post(state: &mut State, request: &RecordedRequest) -> FakeResponse {
    let key = request.header("idempotency-key").map(str::to_owned);
    if let Some(key) = &key
        && let Some((_, status)) = state
            .statuses
            .iter()
            .find(|(known, _)| known.as_ref() == Some(key))
    {
        return FakeResponse::json(200, status);
    }
    // Form-encoded or JSON parameters, as the API takes both.
    let params = if request
        .header("content-type")
        .is_some_and(|kind| kind.starts_with("application/json"))
    {
        request.json()
    } else {
        let mut params = serde_json::Map::new();
        for pair in request.text().split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            params.insert(decode(name), Value::String(decode(value)));
        }
        Value::Object(params)
    };
    let text = params["status"].as_str().unwrap_or_default();
    if text.trim().is_empty() {
        return error(
            422,
            json!({"error": "Validation failed: Text can't be blank"}),
        );
    }
    if text.chars().count() > 500 {
        return error(
            422,
            json!({"error": "Validation failed: Text character limit of 500 exceeded"}),
        );
    }
    let id = (110_000_000 + state.statuses.len()).to_string();
    let status = json!({
        "id": id,
        "content": format!("<p>{text}</p>"),
        "text": text,
        "visibility": params["visibility"].as_str().unwrap_or("public"),
        "url": format!("https://mastodon.example/@relman/{id}"),
    });
    state.statuses.push((key, status.clone()));
    FakeResponse::json(200, &status)
}
