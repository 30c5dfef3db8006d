//! The fake GitHub's state (repositories with their branches, releases and assets, pull requests,
//! issues and milestones, check runs, statuses, workflows, runs and artifacts) and its JSON form:
//! each object starts as an example of its schema in the OpenAPI subset (every field GitHub
//! promises) overlaid with the fake's values.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::openapi::{overlay, subset};

/// Builds a schema-complete object: the example of `schema` with `values` on top.
pub(super) fn shaped(schema: &str, values: Value) -> Value {
    let mut object = subset().example(schema);
    overlay(&mut object, values);
    object
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub(super) fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64;
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// Parses what `rfc3339` writes (for the `created=>=...` filter).
pub(super) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?))
}

/// A release and its assets.
#[derive(Debug, Clone)]
pub(super) struct Release {
    pub id: u64,
    pub tag: String,
    pub target: String,
    pub name: Option<String>,
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    pub created_at: String,
    pub published_at: Option<String>,
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone)]
pub(super) struct Asset {
    pub id: u64,
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone)]
pub(super) struct Pull {
    pub number: u64,
    pub id: u64,
    pub title: String,
    pub body: Option<String>,
    /// `owner:branch`.
    pub head: String,
    pub base: String,
    pub head_sha: String,
    pub state: String,
    pub draft: bool,
    pub merged_at: Option<String>,
    pub merge_commit_sha: Option<String>,
    pub merge_method: Option<String>,
    pub mergeable: bool,
    pub reviewers: Vec<String>,
    pub team_reviewers: Vec<String>,
    /// Reviews submitted: (login, state such as `APPROVED`), oldest first.
    pub reviews: Vec<(String, String)>,
    pub assignees: Vec<String>,
    pub labels: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub(super) struct Issue {
    pub number: u64,
    pub id: u64,
    pub title: String,
    pub open: bool,
    pub labels: Vec<String>,
    pub milestone: Option<u64>,
    pub is_pull: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Milestone {
    pub number: u64,
    pub id: u64,
    pub title: String,
    pub open: bool,
}

#[derive(Debug, Clone)]
pub(super) struct CheckRun {
    pub id: u64,
    pub sha: String,
    pub name: String,
    pub status: String,
    pub conclusion: Option<String>,
    /// The workflow run that produced it, if any (re-runs reset it).
    pub run_id: Option<u64>,
}

#[derive(Debug, Clone)]
pub(super) struct Status {
    pub id: u64,
    pub sha: String,
    pub context: String,
    pub state: String,
    /// Where the status links (the CI job or workflow).
    pub target_url: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct Workflow {
    pub id: u64,
    pub file: String,
    pub name: String,
    /// Looks at a dispatched run before it completes.
    pub polls: u32,
    pub conclusion: String,
    pub artifacts: Vec<super::FakeArtifact>,
}

#[derive(Debug, Clone)]
pub(super) struct Run {
    pub id: u64,
    pub workflow_id: u64,
    pub name: String,
    pub path: String,
    pub sha: String,
    pub branch: String,
    pub event: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub created_at: String,
    pub attempt: u64,
    /// Looks left before it completes (when in progress).
    pub polls_left: u32,
    /// The conclusion it completes with.
    pub outcome: String,
    /// Outcomes of the next re-runs, in order (then success).
    pub rerun_outcomes: Vec<String>,
    /// Artifacts to attach when it completes.
    pub pending_artifacts: Vec<super::FakeArtifact>,
    /// The inputs it was dispatched with (`null` for other runs).
    pub inputs: Value,
}

#[derive(Debug, Clone)]
pub(super) struct Artifact {
    pub id: u64,
    pub run_id: u64,
    pub name: String,
    pub zip: Vec<u8>,
    pub expired: bool,
}

/// One repository.
#[derive(Debug, Clone, Default)]
pub(super) struct Repo {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub default_branch: String,
    pub branches: BTreeMap<String, String>,
    pub releases: Vec<Release>,
    pub pulls: Vec<Pull>,
    pub issues: Vec<Issue>,
    pub milestones: Vec<Milestone>,
    pub next_number: u64,
    pub check_runs: Vec<CheckRun>,
    pub statuses: Vec<Status>,
    pub workflows: Vec<Workflow>,
    pub runs: Vec<Run>,
    pub artifacts: Vec<Artifact>,
    pub dispatches: Vec<(String, String, Value)>,
    pub reruns: Vec<u64>,
    /// The bare repository pushes reach, when linked: refs the fake was not told about are read
    /// from it.
    pub git_dir: Option<PathBuf>,
    /// Check runs (name, conclusion) every commit gets when it is first looked at: a CI that
    /// runs on every push.
    pub checks_for_every_commit: Vec<(String, String)>,
}

impl Repo {
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// The commit a branch or tag name (or a full `refs/...` name) points at: a branch set with
    /// `add_branch` first, else what the linked repository holds.
    pub fn commit_of(&self, name: &str) -> Option<String> {
        if let Some(sha) = self.branches.get(name) {
            return Some(sha.clone());
        }
        let git_dir = self.git_dir.as_ref()?;
        let candidates = if name.starts_with("refs/") {
            vec![name.to_owned()]
        } else {
            vec![format!("refs/heads/{name}"), format!("refs/tags/{name}")]
        };
        candidates.into_iter().find_map(|candidate| {
            let output = Command::new("git")
                .arg("--git-dir")
                .arg(git_dir)
                .args(["rev-parse", "--verify", "--quiet"])
                .arg(format!("{candidate}^{{commit}}"))
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
                .ok()?;
            output
                .status
                .success()
                .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        })
    }

    /// Takes the branches of the mirrored git repository (a push reached it since the last
    /// request); branches set by a test and absent from git stay.
    pub fn sync_branches(&mut self) {
        let Some(git_dir) = &self.git_dir else {
            return;
        };
        let Ok(output) = Command::new("git")
            .arg("--git-dir")
            .arg(git_dir)
            .args([
                "for-each-ref",
                "--format=%(refname:strip=2) %(objectname)",
                "refs/heads/",
            ])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
        else {
            return;
        };
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            if let Some((branch, sha)) = line.split_once(' ') {
                self.branches.insert(branch.to_owned(), sha.to_owned());
            }
        }
    }
}

/// What a test does when a dispatched run of a workflow completes (the job's effect: a tag
/// pushed, an image published). An `Err` makes the run fail, and is kept as a hook failure.
pub(super) type RunHook = Arc<dyn Fn(&super::CompletedRun) -> Result<(), String> + Send + Sync>;

/// The hooks of one repository's workflows, by workflow file.
#[derive(Clone, Default)]
pub(super) struct RunHooks(pub BTreeMap<(String, String), RunHook>);

impl std::fmt::Debug for RunHooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// Everything the fake knows.
#[derive(Debug)]
pub(super) struct State {
    pub token: String,
    pub read_only: bool,
    pub page_size: usize,
    pub now: Option<SystemTime>,
    pub next_id: u64,
    pub repos: BTreeMap<String, Repo>,
    /// `http://127.0.0.1:PORT/api/v3`.
    pub api_url: String,
    /// `http://127.0.0.1:PORT/api/uploads`.
    pub upload_url: String,
    /// The blob server, where artifact downloads redirect.
    pub blob_url: String,
    /// The web pages (`html_url`), never fetched.
    pub web_url: String,
    /// What happens when a dispatched run completes, by repository key and workflow file.
    pub hooks: RunHooks,
    /// Errors the hooks returned, for the test to hear about.
    pub hook_failures: Vec<String>,
}

impl State {
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn now(&self) -> String {
        rfc3339(self.now.unwrap_or_else(SystemTime::now))
    }

    pub fn user(&self, login: &str) -> Value {
        let url = format!("{}/users/{login}", self.api_url);
        shaped(
            "simple-user",
            json!({"login": login, "id": 1, "node_id": "U_1", "type": "User", "url": url,
                   "html_url": format!("{}/{login}", self.web_url), "site_admin": false}),
        )
    }

    pub fn repo_json(&self, repo: &Repo, schema: &str) -> Value {
        let full_name = repo.full_name();
        let url = format!("{}/repos/{full_name}", self.api_url);
        shaped(
            schema,
            json!({
                "id": repo.id, "node_id": format!("R_{}", repo.id), "name": repo.name,
                "full_name": full_name, "owner": self.user(&repo.owner), "private": false,
                "html_url": format!("{}/{full_name}", self.web_url), "url": url,
                "default_branch": repo.default_branch, "fork": false,
                "clone_url": format!("{}/{full_name}.git", self.web_url),
                "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z",
                "pushed_at": "2020-01-01T00:00:00Z",
                "permissions": {"admin": false, "maintain": false, "push": !self.read_only,
                                "triage": true, "pull": true},
            }),
        )
    }

    pub fn asset_json(&self, repo: &Repo, asset: &Asset) -> Value {
        let full_name = repo.full_name();
        shaped(
            "release-asset",
            json!({
                "id": asset.id, "node_id": format!("RA_{}", asset.id), "name": asset.name,
                "content_type": asset.content_type, "size": asset.data.len(), "state": "uploaded",
                "url": format!("{}/repos/{full_name}/releases/assets/{}", self.api_url, asset.id),
                "browser_download_url": format!("{}/{full_name}/releases/download/{}", self.web_url, asset.name),
                "uploader": self.user("octocat"), "download_count": 0,
                "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            }),
        )
    }

    pub fn release_json(&self, repo: &Repo, release: &Release) -> Value {
        let full_name = repo.full_name();
        let url = format!("{}/repos/{full_name}/releases/{}", self.api_url, release.id);
        let html = if release.draft {
            format!(
                "{}/{full_name}/releases/tag/untagged-{}",
                self.web_url, release.id
            )
        } else {
            format!("{}/{full_name}/releases/tag/{}", self.web_url, release.tag)
        };
        shaped(
            "release",
            json!({
                "id": release.id, "node_id": format!("RE_{}", release.id), "url": url,
                "html_url": html, "assets_url": format!("{url}/assets"),
                "upload_url": format!("{}/repos/{full_name}/releases/{}/assets{{?name,label}}", self.upload_url, release.id),
                "tarball_url": null, "zipball_url": null,
                "tag_name": release.tag, "target_commitish": release.target,
                "name": release.name, "body": release.body, "draft": release.draft,
                "prerelease": release.prerelease, "created_at": release.created_at,
                "published_at": release.published_at, "author": self.user("octocat"),
                "assets": release.assets.iter().map(|a| self.asset_json(repo, a)).collect::<Vec<_>>(),
            }),
        )
    }

    fn pull_ref(&self, repo: &Repo, label: &str, sha: &str) -> Value {
        let (owner, branch) = label.split_once(':').unwrap_or((&repo.owner, label));
        let side_repo = self
            .repos
            .get(&format!("{owner}/{}", repo.name).to_ascii_lowercase())
            .unwrap_or(repo);
        json!({
            "label": format!("{owner}:{branch}"), "ref": branch, "sha": sha,
            "user": self.user(owner), "repo": self.repo_json(side_repo, "repository"),
        })
    }

    pub fn pull_json(&self, repo: &Repo, pull: &Pull, schema: &str) -> Value {
        let full_name = repo.full_name();
        let url = format!("{}/repos/{full_name}/pulls/{}", self.api_url, pull.number);
        let base_sha = repo.branches.get(&pull.base).cloned().unwrap_or_default();
        let link = |href: String| json!({"href": href});
        let labels: Vec<Value> = pull
            .labels
            .iter()
            .map(|name| self.label_json(repo, name))
            .collect();
        shaped(
            schema,
            json!({
                "id": pull.id, "node_id": format!("PR_{}", pull.id), "number": pull.number,
                "url": url, "html_url": format!("{}/{full_name}/pull/{}", self.web_url, pull.number),
                "state": pull.state, "title": pull.title, "body": pull.body, "draft": pull.draft,
                "locked": false, "user": self.user("octocat"), "labels": labels,
                "assignees": pull.assignees.iter().map(|login| self.user(login)).collect::<Vec<_>>(),
                "requested_reviewers": pull.reviewers.iter().map(|login| self.user(login)).collect::<Vec<_>>(),
                "head": self.pull_ref(repo, &pull.head, &pull.head_sha),
                "base": self.pull_ref(repo, &pull.base, &base_sha),
                "merged_at": pull.merged_at, "merged": pull.merged_at.is_some(),
                "merge_commit_sha": pull.merge_commit_sha, "mergeable": pull.mergeable,
                "mergeable_state": if pull.mergeable { "clean" } else { "dirty" },
                "closed_at": if pull.state == "closed" { json!(pull.merged_at.clone().unwrap_or_else(|| self.now())) } else { Value::Null },
                "created_at": pull.created_at, "updated_at": pull.created_at,
                "author_association": "OWNER", "auto_merge": null, "maintainer_can_modify": false,
                "merged_by": null,
                "_links": {
                    "self": link(url.clone()), "html": link(format!("{}/{full_name}/pull/{}", self.web_url, pull.number)),
                    "issue": link(format!("{}/repos/{full_name}/issues/{}", self.api_url, pull.number)),
                    "comments": link(format!("{url}/comments")), "review_comments": link(format!("{url}/comments")),
                    "review_comment": link(format!("{}/repos/{full_name}/pulls/comments{{/number}}", self.api_url)),
                    "commits": link(format!("{url}/commits")),
                    "statuses": link(format!("{}/repos/{full_name}/statuses/{}", self.api_url, pull.head_sha)),
                },
            }),
        )
    }

    pub fn label_json(&self, repo: &Repo, name: &str) -> Value {
        shaped(
            "label",
            // `pull-request-simple` (lists) declares the description a plain string.
            json!({"id": 1, "node_id": "LA_1", "name": name, "color": "ededed", "default": false,
                   "description": "",
                   "url": format!("{}/repos/{}/labels/{name}", self.api_url, repo.full_name())}),
        )
    }

    pub fn milestone_json(&self, repo: &Repo, milestone: &Milestone) -> Value {
        let open = repo
            .issues
            .iter()
            .filter(|i| i.milestone == Some(milestone.number) && i.open)
            .count();
        let closed = repo
            .issues
            .iter()
            .filter(|i| i.milestone == Some(milestone.number) && !i.open)
            .count();
        let full_name = repo.full_name();
        shaped(
            "milestone",
            json!({
                "id": milestone.id, "node_id": format!("MI_{}", milestone.id), "number": milestone.number,
                "title": milestone.title, "state": if milestone.open { "open" } else { "closed" },
                "open_issues": open, "closed_issues": closed, "description": null, "due_on": null,
                "closed_at": null, "creator": self.user("octocat"),
                "url": format!("{}/repos/{full_name}/milestones/{}", self.api_url, milestone.number),
                "html_url": format!("{}/{full_name}/milestone/{}", self.web_url, milestone.number),
                "labels_url": format!("{}/repos/{full_name}/milestones/{}/labels", self.api_url, milestone.number),
                "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            }),
        )
    }

    pub fn issue_json(&self, repo: &Repo, issue: &Issue) -> Value {
        let full_name = repo.full_name();
        let milestone = issue
            .milestone
            .and_then(|number| repo.milestones.iter().find(|m| m.number == number))
            .map_or(Value::Null, |m| self.milestone_json(repo, m));
        let mut value = shaped(
            "issue",
            json!({
                "id": issue.id, "node_id": format!("I_{}", issue.id), "number": issue.number,
                "title": issue.title, "state": if issue.open { "open" } else { "closed" },
                "locked": false, "comments": 0, "user": self.user("octocat"), "assignee": null,
                "labels": issue.labels.iter().map(|name| self.label_json(repo, name)).collect::<Vec<_>>(),
                "milestone": milestone, "closed_at": null,
                "url": format!("{}/repos/{full_name}/issues/{}", self.api_url, issue.number),
                "html_url": format!("{}/{full_name}/issues/{}", self.web_url, issue.number),
                "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            }),
        );
        if issue.is_pull {
            value["pull_request"] = json!({
                "url": format!("{}/repos/{full_name}/pulls/{}", self.api_url, issue.number),
                "html_url": format!("{}/{full_name}/pull/{}", self.web_url, issue.number),
                "diff_url": null, "patch_url": null,
            });
        }
        value
    }

    pub fn check_run_json(&self, repo: &Repo, run: &CheckRun) -> Value {
        let full_name = repo.full_name();
        let completed = run.status == "completed";
        shaped(
            "check-run",
            json!({
                "id": run.id, "node_id": format!("CR_{}", run.id), "head_sha": run.sha, "name": run.name,
                "status": run.status, "conclusion": run.conclusion, "external_id": "",
                "url": format!("{}/repos/{full_name}/check-runs/{}", self.api_url, run.id),
                "html_url": format!("{}/{full_name}/runs/{}", self.web_url, run.id),
                "details_url": format!("{}/{full_name}/runs/{}", self.web_url, run.id),
                "started_at": "2024-01-01T00:00:00Z",
                "completed_at": if completed { json!("2024-01-01T00:05:00Z") } else { Value::Null },
                "output": {"title": null, "summary": null, "text": null, "annotations_count": 0,
                           "annotations_url": format!("{}/repos/{full_name}/check-runs/{}/annotations", self.api_url, run.id)},
                "check_suite": {"id": 1}, "app": null, "pull_requests": [],
            }),
        )
    }

    pub fn status_json(&self, repo: &Repo, status: &Status) -> Value {
        shaped(
            "simple-commit-status",
            json!({
                "id": status.id, "node_id": format!("SC_{}", status.id), "state": status.state,
                "context": status.context, "description": null, "target_url": status.target_url,
                "avatar_url": null,
                "url": format!("{}/repos/{}/statuses/{}", self.api_url, repo.full_name(), status.sha),
                "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            }),
        )
    }

    pub fn run_json(&self, repo: &Repo, run: &Run) -> Value {
        let full_name = repo.full_name();
        let url = format!("{}/repos/{full_name}/actions/runs/{}", self.api_url, run.id);
        shaped(
            "workflow-run",
            json!({
                "id": run.id, "node_id": format!("WFR_{}", run.id), "name": run.name,
                "head_branch": run.branch, "head_sha": run.sha, "path": run.path,
                "run_number": run.id, "run_attempt": run.attempt, "event": run.event,
                "display_title": run.name, "status": run.status, "conclusion": run.conclusion,
                "workflow_id": run.workflow_id, "url": url,
                "html_url": format!("{}/{full_name}/actions/runs/{}", self.web_url, run.id),
                "created_at": run.created_at, "updated_at": run.created_at,
                "jobs_url": format!("{url}/jobs"), "logs_url": format!("{url}/logs"),
                "check_suite_url": format!("{}/repos/{full_name}/check-suites/1", self.api_url),
                "artifacts_url": format!("{url}/artifacts"), "cancel_url": format!("{url}/cancel"),
                "rerun_url": format!("{url}/rerun"),
                "workflow_url": format!("{}/repos/{full_name}/actions/workflows/{}", self.api_url, run.workflow_id),
                "head_commit": null, "pull_requests": [],
                "repository": self.repo_json(repo, "minimal-repository"),
                "head_repository": self.repo_json(repo, "minimal-repository"),
            }),
        )
    }

    pub fn artifact_json(&self, repo: &Repo, artifact: &Artifact) -> Value {
        let url = format!(
            "{}/repos/{}/actions/artifacts/{}",
            self.api_url,
            repo.full_name(),
            artifact.id
        );
        shaped(
            "artifact",
            json!({
                "id": artifact.id, "node_id": format!("A_{}", artifact.id), "name": artifact.name,
                "size_in_bytes": artifact.zip.len(), "url": url,
                "archive_download_url": format!("{url}/zip"), "expired": artifact.expired,
                "created_at": "2024-01-01T00:00:00Z", "expires_at": "2024-04-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        let time = UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(rfc3339(time), "2015-10-21T07:28:00Z");
        assert_eq!(parse_rfc3339("2015-10-21T07:28:00Z"), Some(time));
    }
}
