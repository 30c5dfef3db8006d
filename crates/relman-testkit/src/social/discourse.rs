//! Discourse's API (docs.discourse.org): topics created through `POST /posts.json`, listed by
//! `GET /latest.json`; the key in `Api-Key` and the user in `Api-Username`.

use serde_json::json;

use super::{FakeSocial, State, error, not_found};
use crate::http_server::{FakeResponse, RecordedRequest};

pub(super) fn handle(state: &mut State, request: &RecordedRequest) -> FakeResponse {
    if request.header("api-key") != Some(FakeSocial::DISCOURSE_KEY)
        || request.header("api-username") != Some(FakeSocial::DISCOURSE_USER)
    {
        return error(
            403,
            json!({"errors": ["You are not permitted to view the requested resource. The API username or key is invalid."], "error_type": "invalid_access"}),
        );
    }
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/session/current.json") => FakeResponse::json(
            200,
            &json!({"current_user": {"id": 2, "username": FakeSocial::DISCOURSE_USER}}),
        ),
        ("GET", "/latest.json") => {
            let topics: Vec<_> = state.topics.iter().rev().cloned().collect();
            FakeResponse::json(200, &json!({"topic_list": {"topics": topics}}))
        }
        ("POST", "/posts.json") => {
            let body = request.json();
            let title = body["title"].as_str().unwrap_or_default().trim().to_owned();
            let raw = body["raw"].as_str().unwrap_or_default();
            if title.chars().count() < 15 {
                return error(
                    422,
                    json!({"action": "create_post", "errors": ["Title must be at least 15 characters"]}),
                );
            }
            if raw.chars().count() < 20 {
                return error(
                    422,
                    json!({"action": "create_post", "errors": ["Body must be at least 20 characters"]}),
                );
            }
            if state.topics.iter().any(|topic| topic["title"] == title) {
                return error(
                    422,
                    json!({"action": "create_post", "errors": ["Title has already been used"]}),
                );
            }
            let topic_id = 100 + state.topics.len() as u64;
            let slug: String = title
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            state.topics.push(json!({
                "id": topic_id,
                "title": title,
                "slug": slug,
                "category_id": body["category"],
                "raw": raw,
            }));
            FakeResponse::json(
                200,
                &json!({"id": 5000 + topic_id, "topic_id": topic_id, "topic_slug": slug, "post_number": 1}),
            )
        }
        _ => not_found(),
    }
}
