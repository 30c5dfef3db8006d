//! What `plan` proves before any effect, and `relman check` says the same of every workflow:
//! each step that will run has what it needs on this machine (the forge, its token, every
//! `{env.NAME}` and variable its kind names, a key git can sign with), each `if` is a boolean
//! expression, and `{dev_version}` has a later `bump` to come from. A [`Problem`] names the step
//! and the missing thing; nothing is run to find it (the signing key signs test data outside the
//! repository).

use std::collections::BTreeSet;

use crate::clients::signing;
use crate::config::Workflow;
use crate::core::{CredentialCx, Need};
use crate::environment::Environment;
use crate::kinds::StepDef;
use crate::project::Project;
use crate::template::{Placeholder, Template};

/// One thing a workflow needs that is not there, or one thing wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub number: usize,
    pub title: String,
    pub message: String,
    pub hint: Option<String>,
    /// What this machine lacks (a variable, a token, a signing key), rather than what the
    /// config says: another machine may have it.
    pub machine: bool,
}

/// A need that is not met: what is missing, how to get it, and whether it is the machine's.
pub(crate) struct Unmet {
    pub message: String,
    pub hint: Option<String>,
    pub machine: bool,
}

impl Unmet {
    fn machine(message: String, hint: String) -> Unmet {
        Unmet {
            message,
            hint: Some(hint),
            machine: true,
        }
    }

    pub fn into_problem(self, number: usize, title: &str) -> Problem {
        Problem {
            number,
            title: title.to_owned(),
            message: self.message,
            hint: self.hint,
            machine: self.machine,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "step {} ({}): {}", self.number, self.title, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, ": {hint}")?;
        }
        Ok(())
    }
}

/// Checks the needs of steps against this machine; a signing key is tried once.
pub(crate) struct Needs<'a> {
    project: &'a Project,
    env: &'a Environment,
    signing: Option<Option<String>>,
}

impl<'a> Needs<'a> {
    pub fn new(project: &'a Project, env: &'a Environment) -> Self {
        Needs {
            project,
            env,
            signing: None,
        }
    }

    /// What `step` needs that is missing (`render` gives its templates' values as far as they
    /// are known).
    pub fn unmet(&mut self, step: &StepDef, render: &dyn Fn(&Template) -> String) -> Vec<Unmet> {
        let mut unmet = Vec::new();
        for name in env_placeholders(step) {
            if self.env.var(&name).is_none() {
                unmet.push(Unmet::machine(
                    format!("`{name}` is not set (the step uses `{{env.{name}}}`)"),
                    format!("set `{name}` before running"),
                ));
            }
        }
        for need in step.kind.needs() {
            match &need {
                // What only the service can judge is `check = "credentials"`'s; the variables
                // nothing can stand in for are proven here.
                Need::Credential(login) => {
                    for (name, holds) in login.required() {
                        let env = Need::Env { name, holds };
                        unmet.extend(self.missing(&env));
                    }
                    if let Some(Err(missing)) = login.locate(&self.credential_cx(render)) {
                        unmet.push(Unmet::machine(missing.problem, missing.hint));
                    }
                }
                need => unmet.extend(self.missing(need)),
            }
        }
        unmet
    }

    /// Which credential each login of `step` will use, as this machine has them (a line each).
    pub fn located(&self, step: &StepDef, render: &dyn Fn(&Template) -> String) -> Vec<String> {
        let cx = self.credential_cx(render);
        step.kind
            .needs()
            .iter()
            .filter_map(|need| match need {
                Need::Credential(login) => login.locate(&cx)?.ok(),
                _ => None,
            })
            .collect()
    }

    fn credential_cx<'r>(&self, render: &'r dyn Fn(&Template) -> String) -> CredentialCx<'r>
    where
        'a: 'r,
    {
        CredentialCx {
            project: self.project,
            env: self.env,
            render,
        }
    }

    fn missing(&mut self, need: &Need) -> Option<Unmet> {
        match need {
            Need::Forge => self.project.forge.is_none().then(|| Unmet {
                message: "this step talks to GitHub, but the project has no forge".to_owned(),
                hint: Some("add `[forge]` with `repo = \"owner/name\"` to relman.toml (relman found no GitHub remote to take it from)".to_owned()),
                machine: false,
            }),
            Need::ForgeToken { .. } => {
                let forge = self.project.forge.as_ref()?;
                forge.token(self.env).is_none().then(|| {
                    let names: Vec<String> =
                        forge.token_env.iter().map(|name| format!("`{name}`")).collect();
                    Unmet::machine(
                        format!("no forge token: {} is not set", names.join(" or ")),
                        format!("set {} to a GitHub token before running", names.join(" or ")),
                    )
                })
            }
            Need::Env { name, holds } => self.env.var(name).is_none().then(|| {
                Unmet::machine(
                    format!("`{name}` is not set ({holds})"),
                    format!("set `{name}` before running"),
                )
            }),
            Need::Credential(_) => None,
            Need::Signing { forced, config } => {
                if !forced && !signing::config_true(&self.project.repo, config) {
                    return None;
                }
                let project = self.project;
                let env = self.env;
                let problem = self
                    .signing
                    .get_or_insert_with(|| signing::signing_problem(&project.repo, env));
                problem.clone().map(|problem| {
                    let why = if *forced {
                        "the step signs".to_owned()
                    } else {
                        format!("git's `{config}` asks for a signature")
                    };
                    Unmet::machine(
                        format!("{why}, but git cannot sign here: {problem}"),
                        "set `user.signingkey` (and `gpg.format` for SSH keys) to a key that signs without a prompt (unlock it in its agent first), or `sign = false`".to_owned(),
                    )
                })
            }
        }
    }
}

/// The environment variables a step's templates use as `{env.NAME}`.
fn env_placeholders(step: &StepDef) -> BTreeSet<String> {
    let mut templates: Vec<Template> = step
        .kind
        .templates()
        .into_iter()
        .map(|(_, template)| template.clone())
        .collect();
    templates.extend(step.kind.json_templates());
    templates.extend(step.dir.iter().cloned());
    templates.extend(step.clone.iter().cloned());
    templates
        .iter()
        .flat_map(|template| template.placeholders().cloned().collect::<Vec<_>>())
        .filter_map(|placeholder| match placeholder {
            Placeholder::Env(name) => Some(name),
            _ => None,
        })
        .collect()
}

/// Whether a step's templates or its `if` use the variable `name`.
pub(super) fn uses_variable(step: &StepDef, name: &str) -> bool {
    let in_templates = step
        .kind
        .templates()
        .iter()
        .map(|(_, template)| *template)
        .chain(step.kind.json_templates().iter())
        .any(|template| {
            template
                .placeholders()
                .any(|placeholder| matches!(placeholder, Placeholder::Variable(variable) if variable == name))
        });
    in_templates
        || step
            .condition
            .as_deref()
            .is_some_and(|source| super::condition::mentions(source, name))
}

/// What is wrong with `workflow` whatever the version and the arguments: an `if` that is not a
/// boolean expression, `{dev_version}` with no later `bump` to come from.
pub fn workflow_problems(workflow: &Workflow) -> Vec<Problem> {
    let mut problems = Vec::new();
    let bumps = workflow
        .steps
        .iter()
        .filter(|step| step.kind.spec().writes_version)
        .count();
    for step in &workflow.steps {
        let title = super::step_title(step, &Default::default());
        if let Some(source) = &step.condition
            && let Err(error) = super::condition::check(source, workflow)
        {
            problems.push(Problem {
                number: step.number,
                title: title.clone(),
                message: error.message,
                hint: error.hint,
                machine: false,
            });
        }
        if bumps < 2 && uses_variable(step, "dev_version") {
            problems.push(dev_version_problem(step.number, title));
        }
    }
    for (number, error) in super::variables::later_auto_bumps(workflow) {
        problems.push(Problem {
            number,
            title: "bump auto".to_owned(),
            message: error.message,
            hint: error.hint,
            machine: false,
        });
    }
    problems.sort_by_key(|problem| problem.number);
    problems
}

pub(super) fn dev_version_problem(number: usize, title: String) -> Problem {
    Problem {
        number,
        title,
        message: "`{dev_version}` has no value: no `bump` comes after the release's".to_owned(),
        hint: Some("add a later `bump` step (`bump = \"dev\"`, `bump = \"preminor\"` …) that writes the next development version".to_owned()),
        machine: false,
    }
}

/// The variables of a run of several packages that `step` uses in a project of one.
pub(super) fn package_variable_problems(step: &StepDef, title: &str) -> Vec<Problem> {
    ["package", "packages", "released"]
        .into_iter()
        .filter(|name| uses_variable(step, name))
        .map(|name| Problem {
            number: step.number,
            title: title.to_owned(),
            message: format!(
                "`{{{name}}}` has no value: this repository holds one project, not several packages"
            ),
            hint: Some(
                "use `{project}` and `{version}`, or declare the packages with `[package.NAME]` tables"
                    .to_owned(),
            ),
            machine: false,
        })
        .collect()
}

/// What `plan` would reject in each workflow of `config` without running a step: the problems
/// of [`workflow_problems`], and what each step that may run needs and this machine lacks. A
/// step whose `if` is already false (on the project's flags, the environment, the arguments'
/// defaults) is left out; one whose `if` depends on the release is counted in.
pub fn verify(
    project: &Project,
    config: &crate::config::Config,
    env: &Environment,
) -> Vec<(String, Vec<Problem>)> {
    let mut checker = Needs::new(project, env);
    let mut found = Vec::new();
    for name in config.workflow_names() {
        let Some(workflow) = config.workflow(&name) else {
            continue;
        };
        let mut problems = workflow_problems(&workflow);
        let mut variables = crate::template::Variables::new();
        variables.set("project", project.name.clone());
        variables.set("remote", project.remote.clone());
        for arg in &workflow.args {
            if let Some(default) = &arg.default {
                variables.set(format!("args.{}", arg.name), default.clone());
            }
        }
        let mut context = super::variables::condition_json(project, env, &variables, None);
        // The release's version is not known here: a condition on it may hold.
        if let Some(map) = context.as_object_mut() {
            map.remove("is_prerelease");
            map.remove("is_final");
        }
        let context = minijinja::Value::from(minijinja::value::Serde(&context));
        for step in &workflow.steps {
            if let Some(source) = &step.condition
                && let Ok(super::Condition::False) = super::evaluate(source, &context)
            {
                continue;
            }
            let title = super::step_title(step, &variables);
            problems.extend(super::confine::step_problems(
                project,
                step,
                &title,
                &|template| template.render_partial(&variables),
            ));
            problems.extend(
                checker
                    .unmet(step, &|template| template.render_partial(&variables))
                    .into_iter()
                    .map(|unmet| unmet.into_problem(step.number, &title)),
            );
            if !project.has_packages() {
                problems.extend(package_variable_problems(step, &title));
            }
        }
        if !problems.is_empty() {
            found.push((name, problems));
        }
    }
    found
}
