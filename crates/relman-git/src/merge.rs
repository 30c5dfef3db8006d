//! Operations that can stop half-way for a person: cherry-picks and merges. A conflict is an
//! outcome (which commit, which files), not an error, so a release can pause and resume once the
//! user has resolved it; anything else that goes wrong is an error.

use std::path::PathBuf;

use crate::error::GitError;
use crate::read::check_revision;
use crate::repository::Repository;

/// How a cherry-pick ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickOutcome {
    /// Every commit was applied.
    Applied,
    /// Stopped on `commit` with these files in conflict; resolve, stage, then continue.
    Conflict { commit: String, paths: Vec<PathBuf> },
    /// Stopped on `commit` because applying it changes nothing (it is probably already there).
    Empty { commit: String },
}

/// How a merge ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeOutcome {
    /// The merge commit was made.
    Merged { commit: String },
    /// Stopped with these files in conflict; resolve, stage and commit, or abort.
    Conflict { paths: Vec<PathBuf> },
}

impl Repository {
    /// Applies `commits` in order onto the current branch; `record_origin` appends
    /// "(cherry picked from commit ...)" to each message (`-x`).
    pub fn cherry_pick(
        &self,
        commits: &[&str],
        record_origin: bool,
    ) -> Result<PickOutcome, GitError> {
        let mut command = self.git(["cherry-pick"]);
        if record_origin {
            command.arg("-x");
        }
        for commit in commits {
            check_revision(commit)?;
            command.arg(commit);
        }
        let output = command.output()?;
        if output.status.success() {
            return Ok(PickOutcome::Applied);
        }
        self.stopped_pick()?.ok_or_else(|| output.into_error())
    }

    /// Continues a cherry-pick after the user resolved and staged the conflict, keeping the
    /// original message.
    pub fn cherry_pick_continue(&self) -> Result<PickOutcome, GitError> {
        let output = self
            .git(["cherry-pick", "--continue"])
            .env("GIT_EDITOR", "true")
            .output()?;
        if output.status.success() {
            return Ok(PickOutcome::Applied);
        }
        self.stopped_pick()?.ok_or_else(|| output.into_error())
    }

    /// Abandons the cherry-pick in progress, back to where it started.
    pub fn cherry_pick_abort(&self) -> Result<(), GitError> {
        self.git(["cherry-pick", "--abort"]).run()?;
        Ok(())
    }

    /// Whether a cherry-pick has stopped and waits to be continued or aborted.
    pub fn cherry_pick_in_progress(&self) -> bool {
        self.git_dir().join("CHERRY_PICK_HEAD").is_file()
            || self.git_dir().join("sequencer").join("todo").is_file()
    }

    /// Merges `branch` into the current branch with a merge commit (`--no-ff`) and `message`.
    pub fn merge(&self, branch: &str, message: &str) -> Result<MergeOutcome, GitError> {
        check_revision(branch)?;
        let output = self
            .git(["merge", "--no-ff", "--no-edit", "-m", message, branch])
            .output()?;
        if output.status.success() {
            return Ok(MergeOutcome::Merged {
                commit: self.head_sha()?,
            });
        }
        if self.git_dir().join("MERGE_HEAD").is_file() {
            let paths = self.status()?.conflicts;
            if !paths.is_empty() {
                return Ok(MergeOutcome::Conflict { paths });
            }
        }
        Err(output.into_error())
    }

    /// Abandons the merge in progress.
    pub fn merge_abort(&self) -> Result<(), GitError> {
        self.git(["merge", "--abort"]).run()?;
        Ok(())
    }

    /// After a failed cherry-pick: the stop it left, if it left one.
    fn stopped_pick(&self) -> Result<Option<PickOutcome>, GitError> {
        let head_file = self.git_dir().join("CHERRY_PICK_HEAD");
        let commit = match fs_err::read_to_string(&head_file) {
            Ok(text) => text.trim().to_owned(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let paths = self.status()?.conflicts;
        Ok(Some(if paths.is_empty() {
            PickOutcome::Empty { commit }
        } else {
            PickOutcome::Conflict { commit, paths }
        }))
    }
}
