//! GitHub Actions: workflow runs of a commit, re-running failed jobs, `workflow_dispatch` and
//! finding the run it started, waiting for a run, and its artifacts.
//!
//! A dispatch is made exactly-once-able with a [`DispatchMarker`]: taken before the dispatch (the
//! runs that already exist, and the time), journaled by the engine, and used afterwards (or on
//! resume) by [`GitHub::find_dispatched_run`] to find the run the dispatch started. github.com can
//! also return the run's id in the dispatch answer, which the marker then records.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::model::{Artifact, WorkflowRun};
use super::{Call, GitHub, GitHubError, Repo, decode_nothing};
use crate::http::url::encode_component;
use crate::http::{Method, Response};
use crate::timestamp::{format_rfc3339, parse_rfc3339};
use crate::wait::{Poll, PollOptions, WaitError, poll_until};

/// Clocks disagree: a run GitHub dates a little before our dispatch time is still ours.
const CLOCK_SKEW: Duration = Duration::from_secs(120);

/// What is known about a dispatch, to find the run it started (serialisable for the journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchMarker {
    /// The workflow file name (`release.yml`) or id.
    pub workflow: String,
    /// The branch or tag dispatched on.
    pub git_ref: String,
    /// When the dispatch was about to be sent (RFC 3339).
    pub since: String,
    /// Runs of that workflow on that ref that existed before.
    pub known_run_ids: Vec<u64>,
    /// The run, when GitHub said which it was.
    pub run_id: Option<u64>,
}

#[derive(Deserialize)]
struct RunDetails {
    workflow_run_id: u64,
}

fn decode_dispatch(github: &GitHub, response: Response) -> Result<Option<u64>, GitHubError> {
    if response.status() != 200 || response.body().is_empty() {
        return Ok(None);
    }
    let details: RunDetails = response.json().map_err(|error| github.wrap(error))?;
    Ok(Some(details.workflow_run_id))
}

impl GitHub {
    /// The workflow runs of a commit.
    pub fn workflow_runs_for_sha(
        &self,
        repo: &Repo,
        sha: &str,
    ) -> Result<Vec<WorkflowRun>, GitHubError> {
        let request = self
            .repo_request(Method::Get, repo, "actions/runs")
            .query("head_sha", sha);
        self.get_all(request, Some("workflow_runs"))
    }

    /// A workflow run by id.
    pub fn workflow_run(&self, repo: &Repo, run_id: u64) -> Result<WorkflowRun, GitHubError> {
        self.get_json(&self.repo_request(Method::Get, repo, &format!("actions/runs/{run_id}")))
    }

    /// Re-runs the failed jobs of a run.
    pub fn rerun_failed_jobs(&self, repo: &Repo, run_id: u64) -> Call<'_, ()> {
        let request = self
            .repo_request(
                Method::Post,
                repo,
                &format!("actions/runs/{run_id}/rerun-failed-jobs"),
            )
            .json(json!({}));
        self.call(request, decode_nothing)
    }

    fn dispatch_runs(
        &self,
        repo: &Repo,
        workflow: &str,
        git_ref: &str,
        since: Option<SystemTime>,
    ) -> Result<Vec<WorkflowRun>, GitHubError> {
        let mut request = self
            .repo_request(
                Method::Get,
                repo,
                &format!("actions/workflows/{}/runs", encode_component(workflow)),
            )
            .query("event", "workflow_dispatch")
            .query("branch", git_ref);
        if let Some(since) = since {
            request = request.query("created", format!(">={}", format_rfc3339(since)));
        }
        self.get_all(request, Some("workflow_runs"))
    }

    /// Takes a marker before dispatching `workflow` on `git_ref` (lists the runs that exist).
    pub fn prepare_dispatch(
        &self,
        repo: &Repo,
        workflow: &str,
        git_ref: &str,
    ) -> Result<DispatchMarker, GitHubError> {
        let now = self.clock().now();
        let known = self.dispatch_runs(repo, workflow, git_ref, Some(now - CLOCK_SKEW))?;
        Ok(DispatchMarker {
            workflow: workflow.to_owned(),
            git_ref: git_ref.to_owned(),
            since: format_rfc3339(now),
            known_run_ids: known.iter().map(|run| run.id).collect(),
            run_id: None,
        })
    }

    /// Dispatches a workflow (`workflow_dispatch`) on a branch or tag with inputs. Answers the run's
    /// id when GitHub returns it (github.com), else `None`: then use `find_dispatched_run`.
    pub fn dispatch_workflow(
        &self,
        repo: &Repo,
        workflow: &str,
        git_ref: &str,
        inputs: &serde_json::Map<String, serde_json::Value>,
    ) -> Call<'_, Option<u64>> {
        let mut body = json!({"ref": git_ref, "inputs": inputs});
        if self.dispatch_returns_run {
            body["return_run_details"] = json!(true);
        }
        let request = self
            .repo_request(
                Method::Post,
                repo,
                &format!(
                    "actions/workflows/{}/dispatches",
                    encode_component(workflow)
                ),
            )
            .json(body);
        self.call(request, decode_dispatch)
    }

    /// The run a dispatch started, if it has appeared: the probe of `dispatch` steps.
    pub fn find_dispatched_run(
        &self,
        repo: &Repo,
        marker: &DispatchMarker,
    ) -> Result<Option<WorkflowRun>, GitHubError> {
        if let Some(run_id) = marker.run_id {
            return self.workflow_run(repo, run_id).map(Some);
        }
        let since = parse_rfc3339(&marker.since).ok_or_else(|| {
            GitHubError::Invalid(format!(
                "dispatch marker has an invalid time `{}`",
                marker.since
            ))
        })?;
        let earliest = since - CLOCK_SKEW;
        let runs = self.dispatch_runs(repo, &marker.workflow, &marker.git_ref, Some(earliest))?;
        Ok(runs
            .into_iter()
            .filter(|run| !marker.known_run_ids.contains(&run.id))
            .filter(|run| parse_rfc3339(&run.created_at).is_some_and(|created| created >= earliest))
            .min_by_key(|run| run.id))
    }

    /// Dispatches and waits for the started run to appear (not to finish).
    pub fn dispatch_and_find_run(
        &self,
        repo: &Repo,
        workflow: &str,
        git_ref: &str,
        inputs: &serde_json::Map<String, serde_json::Value>,
        options: &PollOptions,
    ) -> Result<WorkflowRun, WaitError<GitHubError>> {
        let mut marker = self
            .prepare_dispatch(repo, workflow, git_ref)
            .map_err(WaitError::Failed)?;
        marker.run_id = self
            .dispatch_workflow(repo, workflow, git_ref, inputs)
            .send()
            .map_err(WaitError::Failed)?;
        let what = format!("the run of `{workflow}` on `{git_ref}` to start");
        poll_until(self.clock(), options, &what, || {
            Ok(match self.find_dispatched_run(repo, &marker)? {
                Some(run) => Poll::Ready(run),
                None => Poll::Pending("no new run yet".to_owned()),
            })
        })
    }

    /// Polls until a run completes; anything but success is an error.
    pub fn wait_for_run(
        &self,
        repo: &Repo,
        run_id: u64,
        options: &PollOptions,
    ) -> Result<WorkflowRun, WaitError<GitHubError>> {
        let what = format!("workflow run {run_id} to finish");
        poll_until(self.clock(), options, &what, || {
            let run = self.workflow_run(repo, run_id)?;
            if !run.is_completed() {
                let status = run.status.clone().unwrap_or_else(|| "queued".to_owned());
                return Ok(Poll::Pending(format!("{} is {status}", run.display_name())));
            }
            match run.conclusion.as_deref() {
                Some("success") => Ok(Poll::Ready(run)),
                conclusion => Err(GitHubError::RunFailed {
                    name: run.display_name(),
                    conclusion: conclusion.unwrap_or("unknown").to_owned(),
                    url: run.html_url.clone(),
                }),
            }
        })
    }

    /// The artifacts of a run.
    pub fn run_artifacts(&self, repo: &Repo, run_id: u64) -> Result<Vec<Artifact>, GitHubError> {
        self.get_all(
            self.repo_request(
                Method::Get,
                repo,
                &format!("actions/runs/{run_id}/artifacts"),
            ),
            Some("artifacts"),
        )
    }

    /// Downloads an artifact and unpacks its files into `dir`; returns the files written. The
    /// download redirects to blob storage, where the token is not sent.
    pub fn download_artifact(
        &self,
        artifact: &Artifact,
        dir: &Path,
    ) -> Result<Vec<PathBuf>, GitHubError> {
        self.require_token()?;
        let failed = |message: String| GitHubError::Artifact {
            name: artifact.name.clone(),
            dir: dir.to_owned(),
            message,
        };
        fs_err::create_dir_all(dir).map_err(|error| failed(error.to_string()))?;
        let archive = dir.join(format!(".relman-artifact-{}.zip", artifact.id));
        let request = self.request_url(Method::Get, artifact.archive_download_url.clone());
        let downloaded = self
            .http
            .download(&request, &archive)
            .map_err(|error| self.wrap(error));
        let unpacked =
            downloaded.and_then(|_| super::artifacts::unzip(&archive, dir).map_err(failed));
        let _ = fs_err::remove_file(&archive);
        unpacked
    }

    /// Downloads every unexpired artifact of a run into `dir` (their files side by side, as
    /// `artifacts = "dist/"` wants wheels in `dist/`).
    pub fn download_run_artifacts(
        &self,
        repo: &Repo,
        run_id: u64,
        dir: &Path,
    ) -> Result<Vec<PathBuf>, GitHubError> {
        let mut written = Vec::new();
        for artifact in self.run_artifacts(repo, run_id)? {
            if artifact.expired {
                return Err(GitHubError::Artifact {
                    name: artifact.name,
                    dir: dir.to_owned(),
                    message: "the artifact has expired".to_owned(),
                });
            }
            written.extend(self.download_artifact(&artifact, dir)?);
        }
        Ok(written)
    }
}
