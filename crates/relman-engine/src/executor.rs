//! Running a frozen plan: the journal is written before and after every step; a step left
//! `running` by a crash is reconciled by its probe before anything is done again; a step that
//! waits for a person or the outside world pauses the release; `abort` (the `abort` module)
//! takes back relman's own local effects, newest first, and nothing a person did.

use std::time::Instant;

use relman_remote::Redactor;

use crate::core::PlanFacts;
pub use crate::core::redactor;
use crate::core::report::{Event, Prompter, Reporter};
use crate::environment::Environment;
use crate::journal::{
    ElsewhereRelease, Journal, JournalError, JournalFile, ReleaseState, RemoteEffect, SCHEMA,
    StateDir, StepRecord, StepState,
};
use crate::kinds::{self, Checkout, Outcome, Probe, RunCx, StepError};
use crate::lock::{LockError, ReleaseLock};
use crate::plan::{FrozenPlan, Plan, step_title};
use crate::project::Project;

mod abort;
mod baseline;

/// How a run or resume ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// Every step is done. In a run of several packages, `packages` says what each released
    /// (and `version` lists them all).
    Done {
        version: String,
        tag: String,
        packages: Vec<ReleasedPackage>,
    },
    /// Waiting for a person or the outside world (exit 3).
    Paused {
        step: usize,
        title: String,
        reason: String,
    },
    /// A step failed (exit 1); `resume` tries it again.
    Failed {
        step: usize,
        title: String,
        error: StepError,
    },
    /// `auto` found nothing releasable (exit 0).
    NothingToRelease(String),
}

/// One package a run of several released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleasedPackage {
    pub name: String,
    pub version: String,
    pub tag: String,
}

/// Why a release could not be started, resumed or aborted. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The journal could not be read, or the first one written: nothing was changed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The journal could not be written once steps had started: the release is as the last
    /// journal written says, and `resume` continues it once the cause is fixed.
    #[error("{0}; the release stopped here")]
    Record(JournalError),
    #[error("a release is already in progress: {summary}")]
    InProgress { summary: String },
    /// A release is in progress in another worktree of the repository.
    #[error("a release is in progress in the worktree `{}`: {summary}", worktree.display())]
    InOtherWorktree {
        worktree: std::path::PathBuf,
        summary: String,
        /// Whether this worktree has none: `resume` and `abort` have nothing to act on here.
        here_none: bool,
    },
    #[error("there is no release in progress")]
    NothingInProgress,
    /// The repository changed between the plan and the lock (another release ran).
    #[error("the repository changed since the plan was made: {0}")]
    Stale(String),
    #[error("the plan cannot start: {0}")]
    ChecksFailed(String),
    #[error(
        "{} changed since relman wrote {}: abort would lose that work, so it changed nothing",
        list(files),
        if files.len() == 1 { "it" } else { "them" }
    )]
    ChangedSince { files: Vec<String> },
    #[error(transparent)]
    Step(#[from] StepError),
    #[error(transparent)]
    Git(#[from] relman_git::GitError),
}

impl RunError {
    pub fn hint(&self) -> Option<String> {
        match self {
            RunError::Lock(error) => error.hint(),
            RunError::Journal(error) => error.hint(),
            RunError::Record(error) => Some(match error.hint() {
                Some(hint) => format!("{hint}; then `relman resume` continues the release"),
                None => "fix the cause, then `relman resume` continues the release".to_owned(),
            }),
            RunError::InProgress { .. } => Some("finish it with `relman resume`, see it with `relman status`, or end it with `relman abort`".to_owned()),
            RunError::InOtherWorktree { worktree, .. } if !worktree.exists() => Some(format!(
                "that worktree is gone: `git worktree prune` forgets it, and its release with it (its journal is in `.git/worktrees/`); `{}` no longer exists",
                worktree.display()
            )),
            RunError::InOtherWorktree { worktree, .. } => Some(format!(
                "a release belongs to the worktree that started it: resume or abort it there (`relman -C {} resume`)",
                worktree.display()
            )),
            RunError::NothingInProgress => Some("start one with `relman run WORKFLOW`; `relman status` shows the last one".to_owned()),
            RunError::Stale(_) => Some("nothing was changed: plan again (`relman plan`), then run".to_owned()),
            RunError::ChecksFailed(_) => None,
            RunError::ChangedSince { .. } => Some("keep your changes elsewhere and put the files back as the release left them (`git diff` shows both), then `relman abort` again; or finish the release with `relman resume`".to_owned()),
            RunError::Step(error) => error.hint.clone(),
            RunError::Git(error) => error.hint(),
        }
    }
}

/// `a`, `a and b`, `a, b and c`, each in backticks.
fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// What `abort` did and what it left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AbortReport {
    /// Local effects taken back, newest first.
    pub undone: Vec<String>,
    /// Local effects kept, with why (pushed already, moved since).
    pub kept: Vec<String>,
    /// Effects outside the clone, each with how to undo it.
    pub remote: Vec<RemoteEffect>,
}

/// Runs releases of one project.
pub struct Runner<'a> {
    pub project: &'a Project,
    pub env: &'a Environment,
    pub reporter: &'a mut dyn Reporter,
    pub prompter: &'a mut dyn Prompter,
}

impl std::fmt::Debug for Runner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("project", &self.project.name)
            .finish_non_exhaustive()
    }
}

/// The release in progress in this worktree, or else its last one.
pub fn status(project: &Project) -> Result<Option<Journal>, JournalError> {
    let state = StateDir::of(&project.repo);
    match state.load()? {
        Some(journal) => Ok(Some(journal)),
        None => state.last_finished(),
    }
}

/// Releases in progress in the repository's other worktrees.
pub fn elsewhere(project: &Project) -> Vec<ElsewhereRelease> {
    StateDir::of(&project.repo).elsewhere()
}

/// The error for a release in progress in another worktree, if there is one.
fn in_other_worktree(state: &StateDir, here_none: bool) -> Option<RunError> {
    state
        .elsewhere()
        .into_iter()
        .next()
        .map(|other| RunError::InOtherWorktree {
            worktree: other.worktree,
            summary: summary(&other.journal),
            here_none,
        })
}

/// Fails when a new release cannot start in this clone: another relman holds the lock, or a
/// release is in progress (or its journal cannot be read). The binary asks this before it plans
/// and asks for confirmation, so nobody confirms a plan that cannot run; [`Runner::start`]
/// checks again under the lock.
pub fn check_can_start(project: &Project) -> Result<(), RunError> {
    let state = StateDir::of(&project.repo);
    ReleaseLock::check_free(state.lock_path())?;
    if let Some(journal) = state.load()?
        && journal.state.in_progress()
    {
        return Err(RunError::InProgress {
            summary: summary(&journal),
        });
    }
    match in_other_worktree(&state, false) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

impl Runner<'_> {
    fn state(&self) -> StateDir {
        StateDir::of(&self.project.repo)
    }

    fn lock(&mut self, state: &StateDir) -> Result<ReleaseLock, RunError> {
        let lock = ReleaseLock::acquire(state.lock_path())?;
        if let Some(pid) = lock.took_over_from {
            self.reporter.event(Event::Warning {
                message: format!(
                    "took over the release lock of relman pid {pid}, which is no longer running"
                ),
            });
            self.clear_stale_git_locks();
        }
        Ok(lock)
    }

    /// A relman killed in the middle of a git command (a commit, a branch) leaves git's lock
    /// files, and git then refuses every write ("Another git process seems to be running").
    /// Once the lock of a dead relman is taken over, its git commands are gone too, or finishing:
    /// a lock file that does not go away within a moment is stale, and is removed (with a
    /// warning naming it), as git's own message tells a person to do.
    fn clear_stale_git_locks(&mut self) {
        let repo = &self.project.repo;
        let deadline = Instant::now() + std::time::Duration::from_secs(2);
        let mut locks = repo.lock_files();
        while !locks.is_empty() && Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
            locks = repo.lock_files();
        }
        for path in locks {
            let shown = path
                .strip_prefix(repo.work_tree().unwrap_or(repo.common_dir()))
                .unwrap_or(&path)
                .display()
                .to_string();
            let message = match fs_err::remove_file(&path) {
                Ok(()) => {
                    format!("removed `{shown}`, left by a git command of the relman that stopped")
                }
                Err(error) => format!(
                    "`{shown}` was left by a git command of the relman that stopped, and cannot be removed ({error}): remove it, then `relman resume`"
                ),
            };
            self.reporter.event(Event::Warning { message });
        }
    }

    /// Freezes `plan` into a new journal and runs it.
    pub fn start(&mut self, plan: &Plan) -> Result<Finish, RunError> {
        if let Some(reason) = &plan.nothing_to_release {
            return Ok(Finish::NothingToRelease(reason.clone()));
        }
        let failed = plan.failed_checks();
        if let Some(step) = failed.first() {
            let detail = step
                .effects
                .iter()
                .find_map(|effect| match effect {
                    crate::plan::Effect::Check {
                        passed: Some(false),
                        detail,
                        ..
                    } => detail.clone(),
                    _ => None,
                })
                .unwrap_or_default();
            return Err(RunError::ChecksFailed(format!(
                "step {} ({}): {detail}",
                step.number, step.title
            )));
        }
        let state = self.state();
        let _lock = self.lock(&state)?;
        if let Some(journal) = state.load()? {
            if journal.state.in_progress() {
                return Err(RunError::InProgress {
                    summary: summary(&journal),
                });
            }
            // An ended release that a crash left in place (between "done" and its archiving):
            // keep it in the history rather than write the new journal over it.
            state.archive(&journal)?;
        }
        if let Some(error) = in_other_worktree(&state, false) {
            return Err(error);
        }
        // Another release may have run between the plan and the lock.
        let now = crate::plan::Basis::read(&self.project.repo);
        if let Some(change) = plan.basis.changed(&now) {
            return Err(RunError::Stale(change));
        }
        let frozen = plan.frozen.clone();
        // Titles are shown and stored: masked (a URL with a token in a command line).
        let masker = redactor(self.project, self.env);
        let steps = plan
            .steps
            .iter()
            .map(|planned| {
                let mut record = StepRecord::new(planned.number, masker.redact(&planned.title));
                if let Some(reason) = &planned.skipped {
                    record.state = StepState::Skipped;
                    record.message = Some(reason.clone());
                }
                record
            })
            .collect();
        let mut journal = Journal {
            schema: SCHEMA,
            relman_version: self.env.relman_version.clone(),
            id: format!(
                "{}-{}-{}",
                frozen.workflow,
                if frozen.version.is_empty() {
                    "none".to_owned()
                } else if frozen.packages.len() > 1 {
                    format!("{}-packages", frozen.packages.len())
                } else {
                    // The id names the journal's file in the history: a version is file-safe,
                    // and anything else (a package's name in it) is made so.
                    frozen
                        .version
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() || "._+-".contains(c) {
                                c
                            } else {
                                '_'
                            }
                        })
                        .collect()
                },
                self.env.now
            ),
            state: ReleaseState::Running,
            created_at: self.env.now,
            updated_at: self.env.now,
            plan_sha256: Some(crate::journal::plan_checksum(&frozen)),
            plan: frozen,
            steps,
            runtime: Default::default(),
            baselines: Default::default(),
            unmasked: Default::default(),
        };
        state.save(&journal)?;
        self.reporter.event(Event::Release {
            workflow: journal.plan.workflow.clone(),
            version: journal.plan.version.clone(),
            tag: journal.plan.tag.clone(),
            resumed: false,
            steps: journal.steps.len(),
        });
        self.drive(&state, &mut journal, false)
    }

    /// Continues the release in progress. `confirm` marks the step it is paused on as done.
    pub fn resume(&mut self, confirm: bool) -> Result<Finish, RunError> {
        let state = self.state();
        let _lock = self.lock(&state)?;
        let mut journal = in_progress_here(&state)?;
        self.reporter.event(Event::Release {
            workflow: journal.plan.workflow.clone(),
            version: journal.plan.version.clone(),
            tag: journal.plan.tag.clone(),
            resumed: true,
            steps: journal.steps.len(),
        });
        self.drive(&state, &mut journal, confirm)
    }

    fn finish_step(
        &mut self,
        state: &StateDir,
        journal: &mut Journal,
        index: usize,
        new_state: StepState,
        message: Option<String>,
        started: Instant,
    ) -> Result<(), RunError> {
        let redactor = redactor(self.project, self.env);
        let record = &mut journal.steps[index];
        record.state = new_state;
        record.message = message.map(|text| redactor.redact(&text));
        record.finished_at = Some(self.env.timestamp());
        record.duration_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        journal.updated_at = self.env.timestamp();
        state.save(journal).map_err(RunError::Record)?;
        let record = &journal.steps[index];
        let summary = match new_state {
            StepState::Done => record
                .outputs
                .get("summary")
                .cloned()
                .or_else(|| record.output_tail.last().cloned()),
            _ => record.message.clone(),
        };
        self.reporter.event(Event::StepFinished {
            number: record.number,
            title: record.title.clone(),
            state: new_state,
            duration: started.elapsed(),
            summary,
        });
        Ok(())
    }

    fn drive(
        &mut self,
        state: &StateDir,
        journal: &mut Journal,
        mut confirm: bool,
    ) -> Result<Finish, RunError> {
        let redactor = redactor(self.project, self.env);
        journal.state = ReleaseState::Running;
        state.save(journal).map_err(RunError::Record)?;
        let plan = journal.plan.clone();
        let base_facts = plan.facts();
        // A run of several packages: each package as a project of its own, with its facts.
        let mut views: std::collections::BTreeMap<&str, (Project, PlanFacts)> =
            std::collections::BTreeMap::new();
        for package in &plan.packages {
            let view = self.project.package(&package.name).map_err(|error| {
                StepError::new(format!(
                    "this release releases `{}`, which is no package of the repository now: {error}",
                    package.name
                ))
                .with_hint("put the package back as it was when the release started, or `relman abort`")
            })?;
            views.insert(&package.name, (view, plan.facts_for(package)));
        }
        for (index, step) in plan.steps.iter().enumerate() {
            let (project, facts): (&Project, &PlanFacts) = match plan
                .package_steps
                .get(&step.number)
                .and_then(|name| views.get(name.as_str()))
            {
                Some((view, facts)) => (view, facts),
                None => (self.project, &base_facts),
            };
            let previous = journal.steps[index].state;
            if previous == StepState::Skipped && journal.steps[index].finished_at.is_none() {
                // Skipped when planned (`if` false): shown in its place in the live view, once.
                let record = &mut journal.steps[index];
                record.finished_at = Some(self.env.timestamp());
                self.reporter.event(Event::StepFinished {
                    number: record.number,
                    title: record.title.clone(),
                    state: StepState::Skipped,
                    duration: std::time::Duration::ZERO,
                    summary: record.message.clone(),
                });
                continue;
            }
            if matches!(
                previous,
                StepState::Done | StepState::Skipped | StepState::Undone
            ) {
                continue;
            }
            let started = Instant::now();
            let title = journal.steps[index].title.clone();
            // A condition that needed run-time values is decided now.
            if let Some(source) = &step.condition {
                let variables = self
                    .cx(
                        project, facts, journal, state, index, &redactor, false, None,
                    )
                    .variables();
                let version = project.scheme.parse(&facts.version).ok();
                let context =
                    crate::plan::variables_context(project, self.env, &variables, version.as_ref());
                let holds = crate::plan::evaluate_now(source, &context);
                journal.steps[index].title = redactor.redact(&step_title(step, &variables));
                match holds {
                    Ok(true) => {}
                    Ok(false) => {
                        self.finish_step(
                            state,
                            journal,
                            index,
                            StepState::Skipped,
                            Some(format!("`if = \"{source}\"` is false")),
                            started,
                        )?;
                        continue;
                    }
                    Err(error) => return self.fail(state, journal, index, &title, error, started),
                }
            }
            // A step with `dir` acts in another checkout, cloned first when it is missing.
            let checkout =
                match self.prepare_checkout(&plan, facts, journal, state, index, &redactor, true) {
                    Ok(checkout) => checkout,
                    Err(error) => return self.fail(state, journal, index, &title, error, started),
                };
            // The command a killed relman started may outlive it: never run a second one beside it.
            if let Some(identity) = journal.steps[index].context.get(crate::core::CHILD_PROCESS)
                && previous != StepState::Pending
                && crate::core::still_running(identity)
            {
                let pid = identity.split(':').next().unwrap_or_default();
                let reason = format!(
                    "the command this step started before relman stopped (pid {pid}) is still running: wait for it to end (or stop it), then `relman resume`"
                );
                return self.pause(state, journal, index, &title, reason, started);
            }
            // The paths it names stay where it acts, as they render now.
            let confined = {
                let root = checkout.as_ref().map_or_else(
                    || self.project.root.clone(),
                    |checkout| checkout.root.clone(),
                );
                let cx = self.cx(
                    project,
                    facts,
                    journal,
                    state,
                    index,
                    &redactor,
                    false,
                    checkout.as_ref(),
                );
                crate::plan::confine::at_run_time(step, &root, &mut |template| cx.render(template))
            };
            if let Err(error) = confined {
                return self.fail(state, journal, index, &title, error, started);
            }
            // What `abort` returns this checkout to, written before the step changes it.
            if let Err(error) = self.record_baseline(journal, state, index, checkout.as_ref()) {
                return self.fail(state, journal, index, &title, error, started);
            }
            // `{changelog}` is what the file holds now (a person or a `run` step may have edited
            // it since the plan), read once: a resumed step sends what it sent before. A step of
            // one package of several reads that package's changelog.
            if crate::plan::reads_changelog(&step.kind)
                && !journal.steps[index]
                    .context
                    .contains_key(crate::core::CHANGELOG_READ)
                && !facts.version.is_empty()
                && let Ok(section) = project.changelog_section_whole(&facts.version)
            {
                journal.steps[index]
                    .context
                    .insert(crate::core::CHANGELOG_READ.to_owned(), section);
                state.save(journal).map_err(RunError::Record)?;
            }
            // Reconcile a step that was interrupted, or that failed and is tried again.
            if matches!(
                previous,
                StepState::Running | StepState::Failed | StepState::Paused
            ) {
                let probed = {
                    let mut cx = self.cx(
                        project,
                        facts,
                        journal,
                        state,
                        index,
                        &redactor,
                        false,
                        checkout.as_ref(),
                    );
                    within_timeout(step, started, || kinds::probe(step, &mut cx))
                };
                match probed {
                    Ok(Probe::Done) => {
                        journal.steps[index]
                            .output_tail
                            .push("found done (checked on resume)".to_owned());
                        self.finish_step(state, journal, index, StepState::Done, None, started)?;
                        continue;
                    }
                    Ok(Probe::NotDone) => {}
                    Ok(Probe::Unknown) if previous == StepState::Failed => {}
                    Ok(Probe::Unknown) => {
                        if confirm {
                            confirm = false;
                            journal.steps[index]
                                .output_tail
                                .push("marked done with `relman resume --confirm`".to_owned());
                            self.finish_step(
                                state,
                                journal,
                                index,
                                StepState::Done,
                                None,
                                started,
                            )?;
                            continue;
                        }
                        let question = format!(
                            "relman stopped while step {} ({title}) was running, and cannot tell whether it finished. Run it again?",
                            step.number
                        );
                        if !(self.env.interactive && self.prompter.confirm(&question)) {
                            let reason = "relman stopped while this step was running and cannot tell whether it finished; check by hand, then `relman resume --confirm` if it did (or mark the step `idempotent = true` to have it run again)".to_owned();
                            return self.pause(state, journal, index, &title, reason, started);
                        }
                    }
                    Err(error) => return self.fail(state, journal, index, &title, error, started),
                }
            }
            let confirmed = confirm && previous == StepState::Paused;
            if previous == StepState::Paused {
                confirm = false;
            }
            {
                let record = &mut journal.steps[index];
                record.state = StepState::Running;
                record.attempts += 1;
                record.started_at = Some(self.env.timestamp());
                record.message = None;
            }
            journal.updated_at = self.env.timestamp();
            state.save(journal).map_err(RunError::Record)?;
            self.reporter.event(Event::StepStarted {
                number: step.number,
                title: title.clone(),
            });
            let mut attempts_left = step.retries;
            let outcome = loop {
                let mut cx = self.cx(
                    project,
                    facts,
                    journal,
                    state,
                    index,
                    &redactor,
                    confirmed,
                    checkout.as_ref(),
                );
                match within_timeout(step, started, || kinds::execute(step, &mut cx)) {
                    Err(error) if attempts_left > 0 => {
                        attempts_left -= 1;
                        let line =
                            format!("attempt failed: {error}; retrying ({attempts_left} left)");
                        cx.output(&line);
                    }
                    other => break other,
                }
            };
            match outcome {
                Ok(Outcome::Done) => {
                    self.finish_step(state, journal, index, StepState::Done, None, started)?;
                }
                Ok(Outcome::Paused(reason)) => {
                    return self.pause(state, journal, index, &title, reason, started);
                }
                Err(error) => return self.fail(state, journal, index, &title, error, started),
            }
        }
        journal.state = ReleaseState::Done;
        journal.updated_at = self.env.timestamp();
        state.save(journal).map_err(RunError::Record)?;
        if let Err(error) = state.archive(journal) {
            // The release is done and recorded so; the next `run` archives it first.
            self.reporter.event(Event::Warning {
                message: format!("the release is done, but its journal stays in place: {error}"),
            });
        }
        self.reporter.event(Event::Finished {
            state: ReleaseState::Done,
            message: None,
        });
        Ok(Finish::Done {
            version: journal.plan.version.clone(),
            tag: journal.plan.tag.clone(),
            packages: journal
                .plan
                .packages
                .iter()
                .map(|package| ReleasedPackage {
                    name: package.name.clone(),
                    version: package.version.clone(),
                    tag: package.tag.clone(),
                })
                .collect(),
        })
    }

    /// The plan is passed apart from the journal (a copy of `journal.plan`) so that a step can
    /// read it while it updates its record.
    #[allow(clippy::too_many_arguments)]
    fn cx<'c>(
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

    fn pause(
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

    fn fail(
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
    fn step_scope(&self, plan: &FrozenPlan, number: usize) -> (Option<Project>, PlanFacts) {
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
    fn prepare_checkout(
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

/// The release in progress in this worktree; when there is none, the one of another worktree
/// is named in the error.
fn in_progress_here(state: &StateDir) -> Result<Journal, RunError> {
    match state.load()? {
        Some(journal) if journal.state.in_progress() => Ok(journal),
        _ => Err(in_other_worktree(state, true).unwrap_or(RunError::NothingInProgress)),
    }
}

/// Runs `work` (a step's execute or probe) with every HTTP request it makes bounded by the
/// step's `timeout`, counted from `started`.
fn within_timeout<T>(step: &kinds::StepDef, started: Instant, work: impl FnOnce() -> T) -> T {
    match step.timeout {
        Some(timeout) => {
            let deadline = crate::clients::polling::request_deadline(started, timeout);
            relman_remote::http::deadline::with_deadline(deadline, work)
        }
        None => work(),
    }
}

/// One line about a release, for messages.
pub fn summary(journal: &Journal) -> String {
    let current = journal.steps.iter().find(|record| {
        !matches!(
            record.state,
            StepState::Done | StepState::Skipped | StepState::Undone
        )
    });
    let version = if journal.plan.version.is_empty() {
        String::new()
    } else {
        format!(" {}", journal.plan.version)
    };
    match current {
        Some(record) => format!(
            "`{}`{version} is {} at step {} ({})",
            journal.plan.workflow,
            match journal.state {
                ReleaseState::Running => "running",
                ReleaseState::Paused => "paused",
                ReleaseState::Failed => "failed",
                ReleaseState::Done => "done",
                ReleaseState::Aborted => "aborted",
            },
            record.number,
            record.title
        ),
        None => format!("`{}`{version}", journal.plan.workflow),
    }
}
