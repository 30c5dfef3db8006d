//! `circleci = "pipeline"`: trigger a CircleCI pipeline on a `branch` or a `tag` with
//! `parameters`, wait for its workflows, and download the artifacts of their jobs into
//! `artifacts`.
//!
//! The project slug is `project`, else `gh/{repo}` of the forge; the token comes from the variable
//! `token-env` names (default `CIRCLE_TOKEN`), the API root from `RELMAN_CIRCLECI_API` (see
//! [`super::client`]). Without `branch` or `tag` the pipeline runs on the current branch.
//!
//! Exactly once: before triggering, the earliest time the pipeline can be dated (the command's
//! start, less two minutes for clocks that disagree) goes to the journal, and the pipeline's id as
//! soon as the trigger answers. A resumed step that has the time but no id looks for an
//! API-triggered pipeline on the same branch or tag since then (`find_triggered`) before
//! triggering again.

use std::time::{Duration, UNIX_EPOCH};

use relman_remote::circleci::{CircleCi, Pipeline, PipelineDone, PipelineTrigger};
use relman_remote::timestamp::format_rfc3339;

use crate::clients::polling::{self, Waited};
use crate::clients::{self as client, failed};
use crate::clients::{ARTIFACTS_DONE, download_artifacts_once, http_effect, note, render_json};
use crate::journal::RemoteEffect;
use crate::kinds::circleci::CircleciStep;
use crate::kinds::{Outcome, PlanCx, Probe, RunCx, StepError, StepInfo};
use crate::plan::Effect;
use crate::template::Template;

/// Clocks disagree: a pipeline CircleCI dates a little before our start is still ours.
const CLOCK_SKEW: Duration = Duration::from_secs(120);

const SINCE: &str = "since";
const PIPELINE: &str = "pipeline_id";

struct Resolved {
    slug: String,
    trigger: PipelineTrigger,
    artifacts: Option<String>,
}

fn resolve(
    step: &CircleciStep,
    project: &crate::project::Project,
    branch: Option<&str>,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let slug = match &step.project {
        Some(slug) => render(slug)?,
        None => match &project.forge {
            Some(forge) => format!("gh/{}", forge.repo),
            None => {
                return Err(StepError::new("the CircleCI project is unknown").with_hint(
                    "add `project = \"gh/owner/name\"` to the step, or a `[forge]` with `repo`",
                ));
            }
        },
    };
    let mut render_value = |template: &Template| render(template);
    let parameters = match render_json(
        &serde_json::Value::Object(step.parameters.clone()),
        &mut render_value,
    )? {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let tag = step.tag.as_ref().map(render).transpose()?;
    let branch = match (&step.branch, &tag) {
        (Some(branch), _) => Some(render(branch)?),
        (None, None) => branch.map(str::to_owned),
        (None, Some(_)) => None,
    };
    Ok(Resolved {
        slug,
        trigger: PipelineTrigger {
            branch,
            tag,
            parameters,
        },
        artifacts: step.artifacts.as_ref().map(render).transpose()?,
    })
}

fn on(trigger: &PipelineTrigger) -> String {
    match (&trigger.tag, &trigger.branch) {
        (Some(tag), _) => format!("tag `{tag}`"),
        (None, Some(branch)) => format!("`{branch}`"),
        (None, None) => "the default branch".to_owned(),
    }
}

pub(crate) fn preview(
    step: &StepInfo<'_>,
    pipeline: &CircleciStep,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let redactor = client::redactor(cx.project, cx.env);
    let branch = cx
        .sim
        .branch
        .clone()
        .or_else(|| cx.variables.get_key("branch").map(str::to_owned));
    let resolved = resolve(pipeline, cx.project, branch.as_deref(), &|template| {
        Ok(cx.render(template))
    })?;
    let circleci = client::circleci(cx.env, &resolved.slug, &pipeline.token_env)?;
    let mut effects = vec![
        http_effect(
            &circleci.render(&circleci.trigger_request(&resolved.trigger)),
            &redactor,
        ),
        Effect::Wait {
            description: format!(
                "for the workflows of the `{}` pipeline on {} to finish ({})",
                resolved.slug,
                on(&resolved.trigger),
                polling::describe(step)
            ),
        },
    ];
    if let Some(dir) = &resolved.artifacts {
        effects.push(note(
            format!("downloads the artifacts of its jobs into `{dir}`"),
            &redactor,
        ));
    }
    if cx.env.var(&pipeline.token_env).is_none() {
        effects.push(note(
            format!(
                "no CircleCI token: set `{}` before running",
                pipeline.token_env
            ),
            &redactor,
        ));
    }
    Ok(effects)
}

fn resolve_run(step: &CircleciStep, cx: &RunCx<'_>) -> Result<(CircleCi, Resolved), StepError> {
    let branch = cx.project.repo.current_branch()?;
    let resolved = resolve(step, cx.project, branch.as_deref(), &|template| {
        cx.render(template)
    })?;
    let circleci = client::circleci(cx.env, &resolved.slug, &step.token_env)?;
    Ok((circleci, resolved))
}

pub(crate) fn execute(
    step: &StepInfo<'_>,
    pipeline_step: &CircleciStep,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let (circleci, resolved) = resolve_run(pipeline_step, cx)?;
    let Resolved {
        slug,
        trigger,
        artifacts,
    } = &resolved;
    let doing = format!(
        "cannot run the CircleCI pipeline of `{slug}` on {}",
        on(trigger)
    );
    let pipeline = match cx.context_value(PIPELINE).map(str::to_owned) {
        Some(id) => circleci
            .pipeline(&id)
            .map_err(|error| failed(&doing, error))?,
        None => {
            let earlier = match cx.context_value(SINCE) {
                // Triggered or not before relman stopped? A pipeline since then says it was.
                Some(since) => circleci
                    .find_triggered(trigger, since)
                    .map_err(|error| failed(&doing, error))?,
                None => {
                    let start = u64::try_from(cx.env.now).unwrap_or(0);
                    let since = UNIX_EPOCH + Duration::from_secs(start) - CLOCK_SKEW;
                    cx.set_context(SINCE, format_rfc3339(since));
                    cx.save()?;
                    None
                }
            };
            let pipeline = match earlier {
                Some(pipeline) => pipeline,
                None => {
                    let pipeline = circleci
                        .trigger(trigger)
                        .map_err(|error| failed(&doing, error))?;
                    cx.output(&format!("triggered pipeline {}", pipeline.number));
                    pipeline
                }
            };
            cx.set_context(PIPELINE, pipeline.id.clone());
            record_remote(cx, &circleci, slug, &pipeline);
            cx.save()?;
            pipeline
        }
    };
    let what = format!("the workflows of pipeline {}", pipeline.number);
    let done = match polling::poll(cx, step, &what, |_| {
        circleci
            .check_pipeline(&pipeline)
            .map_err(|error| failed(&format!("pipeline {} of `{slug}`", pipeline.number), error))
    })? {
        Waited::Ready(done) => done,
        Waited::TimedOut(reason) => return Ok(Outcome::Paused(reason)),
    };
    if let Some(dir) = artifacts {
        download_artifacts_once(cx, dir, |target| {
            circleci
                .download_artifacts(&done.workflows, target)
                .map_err(|error| {
                    failed(
                        &format!(
                            "cannot download the artifacts of pipeline {}",
                            pipeline.number
                        ),
                        error,
                    )
                })
        })?;
    }
    finish(cx, &circleci, slug, &pipeline, &done);
    Ok(Outcome::Done)
}

pub(crate) fn probe(pipeline_step: &CircleciStep, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
    let Some(id) = cx.context_value(PIPELINE).map(str::to_owned) else {
        // `execute` looks for a pipeline triggered before relman stopped.
        return Ok(Probe::NotDone);
    };
    let (circleci, resolved) = resolve_run(pipeline_step, cx)?;
    if resolved.artifacts.is_some() && cx.context_value(ARTIFACTS_DONE) != Some("yes") {
        return Ok(Probe::NotDone);
    }
    let doing = format!("cannot read pipeline `{id}`");
    let pipeline = circleci
        .pipeline(&id)
        .map_err(|error| failed(&doing, error))?;
    match circleci.check_pipeline(&pipeline) {
        Ok(relman_remote::wait::Poll::Ready(done)) => {
            finish(cx, &circleci, &resolved.slug, &pipeline, &done);
            Ok(Probe::Done)
        }
        // Still running, or failed: `execute` waits for it, or says how it failed.
        Ok(relman_remote::wait::Poll::Pending(_)) | Err(_) => Ok(Probe::NotDone),
    }
}

fn pipeline_url(circleci: &CircleCi, pipeline: &Pipeline) -> String {
    circleci
        .pipeline_url(pipeline)
        .unwrap_or_else(|| format!("pipeline {} ({})", pipeline.number, pipeline.id))
}

fn record_remote(cx: &mut RunCx<'_>, circleci: &CircleCi, slug: &str, pipeline: &Pipeline) {
    cx.push_remote(RemoteEffect {
        description: format!(
            "CircleCI pipeline {} of `{slug}` ({})",
            pipeline.number,
            pipeline_url(circleci, pipeline)
        ),
        undo_hint: "relman cannot take back what the pipeline did: undo what it published by hand"
            .to_owned(),
        pushed_refs: Vec::new(),
    });
}

fn finish(
    cx: &mut RunCx<'_>,
    circleci: &CircleCi,
    slug: &str,
    pipeline: &Pipeline,
    done: &PipelineDone,
) {
    record_remote(cx, circleci, slug, pipeline);
    let workflows: Vec<String> = done
        .workflows
        .iter()
        .map(|workflow| format!("{} {}", workflow.name, workflow.status))
        .collect();
    cx.output(&format!(
        "pipeline {}: {}",
        pipeline.number,
        workflows.join(", ")
    ));
    cx.set_output("pipeline_id", pipeline.id.clone());
    cx.set_output("pipeline_number", pipeline.number.to_string());
    cx.set_output("pipeline_url", pipeline_url(circleci, pipeline));
}
