//! `webhook = URL` with a JSON `payload`: a POST that any 2xx acknowledges (chat bridges, deploy
//! hooks, a docs rebuild). Secret-looking parts of the URL (`?token=...`) are masked by the
//! client's redactor; a URL that is wholly secret should come from a variable the engine masks.

use super::AnnounceError;
use crate::http::url::Origin;
use crate::http::{HttpClient, RenderedRequest, RequestDescription};

/// A resolved webhook call.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    url: String,
    payload: serde_json::Value,
    headers: Vec<(String, String)>,
}

/// What the receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAnswer {
    pub status: u16,
    pub body: String,
}

impl Webhook {
    pub fn new(
        url: &str,
        payload: serde_json::Value,
        headers: &[(String, String)],
    ) -> Result<Self, AnnounceError> {
        Origin::of(url).map_err(|reason| {
            AnnounceError::invalid(
                "webhook",
                crate::secret::Redactor::new().redact(url),
                reason,
            )
        })?;
        Ok(Self {
            url: url.to_owned(),
            payload,
            headers: headers.to_vec(),
        })
    }

    pub fn request(&self) -> RequestDescription {
        let mut request = RequestDescription::post(&self.url).json(self.payload.clone());
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        request
    }

    pub fn render(&self, client: &HttpClient) -> RenderedRequest {
        client.render(&self.request())
    }

    pub fn send(&self, client: &HttpClient) -> Result<WebhookAnswer, AnnounceError> {
        let response = client.execute(&self.request())?;
        Ok(WebhookAnswer {
            status: response.status(),
            body: response.text(),
        })
    }
}
