//! The state of the work tree and index, from `git status --porcelain=v2 -z --branch`: what is
//! staged, changed, untracked or in conflict, and where the branch stands against its upstream.

use std::path::PathBuf;

use crate::error::GitError;
use crate::repository::Repository;

/// The work tree and index compared with HEAD.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// The branch checked out; `None` when HEAD is detached.
    pub branch: Option<String>,
    /// The upstream branch (`origin/main`), when one is configured.
    pub upstream: Option<String>,
    /// Commits ahead of and behind the upstream, when it exists.
    pub ahead_behind: Option<(u64, u64)>,
    /// Paths whose index entry differs from HEAD.
    pub staged: Vec<PathBuf>,
    /// Paths whose work tree file differs from the index.
    pub unstaged: Vec<PathBuf>,
    /// Paths git does not track and does not ignore.
    pub untracked: Vec<PathBuf>,
    /// Paths with unresolved merge conflicts.
    pub conflicts: Vec<PathBuf>,
}

impl Status {
    /// No staged, unstaged or conflicting change (untracked files do not count, as for
    /// `git describe --dirty`).
    pub fn is_clean(&self) -> bool {
        self.staged.is_empty() && self.unstaged.is_empty() && self.conflicts.is_empty()
    }

    fn parse(output: &[u8]) -> Result<Status, String> {
        let mut status = Status::default();
        let mut entries = output.split(|&b| b == 0).filter(|entry| !entry.is_empty());
        while let Some(entry) = entries.next() {
            let text = String::from_utf8_lossy(entry);
            match entry[0] {
                b'#' => status.read_header(&text),
                b'1' => status.read_change(entry, 8)?,
                b'2' => {
                    status.read_change(entry, 9)?;
                    // The original path of a rename or copy follows as its own entry.
                    entries.next();
                }
                b'u' => status.conflicts.push(path_field(entry, 10)?),
                b'?' => status.untracked.push(path_after(entry, 2)),
                b'!' => {}
                _ => return Err(format!("unknown entry `{text}`")),
            }
        }
        Ok(status)
    }

    fn read_header(&mut self, line: &str) {
        let mut words = line.splitn(3, ' ');
        let (_, key, value) = (words.next(), words.next(), words.next().unwrap_or(""));
        match key {
            Some("branch.head") if value != "(detached)" => self.branch = Some(value.to_owned()),
            Some("branch.upstream") => self.upstream = Some(value.to_owned()),
            Some("branch.ab") => {
                let mut counts = value
                    .split(' ')
                    .map(|count| count.trim_start_matches(['+', '-']).parse::<u64>());
                if let (Some(Ok(ahead)), Some(Ok(behind))) = (counts.next(), counts.next()) {
                    self.ahead_behind = Some((ahead, behind));
                }
            }
            _ => {}
        }
    }

    /// An ordinary (`1`) or renamed (`2`) entry: `XY` then `path_index` space-separated fields
    /// before the path.
    fn read_change(&mut self, entry: &[u8], path_index: usize) -> Result<(), String> {
        let path = path_field(entry, path_index)?;
        let (index_state, tree_state) = (entry.get(2), entry.get(3));
        if index_state.is_some_and(|&state| state != b'.') {
            self.staged.push(path.clone());
        }
        if tree_state.is_some_and(|&state| state != b'.') {
            self.unstaged.push(path);
        }
        Ok(())
    }
}

/// The path that follows `index` space-separated fields (paths may contain spaces).
fn path_field(entry: &[u8], index: usize) -> Result<PathBuf, String> {
    let mut start = 0;
    for _ in 0..index {
        let space = memchr::memchr(b' ', &entry[start..]).ok_or_else(|| {
            format!(
                "entry `{}` has too few fields",
                String::from_utf8_lossy(entry)
            )
        })?;
        start += space + 1;
    }
    Ok(path_after(entry, start))
}

fn path_after(entry: &[u8], start: usize) -> PathBuf {
    path_from_bytes(entry.get(start..).unwrap_or_default())
}

/// A path as git printed it: raw bytes on Unix, lossily decoded elsewhere.
pub(crate) fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

impl Repository {
    /// Every file git sees in the work tree, relative to its top: tracked ones (deleted ones
    /// included) and untracked ones that are not ignored. What `git add` will take.
    pub fn visible_files(&self) -> Result<Vec<PathBuf>, GitError> {
        let command = self.git([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--deduplicate",
        ]);
        crate::index::name_list(command)
    }

    /// The state of the work tree and index (untracked files listed as git lists them by default,
    /// ignored files left out).
    pub fn status(&self) -> Result<Status, GitError> {
        // `--no-optional-locks`: without it `git status` refreshes the index's stat data and
        // rewrites `.git/index` when a file was touched, and `relman plan` must write nothing.
        let output = self
            .git([
                "--no-optional-locks",
                "status",
                "--porcelain=v2",
                "-z",
                "--branch",
                "--untracked-files=normal",
                "--ignore-submodules=none",
            ])
            .output()?;
        if !output.status.success() {
            return Err(output.into_error());
        }
        Status::parse(&output.stdout).map_err(|detail| GitError::Output {
            command: output.command,
            detail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_porcelain_v2() {
        let output = b"# branch.oid 1111111111111111111111111111111111111111\0\
# branch.head main\0\
# branch.upstream origin/main\0\
# branch.ab +2 -1\0\
1 M. N... 100644 100644 100644 aaaa bbbb staged file.txt\0\
1 .M N... 100644 100644 100644 aaaa aaaa changed.txt\0\
2 R. N... 100644 100644 100644 aaaa aaaa R100 new name.txt\0old name.txt\0\
u UU N... 100644 100644 100644 100644 aaaa bbbb cccc both.txt\0\
? new dir/x.txt\0";
        let status = Status::parse(output).unwrap();
        assert_eq!(status.branch.as_deref(), Some("main"));
        assert_eq!(status.upstream.as_deref(), Some("origin/main"));
        assert_eq!(status.ahead_behind, Some((2, 1)));
        assert_eq!(
            status.staged,
            [
                PathBuf::from("staged file.txt"),
                PathBuf::from("new name.txt")
            ]
        );
        assert_eq!(status.unstaged, [PathBuf::from("changed.txt")]);
        assert_eq!(status.conflicts, [PathBuf::from("both.txt")]);
        assert_eq!(status.untracked, [PathBuf::from("new dir/x.txt")]);
        assert!(!status.is_clean());
    }

    #[test]
    fn detached_and_clean() {
        let status = Status::parse(b"# branch.oid abc\0# branch.head (detached)\0").unwrap();
        assert_eq!(status.branch, None);
        assert!(status.is_clean());
    }
}
