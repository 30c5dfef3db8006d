//! [`GitHubError`]: what can go wrong talking to GitHub, with hints that say what to do (set the
//! token variable, give the token a permission, check the repository name).

use std::path::PathBuf;

use crate::http::HttpError;

/// A GitHub operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum GitHubError {
    /// No token was given.
    #[error("no GitHub token: set `{variable}` (or `GH_TOKEN`)")]
    MissingToken { variable: String },
    /// The configured API URL is not usable.
    #[error("invalid GitHub API URL `{url}`: {reason}")]
    InvalidApi { url: String, reason: String },
    /// `owner/name` was expected.
    #[error("invalid GitHub repository `{value}`: expected `owner/name`")]
    InvalidRepo { value: String },
    /// GitHub answered with an error, or could not be reached.
    #[error("{error}")]
    Http {
        error: HttpError,
        /// The variable the token came from, for hints.
        token_variable: String,
    },
    /// A pull request that was awaited was closed without being merged.
    #[error("pull request #{number} in `{repo}` was closed without being merged ({url})")]
    ClosedUnmerged {
        repo: String,
        number: u64,
        url: String,
    },
    /// Checks on a commit failed.
    #[error("checks failed on `{git_ref}` in `{repo}`: {}", failed.join(", "))]
    ChecksFailed {
        repo: String,
        git_ref: String,
        failed: Vec<String>,
    },
    /// A workflow run finished without success.
    #[error("workflow run `{name}` finished as `{conclusion}` ({url})")]
    RunFailed {
        name: String,
        conclusion: String,
        url: String,
    },
    /// The release has no upload URL, an asset path has no file name, and the like.
    #[error("{0}")]
    Invalid(String),
    /// An artifact could not be written or unpacked.
    #[error("cannot unpack artifact `{name}` into `{}`: {message}", dir.display())]
    Artifact {
        name: String,
        dir: PathBuf,
        message: String,
    },
}

impl GitHubError {
    /// The HTTP status GitHub answered, if it did.
    pub fn status(&self) -> Option<u16> {
        match self {
            GitHubError::Http { error, .. } => error.status(),
            _ => None,
        }
    }

    /// The underlying HTTP error, if any.
    pub fn http(&self) -> Option<&HttpError> {
        match self {
            GitHubError::Http { error, .. } => Some(error),
            _ => None,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            GitHubError::MissingToken { variable } => Some(format!(
                "create a token at https://github.com/settings/tokens (or use the `GITHUB_TOKEN` of \
                 a GitHub Actions job) and export it as `{variable}`"
            )),
            GitHubError::InvalidApi { .. } => Some(
                "`forge.api` is the REST API root: `https://api.github.com`, or \
                 `https://HOST/api/v3` for GitHub Enterprise Server"
                    .to_owned(),
            ),
            GitHubError::Http {
                error,
                token_variable,
            } => http_hint(error, token_variable),
            GitHubError::ClosedUnmerged { .. } => {
                Some("reopen and merge the pull request, then resume the release".to_owned())
            }
            GitHubError::ChecksFailed { .. } => Some(
                "fix or re-run the failed checks, then resume (`rerun-failed = N` re-runs failed \
                 Actions jobs automatically)"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

fn http_hint(error: &HttpError, variable: &str) -> Option<String> {
    if let Some(hint) = error.hint() {
        return Some(hint);
    }
    match error.status()? {
        401 => Some(format!(
            "GitHub rejected the token in `{variable}`: check that it is valid and has not expired"
        )),
        403 => Some(format!(
            "the token in `{variable}` lacks a permission for this: releases need `contents: write`, \
             pull requests `pull-requests: write`, dispatching and re-running workflows \
             `actions: write`"
        )),
        404 => Some(format!(
            "check the repository (`forge.repo`) and that the token in `{variable}` can see it: \
             GitHub answers 404, not 403, for private repositories a token cannot read"
        )),
        500..=599 => Some(
            "GitHub is having trouble: check https://www.githubstatus.com, then resume the release"
                .to_owned(),
        ),
        _ => None,
    }
}
