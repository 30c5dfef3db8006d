//! Reading references without spawning git: HEAD (a branch, possibly unborn, or a detached commit),
//! and the names of tags and branches from `packed-refs` plus loose files under `refs/`, with the
//! commit of each packed tag when `packed-refs` records it peeled. A repository that stores its
//! refs in a reftable (`extensions.refStorage = reftable`) has no such files; for it every read
//! here falls back to `git for-each-ref`/`git symbolic-ref`.

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::path::Path;

use crate::error::GitError;
use crate::repository::Repository;

/// Where HEAD points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// On a branch; `commit` is `None` while the branch is unborn (no commit yet).
    Branch {
        name: String,
        commit: Option<String>,
    },
    /// Detached at a commit.
    Detached { commit: String },
}

impl Head {
    /// The commit HEAD points at, or the "no commits" error for an unborn branch.
    pub fn commit(&self) -> Result<&str, GitError> {
        match self {
            Head::Branch {
                commit: Some(commit),
                ..
            }
            | Head::Detached { commit } => Ok(commit),
            Head::Branch { name, commit: None } => Err(GitError::NoCommits {
                branch: name.clone(),
            }),
        }
    }
}

/// A tag and, when it is known without reading objects, the commit it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagTarget {
    pub name: String,
    /// `None` for a loose tag (it may be an annotated tag object) and for a packed one whose file
    /// does not record peeled values.
    pub commit: Option<String>,
}

/// Symbolic refs are followed at most this deep, as git does, to stop loops.
const MAX_SYMREF_DEPTH: usize = 5;

impl Repository {
    /// Whether refs live in a reftable rather than in files.
    pub fn uses_reftable(&self) -> bool {
        self.common_dir().join("reftable").is_dir()
    }

    /// Where HEAD points.
    pub fn head(&self) -> Result<Head, GitError> {
        if self.uses_reftable() {
            return self.head_with_git();
        }
        let text = fs_err::read_to_string(self.git_dir().join("HEAD"))?;
        let text = text.trim_end();
        match text.strip_prefix("ref:") {
            Some(target) => {
                let target = target.trim();
                let name = target
                    .strip_prefix("refs/heads/")
                    .unwrap_or(target)
                    .to_owned();
                let commit = self.resolve_ref(target, MAX_SYMREF_DEPTH)?;
                Ok(Head::Branch { name, commit })
            }
            None if is_object_id(text) => Ok(Head::Detached {
                commit: text.to_owned(),
            }),
            None => Err(GitError::InvalidGitDir {
                path: self.git_dir().join("HEAD"),
                detail: format!("`{text}` is neither a ref nor a commit id"),
            }),
        }
    }

    /// The commit HEAD points at (an error for an unborn branch).
    pub fn head_sha(&self) -> Result<String, GitError> {
        Ok(self.head()?.commit()?.to_owned())
    }

    /// The branch checked out, `None` when HEAD is detached.
    pub fn current_branch(&self) -> Result<Option<String>, GitError> {
        Ok(match self.head()? {
            Head::Branch { name, .. } => Some(name),
            Head::Detached { .. } => None,
        })
    }

    /// The names of all tags (without `refs/tags/`), sorted.
    pub fn tag_names(&self) -> Result<Vec<String>, GitError> {
        self.ref_names("refs/tags/")
    }

    /// Calls `visit` with each tag's name, in no order and perhaps twice (packed and loose):
    /// for a scan of thousands of tags that needs neither, without sorting or copying them.
    pub fn visit_tag_names(&self, mut visit: impl FnMut(&str)) -> Result<(), GitError> {
        const PREFIX: &str = "refs/tags/";
        if self.uses_reftable() {
            self.ref_names_with_git(PREFIX)?
                .iter()
                .for_each(|name| visit(name));
            return Ok(());
        }
        if let Some(packed) = read_if_exists(&self.common_dir().join("packed-refs"))? {
            packed_refs(&packed)
                .filter_map(|(_, refname)| refname.strip_prefix(PREFIX))
                .for_each(&mut visit);
        }
        let mut loose = BTreeSet::new();
        collect_loose(&self.common_dir().join(PREFIX), "", &mut loose)?;
        loose.iter().for_each(|name| visit(name));
        Ok(())
    }

    /// The names of all local branches (without `refs/heads/`), sorted.
    pub fn branch_names(&self) -> Result<Vec<String>, GitError> {
        self.ref_names("refs/heads/")
    }

    /// Every tag with its commit where `packed-refs` tells it (for reftable, git tells all).
    pub(crate) fn tag_targets(&self) -> Result<Vec<TagTarget>, GitError> {
        const PREFIX: &str = "refs/tags/";
        if self.uses_reftable() {
            let text = self
                .git([
                    "for-each-ref",
                    "--format=%(refname)%09%(objectname)%09%(*objectname)",
                    PREFIX,
                ])
                .run_text()?;
            return Ok(text
                .lines()
                .filter_map(|line| {
                    let mut fields = line.split('\t');
                    let name = fields.next()?.strip_prefix(PREFIX)?;
                    let target = fields.next()?;
                    let peeled = fields.next().filter(|peeled| !peeled.is_empty());
                    Some(TagTarget {
                        name: name.to_owned(),
                        commit: Some(peeled.unwrap_or(target).to_owned()),
                    })
                })
                .collect());
        }
        let mut loose = BTreeSet::new();
        collect_loose(&self.common_dir().join(PREFIX), "", &mut loose)?;
        let packed = read_if_exists(&self.common_dir().join("packed-refs"))?.unwrap_or_default();
        let peeled_recorded = packed
            .lines()
            .next()
            .and_then(|header| header.strip_prefix("# pack-refs with:"))
            .is_some_and(|traits| {
                traits
                    .split(' ')
                    .any(|t| t == "peeled" || t == "fully-peeled")
            });
        let mut targets: Vec<TagTarget> = Vec::new();
        for entry in packed_entries(&packed) {
            let Some(name) = entry.name.strip_prefix(PREFIX) else {
                continue;
            };
            // A loose file overrides the packed line of the same name.
            if loose.contains(name) {
                continue;
            }
            let commit = match entry.peeled {
                Some(peeled) => Some(peeled),
                None if peeled_recorded => Some(entry.target),
                None => None,
            };
            targets.push(TagTarget {
                name: name.to_owned(),
                commit: commit.map(str::to_owned),
            });
        }
        targets.extend(
            loose
                .into_iter()
                .map(|name| TagTarget { name, commit: None }),
        );
        Ok(targets)
    }

    /// Whether the tag `name` exists locally.
    pub fn tag_exists(&self, name: &str) -> Result<bool, GitError> {
        Ok(self.tag_names()?.iter().any(|tag| tag == name))
    }

    /// The commit a ref (`refs/heads/main`) points at, read from files; `None` when it is absent.
    fn resolve_ref(&self, name: &str, depth: usize) -> Result<Option<String>, GitError> {
        let base = if is_per_worktree(name) {
            self.git_dir()
        } else {
            self.common_dir()
        };
        if let Some(text) = read_if_exists(&base.join(name))? {
            let text = text.trim_end();
            if let Some(target) = text.strip_prefix("ref:") {
                if depth == 0 {
                    return Err(GitError::InvalidGitDir {
                        path: base.join(name),
                        detail: "symbolic refs nest too deep".to_owned(),
                    });
                }
                return self.resolve_ref(target.trim(), depth - 1);
            }
            if is_object_id(text) {
                return Ok(Some(text.to_owned()));
            }
        }
        let packed = read_if_exists(&self.common_dir().join("packed-refs"))?.unwrap_or_default();
        Ok(packed_refs(&packed)
            .find(|(_, refname)| *refname == name)
            .map(|(oid, _)| oid.to_owned()))
    }

    fn ref_names(&self, prefix: &str) -> Result<Vec<String>, GitError> {
        if self.uses_reftable() {
            return self.ref_names_with_git(prefix);
        }
        let mut names = BTreeSet::new();
        if let Some(packed) = read_if_exists(&self.common_dir().join("packed-refs"))? {
            names.extend(
                packed_refs(&packed)
                    .filter_map(|(_, refname)| refname.strip_prefix(prefix))
                    .map(str::to_owned),
            );
        }
        // Only directory entries are read: a loose file's existence is enough for its name.
        collect_loose(&self.common_dir().join(prefix), "", &mut names)?;
        Ok(names.into_iter().collect())
    }

    fn head_with_git(&self) -> Result<Head, GitError> {
        let symbolic = self.git(["symbolic-ref", "-q", "HEAD"]).output()?;
        let commit = self
            .git(["rev-parse", "-q", "--verify", "HEAD^{commit}"])
            .output()?;
        let commit = commit.status.success().then(|| commit.stdout_text());
        if symbolic.status.success() {
            let target = symbolic.stdout_text();
            let name = target
                .strip_prefix("refs/heads/")
                .unwrap_or(&target)
                .to_owned();
            Ok(Head::Branch { name, commit })
        } else if let Some(commit) = commit {
            Ok(Head::Detached { commit })
        } else {
            Err(symbolic.into_error())
        }
    }

    fn ref_names_with_git(&self, prefix: &str) -> Result<Vec<String>, GitError> {
        let text = self
            .git(["for-each-ref", "--format=%(refname)", prefix])
            .run_text()?;
        let mut names: Vec<String> = text
            .lines()
            .filter_map(|line| line.strip_prefix(prefix))
            .map(str::to_owned)
            .collect();
        names.sort();
        Ok(names)
    }
}

/// `(object id, ref name)` of each ref line of a `packed-refs` file; `^` peeled lines are skipped.
fn packed_refs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with('^'))
        .filter_map(|line| line.split_once(' '))
}

/// One ref of a `packed-refs` file with the `^` line that follows an annotated tag.
struct PackedEntry<'a> {
    name: &'a str,
    target: &'a str,
    peeled: Option<&'a str>,
}

fn packed_entries(text: &str) -> Vec<PackedEntry<'_>> {
    let mut entries: Vec<PackedEntry<'_>> = Vec::new();
    for line in text.lines() {
        if let Some(peeled) = line.strip_prefix('^') {
            if let Some(last) = entries.last_mut() {
                last.peeled = Some(peeled.trim_end());
            }
        } else if !line.starts_with('#')
            && let Some((target, name)) = line.split_once(' ')
        {
            entries.push(PackedEntry {
                name,
                target,
                peeled: None,
            });
        }
    }
    entries
}

fn collect_loose(dir: &Path, prefix: &str, names: &mut BTreeSet<String>) -> Result<(), GitError> {
    let entries = match fs_err::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error.into()),
    };
    for entry in entries {
        let entry = entry?;
        // Ref names are UTF-8 in practice; one that is not can be no release tag or branch we name.
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if name.ends_with(".lock") {
            continue;
        }
        let full = format!("{prefix}{name}");
        if entry.file_type()?.is_dir() {
            collect_loose(&entry.path(), &format!("{full}/"), names)?;
        } else {
            names.insert(full);
        }
    }
    Ok(())
}

fn read_if_exists(path: &Path) -> Result<Option<String>, GitError> {
    match fs_err::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if matches!(error.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            Ok(None)
        }
        Err(error) => Err(error.into()),
    }
}

/// Refs that belong to one worktree and live in its own git directory.
fn is_per_worktree(name: &str) -> bool {
    !name.starts_with("refs/")
        || ["refs/bisect/", "refs/worktree/", "refs/rewritten/"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// A full hexadecimal object id (SHA-1 or SHA-256).
pub(crate) fn is_object_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_packed_refs() {
        let text = "# pack-refs with: peeled fully-peeled sorted \n\
            1111111111111111111111111111111111111111 refs/heads/main\n\
            2222222222222222222222222222222222222222 refs/tags/v1.0\n\
            ^3333333333333333333333333333333333333333\n";
        let refs: Vec<_> = packed_refs(text).collect();
        assert_eq!(
            refs,
            [
                (
                    "1111111111111111111111111111111111111111",
                    "refs/heads/main"
                ),
                ("2222222222222222222222222222222222222222", "refs/tags/v1.0"),
            ]
        );
    }

    #[test]
    fn packed_entries_carry_peeled_commits() {
        let text = "# pack-refs with: peeled fully-peeled sorted \n\
            2222222222222222222222222222222222222222 refs/tags/annotated\n\
            ^3333333333333333333333333333333333333333\n\
            4444444444444444444444444444444444444444 refs/tags/light\n";
        let entries = packed_entries(text);
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].peeled,
            Some("3333333333333333333333333333333333333333")
        );
        assert_eq!(entries[1].name, "refs/tags/light");
        assert_eq!(entries[1].peeled, None);
    }

    #[test]
    fn per_worktree_refs() {
        assert!(is_per_worktree("HEAD"));
        assert!(is_per_worktree("refs/bisect/good"));
        assert!(!is_per_worktree("refs/heads/main"));
    }
}
