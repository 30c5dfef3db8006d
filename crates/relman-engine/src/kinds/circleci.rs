//! `circleci = "pipeline"`: trigger a CircleCI pipeline on a `branch` or a `tag` with
//! `parameters`, wait for its workflows, and download the artifacts of their jobs into
//! `artifacts`.
//!
//! The project slug is `project`, else `gh/{repo}` of the forge; the token comes from the variable
//! `token-env` names (default `CIRCLE_TOKEN`), the API root from `RELMAN_CIRCLECI_API` (see
//! `crate::clients`). Without `branch` or `tag` the pipeline runs on the current branch.
//!
//! Exactly once: before triggering, the earliest time the pipeline can be dated (the command's
//! start, less two minutes for clocks that disagree) goes to the journal, and the pipeline's id as
//! soon as the trigger answers. A resumed step that has the time but no id looks for an
//! API-triggered pipeline on the same branch or tag since then (`find_triggered`) before
//! triggering again.

use std::time::{Duration, UNIX_EPOCH};

use relman_remote::circleci::{CircleCi, Pipeline, PipelineDone, PipelineTrigger};
use relman_remote::timestamp::format_rfc3339;
use serde::{Deserialize, Serialize};

use crate::clients::polling::{self, Waited};
use crate::clients::{
    self, ARTIFACTS_DONE, download_artifacts_once, failed, http_effect, note, render_json,
};
use crate::core::explain::{ExplainCx, Explained, PAUSES, join, show_code};
use crate::core::options::{INTERVAL, OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::template::{Template, Variables};

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

impl Kind for CircleciStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["artifacts"],
        values: &["pipeline"],
        options: &[
            OptionSpec::string("branch"),
            OptionSpec::string("tag"),
            OptionSpec::new("parameters", OptionType::Table),
            OptionSpec::string("artifacts"),
            OptionSpec::string("project"),
            OptionSpec::string("token-env"),
            INTERVAL,
        ],
        outputs: &["pipeline_id", "pipeline_number", "pipeline_url"],
        ..KindSpec::new(
            "circleci",
            "trigger a CircleCI pipeline and wait for its workflows",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("circleci").ok_or(Reported)?;
        options.one_of(&value, "circleci", &["pipeline"])?;
        if options.has("branch") && options.has("tag") {
            return Err(options.error(
                options.whole(),
                "a `circleci` pipeline runs on a `branch` or a `tag`, not both",
            ));
        }
        let parameters = match options.json("parameters")? {
            Some(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        Ok(CircleciStep {
            branch: options.template("branch")?,
            tag: options.template("tag")?,
            parameters,
            artifacts: options.template("artifacts")?,
            project: options.template("project")?,
            token_env: options
                .env_name("token-env")?
                .unwrap_or_else(|| "CIRCLE_TOKEN".to_owned()),
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Env {
            name: self.token_env.clone(),
            holds: "the CircleCI token",
        }]
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .opt("branch", &self.branch)
            .opt("tag", &self.tag)
            .opt("artifacts", &self.artifacts)
            .opt("project", &self.project)
            .list()
    }

    fn json_values(&self) -> Vec<&serde_json::Value> {
        self.parameters.values().collect()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        match (&self.branch, &self.tag) {
            (_, Some(tag)) => format!("run a CircleCI pipeline on tag {}", render(tag)),
            (Some(branch), None) => format!("run a CircleCI pipeline on {}", render(branch)),
            (None, None) => "run a CircleCI pipeline".to_owned(),
        }
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let on = match (&self.branch, &self.tag) {
            (Some(branch), _) => format!(" on the branch {}", show_code(branch)),
            (None, Some(tag)) => format!(" on the tag {}", show_code(tag)),
            (None, None) => String::new(),
        };
        let mut explained = Explained::new(format!(
            "Trigger a CircleCI pipeline{on} and wait for its workflows."
        ));
        if !self.parameters.is_empty() {
            let parameters: Vec<String> = self
                .parameters
                .iter()
                .map(|(name, value)| format!("`{name} = {value}`"))
                .collect();
            explained = explained.detail(format!("Parameters: {}.", join(&parameters)));
        }
        if let Some(project) = &self.project {
            explained = explained.detail(format!("The project is {}.", show_code(project)));
        }
        if let Some(artifacts) = &self.artifacts {
            explained = explained.detail(format!(
                "Its artifacts are downloaded into {}.",
                show_code(artifacts)
            ));
        }
        explained
            .detail(format!("The token is read from `{}`.", self.token_env))
            .detail(PAUSES)
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let redactor = clients::redactor(cx.project, cx.env);
        let branch = cx
            .sim
            .branch
            .clone()
            .or_else(|| cx.variables.get_key("branch").map(str::to_owned));
        let resolved = resolve(self, cx.project, branch.as_deref(), &|template| {
            Ok(cx.render(template))
        })?;
        let circleci = clients::circleci(cx.env, &resolved.slug, &self.token_env)?;
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
        if cx.env.var(&self.token_env).is_none() {
            effects.push(note(
                format!("no CircleCI token: set `{}` before running", self.token_env),
                &redactor,
            ));
        }
        Ok(effects)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let (circleci, resolved) = resolve_run(self, cx)?;
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
            circleci.check_pipeline(&pipeline).map_err(|error| {
                failed(&format!("pipeline {} of `{slug}`", pipeline.number), error)
            })
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

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let Some(id) = cx.context_value(PIPELINE).map(str::to_owned) else {
            // `execute` looks for a pipeline triggered before relman stopped.
            return Ok(Probe::NotDone);
        };
        let (circleci, resolved) = resolve_run(self, cx)?;
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
}

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

fn resolve_run(step: &CircleciStep, cx: &RunCx<'_>) -> Result<(CircleCi, Resolved), StepError> {
    let branch = cx.project.repo.current_branch()?;
    let resolved = resolve(step, cx.project, branch.as_deref(), &|template| {
        cx.render(template)
    })?;
    let circleci = clients::circleci(cx.env, &resolved.slug, &step.token_env)?;
    Ok((circleci, resolved))
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
        pushed_at: None,
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
