//! A RubyGems host for tests that the real `gem push --host URL` pushes to, following
//! RubyGems.org's documented API: `POST /api/v1/gems` with the `.gem` as the body and the API
//! key in `Authorization` (401 "Access Denied…" on another key; 409 "Repushing of gem versions
//! is not allowed…" for a version already pushed with other bytes, 200 "Gem was already
//! pushed" for the same bytes, as RubyGems.org answers), and `GET /api/v1/versions/NAME.json`
//! (the versions, newest first; 404 for an unknown gem). The name, version and platform of a
//! push are read from the gem itself (its `metadata.gz`), as RubyGems.org does, so a test
//! asserts what the gem it received says. It listens on 127.0.0.1 only and stops on drop.

use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::http_server::{FakeResponse, FakeServer, Fault, RecordedRequest};

/// A gem the host took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedGem {
    pub name: String,
    /// As RubyGems writes it (`1.3.0.pre.rc.1`).
    pub version: String,
    pub platform: String,
    pub bytes: Vec<u8>,
}

/// The host; stopped on drop.
#[derive(Debug)]
pub struct FakeRubyGems {
    server: FakeServer,
    gems: Arc<Mutex<Vec<PushedGem>>>,
}

const PUSH: &str = "/api/v1/gems";

impl FakeRubyGems {
    /// The API key pushing needs (RubyGems.org's shape: `rubygems_` and 48 hex digits).
    pub const KEY: &'static str = "rubygems_0123456789abcdef0123456789abcdef0123456789abcdef";

    pub fn start() -> Self {
        let gems: Arc<Mutex<Vec<PushedGem>>> = Arc::default();
        let shared = Arc::clone(&gems);
        let server = FakeServer::start(move |request| {
            let mut gems = shared.lock().unwrap_or_else(PoisonError::into_inner);
            handle(&mut gems, request)
        });
        Self { server, gems }
    }

    /// `http://127.0.0.1:PORT`, what `gem push --host` takes.
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// Every gem the host took, in order.
    pub fn pushed(&self) -> Vec<PushedGem> {
        self.gems
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The versions of `name` the host lists, in push order.
    pub fn versions(&self, name: &str) -> Vec<String> {
        self.pushed()
            .into_iter()
            .filter(|gem| gem.name == name)
            .map(|gem| gem.version)
            .collect()
    }

    /// Every push request received (`POST /api/v1/gems`), refused ones included.
    pub fn push_requests(&self) -> Vec<RecordedRequest> {
        self.server
            .requests()
            .into_iter()
            .filter(|request| request.method == "POST" && request.path == PUSH)
            .collect()
    }

    /// Every request received.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// The next push is taken at once but answered only after `delay` (a client killed
    /// meanwhile never hears that it went).
    pub fn answer_next_push_after(&self, delay: Duration) {
        self.server
            .fail_next_request("POST", PUSH, Fault::SlowAnswer(delay));
    }
}

fn handle(gems: &mut Vec<PushedGem>, request: &RecordedRequest) -> FakeResponse {
    let path = request.path.as_str();
    match request.method.as_str() {
        "POST" if path == PUSH => push(gems, request),
        "GET" if path.starts_with("/api/v1/versions/") && path.ends_with(".json") => {
            let name = &path["/api/v1/versions/".len()..path.len() - ".json".len()];
            let listed: Vec<serde_json::Value> = gems
                .iter()
                .rev()
                .filter(|gem| gem.name == name)
                .map(|gem| {
                    json!({
                        "number": gem.version,
                        "platform": gem.platform,
                        "prerelease": gem.version.chars().any(|c| c.is_ascii_alphabetic()),
                        "sha": hex(&Sha256::digest(&gem.bytes)),
                    })
                })
                .collect();
            if listed.is_empty() {
                FakeResponse::text(404, "This rubygem could not be found.")
            } else {
                FakeResponse::json(200, &serde_json::Value::Array(listed))
            }
        }
        _ => FakeResponse::text(404, "Not Found"),
    }
}

fn push(gems: &mut Vec<PushedGem>, request: &RecordedRequest) -> FakeResponse {
    if request.header("authorization") != Some(FakeRubyGems::KEY) {
        return FakeResponse::text(
            401,
            "Access Denied. Please sign up for an account at https://rubygems.org",
        );
    }
    let Some((name, version, platform)) = spec(&request.body) else {
        return FakeResponse::text(
            422,
            "RubyGems.org cannot process this gem.\nPlease try rebuilding it and installing it locally to make sure it's valid.\n",
        );
    };
    let title = if platform == "ruby" {
        format!("{name} ({version})")
    } else {
        format!("{name} ({version}-{platform})")
    };
    if let Some(known) = gems
        .iter()
        .find(|gem| gem.name == name && gem.version == version && gem.platform == platform)
    {
        return if known.bytes == request.body {
            FakeResponse::text(200, &format!("Gem was already pushed: {title}"))
        } else {
            FakeResponse::text(
                409,
                "Repushing of gem versions is not allowed.\nPlease bump the version number and push a new different release.\nSee also `gem yank` if you want to unpublish the bad release.",
            )
        };
    }
    gems.push(PushedGem {
        name,
        version,
        platform,
        bytes: request.body.clone(),
    });
    FakeResponse::text(200, &format!("Successfully registered gem: {title}"))
}

/// The name, version and platform a `.gem` (a tar holding `metadata.gz`, the gzipped YAML
/// spec) says.
pub fn spec(gem: &[u8]) -> Option<(String, String, String)> {
    let metadata = tar_member(gem, "metadata.gz")?;
    let mut yaml = String::new();
    flate2::read::GzDecoder::new(metadata)
        .read_to_string(&mut yaml)
        .ok()?;
    let mut name = None;
    let mut version = None;
    let mut platform = "ruby".to_owned();
    let mut lines = yaml.lines();
    while let Some(line) = lines.next() {
        if let Some(value) = line.strip_prefix("name: ") {
            name = Some(value.trim().to_owned());
        } else if line.starts_with("version: ") {
            // `version: !ruby/object:Gem::Version` then `  version: 1.3.0`.
            version = lines
                .next()
                .and_then(|next| next.trim().strip_prefix("version: "))
                .map(|value| value.trim().trim_matches('"').to_owned());
        } else if let Some(value) = line.strip_prefix("platform: ") {
            platform = value.trim().to_owned();
        }
    }
    Some((name?, version?, platform))
}

/// The bytes of the member `wanted` of a ustar archive.
fn tar_member<'a>(tar: &'a [u8], wanted: &str) -> Option<&'a [u8]> {
    let mut at = 0;
    while at + 512 <= tar.len() {
        let header = &tar[at..at + 512];
        if header.iter().all(|byte| *byte == 0) {
            return None;
        }
        let name_end = header[..100]
            .iter()
            .position(|byte| *byte == 0)
            .unwrap_or(100);
        let name = std::str::from_utf8(&header[..name_end]).ok()?;
        let size_text = std::str::from_utf8(&header[124..136]).ok()?;
        let size = usize::from_str_radix(size_text.trim_matches(['\0', ' ']), 8).ok()?;
        let start = at + 512;
        if name == wanted {
            return tar.get(start..start + size);
        }
        at = start + size.div_ceil(512) * 512;
    }
    None
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_gem_is_not_found_and_a_push_needs_the_key() {
        let host = FakeRubyGems::start();
        let error = ureq::get(&format!("{}/api/v1/versions/greeter.json", host.url()))
            .call()
            .unwrap_err();
        assert!(matches!(error, ureq::Error::StatusCode(404)), "{error}");
        let refused = ureq::post(&format!("{}{PUSH}", host.url()))
            .header("Authorization", "rubygems_wrong")
            .send(&b"not a gem"[..])
            .unwrap_err();
        assert!(matches!(refused, ureq::Error::StatusCode(401)), "{refused}");
        assert_eq!(host.push_requests().len(), 1);
        assert!(host.pushed().is_empty());
    }

    #[test]
    fn a_push_that_is_no_gem_is_refused() {
        let host = FakeRubyGems::start();
        let refused = ureq::post(&format!("{}{PUSH}", host.url()))
            .header("Authorization", FakeRubyGems::KEY)
            .send(&b"not a gem"[..])
            .unwrap_err();
        assert!(matches!(refused, ureq::Error::StatusCode(422)), "{refused}");
    }
}
