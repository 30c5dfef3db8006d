//! The GitHub client (github.com and GitHub Enterprise Server), hand-written on [`HttpClient`].
//!
//! [`GitHub`] covers what release steps need: releases and their assets ([`releases`]), pull
//! requests ([`pulls`]), check runs and commit statuses ([`checks`]), Actions runs, dispatch and
//! artifacts ([`actions`]), milestones and labelled issues ([`issues`]).
//!
//! Every write comes as a [`Call`]: `call.render()` is what `relman plan` shows (token masked),
//! `call.send()` performs it. Every write also has a probe, a read that says whether its effect is
//! already there (`release_by_tag` finds drafts too, `find_pull_request` finds the open PR for a
//! head and base, `find_dispatched_run` finds the run a dispatch started), so a resumed release
//! never creates a second release or pull request; the `ensure_*`/`open_or_reuse_*` functions
//! combine the two.
//!
//! The token is bound to the API's origin (and `uploads.github.com` for github.com), so the
//! redirect of an artifact download to blob storage never carries it. Without a token, requests
//! can still be rendered; sending one fails with [`GitHubError::MissingToken`], naming the variable.

mod account_api;
mod actions_api;
mod artifacts;
mod checks_api;
mod error;
mod issues_api;
mod model;
mod pulls_api;
mod releases_api;

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::DeserializeOwned;

pub use account_api::{Permissions, Review, Reviewer, approvers};
pub use actions_api::DispatchMarker;
pub use checks_api::{ChecksReport, ChecksState};
pub use error::GitHubError;
pub use model::*;
pub use releases_api::content_type_for;

use crate::clock::Clock;
use crate::http::{
    Credential, HttpClient, HttpError, HttpOptions, RenderedRequest, RequestDescription, Response,
};
use crate::secret::{Redactor, Secret};

/// The API root of github.com.
pub const DEFAULT_API: &str = "https://api.github.com";
/// The REST API version relman is written against.
pub const API_VERSION: &str = "2022-11-28";
/// The page size asked for on lists (GitHub's maximum).
const PER_PAGE: &str = "100";

/// How to reach GitHub.
#[derive(Debug, Clone)]
pub struct GitHubConfig {
    /// The REST API root: `https://api.github.com`, `https://HOST/api/v3`, or a local fake.
    pub api: String,
    /// The token; `None` allows rendering requests but not sending them.
    pub token: Option<Secret>,
    /// The environment variable the token was read from (named in errors and hints).
    pub token_variable: String,
    pub http: HttpOptions,
    pub clock: Clock,
    /// Ask `workflow_dispatch` to return the run it started (github.com only; GitHub Enterprise
    /// Server rejects the field). Defaults to true for `api.github.com`.
    pub dispatch_returns_run: Option<bool>,
}

impl Default for GitHubConfig {
    fn default() -> Self {
        Self {
            api: DEFAULT_API.to_owned(),
            token: None,
            token_variable: "GITHUB_TOKEN".to_owned(),
            http: HttpOptions::default(),
            clock: Clock::system(),
            dispatch_returns_run: None,
        }
    }
}

/// A repository, `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Repo {
    pub owner: String,
    pub name: String,
}

impl Repo {
    /// A repository from its owner and name.
    pub fn new(owner: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            owner: owner.into(),
            name: name.into(),
        }
    }

    /// The repository of a git remote URL: `https://github.com/o/r(.git)`, `git@github.com:o/r.git`,
    /// `ssh://git@host/o/r.git`.
    pub fn from_remote_url(url: &str) -> Option<Self> {
        let url = url.trim().trim_end_matches('/');
        let path = if let Some((_, rest)) = url.split_once("://") {
            rest.split_once('/')?.1
        } else {
            url.split_once(':')?.1
        };
        let path = path.strip_suffix(".git").unwrap_or(path);
        let mut parts = path.rsplitn(3, '/');
        let name = parts.next()?;
        let owner = parts.next()?;
        (!owner.is_empty() && !name.is_empty()).then(|| Self::new(owner, name))
    }

    fn path(&self) -> String {
        format!(
            "repos/{}/{}",
            crate::http::url::encode_component(&self.owner),
            crate::http::url::encode_component(&self.name)
        )
    }
}

impl FromStr for Repo {
    type Err = GitHubError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let invalid = || GitHubError::InvalidRepo {
            value: value.to_owned(),
        };
        let (owner, name) = value.trim().split_once('/').ok_or_else(invalid)?;
        let valid = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        if !valid(owner) || !valid(name) {
            return Err(invalid());
        }
        Ok(Self::new(owner, name))
    }
}

impl fmt::Display for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// A GitHub client; cheap to clone.
#[derive(Debug, Clone)]
pub struct GitHub {
    http: HttpClient,
    api: String,
    has_token: bool,
    token_variable: String,
    dispatch_returns_run: bool,
}

impl GitHub {
    /// A client for `config.api`, with the token bound to the API's origin.
    pub fn new(config: GitHubConfig) -> Result<Self, GitHubError> {
        let api = config.api.trim_end_matches('/').to_owned();
        let invalid = |reason: String| GitHubError::InvalidApi {
            url: Redactor::new().redact(&api),
            reason,
        };
        let origin = crate::http::url::Origin::of(&api).map_err(invalid)?;
        let is_dotcom = origin.host() == "api.github.com";
        let token = config.token.filter(|token| !token.is_empty());
        let mut http = HttpClient::new(config.http).with_clock(config.clock);
        if let Some(token) = &token {
            let bind = |url: &str| {
                Credential::bearer(url, token.clone()).map_err(|error| invalid(error.reason))
            };
            http = http.with_credential(bind(&api)?);
            if is_dotcom {
                // Asset uploads go to the `upload_url` host, which is GitHub's too.
                http = http.with_credential(bind("https://uploads.github.com")?);
            }
        }
        Ok(Self {
            http,
            api,
            has_token: token.is_some(),
            token_variable: config.token_variable,
            dispatch_returns_run: config.dispatch_returns_run.unwrap_or(is_dotcom),
        })
    }

    /// The API root, without a trailing slash.
    pub fn api(&self) -> &str {
        &self.api
    }

    /// The HTTP client underneath (its redactor masks the token).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The clock waits use.
    pub fn clock(&self) -> &Clock {
        self.http.clock()
    }

    /// Whether a token was given.
    pub fn has_token(&self) -> bool {
        self.has_token
    }

    /// A request as a plan shows it.
    pub fn render(&self, request: &RequestDescription) -> RenderedRequest {
        self.http.render(request)
    }

    /// A request to `path` under the API root, with GitHub's media type and API version.
    pub fn request(&self, method: crate::http::Method, path: &str) -> RequestDescription {
        self.request_url(
            method,
            format!("{}/{}", self.api, path.trim_start_matches('/')),
        )
    }

    /// A request to an absolute URL GitHub handed out (an upload or download URL).
    pub fn request_url(&self, method: crate::http::Method, url: String) -> RequestDescription {
        RequestDescription::new(method, url)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", API_VERSION)
    }

    fn repo_request(
        &self,
        method: crate::http::Method,
        repo: &Repo,
        rest: &str,
    ) -> RequestDescription {
        let rest = rest.trim_start_matches('/');
        let path = if rest.is_empty() {
            repo.path()
        } else {
            format!("{}/{rest}", repo.path())
        };
        self.request(method, &path)
    }

    fn wrap(&self, error: HttpError) -> GitHubError {
        GitHubError::Http {
            error,
            token_variable: self.token_variable.clone(),
        }
    }

    fn require_token(&self) -> Result<(), GitHubError> {
        if self.has_token {
            Ok(())
        } else {
            Err(GitHubError::MissingToken {
                variable: self.token_variable.clone(),
            })
        }
    }

    /// Sends a request (a token is required).
    pub fn execute(&self, request: &RequestDescription) -> Result<Response, GitHubError> {
        self.require_token()?;
        self.http.execute(request).map_err(|error| self.wrap(error))
    }

    fn get_json<T: DeserializeOwned>(
        &self,
        request: &RequestDescription,
    ) -> Result<T, GitHubError> {
        self.execute(request)?
            .json()
            .map_err(|error| self.wrap(error))
    }

    /// Like `get_json`, with 404 as `None`.
    fn get_optional<T: DeserializeOwned>(
        &self,
        request: &RequestDescription,
    ) -> Result<Option<T>, GitHubError> {
        match self.execute(request) {
            Ok(response) => response.json().map(Some).map_err(|error| self.wrap(error)),
            Err(error) if error.status() == Some(404) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Every item of a paginated list (100 per page).
    fn get_all<T: DeserializeOwned>(
        &self,
        request: RequestDescription,
        field: Option<&str>,
    ) -> Result<Vec<T>, GitHubError> {
        self.require_token()?;
        self.http
            .get_all(&request.query("per_page", PER_PAGE), field)
            .map_err(|error| self.wrap(error))
    }

    /// Goes through a paginated list until `found` returns an item.
    fn find_in_pages<T: DeserializeOwned>(
        &self,
        request: RequestDescription,
        field: Option<&str>,
        mut found: impl FnMut(&T) -> bool,
    ) -> Result<Option<T>, GitHubError> {
        self.require_token()?;
        let mut hit = None;
        self.http
            .for_each_page(&request.query("per_page", PER_PAGE), |page| {
                let mut value: serde_json::Value = page.json()?;
                if let Some(field) = field {
                    value = value
                        .get_mut(field)
                        .map(serde_json::Value::take)
                        .unwrap_or_default();
                }
                let items: Vec<T> = serde_json::from_value(value).map_err(|error| {
                    HttpError::decode(page.method(), page.url(), page.status(), error.to_string())
                })?;
                let empty = items.is_empty();
                hit = items.into_iter().find(|item| found(item));
                Ok(hit.is_none() && !empty)
            })
            .map_err(|error| self.wrap(error))?;
        Ok(hit)
    }

    fn call<T>(&self, request: RequestDescription, decode: Decode<T>) -> Call<'_, T> {
        Call {
            github: self,
            request,
            decode,
            output: PhantomData,
        }
    }
}

/// How a [`Call`] turns its response into a value.
type Decode<T> = fn(&GitHub, Response) -> Result<T, GitHubError>;

fn decode_json<T: DeserializeOwned>(github: &GitHub, response: Response) -> Result<T, GitHubError> {
    response.json().map_err(|error| github.wrap(error))
}

fn decode_nothing(_: &GitHub, _: Response) -> Result<(), GitHubError> {
    Ok(())
}

/// A write to GitHub, described before it is sent: render it for a plan, then send it.
#[derive(Debug)]
#[must_use = "a call does nothing until it is sent"]
pub struct Call<'a, T> {
    github: &'a GitHub,
    request: RequestDescription,
    decode: Decode<T>,
    output: PhantomData<T>,
}

impl<T> Call<'_, T> {
    /// The request this call sends.
    pub fn request(&self) -> &RequestDescription {
        &self.request
    }

    /// The request as a plan shows it (token masked).
    pub fn render(&self) -> RenderedRequest {
        self.github.render(&self.request)
    }

    /// Sends it.
    pub fn send(self) -> Result<T, GitHubError> {
        let response = self.github.execute(&self.request)?;
        (self.decode)(self.github, response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repos_parse_from_names_and_remote_urls() {
        assert_eq!(
            "closeio/ciso8601".parse::<Repo>().unwrap(),
            Repo::new("closeio", "ciso8601")
        );
        assert!("closeio".parse::<Repo>().is_err());
        assert!("a/b/c".parse::<Repo>().is_err());
        for url in [
            "https://github.com/closeio/ciso8601.git",
            "https://github.com/closeio/ciso8601",
            "git@github.com:closeio/ciso8601.git",
            "ssh://git@github.example.com:2222/closeio/ciso8601.git",
            "https://bot:pw@ghe.example.com/closeio/ciso8601/",
        ] {
            assert_eq!(
                Repo::from_remote_url(url),
                Some(Repo::new("closeio", "ciso8601")),
                "{url}"
            );
        }
        assert_eq!(Repo::from_remote_url("/srv/git/repo.git"), None);
    }

    #[test]
    fn without_a_token_requests_render_but_do_not_send() {
        let github = GitHub::new(GitHubConfig {
            token_variable: "RELEASE_TOKEN".into(),
            ..GitHubConfig::default()
        })
        .unwrap();
        let repo = Repo::new("o", "r");
        let call = github.delete_release(&repo, 7);
        assert_eq!(
            call.render().to_string(),
            "DELETE https://api.github.com/repos/o/r/releases/7\n\
             Accept: application/vnd.github+json\nX-GitHub-Api-Version: 2022-11-28"
        );
        let error = call.send().unwrap_err();
        assert_eq!(
            error.to_string(),
            "no GitHub token: set `RELEASE_TOKEN` (or `GH_TOKEN`)"
        );
        assert!(
            error
                .hint()
                .unwrap()
                .contains("export it as `RELEASE_TOKEN`")
        );
    }

    #[test]
    fn the_token_is_bound_to_the_api_and_upload_hosts() {
        let github = GitHub::new(GitHubConfig {
            token: Some(Secret::new("ghp_abcdefgh")),
            ..GitHubConfig::default()
        })
        .unwrap();
        assert!(github.http().has_credential_for("https://api.github.com/x"));
        assert!(
            github
                .http()
                .has_credential_for("https://uploads.github.com/x")
        );
        assert!(
            !github
                .http()
                .has_credential_for("https://productionresultssa0.blob.core.windows.net/")
        );
        let enterprise = GitHub::new(GitHubConfig {
            api: "https://ghe.example.com/api/v3/".into(),
            token: Some(Secret::new("ghp_abcdefgh")),
            ..GitHubConfig::default()
        })
        .unwrap();
        assert_eq!(enterprise.api(), "https://ghe.example.com/api/v3");
        assert!(
            enterprise
                .http()
                .has_credential_for("https://ghe.example.com/api/uploads/x")
        );
        assert!(
            !enterprise
                .http()
                .has_credential_for("https://uploads.github.com/x")
        );
        let error = GitHub::new(GitHubConfig {
            api: "api.github.com".into(),
            ..GitHubConfig::default()
        })
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid GitHub API URL `api.github.com`"),
            "{error}"
        );
    }
}
