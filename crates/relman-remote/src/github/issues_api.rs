//! Milestones and issues: what `milestone-closed` and `no-open-issues` read, and the repository's
//! own facts (default branch, visibility).

use super::model::{Issue, Milestone, Repository};
use super::{GitHub, GitHubError, Repo};
use crate::http::Method;

impl GitHub {
    /// The repository (a cheap way to check the name and the token's access).
    pub fn repository(&self, repo: &Repo) -> Result<Repository, GitHubError> {
        self.get_json(&self.repo_request(Method::Get, repo, ""))
    }

    /// The milestone with this title, open or closed.
    pub fn milestone_by_title(
        &self,
        repo: &Repo,
        title: &str,
    ) -> Result<Option<Milestone>, GitHubError> {
        let request = self
            .repo_request(Method::Get, repo, "milestones")
            .query("state", "all");
        self.find_in_pages(request, None, |milestone: &Milestone| {
            milestone.title == title
        })
    }

    /// The open issues and pull requests of a milestone (by number).
    pub fn open_issues_in_milestone(
        &self,
        repo: &Repo,
        milestone: u64,
    ) -> Result<Vec<Issue>, GitHubError> {
        let request = self
            .repo_request(Method::Get, repo, "issues")
            .query("milestone", milestone.to_string())
            .query("state", "open");
        self.get_all(request, None)
    }

    /// The open issues and pull requests carrying `label`.
    pub fn open_issues_with_label(
        &self,
        repo: &Repo,
        label: &str,
    ) -> Result<Vec<Issue>, GitHubError> {
        let request = self
            .repo_request(Method::Get, repo, "issues")
            .query("labels", label)
            .query("state", "open");
        self.get_all(request, None)
    }
}
