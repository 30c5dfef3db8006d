//! Pull requests: find the open one for a head and base (the probe), open or reuse, request
//! reviewers, add assignees and labels (through the issues API, as GitHub wants), merge with a
//! method, and wait until merged (failing if it was closed unmerged).

use serde_json::json;

use super::model::{MergeOptions, MergeResult, NewPullRequest, PullRequest, PullStatus};
use super::{Call, GitHub, GitHubError, Repo, decode_json, decode_nothing};
use crate::http::Method;
use crate::wait::{Poll, PollOptions, WaitError, poll_until};

impl GitHub {
    /// `owner:branch` for a head given as `branch` (a branch of `repo`) or already as `owner:branch`.
    pub fn qualified_head(repo: &Repo, head: &str) -> String {
        if head.contains(':') {
            head.to_owned()
        } else {
            format!("{}:{head}", repo.owner)
        }
    }

    /// The open pull request from `head` into `base`, if any: the probe of `pull-request` steps.
    pub fn find_pull_request(
        &self,
        repo: &Repo,
        head: &str,
        base: &str,
    ) -> Result<Option<PullRequest>, GitHubError> {
        let request = self
            .repo_request(Method::Get, repo, "pulls")
            .query("state", "open")
            .query("head", Self::qualified_head(repo, head))
            .query("base", base);
        self.find_in_pages(request, None, |_: &PullRequest| true)
    }

    /// A pull request by number (with `merged` set).
    pub fn pull_request(&self, repo: &Repo, number: u64) -> Result<PullRequest, GitHubError> {
        self.get_json(&self.repo_request(Method::Get, repo, &format!("pulls/{number}")))
    }

    /// Opens a pull request.
    pub fn create_pull_request(&self, repo: &Repo, pull: &NewPullRequest) -> Call<'_, PullRequest> {
        self.call(
            self.repo_request(Method::Post, repo, "pulls").json_of(pull),
            decode_json,
        )
    }

    /// The open pull request for `pull.head` and `pull.base`, or a new one. Returns it and whether
    /// it was created.
    pub fn open_or_reuse_pull_request(
        &self,
        repo: &Repo,
        pull: &NewPullRequest,
    ) -> Result<(PullRequest, bool), GitHubError> {
        if let Some(existing) = self.find_pull_request(repo, &pull.head, &pull.base)? {
            return Ok((existing, false));
        }
        match self.create_pull_request(repo, pull).send() {
            Ok(created) => Ok((created, true)),
            Err(error) if super::releases_api::is_already_exists(&error) => {
                let existing = self
                    .find_pull_request(repo, &pull.head, &pull.base)?
                    .ok_or(error)?;
                Ok((existing, false))
            }
            // The answer was lost: look before opening again.
            Err(error) if super::releases_api::outcome_unknown(&error) => {
                match self.find_pull_request(repo, &pull.head, &pull.base)? {
                    Some(existing) => Ok((existing, true)),
                    None => Ok((self.create_pull_request(repo, pull).send()?, true)),
                }
            }
            Err(error) => Err(error),
        }
    }

    /// Requests reviews from users and teams (slugs).
    pub fn request_reviewers(
        &self,
        repo: &Repo,
        number: u64,
        users: &[String],
        teams: &[String],
    ) -> Call<'_, ()> {
        let request = self
            .repo_request(
                Method::Post,
                repo,
                &format!("pulls/{number}/requested_reviewers"),
            )
            .json(json!({"reviewers": users, "team_reviewers": teams}));
        self.call(request, decode_nothing)
    }

    /// Assigns users to an issue or pull request.
    pub fn add_assignees(&self, repo: &Repo, number: u64, users: &[String]) -> Call<'_, ()> {
        let request = self
            .repo_request(Method::Post, repo, &format!("issues/{number}/assignees"))
            .json(json!({"assignees": users}));
        self.call(request, decode_nothing)
    }

    /// Adds labels to an issue or pull request (missing labels are created by GitHub).
    pub fn add_labels(&self, repo: &Repo, number: u64, labels: &[String]) -> Call<'_, ()> {
        let request = self
            .repo_request(Method::Post, repo, &format!("issues/{number}/labels"))
            .json(json!({"labels": labels}));
        self.call(request, decode_nothing)
    }

    /// Merges a pull request.
    pub fn merge_pull_request(
        &self,
        repo: &Repo,
        number: u64,
        options: &MergeOptions,
    ) -> Call<'_, MergeResult> {
        let request = self
            .repo_request(Method::Put, repo, &format!("pulls/{number}/merge"))
            .json_of(options);
        self.call(request, decode_json)
    }

    /// Polls until the pull request is merged; closed without merging is an error.
    pub fn wait_until_merged(
        &self,
        repo: &Repo,
        number: u64,
        options: &PollOptions,
    ) -> Result<PullRequest, WaitError<GitHubError>> {
        let what = format!("pull request #{number} in `{repo}` to be merged");
        poll_until(self.clock(), options, &what, || {
            let pull = self.pull_request(repo, number)?;
            match pull.status() {
                PullStatus::Merged => Ok(Poll::Ready(pull)),
                PullStatus::Open => Ok(Poll::Pending(format!("#{number} is still open"))),
                PullStatus::ClosedUnmerged => Err(GitHubError::ClosedUnmerged {
                    repo: repo.to_string(),
                    number,
                    url: pull.html_url,
                }),
            }
        })
    }
}
