//! A registry that is slow to show what it was given, as public registries are (a CDN in front of
//! the npm registry serves the old packument for a while after a publish, PyPI's simple index
//! the old page): a proxy on 127.0.0.1 in front of a real registry (verdaccio, pypiserver) that
//! forwards every request unchanged, except that after a publish of the lagging package it
//! answers that package's next reads as they were before the publish (the new versions, or the
//! new files' links, taken out). It logs every request it saw, in
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

/// What the registry behind speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// npm: `PUT /NAME` publishes, `GET /NAME` reads the packument.
    Npm,
    /// PyPI's upload API (`POST /` with the form field `name`) and simple index
    /// (`GET /simple/NAME/`).
    Pypi,
}

#[derive(Debug)]
struct State {
    flavor: Flavor,
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
    /// from the `reads` reads of it after each publish of it.
    pub fn start(flavor: Flavor, upstream: &str, package: &str, reads: usize) -> Self {
        let state = Arc::new(State {
            flavor,
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

    /// How many publishes (npm's `PUT`, PyPI's `POST`: one per file) of `package` it passed on.
    pub fn publishes(&self, package: &str) -> usize {
        self.seen()
            .iter()
            .filter(|seen| seen.publish() && seen.package == package)
            .count()
    }
}

impl Seen {
    /// Whether the request published (npm's `PUT`, PyPI's upload `POST`).
    pub fn publish(&self) -> bool {
        self.method == "PUT" || self.method == "POST"
    }
}

impl State {
    fn answer(&self, request: &RecordedRequest) -> FakeResponse {
        let package = self.package_of(request);
        let ours = package == self.package;
        let publish = request.method == "PUT" || request.method == "POST";
        let before = (ours && publish).then(|| self.versions());
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
                body = match self.flavor {
                    Flavor::Npm => hide(&body, before),
                    Flavor::Pypi => {
                        hide_links(&String::from_utf8_lossy(&body), before).into_bytes()
                    }
                };
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

    /// The package a request is about: the path's (npm, PyPI's index), or an upload's `name`.
    fn package_of(&self, request: &RecordedRequest) -> String {
        match self.flavor {
            Flavor::Npm => crate::http_server::decode(request.path.trim_start_matches('/')),
            Flavor::Pypi if request.method == "POST" => {
                let body = String::from_utf8_lossy(&request.body);
                body.split("name=\"name\"")
                    .nth(1)
                    .and_then(|rest| rest.trim_start_matches(['\r', '\n']).lines().next())
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            }
            Flavor::Pypi => request
                .path
                .trim_start_matches("/simple/")
                .trim_end_matches('/')
                .to_owned(),
        }
    }

    /// The versions (npm) or files (PyPI) of the lagging package upstream has now.
    fn versions(&self) -> Vec<String> {
        let url = match self.flavor {
            Flavor::Npm => format!("{}/{}", self.upstream, self.package.replace('/', "%2f")),
            Flavor::Pypi => format!("{}/simple/{}/", self.upstream, self.package),
        };
        let Ok(mut response) = ureq::get(&url).call() else {
            return Vec::new();
        };
        let text = response.body_mut().read_to_string().unwrap_or_default();
        if self.flavor == Flavor::Pypi {
            return links(&text).into_iter().map(|(_, name)| name).collect();
        }
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

/// Each `<a …>NAME</a>` of a simple index page: the whole anchor and its text.
fn links(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        let Some(end) = rest[start..].find("</a>") else {
            break;
        };
        let anchor = &rest[start..start + end + 4];
        let text = anchor[..anchor.len() - 4]
            .rsplit('>')
            .next()
            .unwrap_or_default();
        found.push((anchor.to_owned(), text.to_owned()));
        rest = &rest[start + end + 4..];
    }
    found
}

/// The page without the links to files `before` did not have.
fn hide_links(html: &str, before: &[String]) -> String {
    let mut page = html.to_owned();
    for (anchor, name) in links(html) {
        if !before.contains(&name) {
            page = page.replace(&anchor, "");
        }
    }
    page
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_new_file_is_taken_out_of_the_index_page() {
        let page = "<html><body>\n<a href=\"/packages/a-1.0.0.tar.gz#sha256=1\">a-1.0.0.tar.gz</a><br>\n<a href=\"/packages/a-1.1.0.tar.gz#sha256=2\">a-1.1.0.tar.gz</a><br>\n</body></html>";
        let hidden = super::hide_links(page, &["a-1.0.0.tar.gz".to_owned()]);
        assert!(hidden.contains("a-1.0.0.tar.gz</a>"), "{hidden}");
        assert!(!hidden.contains("a-1.1.0"), "{hidden}");
    }

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
