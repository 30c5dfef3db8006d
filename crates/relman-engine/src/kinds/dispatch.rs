//! `dispatch = "release.yml"`: a GitHub Actions `workflow_dispatch`, then wait for the run it
//! started and download its artifacts.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchStep {
    pub workflow: Template,
    /// Default: the release tag if it exists, else the branch.
    pub git_ref: Option<Template>,
    pub inputs: Vec<(String, Template)>,
    /// A folder to download the run's artifacts into.
    pub artifacts: Option<Template>,
    pub repo: Option<Template>,
}
