//! Single-answer reads that need git: revisions (`rev-parse`, `describe`, ancestry), a file's
//! content at a revision, and config values.

use std::fmt;
use std::path::Path;

use crate::error::GitError;
use crate::repository::Repository;

/// `git describe --tags --long` split into its parts (`v0.3.0-96-g9c48bb1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Describe {
    /// The nearest tag.
    pub tag: String,
    /// Commits between the tag and the described commit.
    pub distance: u64,
    /// The abbreviated id of the described commit (without the `g`).
    pub abbreviated: String,
}

impl fmt::Display for Describe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-g{}", self.tag, self.distance, self.abbreviated)
    }
}

impl Describe {
    fn parse(text: &str) -> Option<Describe> {
        let mut parts = text.rsplitn(3, '-');
        let abbreviated = parts.next()?.strip_prefix('g')?;
        let distance = parts.next()?.parse().ok()?;
        let tag = parts.next()?;
        Some(Describe {
            tag: tag.to_owned(),
            distance,
            abbreviated: abbreviated.to_owned(),
        })
    }
}

/// Rejects what git would take for an option, and what cannot be a revision at all.
pub(crate) fn check_revision(rev: &str) -> Result<(), GitError> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains(['\0', '\n']) {
        return Err(GitError::UnknownRevision {
            rev: rev.to_owned(),
        });
    }
    Ok(())
}

impl Repository {
    /// The nearest tag reachable from HEAD (only tags matching the glob `pattern` when given) and
    /// the distance to it; `None` when no tag matches.
    pub fn describe(&self, pattern: Option<&str>) -> Result<Option<Describe>, GitError> {
        self.head()?.commit()?;
        let mut command = self.git(["describe", "--tags", "--long"]);
        if let Some(pattern) = pattern {
            command.arg(format!("--match={pattern}"));
        }
        let output = command.arg("HEAD").c_locale().output()?;
        if !output.status.success() {
            let no_tag = ["No names found", "No tags can describe", "cannot describe"];
            if no_tag.iter().any(|text| output.stderr.contains(text)) {
                return Ok(None);
            }
            return Err(output.into_error());
        }
        let text = output.stdout_text();
        Describe::parse(&text).map(Some).ok_or(GitError::Output {
            command: output.command,
            detail: format!("`{text}` is not `TAG-N-gSHA`"),
        })
    }

    /// The full id of the object `rev` names (an annotated tag names its tag object).
    pub fn rev_parse(&self, rev: &str) -> Result<String, GitError> {
        self.verify(rev)?.ok_or_else(|| GitError::UnknownRevision {
            rev: rev.to_owned(),
        })
    }

    /// The full id of the commit `rev` names, peeling tags.
    pub fn resolve_commit(&self, rev: &str) -> Result<String, GitError> {
        check_revision(rev)?;
        self.verify(&format!("{rev}^{{commit}}"))?
            .ok_or_else(|| GitError::UnknownRevision {
                rev: rev.to_owned(),
            })
    }

    /// The abbreviated id of the commit `rev` names, as long as needed to be unique.
    pub fn short_sha(&self, rev: &str) -> Result<String, GitError> {
        check_revision(rev)?;
        let output = self
            .git(["rev-parse", "-q", "--verify", "--short"])
            .arg(format!("{rev}^{{commit}}"))
            .output()?;
        match output.status.code() {
            Some(0) => Ok(output.stdout_text()),
            Some(1) => Err(GitError::UnknownRevision {
                rev: rev.to_owned(),
            }),
            _ => Err(output.into_error()),
        }
    }

    /// The commit the tag `tag` points at (peeled through annotated tags), `None` without the tag.
    pub fn tag_target(&self, tag: &str) -> Result<Option<String>, GitError> {
        check_revision(tag)?;
        self.verify(&format!("refs/tags/{tag}^{{commit}}"))
    }

    /// The branches whose history contains `rev`: local ones (`main`) first, then
    /// remote-tracking ones (`origin/release-4.2`), each sorted; a remote's `HEAD` is left out.
    pub fn branches_containing(&self, rev: &str) -> Result<Vec<String>, GitError> {
        check_revision(rev)?;
        let text = self
            .git(["for-each-ref", "--format=%(refname)"])
            .arg(format!("--contains={rev}"))
            .args(["refs/heads/", "refs/remotes/"])
            .run_text()?;
        let mut local = Vec::new();
        let mut remote = Vec::new();
        for name in text.lines() {
            if let Some(branch) = name.strip_prefix("refs/heads/") {
                local.push(branch.to_owned());
            } else if let Some(branch) = name.strip_prefix("refs/remotes/")
                && !branch.ends_with("/HEAD")
            {
                remote.push(branch.to_owned());
            }
        }
        local.sort();
        remote.sort();
        local.extend(remote);
        Ok(local)
    }

    /// Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor).
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> Result<bool, GitError> {
        check_revision(ancestor)?;
        check_revision(descendant)?;
        let output = self
            .git(["merge-base", "--is-ancestor", ancestor, descendant])
            .output()?;
        match output.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(output.into_error()),
        }
    }

    /// The newest committer time among the commits the tags `tags` name, in seconds since the
    /// epoch (one process however many tags); `None` for no tags.
    pub fn newest_tag_time(&self, tags: &[&str]) -> Result<Option<i64>, GitError> {
        if tags.is_empty() {
            return Ok(None);
        }
        let mut command = self.git(["log", "--no-walk", "--max-count=1", "--format=%ct"]);
        for tag in tags {
            check_revision(tag)?;
            command.arg(format!("refs/tags/{tag}^{{commit}}"));
        }
        let output = command.arg("--").output()?;
        if output.status.code() != Some(0) {
            return Err(output.into_error());
        }
        let text = output.stdout_text();
        text.trim()
            .parse()
            .map(Some)
            .map_err(|_| GitError::UnknownRevision {
                rev: tags.join(" "),
            })
    }

    /// When each of `tags` was made, in seconds since the epoch: the tagger's date of an
    /// annotated tag, the committer's of a lightweight one's commit (one process however many
    /// tags). A tag that does not exist is left out.
    pub fn tag_dates(&self, tags: &[&str]) -> Result<Vec<(String, i64)>, GitError> {
        if tags.is_empty() {
            return Ok(Vec::new());
        }
        let mut command = self.git([
            "for-each-ref",
            "--format=%(creatordate:unix) %(refname:strip=2)",
        ]);
        for tag in tags {
            check_revision(tag)?;
            command.arg(format!("refs/tags/{tag}"));
        }
        let text = command.run_text()?;
        Ok(text
            .lines()
            .filter_map(|line| {
                let (time, name) = line.split_once(' ')?;
                // A pattern matches more than its own name (`v1` also `v1/x`): keep exact ones.
                tags.contains(&name)
                    .then(|| time.parse().ok().map(|time| (name.to_owned(), time)))
                    .flatten()
            })
            .collect())
    }

    /// A logical variable of git (`git var GIT_COMMITTER_IDENT`).
    pub fn var(&self, name: &str) -> Result<String, GitError> {
        check_revision(name)?;
        Ok(self.git(["var", name]).run_text()?.trim_end().to_owned())
    }

    /// The value of a config key as git resolves it (all scopes, `-c` config included), `None`
    /// when unset.
    pub fn config_get(&self, key: &str) -> Result<Option<String>, GitError> {
        let output = self.git(["config", "--get", key]).output()?;
        match output.status.code() {
            Some(0) => Ok(Some(output.stdout_text())),
            Some(1) => Ok(None),
            _ => Err(output.into_error()),
        }
    }

    /// The commit that added each file under `dir` (relative to the top of the work tree) in the
    /// history of HEAD, as `git log --diff-filter=A` tells: the newest addition of each path,
    /// renames read as an addition (so a file moved keeps where it was first added apart).
    /// One git process for every file.
    pub fn files_added(&self, dir: &str) -> Result<Vec<(String, String)>, GitError> {
        if self.head_sha().is_err() {
            return Ok(Vec::new());
        }
        let output = self
            .git([
                "log",
                "-z",
                "--diff-filter=A",
                "--no-renames",
                "--name-only",
                "--format=%x00%H",
                "HEAD",
                "--",
                dir,
            ])
            .run()?;
        let mut found: Vec<(String, String)> = Vec::new();
        let mut commit = String::new();
        let mut fields = output.split(|byte| *byte == 0).peekable();
        while let Some(field) = fields.next() {
            if field.is_empty() {
                // An empty field starts a record: the commit id follows.
                if let Some(sha) = fields.next() {
                    commit = String::from_utf8_lossy(sha).trim().to_owned();
                }
                continue;
            }
            let path = String::from_utf8_lossy(field)
                .trim_start_matches('\n')
                .to_owned();
            if !commit.is_empty() && !found.iter().any(|(known, _)| *known == path) {
                found.push((path, commit.clone()));
            }
        }
        Ok(found)
    }

    /// The content of `path` (relative to the top of the work tree) at `rev`, `None` when the file
    /// does not exist there.
    pub fn show_file(&self, rev: &str, path: &Path) -> Result<Option<Vec<u8>>, GitError> {
        check_revision(rev)?;
        let path = path.to_string_lossy().replace('\\', "/");
        if path.contains('\n') {
            return Ok(None);
        }
        let spec = format!("{rev}:{path}");
        let output = self
            .git(["cat-file", "--batch"])
            .stdin(format!("{spec}\n").into_bytes())
            .output()?;
        if !output.status.success() {
            return Err(output.into_error());
        }
        // `<id> <type> <size>\n<content>\n`, or `<spec> missing\n`.
        let header_end = memchr::memchr(b'\n', &output.stdout).unwrap_or(output.stdout.len());
        let header = String::from_utf8_lossy(&output.stdout[..header_end]).into_owned();
        let mut words = header.split(' ');
        let (Some(_id), Some(kind), Some(size)) = (words.next(), words.next(), words.next()) else {
            return Ok(None);
        };
        let size: usize = size.parse().map_err(|_| GitError::Output {
            command: output.command.clone(),
            detail: format!("unexpected header `{header}`"),
        })?;
        if kind != "blob" {
            return Err(GitError::Output {
                command: output.command,
                detail: format!("`{spec}` is a {kind}, not a file"),
            });
        }
        let content = output
            .stdout
            .get(header_end + 1..header_end + 1 + size)
            .ok_or_else(|| GitError::Output {
                command: output.command.clone(),
                detail: format!("fewer than {size} bytes of content"),
            })?;
        Ok(Some(content.to_vec()))
    }

    /// `git rev-parse --verify`: the id, or `None` when the name does not resolve.
    fn verify(&self, rev: &str) -> Result<Option<String>, GitError> {
        check_revision(rev)?;
        let output = self.git(["rev-parse", "-q", "--verify", rev]).output()?;
        match output.status.code() {
            Some(0) => Ok(Some(output.stdout_text())),
            Some(1) => Ok(None),
            _ => Err(output.into_error()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_describe_with_dashes_in_the_tag() {
        let describe = Describe::parse("release-1.0-rc-96-g9c48bb1").unwrap();
        assert_eq!(describe.tag, "release-1.0-rc");
        assert_eq!(describe.distance, 96);
        assert_eq!(describe.abbreviated, "9c48bb1");
        assert_eq!(describe.to_string(), "release-1.0-rc-96-g9c48bb1");
        assert_eq!(Describe::parse("v1.0"), None);
    }

    #[test]
    fn options_are_not_revisions() {
        assert!(check_revision("--all").is_err());
        assert!(check_revision("").is_err());
        assert!(check_revision("v1.0..HEAD").is_ok());
    }
}
