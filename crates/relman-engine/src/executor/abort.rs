//! `relman abort`: ends the release in progress by taking back relman's own local effects,
//! newest first, and nothing a person did.
//!
//! It first decides everything without changing anything: each undo the steps recorded is
//! taken back, kept (the commit is on a remote, the branch moved since, the tag was pushed) or
//! has nothing left to do. A file relman changed is put back only while it still holds bytes
//! relman wrote; when a person changed one since, abort refuses, naming the files, and changes
//! nothing (exit 2). Then it acts: files get their bytes from before the release, branches move
//! back with the work tree left alone (never `git reset --hard`: a person's edits and staged
//! files stay), and the index entries of the files the release staged or committed go back to
//! what they were before the release, as its baseline recorded them. A commit that is on a
//! remote stays, listed with how to revert it.

mod decide;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use relman_git::{GitError, IndexEntry, Repository};
use relman_remote::Redactor;

use super::step_cx::StepAt;
use super::{AbortReport, RunError, Runner, baseline, redactor};
use crate::core::report::Event;
use crate::journal::{Journal, ReleaseState, StateDir, StepState, Written};
use crate::kinds;
use decide::{Act, changed_by_a_person, decide, short, text};

/// A checkout steps acted in: the project's, or another one (`dir`).
pub(super) struct Place {
    pub root: PathBuf,
    pub repo: Repository,
}

impl Runner<'_> {
    /// Ends the release in progress: takes back, newest first, relman's own local effects that
    /// are not on a remote, and lists what remains outside the clone. Refuses, changing
    /// nothing, when a person changed a file the release changed.
    pub fn abort(&mut self) -> Result<AbortReport, RunError> {
        let state = self.state();
        let _lock = self.lock(&state)?;
        let mut journal = super::in_progress_here(&state)?;
        let redactor = redactor(self.project, self.env);
        let (places, step_place) = self.places(&mut journal, &state, &redactor);
        let decisions = decide(&journal, &places, &step_place)?;
        let changed = changed_by_a_person(&journal, &places, &step_place, &decisions)?;
        if !changed.is_empty() {
            return Err(RunError::ChangedSince { files: changed });
        }
        let repo = &self.project.repo;
        if repo.cherry_pick_in_progress() {
            repo.cherry_pick_abort()?;
        }
        let mut report = AbortReport::default();
        let mut kept_steps: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for decision in decisions.walk {
            let result = match (decision.act, decision.place) {
                (Act::Nothing, _) => Ok(None),
                (Act::Keep(why), _) => Err(why),
                (Act::RunStepUndo, _) => {
                    self.run_step_undo(&mut journal, &state, decision.index, &redactor)
                }
                (act, Some(place)) => self.act(&places[place], act),
                (_, None) => Err(format!(
                    "step {}: its checkout is not there: left as it is",
                    journal.steps[decision.index].number
                )),
            };
            match result {
                Ok(Some(done)) => report.undone.push(done),
                Ok(None) => {}
                Err(kept) => {
                    kept_steps
                        .entry(decision.index)
                        .or_default()
                        .push(kept.clone());
                    report.kept.push(kept);
                }
            }
        }
        for record in journal
            .steps
            .iter()
            .rev()
            .filter(|record| acted(record.state))
        {
            report.remote.extend(record.remote.iter().rev().cloned());
        }
        for (place, paths) in places.iter().zip(&decisions.index_paths) {
            if let Err(error) = restore_index(&journal, place, paths) {
                report.kept.push(format!("the index: {error}"));
            }
        }
        for (index, record) in journal.steps.iter_mut().enumerate() {
            if !acted(record.state) {
                continue;
            }
            match kept_steps.remove(&index) {
                Some(kept) => record.message = Some(format!("kept by abort: {}", kept.join("; "))),
                None if record.state != StepState::Done || !record.undo.is_empty() => {
                    record.state = StepState::Undone;
                }
                None => {}
            }
        }
        report.remote.reverse();
        journal.state = ReleaseState::Aborted;
        journal.updated_at = self.env.timestamp();
        state.save(&journal).map_err(RunError::Record)?;
        state.archive(&journal).map_err(RunError::Record)?;
        self.reporter.event(Event::Finished {
            state: ReleaseState::Aborted,
            message: None,
        });
        Ok(report)
    }

    /// The checkouts the steps acted in (the project's first) and, for each step, its place
    /// (`None`: its checkout is not there any more).
    fn places(
        &mut self,
        journal: &mut Journal,
        state: &StateDir,
        redactor: &Redactor,
    ) -> (Vec<Place>, Vec<Option<usize>>) {
        let mut places = vec![Place {
            root: self.project.root.clone(),
            repo: self.project.repo.clone(),
        }];
        let plan = journal.plan.clone();
        let mut step_place = Vec::with_capacity(plan.steps.len());
        for (index, step) in plan.steps.iter().enumerate() {
            if step.dir.is_none() || !acted(journal.steps[index].state) {
                step_place.push(Some(0));
                continue;
            }
            let (_, facts) = self.step_scope(&plan, step.number);
            let at = StepAt {
                project: self.project,
                facts: &facts,
                state,
                index,
                redactor,
                checkout: None,
            };
            let checkout = self.prepare_checkout(&plan, at, journal, false);
            step_place.push(match checkout {
                Ok(Some(checkout)) => Some(
                    match places.iter().position(|place| place.root == checkout.root) {
                        Some(known) => known,
                        None => {
                            places.push(Place {
                                root: checkout.root,
                                repo: checkout.repo,
                            });
                            places.len() - 1
                        }
                    },
                ),
                Ok(None) => Some(0),
                Err(_) => None,
            });
        }
        (places, step_place)
    }

    /// Does one decided undo. `Ok(Some)` says what was done, `Err` why it was left.
    fn act(&mut self, place: &Place, act: Act) -> Result<Option<String>, String> {
        let repo = &place.repo;
        match act {
            Act::Restore {
                path,
                content,
                written,
            } => {
                let full = place.root.join(&path);
                let now = Written::of_file(&full).map_err(text)?;
                if now == Written::of(content.as_deref().map(str::as_bytes)) {
                    return Ok(None);
                }
                if written.is_some_and(|written| written != now) {
                    return Err(format!(
                        "{}: changed since relman wrote it: left as it is",
                        path.display()
                    ));
                }
                match content {
                    Some(content) => relman_version::files::write_atomic(&full, content.as_bytes())
                        .map_err(text)?,
                    None => fs_err::remove_file(&full).map_err(text)?,
                }
                Ok(Some(format!("restored {}", path.display())))
            }
            Act::MoveBranch {
                branch,
                to,
                from,
                checked_out,
                changed,
                files,
            } => {
                if checked_out {
                    // Only files still holding what the merge or cherry-pick wrote go back.
                    let changed_since = repo.worktree_differs(&from, &files).map_err(text)?;
                    repo.move_branch(&branch, &to, &from).map_err(text)?;
                    // The index follows the branch now (a later undo may switch branches);
                    // what a person had staged is put back at the end.
                    repo.reset_paths(&to, &changed).map_err(text)?;
                    for path in files.iter().filter(|path| !changed_since.contains(path)) {
                        let full = place.root.join(path);
                        match repo.show_file(&to, path).map_err(text)? {
                            Some(bytes) => {
                                relman_version::files::write_atomic(&full, &bytes).map_err(text)?;
                            }
                            None => match fs_err::remove_file(&full) {
                                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                                    return Err(text(error));
                                }
                                _ => {}
                            },
                        }
                    }
                } else {
                    repo.set_branch(&branch, &to).map_err(text)?;
                }
                Ok(Some(format!("moved `{branch}` back to {}", short(&to))))
            }
            Act::DeleteTag(tag) => {
                repo.delete_tag(&tag).map_err(text)?;
                Ok(Some(format!("deleted tag `{tag}`")))
            }
            Act::DeleteBranch { branch, switch_to } => {
                if let Some(back) = switch_to {
                    repo.switch(&back).map_err(text)?;
                }
                repo.delete_branch(&branch).map_err(text)?;
                Ok(Some(format!("deleted branch `{branch}`")))
            }
            Act::Switch(to) => {
                repo.switch(&to).map_err(text)?;
                Ok(Some(format!("switched back to `{to}`")))
            }
            Act::Command { argv, cwd } => {
                let reporter = &mut *self.reporter;
                kinds::run_command(&argv, &cwd, &[], None, |line| {
                    reporter.event(Event::StepOutput {
                        number: 0,
                        line: line.to_owned(),
                    });
                })
                .map_err(text)?;
                Ok(Some(format!("ran `{}`", shell_words::join(&argv))))
            }
            Act::Nothing | Act::Keep(_) | Act::RunStepUndo => Ok(None),
        }
    }

    /// Runs the undo command of the step at `index` (a `run` step's `undo`), rendered now (with
    /// the environment of now).
    fn run_step_undo(
        &mut self,
        journal: &mut Journal,
        state: &StateDir,
        index: usize,
        redactor: &Redactor,
    ) -> Result<Option<String>, String> {
        let plan = journal.plan.clone();
        // A step of one package of several renders its undo with that package's values.
        let (project, facts) = self.step_scope(&plan, plan.steps[index].number);
        let project = project.as_ref().unwrap_or(self.project);
        let at = StepAt {
            project,
            facts: &facts,
            state,
            index,
            redactor,
            checkout: None,
        };
        let checkout = self
            .prepare_checkout(&plan, at, journal, false)
            .map_err(|error| redactor.redact(&error.to_string()))?;
        let command = {
            let at = StepAt {
                checkout: checkout.as_ref(),
                ..at
            };
            let cx = self.cx(at, journal, false);
            plan.steps[index]
                .kind
                .undo_command(&cx)
                .map_err(|error| redactor.redact(&error.to_string()))?
        };
        let Some(crate::core::UndoCommand { argv, cwd, env }) = command else {
            return Ok(None);
        };
        let reporter = &mut *self.reporter;
        kinds::run_command(&argv, &cwd, &env, None, |line| {
            reporter.event(Event::StepOutput {
                number: 0,
                line: redactor.redact(line),
            });
        })
        .map_err(|error| redactor.redact(&error.to_string()))?;
        Ok(Some(
            redactor.redact(&format!("ran `{}`", shell_words::join(&argv))),
        ))
    }
}

/// Whether a step in this state may have left effects.
pub(super) fn acted(state: StepState) -> bool {
    matches!(
        state,
        StepState::Done | StepState::Running | StepState::Failed | StepState::Paused
    )
}

/// Puts the index entries of `paths` back as they were before the release: as HEAD has them
/// now (the commit the branch went back to, or a kept one), or as the person had staged them.
fn restore_index(
    journal: &Journal,
    place: &Place,
    paths: &BTreeSet<PathBuf>,
) -> Result<(), GitError> {
    if paths.is_empty() {
        return Ok(());
    }
    let paths: Vec<&PathBuf> = paths.iter().collect();
    place.repo.reset_paths("HEAD", &paths)?;
    let Some(baseline) = journal.baselines.get(&baseline::key(&place.root)) else {
        return Ok(());
    };
    let staged: Vec<(PathBuf, Option<IndexEntry>)> = paths
        .iter()
        .filter_map(|path| {
            let entry = baseline.staged.get(*path)?;
            let entry = entry.as_ref().map(|entry| IndexEntry {
                mode: entry.mode.clone(),
                blob: entry.blob.clone(),
            });
            Some(((*path).clone(), entry))
        })
        .collect();
    place.repo.set_index_entries(&staged)
}
