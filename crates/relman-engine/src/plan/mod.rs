//! Planning: a pure function of the config, the repository, the arguments and the environment.
//! It resolves the version and every variable, evaluates conditions, runs the read-only checks
//! that come before the first change, and describes each step's effect (diffs of files, argv of
//! commands, git operations, HTTP requests with secrets masked). It writes nothing: no file, no
//! git object or ref, no journal.
//!
//! `relman plan` prints a [`Plan`]; `relman run` freezes its [`FrozenPlan`] into the journal and
//! executes that, so what was shown is what runs.

mod basis;
mod checkouts;
mod condition;
pub(crate) mod confine;
mod dependents;
mod needs;
mod packages;
mod variables;

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::core::{Effect, PlanInputs, Simulation, unified_diff};
pub use crate::journal::FrozenPlan;
pub use basis::Basis;
pub use condition::{Condition, evaluate, evaluate_now};
pub use needs::{Problem, verify, workflow_problems};
pub(crate) use variables::reads_changelog;
pub use variables::{condition_context as variables_context, version_variables};

use crate::config::Workflow;
use crate::environment::Environment;
use crate::kinds::{StepDef, StepError};
use crate::project::Project;
use crate::template::Variables;

/// A plan, ready to show or run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub frozen: FrozenPlan,
    pub steps: Vec<PlannedStep>,
    /// The version before this release.
    pub current_version: String,
    /// Set when there is nothing to release: the workflow stops with exit 0.
    pub nothing_to_release: Option<String>,
    pub warnings: Vec<String>,
    /// The repository as the plan saw it, compared again under the lock before it runs.
    pub basis: Basis,
}

impl Plan {
    /// Whether a check that ran at plan time failed: the release cannot start.
    pub fn failed_checks(&self) -> Vec<&PlannedStep> {
        self.steps
            .iter()
            .filter(|step| {
                step.effects.iter().any(|effect| {
                    matches!(
                        effect,
                        Effect::Check {
                            passed: Some(false),
                            ..
                        }
                    )
                })
            })
            .collect()
    }
}

/// One step as the plan shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedStep {
    pub number: usize,
    pub title: String,
    pub kind: &'static str,
    /// Why the step will not run.
    pub skipped: Option<String>,
    pub effects: Vec<Effect>,
}

/// What a plan is asked for.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    pub workflow: String,
    /// Positional arguments, in the order the workflow declares them.
    pub args: Vec<String>,
    /// `--pre LABEL`.
    pub pre_label: Option<String>,
}

/// Why a plan could not be made. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("there is no workflow `{name}`{suggestion}")]
    UnknownWorkflow {
        name: String,
        suggestion: crate::template::Suggestion,
        available: Vec<String>,
    },
    #[error("workflow `{workflow}` takes {expected}, but {given} were given")]
    TooManyArgs {
        workflow: String,
        expected: String,
        given: usize,
    },
    #[error("workflow `{workflow}` needs the argument `{name}`")]
    MissingArg {
        workflow: String,
        name: String,
        usage: String,
    },
    #[error(transparent)]
    Project(Box<crate::project::ProjectError>),
    #[error("step {number} ({title}): {error}")]
    Step {
        /// The step's number in the plan (a step run once per package counts once for each).
        number: usize,
        /// The line of its `[[workflow.NAME.step]]` in relman.toml, which names the step of the
        /// config whichever package it was planned for.
        line: usize,
        title: String,
        error: Box<StepError>,
    },
    /// What the workflow needs that is not here, or what is wrong with it: found before any
    /// step runs.
    #[error("workflow `{workflow}` cannot run here:{}", problems.iter().map(|problem| format!("\n  - {problem}")).collect::<String>())]
    Problems {
        workflow: String,
        problems: Vec<Problem>,
    },
}

impl From<crate::project::ProjectError> for PlanError {
    fn from(error: crate::project::ProjectError) -> Self {
        PlanError::Project(Box::new(error))
    }
}

impl PlanError {
    pub fn hint(&self) -> Option<String> {
        match self {
            PlanError::UnknownWorkflow { available, .. } => {
                Some(format!("workflows: {}", available.join(", ")))
            }
            PlanError::TooManyArgs { workflow, .. } | PlanError::MissingArg { workflow, .. } => {
                Some(format!(
                    "`relman plan {workflow}` shows what it does; `relman docs` lists its arguments"
                ))
            }
            PlanError::Project(error) => error.hint(),
            PlanError::Step { error, .. } => error.hint.clone(),
            PlanError::Problems { .. } => {
                Some("nothing was run; `relman check` finds the same for every workflow".to_owned())
            }
        }
    }
}

/// Plans `request` on `project`.
pub fn plan(
    project: &Project,
    config: &crate::config::Config,
    env: &Environment,
    request: &PlanRequest,
) -> Result<Plan, PlanError> {
    plan_packages(project, config, env, request, &[])
}

/// Plans `request` on `project`; in a repository of several packages, for the packages named
/// in `selection` (`-p`), or, when it is empty, for every package with something to release.
pub fn plan_packages(
    project: &Project,
    config: &crate::config::Config,
    env: &Environment,
    request: &PlanRequest,
    selection: &[String],
) -> Result<Plan, PlanError> {
    let workflow = config.workflow(&request.workflow).ok_or_else(|| {
        let available = config.workflow_names();
        PlanError::UnknownWorkflow {
            name: request.workflow.clone(),
            suggestion: crate::template::Suggestion::closest(
                &request.workflow,
                available.iter().map(String::as_str),
            ),
            available,
        }
    })?;
    let problems = workflow_problems(&workflow);
    if !problems.is_empty() {
        return Err(PlanError::Problems {
            workflow: workflow.name.clone(),
            problems,
        });
    }
    let args = bind_args(&workflow, &request.args)?;
    if project.has_packages() {
        return packages::plan(project, env, request, &workflow, &args, selection);
    }
    let inputs = PlanInputs::gather(
        project,
        config,
        env,
        &workflow,
        &args,
        request.pre_label.as_deref(),
    )?;
    let mut planned = Vec::with_capacity(workflow.steps.len());
    let mut planner = StepPlanner::new(project, env, &workflow.steps);
    let variables = variables::plan_variables(project, &inputs);
    let version = inputs.version.clone();
    for step in &workflow.steps {
        let title = step_title(step, &variables);
        let scope = StepScope {
            project,
            env,
            variables: &variables,
            inputs: &inputs,
            version: version.as_ref(),
        };
        if let Some(planned_step) = planner.plan_step(step, title, &scope)? {
            planned.push(planned_step);
        }
    }
    let skipped = planner.finish(&workflow)?;
    let frozen = FrozenPlan {
        workflow: workflow.name.clone(),
        args,
        version: inputs
            .version
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        tag: variables.get_key("tag").unwrap_or_default().to_owned(),
        variables,
        steps: workflow.steps.clone(),
        bumps: inputs
            .bumps
            .iter()
            .map(|(number, (_, to))| (*number, to.to_string()))
            .collect(),
        skipped,
        packages: Vec::new(),
        package_steps: BTreeMap::new(),
    };
    Ok(Plan {
        frozen,
        steps: planned,
        current_version: inputs.current.version.to_string(),
        nothing_to_release: inputs.nothing_to_release.clone(),
        warnings: inputs.warnings.clone(),
        basis: Basis::read(&project.repo),
    })
}

/// What one step is planned with: the project (a package of several, for a step that runs once
/// per package), its variables and facts.
pub(crate) struct StepScope<'a> {
    pub project: &'a Project,
    pub env: &'a Environment,
    pub variables: &'a Variables,
    pub inputs: &'a PlanInputs,
    /// The version released (for `is_prerelease`).
    pub version: Option<&'a relman_version::version::Version>,
}

/// What planning the steps of a workflow carries from one step to the next: what earlier steps
/// change here and in other checkouts, the steps skipped, and what steps need that this machine
/// lacks (every step is checked before the plan fails, so one error names them all).
pub(crate) struct StepPlanner<'a> {
    sim: Simulation,
    skipped: BTreeMap<usize, String>,
    checkouts: checkouts::Checkouts,
    checker: needs::Needs<'a>,
    problems: Vec<Problem>,
    /// What each step of the workflow needs, by step number (`check = "credentials"` looks).
    needs: Vec<(usize, crate::core::Need)>,
}

impl<'a> StepPlanner<'a> {
    /// A planner for the steps of a release of `project` (the whole repository: its forge and
    /// signing key serve every package).
    pub fn new(project: &'a Project, env: &'a Environment, steps: &[StepDef]) -> Self {
        let needs = steps
            .iter()
            .flat_map(|step| {
                step.kind
                    .needs()
                    .into_iter()
                    .map(|need| (step.number, need))
            })
            .collect();
        StepPlanner {
            needs,
            sim: Simulation::default(),
            skipped: BTreeMap::new(),
            checkouts: checkouts::Checkouts::default(),
            checker: needs::Needs::new(project, env),
            problems: Vec::new(),
        }
    }

    /// Plans one step: skipped (nothing to release, an `if` that is false, nothing to do), or
    /// its effects, with what it changes recorded; `None` when it needs what is not here (the
    /// problems are kept for [`finish`](Self::finish)).
    pub fn plan_step(
        &mut self,
        step: &StepDef,
        title: String,
        scope: &StepScope<'_>,
    ) -> Result<Option<PlannedStep>, PlanError> {
        let StepScope {
            project,
            env,
            variables,
            inputs,
            version,
        } = *scope;
        // Nothing to release: no step runs, so none is previewed (a check such as
        // `tag-available` would fail on the current version and blame the wrong thing).
        if let Some(reason) = &inputs.nothing_to_release {
            return Ok(Some(PlannedStep {
                number: step.number,
                title,
                kind: step.kind.key(),
                skipped: Some(reason.clone()),
                effects: Vec::new(),
            }));
        }
        let condition = match &step.condition {
            Some(source) => {
                let context = variables::condition_context(project, env, variables, version);
                evaluate(source, &context).map_err(|error| PlanError::Step {
                    number: step.number,
                    line: step.line,
                    title: title.clone(),
                    error: Box::new(error),
                })?
            }
            None => Condition::True,
        };
        if let Condition::False = condition {
            let reason = format!(
                "`if = \"{}\"` is false",
                step.condition.as_deref().unwrap_or_default()
            );
            self.skipped.insert(step.number, reason.clone());
            return Ok(Some(PlannedStep {
                number: step.number,
                title,
                kind: step.kind.key(),
                skipped: Some(reason),
                effects: Vec::new(),
            }));
        }
        // A step that would do nothing here (a commit with nothing to commit, a publish to npm
        // for a crate) is left out.
        if let Some(reason) = step.kind.not_for(project).or_else(|| {
            (step.dir.is_none() && matches!(condition, Condition::True))
                .then(|| step.kind.nothing_to_do(&self.sim))
                .flatten()
        }) {
            self.skipped.insert(step.number, reason.clone());
            return Ok(Some(PlannedStep {
                number: step.number,
                title,
                kind: step.kind.key(),
                skipped: Some(reason),
                effects: Vec::new(),
            }));
        }
        // What it needs is proven before any step runs; its effects are not worth showing
        // without it.
        let mut unmet: Vec<Problem> = self
            .checker
            .unmet(step, &|template| template.render_partial(variables))
            .into_iter()
            .map(|unmet| unmet.into_problem(step.number, &title))
            .collect();
        unmet.extend(confine::step_problems(project, step, &title, &|template| {
            template.render_partial(variables)
        }));
        if inputs.dev_version.is_none() && needs::uses_variable(step, "dev_version") {
            unmet.push(needs::dev_version_problem(step.number, title.clone()));
        }
        if !project.has_packages() {
            unmet.extend(needs::package_variable_problems(step, &title));
        }
        if !unmet.is_empty() {
            self.problems.extend(unmet);
            return Ok(None);
        }
        let spec = step.kind.spec();
        let mut effects = {
            // A step in another checkout sees that checkout's branch and what changes there.
            let (variables, sim, checkout) = match &step.dir {
                Some(dir) => {
                    let (variables, sim, checkout) = self.checkouts.enter(project, variables, dir);
                    (std::borrow::Cow::Owned(variables), sim, checkout)
                }
                None => (std::borrow::Cow::Borrowed(variables), &mut self.sim, None),
            };
            if !spec.plans_its_files {
                sim.untracked_changes = true;
            }
            let mut cx = crate::kinds::PlanCx {
                project,
                env,
                variables: &variables,
                inputs,
                sim,
                checkout,
                needs: &self.needs,
            };
            let effects =
                crate::kinds::preview(step, &mut cx).map_err(|error| PlanError::Step {
                    number: step.number,
                    line: step.line,
                    title: title.clone(),
                    error: Box::new(error),
                })?;
            // What a commit staged is committed: a later commit there stages only what changes
            // after it (the next development version after the release commit).
            if spec.commits {
                cx.sim.changed_files.clear();
            }
            effects
        };
        if reads_changelog(&step.kind)
            && let Some(changelog) = &inputs.changelog
        {
            effects.push(Effect::Note {
                text: format!(
                    "`{{changelog}}` is read again from {} when this step runs: edits made before then (in $EDITOR, by a person or a `run` step) are what it uses",
                    project.display_path(&changelog.file).display()
                ),
            });
        }
        // Which login a publish uses (a token, a config file, cargo's): the plan says it.
        for line in self
            .checker
            .located(step, &|template| template.render_partial(variables))
        {
            effects.push(Effect::Note {
                text: format!("credential: {line}"),
            });
        }
        if let Condition::AtRunTime = condition {
            effects.insert(
                0,
                Effect::Note {
                    text: format!(
                        "runs only if `{}` holds when its turn comes",
                        step.condition.as_deref().unwrap_or_default()
                    ),
                },
            );
        }
        if !spec.read_only {
            self.sim.changed_anything = true;
        }
        Ok(Some(PlannedStep {
            number: step.number,
            title,
            kind: step.kind.key(),
            skipped: None,
            effects,
        }))
    }

    /// The steps skipped, or every problem found when some step needs what is not here.
    pub fn finish(self, workflow: &Workflow) -> Result<BTreeMap<usize, String>, PlanError> {
        if self.problems.is_empty() {
            Ok(self.skipped)
        } else {
            Err(PlanError::Problems {
                workflow: workflow.name.clone(),
                problems: self.problems,
            })
        }
    }
}

/// The step's title: its `name`, or what it does.
pub fn step_title(step: &StepDef, variables: &Variables) -> String {
    if let Some(name) = &step.name {
        // Placeholders known now are filled; the others stay as written. URL passwords are
        // masked, as in the titles steps describe themselves with.
        return match crate::template::Template::parse(name) {
            Ok(template) => {
                relman_remote::Redactor::new().redact(&template.render_partial(variables))
            }
            Err(_) => name.clone(),
        };
    }
    crate::kinds::describe(&step.kind, variables)
}

fn bind_args(workflow: &Workflow, given: &[String]) -> Result<BTreeMap<String, String>, PlanError> {
    if given.len() > workflow.args.len() {
        let expected = match workflow.args.len() {
            0 => "no arguments".to_owned(),
            1 => format!("1 argument (`{}`)", workflow.args[0].name),
            count => format!(
                "{count} arguments ({})",
                workflow
                    .args
                    .iter()
                    .map(|arg| format!("`{}`", arg.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(PlanError::TooManyArgs {
            workflow: workflow.name.clone(),
            expected,
            given: given.len(),
        });
    }
    let mut bound = BTreeMap::new();
    for (index, arg) in workflow.args.iter().enumerate() {
        let value = match (given.get(index), &arg.default) {
            (Some(value), _) => value.clone(),
            (None, Some(default)) => default.clone(),
            (None, None) => {
                let usage = workflow
                    .args
                    .iter()
                    .map(|arg| format!("<{}>", arg.name))
                    .collect::<Vec<_>>()
                    .join(" ");
                return Err(PlanError::MissingArg {
                    workflow: workflow.name.clone(),
                    name: arg.name.clone(),
                    usage,
                });
            }
        };
        bound.insert(arg.name.clone(), value);
    }
    Ok(bound)
}
