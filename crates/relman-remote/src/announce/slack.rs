//! `slack = "#channel"` with `message`: a post to a Slack incoming webhook.
//!
//! The webhook URL is itself the credential (anyone holding it can post), so the part after the
//! host is registered as a secret: plans and errors show `https://hooks.slack.com/****`.
//! Incoming webhooks made by a Slack app post to the channel chosen when they were created and
//! ignore `channel`; legacy ones honour it, so it is sent when given.

use serde_json::json;

use super::AnnounceError;
use crate::http::url::Origin;
use crate::http::{HttpClient, RenderedRequest, RequestDescription};
use crate::secret::Secret;

/// A Slack incoming webhook.
#[derive(Debug, Clone)]
pub struct Slack {
    client: HttpClient,
    webhook: Secret,
}

/// What to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlackMessage {
    /// `#releases` (only legacy webhooks honour it).
    pub channel: Option<String>,
    /// Slack `mrkdwn` text.
    pub text: String,
}

impl Slack {
    /// `webhook` is the incoming-webhook URL (from `webhook-env`, default `SLACK_WEBHOOK_URL`).
    pub fn new(client: &HttpClient, webhook: Secret) -> Result<Self, AnnounceError> {
        let url = webhook.expose();
        let origin =
            Origin::of(url).map_err(|reason| AnnounceError::invalid("webhook", "****", reason))?;
        let origin_text = origin.to_string();
        let path = url
            .get(origin_text.len()..)
            .filter(|_| url.to_ascii_lowercase().starts_with(&origin_text))
            .unwrap_or(url)
            .trim_start_matches('/');
        let client = client.clone().with_secret(&Secret::new(path));
        Ok(Self { client, webhook })
    }

    /// The request that posts `message`.
    pub fn request(&self, message: &SlackMessage) -> RequestDescription {
        let mut payload = json!({ "text": message.text });
        if let Some(channel) = message
            .channel
            .as_deref()
            .filter(|channel| !channel.is_empty())
        {
            payload["channel"] = json!(channel);
        }
        RequestDescription::post(self.webhook.expose()).json(payload)
    }

    /// The request as a plan shows it.
    pub fn render(&self, message: &SlackMessage) -> RenderedRequest {
        self.client.render(&self.request(message))
    }

    /// Posts the message; Slack answers `ok`, or a short error code as text.
    pub fn send(&self, message: &SlackMessage) -> Result<(), AnnounceError> {
        if message.text.trim().is_empty() {
            return Err(AnnounceError::invalid(
                "message",
                "",
                "Slack refuses an empty message",
            ));
        }
        self.client.execute(&self.request(message))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpOptions;

    #[test]
    fn the_webhook_path_is_masked() {
        let slack = Slack::new(
            &HttpClient::new(HttpOptions::default()),
            Secret::new("https://hooks.slack.com/services/T0/B0/abcdefSECRET"),
        )
        .unwrap();
        let message = SlackMessage {
            channel: Some("#releases".to_owned()),
            text: "ciso8601 2.1.3 is out".to_owned(),
        };
        let rendered = slack.render(&message).to_string();
        assert!(
            rendered.starts_with("POST https://hooks.slack.com/****\n"),
            "{rendered}"
        );
        assert!(
            rendered.contains("\"channel\": \"#releases\""),
            "{rendered}"
        );
        assert!(!rendered.contains("SECRET"), "{rendered}");
        assert!(!format!("{slack:?}").contains("SECRET"));
        let bad = Slack::new(
            &HttpClient::new(HttpOptions::default()),
            Secret::new("not a url"),
        );
        assert!(bad.is_err());
    }
}
