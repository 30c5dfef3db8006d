//! `mastodon = "https://INSTANCE"`: a status posted through Mastodon's REST API
//! (`POST /api/v1/statuses`, a Bearer access token with the `write:statuses` scope).
//!
//! Every post carries an `Idempotency-Key` chosen before it is sent and kept by the caller:
//! Mastodon answers a repeated key with the status it already created (for an hour), so a post
//! retried after a lost answer or a crash appears once.

use serde::Deserialize;
use serde_json::json;

use super::AnnounceError;
use crate::http::{Credential, HttpClient, RenderedRequest, RequestDescription};
use crate::secret::Secret;

/// A Mastodon account on an instance.
#[derive(Debug, Clone)]
pub struct Mastodon {
    client: HttpClient,
    instance: String,
}

/// A status as Mastodon answers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Status {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// Statuses longer than this are refused by a default Mastodon instance.
pub const MAX_CHARS: usize = 500;

impl Mastodon {
    /// `instance` is the instance's root (`https://fosstodon.org`); `token` is sent only there.
    pub fn new(client: &HttpClient, instance: &str, token: Secret) -> Result<Self, AnnounceError> {
        let instance = instance.trim_end_matches('/').to_owned();
        let credential = Credential::bearer(&instance, token)
            .map_err(|error| AnnounceError::invalid("mastodon", &instance, error.reason))?;
        Ok(Self {
            client: client.clone().with_credential(credential),
            instance,
        })
    }

    /// The request that posts `text` with `visibility`, under `key`.
    pub fn request(&self, text: &str, visibility: &str, key: &str) -> RequestDescription {
        RequestDescription::post(format!("{}/api/v1/statuses", self.instance))
            .header("Idempotency-Key", key)
            .json(json!({ "status": text, "visibility": visibility }))
    }

    /// The request as a plan shows it.
    pub fn render(&self, text: &str, visibility: &str, key: &str) -> RenderedRequest {
        self.client.render(&self.request(text, visibility, key))
    }

    /// Posts the status (once per `key`).
    pub fn post(&self, text: &str, visibility: &str, key: &str) -> Result<Status, AnnounceError> {
        check_text(text)?;
        Ok(self.client.json(&self.request(text, visibility, key))?)
    }

    /// The account the token belongs to (`GET /api/v1/accounts/verify_credentials`).
    pub fn account(&self) -> Result<String, AnnounceError> {
        #[derive(Deserialize)]
        struct Account {
            acct: String,
        }
        let request = RequestDescription::get(format!(
            "{}/api/v1/accounts/verify_credentials",
            self.instance
        ));
        Ok(self.client.json::<Account>(&request)?.acct)
    }
}

/// Refuses what Mastodon would refuse, before anything is sent.
pub fn check_text(text: &str) -> Result<(), AnnounceError> {
    super::check_post(text, "Mastodon", "a status", MAX_CHARS)
}
