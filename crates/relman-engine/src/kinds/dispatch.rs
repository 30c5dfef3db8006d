//! `dispatch = "release.yml"`: a GitHub Actions `workflow_dispatch` on `ref` with `inputs`, then
//! a wait for the run it started, then its artifacts downloaded into `artifacts`.
//!
//! `ref` defaults to the release tag when the workflow tags before this step or the tag exists,
//! else the branch. Exactly once: before dispatching, a [`DispatchMarker`] (the runs of that
//! workflow on that ref that already exist, and the time) is written to the journal; after, that
//! the dispatch was sent, then the run's id once found. A resumed step with a marker but no
//! record of sending looks for a new run for a while (GitHub takes seconds to show one) before
//! dispatching again, so a crash right after the request does not start a second run.

use std::time::Duration;

use relman_remote::github::{DispatchMarker, GitHub, Repo, WorkflowRun};
use relman_remote::wait::Poll;
use serde::{Deserialize, Serialize};

use crate::clients::polling::{self, Waited};
use crate::clients::{self, ARTIFACTS_DONE, download_artifacts_once, failed, http_effect, note};
use crate::core::explain::{ExplainCx, Explained, PAUSES, join, show_code};
use crate::core::options::{INTERVAL, OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::template::{Template, Variables};

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

impl Kind for DispatchStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["artifacts"],
        options: &[
            OptionSpec::string("ref"),
            OptionSpec::map("inputs"),
            OptionSpec::string("artifacts"),
            OptionSpec::string("repo"),
            INTERVAL,
        ],
        outputs: &["run_id", "run_url", "conclusion"],
        ..KindSpec::new(
            "dispatch",
            "dispatch a GitHub Actions workflow and wait for its run",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        Ok(DispatchStep {
            workflow: options.required("dispatch", "\"release.yml\"")?,
            git_ref: options.template("ref")?,
            inputs: options.template_map("inputs")?,
            artifacts: options.template("artifacts")?,
            repo: options.template("repo")?,
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Forge, Need::ForgeToken { write: true }]
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("dispatch", &self.workflow)
            .opt("ref", &self.git_ref)
            .values("inputs", &self.inputs)
            .opt("artifacts", &self.artifacts)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("dispatch {} and wait for its run", render(&self.workflow))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let mut explained = Explained::new(format!(
            "Run the GitHub Actions workflow {} on {} and wait for it to finish.",
            show_code(&self.workflow),
            self.git_ref
                .as_ref()
                .map_or_else(|| "the release tag (or the branch)".to_owned(), show_code)
        ));
        if !self.inputs.is_empty() {
            let inputs: Vec<String> = self
                .inputs
                .iter()
                .map(|(name, value)| format!("`{name}` = {}", show_code(value)))
                .collect();
            explained = explained.detail(format!("Inputs: {}.", join(&inputs)));
        }
        if let Some(artifacts) = &self.artifacts {
            explained = explained.detail(format!(
                "Its artifacts are downloaded into {}.",
                show_code(artifacts)
            ));
        }
        explained.detail(PAUSES)
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let redactor = clients::redactor(cx.project, cx.env);
        let tag = cx.variables.get_key("tag").unwrap_or_default().to_owned();
        let default_ref = if cx.sim.tagged || cx.project.repo.tag_exists(&tag).unwrap_or(false) {
            tag
        } else {
            cx.sim
                .branch
                .clone()
                .or_else(|| cx.variables.get_key("branch").map(str::to_owned))
                .unwrap_or_else(|| "HEAD".to_owned())
        };
        let resolved = resolve(self, cx.project, default_ref, &|template| {
            Ok(cx.render(template))
        })?;
        let call = github.dispatch_workflow(
            &resolved.repo,
            &resolved.workflow,
            &resolved.git_ref,
            &resolved.inputs,
        );
        let mut effects = vec![
            http_effect(&call.render(), &redactor),
            Effect::Wait {
                description: format!(
                    "for the run of `{}` on `{}` to finish ({})",
                    resolved.workflow,
                    resolved.git_ref,
                    polling::describe(step)
                ),
            },
        ];
        if let Some(dir) = &resolved.artifacts {
            effects.push(note(
                format!("downloads the run's artifacts into `{dir}`"),
                &redactor,
            ));
        }
        if let Some(variables) = clients::missing_github_token(cx.project, cx.env) {
            effects.push(note(
                format!("no GitHub token: set `{variables}` before running"),
                &redactor,
            ));
        }
        Ok(effects)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let resolved = resolve_run(self, cx)?;
        let Resolved {
            repo,
            workflow,
            git_ref,
            inputs,
            artifacts,
        } = &resolved;
        let doing = format!("cannot dispatch `{workflow}` on `{git_ref}` in `{repo}`");
        let mut run_id: Option<u64> = cx.context_value(RUN).and_then(|id| id.parse().ok());
        if run_id.is_none() {
            let (mut marker, resumed) = match marker(cx)? {
                Some(marker) => (marker, true),
                None => {
                    let marker = github
                        .prepare_dispatch(repo, workflow, git_ref)
                        .map_err(|error| failed(&doing, error))?;
                    cx.set_context("ref", git_ref.clone());
                    save_marker(cx, &marker)?;
                    (marker, false)
                }
            };
            if cx.context_value(SENT) != Some("yes") {
                if resumed {
                    // Sent or not before relman stopped? A run that appears says it was.
                    let mut grace = *step;
                    grace.timeout =
                        Some(step.timeout.unwrap_or(polling::DEFAULT_TIMEOUT).min(GRACE));
                    let what = format!("a run of `{workflow}` started before relman stopped");
                    if let Waited::Ready(run) = polling::poll(cx, &grace, &what, |_| {
                        Ok(match find_run(&github, repo, &marker)? {
                            Some(run) => Poll::Ready(run),
                            None => Poll::Pending("no new run".to_owned()),
                        })
                    })? {
                        marker.run_id = Some(run.id);
                    }
                }
                if marker.run_id.is_none() {
                    marker.run_id = github
                        .dispatch_workflow(repo, workflow, git_ref, inputs)
                        .send()
                        .map_err(|error| failed(&doing, error))?;
                    cx.output(&format!("dispatched `{workflow}` on `{git_ref}`"));
                }
                cx.set_context(SENT, "yes");
                save_marker(cx, &marker)?;
            }
            let what = format!("the run of `{workflow}` on `{git_ref}` to start");
            match polling::poll(cx, step, &what, |_| {
                Ok(match find_run(&github, repo, &marker)? {
                    Some(run) => Poll::Ready(run),
                    None => Poll::Pending("no new run yet".to_owned()),
                })
            })? {
                Waited::Ready(run) => {
                    cx.set_context(RUN, run.id.to_string());
                    record_remote(cx, workflow, git_ref, &run);
                    cx.save()?;
                    cx.output(&format!("run {} started: {}", run.id, run.html_url));
                    run_id = Some(run.id);
                }
                Waited::TimedOut(reason) => return Ok(Outcome::Paused(reason)),
            }
        }
        let run_id = run_id.expect("invariant: the run is known by now");
        let what = format!("run {run_id} of `{workflow}` to finish");
        let run = match polling::poll(cx, step, &what, |_| look(&github, repo, run_id))? {
            Waited::Ready(run) => run,
            Waited::TimedOut(reason) => return Ok(Outcome::Paused(reason)),
        };
        if let Some(dir) = artifacts {
            download_artifacts_once(cx, dir, |target| {
                github
                    .download_run_artifacts(repo, run_id, target)
                    .map_err(|error| {
                        failed(
                            &format!("cannot download the artifacts of run {run_id}"),
                            error,
                        )
                    })
            })?;
        }
        finish(cx, workflow, git_ref, &run);
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let Some(run_id) = cx.context_value(RUN).and_then(|id| id.parse::<u64>().ok()) else {
            // `execute` finds a run started before relman stopped through the marker.
            return Ok(Probe::NotDone);
        };
        let github = clients::github(cx.project, cx.env)?;
        let resolved = resolve_run(self, cx)?;
        if resolved.artifacts.is_some() && cx.context_value(ARTIFACTS_DONE) != Some("yes") {
            return Ok(Probe::NotDone);
        }
        match look(&github, &resolved.repo, run_id) {
            Ok(Poll::Ready(run)) => {
                finish(cx, &resolved.workflow, &resolved.git_ref, &run);
                Ok(Probe::Done)
            }
            // Still running, or failed: `execute` waits for it, or says how it failed.
            Ok(Poll::Pending(_)) | Err(_) => Ok(Probe::NotDone),
        }
    }
}

/// How long a resumed dispatch looks for a run it may have started before dispatching again.
const GRACE: Duration = Duration::from_secs(60);

const MARKER: &str = "marker";
const SENT: &str = "dispatched";
const RUN: &str = "run_id";

struct Resolved {
    repo: Repo,
    workflow: String,
    git_ref: String,
    inputs: serde_json::Map<String, serde_json::Value>,
    artifacts: Option<String>,
}

fn resolve(
    step: &DispatchStep,
    project: &crate::project::Project,
    default_ref: String,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let mut inputs = serde_json::Map::new();
    for (name, value) in &step.inputs {
        inputs.insert(name.clone(), serde_json::Value::String(render(value)?));
    }
    Ok(Resolved {
        repo: clients::repo(project, step.repo.as_ref().map(render).transpose()?)?,
        workflow: render(&step.workflow)?,
        git_ref: match &step.git_ref {
            Some(git_ref) => render(git_ref)?,
            None => default_ref,
        },
        inputs,
        artifacts: step.artifacts.as_ref().map(render).transpose()?,
    })
}

fn resolve_run(step: &DispatchStep, cx: &RunCx<'_>) -> Result<Resolved, StepError> {
    let default_ref = match cx.context_value("ref") {
        Some(recorded) => recorded.to_owned(),
        None => {
            let tag = &cx.plan.tag;
            if !tag.is_empty() && cx.project.repo.tag_exists(tag)? {
                tag.clone()
            } else {
                cx.project
                    .repo
                    .current_branch()?
                    .ok_or_else(|| StepError::new("HEAD is detached: give the dispatch a `ref`"))?
            }
        }
    };
    let mut resolved = resolve(step, cx.project, default_ref, &|template| {
        cx.render(template)
    })?;
    if let Some(recorded) = cx.context_value("ref") {
        resolved.git_ref = recorded.to_owned();
    }
    Ok(resolved)
}

fn marker(cx: &RunCx<'_>) -> Result<Option<DispatchMarker>, StepError> {
    cx.context_value(MARKER)
        .map(|text| {
            serde_json::from_str(text).map_err(|error| {
                StepError::new(format!(
                    "the journal's dispatch marker is unreadable: {error}"
                ))
            })
        })
        .transpose()
}

fn save_marker(cx: &mut RunCx<'_>, marker: &DispatchMarker) -> Result<(), StepError> {
    let text = serde_json::to_string(marker).expect("a dispatch marker serialises");
    cx.set_context(MARKER, text);
    cx.save()
}

fn find_run(
    github: &GitHub,
    repo: &Repo,
    marker: &DispatchMarker,
) -> Result<Option<WorkflowRun>, StepError> {
    github.find_dispatched_run(repo, marker).map_err(|error| {
        failed(
            &format!("cannot look for the run of `{}`", marker.workflow),
            error,
        )
    })
}

/// One look at a run: done when it succeeded, an error when it failed.
fn look(github: &GitHub, repo: &Repo, run_id: u64) -> Result<Poll<WorkflowRun>, StepError> {
    let run = github
        .workflow_run(repo, run_id)
        .map_err(|error| failed(&format!("cannot read run {run_id}"), error))?;
    if !run.is_completed() {
        let status = run.status.clone().unwrap_or_else(|| "queued".to_owned());
        return Ok(Poll::Pending(format!("{} is {status}", run.display_name())));
    }
    match run.conclusion.as_deref() {
        Some("success") => Ok(Poll::Ready(run)),
        conclusion => Err(StepError::new(format!(
            "run {run_id} of `{}` finished as `{}` ({})",
            run.display_name(),
            conclusion.unwrap_or("unknown"),
            run.html_url
        ))
        .with_hint(
            "see the run's logs; re-run it on GitHub, then `relman resume` waits for it again",
        )),
    }
}

fn record_remote(cx: &mut RunCx<'_>, workflow: &str, git_ref: &str, run: &WorkflowRun) {
    cx.push_remote(RemoteEffect {
        description: format!(
            "GitHub Actions run {} of `{workflow}` on `{git_ref}` ({})",
            run.id, run.html_url
        ),
        undo_hint: format!(
            "relman cannot take back what the run did: see {} and undo what it published by hand",
            run.html_url
        ),
        pushed_refs: Vec::new(),
        pushed_at: None,
    });
}

fn finish(cx: &mut RunCx<'_>, workflow: &str, git_ref: &str, run: &WorkflowRun) {
    record_remote(cx, workflow, git_ref, run);
    let conclusion = run.conclusion.clone().unwrap_or_default();
    cx.set_output("run_id", run.id.to_string());
    cx.set_output("run_url", run.html_url.clone());
    cx.set_output("conclusion", conclusion.clone());
    cx.output(&format!("run {} of `{workflow}`: {conclusion}", run.id));
}
