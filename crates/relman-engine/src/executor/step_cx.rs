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

/// Where one step runs: what stays the same across the contexts the step is given (to decide its
/// condition, to confine its paths, to probe it on resume, to run it).
#[derive(Clone, Copy)]
pub(super) struct StepAt<'a> {
    pub project: &'a Project,
    pub facts: &'a PlanFacts,
    pub state: &'a StateDir,
    pub index: usize,
    pub redactor: &'a Redactor,
    /// The other checkout the step acts in (`dir`), once prepared.
    pub checkout: Option<&'a Checkout>,
}

impl Runner<'_> {
    /// The plan's facts are passed apart from the journal (a copy of `journal.plan`) so that a
    /// step can read them while it updates its record.
    pub(super) fn cx<'c>(
        &'c mut self,
        at: StepAt<'c>,
        journal: &'c mut Journal,
        confirmed: bool,
    ) -> RunCx<'c> {
        RunCx {
            project: at.project,
            env: self.env,
            plan: at.facts,
            journal: Box::new(JournalFile {
                journal,
                state: at.state,
                env: self.env,
            }),
            index: at.index,
            reporter: &mut *self.reporter,
            prompter: &mut *self.prompter,
            redactor: at.redactor,
            confirmed,
            checkout: at.checkout,
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

    /// The checkout a step with `dir` acts in; its path and `clone` URL are rendered with the
    /// repository's own project, whichever package the step releases.
    pub(super) fn prepare_checkout(
        &mut self,
        plan: &FrozenPlan,
        at: StepAt<'_>,
        journal: &mut Journal,
        clone_missing: bool,
    ) -> Result<Option<Checkout>, StepError> {
        let step = &plan.steps[at.index];
        let redactor = at.redactor;
        let Some(dir) = &step.dir else {
            return Ok(None);
        };
        let (relative, url) = {
            let at = StepAt {
                project: self.project,
                checkout: None,
                ..at
            };
            let cx = self.cx(at, journal, false);
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
