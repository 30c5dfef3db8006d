//! The one error type of this crate. Every failure of a git command carries the rendered command
//! line (secrets redacted), the exit status and git's trimmed stderr; `hint()` says what the user
//! can do where there is something to do.

use std::io;
use std::path::PathBuf;

use crate::remote::PushRejection;

/// What went wrong while reading or changing a repository.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GitError {
    /// `git` could not be started at all (not installed, not on PATH, not executable).
    #[error("could not run `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: io::Error,
    },
    /// git ran and exited unsuccessfully.
    #[error("`{command}` failed ({status}){}", stderr_suffix(stderr))]
    Failed {
        command: String,
        status: String,
        stderr: String,
    },
    /// git succeeded but printed something this crate does not understand.
    #[error("unexpected output from `{command}`: {detail}")]
    Output { command: String, detail: String },
    /// No `.git` was found walking up from the directory.
    #[error("`{}` is not inside a git repository", path.display())]
    NotARepository { path: PathBuf },
    /// A `.git` file or git directory exists but does not make sense.
    #[error("invalid git directory at `{}`: {detail}", path.display())]
    InvalidGitDir { path: PathBuf, detail: String },
    /// Reading a file of the git directory failed (the message names the path).
    #[error(transparent)]
    Io(#[from] io::Error),
    /// HEAD points at a branch that has no commit yet.
    #[error("repository has no commits (branch `{branch}` is unborn)")]
    NoCommits { branch: String },
    /// The history needed is cut off by a shallow clone.
    #[error("the repository at `{}` is a shallow clone, so its history is incomplete", path.display())]
    Shallow { path: PathBuf },
    /// A revision, branch or tag name that does not resolve.
    #[error("unknown revision `{rev}`")]
    UnknownRevision { rev: String },
    /// The remote refused some references of a push.
    #[error(transparent)]
    PushRejected(Box<PushRejection>),
    /// A remote name that this repository does not define (git would say "does not appear to be
    /// a git repository" and blame access rights).
    #[error("this repository has no remote `{name}`")]
    NoSuchRemote { name: String, known: Vec<String> },
}

fn stderr_suffix(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else if stderr.contains('\n') {
        format!(":\n{stderr}")
    } else {
        format!(": {stderr}")
    }
}

impl GitError {
    /// What the user can do about this error, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            GitError::Spawn { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                Some("install git and make sure `git` is on PATH".to_owned())
            }
            GitError::Spawn { .. } | GitError::Output { .. } | GitError::Io(_) => None,
            GitError::Failed { stderr, .. } => hint_for_stderr(stderr),
            GitError::NotARepository { .. } => {
                Some("run it inside a git repository (`git init` creates one)".to_owned())
            }
            GitError::InvalidGitDir { .. } => Some(
                "check the `.git` file or directory; `git status` shows what git makes of it"
                    .to_owned(),
            ),
            GitError::NoCommits { .. } => Some("make a first commit, then try again".to_owned()),
            GitError::Shallow { .. } => Some(
                "fetch the whole history with `git fetch --unshallow`, or set `fetch-depth: 0` \
                 in actions/checkout"
                    .to_owned(),
            ),
            GitError::UnknownRevision { .. } => Some(
                "check the name; tags and branches of a remote may need `git fetch` first"
                    .to_owned(),
            ),
            GitError::PushRejected(rejection) => rejection.hint(),
            GitError::NoSuchRemote { name, known } => Some(match known.as_slice() {
                [] => format!(
                    "add it with `git remote add {name} URL`; relman pushes and compares with it"
                ),
                known => format!(
                    "add it with `git remote add {name} URL`, or name one of this repository's \
                     remotes ({}) with `remote = \"...\"` under `[project]` in relman.toml",
                    known
                        .iter()
                        .map(|remote| format!("`{remote}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// The shallow-clone error for the repository at `path`, for callers that detect it themselves.
    pub fn shallow(path: impl Into<PathBuf>) -> Self {
        GitError::Shallow { path: path.into() }
    }
}

/// Hints for well-known git failures, recognised by git's own (English) wording.
fn hint_for_stderr(stderr: &str) -> Option<String> {
    let hint = if stderr.contains("detected dubious ownership") {
        "git refuses a repository owned by another user: mark it safe with \
         `git config --global --add safe.directory <path>`"
    } else if stderr.contains("Please tell me who you are")
        || stderr.contains("Author identity unknown")
        || stderr.contains("empty ident name")
    {
        "set your identity: `git config --global user.name \"Your Name\"` and \
         `git config --global user.email you@example.com`"
    } else if stderr.contains("gpg failed to sign")
        || (stderr.contains("failed to write commit object") && stderr.contains("sign"))
        || stderr.contains("ssh-keygen")
    {
        "signing failed: check `user.signingkey` and `gpg.format` in your git config, and that \
         the key is usable without a prompt"
    } else if stderr.contains("terminal prompts disabled")
        || stderr.contains("could not read Username")
        || stderr.contains("Authentication failed")
    {
        "git needs credentials for this remote: configure a credential helper, or provide a token"
    } else if stderr.contains("Could not read from remote repository") {
        "check the remote URL and your access to it (`git remote -v`, `ssh -T`)"
    } else if stderr.contains("not something we can merge")
        || stderr.contains("unknown revision")
        || stderr.contains("bad revision")
    {
        "check the name; tags and branches of a remote may need `git fetch` first"
    } else {
        return None;
    }
    .to_owned();
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_renders_single_and_multi_line_stderr() {
        let one = GitError::Failed {
            command: "git log".to_owned(),
            status: "exit status: 128".to_owned(),
            stderr: "fatal: bad".to_owned(),
        };
        assert_eq!(
            one.to_string(),
            "`git log` failed (exit status: 128): fatal: bad"
        );
        let many = GitError::Failed {
            command: "git push".to_owned(),
            status: "exit status: 1".to_owned(),
            stderr: "a\nb".to_owned(),
        };
        assert_eq!(
            many.to_string(),
            "`git push` failed (exit status: 1):\na\nb"
        );
    }

    #[test]
    fn hints_for_known_failures() {
        let failed = |stderr: &str| GitError::Failed {
            command: "git".to_owned(),
            status: "exit status: 128".to_owned(),
            stderr: stderr.to_owned(),
        };
        assert!(
            failed("fatal: detected dubious ownership in repository at '/x'")
                .hint()
                .unwrap()
                .contains("safe.directory")
        );
        assert!(
            failed("fatal: could not read Username for 'https://x': terminal prompts disabled")
                .hint()
                .unwrap()
                .contains("credential")
        );
        assert_eq!(failed("fatal: something else").hint(), None);
        assert!(
            GitError::shallow("/r")
                .hint()
                .unwrap()
                .contains("fetch-depth: 0")
        );
    }
}
