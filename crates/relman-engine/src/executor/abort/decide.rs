//! The decisions of `abort`, made before anything changes: for each undo the steps recorded,
//! newest first, in the checkout the step acted in, whether it is taken back, kept (with why) or
//! has nothing left to do, following the branches and the checked-out branch as the undos before
//! it will leave them; and the files a person changed since relman wrote them, which make abort
//! refuse.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use relman_git::GitError;

use super::{Place, acted};
use crate::executor::{RunError, baseline};
use crate::journal::{Journal, Undo, Written};

/// What abort does about one undo, decided before anything changes.
#[derive(Debug)]
pub(super) enum Act {
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
pub(super) struct Decision {
    pub index: usize,
    pub place: Option<usize>,
    pub act: Act,
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

pub(super) fn short(sha: &str) -> &str {
    &sha[..sha.len().min(7)]
}

pub(super) fn text(error: impl std::fmt::Display) -> String {
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

/// Every decision, newest first, and what the index gets back.
pub(super) struct Decisions {
    pub walk: Vec<Decision>,
    pub index_paths: Vec<BTreeSet<PathBuf>>,
}

pub(super) fn decide(
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
pub(super) fn changed_by_a_person(
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
