//! The GitHub objects relman reads and the bodies it sends, with only the fields it uses (serde
//! ignores the rest, so GitHub adding fields breaks nothing).

use serde::{Deserialize, Serialize};

/// A repository's facts relman uses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Repository {
    pub full_name: String,
    pub default_branch: String,
    pub private: bool,
    pub html_url: String,
}

/// A release, draft or published.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Release {
    pub id: u64,
    pub tag_name: String,
    pub target_commitish: String,
    pub name: Option<String>,
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
    pub html_url: String,
    /// A URI template: `https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}`.
    pub upload_url: String,
    #[serde(default)]
    pub assets: Vec<Asset>,
}

/// A file attached to a release.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Asset {
    pub id: u64,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    /// `uploaded`, or `open` for an upload that did not finish (replace it).
    pub state: String,
    pub browser_download_url: String,
}

/// The body of "create a release".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRelease {
    pub tag_name: String,
    /// The commit or branch the tag is created from if it does not exist yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_commitish: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub draft: bool,
    pub prerelease: bool,
}

/// The body of "generate release notes": GitHub lists the pull requests merged between the
/// previous tag (by default the one before `tag_name`) and the tag (or `target_commitish` when the
/// tag does not exist yet), grouped as the repository's `.github/release.yml` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotesRequest {
    pub tag_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_commitish: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_tag_name: Option<String>,
    /// Another configuration file than `.github/release.yml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_file_path: Option<String>,
}

/// Generated release notes: a title and a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GeneratedNotes {
    pub name: String,
    pub body: String,
}

/// The body of "update a release": only the fields set are changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReleaseUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prerelease: Option<bool>,
}

/// One side of a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PullRef {
    /// `owner:branch`.
    pub label: String,
    #[serde(rename = "ref")]
    pub branch: String,
    pub sha: String,
}

/// A pull request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PullRequest {
    pub number: u64,
    pub html_url: String,
    /// `open` or `closed`.
    pub state: String,
    pub title: String,
    pub head: PullRef,
    pub base: PullRef,
    pub merged_at: Option<String>,
    /// Only in the answer for a single pull request (not in lists).
    #[serde(default)]
    pub merged: Option<bool>,
    pub merge_commit_sha: Option<String>,
}

impl PullRequest {
    /// Open, merged, or closed without merging.
    pub fn status(&self) -> PullStatus {
        if self.merged == Some(true) || self.merged_at.is_some() {
            PullStatus::Merged
        } else if self.state == "open" {
            PullStatus::Open
        } else {
            PullStatus::ClosedUnmerged
        }
    }
}

/// Where a pull request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullStatus {
    Open,
    Merged,
    ClosedUnmerged,
}

/// The body of "create a pull request".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPullRequest {
    pub title: String,
    /// `branch`, or `owner:branch` for a branch of another repository (a fork).
    pub head: String,
    pub base: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub draft: bool,
}

/// How to merge a pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum MergeMethod {
    #[default]
    Merge,
    Squash,
    Rebase,
}

impl std::str::FromStr for MergeMethod {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "merge" => Ok(Self::Merge),
            "squash" => Ok(Self::Squash),
            "rebase" => Ok(Self::Rebase),
            other => Err(format!(
                "unknown merge method `{other}`: expected `merge`, `squash` or `rebase`"
            )),
        }
    }
}

/// The body of "merge a pull request".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeOptions {
    pub merge_method: MergeMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_message: Option<String>,
    /// Merge only if the head is still at this commit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha: Option<String>,
}

/// The answer of a merge.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MergeResult {
    pub sha: String,
    pub merged: bool,
    pub message: String,
}

/// A check run (GitHub Actions jobs and other apps' checks).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckRun {
    pub id: u64,
    pub name: String,
    /// `queued`, `in_progress`, `completed`, `waiting`, `requested`, `pending`.
    pub status: String,
    /// Set when completed: `success`, `failure`, `neutral`, `cancelled`, `skipped`,
    /// `timed_out`, `action_required`, `stale`, `startup_failure`.
    pub conclusion: Option<String>,
    pub html_url: Option<String>,
}

/// A commit status (the older statuses API, used by CircleCI, Travis and others).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommitStatus {
    pub context: String,
    /// `success`, `pending`, `failure`, `error`.
    pub state: String,
    pub target_url: Option<String>,
    pub description: Option<String>,
}

/// A GitHub Actions workflow run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WorkflowRun {
    pub id: u64,
    pub name: Option<String>,
    pub workflow_id: u64,
    pub head_branch: Option<String>,
    pub head_sha: String,
    pub event: String,
    /// `queued`, `in_progress`, `completed`, ...
    pub status: Option<String>,
    pub conclusion: Option<String>,
    pub html_url: String,
    pub created_at: String,
    #[serde(default)]
    pub run_attempt: Option<u64>,
}

impl WorkflowRun {
    /// Whether the run has finished.
    pub fn is_completed(&self) -> bool {
        self.status.as_deref() == Some("completed")
    }

    /// Whether it finished and failed in a way that re-running may fix.
    pub fn is_failed(&self) -> bool {
        self.is_completed()
            && matches!(
                self.conclusion.as_deref(),
                Some("failure" | "timed_out" | "cancelled" | "startup_failure")
            )
    }

    /// The name to show.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("run {}", self.id))
    }
}

/// An artifact uploaded by a workflow run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Artifact {
    pub id: u64,
    pub name: String,
    pub size_in_bytes: u64,
    pub archive_download_url: String,
    pub expired: bool,
}

/// A milestone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Milestone {
    pub number: u64,
    pub title: String,
    pub state: String,
    pub open_issues: u64,
    pub closed_issues: u64,
    pub html_url: String,
}

/// An issue or a pull request, as the issues API lists them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub state: String,
    pub html_url: String,
    /// Present when the issue is a pull request.
    #[serde(default)]
    pub pull_request: Option<serde_json::Value>,
}

impl Issue {
    /// Whether this is a pull request.
    pub fn is_pull_request(&self) -> bool {
        self.pull_request.is_some()
    }
}
