//! CircleCI as a project's CI: builds that run when a branch or a tag is pushed (GitHub's push
//! webhook, which a test's remote sends from a `post-receive` hook to [`PUSH_WEBHOOK_PATH`]),
//! each job reported to the fake GitHub as a commit status `ci/circleci: JOB` linking to the job
//! (`https://circleci.com/gh/ORG/REPO/NUMBER`, as CircleCI's GitHub integration does), and
//! "re-run from failed" (`POST /workflow/{id}/rerun`) that runs the failed job again with its
//! next outcome (a flaky test), then the jobs after it.
//!
//! Builds finish at once: a push or a re-run reports every job's final status before it
//! answers, so what a test asserts never depends on timing. Jobs run in order; a job that fails
//! stops the workflow (the jobs after it report nothing). A job that succeeds calls the
//! test's [`JobHook`]s for its name (a deploy job that uploads to a package index).

use std::sync::Arc;

use serde_json::{Value, json};

use crate::github::StatusReporter;
use crate::http_server::{FakeResponse, RecordedRequest};

/// Where the fake receives pushes (the body is `post-receive`'s stdin: `OLD NEW REF` lines).
pub const PUSH_WEBHOOK_PATH: &str = "/webhook/github";

/// A workflow that runs for pushes.
#[derive(Debug, Clone)]
pub struct PushWorkflow {
    pub name: String,
    /// For tag pushes when set, for branch pushes otherwise.
    pub on_tags: bool,
    pub jobs: Vec<PushJob>,
}

/// A job of a [`PushWorkflow`].
#[derive(Debug, Clone)]
pub struct PushJob {
    pub name: String,
    /// The outcome of each attempt at this job for one commit and ref (`success`, `failed`);
    /// the last one repeats. `["failed", "success"]` is a flaky test.
    pub attempts: Vec<String>,
}

impl PushJob {
    pub fn new(name: &str, attempts: &[&str]) -> PushJob {
        PushJob {
            name: name.to_owned(),
            attempts: attempts
                .iter()
                .map(|outcome| (*outcome).to_owned())
                .collect(),
        }
    }
}

/// A job that ran, as a hook sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    pub workflow: String,
    pub job: String,
    pub number: u64,
    pub sha: String,
    /// `refs/heads/NAME` or `refs/tags/NAME`.
    pub git_ref: String,
    pub status: String,
}

/// Called when a job of that name succeeds.
pub type JobHook = Arc<dyn Fn(&JobRun) + Send + Sync>;

/// One run of a workflow (a push's, or a re-run's).
#[derive(Debug, Clone)]
pub(super) struct WorkflowRun {
    pub id: String,
    pub name: String,
    pub pipeline_number: u64,
    pub sha: String,
    pub git_ref: String,
    pub jobs: Vec<JobRun>,
}

/// The push side of the fake's state.
#[derive(Default)]
pub(super) struct PushState {
    pub workflows: Vec<PushWorkflow>,
    /// Where jobs are reported, and the project slug (`gh/ORG/REPO`) their links name.
    pub reporter: Option<(StatusReporter, String)>,
    pub runs: Vec<WorkflowRun>,
    pub hooks: Vec<(String, JobHook)>,
    /// Workflow ids re-run, in order.
    pub reruns: Vec<String>,
    pub next_job: u64,
    pub next_pipeline: u64,
}

impl std::fmt::Debug for PushState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushState")
            .field("workflows", &self.workflows)
            .field("runs", &self.runs)
            .field("reruns", &self.reruns)
            .finish_non_exhaustive()
    }
}

/// What a push or re-run did: the jobs that ran, and the hooks to call once the state is let go.
pub(super) type Calls = Vec<(JobHook, JobRun)>;

impl PushState {
    fn attempts_so_far(&self, sha: &str, git_ref: &str, job: &str) -> usize {
        self.runs
            .iter()
            .filter(|run| run.sha == sha && run.git_ref == git_ref)
            .flat_map(|run| &run.jobs)
            .filter(|ran| ran.job == job && ran.status != "carried")
            .count()
    }

    /// Runs `workflow` on a commit from job `start` on (jobs before it count as they were).
    fn run(
        &mut self,
        workflow: &PushWorkflow,
        sha: &str,
        git_ref: &str,
        pipeline_number: u64,
        start: usize,
        calls: &mut Calls,
    ) -> String {
        let id = format!(
            "{:08x}-0000-4000-8000-{:012x}",
            pipeline_number,
            self.runs.len() + 1
        );
        let mut jobs = Vec::new();
        let mut failed = false;
        for (index, job) in workflow.jobs.iter().enumerate() {
            if failed {
                break;
            }
            if index < start {
                jobs.push(JobRun {
                    workflow: workflow.name.clone(),
                    job: job.name.clone(),
                    number: 0,
                    sha: sha.to_owned(),
                    git_ref: git_ref.to_owned(),
                    status: "carried".to_owned(),
                });
                continue;
            }
            let attempt = self.attempts_so_far(sha, git_ref, &job.name);
            let outcome = job
                .attempts
                .get(attempt)
                .or(job.attempts.last())
                .cloned()
                .unwrap_or_else(|| "success".to_owned());
            self.next_job += 1;
            let ran = JobRun {
                workflow: workflow.name.clone(),
                job: job.name.clone(),
                number: 4000 + self.next_job,
                sha: sha.to_owned(),
                git_ref: git_ref.to_owned(),
                status: outcome.clone(),
            };
            if let Some((reporter, project)) = &self.reporter {
                let state = if outcome == "success" {
                    "success"
                } else {
                    "failure"
                };
                let url = format!("https://circleci.com/{project}/{}", ran.number);
                reporter.report(
                    sha,
                    &format!("ci/circleci: {}", job.name),
                    state,
                    Some(&url),
                );
            }
            if outcome == "success" {
                for (name, hook) in &self.hooks {
                    if *name == job.name {
                        calls.push((Arc::clone(hook), ran.clone()));
                    }
                }
            } else {
                failed = true;
            }
            jobs.push(ran);
        }
        self.runs.push(WorkflowRun {
            id: id.clone(),
            name: workflow.name.clone(),
            pipeline_number,
            sha: sha.to_owned(),
            git_ref: git_ref.to_owned(),
            jobs,
        });
        id
    }

    /// A push: every workflow for that kind of ref runs on the new commit.
    pub fn pushed(&mut self, body: &str) -> Calls {
        let mut calls = Vec::new();
        for line in body.lines() {
            let mut words = line.split_whitespace();
            let (Some(_old), Some(new), Some(git_ref)) = (words.next(), words.next(), words.next())
            else {
                continue;
            };
            if new.chars().all(|c| c == '0') {
                continue;
            }
            let on_tags = git_ref.starts_with("refs/tags/");
            let workflows: Vec<PushWorkflow> = self
                .workflows
                .iter()
                .filter(|workflow| workflow.on_tags == on_tags)
                .cloned()
                .collect();
            if workflows.is_empty() {
                continue;
            }
            self.next_pipeline += 1;
            let pipeline = 800 + self.next_pipeline;
            for workflow in &workflows {
                self.run(workflow, new, git_ref, pipeline, 0, &mut calls);
            }
        }
        calls
    }

    /// `POST /workflow/{id}/rerun` with `from_failed`: a new run of the workflow from its first
    /// failed job. `None` when there is no such workflow.
    pub fn rerun(&mut self, id: &str) -> Option<(String, Calls)> {
        let old = self.runs.iter().find(|run| run.id == id)?.clone();
        let workflow = self
            .workflows
            .iter()
            .find(|workflow| workflow.name == old.name)?
            .clone();
        let start = old
            .jobs
            .iter()
            .position(|ran| ran.status != "success" && ran.status != "carried")
            .unwrap_or(old.jobs.len());
        self.reruns.push(id.to_owned());
        let mut calls = Vec::new();
        let new = self.run(
            &workflow,
            &old.sha,
            &old.git_ref,
            old.pipeline_number,
            start,
            &mut calls,
        );
        Some((new, calls))
    }

    /// `GET /project/{slug}/job/{number}`.
    pub fn job(&self, number: u64) -> Option<Value> {
        let (run, ran) = self.runs.iter().find_map(|run| {
            run.jobs
                .iter()
                .find(|ran| ran.number == number && ran.status != "carried")
                .map(|ran| (run, ran))
        })?;
        let project = self
            .reporter
            .as_ref()
            .map_or("gh/owner/repo", |(_, project)| project.as_str());
        Some(json!({
            "number": ran.number, "name": ran.job, "status": ran.status,
            "latest_workflow": {"id": run.id, "name": run.name},
            "pipeline": {"id": format!("pipeline-{}", run.pipeline_number)},
            "project": {"slug": project, "name": project.rsplit('/').next()},
        }))
    }
}

/// Answers a push webhook; the hooks are called after the state is let go.
pub(super) fn push_webhook(
    state: &std::sync::Mutex<super::State>,
    request: &RecordedRequest,
) -> FakeResponse {
    let calls = super::lock(state).push.pushed(&request.text());
    for (hook, ran) in calls {
        hook(&ran);
    }
    FakeResponse::json(200, &json!({"ok": true}))
}

/// Answers `POST /workflow/{id}/rerun`.
pub(super) fn rerun(
    state: &std::sync::Mutex<super::State>,
    id: &str,
    request: &RecordedRequest,
) -> FakeResponse {
    if request.json()["from_failed"] != json!(true) {
        return FakeResponse::json(
            400,
            &json!({"message": "this fake re-runs workflows from failed only"}),
        );
    }
    let rerun = super::lock(state).push.rerun(id);
    match rerun {
        Some((new, calls)) => {
            for (hook, ran) in calls {
                hook(&ran);
            }
            FakeResponse::json(202, &json!({ "workflow_id": new }))
        }
        None => FakeResponse::json(404, &json!({"message": "Workflow not found"})),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::circleci::FakeCircleCi;
    use crate::github::FakeGitHub;

    fn post(url: &str, body: &str, token: Option<&str>) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut request = agent.post(url).header("Content-Type", "application/json");
        if let Some(token) = token {
            request = request.header("Circle-Token", token);
        }
        let mut response = request.send(body).unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    fn get(url: &str) -> Value {
        let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
        let text = agent
            .get(url)
            .header("Circle-Token", FakeCircleCi::TOKEN)
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn a_push_builds_reports_statuses_and_a_rerun_from_failed_gets_past_a_flaky_job() {
        let github = FakeGitHub::start();
        github.add_repo("acme/app");
        let circleci = FakeCircleCi::start();
        circleci.report_to(github.status_reporter("acme/app"), "gh/acme/app");
        circleci.run_on_push(vec![PushWorkflow {
            name: "release".to_owned(),
            on_tags: true,
            jobs: vec![
                PushJob::new("test", &["failed", "success"]),
                PushJob::new("deploy", &["success"]),
            ],
        }]);
        let deployed: Arc<Mutex<Vec<JobRun>>> = Arc::default();
        let seen = Arc::clone(&deployed);
        circleci.on_job_success("deploy", move |ran| seen.lock().unwrap().push(ran.clone()));
        let sha = "a".repeat(40);

        // A branch push runs nothing here; the tag push runs the release workflow.
        let body = format!(
            "{} {sha} refs/heads/main\n{} {sha} refs/tags/v1.0.0\n",
            "0".repeat(40),
            "0".repeat(40)
        );
        assert_eq!(post(&circleci.push_webhook_url(), &body, None).0, 200);
        let statuses = github.statuses("acme/app", &sha);
        assert_eq!(statuses.len(), 1, "{statuses:?}");
        let (context, state, url) = &statuses[0];
        assert_eq!(
            (context.as_str(), state.as_str()),
            ("ci/circleci: test", "failure")
        );
        let url = url.clone().unwrap();
        assert!(
            url.starts_with("https://circleci.com/gh/acme/app/"),
            "{url}"
        );
        assert!(
            deployed.lock().unwrap().is_empty(),
            "deploy waits for the tests"
        );

        // The job's workflow, then a re-run from failed: the flaky test passes, deploy runs.
        let number = url.rsplit('/').next().unwrap();
        let job = get(&format!(
            "{}/project/gh/acme/app/job/{number}",
            circleci.api_url()
        ));
        let workflow = job["latest_workflow"]["id"].as_str().unwrap().to_owned();
        let rerun_url = format!("{}/workflow/{workflow}/rerun", circleci.api_url());
        assert_eq!(
            post(&rerun_url, r#"{"from_failed": true}"#, None).0,
            404,
            "no token"
        );
        let (status, answer) = post(
            &rerun_url,
            r#"{"from_failed": true}"#,
            Some(FakeCircleCi::TOKEN),
        );
        assert_eq!(status, 202);
        assert_ne!(answer["workflow_id"], workflow);
        let latest: Vec<(String, String)> = github
            .statuses("acme/app", &sha)
            .into_iter()
            .map(|(context, state, _)| (context, state))
            .collect();
        assert_eq!(
            latest,
            [
                ("ci/circleci: test".to_owned(), "failure".to_owned()),
                ("ci/circleci: test".to_owned(), "success".to_owned()),
                ("ci/circleci: deploy".to_owned(), "success".to_owned()),
            ]
        );
        let deployed = deployed.lock().unwrap();
        assert_eq!(deployed.len(), 1);
        assert_eq!(deployed[0].git_ref, "refs/tags/v1.0.0");
        assert_eq!(circleci.workflow_reruns(), [workflow]);
    }
}
