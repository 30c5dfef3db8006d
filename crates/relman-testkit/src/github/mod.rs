//! A local fake of GitHub's REST API: the endpoints relman uses, stateful, with GitHub's status
//! codes, error bodies, `Link` pagination (small pages, to exercise it) and its known quirks, on
//! the [`FakeServer`] framework (so faults can be injected with `api().fail_next(...)`).
//!
//! It listens like GitHub Enterprise: the API under `{url}/api/v3`, asset uploads under
//! `{url}/api/uploads`. Artifact downloads redirect to a second server (blob storage, another
//! port) that refuses requests carrying an `Authorization` header.
//!
//! **Contract check**: every request and every response is validated against the subset of
//! GitHub's OpenAPI description in `openapi/github-subset.json`; a violation is recorded, answered
//! like GitHub would (422 for a bad request), and makes the test fail when the fake is dropped.
//!
//! ```no_run
//! use relman_testkit::github::{FakeGitHub, FakeWorkflow};
//! let github = FakeGitHub::start();
//! github.add_repo("octo/app");
//! github.add_branch("octo/app", "main", "1111111111111111111111111111111111111111");
//! github.add_check_run("octo/app", "1111111111111111111111111111111111111111", "build", "completed", Some("success"));
//! // GitHubConfig { api: github.api_url(), token: Some(FakeGitHub::TOKEN.into()), .. }
//! ```

mod ci_handlers;
mod notes_handlers;
pub mod openapi;
mod repo_handlers;
mod routes;
mod state;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use serde_json::Value;

use crate::http_server::FakeServer;
use state::{CheckRun, Issue, Milestone, Pull, Release, Repo, Run, State, Status, Workflow};

/// The branch `HEAD` of a bare repository names.
fn default_branch(git_dir: &std::path::Path) -> Option<String> {
    let output = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(git_dir)
        .args(["symbolic-ref", "--short", "HEAD"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How a workflow behaves when dispatched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeWorkflow {
    /// Looks at the run (GET of it, or a list that includes it) before it completes.
    pub polls: u32,
    /// `success`, `failure`, ...
    pub conclusion: String,
    /// Artifacts the run uploads.
    pub artifacts: Vec<FakeArtifact>,
}

/// An artifact a fake workflow run uploads: a name and files (path in the archive, bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeArtifact {
    pub name: String,
    pub files: Vec<(String, Vec<u8>)>,
}

/// A workflow run tied to a commit (the CI of a push), optionally producing a check run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRun {
    pub name: String,
    pub sha: String,
    pub branch: String,
    /// `completed`, `in_progress`, `queued`.
    pub status: String,
    pub conclusion: Option<String>,
    /// The check run this run shows as (re-runs reset it), if any.
    pub check_name: Option<String>,
    /// Conclusions of the next re-runs of its failed jobs (then `success`).
    pub rerun_outcomes: Vec<String>,
}

/// A dispatched run as it completes, given to the hook of its workflow
/// ([`FakeGitHub::on_run_completed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedRun {
    /// `owner/name`.
    pub repo: String,
    /// The workflow file, `release.yml`.
    pub workflow: String,
    /// The ref it was dispatched on.
    pub git_ref: String,
    /// The commit that ref named.
    pub sha: String,
    /// The inputs it was dispatched with.
    pub inputs: Value,
    pub run_id: u64,
}

/// A release as the fake holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseView {
    pub id: u64,
    pub tag: String,
    pub target: String,
    pub name: Option<String>,
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    /// Name, content type, bytes.
    pub assets: Vec<(String, String, Vec<u8>)>,
}

/// A pull request as the fake holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullView {
    pub number: u64,
    pub title: String,
    pub body: Option<String>,
    /// `owner:branch`.
    pub head: String,
    pub base: String,
    pub state: String,
    pub merged: bool,
    pub merge_method: Option<String>,
    pub reviewers: Vec<String>,
    pub team_reviewers: Vec<String>,
    pub assignees: Vec<String>,
    pub labels: Vec<String>,
}

/// Posts commit statuses to one repository of a [`FakeGitHub`]; cheap to clone.
#[derive(Debug, Clone)]
pub struct StatusReporter {
    state: Arc<Mutex<State>>,
    repo: String,
}

impl StatusReporter {
    /// Adds a status (a later one of the same context replaces it, as on GitHub).
    pub fn report(&self, sha: &str, context: &str, state: &str, target_url: Option<&str>) {
        let mut guard = lock(&self.state);
        let id = guard.id();
        let repo = guard
            .repos
            .get_mut(&self.repo)
            .expect("invariant: the repository existed when the reporter was made");
        repo.statuses.push(Status {
            id,
            sha: sha.to_owned(),
            context: context.to_owned(),
            state: state.to_owned(),
            target_url: target_url.map(str::to_owned),
        });
    }
}

/// The fake GitHub: an API server and a blob server on 127.0.0.1, stopped on drop.
#[derive(Debug)]
pub struct FakeGitHub {
    api: FakeServer,
    blob: FakeServer,
    state: Arc<Mutex<State>>,
    violations: Arc<Mutex<Vec<String>>>,
}

impl FakeGitHub {
    /// The token the fake accepts.
    pub const TOKEN: &'static str = "ghp_fakeGitHubToken0123456789abcdefXYZ";

    /// Starts both servers; pages hold at most 3 items unless `set_page_size` says otherwise.
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State {
            token: Self::TOKEN.to_owned(),
            read_only: false,
            page_size: 3,
            now: None,
            next_id: 1000,
            repos: BTreeMap::new(),
            api_url: String::new(),
            upload_url: String::new(),
            blob_url: String::new(),
            web_url: "https://github.fake.invalid".to_owned(),
            hooks: state::RunHooks::default(),
            hook_failures: Vec::new(),
        }));
        let violations = Arc::new(Mutex::new(Vec::new()));
        let blob = {
            let state = Arc::clone(&state);
            FakeServer::start(move |request| ci_handlers::blob(&lock(&state), request))
        };
        let api = {
            let state = Arc::clone(&state);
            let violations = Arc::clone(&violations);
            FakeServer::start(move |request| routes::handle(&state, &violations, request))
        };
        {
            let mut state = lock(&state);
            state.api_url = format!("{}/api/v3", api.url());
            state.upload_url = format!("{}/api/uploads", api.url());
            state.blob_url = blob.url().to_owned();
        }
        Self {
            api,
            blob,
            state,
            violations,
        }
    }

    /// The API root to configure the client with (`http://127.0.0.1:PORT/api/v3`).
    pub fn api_url(&self) -> String {
        lock(&self.state).api_url.clone()
    }

    /// The API server (requests, fault injection).
    pub fn api(&self) -> &FakeServer {
        &self.api
    }

    /// The blob server artifact downloads redirect to.
    pub fn blob(&self) -> &FakeServer {
        &self.blob
    }

    /// The largest page the fake sends (`per_page` is capped to it).
    pub fn set_page_size(&self, size: usize) {
        lock(&self.state).page_size = size;
    }

    /// Accepts another token instead of [`FakeGitHub::TOKEN`].
    pub fn set_token(&self, token: &str) {
        lock(&self.state).token = token.to_owned();
    }

    /// Answers every write with 403, like a token without write permission.
    pub fn set_read_only(&self, read_only: bool) {
        lock(&self.state).read_only = read_only;
    }

    /// Fixes the time the fake stamps objects with (default: the real time).
    pub fn set_now(&self, now: SystemTime) {
        lock(&self.state).now = Some(now);
    }

    /// Adds an empty repository `owner/name` with a default branch `main` (no commit yet).
    pub fn add_repo(&self, full_name: &str) {
        let mut state = lock(&self.state);
        let id = state.id();
        let (owner, name) = full_name
            .split_once('/')
            .expect("a repository is `owner/name`");
        state.repos.insert(
            full_name.to_ascii_lowercase(),
            Repo {
                id,
                owner: owner.to_owned(),
                name: name.to_owned(),
                default_branch: "main".to_owned(),
                ..Repo::default()
            },
        );
    }

    fn with_repo<T>(&self, full_name: &str, f: impl FnOnce(&mut Repo, u64, String) -> T) -> T {
        let mut state = lock(&self.state);
        let id = state.id();
        let now = state.now();
        let repo = state
            .repos
            .get_mut(&full_name.to_ascii_lowercase())
            .unwrap_or_else(|| {
                panic!("the fake has no repository `{full_name}`: add_repo it first")
            });
        f(repo, id, now)
    }

    /// Links the repository to the bare git repository its pushes reach: a branch or tag the
    /// fake was not told about with [`add_branch`](Self::add_branch) is looked up there, so a
    /// dispatch on a pushed tag, the checks of a pushed branch or a pull request from it work as
    /// on GitHub.
    pub fn link_git(&self, repo: &str, git_dir: &std::path::Path) {
        self.with_repo(repo, |repo, _, _| repo.git_dir = Some(git_dir.to_owned()));
    }

    /// Runs `hook` when a dispatched run of `workflow` (its file, `release.yml`) completes, before
    /// the run shows as completed: the test does there what the real job would (push a tag,
    /// publish an image). An `Err` makes the run conclude `failure` and is kept as a hook failure,
    /// which fails the test when the fake is dropped unless taken with
    /// [`take_hook_failures`](Self::take_hook_failures). The hook runs while the fake handles a
    /// request: it must not call the fake.
    pub fn on_run_completed(
        &self,
        repo: &str,
        workflow: &str,
        hook: impl Fn(&CompletedRun) -> Result<(), String> + Send + Sync + 'static,
    ) {
        let key = (repo.to_ascii_lowercase(), workflow.to_owned());
        lock(&self.state).hooks.0.insert(key, Arc::new(hook));
    }

    /// The errors hooks returned so far, forgotten (a test that makes a job fail on purpose).
    pub fn take_hook_failures(&self) -> Vec<String> {
        std::mem::take(&mut lock(&self.state).hook_failures)
    }

    /// Points a branch (or tag) at a commit.
    pub fn add_branch(&self, repo: &str, branch: &str, sha: &str) {
        self.with_repo(repo, |repo, _, _| {
            repo.branches.insert(branch.to_owned(), sha.to_owned());
        });
    }

    /// Backs the repository's branches with a bare git repository (the remote a test pushes
    /// to): every request sees its branches as they are then, as GitHub sees what was pushed.
    pub fn mirror_git(&self, repo: &str, git_dir: &std::path::Path) {
        self.with_repo(repo, |repo, _, _| {
            repo.git_dir = Some(git_dir.to_owned());
            repo.default_branch = default_branch(git_dir).unwrap_or(repo.default_branch.clone());
            repo.sync_branches();
        });
    }

    /// Adds a release; returns its id.
    pub fn add_release(&self, repo: &str, tag: &str, draft: bool, body: Option<&str>) -> u64 {
        self.with_repo(repo, |repo, id, now| {
            repo.releases.push(Release {
                id,
                tag: tag.to_owned(),
                target: repo.default_branch.clone(),
                name: Some(tag.to_owned()),
                body: body.map(str::to_owned),
                draft,
                prerelease: false,
                created_at: now.clone(),
                published_at: (!draft).then_some(now),
                assets: Vec::new(),
            });
            id
        })
    }

    /// Every release, oldest first.
    pub fn releases(&self, repo: &str) -> Vec<ReleaseView> {
        self.with_repo(repo, |repo, _, _| {
            repo.releases
                .iter()
                .map(|r| ReleaseView {
                    id: r.id,
                    tag: r.tag.clone(),
                    target: r.target.clone(),
                    name: r.name.clone(),
                    body: r.body.clone(),
                    draft: r.draft,
                    prerelease: r.prerelease,
                    assets: r
                        .assets
                        .iter()
                        .map(|a| (a.name.clone(), a.content_type.clone(), a.data.clone()))
                        .collect(),
                })
                .collect()
        })
    }

    /// Replaces a release's notes from outside (a person edited them on GitHub).
    pub fn set_release_body(&self, repo: &str, id: u64, body: &str) {
        self.with_repo(repo, |repo, _, _| {
            let release = repo
                .releases
                .iter_mut()
                .find(|release| release.id == id)
                .unwrap_or_else(|| panic!("no release with id {id}"));
            release.body = Some(body.to_owned());
        });
    }

    /// Opens a pull request from a branch of this repository; returns its number.
    pub fn add_pull_request(&self, repo: &str, head: &str, base: &str, title: &str) -> u64 {
        self.with_repo(repo, |repo, id, now| {
            repo.next_number += 1;
            let number = repo.next_number;
            let head_sha = repo
                .branches
                .get(head)
                .cloned()
                .unwrap_or_else(|| "0".repeat(40));
            repo.pulls.push(Pull {
                number,
                id,
                title: title.to_owned(),
                body: None,
                head: format!("{}:{head}", repo.owner),
                base: base.to_owned(),
                head_sha,
                state: "open".to_owned(),
                draft: false,
                merged_at: None,
                merge_commit_sha: None,
                merge_method: None,
                mergeable: true,
                reviewers: Vec::new(),
                team_reviewers: Vec::new(),
                reviews: Vec::new(),
                assignees: Vec::new(),
                labels: Vec::new(),
                created_at: now,
            });
            number
        })
    }

    /// Every pull request, oldest first.
    pub fn pull_requests(&self, repo: &str) -> Vec<PullView> {
        self.with_repo(repo, |repo, _, _| {
            repo.pulls
                .iter()
                .map(|p| PullView {
                    number: p.number,
                    title: p.title.clone(),
                    body: p.body.clone(),
                    head: p.head.clone(),
                    base: p.base.clone(),
                    state: p.state.clone(),
                    merged: p.merged_at.is_some(),
                    merge_method: p.merge_method.clone(),
                    reviewers: p.reviewers.clone(),
                    team_reviewers: p.team_reviewers.clone(),
                    assignees: p.assignees.clone(),
                    labels: p.labels.clone(),
                })
                .collect()
        })
    }

    fn edit_pull(&self, repo: &str, number: u64, edit: impl FnOnce(&mut Pull, String)) {
        self.with_repo(repo, |repo, _, now| {
            let pull = repo
                .pulls
                .iter_mut()
                .find(|p| p.number == number)
                .unwrap_or_else(|| panic!("no pull request #{number}"));
            edit(pull, now);
        });
    }

    /// Closes a pull request without merging (someone gave up on it).
    pub fn close_pull_request(&self, repo: &str, number: u64) {
        self.edit_pull(repo, number, |pull, _| pull.state = "closed".to_owned());
    }

    /// Merges a pull request from outside (a person clicked the button).
    pub fn merge_pull_request(&self, repo: &str, number: u64) {
        self.edit_pull(repo, number, |pull, now| {
            pull.state = "closed".to_owned();
            pull.merged_at = Some(now);
            pull.merge_commit_sha = Some("f".repeat(40));
            pull.merge_method = Some("merge".to_owned());
        });
    }

    /// Submits a review of a pull request (`APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`).
    pub fn add_review(&self, repo: &str, number: u64, login: &str, state: &str) {
        self.edit_pull(repo, number, |pull, _| {
            pull.reviews.push((login.to_owned(), state.to_owned()));
        });
    }

    /// Puts labels on a pull request (as a person would on GitHub); generated release notes
    /// group and exclude pull requests by them.
    pub fn label_pull_request(&self, repo: &str, number: u64, labels: &[&str]) {
        self.edit_pull(repo, number, |pull, _| {
            pull.labels
                .extend(labels.iter().map(|label| (*label).to_owned()));
        });
    }

    /// Makes a pull request unmergeable (conflicts) or mergeable again.
    pub fn set_mergeable(&self, repo: &str, number: u64, mergeable: bool) {
        self.edit_pull(repo, number, |pull, _| pull.mergeable = mergeable);
    }

    /// Adds a check run on a commit; returns its id.
    pub fn add_check_run(
        &self,
        repo: &str,
        sha: &str,
        name: &str,
        status: &str,
        conclusion: Option<&str>,
    ) -> u64 {
        self.with_repo(repo, |repo, id, _| {
            repo.check_runs.push(CheckRun {
                id,
                sha: sha.to_owned(),
                name: name.to_owned(),
                status: status.to_owned(),
                conclusion: conclusion.map(str::to_owned),
                run_id: None,
            });
            id
        })
    }

    /// Adds a commit status (a later one of the same context replaces it).
    pub fn add_status(&self, repo: &str, sha: &str, context: &str, state: &str) {
        self.status_reporter(repo).report(sha, context, state, None);
    }

    /// A handle that posts commit statuses to `repo` from anywhere, as a CI service does: the
    /// fake CircleCI reports its jobs through one.
    pub fn status_reporter(&self, repo: &str) -> StatusReporter {
        self.with_repo(repo, |_, _, _| ());
        StatusReporter {
            state: Arc::clone(&self.state),
            repo: repo.to_ascii_lowercase(),
        }
    }

    /// Every commit of `repo` gets these check runs (name, conclusion) when it is first looked
    /// at, as when a CI runs on every push.
    pub fn set_checks_for_every_commit(&self, repo: &str, checks: &[(&str, &str)]) {
        self.with_repo(repo, |repo, _, _| {
            repo.checks_for_every_commit = checks
                .iter()
                .map(|(name, conclusion)| ((*name).to_owned(), (*conclusion).to_owned()))
                .collect();
        });
    }

    /// The statuses of a commit, oldest first: (context, state, target URL).
    pub fn statuses(&self, repo: &str, sha: &str) -> Vec<(String, String, Option<String>)> {
        self.with_repo(repo, |repo, _, _| {
            repo.statuses
                .iter()
                .filter(|status| status.sha == sha)
                .map(|status| {
                    (
                        status.context.clone(),
                        status.state.clone(),
                        status.target_url.clone(),
                    )
                })
                .collect()
        })
    }

    /// Declares a workflow file (`release.yml`) that can be dispatched; returns its id.
    pub fn add_workflow(&self, repo: &str, file: &str, workflow: FakeWorkflow) -> u64 {
        self.with_repo(repo, |repo, id, _| {
            repo.workflows.push(Workflow {
                id,
                file: file.to_owned(),
                name: file
                    .trim_end_matches(".yml")
                    .trim_end_matches(".yaml")
                    .to_owned(),
                polls: workflow.polls,
                conclusion: workflow.conclusion,
                artifacts: workflow.artifacts,
            });
            id
        })
    }

    /// Adds a workflow run on a commit (and its check run when `check_name` is set); returns its id.
    pub fn add_workflow_run(&self, repo: &str, run: FakeRun) -> u64 {
        let check_id = lock(&self.state).id();
        self.with_repo(repo, |repo, id, now| {
            if let Some(name) = &run.check_name {
                repo.check_runs.push(CheckRun {
                    id: check_id,
                    sha: run.sha.clone(),
                    name: name.clone(),
                    status: run.status.clone(),
                    conclusion: run.conclusion.clone(),
                    run_id: Some(id),
                });
            }
            repo.runs.push(Run {
                id,
                workflow_id: 1,
                name: run.name.clone(),
                path: format!(".github/workflows/{}.yml", run.name),
                sha: run.sha,
                branch: run.branch,
                event: "push".to_owned(),
                status: run.status,
                outcome: run
                    .conclusion
                    .clone()
                    .unwrap_or_else(|| "success".to_owned()),
                conclusion: run.conclusion,
                created_at: now,
                attempt: 1,
                polls_left: 0,
                rerun_outcomes: run.rerun_outcomes,
                pending_artifacts: Vec::new(),
                inputs: Value::Null,
            });
            id
        })
    }

    /// Every dispatch received: workflow, ref, inputs.
    pub fn dispatches(&self, repo: &str) -> Vec<(String, String, Value)> {
        self.with_repo(repo, |repo, _, _| repo.dispatches.clone())
    }

    /// The ids of runs whose failed jobs were re-run, in order.
    pub fn reruns(&self, repo: &str) -> Vec<u64> {
        self.with_repo(repo, |repo, _, _| repo.reruns.clone())
    }

    /// Marks every artifact of a run expired.
    pub fn expire_artifacts(&self, repo: &str, run_id: u64) {
        self.with_repo(repo, |repo, _, _| {
            for artifact in repo.artifacts.iter_mut().filter(|a| a.run_id == run_id) {
                artifact.expired = true;
            }
        });
    }

    /// Adds a milestone; returns its number.
    pub fn add_milestone(&self, repo: &str, title: &str, open: bool) -> u64 {
        self.with_repo(repo, |repo, id, _| {
            let number = repo.milestones.len() as u64 + 1;
            repo.milestones.push(Milestone {
                number,
                id,
                title: title.to_owned(),
                open,
            });
            number
        })
    }

    /// Adds an issue (or, with `is_pull`, a pull request as the issues API lists it), with labels
    /// and a milestone by title; returns its number.
    pub fn add_issue(
        &self,
        repo: &str,
        title: &str,
        labels: &[&str],
        milestone: Option<&str>,
        open: bool,
        is_pull: bool,
    ) -> u64 {
        self.with_repo(repo, |repo, id, _| {
            repo.next_number += 1;
            let milestone = milestone.map(|wanted| {
                repo.milestones
                    .iter()
                    .find(|m| m.title == wanted)
                    .unwrap_or_else(|| panic!("no milestone `{wanted}`: add_milestone it first"))
                    .number
            });
            let number = repo.next_number;
            repo.issues.push(Issue {
                number,
                id,
                title: title.to_owned(),
                open,
                labels: labels.iter().map(|l| (*l).to_owned()).collect(),
                milestone,
                is_pull,
            });
            number
        })
    }

    /// Contract violations seen so far.
    pub fn violations(&self) -> Vec<String> {
        lock(&self.violations).clone()
    }

    /// Forgets the violations seen so far (a test that provokes one on purpose).
    pub fn take_violations(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.violations))
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        let hook_failures = lock(&self.state).hook_failures.clone();
        if !hook_failures.is_empty() && !std::thread::panicking() {
            panic!(
                "the fake GitHub's run hooks failed:\n{}",
                hook_failures.join("\n")
            );
        }
        let violations = lock(&self.violations).clone();
        if !violations.is_empty() && !std::thread::panicking() {
            panic!(
                "the fake GitHub saw {} contract violation(s) against {}:\n{}",
                violations.len(),
                openapi::subset().source,
                violations.join("\n")
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent()
    }

    fn call(method: &str, url: &str, body: Option<Value>) -> (u16, Value) {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(url)
            .header("Authorization", format!("Bearer {}", FakeGitHub::TOKEN))
            .header("Accept", "application/vnd.github+json")
            .header("Content-Type", "application/json")
            .body(body.map(|body| body.to_string()).unwrap_or_default())
            .unwrap();
        let mut response = agent().run(request).unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    #[test]
    fn a_dispatch_on_a_pushed_tag_runs_the_workflows_hook_before_it_completes() {
        let repo = crate::TestRepo::new();
        let sha = repo.commit("feat: one");
        repo.tag("v1.0.0");
        repo.push(&["main", "--tags"]);
        let fake = FakeGitHub::start();
        fake.add_repo("o/r");
        fake.link_git("o/r", repo.remote_path());
        let workflow = FakeWorkflow {
            polls: 0,
            conclusion: "success".to_owned(),
            artifacts: Vec::new(),
        };
        fake.add_workflow("o/r", "build.yml", workflow.clone());
        fake.add_workflow("o/r", "broken.yml", workflow);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        fake.on_run_completed("o/r", "build.yml", move |run| {
            lock(&record).push(run.clone());
            Ok(())
        });
        fake.on_run_completed("o/r", "broken.yml", |_| Err("no disk".to_owned()));
        let api = fake.api_url();

        let url = format!("{api}/repos/o/r/actions/workflows/build.yml/dispatches");
        let inputs = serde_json::json!({"ref": "v1.0.0", "inputs": {"channel": "alpha"}});
        assert_eq!(call("POST", &url, Some(inputs)).0, 204);
        assert!(
            lock(&seen).is_empty(),
            "the hook runs when the run completes"
        );
        let (_, runs) = call("GET", &format!("{api}/repos/o/r/actions/runs"), None);
        assert_eq!(runs["workflow_runs"][0]["conclusion"], "success");
        assert_eq!(
            *lock(&seen),
            [CompletedRun {
                repo: "o/r".to_owned(),
                workflow: "build.yml".to_owned(),
                git_ref: "v1.0.0".to_owned(),
                sha: sha.clone(),
                inputs: serde_json::json!({"channel": "alpha"}),
                run_id: runs["workflow_runs"][0]["id"].as_u64().unwrap(),
            }]
        );
        // The checks of a pushed branch are found by its name.
        fake.add_check_run("o/r", &sha, "ci", "completed", Some("success"));
        let (_, checks) = call(
            "GET",
            &format!("{api}/repos/o/r/commits/main/check-runs"),
            None,
        );
        assert_eq!(checks["total_count"], 1);
        // An unknown ref is refused, as GitHub does.
        let inputs = serde_json::json!({"ref": "v9.9.9"});
        assert_eq!(call("POST", &url, Some(inputs)).0, 422);

        let url = format!("{api}/repos/o/r/actions/workflows/broken.yml/dispatches");
        assert_eq!(
            call("POST", &url, Some(serde_json::json!({"ref": "main"}))).0,
            204
        );
        let (_, runs) = call("GET", &format!("{api}/repos/o/r/actions/runs"), None);
        assert_eq!(runs["workflow_runs"][0]["conclusion"], "failure");
        let failures = fake.take_hook_failures();
        assert_eq!(failures.len(), 1);
        assert!(failures[0].contains("no disk"), "{failures:?}");
    }

    #[test]
    fn a_violation_fails_the_test_when_the_fake_is_dropped() {
        let fake = FakeGitHub::start();
        fake.add_repo("o/r");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let response = agent
            .get(format!("{}/repos/o/r/releases?perpage=5", fake.api_url()))
            .header("Authorization", format!("Bearer {}", FakeGitHub::TOKEN))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 422);
        assert_eq!(fake.violations().len(), 1);
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(fake)));
        let message = *dropped.unwrap_err().downcast::<String>().unwrap();
        assert!(
            message.contains("unknown query parameter `perpage`"),
            "{message}"
        );
    }

    #[test]
    fn a_mirrored_repository_has_the_branches_pushed_to_its_remote() {
        let repo = crate::TestRepo::new();
        repo.commit("one");
        repo.push(&["main"]);
        let fake = FakeGitHub::start();
        fake.add_repo("o/r");
        fake.mirror_git("o/r", repo.remote_path());
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let open = |head: &str| {
            agent
                .post(format!("{}/repos/o/r/pulls", fake.api_url()))
                .header("Authorization", format!("Bearer {}", FakeGitHub::TOKEN))
                .send_json(serde_json::json!({"title": "t", "head": head, "base": "main"}))
                .unwrap()
                .status()
                .as_u16()
        };
        assert_eq!(open("release/1.0"), 422, "not pushed yet");
        repo.git(&["switch", "--quiet", "-c", "release/1.0"]);
        let sha = repo.commit("two");
        repo.push(&["release/1.0"]);
        // Pushed just before the request, as a release pushes then opens its pull request.
        assert_eq!(open("release/1.0"), 201);
        let pulls = fake.pull_requests("o/r");
        assert_eq!(pulls[0].head, "o:release/1.0");
        assert!(fake.violations().is_empty(), "{:?}", fake.violations());
        let state = lock(&fake.state);
        assert_eq!(state.repos["o/r"].branches["release/1.0"], sha);
    }

    #[test]
    fn requests_without_the_token_are_refused_like_github() {
        let fake = FakeGitHub::start();
        fake.add_repo("o/r");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let url = format!("{}/repos/o/r", fake.api_url());
        let mut anonymous = agent.get(&url).call().unwrap();
        assert_eq!(anonymous.status().as_u16(), 401);
        assert!(
            anonymous
                .body_mut()
                .read_to_string()
                .unwrap()
                .contains("Requires authentication")
        );
        let mut wrong = agent
            .get(&url)
            .header("Authorization", "Bearer nope")
            .call()
            .unwrap();
        assert_eq!(wrong.status().as_u16(), 401);
        assert!(
            wrong
                .body_mut()
                .read_to_string()
                .unwrap()
                .contains("Bad credentials")
        );
    }
}
