//! The index and the work tree as a release changes them and `abort` puts them back: what is
//! staged, committing only given paths (what a person staged stays staged and out of the
//! commit), putting index entries back, moving a branch without touching the work tree, and
//! comparing the work tree with a commit. Never `reset --hard`: a person's edits and staged
//! files are not relman's to throw away.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::error::GitError;
use crate::read::check_revision;
use crate::repository::Repository;
use crate::status::path_from_bytes;

/// One entry of the index: its mode (`100644`) and blob id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub mode: String,
    pub blob: String,
}

/// An id of all zeros: git's "no object" (as long as the repository's ids).
fn is_null(id: &str) -> bool {
    id.bytes().all(|byte| byte == b'0')
}

impl Repository {
    /// What is staged: the index entries that differ from HEAD, by path (`None`: the file is
    /// staged as removed). Paths with a conflict are left out (nothing can be committed then).
    pub fn staged_entries(&self) -> Result<BTreeMap<PathBuf, Option<IndexEntry>>, GitError> {
        let output = self
            .git(["diff-index", "--cached", "-z", "--no-renames", "HEAD"])
            .output()?;
        if !output.status.success() {
            return Err(output.into_error());
        }
        let mut entries = BTreeMap::new();
        let mut fields = output.stdout.split(|&byte| byte == 0);
        // `:old-mode new-mode old-id new-id STATUS` then the path, each NUL-terminated.
        while let Some(header) = fields.next() {
            if header.is_empty() {
                continue;
            }
            let Some(path) = fields.next() else { break };
            let header = String::from_utf8_lossy(header);
            let parts: Vec<&str> = header.trim_start_matches(':').split(' ').collect();
            let [_, mode, _, blob, status] = parts.as_slice() else {
                continue;
            };
            if status.starts_with('U') {
                continue;
            }
            let entry = (!is_null(blob)).then(|| IndexEntry {
                mode: (*mode).to_owned(),
                blob: (*blob).to_owned(),
            });
            entries.insert(path_from_bytes(path), entry);
        }
        Ok(entries)
    }

    /// Every local branch and the commit it points at.
    pub fn branch_tips(&self) -> Result<BTreeMap<String, String>, GitError> {
        let text = self
            .git([
                "for-each-ref",
                "--format=%(objectname) %(refname:lstrip=2)",
                "refs/heads/",
            ])
            .run_text()?;
        Ok(text
            .lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(sha, name)| (name.to_owned(), sha.to_owned()))
            .collect())
    }

    /// Which of `paths` the index knows (tracked files, intent-to-add entries included).
    pub fn indexed_paths(&self, paths: &[impl AsRef<Path>]) -> Result<Vec<PathBuf>, GitError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut command = self.git(["--literal-pathspecs", "ls-files", "-z", "--cached", "--"]);
        command.args(paths.iter().map(|path| OsStr::new(path.as_ref())));
        name_list(command)
    }

    /// Records new files in the index as "to be added" without staging their content
    /// (`git add --intent-to-add`), so a commit of given paths can take them.
    pub fn add_intent(&self, paths: &[impl AsRef<Path>]) -> Result<(), GitError> {
        self.path_command(&["add", "--intent-to-add"], paths)
    }

    /// Commits exactly `paths` as they are in the work tree (`git commit --only`), whatever else
    /// is staged: that stays staged, out of the commit. Returns the new commit's id.
    pub fn commit_paths(
        &self,
        message: &str,
        sign: Option<bool>,
        paths: &[impl AsRef<Path>],
    ) -> Result<String, GitError> {
        let mut command = self.git([
            "--literal-pathspecs",
            "commit",
            "--quiet",
            "--cleanup=whitespace",
            "--file=-",
            "--only",
        ]);
        match sign {
            Some(true) => command.arg("--gpg-sign"),
            Some(false) => command.arg("--no-gpg-sign"),
            None => &mut command,
        };
        command
            .arg("--")
            .args(paths.iter().map(|path| OsStr::new(path.as_ref())))
            .stdin(message.as_bytes().to_vec())
            .run()?;
        self.head_sha()
    }

    /// Puts the index entries of `paths` back as they are in `rev` (removed where `rev` has no
    /// such file); the work tree is not touched.
    pub fn reset_paths(&self, rev: &str, paths: &[impl AsRef<Path>]) -> Result<(), GitError> {
        check_revision(rev)?;
        self.path_command(&["reset", "--quiet", rev], paths)
    }

    /// Sets index entries (`None`: removes the path from the index); the work tree is not
    /// touched.
    pub fn set_index_entries(
        &self,
        entries: &[(PathBuf, Option<IndexEntry>)],
    ) -> Result<(), GitError> {
        if entries.is_empty() {
            return Ok(());
        }
        let null = "0".repeat(self.head_sha()?.len());
        let mut input = Vec::new();
        for (path, entry) in entries {
            let (mode, blob) = match entry {
                Some(entry) => (entry.mode.as_str(), entry.blob.as_str()),
                None => ("0", null.as_str()),
            };
            input.extend_from_slice(format!("{mode} {blob}\t").as_bytes());
            input.extend_from_slice(path.as_os_str().as_encoded_bytes());
            input.push(0);
        }
        self.git(["update-index", "-z", "--index-info"])
            .stdin(input)
            .run()?;
        Ok(())
    }

    /// Moves the branch `name` from `from` to `to` (refused by git when it is not at `from`
    /// any more), leaving the index and the work tree as they are, even when it is checked out.
    pub fn move_branch(&self, name: &str, to: &str, from: &str) -> Result<(), GitError> {
        check_revision(name)?;
        check_revision(to)?;
        check_revision(from)?;
        self.git([
            "update-ref",
            "-m",
            "relman: abort",
            &format!("refs/heads/{name}"),
            to,
            from,
        ])
        .run()?;
        Ok(())
    }

    /// Points the branch `name`, which is not checked out, at `to`; git refuses when a
    /// worktree has it checked out (its files would no longer match it).
    pub fn set_branch(&self, name: &str, to: &str) -> Result<(), GitError> {
        check_revision(name)?;
        check_revision(to)?;
        self.git(["branch", "--force", "--no-track", "--", name, to])
            .run()?;
        Ok(())
    }

    /// The files that differ between two commits.
    pub fn changed_between(&self, from: &str, to: &str) -> Result<Vec<PathBuf>, GitError> {
        check_revision(from)?;
        check_revision(to)?;
        name_list(self.git(["diff", "--name-only", "-z", "--no-renames", from, to, "--"]))
    }

    /// Which of `paths` differ in the work tree from `rev` (after git's filters, as `git diff`
    /// sees them).
    pub fn worktree_differs(
        &self,
        rev: &str,
        paths: &[impl AsRef<Path>],
    ) -> Result<Vec<PathBuf>, GitError> {
        check_revision(rev)?;
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut command = self.git([
            "--literal-pathspecs",
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            rev,
            "--",
        ]);
        command.args(paths.iter().map(|path| OsStr::new(path.as_ref())));
        name_list(command)
    }

    /// Whether `commit` is on a remote as this clone last saw it: some remote-tracking branch
    /// contains it.
    pub fn on_remote_branch(&self, commit: &str) -> Result<bool, GitError> {
        check_revision(commit)?;
        let text = self
            .git(["for-each-ref", "--count=1", "--format=%(refname)"])
            .arg(format!("--contains={commit}"))
            .arg("refs/remotes/")
            .run_text()?;
        Ok(!text.trim().is_empty())
    }
}

/// The NUL-separated paths a command prints.
pub(crate) fn name_list(mut command: crate::command::GitCommand) -> Result<Vec<PathBuf>, GitError> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(output.into_error());
    }
    Ok(output
        .stdout
        .split(|&byte| byte == 0)
        .filter(|path| !path.is_empty())
        .map(path_from_bytes)
        .collect())
}
