//! `push = ["branch", "tag"]`: push the current branch, the release tag, or both atomically,
//! setting the upstream of a new branch.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushStep {
    pub branch: bool,
    pub tag: bool,
    /// Default `project.remote`.
    pub remote: Option<String>,
}
