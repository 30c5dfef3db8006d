//! The CircleCI v2 client for `circleci = "pipeline"`: trigger a pipeline on a branch or a tag
//! with parameters, wait for its workflows, and download the artifacts their jobs stored; and for
//! `wait = "checks"` with `rerun-failed`, re-run failed workflows from their failed jobs.
//!
//! The token goes in a `Circle-Token` header to the API's origin, and to the artifact origins the
//! configuration lists (default: CircleCI's own `https://output.circle-artifacts.com`, which
//! needs it for private projects), never to any other host an artifact URL names: a CircleCI that
//! returned a URL on some other server would otherwise hand it the token.
//!
//! Artifacts of every job of the pipeline's workflows are downloaded into one folder under their
//! file names (`wheelhouse/pkg-1.0-cp311-…whl` becomes `DEST/pkg-1.0-cp311-…whl`), which is what
//! a `twine upload dist/*` afterwards wants; two different artifacts with one name are an error.
//! Each file is written to a temporary name and renamed, so an interrupted download leaves no
//! half file behind.

mod model;
mod rerun;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub use model::{Artifact, Job, Pipeline, PipelineTrigger, Trigger, Vcs, Workflow};
pub use rerun::CircleCiLink;

use crate::clock::Clock;
use crate::http::url::{Origin, encode_component};
use crate::http::{
    Credential, HttpClient, HttpError, HttpOptions, RenderedRequest, RequestDescription,
};
use crate::secret::Secret;
use crate::wait::Poll;

/// CircleCI's API root.
pub const DEFAULT_API: &str = "https://circleci.com/api/v2";
/// Where CircleCI serves artifacts.
pub const DEFAULT_ARTIFACT_ORIGIN: &str = "https://output.circle-artifacts.com";
/// Pages followed by one list before it is deemed a loop.
const MAX_PAGES: usize = 100;

/// How to reach CircleCI.
#[derive(Debug, Clone)]
pub struct CircleCiConfig {
    /// `https://circleci.com/api/v2`, a server install's, or a local fake.
    pub api: String,
    /// The personal API token; `None` allows rendering requests but not sending them.
    pub token: Option<Secret>,
    /// The environment variable the token was read from (named in errors).
    pub token_variable: String,
    /// Origins (`https://host[:port]`) that receive the token on artifact downloads.
    pub artifact_origins: Vec<String>,
    pub http: HttpOptions,
    pub clock: Clock,
}

impl Default for CircleCiConfig {
    fn default() -> Self {
        Self {
            api: DEFAULT_API.to_owned(),
            token: None,
            token_variable: "CIRCLE_TOKEN".to_owned(),
            artifact_origins: vec![DEFAULT_ARTIFACT_ORIGIN.to_owned()],
            http: HttpOptions::default(),
            clock: Clock::system(),
        }
    }
}

/// A CircleCI client for one project; cheap to clone.
#[derive(Debug, Clone)]
pub struct CircleCi {
    http: HttpClient,
    api: String,
    project: String,
    has_token: bool,
    token_variable: String,
}

/// What the wait for a pipeline found when it was over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineDone {
    pub workflows: Vec<Workflow>,
}

/// Why a CircleCI call failed.
#[derive(Debug, thiserror::Error)]
pub enum CircleCiError {
    #[error("no CircleCI token: set `{variable}`")]
    MissingToken { variable: String },
    #[error("invalid CircleCI setting `{value}`: {reason}")]
    Invalid { value: String, reason: String },
    #[error("{0}")]
    Http(#[from] HttpError),
    #[error("pipeline {number} did not start: {problems}")]
    PipelineErrored { number: u64, problems: String },
    #[error("pipeline {number}: {failed}")]
    WorkflowFailed { number: u64, failed: String },
    #[error("pipeline {number} ran no workflow (all `not_run`)")]
    NothingRan { number: u64 },
    #[error("artifact `{path}` cannot be saved: {reason}")]
    Artifact { path: String, reason: String },
}

impl CircleCiError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            CircleCiError::MissingToken { variable } => Some(format!(
                "create a personal API token at https://app.circleci.com/settings/user/tokens and \
                 export it as `{variable}`"
            )),
            CircleCiError::Http(error) if matches!(error.status(), Some(401 | 403 | 404)) => Some(
                "CircleCI answers 404 \"Project not found\" for a wrong token too: check the \
                 token and the project slug (`gh/ORG/REPO`)"
                    .to_owned(),
            ),
            CircleCiError::Http(error) => error.hint(),
            CircleCiError::PipelineErrored { .. } => {
                Some("fix `.circleci/config.yml` or the pipeline parameters".to_owned())
            }
            CircleCiError::NothingRan { .. } => Some(
                "check the workflows' branch and tag filters and the `when` conditions on the \
                 parameters"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

impl CircleCi {
    /// A client for `project`, a slug such as `gh/closeio/ciso8601` (`github/`, `bb/`,
    /// `circleci/ORG-ID/PROJECT-ID` too).
    pub fn new(config: CircleCiConfig, project: &str) -> Result<Self, CircleCiError> {
        let api = config.api.trim_end_matches('/').to_owned();
        let invalid = |value: &str, reason: String| CircleCiError::Invalid {
            value: value.to_owned(),
            reason,
        };
        Origin::of(&api).map_err(|reason| invalid(&api, reason))?;
        let parts: Vec<&str> = project.split('/').collect();
        if parts.len() != 3 || parts.iter().any(|part| part.is_empty()) {
            return Err(invalid(
                project,
                "a project slug is `VCS/ORG/REPO`, e.g. `gh/closeio/ciso8601`".to_owned(),
            ));
        }
        let token = config.token.filter(|token| !token.is_empty());
        let mut http = HttpClient::new(config.http).with_clock(config.clock);
        if let Some(token) = &token {
            for origin in std::iter::once(api.as_str())
                .chain(config.artifact_origins.iter().map(String::as_str))
            {
                let credential = Credential::header(origin, "Circle-Token", token.clone())
                    .map_err(|error| invalid(origin, error.reason))?;
                http = http.with_credential(credential);
            }
        }
        Ok(Self {
            http,
            api,
            project: project.to_owned(),
            has_token: token.is_some(),
            token_variable: config.token_variable,
        })
    }

    /// The HTTP client underneath (its redactor masks the token).
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The request that starts a pipeline (for the plan).
    pub fn trigger_request(&self, trigger: &PipelineTrigger) -> RequestDescription {
        let url = format!("{}/project/{}/pipeline", self.api, self.project_path());
        RequestDescription::post(url).json_of(trigger)
    }

    /// A request as a plan shows it (the token as `****`).
    pub fn render(&self, request: &RequestDescription) -> RenderedRequest {
        self.http.render(request)
    }

    /// Starts a pipeline.
    pub fn trigger(&self, trigger: &PipelineTrigger) -> Result<Pipeline, CircleCiError> {
        if trigger.branch.is_some() && trigger.tag.is_some() {
            return Err(CircleCiError::Invalid {
                value: "branch and tag".to_owned(),
                reason: "a pipeline runs on a branch or on a tag, not both".to_owned(),
            });
        }
        self.json(&self.trigger_request(trigger))
    }

    /// A pipeline by id.
    pub fn pipeline(&self, id: &str) -> Result<Pipeline, CircleCiError> {
        self.json(&RequestDescription::get(format!(
            "{}/pipeline/{}",
            self.api,
            encode_component(id)
        )))
    }

    /// The probe of a trigger: the newest API-triggered pipeline of the project on `trigger`'s
    /// branch or tag whose `created_at` (RFC 3339) is at or after `since`, if any. A resumed
    /// release uses it to find the pipeline it started before a crash instead of starting another.
    pub fn find_triggered(
        &self,
        trigger: &PipelineTrigger,
        since: &str,
    ) -> Result<Option<Pipeline>, CircleCiError> {
        let mut request = RequestDescription::get(format!(
            "{}/project/{}/pipeline",
            self.api,
            self.project_path()
        ));
        if let Some(branch) = &trigger.branch {
            request = request.query("branch", branch);
        }
        // The list is newest first; one page covers the minutes a resume looks back over.
        let page: model::Page<Pipeline> = self.json(&request)?;
        let since = crate::timestamp::parse_rfc3339(since);
        Ok(page.items.into_iter().find(|pipeline| {
            let vcs = pipeline.vcs.as_ref();
            let same_ref = match (&trigger.branch, &trigger.tag) {
                (_, Some(tag)) => vcs.and_then(|vcs| vcs.tag.as_ref()) == Some(tag),
                (Some(branch), None) => vcs.and_then(|vcs| vcs.branch.as_ref()) == Some(branch),
                (None, None) => true,
            };
            let by_api = pipeline
                .trigger
                .as_ref()
                .is_some_and(|trigger| trigger.kind == "api");
            let recent = match (
                since,
                pipeline
                    .created_at
                    .as_deref()
                    .and_then(crate::timestamp::parse_rfc3339),
            ) {
                (Some(since), Some(created)) => created >= since,
                _ => false,
            };
            same_ref && by_api && recent
        }))
    }

    /// Every workflow of a pipeline.
    pub fn workflows(&self, pipeline_id: &str) -> Result<Vec<Workflow>, CircleCiError> {
        self.all(&format!(
            "{}/pipeline/{}/workflow",
            self.api,
            encode_component(pipeline_id)
        ))
    }

    /// Every job of a workflow.
    pub fn jobs(&self, workflow_id: &str) -> Result<Vec<Job>, CircleCiError> {
        self.all(&format!(
            "{}/workflow/{}/job",
            self.api,
            encode_component(workflow_id)
        ))
    }

    /// Every artifact of a job.
    pub fn artifacts(&self, job_number: u64) -> Result<Vec<Artifact>, CircleCiError> {
        self.all(&format!(
            "{}/project/{}/{job_number}/artifacts",
            self.api,
            self.project_path()
        ))
    }

    /// One look at a pipeline, for [`crate::wait::poll_until`]: ready when every workflow has
    /// finished and none failed; an error when the pipeline errored, a workflow failed, or none
    /// ran; otherwise pending, saying what is still running (or on hold for an approval).
    pub fn check_pipeline(&self, pipeline: &Pipeline) -> Result<Poll<PipelineDone>, CircleCiError> {
        let workflows = self.workflows(&pipeline.id)?;
        if workflows.is_empty() {
            let current = self.pipeline(&pipeline.id)?;
            if current.state == "errored" {
                let problems: Vec<String> = current
                    .errors
                    .iter()
                    .map(|problem| format!("{}: {}", problem.kind, problem.message))
                    .collect();
                return Err(CircleCiError::PipelineErrored {
                    number: current.number,
                    problems: problems.join("; "),
                });
            }
            return Ok(Poll::Pending(format!(
                "pipeline {} has no workflow yet (state `{}`)",
                pipeline.number, current.state
            )));
        }
        let unfinished: Vec<String> = workflows
            .iter()
            .filter(|workflow| !workflow.is_finished())
            .map(|workflow| format!("`{}` {}", workflow.name, workflow.status.replace('_', " ")))
            .collect();
        if !unfinished.is_empty() {
            return Ok(Poll::Pending(format!(
                "pipeline {}: {}",
                pipeline.number,
                unfinished.join(", ")
            )));
        }
        let failed: Vec<String> = workflows
            .iter()
            .filter(|workflow| workflow.is_failed())
            .map(|workflow| format!("workflow `{}` {}", workflow.name, workflow.status))
            .collect();
        if !failed.is_empty() {
            return Err(CircleCiError::WorkflowFailed {
                number: pipeline.number,
                failed: failed.join(", "),
            });
        }
        if workflows
            .iter()
            .all(|workflow| workflow.status == "not_run")
        {
            return Err(CircleCiError::NothingRan {
                number: pipeline.number,
            });
        }
        Ok(Poll::Ready(PipelineDone { workflows }))
    }

    /// Downloads the artifacts of every job of `workflows` into `destination` (created if
    /// needed), by file name; returns the files written, sorted.
    pub fn download_artifacts(
        &self,
        workflows: &[Workflow],
        destination: &Path,
    ) -> Result<Vec<PathBuf>, CircleCiError> {
        let mut wanted: Vec<(String, Artifact)> = Vec::new();
        for workflow in workflows {
            for job in self.jobs(&workflow.id)? {
                let Some(number) = job.job_number else {
                    continue;
                };
                for artifact in self.artifacts(number)? {
                    let name = file_name(&artifact.path)?;
                    match wanted.iter().find(|(known, _)| *known == name) {
                        Some((_, other)) if other.url != artifact.url => {
                            return Err(CircleCiError::Artifact {
                                path: artifact.path.clone(),
                                reason: format!("`{}` has the same file name", other.path),
                            });
                        }
                        Some(_) => {}
                        None => wanted.push((name, artifact)),
                    }
                }
            }
        }
        fs_err::create_dir_all(destination).map_err(|error| CircleCiError::Artifact {
            path: destination.display().to_string(),
            reason: error.to_string(),
        })?;
        let mut written = Vec::new();
        for (name, artifact) in wanted {
            let target = destination.join(&name);
            let partial = destination.join(format!(".{name}.part"));
            self.require_token()?;
            if let Err(error) = self
                .http
                .download(&RequestDescription::get(&artifact.url), &partial)
            {
                let _ = fs_err::remove_file(&partial);
                return Err(error.into());
            }
            fs_err::rename(&partial, &target).map_err(|error| CircleCiError::Artifact {
                path: artifact.path.clone(),
                reason: error.to_string(),
            })?;
            written.push(target);
        }
        written.sort();
        Ok(written)
    }

    /// The web page of a pipeline, when the API is circleci.com's.
    pub fn pipeline_url(&self, pipeline: &Pipeline) -> Option<String> {
        (self.api == DEFAULT_API).then(|| {
            format!(
                "https://app.circleci.com/pipelines/{}/{}",
                self.project, pipeline.number
            )
        })
    }

    fn project_path(&self) -> String {
        self.project
            .split('/')
            .map(encode_component)
            .collect::<Vec<_>>()
            .join("/")
    }

    fn require_token(&self) -> Result<(), CircleCiError> {
        if self.has_token {
            Ok(())
        } else {
            Err(CircleCiError::MissingToken {
                variable: self.token_variable.clone(),
            })
        }
    }

    fn json<T: DeserializeOwned>(&self, request: &RequestDescription) -> Result<T, CircleCiError> {
        self.require_token()?;
        Ok(self.http.json(request)?)
    }

    /// Follows `next_page_token` through a list.
    fn all<T: DeserializeOwned>(&self, url: &str) -> Result<Vec<T>, CircleCiError> {
        let mut items = Vec::new();
        let mut request = RequestDescription::get(url);
        for _ in 0..MAX_PAGES {
            let page: model::Page<T> = self.json(&request)?;
            items.extend(page.items);
            match page.next_page_token.filter(|token| !token.is_empty()) {
                Some(token) => request = RequestDescription::get(url).query("page-token", token),
                None => return Ok(items),
            }
        }
        Err(CircleCiError::Invalid {
            value: url.to_owned(),
            reason: format!("more than {MAX_PAGES} pages: the page tokens seem to loop"),
        })
    }
}

/// The last segment of an artifact path, refused when it could escape the folder.
fn file_name(path: &str) -> Result<String, CircleCiError> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or_default();
    if name.is_empty() || name == "." || name == ".." {
        return Err(CircleCiError::Artifact {
            path: path.to_owned(),
            reason: "no file name".to_owned(),
        });
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circleci(token: Option<&str>) -> CircleCi {
        CircleCi::new(
            CircleCiConfig {
                token: token.map(Secret::new),
                ..CircleCiConfig::default()
            },
            "gh/closeio/ciso8601",
        )
        .unwrap()
    }

    #[test]
    fn the_trigger_renders_like_the_runbook_curl() {
        let circleci = circleci(Some("circle-secret-token"));
        let mut trigger = PipelineTrigger {
            branch: Some("master".to_owned()),
            ..PipelineTrigger::default()
        };
        trigger
            .parameters
            .insert("build_wheels".to_owned(), true.into());
        let rendered = circleci
            .render(&circleci.trigger_request(&trigger))
            .to_string();
        assert_eq!(
            rendered,
            "POST https://circleci.com/api/v2/project/gh/closeio/ciso8601/pipeline\n\
             Circle-Token: ****\n\n{\n  \"branch\": \"master\",\n  \"parameters\": {\n    \"build_wheels\": true\n  }\n}"
        );
    }

    #[test]
    fn without_a_token_nothing_is_sent() {
        let error = circleci(None).pipeline("x").unwrap_err();
        assert!(matches!(error, CircleCiError::MissingToken { .. }));
        assert!(error.hint().unwrap().contains("CIRCLE_TOKEN"));
    }

    #[test]
    fn bad_settings() {
        assert!(CircleCi::new(CircleCiConfig::default(), "closeio/ciso8601").is_err());
        let config = CircleCiConfig {
            artifact_origins: vec!["not a url".to_owned()],
            token: Some(Secret::new("t0ken")),
            ..CircleCiConfig::default()
        };
        assert!(CircleCi::new(config, "gh/o/r").is_err());
        assert!(file_name("dist/../").is_err());
        assert_eq!(file_name("wheelhouse/a.whl").unwrap(), "a.whl");
    }
}
