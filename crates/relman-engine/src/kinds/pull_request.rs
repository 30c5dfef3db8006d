//! `pull-request = "open"`: open a pull request, or reuse the open one for the same head and
//! base; exposes `{pr_number}` and `{pr_url}`.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequestStep {
    pub head: Template,
    pub base: Template,
    pub title: Template,
    pub body: Option<Template>,
    pub reviewers: Vec<Template>,
    pub assignees: Vec<Template>,
    pub labels: Vec<Template>,
    /// Another repository (`owner/name`).
    pub repo: Option<Template>,
    pub draft: bool,
}
