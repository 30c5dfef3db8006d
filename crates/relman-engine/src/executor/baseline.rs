//! What a checkout was before the release touched it ([`Baseline`]): its HEAD, every local
//! branch's commit and what was staged. It is written into the journal before the first step
//! that changes anything there (the journal discipline: record, then act), so `abort` can
//! return the index and the branches to it, and tell the branches a person had from the ones
//! the release made.

use std::path::Path;

use relman_git::Repository;

use super::Runner;
use crate::core::{Baseline, Checkout, StagedEntry, StepError};
use crate::journal::{Journal, StateDir, StepState};

/// The key of a checkout in [`Journal::baselines`]: the path of its work tree.
pub(super) fn key(root: &Path) -> String {
    root.display().to_string()
}

/// Reads the checkout as it is now.
fn read(repo: &Repository) -> Result<Baseline, relman_git::GitError> {
    let head = repo.head_sha()?;
    let branch = repo.current_branch()?;
    let branches = repo.branch_tips()?;
    let staged = repo
        .staged_entries()?
        .into_iter()
        .map(|(path, entry)| {
            let entry = entry.map(|entry| StagedEntry {
                mode: entry.mode,
                blob: entry.blob,
            });
            (path, entry)
        })
        .collect();
    Ok(Baseline {
        branch,
        head,
        branches,
        staged,
    })
}

impl Runner<'_> {
    /// Records the baseline of the checkout the step at `index` acts in, before it acts,
    /// unless it is known already. Not when an earlier step changed something there already:
    /// a release started by relman 0.1.0, which recorded none, and what is there now is not
    /// the state before the release.
    pub(super) fn record_baseline(
        &self,
        journal: &mut Journal,
        state: &StateDir,
        index: usize,
        checkout: Option<&Checkout>,
    ) -> Result<(), StepError> {
        let step = &journal.plan.steps[index];
        if step.kind.spec().read_only {
            return Ok(());
        }
        let (root, repo) = match checkout {
            Some(checkout) => (checkout.root.as_path(), &checkout.repo),
            None => (self.project.root.as_path(), &self.project.repo),
        };
        let key = key(root);
        if journal.baselines.contains_key(&key) {
            return Ok(());
        }
        let acted_before =
            journal.plan.steps[..index]
                .iter()
                .zip(&journal.steps)
                .any(|(earlier, record)| {
                    earlier.dir == step.dir
                        && !earlier.kind.spec().read_only
                        && !matches!(record.state, StepState::Pending | StepState::Skipped)
                });
        if acted_before {
            return Ok(());
        }
        let baseline = read(repo)?;
        journal.baselines.insert(key, baseline);
        journal.updated_at = self.env.timestamp();
        state.save(journal)?;
        Ok(())
    }
}
