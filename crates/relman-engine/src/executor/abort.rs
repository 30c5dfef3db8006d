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

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use relman_git::{GitError, IndexEntry, Repository};
use relman_remote::Redactor;

use super::{AbortReport, RunError, Runner, baseline, redactor};
use crate::core::report::Event;
use crate::journal::{Journal, ReleaseState, StateDir, StepState, Undo, Written};
use crate::kinds;

/// A checkout steps acted in: the project's, or another one (`dir`).
struct Place {
    root: PathBuf,
    repo: Repository,
}

/// What abort does about one undo, decided before anything changes.
#[derive(Debug)]
enum Act {
    /// Nothing: it is as it was before the release (never done, or undone already).
    Nothing,
    /// Left as it is, with why.
    Keep(String),
    Restore {
        path: PathBuf,
        content: Option<String>,
        written: Option<Written>,
    },
    MoveBranch {
        branch: String,
        to: String,
        from: String,
        checked_out: bool,
        /// The files the commits changed: their index entries go back to `to`'s.
        changed: Vec<PathBuf>,
        /// Files whose work tree goes back to `to`'s where it holds `from`'s (a merge or
        /// cherry-pick wrote them; a commit's files have their own undos).
        files: Vec<PathBuf>,
    },
    DeleteTag(String),
    DeleteBranch {
        branch: String,
        switch_to: Option<String>,
    },
    Switch(String),
    Command {
        argv: Vec<String>,
        cwd: PathBuf,
    },
    RunStepUndo,
}

/// One decision: the step it belongs to, where it acts, and what it does.
struct Decision {
    index: usize,
    place: Option<usize>,
    act: Act,
}

/// The state of the checkouts as the decisions go, newest undo first.
struct Walk<'a> {
    places: &'a [Place],
    /// The branch each place has checked out, once read (`Some(None)`: detached).
    current: Vec<Option<Option<String>>>,
    /// Each place's branch tips, once read.
    tips: Vec<Option<BTreeMap<String, String>>>,
    /// Files a kept commit has, by place, with why they stay.
    kept_files: Vec<BTreeMap<PathBuf, String>>,
    /// Files whose index entries go back to before the release, by place.
    index_paths: Vec<BTreeSet<PathBuf>>,
    /// Objects pushed from each place: the commits they reach are on the remote.
    pushed_at: Vec<Vec<String>>,
    /// Refs pushed (names), any place.
    pushed_refs: Vec<String>,
    /// Refs pushed by a relman that did not record where (0.1.0): all their commits stay.
    pushed_unknown: Vec<String>,
    /// Branches that existed before the release, by place (when the baseline is known).
    branches_before: Vec<Option<BTreeMap<String, String>>>,
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(7)]
}

fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

impl Walk<'_> {
    fn current(&mut self, place: usize) -> Result<Option<String>, GitError> {
        if self.current[place].is_none() {
            self.current[place] = Some(self.places[place].repo.current_branch()?);
        }
        Ok(self.current[place].clone().flatten())
    }

    fn tips(&mut self, place: usize) -> Result<&mut BTreeMap<String, String>, GitError> {
        if self.tips[place].is_none() {
            self.tips[place] = Some(self.places[place].repo.branch_tips()?);
        }
        Ok(self.tips[place].get_or_insert_with(BTreeMap::new))
    }

    /// Whether `commit` is on a remote: a push from this place reached it, a remote-tracking
    /// branch has it, or an old journal says its branch was pushed without saying where.
    fn on_remote(&self, place: usize, commit: &str, branch: &str) -> Result<bool, GitError> {
        let repo = &self.places[place].repo;
        for pushed in &self.pushed_at[place] {
            if repo.is_ancestor(commit, pushed)? {
                return Ok(true);
            }
        }
        if self
            .pushed_unknown
            .contains(&format!("refs/heads/{branch}"))
        {
            return Ok(true);
        }
        repo.on_remote_branch(commit)
    }

    fn decide(&mut self, place: usize, undo: &Undo) -> Result<Act, GitError> {
        let repo = &self.places[place].repo;
        Ok(match undo {
            Undo::RestoreFile {
                path,
                content,
                written,
            } => match self.kept_files[place].get(path) {
                Some(why) => Act::Keep(format!("{}: {why}", path.display())),
                None => Act::Restore {
                    path: path.clone(),
                    content: content.clone(),
                    written: written.clone(),
                },
            },
            Undo::ResetBranch {
                branch,
                to,
                from,
                index_only,
            } => {
                if to == from {
                    return Ok(Act::Nothing);
                }
                let tip = self.tips(place)?.get(branch).cloned();
                let checked_out = self.current(place)?.as_deref() == Some(branch.as_str());
                if tip.as_deref() == Some(to.as_str()) {
                    // Moved back already (an abort that stopped half-way): the index follows.
                    if checked_out {
                        self.index_paths[place].extend(repo.changed_between(to, from)?);
                    }
                    return Ok(Act::Nothing);
                }
                let kept = if self.on_remote(place, from, branch)? {
                    Some(format!(
                        "commit {} on `{branch}` is on the remote: kept (to take it back, `git revert {}` and push)",
                        short(from),
                        short(from)
                    ))
                } else if tip.as_deref() != Some(from.as_str()) {
                    Some(match tip {
                        Some(tip) => format!(
                            "`{branch}` moved since the release (now at {}): left as it is",
                            short(&tip)
                        ),
                        None => format!("`{branch}` is gone: nothing to move back"),
                    })
                } else {
                    None
                };
                let changed = repo.changed_between(to, from)?;
                if let Some(why) = kept {
                    for path in changed {
                        self.kept_files[place]
                            .entry(path)
                            .or_insert_with(|| format!("kept as committed in {}", short(from)));
                    }
                    return Ok(Act::Keep(why));
                }
                self.tips(place)?.insert(branch.clone(), to.clone());
                if checked_out {
                    self.index_paths[place].extend(changed.iter().cloned());
                }
                Act::MoveBranch {
                    branch: branch.clone(),
                    to: to.clone(),
                    from: from.clone(),
                    checked_out,
                    files: if checked_out && !index_only {
                        changed.clone()
                    } else {
                        Vec::new()
                    },
                    changed,
                }
            }
            Undo::RestoreIndex { paths } => {
                let open: Vec<PathBuf> = paths
                    .iter()
                    .filter(|path| !self.kept_files[place].contains_key(*path))
                    .cloned()
                    .collect();
                self.index_paths[place].extend(open);
                Act::Nothing
            }
            Undo::DeleteTag { tag, target } => {
                if self.pushed_refs.contains(&format!("refs/tags/{tag}")) {
                    return Ok(Act::Keep(format!("tag `{tag}` was pushed: kept here too")));
                }
                match repo.tag_target(tag)? {
                    None => Act::Nothing,
                    Some(now) if target.as_ref().is_some_and(|target| *target != now) => {
                        Act::Keep(format!(
                            "tag `{tag}` points at {} now, not where the release put it: left as it is",
                            short(&now)
                        ))
                    }
                    Some(_) => Act::DeleteTag(tag.clone()),
                }
            }
            Undo::DeleteBranch {
                branch,
                back_to,
                at,
            } => {
                if self.pushed_refs.contains(&format!("refs/heads/{branch}")) {
                    return Ok(Act::Keep(format!(
                        "branch `{branch}` was pushed: kept here too"
                    )));
                }
                let Some(tip) = self.tips(place)?.get(branch).cloned() else {
                    return Ok(Act::Nothing);
                };
                if self.branches_before[place]
                    .as_ref()
                    .is_some_and(|before| before.contains_key(branch))
                {
                    return Ok(Act::Keep(format!(
                        "branch `{branch}` was there before the release: kept"
                    )));
                }
                if at.as_ref().is_some_and(|at| *at != tip) {
                    return Ok(Act::Keep(format!(
                        "branch `{branch}` has commits the release did not make (now at {}): kept",
                        short(&tip)
                    )));
                }
                let switch_to = if self.current(place)?.as_deref() == Some(branch.as_str()) {
                    match back_to {
                        Some(back) => Some(back.clone()),
                        None => {
                            return Ok(Act::Keep(format!(
                                "`{branch}` is checked out and there is no branch to go back to"
                            )));
                        }
                    }
                } else {
                    None
                };
                if let Some(back) = &switch_to {
                    self.current[place] = Some(Some(back.clone()));
                }
                self.tips(place)?.remove(branch);
                Act::DeleteBranch {
                    branch: branch.clone(),
                    switch_to,
                }
            }
            Undo::SwitchBack { to } => {
                if self.current(place)?.as_deref() == Some(to.as_str()) {
                    return Ok(Act::Nothing);
                }
                self.current[place] = Some(Some(to.clone()));
                Act::Switch(to.clone())
            }
            Undo::Command { argv, cwd } => Act::Command {
                argv: argv.clone(),
                cwd: cwd.clone(),
            },
            Undo::RunStepUndo { .. } => Act::RunStepUndo,
        })
    }
}

impl Runner<'_> {
    /// Ends the release in progress: takes back, newest first, relman's own local effects that
    /// are not on a remote, and lists what remains outside the clone. Refuses, changing
    /// nothing, when a person changed a file the release changed.
    pub fn abort(&mut self) -> Result<AbortReport, RunError> {
        let state = self.state();
        let _lock = self.lock(&state)?;
        let mut journal = state.load()?.ok_or(RunError::NothingInProgress)?;
        if !journal.state.in_progress() {
            return Err(RunError::NothingInProgress);
        }
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
        state.save(&journal)?;
        state.archive(&journal)?;
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
        let facts = plan.facts();
        let mut step_place = Vec::with_capacity(plan.steps.len());
        for (index, step) in plan.steps.iter().enumerate() {
            if step.dir.is_none() || !acted(journal.steps[index].state) {
                step_place.push(Some(0));
                continue;
            }
            let checkout =
                self.prepare_checkout(&plan, &facts, journal, state, index, redactor, false);
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
        let facts = plan.facts();
        let checkout = self
            .prepare_checkout(&plan, &facts, journal, state, index, redactor, false)
            .map_err(|error| redactor.redact(&error.to_string()))?;
        let command = {
            let cx = self.cx(
                &facts,
                journal,
                state,
                index,
                redactor,
                false,
                checkout.as_ref(),
            );
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
fn acted(state: StepState) -> bool {
    matches!(
        state,
        StepState::Done | StepState::Running | StepState::Failed | StepState::Paused
    )
}

/// Every decision, newest first, and what the index gets back.
struct Decisions {
    walk: Vec<Decision>,
    index_paths: Vec<BTreeSet<PathBuf>>,
}

fn decide(
    journal: &Journal,
    places: &[Place],
    step_place: &[Option<usize>],
) -> Result<Decisions, RunError> {
    let count = places.len();
    let mut pushed_at = vec![Vec::new(); count];
    let mut pushed_refs = Vec::new();
    let mut pushed_unknown = Vec::new();
    for (record, place) in journal.steps.iter().zip(step_place) {
        for effect in &record.remote {
            pushed_refs.extend(effect.pushed_refs.iter().cloned());
            match (&effect.pushed_at, place) {
                (Some(at), Some(place)) => pushed_at[*place].push(at.clone()),
                _ => pushed_unknown.extend(effect.pushed_refs.iter().cloned()),
            }
        }
    }
    let branches_before = places
        .iter()
        .map(|place| {
            journal
                .baselines
                .get(&baseline::key(&place.root))
                .map(|baseline| baseline.branches.clone())
        })
        .collect();
    let mut walk = Walk {
        places,
        current: vec![None; count],
        tips: vec![None; count],
        kept_files: vec![BTreeMap::new(); count],
        index_paths: vec![BTreeSet::new(); count],
        pushed_at,
        pushed_refs,
        pushed_unknown,
        branches_before,
    };
    let mut decisions = Vec::new();
    for index in (0..journal.steps.len()).rev() {
        let record = &journal.steps[index];
        if !acted(record.state) {
            continue;
        }
        for undo in record.undo.iter().rev() {
            let place = step_place[index];
            let act = match place {
                Some(place) => walk.decide(place, undo)?,
                None => Act::Keep(format!(
                    "step {}: its checkout is not there: left as it is",
                    record.number
                )),
            };
            decisions.push(Decision { index, place, act });
        }
    }
    Ok(Decisions {
        walk: decisions,
        index_paths: walk.index_paths,
    })
}

/// The files a person changed since relman wrote them, among those abort would put back: each
/// holds bytes that are neither relman's nor from before the release. Checked before anything
/// changes, since taking them back would lose that work.
fn changed_by_a_person(
    journal: &Journal,
    places: &[Place],
    step_place: &[Option<usize>],
    decisions: &Decisions,
) -> Result<Vec<String>, RunError> {
    // Every content relman knows for a file: what it wrote, and what was there before.
    let mut known: BTreeMap<(usize, &Path), Vec<Written>> = BTreeMap::new();
    for (record, place) in journal.steps.iter().zip(step_place) {
        let Some(place) = place else { continue };
        for undo in &record.undo {
            if let Undo::RestoreFile {
                path,
                content,
                written,
            } = undo
            {
                let contents = known.entry((*place, path.as_path())).or_default();
                contents.push(Written::of(content.as_deref().map(str::as_bytes)));
                contents.extend(written.clone());
            }
        }
    }
    let mut changed = Vec::new();
    for decision in &decisions.walk {
        let Some(place) = decision.place else {
            continue;
        };
        let Place { root, repo } = &places[place];
        match &decision.act {
            Act::Restore {
                path,
                written: Some(_),
                ..
            } => {
                let now = Written::of_file(&root.join(path)).map_err(|error| {
                    RunError::Step(crate::core::StepError::new(format!(
                        "cannot read `{}`: {error}",
                        path.display()
                    )))
                })?;
                let ours = known
                    .get(&(place, path.as_path()))
                    .is_some_and(|contents| contents.contains(&now));
                let shown = path.display().to_string();
                if !ours && !changed.contains(&shown) {
                    changed.push(shown);
                }
            }
            Act::MoveBranch {
                to, from, files, ..
            } if !files.is_empty() => {
                let not_from = repo.worktree_differs(from, files)?;
                let not_to = repo.worktree_differs(to, files)?;
                for path in not_from.iter().filter(|path| not_to.contains(path)) {
                    let shown = path.display().to_string();
                    if !changed.contains(&shown) {
                        changed.push(shown);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(changed)
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
