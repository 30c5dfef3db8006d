//! `merge-pull-request = "{pr_number}"`: merge a pull request with a method.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergePullRequestStep {
    pub number: Template,
    /// `merge`, `squash` or `rebase`.
    pub method: String,
    pub repo: Option<Template>,
}
