//! `circleci = "pipeline"`: trigger a CircleCI pipeline on a branch or tag with parameters, wait
//! for its workflows, and download artifacts.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircleciStep {
    pub branch: Option<Template>,
    pub tag: Option<Template>,
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub artifacts: Option<Template>,
    /// The project slug, e.g. `gh/owner/name`; default from the forge repository.
    pub project: Option<Template>,
    /// Default `CIRCLE_TOKEN`.
    pub token_env: String,
}
