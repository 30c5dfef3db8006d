//! What the CircleCI v2 API returns, as far as release steps read it: pipelines, workflows and
//! their statuses, jobs, and artifacts; plus the paginated `{items, next_page_token}` envelope.

use serde::{Deserialize, Serialize};

/// What a pipeline is started with: a branch or a tag (not both), and pipeline parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct PipelineTrigger {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub parameters: serde_json::Map<String, serde_json::Value>,
}

/// A pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Pipeline {
    pub id: String,
    pub number: u64,
    /// `created`, `errored`, `setup-pending`, `setup`, `pending`.
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub vcs: Option<Vcs>,
    #[serde(default)]
    pub trigger: Option<Trigger>,
    /// Why an `errored` pipeline did not start (configuration errors).
    #[serde(default)]
    pub errors: Vec<PipelineProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Vcs {
    #[serde(default)]
    pub branch: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub revision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Trigger {
    /// `api`, `webhook`, `schedule`, `explicit`.
    #[serde(rename = "type", default)]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PipelineProblem {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub message: String,
}

/// A workflow of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Workflow {
    pub id: String,
    pub name: String,
    /// `success`, `running`, `not_run`, `failed`, `error`, `failing`, `on_hold`, `canceled`,
    /// `unauthorized`.
    pub status: String,
    #[serde(default)]
    pub pipeline_number: Option<u64>,
}

impl Workflow {
    /// Whether the workflow will not change any more.
    pub fn is_finished(&self) -> bool {
        !matches!(self.status.as_str(), "running" | "failing" | "on_hold")
    }

    /// Whether it ended badly.
    pub fn is_failed(&self) -> bool {
        matches!(
            self.status.as_str(),
            "failed" | "error" | "canceled" | "unauthorized"
        )
    }
}

/// A job of a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Job {
    pub name: String,
    /// Approval jobs have none.
    #[serde(default)]
    pub job_number: Option<u64>,
    pub status: String,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// An artifact a job stored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Artifact {
    /// As given to `store_artifacts` (`dist/pkg-1.0.tar.gz`).
    pub path: String,
    #[serde(default)]
    pub node_index: u32,
    pub url: String,
}

/// One page of a list.
#[derive(Debug, Deserialize)]
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_serialise_only_what_is_set() {
        let mut trigger = PipelineTrigger {
            branch: Some("master".to_owned()),
            ..PipelineTrigger::default()
        };
        trigger
            .parameters
            .insert("build_wheels".to_owned(), serde_json::Value::Bool(true));
        assert_eq!(
            serde_json::to_string(&trigger).unwrap(),
            r#"{"branch":"master","parameters":{"build_wheels":true}}"#
        );
        let tag = PipelineTrigger {
            tag: Some("v2.1.3".to_owned()),
            ..PipelineTrigger::default()
        };
        assert_eq!(serde_json::to_string(&tag).unwrap(), r#"{"tag":"v2.1.3"}"#);
    }

    #[test]
    fn workflow_states() {
        let workflow = |status: &str| Workflow {
            id: "w".to_owned(),
            name: "build".to_owned(),
            status: status.to_owned(),
            pipeline_number: None,
        };
        assert!(!workflow("running").is_finished());
        assert!(!workflow("on_hold").is_finished());
        assert!(workflow("success").is_finished() && !workflow("success").is_failed());
        assert!(workflow("canceled").is_failed());
        assert!(workflow("not_run").is_finished() && !workflow("not_run").is_failed());
    }
}
