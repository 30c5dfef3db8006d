//! Checks on a commit, over both of GitHub's systems at once: check runs (Actions and other apps)
//! and commit statuses (CircleCI and other services). `ci-green` reads one [`ChecksReport`];
//! `wait = "checks"` polls until it is green, re-running failed Actions runs up to N times.
//!
//! The combined status endpoint says `pending` for a commit that has no statuses at all (a
//! repository that only uses Actions), so its overall `state` is ignored: each status is judged.

use super::model::{CheckRun, CommitStatus, WorkflowRun};
use super::{GitHub, GitHubError, Repo};
use crate::http::Method;
use crate::http::url::encode_component;
use crate::wait::{Poll, PollOptions, WaitError, poll_until};

/// Where the checks of a commit stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecksState {
    /// Every check run and status succeeded (neutral and skipped runs count as success).
    Green,
    /// Nothing failed yet, and these are not finished.
    Pending(Vec<String>),
    /// These failed (whatever else is still running).
    Failed(Vec<String>),
    /// No check run and no status at all (yet).
    Empty,
}

/// All check runs and statuses of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksReport {
    pub git_ref: String,
    pub check_runs: Vec<CheckRun>,
    pub statuses: Vec<CommitStatus>,
}

impl ChecksReport {
    /// The verdict over runs and statuses together.
    pub fn state(&self) -> ChecksState {
        let mut failed = Vec::new();
        let mut pending = Vec::new();
        for run in &self.check_runs {
            match (run.status.as_str(), run.conclusion.as_deref()) {
                ("completed", Some("success" | "neutral" | "skipped")) => {}
                ("completed", conclusion) => {
                    failed.push(format!(
                        "{} ({})",
                        run.name,
                        conclusion.unwrap_or("no conclusion")
                    ));
                }
                _ => pending.push(run.name.clone()),
            }
        }
        for status in &self.statuses {
            match status.state.as_str() {
                "success" => {}
                "pending" => pending.push(status.context.clone()),
                state => failed.push(format!("{} ({state})", status.context)),
            }
        }
        if !failed.is_empty() {
            ChecksState::Failed(failed)
        } else if !pending.is_empty() {
            ChecksState::Pending(pending)
        } else if self.check_runs.is_empty() && self.statuses.is_empty() {
            ChecksState::Empty
        } else {
            ChecksState::Green
        }
    }

    /// One line for a progress display or an error.
    pub fn summary(&self) -> String {
        match self.state() {
            ChecksState::Green => format!(
                "{} checks passed",
                self.check_runs.len() + self.statuses.len()
            ),
            ChecksState::Pending(names) => format!("{} pending: {}", names.len(), names.join(", ")),
            ChecksState::Failed(names) => format!("{} failed: {}", names.len(), names.join(", ")),
            ChecksState::Empty => "no checks reported yet".to_owned(),
        }
    }
}

impl GitHub {
    /// The latest check run of each name for a commit, branch or tag.
    pub fn check_runs(&self, repo: &Repo, git_ref: &str) -> Result<Vec<CheckRun>, GitHubError> {
        let request = self
            .repo_request(
                Method::Get,
                repo,
                &format!("commits/{}/check-runs", encode_component(git_ref)),
            )
            .query("filter", "latest");
        self.get_all(request, Some("check_runs"))
    }

    /// The latest status of each context for a commit, branch or tag.
    pub fn commit_statuses(
        &self,
        repo: &Repo,
        git_ref: &str,
    ) -> Result<Vec<CommitStatus>, GitHubError> {
        let request = self.repo_request(
            Method::Get,
            repo,
            &format!("commits/{}/status", encode_component(git_ref)),
        );
        self.get_all(request, Some("statuses"))
    }

    /// Check runs and statuses of a ref together: what `ci-green` judges.
    pub fn checks(&self, repo: &Repo, git_ref: &str) -> Result<ChecksReport, GitHubError> {
        Ok(ChecksReport {
            git_ref: git_ref.to_owned(),
            check_runs: self.check_runs(repo, git_ref)?,
            statuses: self.commit_statuses(repo, git_ref)?,
        })
    }

    /// Re-runs the failed jobs of every failed Actions run of a commit; returns the runs re-run.
    pub fn rerun_failed_runs(
        &self,
        repo: &Repo,
        sha: &str,
    ) -> Result<Vec<WorkflowRun>, GitHubError> {
        let failed: Vec<WorkflowRun> = self
            .workflow_runs_for_sha(repo, sha)?
            .into_iter()
            .filter(WorkflowRun::is_failed)
            .collect();
        for run in &failed {
            self.rerun_failed_jobs(repo, run.id).send()?;
        }
        Ok(failed)
    }

    /// Polls until every check of `git_ref` is green. A failure re-runs the failed Actions runs of
    /// `sha` while `reruns` lasts (a failure with nothing to re-run, or past that, is an error).
    /// A ref that has no checks at all is waited on like a pending one: CI may not have started.
    pub fn wait_for_checks(
        &self,
        repo: &Repo,
        git_ref: &str,
        sha: &str,
        reruns: u32,
        options: &PollOptions,
    ) -> Result<ChecksReport, WaitError<GitHubError>> {
        let mut reruns_left = reruns;
        let what = format!("checks on `{git_ref}`");
        poll_until(self.clock(), options, &what, || {
            let report = self.checks(repo, git_ref)?;
            match report.state() {
                ChecksState::Green => Ok(Poll::Ready(report)),
                ChecksState::Pending(_) | ChecksState::Empty => Ok(Poll::Pending(report.summary())),
                ChecksState::Failed(failed) => {
                    if reruns_left > 0 {
                        let rerun = self.rerun_failed_runs(repo, sha)?;
                        if !rerun.is_empty() {
                            reruns_left -= 1;
                            let names: Vec<String> =
                                rerun.iter().map(WorkflowRun::display_name).collect();
                            return Ok(Poll::Pending(format!("re-running {}", names.join(", "))));
                        }
                        // Failed runs still in progress elsewhere cannot be re-run yet.
                        let runs = self.workflow_runs_for_sha(repo, sha)?;
                        if runs.iter().any(|run| !run.is_completed()) {
                            return Ok(Poll::Pending(report.summary()));
                        }
                    }
                    Err(GitHubError::ChecksFailed {
                        repo: repo.to_string(),
                        git_ref: git_ref.to_owned(),
                        failed,
                    })
                }
            }
        })
    }
}
