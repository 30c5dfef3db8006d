//! Planning: a pure function of the config, the repository, the arguments and the environment.
//! It resolves the version and every variable, evaluates conditions, runs the read-only checks
//! that come before the first change, and describes each step's effect (diffs of files, argv of
//! commands, git operations, HTTP requests with secrets masked). It writes nothing: no file, no
//! git object or ref, no journal.
//!
//! `relman plan` prints a [`Plan`]; `relman run` freezes its [`FrozenPlan`] into the journal and
//! executes that, so what was shown is what runs.

mod basis;
mod condition;
mod diff;
mod variables;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use basis::Basis;
pub use condition::{Condition, evaluate, evaluate_now};
pub use diff::unified_diff;
pub use variables::{PlanInputs, condition_context as variables_context, version_variables};

use crate::config::Workflow;
use crate::environment::Environment;
use crate::project::Project;
use crate::steps::{StepDef, StepError, StepKind};
use crate::template::Variables;

/// What `run` freezes into the journal: enough to execute and resume without re-planning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenPlan {
    pub workflow: String,
    pub args: BTreeMap<String, String>,
    /// The release's version; empty when the workflow releases nothing (`auto` found nothing).
    pub version: String,
    pub tag: String,
    /// Plan-time variables (never environment values: those are read again when a step runs).
    pub variables: Variables,
    pub steps: Vec<StepDef>,
    /// The version each `bump` step writes, by step number.
    pub bumps: BTreeMap<usize, String>,
    /// Steps whose `if` was false at plan time, with the reason.
    pub skipped: BTreeMap<usize, String>,
}

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

/// One effect of a step, described before it happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "effect", rename_all = "kebab-case")]
pub enum Effect {
    /// A file changes (or is created): a unified diff.
    File { path: PathBuf, diff: String },
    /// A file is removed.
    Remove { path: PathBuf },
    /// A command runs (argv, or a shell line).
    Command {
        argv: Vec<String>,
        cwd: Option<PathBuf>,
        shell: bool,
    },
    /// A git operation, as the command that performs it.
    Git {
        description: String,
        command: String,
    },
    /// An HTTP request (secrets masked).
    Http {
        method: String,
        url: String,
        body: Option<String>,
    },
    /// A check; `passed` is `None` when it can only run when its turn comes.
    Check {
        description: String,
        passed: Option<bool>,
        detail: Option<String>,
    },
    /// Waiting for something outside.
    Wait { description: String },
    /// Something a person does.
    Manual {
        text: String,
        checklist: Vec<String>,
    },
    /// Anything else worth saying.
    Note { text: String },
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
        number: usize,
        title: String,
        error: Box<StepError>,
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
    let args = bind_args(&workflow, &request.args)?;
    let inputs = PlanInputs::gather(
        project,
        config,
        env,
        &workflow,
        &args,
        request.pre_label.as_deref(),
    )?;
    let mut builder = variables::Builder::new(project, env, &inputs);
    let mut planned = Vec::with_capacity(workflow.steps.len());
    let mut skipped = BTreeMap::new();
    let mut sim = Simulation::default();
    let variables = builder.variables().clone();
    for step in &workflow.steps {
        let title = step_title(step, &variables);
        let condition = match &step.condition {
            Some(source) => {
                evaluate(source, &builder.condition_context(&args)).map_err(|error| {
                    PlanError::Step {
                        number: step.number,
                        title: title.clone(),
                        error: Box::new(error),
                    }
                })?
            }
            None => Condition::True,
        };
        if let Condition::False = condition {
            let reason = format!(
                "`if = \"{}\"` is false",
                step.condition.as_deref().unwrap_or_default()
            );
            skipped.insert(step.number, reason.clone());
            planned.push(PlannedStep {
                number: step.number,
                title,
                kind: step.kind.key(),
                skipped: Some(reason),
                effects: Vec::new(),
            });
            continue;
        }
        let mut cx = crate::steps::PlanCx {
            project,
            env,
            variables: &variables,
            inputs: &inputs,
            sim: &mut sim,
        };
        let mut effects =
            crate::steps::preview(step, &mut cx).map_err(|error| PlanError::Step {
                number: step.number,
                title: title.clone(),
                error: Box::new(error),
            })?;
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
        if !matches!(step.kind, StepKind::Check(_)) {
            sim.changed_anything = true;
        }
        if matches!(step.kind, StepKind::Tag(_)) {
            sim.tagged = true;
        }
        // What a commit in the project staged is committed: a later commit stages only what
        // changes after it (the next development version after the release commit).
        if matches!(step.kind, StepKind::Commit(_)) && step.dir.is_none() {
            sim.changed_files.clear();
        }
        planned.push(PlannedStep {
            number: step.number,
            title,
            kind: step.kind.key(),
            skipped: None,
            effects,
        });
    }
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

/// What the plan has simulated so far: the steps before this one, as if they had run.
#[derive(Debug, Default)]
pub struct Simulation {
    /// Whether a step that changes something comes before (later checks then run at run time).
    pub changed_anything: bool,
    /// Files earlier steps change or remove, relative to the work tree (what `commit` stages).
    pub changed_files: Vec<PathBuf>,
    /// Whether a commit comes before (the tag then points at it).
    pub committed: bool,
    /// Whether a `tag` step comes before (a `dispatch` then runs on the tag).
    pub tagged: bool,
    /// The branch checked out at this point, when a step switched.
    pub branch: Option<String>,
    /// Copies of the version files as earlier steps leave them, so a later `bump` shows a diff
    /// against what will really be there. Outside the repository: planning writes nothing in it.
    overlay: Option<tempfile::TempDir>,
}

impl Simulation {
    /// Where the version files are read from at this point of the plan.
    pub fn overlay_root(&self, project: &Project) -> Result<PathBuf, StepError> {
        Ok(self
            .overlay
            .as_ref()
            .map_or_else(|| project.root.clone(), |dir| dir.path().to_owned()))
    }

    /// Records a version file's content after an earlier step, in the overlay.
    pub fn overlay_write(
        &mut self,
        project: &Project,
        path: &std::path::Path,
        bytes: &[u8],
    ) -> Result<(), StepError> {
        let io = |error: std::io::Error| {
            StepError::new(format!("cannot prepare the plan's scratch copy: {error}"))
        };
        if self.overlay.is_none() {
            let dir = tempfile::tempdir().map_err(io)?;
            for spec in &project.version_files {
                let relative = spec.path();
                let mut copies = vec![relative.to_owned()];
                if relative
                    .file_name()
                    .is_some_and(|name| name == "package.json")
                {
                    let parent = relative.parent().unwrap_or(std::path::Path::new(""));
                    copies.push(parent.join("package-lock.json"));
                    copies.push(parent.join("npm-shrinkwrap.json"));
                }
                for copy in copies {
                    let source = project.root.join(&copy);
                    if source.is_file() {
                        let target = dir.path().join(&copy);
                        if let Some(parent) = target.parent() {
                            fs_err::create_dir_all(parent).map_err(io)?;
                        }
                        fs_err::copy(&source, &target).map_err(io)?;
                    }
                }
            }
            self.overlay = Some(dir);
        }
        let dir = self.overlay.as_ref().expect("the overlay was just created");
        fs_err::write(dir.path().join(path), bytes).map_err(io)
    }

    pub fn touch(&mut self, path: PathBuf) {
        if !self.changed_files.contains(&path) {
            self.changed_files.push(path);
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
    crate::steps::describe(&step.kind, variables)
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
