//! Changing the repository through the git CLI, so hooks, signing (`gpg.format`,
//! `user.signingkey`) and the user's config apply exactly as for a person typing the command:
//! staging, commits, tags, branches, resets. Messages go through stdin, never the command line.

use std::ffi::OsStr;
use std::path::Path;

use crate::error::GitError;
use crate::read::check_revision;
use crate::repository::Repository;

/// How a tag is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annotation {
    /// A plain ref to the commit (`git tag NAME`).
    Lightweight,
    /// A tag object with a message (`git tag -a`); signed anyway if the user set `tag.gpgSign`.
    Annotated { message: String },
    /// A signed tag object (`git tag -s`), with the key and format of the user's config.
    Signed { message: String },
}

impl Repository {
    /// Stages `paths` (relative to the top of the work tree, taken literally, not as globs).
    pub fn add(&self, paths: &[impl AsRef<Path>]) -> Result<(), GitError> {
        self.path_command(&["add"], paths)
    }

    /// Removes `paths` from the index and the work tree.
    pub fn rm(&self, paths: &[impl AsRef<Path>]) -> Result<(), GitError> {
        self.path_command(&["rm", "-q"], paths)
    }

    /// Removes `paths` from the index only (the files stay, untracked).
    pub fn rm_cached(&self, paths: &[impl AsRef<Path>]) -> Result<(), GitError> {
        self.path_command(&["rm", "-q", "--cached"], paths)
    }

    /// Restores `paths` in the index and work tree as they are at `rev`.
    pub fn checkout_paths(&self, rev: &str, paths: &[impl AsRef<Path>]) -> Result<(), GitError> {
        check_revision(rev)?;
        self.path_command(&["checkout", rev], paths)
    }

    /// Commits what is staged and returns the new commit's id. `sign`: `Some(true)` forces a
    /// signature, `Some(false)` forbids one, `None` follows `commit.gpgSign`.
    pub fn commit(&self, message: &str, sign: Option<bool>) -> Result<String, GitError> {
        let mut command = self.git(["commit", "--quiet", "--cleanup=whitespace", "--file=-"]);
        match sign {
            Some(true) => command.arg("--gpg-sign"),
            Some(false) => command.arg("--no-gpg-sign"),
            None => &mut command,
        };
        command.stdin(message.as_bytes().to_vec()).run()?;
        self.head_sha()
    }

    /// Creates the tag `name` at `target`.
    pub fn tag(&self, name: &str, target: &str, annotation: &Annotation) -> Result<(), GitError> {
        check_revision(name)?;
        check_revision(target)?;
        let mut command = self.git(["tag"]);
        match annotation {
            // `--no-sign` keeps `tag.gpgSign` from turning it into a tag that needs a message.
            Annotation::Lightweight => command.arg("--no-sign"),
            Annotation::Annotated { message } => command
                .args(["--annotate", "--cleanup=whitespace", "--file=-"])
                .stdin(message.as_bytes().to_vec()),
            Annotation::Signed { message } => command
                .args(["--sign", "--cleanup=whitespace", "--file=-"])
                .stdin(message.as_bytes().to_vec()),
        };
        command.args(["--", name, target]).run()?;
        Ok(())
    }

    /// Deletes the local tag `name`.
    pub fn delete_tag(&self, name: &str) -> Result<(), GitError> {
        check_revision(name)?;
        self.git(["tag", "--delete", "--", name]).run()?;
        Ok(())
    }

    /// Creates the branch `name` at `from` without switching to it.
    pub fn create_branch(&self, name: &str, from: &str) -> Result<(), GitError> {
        check_revision(name)?;
        check_revision(from)?;
        self.git(["branch", "--no-track", "--", name, from]).run()?;
        Ok(())
    }

    /// Switches the work tree to the branch `name`.
    pub fn switch(&self, name: &str) -> Result<(), GitError> {
        check_revision(name)?;
        self.git(["switch", "--quiet", "--no-guess", "--", name])
            .run()?;
        Ok(())
    }

    /// Deletes the local branch `name`, merged or not.
    pub fn delete_branch(&self, name: &str) -> Result<(), GitError> {
        check_revision(name)?;
        self.git(["branch", "--delete", "--force", "--", name])
            .run()?;
        Ok(())
    }

    /// Records `remote`'s `branch` as the upstream of the local `branch`, which the remote has at
    /// `sha`: what `git push --set-upstream` leaves behind (the config and the remote-tracking
    /// ref), for a push whose local bookkeeping was cut short.
    pub fn set_upstream(&self, branch: &str, remote: &str, sha: &str) -> Result<(), GitError> {
        check_revision(branch)?;
        check_revision(remote)?;
        check_revision(sha)?;
        self.git(["config", &format!("branch.{branch}.remote"), remote])
            .run()?;
        self.git([
            "config",
            &format!("branch.{branch}.merge"),
            &format!("refs/heads/{branch}"),
        ])
        .run()?;
        self.git([
            "update-ref",
            &format!("refs/remotes/{remote}/{branch}"),
            sha,
        ])
        .run()?;
        Ok(())
    }

    /// Moves the current branch to `to`, keeping index and work tree (the undone commit's
    /// changes stay staged).
    pub fn reset_soft(&self, to: &str) -> Result<(), GitError> {
        check_revision(to)?;
        self.git(["reset", "--quiet", "--soft", to]).run()?;
        Ok(())
    }

    /// `git ARGS -- PATHS` with literal pathspecs; nothing when there are no paths.
    pub(crate) fn path_command(
        &self,
        args: &[&str],
        paths: &[impl AsRef<Path>],
    ) -> Result<(), GitError> {
        if paths.is_empty() {
            return Ok(());
        }
        // Literal pathspecs: a file named `*.md` or `:x` means that file, not a pattern.
        let mut command = self.git(["--literal-pathspecs"]);
        command.args(args).arg("--");
        command.args(paths.iter().map(|path| OsStr::new(path.as_ref())));
        command.run()?;
        Ok(())
    }
}
