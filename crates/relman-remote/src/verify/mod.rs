//! Checks that what a release published is really there, each one a pure description (for the
//! plan) plus a single `check` that looks once and answers `Ok(Poll::Ready(found))`,
//! `Ok(Poll::Pending(reason))` (the reason is what a timeout reports: "missing `x.whl`") or
//! `Err(VerifyError)` when waiting cannot help (401, a yanked file). The engine repeats a check
//! with [`crate::wait::poll_until`] until it is ready or the step's `timeout` passes.
//!
//! - [`pypi`]: files of a version on a package index (PEP 691 JSON or PEP 503 HTML);
//! - [`oci`]: tags (and platforms) of an image on an OCI distribution registry;
//! - [`helm`]: a chart version in a Helm repository's `index.yaml`;
//! - [`url`]: a URL answering a status, optionally containing a text.
//!
//! Every check is also the step's probe: on resume, a `Ready` means the effect already exists.

pub mod helm;
pub mod oci;
pub mod pypi;
pub mod registries;
pub mod url;

use crate::http::{Credential, HttpError};
use crate::secret::Secret;
use crate::wait::Poll;

/// Why a check failed for good (as opposed to "not yet").
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("invalid `{option}` `{value}`: {reason}")]
    Invalid {
        option: &'static str,
        value: String,
        reason: String,
    },
    #[error("{url} did not answer as expected: {reason}")]
    UnexpectedResponse { url: String, reason: String },
    #[error("{what} is yanked on {index}: {files}")]
    Yanked {
        what: String,
        index: String,
        files: String,
    },
    #[error("{registry} requires credentials for `{repository}` and none were given")]
    CredentialsNeeded {
        registry: String,
        repository: String,
    },
    #[error("{registry} refused the credentials for `{repository}`: {reason}")]
    CredentialsRefused {
        registry: String,
        repository: String,
        reason: String,
    },
}

impl VerifyError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            VerifyError::Http(error) => error.hint(),
            VerifyError::Invalid { .. } => Some("fix the step's options in relman.toml".to_owned()),
            VerifyError::Yanked { .. } => {
                Some("a yanked file is not installable: upload a new release instead".to_owned())
            }
            VerifyError::CredentialsNeeded { .. } => Some(
                "give the registry's user and password (or token) to the step, e.g. through `env`"
                    .to_owned(),
            ),
            VerifyError::CredentialsRefused { .. } => {
                Some("check the user and the password or token for the registry".to_owned())
            }
            VerifyError::UnexpectedResponse { .. } => None,
        }
    }
}

/// Maps a request's failure to a check answer: 404 and 410 are "not there yet", a transient
/// failure (after the client's own retries) is "not yet" too, anything else is final.
pub(crate) fn check_http_error<T>(
    error: HttpError,
    missing: impl FnOnce() -> String,
) -> Result<Poll<T>, VerifyError> {
    pending_reason(error, missing).map(Poll::Pending)
}

/// [`check_http_error`] for callers that go on after a success: `Ok(reason)` is "not yet".
pub(crate) fn pending_reason(
    error: HttpError,
    missing: impl FnOnce() -> String,
) -> Result<String, VerifyError> {
    match error.status() {
        Some(404 | 410) => Ok(missing()),
        _ if error.is_transient() => Ok(error.to_string()),
        _ => Err(VerifyError::Http(error)),
    }
}

/// Splits `https://user:password@host/path` into the URL without userinfo and a basic-auth
/// credential for its origin (as pip reads index URLs). Userinfo is percent-decoded.
pub(crate) fn split_userinfo(url: &str) -> Result<(String, Option<Credential>), VerifyError> {
    let invalid = |reason: String| VerifyError::Invalid {
        option: "url",
        value: crate::secret::Redactor::new().redact(url),
        reason,
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(invalid("not an absolute URL".to_owned()));
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return Ok((url.to_owned(), None));
    };
    let (user, password) = authority[..at]
        .split_once(':')
        .unwrap_or((&authority[..at], ""));
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map(std::borrow::Cow::into_owned)
            .map_err(|_| invalid("bad percent-encoding in the credentials".to_owned()))
    };
    let clean = format!(
        "{scheme}://{}{}",
        &authority[at + 1..],
        &rest[authority_end..]
    );
    let credential = Credential::basic(&clean, &decode(user)?, Secret::new(decode(password)?))
        .map_err(|error| invalid(error.reason))?;
    Ok((clean, Some(credential)))
}

/// Joins a base URL (a folder) and a relative part with exactly one `/`.
pub(crate) fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_becomes_a_credential() {
        let (url, credential) =
            split_userinfo("https://bot:p%40ss@pypi.corp.test/simple/").unwrap();
        assert_eq!(url, "https://pypi.corp.test/simple/");
        let credential = credential.unwrap();
        assert_eq!(credential.origin().to_string(), "https://pypi.corp.test");
        let (url, credential) = split_userinfo("https://pypi.org/simple/").unwrap();
        assert_eq!(url, "https://pypi.org/simple/");
        assert!(credential.is_none());
        let error = split_userinfo("pypi.org/simple").unwrap_err();
        assert!(error.to_string().contains("not an absolute URL"));
    }

    #[test]
    fn urls_join_with_one_slash() {
        assert_eq!(
            join_url("https://h/charts/", "/index.yaml"),
            "https://h/charts/index.yaml"
        );
        assert_eq!(
            join_url("https://h/charts", "index.yaml"),
            "https://h/charts/index.yaml"
        );
    }
}
