//! Running a frozen plan: the journal is written before and after every step; a step left
//! `running` by a crash is reconciled by its probe before anything is done again; a step that
//! waits for a person or the outside world pauses the release; `abort` (the `abort` module)
//! takes back relman's own local effects, newest first, and nothing a person did.

use std::time::Instant;

pub use crate::core::redactor;
use crate::core::report::{Event, Prompter, Reporter};
use crate::environment::Environment;
use crate::journal::{
    ElsewhereRelease, Journal, JournalError, ReleaseState, RemoteEffect, SCHEMA, StateDir,
    StepRecord, StepState,
};
use crate::kinds::StepError;
use crate::lock::{LockError, ReleaseLock};
use crate::plan::Plan;
use crate::project::Project;

mod abort;
mod baseline;
mod drive;
mod step_cx;

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
            sealed: Default::default(),
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
}

/// The release in progress in this worktree; when there is none, the one of another worktree
/// is named in the error.
fn in_progress_here(state: &StateDir) -> Result<Journal, RunError> {
    match state.load()? {
        Some(journal) if journal.state.in_progress() => Ok(journal),
        _ => Err(in_other_worktree(state, true).unwrap_or(RunError::NothingInProgress)),
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
