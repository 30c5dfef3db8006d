//! The fake GitHub's CI side: check runs and commit statuses scripted per commit, workflow runs
//! that complete after a number of looks, re-runs of failed jobs, `workflow_dispatch`, and
//! artifacts whose download redirects to a second server (blob storage) that refuses requests
//! carrying an `Authorization` header, as real blob storage does with a signed URL.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{Value, json};

use super::routes::{Context, error, not_found, page, paginate};
use super::state::{Artifact, Run, State, parse_rfc3339};
use crate::http_server::{FakeResponse, RecordedRequest};

/// A zip archive of `files`, deflated like GitHub's.
pub(super) fn zip_files(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        zip.start_file(name.as_str(), options)
            .and_then(|()| zip.write_all(data).map_err(Into::into))
            .expect("writing a zip archive in memory");
    }
    zip.finish()
        .expect("finishing a zip archive in memory")
        .into_inner()
}

/// The commit a ref names: a branch's or tag's, or the ref itself (a sha).
fn resolve_ref(state: &State, context: &Context<'_>, git_ref: &str) -> String {
    let repo = &state.repos[&context.repo];
    repo.commit_of(git_ref)
        .unwrap_or_else(|| git_ref.to_owned())
}

/// One look at the runs `matches` selects: in-progress runs count down, and complete at zero.
fn advance(state: &mut State, context: &Context<'_>, matches: impl Fn(&Run) -> bool) {
    let mut ids = Vec::new();
    for _ in 0..8 {
        ids.push(state.id());
    }
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let full_name = repo.full_name();
    let workflows: BTreeMap<u64, String> = repo
        .workflows
        .iter()
        .map(|workflow| (workflow.id, workflow.file.clone()))
        .collect();
    let mut completed = Vec::new();
    for run in repo
        .runs
        .iter_mut()
        .filter(|run| matches(run) && run.status != "completed")
    {
        if run.polls_left > 0 {
            run.polls_left -= 1;
            run.status = "in_progress".to_owned();
            continue;
        }
        // The job's effect, done by the test's hook, happens before the run shows completed.
        let hook = workflows
            .get(&run.workflow_id)
            .filter(|_| run.event == "workflow_dispatch" && run.outcome == "success")
            .and_then(|file| {
                let key = (context.repo.clone(), file.clone());
                Some((file.clone(), state.hooks.0.get(&key)?.clone()))
            });
        if let Some((workflow, hook)) = hook {
            let finished = super::CompletedRun {
                repo: full_name.clone(),
                workflow,
                git_ref: run.branch.clone(),
                sha: run.sha.clone(),
                inputs: run.inputs.clone(),
                run_id: run.id,
            };
            if let Err(error) = hook(&finished) {
                state.hook_failures.push(format!(
                    "the hook of `{}` failed for run {}: {error}",
                    finished.workflow, finished.run_id
                ));
                run.outcome = "failure".to_owned();
            }
        }
        run.status = "completed".to_owned();
        run.conclusion = Some(run.outcome.clone());
        completed.push((
            run.id,
            run.outcome.clone(),
            std::mem::take(&mut run.pending_artifacts),
        ));
    }
    for (run_id, outcome, artifacts) in completed {
        for check in repo
            .check_runs
            .iter_mut()
            .filter(|c| c.run_id == Some(run_id))
        {
            check.status = "completed".to_owned();
            check.conclusion = Some(outcome.clone());
        }
        for artifact in artifacts {
            let id = ids.pop().unwrap_or(run_id * 1000);
            repo.artifacts.push(Artifact {
                id,
                run_id,
                name: artifact.name,
                zip: zip_files(&artifact.files),
                expired: false,
            });
        }
    }
}

/// A commit seen for the first time gets the checks every commit gets.
fn run_checks_for_every_commit(state: &mut State, context: &Context<'_>, sha: &str) {
    let defaults = state.repos[&context.repo].checks_for_every_commit.clone();
    if defaults.is_empty()
        || state.repos[&context.repo]
            .check_runs
            .iter()
            .any(|check| check.sha == sha)
    {
        return;
    }
    let ids: Vec<u64> = defaults.iter().map(|_| state.id()).collect();
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    for ((name, conclusion), id) in defaults.into_iter().zip(ids) {
        repo.check_runs.push(super::state::CheckRun {
            id,
            sha: sha.to_owned(),
            name,
            status: "completed".to_owned(),
            conclusion: Some(conclusion),
            run_id: None,
        });
    }
}

pub(super) fn list_check_runs(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let sha = resolve_ref(state, context, context.param("ref"));
    run_checks_for_every_commit(state, context, &sha);
    advance(state, context, |run| run.sha == sha);
    let repo = &state.repos[&context.repo];
    let on_commit = repo.check_runs.iter().filter(|c| c.sha == sha);
    let checks: Vec<&super::state::CheckRun> = if context.query("filter") == Some("all") {
        on_commit.collect()
    } else {
        let mut latest: BTreeMap<&str, &super::state::CheckRun> = BTreeMap::new();
        for check in on_commit {
            if latest
                .get(check.name.as_str())
                .is_none_or(|known| known.id < check.id)
            {
                latest.insert(check.name.as_str(), check);
            }
        }
        latest.into_values().collect()
    };
    let items = checks
        .into_iter()
        .filter(|c| {
            context
                .query("status")
                .is_none_or(|status| status == c.status)
        })
        .filter(|c| {
            context
                .query("check_name")
                .is_none_or(|name| name == c.name)
        })
        .map(|c| state.check_run_json(repo, c))
        .collect();
    page(state, context, items, Some("check_runs"))
}

pub(super) fn combined_status(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let sha = resolve_ref(state, context, context.param("ref"));
    let repo = &state.repos[&context.repo];
    let mut latest: BTreeMap<&str, &super::state::Status> = BTreeMap::new();
    for status in repo.statuses.iter().filter(|s| s.sha == sha) {
        if latest
            .get(status.context.as_str())
            .is_none_or(|known| known.id < status.id)
        {
            latest.insert(status.context.as_str(), status);
        }
    }
    // GitHub's quirk: no statuses at all is "pending", not "success".
    let overall = if latest
        .values()
        .any(|s| matches!(s.state.as_str(), "failure" | "error"))
    {
        "failure"
    } else if latest.is_empty() || latest.values().any(|s| s.state == "pending") {
        "pending"
    } else {
        "success"
    };
    let total = latest.len();
    let items: Vec<Value> = latest
        .values()
        .map(|s| state.status_json(repo, s))
        .collect();
    let (statuses, link) = paginate(state, context, items);
    let url = format!("{}/repos/{}/commits/{sha}", state.api_url, repo.full_name());
    let body = json!({
        "state": overall, "sha": sha, "total_count": total, "statuses": statuses,
        "repository": state.repo_json(repo, "minimal-repository"),
        "commit_url": url, "url": format!("{url}/status"),
    });
    let response = FakeResponse::json(200, &body);
    match link {
        Some(link) => response.with_header("Link", &link),
        None => response,
    }
}

fn workflow_id(state: &State, context: &Context<'_>) -> Option<u64> {
    let wanted = context.params.get("workflow_id")?;
    let repo = &state.repos[&context.repo];
    repo.workflows
        .iter()
        .find(|w| &w.file == wanted || w.id.to_string() == *wanted)
        .map(|w| w.id)
        .or(Some(0))
}

pub(super) fn list_runs(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let workflow = workflow_id(state, context);
    if workflow == Some(0) {
        return not_found();
    }
    let created_after = context
        .query("created")
        .and_then(|value| value.strip_prefix(">="))
        .and_then(parse_rfc3339);
    let selected = |run: &Run| {
        workflow.is_none_or(|id| run.workflow_id == id)
            && context.query("head_sha").is_none_or(|sha| sha == run.sha)
            && context
                .query("branch")
                .is_none_or(|branch| branch == run.branch)
            && context
                .query("event")
                .is_none_or(|event| event == run.event)
            && created_after
                .is_none_or(|after| parse_rfc3339(&run.created_at).is_some_and(|at| at >= after))
    };
    advance(state, context, selected);
    let repo = &state.repos[&context.repo];
    let mut runs: Vec<&Run> = repo.runs.iter().filter(|run| selected(run)).collect();
    runs.sort_by_key(|run| std::cmp::Reverse(run.id));
    let items = runs
        .into_iter()
        .filter(|run| {
            context.query("status").is_none_or(|status| {
                status == run.status || run.conclusion.as_deref() == Some(status)
            })
        })
        .map(|run| state.run_json(repo, run))
        .collect();
    page(state, context, items, Some("workflow_runs"))
}

pub(super) fn get_run(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let id = context.number("run_id");
    advance(state, context, |run| run.id == id);
    let repo = &state.repos[&context.repo];
    match repo.runs.iter().find(|run| run.id == id) {
        Some(run) => FakeResponse::json(200, &state.run_json(repo, run)),
        None => not_found(),
    }
}

pub(super) fn rerun_failed(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let id = context.number("run_id");
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let Some(run) = repo.runs.iter_mut().find(|run| run.id == id) else {
        return not_found();
    };
    if run.status != "completed" || run.conclusion.as_deref() == Some("success") {
        return error(
            403,
            "This workflow run cannot be rerun: it is not completed, or it did not fail",
        );
    }
    run.attempt += 1;
    run.status = "queued".to_owned();
    run.conclusion = None;
    run.polls_left = 1;
    run.outcome = if run.rerun_outcomes.is_empty() {
        "success".to_owned()
    } else {
        run.rerun_outcomes.remove(0)
    };
    for check in repo.check_runs.iter_mut().filter(|c| c.run_id == Some(id)) {
        check.status = "queued".to_owned();
        check.conclusion = None;
    }
    repo.reruns.push(id);
    FakeResponse::json(201, &json!({}))
}

pub(super) fn list_artifacts(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let id = context.number("run_id");
    let repo = &state.repos[&context.repo];
    let items = repo
        .artifacts
        .iter()
        .filter(|a| a.run_id == id)
        .filter(|a| context.query("name").is_none_or(|name| name == a.name))
        .map(|a| state.artifact_json(repo, a))
        .collect();
    page(state, context, items, Some("artifacts"))
}

pub(super) fn download_artifact(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let id = context.number("artifact_id");
    let repo = &state.repos[&context.repo];
    let Some(artifact) = repo.artifacts.iter().find(|a| a.id == id) else {
        return not_found();
    };
    if context.param("archive_format") != "zip" {
        return not_found();
    }
    if artifact.expired {
        return error(410, "Artifact has expired");
    }
    let location = format!(
        "{}/artifacts/{id}.zip?sv=2024-01-01&sig=fakeSignature{id}",
        state.blob_url
    );
    FakeResponse::redirect(302, &location)
}

pub(super) fn dispatch(state: &mut State, context: &Context<'_>) -> FakeResponse {
    let body = context.body();
    let git_ref = body["ref"].as_str().unwrap_or_default().to_owned();
    let run_id = state.id();
    let now = state.now();
    let repo = state
        .repos
        .get_mut(&context.repo)
        .expect("checked by the router");
    let wanted = context.param("workflow_id");
    let Some(workflow) = repo
        .workflows
        .iter()
        .find(|w| w.file == wanted || w.id.to_string() == wanted)
        .cloned()
    else {
        return not_found();
    };
    let Some(sha) = repo.commit_of(&git_ref) else {
        return error(422, &format!("No ref found for: {git_ref}"));
    };
    repo.dispatches.push((
        workflow.file.clone(),
        git_ref.clone(),
        body["inputs"].clone(),
    ));
    repo.runs.push(Run {
        id: run_id,
        workflow_id: workflow.id,
        name: workflow.name.clone(),
        path: format!(".github/workflows/{}", workflow.file),
        sha,
        branch: git_ref,
        event: "workflow_dispatch".to_owned(),
        status: "queued".to_owned(),
        conclusion: None,
        created_at: now,
        attempt: 1,
        polls_left: workflow.polls,
        outcome: workflow.conclusion.clone(),
        rerun_outcomes: Vec::new(),
        pending_artifacts: workflow.artifacts.clone(),
        inputs: body["inputs"].clone(),
    });
    if body["return_run_details"].as_bool() == Some(true) {
        let full_name = repo.full_name();
        let run_url = format!("{}/repos/{full_name}/actions/runs/{run_id}", state.api_url);
        let html_url = format!("{}/{full_name}/actions/runs/{run_id}", state.web_url);
        return FakeResponse::json(
            200,
            &json!({"workflow_run_id": run_id, "run_url": run_url, "html_url": html_url}),
        );
    }
    FakeResponse::empty(204)
}

/// Answers the blob server: `/artifacts/{id}.zip?sig=...`, refusing an `Authorization` header.
pub(super) fn blob(state: &State, request: &RecordedRequest) -> FakeResponse {
    if request.header("authorization").is_some() {
        return FakeResponse::bytes(
            403,
            "application/xml",
            b"<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message></Error>".to_vec(),
        );
    }
    if request.query_param("sig").is_none() {
        return FakeResponse::text(403, "signature missing");
    }
    let id = request
        .path
        .strip_prefix("/artifacts/")
        .and_then(|rest| rest.strip_suffix(".zip"))
        .and_then(|id| id.parse::<u64>().ok());
    let artifact = state
        .repos
        .values()
        .flat_map(|repo| &repo.artifacts)
        .find(|artifact| Some(artifact.id) == id);
    match artifact {
        Some(artifact) => FakeResponse::bytes(200, "application/zip", artifact.zip.clone()),
        None => FakeResponse::text(404, "The specified blob does not exist."),
    }
}
