//! A Cargo registry for tests that cargo itself publishes to and resolves from: a sparse index
//! (`config.json` and one file per crate, RFC 2789) and the publish API (`PUT
//! /api/v1/crates/new`, the web API's binary body: a length-prefixed JSON manifest, then the
//! length-prefixed `.crate`), with downloads. It listens on 127.0.0.1 only; publishing needs its
//! token. Point cargo at it with `CARGO_REGISTRIES_<NAME>_INDEX = sparse+URL/index/` and
//! `CARGO_REGISTRIES_<NAME>_TOKEN`, and `CARGO_HTTP_MULTIPLEXING=false`: the server underneath
//! does not answer a request that asks to upgrade to HTTP/2 over plain HTTP (`Upgrade: h2c`),
//! which cargo's HTTP client sends unless multiplexing is off.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::http_server::{FakeResponse, FakeServer, RecordedRequest};

/// The registry; stopped on drop.
#[derive(Debug)]
pub struct CratesRegistry {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    base: String,
    /// name (lower-cased) → index lines, in publish order.
    index: Vec<(String, Vec<Value>)>,
    /// (name, version) → the `.crate`.
    files: Vec<((String, String), Vec<u8>)>,
    /// A crate (lower-cased) whose new versions the index leaves out for a while after their
    /// publish, as crates.io's index lags behind its API.
    lag: Option<(String, Duration)>,
    /// (name, version) → when it was published.
    published: Vec<((String, String), Instant)>,
}

impl CratesRegistry {
    /// The token publishing needs.
    pub const TOKEN: &'static str = "cio-test-token-0123456789";

    pub fn start() -> Self {
        let state: Arc<Mutex<State>> = Arc::default();
        let shared = Arc::clone(&state);
        let server = FakeServer::start(move |request| {
            let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
            handle(&mut state, request)
        });
        state.lock().unwrap_or_else(PoisonError::into_inner).base = server.url().to_owned();
        Self { server, state }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The index as cargo names it: `sparse+http://127.0.0.1:PORT/index/`.
    pub fn index_url(&self) -> String {
        format!("sparse+{}/index/", self.url())
    }

    /// From now on the index shows a new version of `name` only `lag` after its publish (the
    /// publish API has it at once and refuses it a second time).
    pub fn lag_index(&self, name: &str, lag: Duration) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .lag = Some((name.to_ascii_lowercase(), lag));
    }

    /// The versions of `name` published, in order.
    pub fn versions(&self, name: &str) -> Vec<String> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .index
            .iter()
            .find(|(known, _)| *known == name.to_ascii_lowercase())
            .map(|(_, lines)| {
                lines
                    .iter()
                    .filter_map(|line| line["vers"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every request received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }
}

impl State {
    /// Whether the index leaves `name`'s `version` out for now.
    fn hidden(&self, name: &str, version: &str) -> bool {
        let Some((lagging, lag)) = &self.lag else {
            return false;
        };
        lagging == name
            && self
                .published
                .iter()
                .any(|((known, vers), at)| known == name && vers == version && at.elapsed() < *lag)
    }
}

fn errors(status: u16, detail: &str) -> FakeResponse {
    FakeResponse::json(status, &json!({"errors": [{"detail": detail}]}))
}

fn handle(state: &mut State, request: &RecordedRequest) -> FakeResponse {
    let path = request.path.as_str();
    match (request.method.as_str(), path) {
        ("GET", "/index/config.json") => FakeResponse::json(
            200,
            &json!({"dl": format!("{}/api/v1/crates", state.base), "api": state.base}),
        ),
        ("GET", _) if path.starts_with("/index/") => {
            let name = path.rsplit('/').next().unwrap_or_default();
            match state.index.iter().find(|(known, _)| known == name) {
                Some((_, lines)) => {
                    let text: String = lines
                        .iter()
                        .filter(|line| !state.hidden(name, line["vers"].as_str().unwrap_or("")))
                        .map(|line| format!("{line}\n"))
                        .collect();
                    if text.is_empty() {
                        FakeResponse::text(404, "not found")
                    } else {
                        FakeResponse::text(200, &text)
                    }
                }
                None => FakeResponse::text(404, "not found"),
            }
        }
        ("PUT", "/api/v1/crates/new") => {
            if request.header("authorization") != Some(CratesRegistry::TOKEN) {
                return errors(403, "this token is not allowed to publish");
            }
            publish(state, &request.body)
        }
        ("GET", _) if path.starts_with("/api/v1/crates/") && path.ends_with("/download") => {
            let parts: Vec<&str> = path
                .trim_start_matches("/api/v1/crates/")
                .split('/')
                .collect();
            let key = (
                parts[0].to_ascii_lowercase(),
                parts.get(1).copied().unwrap_or_default().to_owned(),
            );
            match state.files.iter().find(|(known, _)| *known == key) {
                Some((_, bytes)) => FakeResponse::bytes(200, "application/x-tar", bytes.clone()),
                None => FakeResponse::text(404, "not found"),
            }
        }
        _ => errors(404, "not found"),
    }
}

/// The publish API's body: u32 LE length, the JSON manifest, u32 LE length, the `.crate`.
fn publish(state: &mut State, body: &[u8]) -> FakeResponse {
    let read_u32 = |at: usize| -> Option<usize> {
        Some(u32::from_le_bytes(body.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    let Some(json_len) = read_u32(0) else {
        return errors(400, "invalid upload request: the body is too short");
    };
    let Some(manifest) = body
        .get(4..4 + json_len)
        .and_then(|bytes| serde_json::from_slice::<Value>(bytes).ok())
    else {
        return errors(400, "invalid upload request: the manifest is not JSON");
    };
    let at = 4 + json_len;
    let Some(crate_len) = read_u32(at) else {
        return errors(400, "invalid upload request: no crate file");
    };
    let Some(file) = body.get(at + 4..at + 4 + crate_len) else {
        return errors(400, "invalid upload request: the crate file is cut short");
    };
    let name = manifest["name"].as_str().unwrap_or_default().to_owned();
    let version = manifest["vers"].as_str().unwrap_or_default().to_owned();
    if name.is_empty() || version.is_empty() {
        return errors(400, "invalid upload request: missing name or version");
    }
    let key = name.to_ascii_lowercase();
    if state
        .files
        .iter()
        .any(|((known, vers), _)| *known == key && *vers == version)
    {
        return errors(
            400,
            &format!("crate version `{version}` is already uploaded"),
        );
    }
    let deps: Vec<Value> = manifest["deps"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|dep| {
            let explicit = dep["explicit_name_in_toml"].as_str();
            json!({
                "name": explicit.unwrap_or_else(|| dep["name"].as_str().unwrap_or_default()),
                "req": dep["version_req"],
                "features": dep["features"],
                "optional": dep["optional"],
                "default_features": dep["default_features"],
                "target": dep["target"],
                "kind": dep["kind"],
                "registry": dep["registry"],
                "package": explicit.map(|_| dep["name"].clone()),
            })
        })
        .collect();
    let cksum: String = Sha256::digest(file)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let line = json!({
        "name": name,
        "vers": version,
        "deps": deps,
        "cksum": cksum,
        "features": manifest["features"],
        "yanked": false,
        "links": manifest["links"],
    });
    match state.index.iter_mut().find(|(known, _)| *known == key) {
        Some((_, lines)) => lines.push(line),
        None => state.index.push((key.clone(), vec![line])),
    }
    state
        .published
        .push(((key.clone(), version.clone()), Instant::now()));
    state.files.push(((key, version), file.to_vec()));
    FakeResponse::json(
        200,
        &json!({"warnings": {"invalid_categories": [], "invalid_badges": [], "other": []}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_its_config() {
        let registry = CratesRegistry::start();
        let mut response = ureq::get(&format!("{}/index/config.json", registry.url()))
            .call()
            .unwrap();
        let text = response.body_mut().read_to_string().unwrap();
        assert!(text.contains("\"dl\""), "{text}");
    }
}
