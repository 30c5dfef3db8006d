//! The requests of `bluesky = "HANDLE"`: a post through the AT Protocol of the account's PDS (default
//! `https://bsky.social`): a session from the handle and an app password
//! (`com.atproto.server.createSession`), then `com.atproto.repo.createRecord` of an
//! `app.bsky.feed.post`, links marked as link facets so they are clickable.
//!
//! The record key (a TID) is chosen by the caller and kept before the post is sent: a record
//! with that key can be looked up (`com.atproto.repo.getRecord`), and a second create with it is
//! refused, so a post is never made twice.
//!
//! Built over relman-remote's `HttpClient`, which owns the transport, deadlines, retries and
//! masking.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{Value, json};

use relman_remote::announce::{AnnounceError, check_post};
use relman_remote::{Credential, HttpClient, RenderedRequest, RequestDescription, Secret};

/// The collection of posts.
pub const POST: &str = "app.bsky.feed.post";
/// Posts longer than this (in graphemes; characters here) are refused.
pub const MAX_CHARS: usize = 300;

/// A PDS.
#[derive(Debug, Clone)]
pub struct Bluesky {
    client: HttpClient,
    pds: String,
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub did: String,
    client: HttpClient,
}

impl Bluesky {
    pub fn new(client: &HttpClient, pds: &str) -> Self {
        Self {
            client: client.clone(),
            pds: pds.trim_end_matches('/').to_owned(),
        }
    }

    fn xrpc(&self, method: &str) -> String {
        format!("{}/xrpc/{method}", self.pds)
    }

    /// Logs in with the handle and an app password.
    pub fn login(&self, handle: &str, password: &Secret) -> Result<Session, AnnounceError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Created {
            access_jwt: String,
            did: String,
        }
        let client = self.client.clone().with_secret(password);
        let request = RequestDescription::post(self.xrpc("com.atproto.server.createSession"))
            .json(json!({ "identifier": handle, "password": password.expose() }));
        let created: Created = client.json(&request)?;
        let credential = Credential::bearer(&self.pds, Secret::new(created.access_jwt))
            .map_err(|error| AnnounceError::invalid("pds", &self.pds, error.reason))?;
        Ok(Session {
            did: created.did,
            client: self.client.clone().with_credential(credential),
        })
    }

    /// The request that creates the post `rkey` of `repo` (shown by the plan; the password
    /// and the session never appear in it).
    pub fn request(
        &self,
        repo: &str,
        rkey: &str,
        text: &str,
        created_at: &str,
    ) -> RequestDescription {
        let mut record = json!({ "$type": POST, "text": text, "createdAt": created_at });
        let facets = link_facets(text);
        if !facets.is_empty() {
            record["facets"] = Value::Array(facets);
        }
        RequestDescription::post(self.xrpc("com.atproto.repo.createRecord")).json(json!({
            "repo": repo,
            "collection": POST,
            "rkey": rkey,
            "record": record,
        }))
    }

    pub fn render(&self, repo: &str, rkey: &str, text: &str, created_at: &str) -> RenderedRequest {
        self.client
            .render(&self.request(repo, rkey, text, created_at))
    }

    /// Creates the post; its `at://` URI.
    pub fn post(
        &self,
        session: &Session,
        rkey: &str,
        text: &str,
        created_at: &str,
    ) -> Result<String, AnnounceError> {
        check_text(text)?;
        #[derive(Deserialize)]
        struct Created {
            uri: String,
        }
        let request = self.request(&session.did, rkey, text, created_at);
        Ok(session.client.json::<Created>(&request)?.uri)
    }

    /// The URI of the post `rkey` of `repo`, when it exists.
    pub fn find(&self, repo: &str, rkey: &str) -> Result<Option<String>, AnnounceError> {
        #[derive(Deserialize)]
        struct Found {
            uri: String,
        }
        let request = RequestDescription::get(self.xrpc("com.atproto.repo.getRecord"))
            .query("repo", repo)
            .query("collection", POST)
            .query("rkey", rkey);
        match self.client.json::<Found>(&request) {
            Ok(found) => Ok(Some(found.uri)),
            // The PDS answers 400 `RecordNotFound` (some 404).
            Err(error) if matches!(error.status(), Some(400 | 404)) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }
}

/// Refuses what Bluesky would refuse, before anything is sent.
pub fn check_text(text: &str) -> Result<(), AnnounceError> {
    check_post(text, "Bluesky", "a post", MAX_CHARS)
}

/// A record key for a new post: a TID (microseconds since the epoch and a clock id, in the
/// sortable base-32 alphabet, 13 characters).
pub fn new_rkey() -> String {
    const ALPHABET: &[u8] = b"234567abcdefghijklmnopqrstuvwxyz";
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_micros() as u64);
    let clock = u64::from(std::process::id()) & 0x3ff;
    let mut value = ((micros & ((1 << 53) - 1)) << 10) | clock;
    let mut out = [b'2'; 13];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(value & 31) as usize];
        value >>= 5;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Link facets for every `http(s)://` URL in the text (byte offsets, as the protocol wants).
fn link_facets(text: &str) -> Vec<Value> {
    let mut facets = Vec::new();
    let mut offset = 0;
    while let Some(found) = text[offset..].find("http") {
        let start = offset + found;
        let rest = &text[start..];
        if !(rest.starts_with("https://") || rest.starts_with("http://")) {
            offset = start + 4;
            continue;
        }
        let length = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>'))
            .unwrap_or(rest.len());
        let url = rest[..length].trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
        facets.push(json!({
            "index": { "byteStart": start, "byteEnd": start + url.len() },
            "features": [{ "$type": "app.bsky.richtext.facet#link", "uri": url }],
        }));
        offset = start + length.max(1);
    }
    facets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_facets_at_byte_offsets() {
        let facets = link_facets("ünï 1.0: https://example.org/r/1.0. and http://x.y");
        assert_eq!(facets.len(), 2);
        assert_eq!(facets[0]["index"]["byteStart"], 11);
        assert_eq!(facets[0]["features"][0]["uri"], "https://example.org/r/1.0");
        assert_eq!(facets[1]["features"][0]["uri"], "http://x.y");
    }

    #[test]
    fn record_keys_are_tids() {
        let key = new_rkey();
        assert_eq!(key.len(), 13);
        assert!(
            key.bytes()
                .all(|b| b"234567abcdefghijklmnopqrstuvwxyz".contains(&b))
        );
    }
}
