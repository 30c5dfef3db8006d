//! The lock files git leaves when one of its commands dies in the middle of a write
//! (`index.lock`, `HEAD.lock`, `refs/heads/NAME.lock`, `packed-refs.lock` …). Git refuses to work
//! while they exist ("Another git process seems to be running in this repository"); a caller
//! that knows the process that held them is gone (relman resuming a release whose relman was
//! killed) can find them here and remove them.

use std::path::{Path, PathBuf};

use crate::repository::Repository;

/// Lock files directly in a git directory.
const TOP_LOCKS: &[&str] = &[
    "index.lock",
    "HEAD.lock",
    "ORIG_HEAD.lock",
    "FETCH_HEAD.lock",
    "MERGE_HEAD.lock",
    "CHERRY_PICK_HEAD.lock",
    "packed-refs.lock",
    "config.lock",
    "shallow.lock",
];

impl Repository {
    /// Every git lock file present now, in this worktree's git directory and in the common one
    /// (refs included). Nothing is removed.
    pub fn lock_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut dirs = vec![self.git_dir().to_owned()];
        if self.common_dir() != self.git_dir() {
            dirs.push(self.common_dir().to_owned());
        }
        for dir in &dirs {
            for name in TOP_LOCKS {
                let path = dir.join(name);
                if path.is_file() && !found.contains(&path) {
                    found.push(path);
                }
            }
        }
        collect_ref_locks(&self.common_dir().join("refs"), &mut found);
        found.sort();
        found
    }
}

fn collect_ref_locks(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs_err::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => collect_ref_locks(&path, found),
            Ok(kind) if kind.is_file() && path.extension().is_some_and(|ext| ext == "lock") => {
                found.push(path);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    #[test]
    fn finds_the_locks_a_killed_git_leaves() {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("git")
            .args(["init", "--quiet"])
            .arg(dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .unwrap();
        assert!(status.success());
        let repo = Repository::discover(dir.path()).unwrap();
        assert!(repo.lock_files().is_empty());
        let git = dir.path().join(".git");
        fs_err::create_dir_all(git.join("refs/heads/release")).unwrap();
        fs_err::write(git.join("index.lock"), "").unwrap();
        fs_err::write(git.join("refs/heads/release/1.3.lock"), "").unwrap();
        fs_err::write(git.join("refs/heads/main"), "not a lock").unwrap();
        assert_eq!(
            repo.lock_files(),
            [
                git.join("index.lock"),
                git.join("refs/heads/release/1.3.lock")
            ]
        );
    }
}
