//! A stateful fake of the CircleCI v2 API for tests, on [`FakeServer`]: triggering a pipeline
//! creates its workflows (one job each), which appear after the first look and finish after a
//! set number of looks, as on the real service; job artifacts are served by a second server on
//! another port, as CircleCI serves them from another host. Both record every request.
//!
//! The API wants the `Circle-Token` header [`FakeCircleCi::TOKEN`] and answers 404
//! `Project not found` without it, as CircleCI does; the artifact server wants it only when
//! [`FakeCircleCi::require_token_for_artifacts`] is set (private projects).
//!
//! It can also be a project's CI ([`push`]): builds on every push, reported to the fake GitHub
//! as commit statuses, re-run from failed through the API.

mod push;

pub use push::{JobHook, JobRun, PUSH_WEBHOOK_PATH, PushJob, PushWorkflow};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};

use crate::http_server::{FakeResponse, FakeServer, RecordedRequest};

/// A workflow the fake runs for every pipeline.
#[derive(Debug, Clone)]
struct WorkflowPlan {
    name: String,
    /// The status it ends with (`success`, `failed`, `not_run`, `on_hold` …).
    outcome: String,
}

#[derive(Debug, Clone)]
struct FakePipeline {
    id: String,
    number: u64,
    branch: Option<String>,
    tag: Option<String>,
    parameters: Value,
    workflow_looks: u32,
}

#[derive(Debug, Default)]
struct State {
    pipelines: Vec<FakePipeline>,
    plans: Vec<WorkflowPlan>,
    looks_to_finish: u32,
    /// Artifacts by workflow name: (path, bytes).
    artifacts: Vec<(String, String, Vec<u8>)>,
    errored: Option<String>,
    push: push::PushState,
}

/// The fake CircleCI: an API server and an artifact server. Stopped on drop.
#[derive(Debug)]
pub struct FakeCircleCi {
    api: FakeServer,
    artifacts: FakeServer,
    state: Arc<Mutex<State>>,
    artifacts_need_token: Arc<AtomicBool>,
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeCircleCi {
    /// The token the fake accepts.
    pub const TOKEN: &'static str = "circle-test-token-0123456789";
    /// The creation time of every pipeline.
    pub const CREATED_AT: &'static str = "2024-05-01T12:00:00.000Z";

    /// A fake with one workflow, `build`, that succeeds on the second look.
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State {
            plans: vec![WorkflowPlan {
                name: "build".to_owned(),
                outcome: "success".to_owned(),
            }],
            looks_to_finish: 2,
            ..State::default()
        }));
        let artifacts_need_token = Arc::new(AtomicBool::new(false));
        let artifacts = {
            let state = Arc::clone(&state);
            let need_token = Arc::clone(&artifacts_need_token);
            FakeServer::start(move |request| serve_artifact(&state, &need_token, request))
        };
        let artifact_base = artifacts.url().to_owned();
        let api = {
            let state = Arc::clone(&state);
            FakeServer::start(move |request| {
                if request.path == PUSH_WEBHOOK_PATH && request.method == "POST" {
                    return push::push_webhook(&state, request);
                }
                if let Some(id) = request
                    .path
                    .strip_prefix("/api/v2/workflow/")
                    .and_then(|rest| rest.strip_suffix("/rerun"))
                    && request.method == "POST"
                    && request.header("circle-token") == Some(FakeCircleCi::TOKEN)
                {
                    return push::rerun(&state, id, request);
                }
                serve_api(&state, &artifact_base, request)
            })
        };
        Self {
            api,
            artifacts,
            state,
            artifacts_need_token,
        }
    }

    /// `http://127.0.0.1:PORT/api/v2`
    pub fn api_url(&self) -> String {
        format!("{}/api/v2", self.api.url())
    }

    /// The artifact server's origin, `http://127.0.0.1:PORT`.
    pub fn artifact_origin(&self) -> &str {
        self.artifacts.url()
    }

    /// Every pipeline runs these workflows, each ending with its status (`success`, `failed`,
    /// `not_run`, `on_hold`).
    pub fn set_workflows(&self, workflows: &[(&str, &str)]) {
        lock(&self.state).plans = workflows
            .iter()
            .map(|(name, outcome)| WorkflowPlan {
                name: (*name).to_owned(),
                outcome: (*outcome).to_owned(),
            })
            .collect();
    }

    /// Workflows are listed from the second look on, `running` until look `looks` (at least 2).
    pub fn finish_after_looks(&self, looks: u32) {
        lock(&self.state).looks_to_finish = looks.max(2);
    }

    /// New pipelines end `errored` with this configuration error, and run no workflow.
    pub fn error_pipelines(&self, message: &str) {
        lock(&self.state).errored = Some(message.to_owned());
    }

    /// The job of `workflow` stores an artifact at `path`.
    pub fn add_artifact(&self, workflow: &str, path: &str, bytes: &[u8]) {
        lock(&self.state)
            .artifacts
            .push((workflow.to_owned(), path.to_owned(), bytes.to_vec()));
    }

    /// Make the artifact server answer 401 without the token.
    pub fn require_token_for_artifacts(&self, required: bool) {
        self.artifacts_need_token.store(required, Ordering::SeqCst);
    }

    /// Builds these workflows on every push of a branch or tag (see [`push`]).
    pub fn run_on_push(&self, workflows: Vec<PushWorkflow>) {
        lock(&self.state).push.workflows = workflows;
    }

    /// Reports jobs as commit statuses through `reporter`, linking to `project`'s jobs
    /// (`gh/ORG/REPO`).
    pub fn report_to(&self, reporter: crate::github::StatusReporter, project: &str) {
        lock(&self.state).push.reporter = Some((reporter, project.to_owned()));
    }

    /// Calls `hook` whenever a job called `job` succeeds (what a deploy job does).
    pub fn on_job_success(&self, job: &str, hook: impl Fn(&JobRun) + Send + Sync + 'static) {
        lock(&self.state)
            .push
            .hooks
            .push((job.to_owned(), Arc::new(hook)));
    }

    /// Receives a push of `sha` to `git_ref` (`refs/heads/main`, `refs/tags/v1.0.0`) as the
    /// webhook does, for a test that pushes without a hook.
    pub fn receive_push(&self, sha: &str, git_ref: &str) {
        let line = format!("{} {sha} {git_ref}\n", "0".repeat(40));
        let calls = lock(&self.state).push.pushed(&line);
        for (hook, ran) in calls {
            hook(&ran);
        }
    }

    /// Where a remote's `post-receive` hook posts its pushes.
    pub fn push_webhook_url(&self) -> String {
        format!("{}{PUSH_WEBHOOK_PATH}", self.api.url())
    }

    /// The ids of the workflows re-run from failed, in order.
    pub fn workflow_reruns(&self) -> Vec<String> {
        lock(&self.state).push.reruns.clone()
    }

    /// Every job that ran for pushes and re-runs, in order: (workflow, ref, job, status).
    pub fn push_jobs(&self) -> Vec<(String, String, String, String)> {
        lock(&self.state)
            .push
            .runs
            .iter()
            .flat_map(|run| &run.jobs)
            .filter(|ran| ran.status != "carried")
            .map(|ran| {
                (
                    ran.workflow.clone(),
                    ran.git_ref.clone(),
                    ran.job.clone(),
                    ran.status.clone(),
                )
            })
            .collect()
    }

    /// The API server (fault injection: `api().fail_randomly(...)`).
    pub fn api(&self) -> &FakeServer {
        &self.api
    }

    /// Requests the API received.
    pub fn api_requests(&self) -> Vec<RecordedRequest> {
        self.api.requests()
    }

    /// Requests the artifact server received.
    pub fn artifact_requests(&self) -> Vec<RecordedRequest> {
        self.artifacts.requests()
    }

    /// The pipelines triggered so far: (number, branch, tag, parameters).
    pub fn pipelines(&self) -> Vec<(u64, Option<String>, Option<String>, Value)> {
        lock(&self.state)
            .pipelines
            .iter()
            .map(|p| {
                (
                    p.number,
                    p.branch.clone(),
                    p.tag.clone(),
                    p.parameters.clone(),
                )
            })
            .collect()
    }
}

fn not_found(what: &str) -> FakeResponse {
    FakeResponse::json(404, &json!({ "message": what }))
}

fn serve_api(state: &Mutex<State>, artifact_base: &str, request: &RecordedRequest) -> FakeResponse {
    if request.header("circle-token") != Some(FakeCircleCi::TOKEN) {
        return not_found("Project not found");
    }
    let Some(path) = request.path.strip_prefix("/api/v2/") else {
        return not_found("Not found");
    };
    let parts: Vec<&str> = path.split('/').collect();
    let mut state = lock(state);
    match (request.method.as_str(), parts.as_slice()) {
        ("POST", ["project", _, _, _, "pipeline"]) => {
            let body = request.json();
            if body.get("branch").is_some() && body.get("tag").is_some() {
                return FakeResponse::json(
                    400,
                    &json!({"message": "You cannot specify both a branch and a tag."}),
                );
            }
            let number = state.pipelines.len() as u64 + 100;
            let pipeline = FakePipeline {
                id: format!("pipeline-{number}"),
                number,
                branch: body["branch"].as_str().map(str::to_owned),
                tag: body["tag"].as_str().map(str::to_owned),
                parameters: body.get("parameters").cloned().unwrap_or(Value::Null),
                workflow_looks: 0,
            };
            let answer = json!({"id": pipeline.id, "number": number, "state": "created", "created_at": FakeCircleCi::CREATED_AT});
            state.pipelines.push(pipeline);
            FakeResponse::json(201, &answer)
        }
        ("GET", ["project", _, _, _, "pipeline"]) => {
            let branch = request.query_param("branch");
            let items: Vec<Value> = state
                .pipelines
                .iter()
                .rev()
                .filter(|p| branch.is_none() || p.branch == branch)
                .map(|p| pipeline_json(p, state.errored.as_deref()))
                .collect();
            FakeResponse::json(200, &json!({"items": items, "next_page_token": null}))
        }
        ("GET", ["pipeline", id]) => match state.pipelines.iter().find(|p| p.id == *id) {
            Some(p) => FakeResponse::json(200, &pipeline_json(p, state.errored.as_deref())),
            None => not_found("Pipeline not found"),
        },
        ("GET", ["pipeline", id, "workflow"]) => {
            let looks_to_finish = state.looks_to_finish;
            let errored = state.errored.is_some();
            let plans = state.plans.clone();
            let Some(pipeline) = state.pipelines.iter_mut().find(|p| p.id == *id) else {
                return not_found("Pipeline not found");
            };
            pipeline.workflow_looks += 1;
            let looks = pipeline.workflow_looks;
            let items: Vec<Value> = if errored || looks < 2 {
                Vec::new()
            } else {
                plans
                    .iter()
                    .map(|plan| {
                        let status = if looks >= looks_to_finish {
                            plan.outcome.as_str()
                        } else {
                            "running"
                        };
                        json!({"id": format!("{}-{}", pipeline.id, plan.name), "name": plan.name,
                               "status": status, "pipeline_number": pipeline.number})
                    })
                    .collect()
            };
            FakeResponse::json(200, &json!({"items": items, "next_page_token": null}))
        }
        ("GET", ["project", _, _, _, "job", number]) => {
            match number
                .parse()
                .ok()
                .and_then(|number| state.push.job(number))
            {
                Some(job) => FakeResponse::json(200, &job),
                None => not_found("Job not found"),
            }
        }
        ("GET", ["workflow", id, "job"]) => {
            let Some((pipeline, plan)) = find_workflow(&state, id) else {
                return not_found("Workflow not found");
            };
            // Two pages: an approval job without a number, then the build job.
            let number = job_number(&state, pipeline, plan);
            if request.query_param("page-token").is_none() {
                let approval = json!({"name": "hold", "type": "approval", "status": "success"});
                FakeResponse::json(
                    200,
                    &json!({"items": [approval], "next_page_token": "page-2"}),
                )
            } else {
                let job = json!({"name": format!("{}-job", plan.name), "job_number": number, "status": "success", "type": "build"});
                FakeResponse::json(200, &json!({"items": [job], "next_page_token": null}))
            }
        }
        ("GET", ["project", _, _, _, number, "artifacts"]) => {
            let items: Vec<Value> = state
                .artifacts
                .iter()
                .filter(|(workflow, _, _)| {
                    state.pipelines.iter().any(|pipeline| {
                        state.plans.iter().any(|plan| {
                            plan.name == *workflow && job_number(&state, pipeline, plan).to_string() == *number
                        })
                    })
                })
                .map(|(_, path, _)| {
                    json!({"path": path, "node_index": 0,
                           "url": format!("{artifact_base}/output/job/{number}/artifacts/0/{path}")})
                })
                .collect();
            FakeResponse::json(200, &json!({"items": items, "next_page_token": null}))
        }
        _ => not_found("Not found"),
    }
}

fn pipeline_json(pipeline: &FakePipeline, errored: Option<&str>) -> Value {
    let (state, errors) = match errored {
        Some(message) => ("errored", json!([{"type": "config", "message": message}])),
        None => ("created", json!([])),
    };
    json!({
        "id": pipeline.id, "number": pipeline.number, "state": state, "errors": errors,
        "created_at": FakeCircleCi::CREATED_AT, "trigger": {"type": "api"},
        "vcs": {"branch": pipeline.branch, "tag": pipeline.tag, "revision": "0123abcd"},
    })
}

fn find_workflow<'a>(state: &'a State, id: &str) -> Option<(&'a FakePipeline, &'a WorkflowPlan)> {
    state.pipelines.iter().find_map(|pipeline| {
        state
            .plans
            .iter()
            .find(|plan| format!("{}-{}", pipeline.id, plan.name) == id)
            .map(|plan| (pipeline, plan))
    })
}

fn job_number(state: &State, pipeline: &FakePipeline, plan: &WorkflowPlan) -> u64 {
    let index = state
        .plans
        .iter()
        .position(|known| known.name == plan.name)
        .unwrap_or(0);
    pipeline.number * 10 + index as u64
}

fn serve_artifact(
    state: &Mutex<State>,
    need_token: &AtomicBool,
    request: &RecordedRequest,
) -> FakeResponse {
    if need_token.load(Ordering::SeqCst)
        && request.header("circle-token") != Some(FakeCircleCi::TOKEN)
    {
        return FakeResponse::text(401, "Unauthorized");
    }
    let state = lock(state);
    // /output/job/{number}/artifacts/0/{path}
    let path = request.path.splitn(7, '/').nth(6).unwrap_or_default();
    match state.artifacts.iter().find(|(_, known, _)| known == path) {
        Some((_, _, bytes)) => FakeResponse::bytes(200, "application/octet-stream", bytes.clone()),
        None => FakeResponse::text(404, "Not Found"),
    }
}
