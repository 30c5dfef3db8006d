//! Talking to remotes: their URL and default branch, `ls-remote`, `fetch`, and `push` with a
//! structured rejection (which refs, why, and what the remote's hook said) read from
//! `git push --porcelain`, whose status lines do not depend on the user's language.

use std::fmt;

use crate::error::GitError;
use crate::read::check_revision;
use crate::repository::Repository;

/// One ref advertised by a remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRef {
    /// The full name (`refs/tags/v1.0.0`).
    pub name: String,
    /// The object the ref points at (the tag object for an annotated tag).
    pub target: String,
    /// The commit an annotated tag peels to.
    pub peeled: Option<String>,
}

impl RemoteRef {
    /// The commit the ref points at, through an annotated tag.
    pub fn commit(&self) -> &str {
        self.peeled.as_deref().unwrap_or(&self.target)
    }
}

/// Why the remote refused one ref of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    /// The remote branch has commits the pushed one does not contain.
    NonFastForward,
    /// The remote ref moved since the last fetch (git says "fetch first").
    FetchFirst,
    /// The tag already exists on the remote.
    AlreadyExists,
    /// `--force-with-lease` found the remote ref elsewhere.
    Stale,
    /// Refused by the remote itself: a hook, a protected branch; git's reason text.
    Remote(String),
    /// Not attempted because another ref of an atomic push failed.
    AtomicFailed,
    /// A reason this crate does not classify, as git printed it.
    Other(String),
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::NonFastForward => f.write_str("non-fast-forward"),
            RejectReason::FetchFirst => f.write_str("the remote has commits you do not have"),
            RejectReason::AlreadyExists => f.write_str("already exists"),
            RejectReason::Stale => f.write_str("stale info"),
            RejectReason::Remote(reason) => write!(f, "remote rejected: {reason}"),
            RejectReason::AtomicFailed => f.write_str("atomic push failed"),
            RejectReason::Other(reason) => f.write_str(reason),
        }
    }
}

/// One refused ref of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRef {
    /// The local side of the refspec (`refs/heads/main`).
    pub local: String,
    /// The remote ref (`refs/heads/main`).
    pub remote: String,
    pub reason: RejectReason,
}

/// A push the remote refused, in part or whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRejection {
    /// The push command line, secrets masked.
    pub command: String,
    /// The remote's name or URL as given.
    pub remote: String,
    pub rejected: Vec<RejectedRef>,
    /// What the remote printed (`remote: ` lines), such as a hook's explanation.
    pub remote_messages: Vec<String>,
}

impl fmt::Display for PushRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "push to `{}` was rejected:", self.remote)?;
        for reference in &self.rejected {
            write!(f, "\n  `{}`: {}", reference.remote, reference.reason)?;
        }
        for line in &self.remote_messages {
            write!(f, "\nremote: {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PushRejection {}

impl PushRejection {
    pub fn hint(&self) -> Option<String> {
        let reasons = || self.rejected.iter().map(|reference| &reference.reason);
        if reasons().any(|reason| {
            matches!(
                reason,
                RejectReason::NonFastForward | RejectReason::FetchFirst | RejectReason::Stale
            )
        }) {
            return Some(
                "the remote branch has commits you do not have: fetch and integrate them \
                 (`git pull --rebase`), then push again"
                    .to_owned(),
            );
        }
        if reasons().any(|reason| *reason == RejectReason::AlreadyExists) {
            return Some(
                "the tag already exists on the remote: check which commit it points at \
                 (`git ls-remote --tags`) before deleting or replacing it"
                    .to_owned(),
            );
        }
        let remote_reasons: Vec<&str> = reasons()
            .filter_map(|reason| match reason {
                RejectReason::Remote(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        if remote_reasons.iter().any(|text| text.contains("protected")) {
            return Some(
                "the branch is protected on the remote: push through a pull request, or ask for \
                 the rule to allow this push"
                    .to_owned(),
            );
        }
        if remote_reasons.iter().any(|text| text.contains("hook")) {
            return Some(
                "a hook on the remote refused the push; its message is shown above".to_owned(),
            );
        }
        None
    }

    /// Reads `git push --porcelain` stdout and stderr; `None` when no ref was rejected (the
    /// failure happened before any ref was considered: authentication, network).
    fn parse(command: &str, remote: &str, stdout: &str, stderr: &str) -> Option<PushRejection> {
        let rejected: Vec<RejectedRef> = stdout
            .lines()
            .filter_map(|line| line.strip_prefix("!\t"))
            .filter_map(parse_rejected_line)
            .collect();
        if rejected.is_empty() {
            return None;
        }
        let remote_messages = stderr
            .lines()
            .filter_map(|line| line.strip_prefix("remote:"))
            .map(|line| line.trim().to_owned())
            .filter(|line| !line.is_empty())
            .collect();
        Some(PushRejection {
            command: command.to_owned(),
            remote: remote.to_owned(),
            rejected,
            remote_messages,
        })
    }
}

/// `refs/heads/main:refs/heads/main\t[rejected] (non-fast-forward)` (after the `!\t` flag).
fn parse_rejected_line(line: &str) -> Option<RejectedRef> {
    let (refs, summary) = line.split_once('\t')?;
    let (local, remote) = refs.split_once(':').unwrap_or(("", refs));
    let reason_text = summary
        .split_once(" (")
        .map(|(_, reason)| reason.trim_end_matches(')'))
        .unwrap_or("");
    let reason = if summary.starts_with("[remote rejected]") {
        RejectReason::Remote(reason_text.to_owned())
    } else {
        match reason_text {
            "non-fast-forward" => RejectReason::NonFastForward,
            "fetch first" => RejectReason::FetchFirst,
            "already exists" => RejectReason::AlreadyExists,
            "stale info" => RejectReason::Stale,
            "atomic push failed" => RejectReason::AtomicFailed,
            _ => RejectReason::Other(summary.to_owned()),
        }
    };
    Some(RejectedRef {
        local: local.to_owned(),
        remote: remote.to_owned(),
        reason,
    })
}

impl Repository {
    /// When a command naming `remote` failed, tells a remote that does not exist (a name, not a
    /// URL, with no `remote.NAME.url`) from one that cannot be reached. Only asked after a
    /// failure, so a working remote costs no extra process.
    pub(crate) fn remote_failure(&self, remote: &str, error: GitError) -> GitError {
        let GitError::Failed { stderr, .. } = &error else {
            return error;
        };
        let looks_like_url = remote.contains(':') || remote.contains('/') || remote.contains('\\');
        if looks_like_url || !stderr.contains("does not appear to be a git repository") {
            return error;
        }
        if !matches!(self.remote_url(remote), Ok(None)) {
            return error;
        }
        let known = self
            .git(["remote"])
            .run_text()
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        GitError::NoSuchRemote {
            name: remote.to_owned(),
            known,
        }
    }

    /// The URL configured for the remote `name`, `None` when there is no such remote.
    pub fn remote_url(&self, name: &str) -> Result<Option<String>, GitError> {
        self.config_get(&format!("remote.{name}.url"))
    }

    /// The default branch of `remote` (`main`): from the local `refs/remotes/REMOTE/HEAD` when set,
    /// else by asking the remote. `None` when neither knows.
    pub fn remote_head_branch(&self, remote: &str) -> Result<Option<String>, GitError> {
        check_revision(remote)?;
        let local = self
            .git(["symbolic-ref", "-q"])
            .arg(format!("refs/remotes/{remote}/HEAD"))
            .output()?;
        let prefix = format!("refs/remotes/{remote}/");
        if local.status.success()
            && let Some(branch) = local.stdout_text().strip_prefix(&prefix)
        {
            return Ok(Some(branch.to_owned()));
        }
        let text = self
            .git(["ls-remote", "--symref", "--", remote, "HEAD"])
            .run_text()
            .map_err(|error| self.remote_failure(remote, error))?;
        Ok(text
            .lines()
            .filter_map(|line| line.strip_prefix("ref: "))
            .filter_map(|line| line.split_once('\t'))
            .find(|(_, name)| *name == "HEAD")
            .and_then(|(target, _)| target.strip_prefix("refs/heads/"))
            .map(str::to_owned))
    }

    /// The refs of `remote` matching `patterns` (git's tail matching: `v1.0` matches
    /// `refs/tags/v1.0`; give full names to be exact); every ref when `patterns` is empty.
    pub fn ls_remote(&self, remote: &str, patterns: &[&str]) -> Result<Vec<RemoteRef>, GitError> {
        check_revision(remote)?;
        let mut command = self.git(["ls-remote", "--", remote]);
        for pattern in patterns {
            check_revision(pattern)?;
            // The peeled line of an annotated tag (`NAME^{}`) only matches a pattern that says so.
            command.arg(pattern).arg(format!("{pattern}^{{}}"));
        }
        let text = command
            .run_text()
            .map_err(|error| self.remote_failure(remote, error))?;
        let mut refs: Vec<RemoteRef> = Vec::new();
        for line in text.lines() {
            let Some((target, name)) = line.split_once('\t') else {
                continue;
            };
            match name.strip_suffix("^{}") {
                Some(base) => {
                    if let Some(tag) = refs.iter_mut().rev().find(|r| r.name == base) {
                        tag.peeled = Some(target.to_owned());
                    }
                }
                None => refs.push(RemoteRef {
                    name: name.to_owned(),
                    target: target.to_owned(),
                    peeled: None,
                }),
            }
        }
        Ok(refs)
    }

    /// `git fetch REMOTE REFSPECS...` (the remote's configured refspecs when none are given).
    pub fn fetch(&self, remote: &str, refspecs: &[&str]) -> Result<(), GitError> {
        check_revision(remote)?;
        let mut command = self.git(["fetch", "--quiet", "--", remote]);
        for refspec in refspecs {
            check_revision(refspec.trim_start_matches('+'))?;
            command.arg(refspec);
        }
        command
            .run()
            .map_err(|error| self.remote_failure(remote, error))?;
        Ok(())
    }

    /// Fetches the missing history of a shallow clone, with its tags.
    pub fn unshallow(&self, remote: &str) -> Result<(), GitError> {
        check_revision(remote)?;
        self.git(["fetch", "--quiet", "--unshallow", "--tags", "--", remote])
            .run()
            .map_err(|error| self.remote_failure(remote, error))?;
        Ok(())
    }

    /// `git push REMOTE REFSPECS...`, all or nothing with `atomic`, recording the upstream of
    /// pushed branches with `set_upstream`. A refusal comes back as [`GitError::PushRejected`].
    pub fn push(
        &self,
        remote: &str,
        refspecs: &[&str],
        atomic: bool,
        set_upstream: bool,
    ) -> Result<(), GitError> {
        check_revision(remote)?;
        let mut command = self.git(["push", "--porcelain"]);
        if atomic {
            command.arg("--atomic");
        }
        if set_upstream {
            command.arg("--set-upstream");
        }
        command.arg("--").arg(remote);
        for refspec in refspecs {
            check_revision(refspec.trim_start_matches('+'))?;
            command.arg(refspec);
        }
        let output = command.output()?;
        if output.status.success() {
            return Ok(());
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        match PushRejection::parse(&output.command, remote, &stdout, &output.stderr) {
            Some(rejection) => Err(GitError::PushRejected(Box::new(rejection))),
            None => Err(self.remote_failure(remote, output.into_error())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_porcelain_rejections() {
        let stdout = "To /tmp/remote.git\n\
            !\trefs/heads/main:refs/heads/main\t[rejected] (non-fast-forward)\n\
            !\trefs/tags/v1:refs/tags/v1\t[remote rejected] (pre-receive hook declined)\n\
            *\trefs/tags/v2:refs/tags/v2\t[new tag]\n\
            Done\n";
        let stderr = "remote: releases are frozen        \nremote: \nerror: failed to push";
        let rejection = PushRejection::parse("git push", "origin", stdout, stderr).unwrap();
        assert_eq!(
            rejection.rejected,
            [
                RejectedRef {
                    local: "refs/heads/main".to_owned(),
                    remote: "refs/heads/main".to_owned(),
                    reason: RejectReason::NonFastForward,
                },
                RejectedRef {
                    local: "refs/tags/v1".to_owned(),
                    remote: "refs/tags/v1".to_owned(),
                    reason: RejectReason::Remote("pre-receive hook declined".to_owned()),
                },
            ]
        );
        assert_eq!(rejection.remote_messages, ["releases are frozen"]);
        assert!(rejection.hint().unwrap().contains("git pull --rebase"));
        assert!(
            rejection.to_string().ends_with(
                "remote rejected: pre-receive hook declined\nremote: releases are frozen"
            )
        );
    }

    #[test]
    fn no_rejected_line_is_not_a_rejection() {
        assert_eq!(
            PushRejection::parse("git push", "origin", "", "fatal: could not read"),
            None
        );
    }
}
