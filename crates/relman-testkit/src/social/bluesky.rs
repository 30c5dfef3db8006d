//! The AT Protocol calls of a Bluesky PDS (docs.bsky.app: createSession, createRecord,
//! getRecord).

use serde_json::{Value, json};

use super::{FakeSocial, State, error};
use crate::http_server::{FakeResponse, RecordedRequest};

const DID: &str = "did:plc:relmantest0000000000000";
const ACCESS: &str = "bsky-access-jwt-0123456789";

pub(super) fn handle(state: &mut State, request: &RecordedRequest) -> FakeResponse {
    let method = request.path.trim_start_matches("/xrpc/");
    if method == "com.atproto.server.createSession" && request.method == "POST" {
        let body = request.json();
        let identifier = body["identifier"].as_str().unwrap_or_default();
        if (identifier != FakeSocial::BLUESKY_HANDLE && identifier != DID)
            || body["password"] != FakeSocial::BLUESKY_PASSWORD
        {
            return error(
                401,
                json!({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
            );
        }
        return FakeResponse::json(
            200,
            &json!({"accessJwt": ACCESS, "refreshJwt": "bsky-refresh", "handle": FakeSocial::BLUESKY_HANDLE, "did": DID}),
        );
    }
    if method == "com.atproto.repo.getRecord" && request.method == "GET" {
        let collection = request.query_param("collection").unwrap_or_default();
        let rkey = request.query_param("rkey").unwrap_or_default();
        return match state
            .records
            .iter()
            .find(|(known, key, _)| *known == collection && *key == rkey)
        {
            Some((_, key, record)) => FakeResponse::json(
                200,
                &json!({"uri": uri(&collection, key), "cid": "bafyfake", "value": record}),
            ),
            None => error(
                400,
                json!({"error": "RecordNotFound", "message": format!("Could not locate record: {}", uri(&collection, &rkey))}),
            ),
        };
    }
    if request.header("authorization") != Some(&format!("Bearer {ACCESS}")) {
        return error(
            401,
            json!({"error": "AuthenticationRequired", "message": "Authentication Required"}),
        );
    }
    if method == "com.atproto.repo.createRecord" && request.method == "POST" {
        return create(state, &request.json());
    }
    error(
        501,
        json!({"error": "MethodNotImplemented", "message": "Method Not Implemented"}),
    )
}

fn create(state: &mut State, body: &Value) -> FakeResponse {
    let collection = body["collection"].as_str().unwrap_or_default().to_owned();
    let record = body["record"].clone();
    if body["repo"] != DID && body["repo"] != FakeSocial::BLUESKY_HANDLE {
        return error(
            400,
            json!({"error": "InvalidRequest", "message": "Invalid repo"}),
        );
    }
    if record["$type"] != collection || record["text"].as_str().is_none() {
        return error(
            400,
            json!({"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"}),
        );
    }
    if record["text"].as_str().unwrap_or_default().chars().count() > 300 {
        return error(
            400,
            json!({"error": "InvalidRequest", "message": "Record/text must not be longer than 300 graphemes"}),
        );
    }
    let rkey = body["rkey"].as_str().map_or_else(
        || format!("3kfake{:07}", state.records.len()),
        str::to_owned,
    );
    if state
        .records
        .iter()
        .any(|(known, key, _)| *known == collection && *key == rkey)
    {
        return error(
            400,
            json!({"error": "InvalidRequest", "message": format!("Record already exists: {}", uri(&collection, &rkey))}),
        );
    }
    let uri = uri(&collection, &rkey);
    state.records.push((collection, rkey, record));
    FakeResponse::json(200, &json!({"uri": uri, "cid": "bafyfake"}))
}

fn uri(collection: &str, rkey: &str) -> String {
    format!("at://{DID}/{collection}/{rkey}")
}
