//! Bringing a local branch up to its remote and the writes that go with release syncing: a
//! fast-forward of a branch (checked out or not), a push guarded by `--force-with-lease`, and
//! deleting a branch on a remote.

use crate::error::GitError;
use crate::read::check_revision;
use crate::repository::Repository;

impl Repository {
    /// Moves the local `branch` from `old` to `new` (a fast-forward the caller checked): with
    /// `git merge --ff-only` when it is checked out (the work tree follows), else by moving the
    /// ref only if it is still at `old`.
    pub fn fast_forward(&self, branch: &str, old: &str, new: &str) -> Result<(), GitError> {
        check_revision(branch)?;
        check_revision(new)?;
        if self.current_branch()?.as_deref() == Some(branch) {
            self.git(["merge", "--ff-only", "--quiet", new]).run()?;
        } else {
            check_revision(old)?;
            let name = format!("refs/heads/{branch}");
            self.git(["update-ref", "-m", "relman: fast-forward", &name, new, old])
                .run()?;
        }
        Ok(())
    }

    /// `git push --force-with-lease=REF:EXPECTED REMOTE SPEC`: the remote ref is replaced only
    /// while it is still at `expected` (empty: only while it does not exist).
    pub fn push_with_lease(
        &self,
        remote: &str,
        refspec: &str,
        remote_ref: &str,
        expected: &str,
    ) -> Result<(), GitError> {
        check_revision(remote)?;
        check_revision(refspec)?;
        check_revision(remote_ref)?;
        let lease = format!("--force-with-lease={remote_ref}:{expected}");
        self.git(["push", "--porcelain", &lease, "--", remote, refspec])
            .run()
            .map_err(|error| self.remote_failure(remote, error))?;
        Ok(())
    }

    /// Deletes `branch` on `remote` (`git push --delete -- REMOTE refs/heads/BRANCH`).
    pub fn delete_remote_branch(&self, remote: &str, branch: &str) -> Result<(), GitError> {
        check_revision(remote)?;
        check_revision(branch)?;
        let name = format!("refs/heads/{branch}");
        self.git(["push", "--porcelain", "--delete", "--", remote, &name])
            .run()
            .map_err(|error| self.remote_failure(remote, error))?;
        Ok(())
    }
}
