//! What a step gets to run with: its context (project, plan facts, journal record), the other
//! checkout it acts in (`dir`, `clone`), and how a pause or a failure is recorded.

use std::time::Instant;

use relman_remote::Redactor;

use super::{Finish, RunError, Runner, redactor};
use crate::core::PlanFacts;
use crate::core::report::Event;
use crate::journal::{Journal, JournalFile, ReleaseState, StateDir, StepState};
use crate::kinds::{self, Checkout, RunCx, StepError};
use crate::plan::FrozenPlan;
use crate::project::Project;

impl Runner<'_> {
    /// The plan is passed apart from the journal (a copy of `journal.plan`) so that a step can
    /// read it while it updates its record.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn cx<'c>(
        &'c mut self,
        project: &'c Project,
        plan: &'c PlanFacts,
        journal: &'c mut Journal,
        state: &'c StateDir,
        index: usize,
        redactor: &'c Redactor,
        confirmed: bool,
        checkout: Option<&'c Checkout>,
    ) -> RunCx<'c> {
        RunCx {
            project,
            env: self.env,
            plan,
            journal: Box::new(JournalFile {
                journal,
                state,
                env: self.env,
            }),
            index,
            reporter: &mut *self.reporter,
            prompter: &mut *self.prompter,
            redactor,
            confirmed,
            checkout,
        }
    }

    pub(super) fn pause(
        &mut self,
        state: &StateDir,
        journal: &mut Journal,
        index: usize,
        title: &str,
        reason: String,
        started: Instant,
    ) -> Result<Finish, RunError> {
        let redactor = redactor(self.project, self.env);
        let reason = redactor.redact(&reason);
        self.finish_step(
            state,
            journal,
            index,
            StepState::Paused,
            Some(reason.clone()),
            started,
        )?;
        journal.state = ReleaseState::Paused;
        state.save(journal).map_err(RunError::Record)?;
        self.reporter.event(Event::Finished {
            state: ReleaseState::Paused,
            message: Some(reason.clone()),
        });
        Ok(Finish::Paused {
            step: journal.steps[index].number,
            title: title.to_owned(),
            reason,
        })
    }

    pub(super) fn fail(
        &mut self,
        state: &StateDir,
        journal: &mut Journal,
        index: usize,
        title: &str,
        error: StepError,
        started: Instant,
    ) -> Result<Finish, RunError> {
        let redactor = redactor(self.project, self.env);
        let error = StepError {
            message: redactor.redact(&error.message),
            hint: error.hint.map(|hint| redactor.redact(&hint)),
        };
        self.finish_step(
            state,
            journal,
            index,
            StepState::Failed,
            Some(error.message.clone()),
            started,
        )?;
        journal.state = ReleaseState::Failed;
        state.save(journal).map_err(RunError::Record)?;
        self.reporter.event(Event::Finished {
            state: ReleaseState::Failed,
            message: Some(error.message.clone()),
        });
        Ok(Finish::Failed {
            step: journal.steps[index].number,
            title: title.to_owned(),
            error,
        })
    }

    /// The checkout named by the `dir` of the step at `index`, relative to the project's work
    /// tree; cloned from its `clone` URL when it is missing and `clone_missing` is set.
    /// The package a step of `plan` acts for, as a project of its own, and the facts it sees:
    /// that package's in a run of several (`None` and the plan's facts for a step that runs
    /// once, or a package the repository no longer has).
    pub(super) fn step_scope(
        &self,
        plan: &FrozenPlan,
        number: usize,
    ) -> (Option<Project>, PlanFacts) {
        let package = plan
            .package_steps
            .get(&number)
            .and_then(|name| plan.packages.iter().find(|package| &package.name == name));
        match package {
            Some(package) => (
                self.project.package(&package.name).ok(),
                plan.facts_for(package),
            ),
            None => (None, plan.facts()),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn prepare_checkout(
        &mut self,
        plan: &FrozenPlan,
        facts: &PlanFacts,
        journal: &mut Journal,
        state: &StateDir,
        index: usize,
        redactor: &Redactor,
        clone_missing: bool,
    ) -> Result<Option<Checkout>, StepError> {
        let step = &plan.steps[index];
        let Some(dir) = &step.dir else {
            return Ok(None);
        };
        let (relative, url) = {
            let project = self.project;
            let cx = self.cx(project, facts, journal, state, index, redactor, false, None);
            let relative = cx.render(dir)?;
            let url = step
                .clone
                .as_ref()
                .map(|clone| cx.render(clone))
                .transpose()?;
            (relative, url)
        };
        // Where a clone writes: inside the repository or beside it (checked when planned, and
        // again with what the placeholders hold now).
        crate::plan::confine::checkout_root(&self.project.root, &relative).map_err(|message| {
            StepError::new(message)
                .with_hint("name a checkout inside the repository or beside it, such as `../tap`")
        })?;
        let root = self.project.root.join(&relative);
        if !root.exists() {
            let Some(url) = url.filter(|_| clone_missing) else {
                return Err(
                    StepError::new(format!("the checkout `{relative}` does not exist")).with_hint(
                        "clone it there, or give the step `clone = \"URL\"` so relman clones it",
                    ),
                );
            };
            let argv = vec![
                "git".to_owned(),
                "clone".to_owned(),
                "--quiet".to_owned(),
                // The URL and the path are values, never options (`--upload-pack=…`).
                "--".to_owned(),
                url.clone(),
                root.display().to_string(),
            ];
            let reporter = &mut *self.reporter;
            let number = step.number;
            kinds::run_command(&argv, &self.project.root, &[], None, |line| {
                reporter.event(Event::StepOutput {
                    number,
                    line: redactor.redact(line),
                });
            })
            .map_err(|error| {
                StepError::new(format!(
                    "cannot clone `{}` into `{relative}`: {}",
                    redactor.redact(&url),
                    redactor.redact(&error.message)
                ))
            })?;
        }
        let repo = relman_git::Repository::discover(&root).map_err(StepError::from)?;
        let root = repo.work_tree().map_or(root, std::path::Path::to_path_buf);
        Ok(Some(Checkout { root, repo }))
    }
}
