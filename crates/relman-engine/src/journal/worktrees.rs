//! Releases of the other worktrees of a repository. A release is driven from the worktree that
//! started it: resuming or aborting it from another one would commit, push or restore files in
//! the wrong work tree on the wrong branch. So another worktree only sees it, to name it in
//! `status` and in the error that stops `run`, `resume` and `abort` there.
//!
//! The main worktree's git dir is the common dir; each linked worktree has one in
//! `COMMON/worktrees/NAME`, whose `gitdir` file names the worktree's `.git` file.

use std::path::{Path, PathBuf};

use super::{Journal, StateDir};

/// A release in progress in another worktree of the same repository.
#[derive(Debug, Clone)]
pub struct ElsewhereRelease {
    /// The top of that worktree (as git recorded it).
    pub worktree: PathBuf,
    pub journal: Journal,
}

impl StateDir {
    /// Releases in progress in the repository's other worktrees. A journal there that cannot be
    /// read is reported as a release too (with its error as the summary), since its worktree may
    /// well be in the middle of one.
    pub fn elsewhere(&self) -> Vec<ElsewhereRelease> {
        let mut found = Vec::new();
        for git_dir in worktree_git_dirs(&self.common_dir) {
            let journal_dir = git_dir.join("relman");
            if same_dir(&journal_dir, &self.dir) {
                continue;
            }
            let Ok(Some(journal)) = super::load::load(&journal_dir.join(super::FILE)) else {
                continue;
            };
            if journal.state.in_progress() {
                found.push(ElsewhereRelease {
                    worktree: worktree_of(&self.common_dir, &git_dir),
                    journal,
                });
            }
        }
        found
    }
}

/// The git dirs of every worktree: the common dir, then `worktrees/*`.
fn worktree_git_dirs(common_dir: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![common_dir.to_owned()];
    if let Ok(entries) = fs_err::read_dir(common_dir.join("worktrees")) {
        let mut linked: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect();
        linked.sort();
        dirs.extend(linked);
    }
    dirs
}

/// The work tree of a git dir: for a linked worktree, the folder of the `.git` file its
/// `gitdir` file names; for the main one, the folder holding `.git`.
fn worktree_of(common_dir: &Path, git_dir: &Path) -> PathBuf {
    if git_dir != common_dir {
        // Absolute, or (git 2.48's `worktree.useRelativePaths`) relative to this git dir.
        let recorded = relman_version::files::read_text_bounded(&git_dir.join("gitdir"), 64 * 1024)
            .ok()
            .map(|text| git_dir.join(text.trim_end_matches(['\n', '\r'])))
            .map(|path| fs_err::canonicalize(&path).unwrap_or(path));
        if let Some(dot_git) = recorded
            && let Some(parent) = dot_git.parent()
        {
            return parent.to_owned();
        }
        return git_dir.to_owned();
    }
    match common_dir.file_name() {
        Some(name) if name == ".git" => common_dir
            .parent()
            .map_or_else(|| common_dir.to_owned(), Path::to_owned),
        _ => common_dir.to_owned(),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (fs_err::canonicalize(a), fs_err::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
