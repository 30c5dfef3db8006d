//! The checks that read only the repository: `branch`, `clean`, `up-to-date` (asked with
//! `git ls-remote`: nothing is fetched), `tag-available`, `version-bumped` and
//! `changelog-entry`. They never write anything, and also run while the plan is made.

use super::{Check, CheckResult, CheckStep};
use crate::core::StepError;
use crate::template::Template;

/// What a check needs to know about the release.
pub struct CheckScope<'a> {
    pub project: &'a crate::project::Project,
    pub repo: &'a relman_git::Repository,
    /// Resolves the step's templates.
    pub render: &'a dyn Fn(&Template) -> Result<String, StepError>,
    /// The release's version.
    pub version: &'a str,
}

impl std::fmt::Debug for CheckScope<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckScope")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl CheckStep {
    /// Runs a local check (never writes anything). Remote checks are run by `forge`.
    pub fn evaluate(&self, scope: &CheckScope<'_>) -> Result<CheckResult, StepError> {
        let project = scope.project;
        let repo = scope.repo;
        let remote = match &self.remote {
            Some(remote) => (scope.render)(remote)?,
            None => project.remote.clone(),
        };
        Ok(match self.check {
            Check::Branch => {
                let expected = match &self.branch {
                    Some(branch) => (scope.render)(branch)?,
                    None => project.release_branch(),
                };
                match repo.current_branch()? {
                    None => CheckResult::fail(
                        format!("HEAD is detached, not on `{expected}`"),
                        format!("switch to the release branch: `git switch {expected}`"),
                    ),
                    Some(branch) => {
                        let matches = globset::Glob::new(&expected)
                            .map(|glob| glob.compile_matcher().is_match(&branch))
                            .unwrap_or(branch == expected);
                        if matches {
                            CheckResult::pass(format!("on `{branch}`"))
                        } else {
                            CheckResult::fail(
                                format!("on branch `{branch}`, not `{expected}`"),
                                format!(
                                    "releases are cut from `{expected}`: `git switch {expected}`"
                                ),
                            )
                        }
                    }
                }
            }
            Check::Clean => {
                let status = repo.status()?;
                let mut dirty: Vec<String> = Vec::new();
                for (label, paths) in [
                    ("conflict", &status.conflicts),
                    ("staged", &status.staged),
                    ("modified", &status.unstaged),
                ] {
                    dirty.extend(
                        paths
                            .iter()
                            .map(|path| format!("{label}: {}", path.display())),
                    );
                }
                if !self.allow_untracked {
                    dirty.extend(
                        status
                            .untracked
                            .iter()
                            .map(|path| format!("untracked: {}", path.display())),
                    );
                }
                if dirty.is_empty() {
                    CheckResult::pass("the work tree is clean")
                } else {
                    let shown: Vec<&str> = dirty.iter().take(10).map(String::as_str).collect();
                    let more = if dirty.len() > 10 {
                        format!(" and {} more", dirty.len() - 10)
                    } else {
                        String::new()
                    };
                    CheckResult::fail(
                        format!("uncommitted changes: {}{more}", shown.join(", ")),
                        if self.allow_untracked {
                            "commit or stash them (`git stash`), then try again".to_owned()
                        } else {
                            "commit or stash them (`git stash -u`), or set `allow-untracked = true` on the check"
                                .to_owned()
                        },
                    )
                }
            }
            Check::UpToDate => {
                let Some(branch) = repo.current_branch()? else {
                    return Ok(CheckResult::fail(
                        "HEAD is detached",
                        "switch to the release branch first",
                    ));
                };
                let head = repo.head_sha()?;
                let refs = repo.ls_remote(&remote, &[&format!("refs/heads/{branch}")])?;
                match refs.first() {
                    None => CheckResult::fail(
                        format!("`{remote}` has no branch `{branch}`"),
                        format!(
                            "push it first (`git push -u {remote} {branch}`), or release from a branch the remote has"
                        ),
                    ),
                    Some(remote_ref) if remote_ref.commit() == head => CheckResult::pass(format!(
                        "`{branch}` is at {} on `{remote}` too",
                        &head[..head.len().min(7)]
                    )),
                    Some(remote_ref) => {
                        let theirs = remote_ref.commit();
                        let ahead = repo.is_ancestor(theirs, &head).unwrap_or(false);
                        let (detail, hint) = if ahead {
                            (
                                format!("`{branch}` is ahead of `{remote}/{branch}`"),
                                format!("push your commits first: `git push {remote} {branch}`"),
                            )
                        } else {
                            (
                                format!(
                                    "`{branch}` is behind or has diverged from `{remote}/{branch}` (at {})",
                                    &theirs[..theirs.len().min(7)]
                                ),
                                format!("update it: `git pull {remote} {branch}`"),
                            )
                        };
                        CheckResult::fail(detail, hint)
                    }
                }
            }
            Check::TagAvailable => {
                let tag = match &self.tag {
                    Some(tag) => (scope.render)(tag)?,
                    None => project.tag_of(scope.version),
                };
                if repo.tag_exists(&tag)? {
                    let target = repo.tag_target(&tag)?.unwrap_or_default();
                    return Ok(CheckResult::fail(
                        format!(
                            "tag `{tag}` already exists here (at {})",
                            &target[..target.len().min(7)]
                        ),
                        "that version is released: release another one (a level such as `patch` takes the next free version)",
                    ));
                }
                let refs = repo.ls_remote(&remote, &[&format!("refs/tags/{tag}")])?;
                if let Some(found) = refs.first() {
                    let target = found.commit();
                    return Ok(CheckResult::fail(
                        format!(
                            "tag `{tag}` already exists on `{remote}` (at {})",
                            &target[..target.len().min(7)]
                        ),
                        format!(
                            "that version was released; fetch the tags (`git fetch {remote} --tags`) and release another"
                        ),
                    ));
                }
                CheckResult::pass(format!("`{tag}` is free here and on `{remote}`"))
            }
            Check::VersionBumped => {
                let history = project.history(false)?;
                let current = project.current_version(history.previous.as_ref())?;
                match &history.previous {
                    None => CheckResult::pass(format!("{} (no release yet)", current.version)),
                    Some(release) if current.version > release.version => {
                        CheckResult::pass(format!(
                            "{} > {} ({})",
                            current.version, release.version, release.tag
                        ))
                    }
                    Some(release) => CheckResult::fail(
                        format!(
                            "the version in {} is {}, not greater than {} of tag `{}`",
                            current.source, current.version, release.version, release.tag
                        ),
                        "bump the version first (a `bump` step, or edit the version files)",
                    ),
                }
            }
            Check::ChangelogEntry => {
                let file = project.changelog.file.display().to_string();
                match project.changelog_section(scope.version) {
                    Ok(_) => {
                        CheckResult::pass(format!("{file} has a section for {}", scope.version))
                    }
                    Err(error) => match &project.changelog.source {
                        crate::project::ChangelogSource::Fragments(config) => {
                            let fragments =
                                relman_version::changelog::towncrier::collect_fragments(config)
                                    .map_err(|error| StepError::new(error.to_string()))?;
                            if fragments.is_empty() {
                                CheckResult::fail(
                                    format!(
                                        "{file} has no section for {} and there are no news fragments",
                                        scope.version
                                    ),
                                    "add fragments with `relman fragment new TYPE ID -m TEXT`",
                                )
                            } else {
                                CheckResult::pass(format!(
                                    "{} to build the section from",
                                    relman_version::words::counted(
                                        fragments.files().len(),
                                        "news fragment",
                                        "news fragments"
                                    )
                                ))
                            }
                        }
                        crate::project::ChangelogSource::Changesets => {
                            CheckResult::pass("the changesets make the entry".to_owned())
                        }
                        crate::project::ChangelogSource::File if unreleased_notes(project) => {
                            CheckResult::pass(format!(
                                "{file} has unreleased notes to promote to {}",
                                scope.version
                            ))
                        }
                        crate::project::ChangelogSource::Commits
                        | crate::project::ChangelogSource::File
                        | crate::project::ChangelogSource::Github => {
                            let history = project.history(project.changelog.include_other)?;
                            if history.notes.is_empty() {
                                CheckResult::fail(
                                    format!(
                                        "{error}; and no commit since the last release would make an entry"
                                    ),
                                    "write the section by hand, or use conventional commits (`feat: …`, `fix: …`)",
                                )
                            } else {
                                CheckResult::pass(format!(
                                    "{} to build the section from",
                                    relman_version::words::counted(
                                        history.commits,
                                        "commit",
                                        "commits"
                                    )
                                ))
                            }
                        }
                    },
                }
            }
            Check::CiGreen | Check::MilestoneClosed | Check::NoOpenIssues | Check::Credentials => {
                return Err(StepError::new(format!(
                    "`check = \"{}\"` asks the forge",
                    self.check.name()
                )));
            }
        })
    }
}

/// Whether a changelog written by hand holds notes for the next release.
fn unreleased_notes(project: &crate::project::Project) -> bool {
    let path = project.root.join(&project.changelog.file);
    relman_version::files::read_text_bounded(&path, relman_version::files::bounded::MAX_CHANGELOG)
        .is_ok_and(|text| {
            relman_version::changelog::handwritten::has_unreleased_notes(&path, &text)
        })
}
