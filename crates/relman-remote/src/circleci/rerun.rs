//! Re-running failed CircleCI workflows found through GitHub commit statuses: CircleCI reports
//! each job (or workflow) as a status whose `target_url` links to it, and "restart the failed
//! jobs" is `POST /workflow/{id}/rerun` with `from_failed`. A link to a workflow names it; a link
//! to a job (`https://circleci.com/gh/ORG/REPO/1234`, the older integration's) is resolved to its
//! workflow with `GET /project/{slug}/job/{number}`.

use serde::Deserialize;

use super::{CircleCi, CircleCiError};
use crate::http::RequestDescription;
use crate::http::url::encode_component;

/// What a status link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CircleCiLink {
    /// A workflow, by id, in the project `project` (`gh/ORG/REPO`) when the link says.
    Workflow { project: Option<String>, id: String },
    /// A job, by number, in the project `project`.
    Job { project: String, number: u64 },
}

impl CircleCiLink {
    /// Parses a CircleCI link: `https://app.circleci.com/pipelines/VCS/ORG/REPO/N/workflows/ID`
    /// (with or without `/jobs/N` after it), `https://circleci.com/workflow-run/ID`, or
    /// `https://circleci.com/VCS/ORG/REPO/N`. `hosts` are the hosts that serve CircleCI's web
    /// pages (`circleci.com`, `app.circleci.com`, a server install's). Anything else is `None`.
    pub fn parse(url: &str, hosts: &[&str]) -> Option<CircleCiLink> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let rest = rest.split(['?', '#']).next()?;
        let (host, path) = rest.split_once('/')?;
        let host = host.split(':').next()?;
        if !hosts.contains(&host) {
            return None;
        }
        let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
        match parts.as_slice() {
            ["pipelines", vcs, org, repo, _number, "workflows", id, ..] => {
                Some(CircleCiLink::Workflow {
                    project: Some(slug(vcs, org, repo)),
                    id: (*id).to_owned(),
                })
            }
            ["workflow-run", id] => Some(CircleCiLink::Workflow {
                project: None,
                id: (*id).to_owned(),
            }),
            [vcs, org, repo, number] if is_vcs(vcs) => Some(CircleCiLink::Job {
                project: slug(vcs, org, repo),
                number: number.parse().ok()?,
            }),
            _ => None,
        }
    }

    /// The project the link names, if it does.
    pub fn project(&self) -> Option<&str> {
        match self {
            CircleCiLink::Workflow { project, .. } => project.as_deref(),
            CircleCiLink::Job { project, .. } => Some(project),
        }
    }
}

fn is_vcs(part: &str) -> bool {
    matches!(part, "gh" | "github" | "bb" | "bitbucket")
}

/// `gh/ORG/REPO` (the API takes the short forms).
fn slug(vcs: &str, org: &str, repo: &str) -> String {
    let vcs = match vcs {
        "github" => "gh",
        "bitbucket" => "bb",
        other => other,
    };
    format!("{vcs}/{org}/{repo}")
}

#[derive(Debug, Deserialize)]
struct JobDetails {
    latest_workflow: WorkflowRef,
}

#[derive(Debug, Deserialize)]
struct WorkflowRef {
    id: String,
}

#[derive(Debug, Deserialize)]
struct Rerun {
    workflow_id: String,
}

impl CircleCi {
    /// The workflow a link points at (asking for the job's workflow when it names a job).
    pub fn workflow_of(&self, link: &CircleCiLink) -> Result<String, CircleCiError> {
        match link {
            CircleCiLink::Workflow { id, .. } => Ok(id.clone()),
            CircleCiLink::Job { project, number } => {
                let details: JobDetails = self.json(&RequestDescription::get(format!(
                    "{}/project/{}/job/{number}",
                    self.api,
                    project
                        .split('/')
                        .map(encode_component)
                        .collect::<Vec<_>>()
                        .join("/")
                )))?;
                Ok(details.latest_workflow.id)
            }
        }
    }

    /// The request that re-runs a workflow from its failed jobs.
    pub fn rerun_request(&self, workflow_id: &str) -> RequestDescription {
        self.rerun_request_to(&encode_component(workflow_id))
    }

    /// The re-run request of a workflow not known yet, `{workflow_id}` in its URL (for a plan).
    pub fn rerun_request_for_plan(&self) -> RequestDescription {
        self.rerun_request_to("{workflow_id}")
    }

    fn rerun_request_to(&self, workflow: &str) -> RequestDescription {
        RequestDescription::post(format!("{}/workflow/{workflow}/rerun", self.api))
            .json(serde_json::json!({ "from_failed": true }))
    }

    /// Re-runs a workflow from its failed jobs; returns the id of the new workflow.
    pub fn rerun_from_failed(&self, workflow_id: &str) -> Result<String, CircleCiError> {
        let rerun: Rerun = self.json(&self.rerun_request(workflow_id))?;
        Ok(rerun.workflow_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTS: &[&str] = &["circleci.com", "app.circleci.com"];

    #[test]
    fn links_to_workflows_and_jobs_parse() {
        assert_eq!(
            CircleCiLink::parse(
                "https://app.circleci.com/pipelines/github/neuromation/neuromation/812/workflows/5b3c-11/jobs/4021",
                HOSTS
            ),
            Some(CircleCiLink::Workflow {
                project: Some("gh/neuromation/neuromation".to_owned()),
                id: "5b3c-11".to_owned()
            })
        );
        assert_eq!(
            CircleCiLink::parse(
                "https://circleci.com/gh/neuromation/neuromation/4021?utm_campaign=vcs-integration-link&utm_medium=referral",
                HOSTS
            ),
            Some(CircleCiLink::Job {
                project: "gh/neuromation/neuromation".to_owned(),
                number: 4021
            })
        );
        assert_eq!(
            CircleCiLink::parse("https://circleci.com/workflow-run/5b3c-11", HOSTS),
            Some(CircleCiLink::Workflow {
                project: None,
                id: "5b3c-11".to_owned()
            })
        );
        for other in [
            "https://travis-ci.org/neuromation/neuromation/builds/1",
            "https://github.com/gh/neuromation/neuromation/12",
            "https://circleci.com/docs/2.0/artifacts",
            "not a url",
        ] {
            assert_eq!(CircleCiLink::parse(other, HOSTS), None, "{other}");
        }
    }
}
