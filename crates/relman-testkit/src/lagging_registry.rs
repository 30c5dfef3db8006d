//! A registry that is slow to show what it was given, as public registries are (a CDN in front of
//! the npm registry serves the old packument for a while after a publish): a proxy on 127.0.0.1
//! in front of a real npm registry (verdaccio) that forwards every request unchanged, except that
//! after a publish of the lagging package it answers that package's next reads with the packument
//! as it was before the publish (the new versions taken out). It logs every request it saw, in
//! order, with what it showed, so a test can tell whether a dependent was published before its
//! dependency could be seen.

use std::sync::{Arc, Mutex, PoisonError};

use crate::http_server::{FakeResponse, FakeServer, RecordedRequest};

/// The proxy. Dropping it stops it (the registry behind it is the test's).
#[derive(Debug)]
pub struct LaggingRegistry {
    server: FakeServer,
    state: Arc<State>,
}

/// One request the proxy answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    /// The package the path names (`@scope/name` unescaped).
    pub package: String,
    pub status: u16,
    /// A read of the lagging package answered with the newest versions taken out.
    pub hidden: bool,
}

#[derive(Debug)]
struct State {
    upstream: String,
    package: String,
    reads: usize,
    /// After a publish: the versions there were before it, and how many reads still hide the
    /// others.
    lag: Mutex<Option<(Vec<String>, usize)>>,
    seen: Mutex<Vec<Seen>>,
}

/// Request headers not passed on (the proxy's connection is its own).
const HOP: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "accept-encoding",
    "expect",
];

impl LaggingRegistry {
    /// A proxy to `upstream` (`http://127.0.0.1:PORT/`) that hides a new version of `package`
    /// from the `reads` reads of its packument after each publish of it.
    pub fn start(upstream: &str, package: &str, reads: usize) -> Self {
        let state = Arc::new(State {
            upstream: upstream.trim_end_matches('/').to_owned(),
            package: package.to_owned(),
            reads,
            lag: Mutex::new(None),
            seen: Mutex::new(Vec::new()),
        });
        let handler_state = Arc::clone(&state);
        let server = FakeServer::start(move |request| handler_state.answer(request));
        Self { server, state }
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("{}/", self.server.url())
    }

    /// Every request answered so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.state
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many publishes (`PUT`) of `package` it passed on.
    pub fn publishes(&self, package: &str) -> usize {
        self.seen()
            .iter()
            .filter(|seen| seen.method == "PUT" && seen.package == package)
            .count()
    }
}

impl State {
    fn answer(&self, request: &RecordedRequest) -> FakeResponse {
        let package = crate::http_server::decode(request.path.trim_start_matches('/'));
        let ours = package == self.package;
        let before = (ours && request.method == "PUT").then(|| self.versions());
        let (status, content_type, mut body) = match self.forward(request) {
            Ok(answer) => answer,
            Err(error) => {
                return FakeResponse::text(502, &format!("the proxy could not reach: {error}"));
            }
        };
        let mut hidden = false;
        if let Some(before) = before
            && (200..300).contains(&status)
        {
            *self.lag.lock().unwrap_or_else(PoisonError::into_inner) = Some((before, self.reads));
        } else if ours && request.method == "GET" && status == 200 {
            let mut lag = self.lag.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((before, left)) = lag.as_mut()
                && *left > 0
            {
                *left -= 1;
                body = hide(&body, before);
                hidden = true;
            }
        }
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Seen {
                method: request.method.clone(),
                package,
                status,
                hidden,
            });
        FakeResponse::bytes(status, &content_type, body)
    }

    /// The versions of the lagging package upstream has now.
    fn versions(&self) -> Vec<String> {
        let url = format!("{}/{}", self.upstream, self.package.replace('/', "%2f"));
        let Ok(mut response) = ureq::get(&url).call() else {
            return Vec::new();
        };
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        value["versions"]
            .as_object()
            .map(|versions| versions.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn forward(&self, request: &RecordedRequest) -> Result<(u16, String, Vec<u8>), ureq::Error> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut url = format!("{}{}", self.upstream, request.path);
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(&request.query);
        }
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(url);
        for (name, value) in &request.headers {
            if !HOP.contains(&name.as_str()) {
                builder = builder.header(name, value);
            }
        }
        let mut response = if request.body.is_empty() {
            agent.run(builder.body(())?)?
        } else {
            agent.run(builder.body(request.body.clone())?)?
        };
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()?;
        Ok((status, content_type, body))
    }
}

/// The packument without the versions `before` did not have.
fn hide(body: &[u8], before: &[String]) -> Vec<u8> {
    let Ok(mut packument) = serde_json::from_slice::<serde_json::Value>(body) else {
        return body.to_vec();
    };
    let old = |version: &str| before.iter().any(|known| known == version);
    if let Some(versions) = packument["versions"].as_object_mut() {
        versions.retain(|version, _| old(version));
    }
    if let Some(times) = packument["time"].as_object_mut() {
        times.retain(|key, _| key == "created" || key == "modified" || old(key));
    }
    if let Some(tags) = packument["dist-tags"].as_object_mut() {
        tags.retain(|_, version| version.as_str().is_some_and(old));
    }
    packument.to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_new_version_is_taken_out_of_the_packument() {
        let body = serde_json::json!({
            "name": "a",
            "versions": {"1.0.0": {}, "1.1.0": {}},
            "time": {"created": "x", "1.0.0": "y", "1.1.0": "z"},
            "dist-tags": {"latest": "1.1.0", "old": "1.0.0"},
        })
        .to_string();
        let hidden: serde_json::Value =
            serde_json::from_slice(&super::hide(body.as_bytes(), &["1.0.0".to_owned()])).unwrap();
        assert_eq!(
            hidden,
            serde_json::json!({
                "name": "a",
                "versions": {"1.0.0": {}},
                "time": {"created": "x", "1.0.0": "y"},
                "dist-tags": {"old": "1.0.0"},
            })
        );
    }
}
