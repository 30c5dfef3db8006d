//! Telling people and systems about a release: a Slack incoming webhook ([`slack`]), a JSON
//! webhook ([`webhook`]), and the generic `http` step ([`http_step`]) whose JSON answer can be
//! saved into step outputs (a ticket id from a Bugzilla-style API).
//!
//! Each is planned as a [`crate::RequestDescription`] (rendered with secrets masked) and sent
//! once. A message has no probe: a service does not say whether it already received it, so the
//! engine re-sends only steps marked idempotent. An `http` request that creates something can
//! name a look-up ([`find`]) that finds what an earlier run created. Services only one step kind
//! talks to (Mastodon, Bluesky, Discourse) build their requests in that kind's own file, with
//! [`check_post`] and [`AnnounceError`] from here.

pub mod find;
pub mod http_step;
pub mod slack;
pub mod webhook;

use crate::http::HttpError;

/// Why a message or request could not be sent, or its answer not used.
#[derive(Debug, thiserror::Error)]
pub enum AnnounceError {
    #[error("invalid `{option}` `{value}`: {reason}")]
    Invalid {
        option: &'static str,
        value: String,
        reason: String,
    },
    #[error("{0}")]
    Http(#[from] HttpError),
    #[error("{method} {url} answered {status}, expected {expected}")]
    UnexpectedStatus {
        method: String,
        url: String,
        status: u16,
        expected: String,
    },
    #[error("the answer of {url} is not JSON, so `{name}` cannot be saved: {reason}")]
    NotJson {
        url: String,
        name: String,
        reason: String,
    },
    #[error("the answer of {url} has nothing at `{pointer}` for `{name}` (it has {available})")]
    MissingValue {
        url: String,
        name: String,
        pointer: String,
        available: String,
    },
}

/// Refuses a post `service` would refuse (empty, or over `max_chars` characters) before
/// anything is sent; `what` names a post as the service does ("a status").
pub fn check_post(
    text: &str,
    service: &str,
    what: &str,
    max_chars: usize,
) -> Result<(), AnnounceError> {
    let count = text.chars().count();
    if text.trim().is_empty() {
        return Err(AnnounceError::invalid(
            "message",
            "",
            format!("{what} cannot be empty"),
        ));
    }
    if count > max_chars {
        return Err(AnnounceError::invalid(
            "message",
            format!("{}…", text.chars().take(40).collect::<String>()),
            format!("{count} characters: {service} takes at most {max_chars}"),
        ));
    }
    Ok(())
}

impl AnnounceError {
    /// The step's `option` holds `value` (as it may be shown), which is wrong for `reason`.
    pub fn invalid(
        option: &'static str,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        AnnounceError::Invalid {
            option,
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            AnnounceError::Http(error) => match (error.status(), error.service_message()) {
                (Some(404 | 410), _) if error.url().contains("/services/") => Some(
                    "the Slack webhook was removed or its channel archived: create a new incoming \
                     webhook and update the variable that holds it"
                        .to_owned(),
                ),
                (Some(403), Some(message)) if message.contains("action_prohibited") => {
                    Some("the Slack workspace admins restricted this webhook".to_owned())
                }
                (Some(401 | 403), _) => Some(
                    "check the credentials given to the step (`headers`, token variables)"
                        .to_owned(),
                ),
                _ => error.hint(),
            },
            AnnounceError::Invalid { .. } => {
                Some("fix the step's options in relman.toml".to_owned())
            }
            AnnounceError::MissingValue { .. } => Some(
                "`save` takes JSON pointers such as `/id` or `/bugs/0/id` (RFC 6901)".to_owned(),
            ),
            _ => None,
        }
    }
}
