//! The [`Repository`] handle and finding it: walking up from a directory to a `.git` directory or
//! `gitdir:` file (worktrees, submodules), following `commondir` for linked worktrees, all without
//! spawning git. `GIT_DIR`/`GIT_WORK_TREE` are honoured only when the caller passes them to
//! [`Repository::open`]; this crate never reads the process environment.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use crate::error::GitError;

/// A git repository, reached through the `git` on PATH.
///
/// Cloning is cheap; [`with_env`](Self::with_env) and [`with_config`](Self::with_config) return a
/// handle whose calls carry extra environment variables or `-c` config (a one-shot credential
/// helper, a fixed date in tests).
#[derive(Clone)]
pub struct Repository {
    git_dir: PathBuf,
    common_dir: PathBuf,
    work_tree: Option<PathBuf>,
    /// Set when the caller named the directories, so every call passes them as `GIT_DIR`.
    explicit: bool,
    env: Vec<(OsString, OsString)>,
    config: Vec<(String, String)>,
    interactive: bool,
}

impl Repository {
    /// Finds the repository containing `start` (a file or directory) by walking up.
    pub fn discover(start: &Path) -> Result<Self, GitError> {
        let start = std::path::absolute(start)?;
        for dir in start.ancestors() {
            let dot_git = dir.join(".git");
            if dot_git.is_dir() && looks_like_git_dir(&dot_git) {
                return Self::from_dirs(dot_git, Some(dir.to_owned()), false);
            }
            if dot_git.is_file() {
                let git_dir = read_gitdir_file(&dot_git)?;
                return Self::from_dirs(git_dir, Some(dir.to_owned()), false);
            }
            if looks_like_git_dir(dir) {
                return Self::from_dirs(dir.to_owned(), None, false);
            }
        }
        Err(GitError::NotARepository { path: start })
    }

    /// Opens the repository whose git directory is `git_dir` (what `GIT_DIR` names), with the work
    /// tree `work_tree` (what `GIT_WORK_TREE` names) or none for a bare repository.
    pub fn open(git_dir: &Path, work_tree: Option<&Path>) -> Result<Self, GitError> {
        let git_dir = std::path::absolute(git_dir)?;
        if !looks_like_git_dir(&git_dir) {
            return Err(GitError::InvalidGitDir {
                path: git_dir,
                detail: "no `HEAD` file with `objects` and `refs` (or `commondir`) beside it"
                    .to_owned(),
            });
        }
        let work_tree = work_tree.map(std::path::absolute).transpose()?;
        Self::from_dirs(git_dir, work_tree, true)
    }

    fn from_dirs(
        git_dir: PathBuf,
        work_tree: Option<PathBuf>,
        explicit: bool,
    ) -> Result<Self, GitError> {
        let common_dir = match read_optional(&git_dir.join("commondir"))? {
            Some(text) => {
                let relative = Path::new(text.trim_end_matches(['\n', '\r']));
                normalize(&git_dir.join(relative))
            }
            None => git_dir.clone(),
        };
        Ok(Repository {
            git_dir,
            common_dir,
            work_tree,
            explicit,
            env: Vec::new(),
            config: Vec::new(),
            interactive: false,
        })
    }

    /// The git directory of this checkout (`.git`, or `.git/worktrees/NAME` for a linked worktree).
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// The directory shared by all worktrees: objects, most refs, `packed-refs`, config.
    pub fn common_dir(&self) -> &Path {
        &self.common_dir
    }

    /// The top of the work tree, `None` for a bare repository.
    pub fn work_tree(&self) -> Option<&Path> {
        self.work_tree.as_deref()
    }

    /// Whether the clone is shallow (history cut off at some depth).
    pub fn is_shallow(&self) -> bool {
        self.common_dir.join("shallow").is_file()
    }

    /// The error to report when an operation needs the full history of a shallow clone.
    pub fn shallow_error(&self) -> GitError {
        GitError::shallow(self.work_tree.as_deref().unwrap_or(&self.git_dir))
    }

    /// A handle whose git calls also get the environment variable `key=value`.
    pub fn with_env(&self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        let mut repository = self.clone();
        repository
            .env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        repository
    }

    /// A handle whose git calls also get every variable of `vars`.
    pub fn with_envs<K, V>(&self, vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let mut repository = self.clone();
        repository.env.extend(
            vars.into_iter()
                .map(|(key, value)| (key.as_ref().to_owned(), value.as_ref().to_owned())),
        );
        repository
    }

    /// A handle whose git calls run as `git -c key=value ...`. Values of keys that carry
    /// credentials are masked in every rendered command line; prefer a helper that reads the
    /// secret from an environment variable passed with [`with_env`](Self::with_env), since
    /// arguments are visible to other local users while git runs.
    pub fn with_config(&self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let mut repository = self.clone();
        repository.config.push((key.into(), value.into()));
        repository
    }

    /// A handle whose git calls may prompt on the terminal (credentials, editors) and inherit stdin.
    pub fn interactive(&self, interactive: bool) -> Self {
        let mut repository = self.clone();
        repository.interactive = interactive;
        repository
    }

    pub(crate) fn run_dir(&self) -> &Path {
        self.work_tree.as_deref().unwrap_or(&self.git_dir)
    }

    pub(crate) fn explicit_dirs(&self) -> Option<(&Path, Option<&Path>)> {
        self.explicit
            .then_some((self.git_dir.as_path(), self.work_tree.as_deref()))
    }

    /// The extra environment every git call gets (`with_env`), as text, for another program
    /// that must act as git would (a signing probe with the same `GNUPGHOME`).
    pub fn extra_env_strings(&self) -> Vec<(String, String)> {
        self.env
            .iter()
            .filter_map(|(key, value)| Some((key.to_str()?.to_owned(), value.to_str()?.to_owned())))
            .collect()
    }

    pub(crate) fn extra_env(&self) -> &[(OsString, OsString)] {
        &self.env
    }

    pub(crate) fn extra_config(&self) -> &[(String, String)] {
        &self.config
    }

    pub(crate) fn is_interactive(&self) -> bool {
        self.interactive
    }
}

impl std::fmt::Debug for Repository {
    /// Names of extra variables and config keys only: their values may be secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repository")
            .field("git_dir", &self.git_dir)
            .field("common_dir", &self.common_dir)
            .field("work_tree", &self.work_tree)
            .field("explicit", &self.explicit)
            .field(
                "env",
                &self.env.iter().map(|(key, _)| key).collect::<Vec<_>>(),
            )
            .field(
                "config",
                &self.config.iter().map(|(key, _)| key).collect::<Vec<_>>(),
            )
            .field("interactive", &self.interactive)
            .finish()
    }
}

/// A git directory has `HEAD` and either its own `objects` and `refs` or a `commondir` link.
fn looks_like_git_dir(dir: &Path) -> bool {
    dir.join("HEAD").is_file()
        && (dir.join("commondir").is_file()
            || (dir.join("objects").is_dir() && dir.join("refs").is_dir()))
}

/// Reads a `.git` file (`gitdir: PATH`, relative to the file's directory) as worktrees and
/// submodules write it.
fn read_gitdir_file(dot_git: &Path) -> Result<PathBuf, GitError> {
    let text = fs_err::read_to_string(dot_git)?;
    let invalid = |detail: &str| GitError::InvalidGitDir {
        path: dot_git.to_owned(),
        detail: detail.to_owned(),
    };
    let target = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("gitdir:"))
        .map(str::trim)
        .filter(|target| !target.is_empty())
        .ok_or_else(|| invalid("expected a line `gitdir: PATH`"))?;
    let base = dot_git.parent().unwrap_or(Path::new("/"));
    let git_dir = normalize(&base.join(target));
    if !looks_like_git_dir(&git_dir) {
        return Err(invalid(&format!(
            "`{}` is not a git directory",
            git_dir.display()
        )));
    }
    Ok(git_dir)
}

fn read_optional(path: &Path) -> Result<Option<String>, GitError> {
    match fs_err::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Resolves `.` and `..` lexically, so paths read from `gitdir:`/`commondir` files compare and
/// display well; symlinks are left alone, as git does for these files.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_values() {
        let repository = Repository {
            git_dir: PathBuf::from("/r/.git"),
            common_dir: PathBuf::from("/r/.git"),
            work_tree: Some(PathBuf::from("/r")),
            explicit: false,
            env: Vec::new(),
            config: Vec::new(),
            interactive: false,
        }
        .with_env("RELMAN_TOKEN", "s3cret")
        .with_config("credential.helper", "store s3cret");
        let debug = format!("{repository:?}");
        assert!(debug.contains("RELMAN_TOKEN") && debug.contains("credential.helper"));
        assert!(!debug.contains("s3cret"), "{debug}");
    }

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(
            normalize(Path::new("/a/b/.git/worktrees/x/../..")),
            PathBuf::from("/a/b/.git")
        );
        assert_eq!(normalize(Path::new("/a/./b")), PathBuf::from("/a/b"));
    }
}
