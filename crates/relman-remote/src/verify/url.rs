//! `wait = "url"` and `verify = "url"`: a URL answers the expected status (any 2xx by default)
//! and, optionally, its body contains a text (a docs page naming the new version, a download
//! that exists). Any other status is "not yet": a page that 404s now appears once the CDN has it.

use super::{VerifyError, split_userinfo};
use crate::http::{Credential, HttpClient, RequestDescription};
use crate::wait::Poll;

/// A resolved URL check.
#[derive(Debug, Clone)]
pub struct UrlVerify {
    url: String,
    credential: Option<Credential>,
    status: Option<u16>,
    contains: Option<String>,
}

/// What the URL answered when it was ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlFound {
    pub status: u16,
}

impl UrlVerify {
    /// `status` is the exact status expected (default: any 2xx); `url` may carry
    /// `user:password@`.
    pub fn new(
        url: &str,
        status: Option<u16>,
        contains: Option<&str>,
    ) -> Result<Self, VerifyError> {
        let (url, credential) = split_userinfo(url)?;
        if let Some(status) = status
            && !(100..=599).contains(&status)
        {
            return Err(VerifyError::Invalid {
                option: "status",
                value: status.to_string(),
                reason: "not an HTTP status".to_owned(),
            });
        }
        Ok(Self {
            url,
            credential,
            status,
            contains: contains.map(str::to_owned),
        })
    }

    pub fn request(&self) -> RequestDescription {
        RequestDescription::get(&self.url)
    }

    pub fn describe(&self) -> String {
        let status = self.status.map_or_else(
            || "a 2xx status".to_owned(),
            |status| format!("status {status}"),
        );
        match &self.contains {
            Some(text) => format!(
                "wait until {} answers {status} containing {text:?}",
                self.url
            ),
            None => format!("wait until {} answers {status}", self.url),
        }
    }

    pub fn check(&self, client: &HttpClient) -> Result<Poll<UrlFound>, VerifyError> {
        let client = match &self.credential {
            Some(credential) => client.clone().with_credential(credential.clone()),
            None => client.clone(),
        };
        let (status, body) = match client.execute(&self.request()) {
            Ok(response) => (response.status(), response.text()),
            Err(error) => match error.status() {
                Some(status) => (status, error.body().unwrap_or_default().to_owned()),
                None if error.is_transient() => return Ok(Poll::Pending(error.to_string())),
                None => return Err(VerifyError::Http(error)),
            },
        };
        let status_ok = match self.status {
            Some(expected) => status == expected,
            None => (200..300).contains(&status),
        };
        if !status_ok {
            return Ok(Poll::Pending(format!("{} answered {status}", self.url)));
        }
        if let Some(text) = &self.contains
            && !body.contains(text.as_str())
        {
            return Ok(Poll::Pending(format!(
                "{} does not contain {text:?} yet",
                self.url
            )));
        }
        Ok(Poll::Ready(UrlFound { status }))
    }
}
