//! Streaming history: one `git log -z` process whose NUL-separated fields are parsed positionally
//! from a buffered reader, each commit handed to a callback as a [`CommitRef`] borrowed from one
//! reused buffer. The callback's `ControlFlow::Break` ends the walk and the git process with it.
//!
//! With [`LogOptions::changed_paths`] git also lists the files each commit changed
//! (`--name-only --no-renames`, so a move names both sides). With `-z` those names follow the
//! record as NUL-terminated strings (the first after a newline) with nothing after the last one,
//! so each record then starts with an empty field: a name is never empty, so an empty field after
//! a name can only be the start of the next commit.

use std::borrow::Cow;
use std::io::BufRead;
use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::error::GitError;
use crate::read::check_revision;
use crate::repository::Repository;

/// The `--format` relman reads history with: sha, parents, author name, author email, strict ISO
/// author date, tag decorations, raw message. With `-z` each record ends with a NUL, so a commit is
/// exactly [`FIELDS`] NUL-terminated fields (messages cannot contain NUL).
pub const LOG_FORMAT: &str = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%D%x00%B";
/// The same fields with the decorations left empty: loading decorations makes git read every tag
/// object (about 140 ms for 10,000 annotated tags), which a caller that already knows the tags'
/// commits does not need.
const LOG_FORMAT_UNDECORATED: &str = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%x00%B";
const FIELDS: usize = 7;

/// Which tags git itself reports on commits ([`CommitRef::tags`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decorate {
    AllTags,
    /// Only these full ref names (`refs/tags/v1.2.0`).
    Only(Vec<String>),
    Nothing,
}

/// The arguments relman passes to `git log` for `revisions`, exposed so benchmarks can time the
/// same command as the floor.
pub fn log_arguments(revisions: &Revisions<'_>, options: &LogOptions) -> Vec<String> {
    log_arguments_with(revisions, options, &Decorate::AllTags)
}

pub(crate) fn log_arguments_with(
    revisions: &Revisions<'_>,
    options: &LogOptions,
    decorate: &Decorate,
) -> Vec<String> {
    let mut args: Vec<String> = [
        "log",
        "-z",
        "--no-color",
        "--no-show-signature",
        "--encoding=UTF-8",
    ]
    .iter()
    .map(|arg| (*arg).to_owned())
    .collect();
    match decorate {
        Decorate::AllTags => args.push("--decorate-refs=refs/tags/".to_owned()),
        Decorate::Only(refs) => {
            args.extend(refs.iter().map(|name| format!("--decorate-refs={name}")));
        }
        Decorate::Nothing => {}
    }
    let format = match decorate {
        Decorate::Nothing => LOG_FORMAT_UNDECORATED,
        _ => LOG_FORMAT,
    };
    if options.changed_paths {
        args.push(format!("--format=%x00{format}"));
        args.push("--name-only".to_owned());
        args.push("--no-renames".to_owned());
    } else {
        args.push(format!("--format={format}"));
    }
    if options.first_parent {
        args.push("--first-parent".to_owned());
    }
    if let Some(count) = options.max_count {
        args.push(format!("--max-count={count}"));
    }
    match revisions {
        Revisions::Head => args.push("HEAD".to_owned()),
        Revisions::Rev(rev) => args.push((*rev).to_owned()),
        Revisions::Range { since, until } => args.push(format!("{since}..{until}")),
        Revisions::Excluding { from, not } => {
            args.push((*from).to_owned());
            args.push("--not".to_owned());
            args.extend(not.iter().cloned());
        }
        Revisions::AllRefs => args.push("--all".to_owned()),
    }
    args.push("--".to_owned());
    args.extend(
        options
            .paths
            .iter()
            .map(|path| path.to_string_lossy().into_owned()),
    );
    args
}

/// Which commits a walk visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revisions<'a> {
    /// Everything reachable from HEAD.
    Head,
    /// Everything reachable from one revision (a tag, a sha, a branch).
    Rev(&'a str),
    /// Reachable from `until` but not from `since` (`since..until`).
    Range { since: &'a str, until: &'a str },
    /// Reachable from `from` and from none of `not` (`from --not A B …`).
    Excluding { from: &'a str, not: &'a [String] },
    /// Reachable from any ref (`--all`).
    AllRefs,
}

/// Options of a walk beyond its revisions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// Follow only the first parent of merges.
    pub first_parent: bool,
    /// Stop after this many commits.
    pub max_count: Option<u64>,
    /// Only commits touching these paths (relative to the top of the work tree).
    pub paths: Vec<PathBuf>,
    /// Also read the files each commit changed ([`CommitRef::changed_paths`]); merges list none.
    pub changed_paths: bool,
}

/// One commit of a walk, borrowed from the walk's buffer: valid only inside the callback.
#[derive(Clone, Copy)]
pub struct CommitRef<'a> {
    record: &'a [u8],
    /// End offset (exclusive, at the NUL) of each field in `record`.
    ends: [usize; FIELDS],
    /// The changed files, each followed by a NUL (empty unless the walk asked for them).
    paths: &'a [u8],
}

impl<'a> CommitRef<'a> {
    fn field(&self, index: usize) -> &'a [u8] {
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1] + 1
        };
        &self.record[start..self.ends[index]]
    }

    fn ascii_field(&self, index: usize) -> &'a str {
        // Validated as ASCII when the record was read.
        std::str::from_utf8(self.field(index)).unwrap_or_default()
    }

    /// The full commit id.
    pub fn sha(&self) -> &'a str {
        self.ascii_field(0)
    }

    /// The full ids of the parents (none for a root commit, two or more for a merge).
    pub fn parents(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.ascii_field(1)
            .split(' ')
            .filter(|parent| !parent.is_empty())
    }

    pub fn parent_count(&self) -> usize {
        self.parents().count()
    }

    pub fn is_merge(&self) -> bool {
        self.parent_count() > 1
    }

    pub fn author_name(&self) -> Cow<'a, str> {
        String::from_utf8_lossy(self.field(2))
    }

    pub fn author_email(&self) -> Cow<'a, str> {
        String::from_utf8_lossy(self.field(3))
    }

    /// The author date in strict ISO 8601 with the author's offset (`2024-05-01T12:00:00+02:00`).
    pub fn author_date(&self) -> &'a str {
        self.ascii_field(4)
    }

    /// The author's calendar day, `YYYY-MM-DD` in the author's time zone.
    pub fn author_day(&self) -> &'a str {
        let date = self.author_date();
        date.get(..10).unwrap_or(date)
    }

    /// The tags pointing at this commit (annotated tags are shown on the commit they peel to).
    pub fn tags(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        // Ref names cannot contain spaces, so ", " separates decorations unambiguously; a name
        // that is not UTF-8 cannot be a release tag and is skipped.
        std::str::from_utf8(self.field(5))
            .unwrap_or_default()
            .split(", ")
            .filter_map(|decoration| decoration.strip_prefix("tag: "))
    }

    /// The raw message bytes as stored (re-encoded to UTF-8 when the commit declares an encoding).
    pub fn message_bytes(&self) -> &'a [u8] {
        self.field(6)
    }

    /// The message as text; invalid UTF-8 is replaced, which allocates only for such messages.
    pub fn message(&self) -> Cow<'a, str> {
        String::from_utf8_lossy(self.message_bytes())
    }

    /// The first line of the message.
    pub fn subject(&self) -> Cow<'a, str> {
        let bytes = self.message_bytes();
        let end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[..end])
    }

    /// The files this commit changed (relative to the top of the work tree, as git wrote them),
    /// when the walk asked for them with [`LogOptions::changed_paths`]; merges list none.
    pub fn changed_paths(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        self.paths
            .split(|byte| *byte == 0)
            .filter(|path| !path.is_empty())
    }

    /// An owned copy, for commits a caller keeps beyond the callback.
    pub fn to_commit(&self) -> Commit {
        Commit {
            record: self.record.to_vec(),
            ends: self.ends,
            paths: self.paths.to_vec(),
        }
    }
}

impl std::fmt::Debug for CommitRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommitRef")
            .field("sha", &self.sha())
            .field("tags", &self.tags().collect::<Vec<_>>())
            .field("subject", &self.subject())
            .finish_non_exhaustive()
    }
}

/// An owned commit record, read back through [`Commit::as_ref`].
#[derive(Clone, PartialEq, Eq)]
pub struct Commit {
    record: Vec<u8>,
    ends: [usize; FIELDS],
    paths: Vec<u8>,
}

impl Commit {
    pub fn as_commit_ref(&self) -> CommitRef<'_> {
        CommitRef {
            record: &self.record,
            ends: self.ends,
            paths: &self.paths,
        }
    }
}

impl std::fmt::Debug for Commit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_commit_ref().fmt(f)
    }
}

/// Reads `git log -z --format=LOG_FORMAT` records into one reused buffer.
pub(crate) struct RecordReader {
    buffer: Vec<u8>,
    ends: [usize; FIELDS],
    /// Records carry their changed files (see the module documentation).
    with_paths: bool,
    paths: Vec<u8>,
}

impl RecordReader {
    pub fn new() -> Self {
        RecordReader {
            buffer: Vec::with_capacity(4096),
            ends: [0; FIELDS],
            with_paths: false,
            paths: Vec::new(),
        }
    }

    /// A reader of records written with [`LogOptions::changed_paths`].
    pub fn with_paths() -> Self {
        RecordReader {
            with_paths: true,
            ..RecordReader::new()
        }
    }

    /// The next commit, `Ok(None)` at the end of the stream.
    pub fn read<'r>(
        &'r mut self,
        input: &mut impl BufRead,
    ) -> Result<Option<CommitRef<'r>>, RecordError> {
        self.buffer.clear();
        self.paths.clear();
        if self.with_paths {
            // The empty field that starts every record.
            let read = input
                .read_until(0, &mut self.buffer)
                .map_err(RecordError::Io)?;
            if read == 0 {
                return Ok(None);
            }
            if self.buffer != [0] {
                return Err(RecordError::Truncated);
            }
            self.buffer.clear();
        }
        for index in 0..FIELDS {
            let read = input
                .read_until(0, &mut self.buffer)
                .map_err(RecordError::Io)?;
            if read == 0 && index == 0 {
                return Ok(None);
            }
            if read == 0 || self.buffer.last() != Some(&0) {
                return Err(RecordError::Truncated);
            }
            self.ends[index] = self.buffer.len() - 1;
        }
        if self.with_paths {
            self.read_paths(input)?;
        }
        let commit = CommitRef {
            record: &self.buffer,
            ends: self.ends,
            paths: &self.paths,
        };
        for index in [0, 1, 4] {
            if !commit.field(index).is_ascii() {
                return Err(RecordError::NotAscii);
            }
        }
        if commit.sha().is_empty() {
            return Err(RecordError::Truncated);
        }
        Ok(Some(commit))
    }
}

impl RecordReader {
    /// The changed files after a record: nothing (the next record's empty field, or the end), or
    /// a newline and NUL-terminated names up to the next empty field.
    fn read_paths(&mut self, input: &mut impl BufRead) -> Result<(), RecordError> {
        let next = input.fill_buf().map_err(RecordError::Io)?;
        if next.first() != Some(&b'\n') {
            return Ok(());
        }
        input.consume(1);
        loop {
            let start = self.paths.len();
            let read = input
                .read_until(0, &mut self.paths)
                .map_err(RecordError::Io)?;
            if read == 0 || self.paths.last() != Some(&0) || self.paths.len() - start == 1 {
                return Err(RecordError::Truncated);
            }
            match input.fill_buf().map_err(RecordError::Io)?.first() {
                None | Some(0) => return Ok(()),
                Some(_) => {}
            }
        }
    }
}

pub(crate) enum RecordError {
    Io(std::io::Error),
    Truncated,
    NotAscii,
}

impl RecordError {
    pub fn detail(&self) -> String {
        match self {
            RecordError::Io(error) => format!("reading its output failed: {error}"),
            RecordError::Truncated => "a commit record ends before its seven fields".to_owned(),
            RecordError::NotAscii => "a commit id, parent list or date is not ASCII".to_owned(),
        }
    }
}

impl Repository {
    /// Walks the commits of `revisions` newest first (git's default order), calling `on_commit`
    /// for each until it breaks; returns the break value, or `None` when the walk ran out.
    pub fn walk<B>(
        &self,
        revisions: Revisions<'_>,
        options: &LogOptions,
        on_commit: impl FnMut(CommitRef<'_>) -> ControlFlow<B>,
    ) -> Result<Option<B>, GitError> {
        self.walk_with(revisions, options, &Decorate::AllTags, on_commit)
    }

    pub(crate) fn walk_with<B>(
        &self,
        revisions: Revisions<'_>,
        options: &LogOptions,
        decorate: &Decorate,
        mut on_commit: impl FnMut(CommitRef<'_>) -> ControlFlow<B>,
    ) -> Result<Option<B>, GitError> {
        match revisions {
            Revisions::Head | Revisions::Rev("HEAD") => {
                self.head()?.commit()?;
            }
            Revisions::Rev(rev) => check_revision(rev)?,
            Revisions::Range { since, until } => {
                check_revision(since)?;
                check_revision(until)?;
            }
            Revisions::Excluding { from, not } => {
                check_revision(from)?;
                for rev in not {
                    check_revision(rev)?;
                }
            }
            Revisions::AllRefs => {}
        }
        let mut stream = self
            .git(log_arguments_with(&revisions, options, decorate))
            .stream()?;
        let mut reader = if options.changed_paths {
            RecordReader::with_paths()
        } else {
            RecordReader::new()
        };
        loop {
            match reader.read(&mut stream.stdout) {
                Ok(Some(commit)) => {
                    if let ControlFlow::Break(value) = on_commit(commit) {
                        stream.stop();
                        return Ok(Some(value));
                    }
                }
                Ok(None) => {
                    stream.finish()?;
                    return Ok(None);
                }
                Err(error) => {
                    let error = stream.output_error(error.detail());
                    // A failing git explains itself better than the half record it left.
                    stream.finish()?;
                    return Err(error);
                }
            }
        }
    }

    /// Walks the whole history from HEAD with tag decorations, for a changelog of every release:
    /// the caller starts a new section at each commit carrying a release tag. A shallow clone is
    /// an error, since its history is cut off.
    pub fn history<B>(
        &self,
        on_commit: impl FnMut(CommitRef<'_>) -> ControlFlow<B>,
    ) -> Result<Option<B>, GitError> {
        if self.is_shallow() {
            return Err(self.shallow_error());
        }
        self.walk(Revisions::Head, &LogOptions::default(), on_commit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: [&[u8]; FIELDS]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for field in fields {
            bytes.extend_from_slice(field);
            bytes.push(0);
        }
        bytes
    }

    const SHA: &str = "c6f958eecdfcbf09d5031fbfaa2cc2043a7caa66";
    const PARENT: &str = "c092a68df8d51518b266d2530d101d1c9e4a40f0";

    #[test]
    fn parses_records_positionally() {
        let mut input = record([
            SHA.as_bytes(),
            PARENT.as_bytes(),
            b"Ana",
            b"ana@example.com",
            b"2024-05-01T12:00:00+02:00",
            b"tag: v1.0.0, tag: latest",
            b"feat(cli): add x\n\nbody\n",
        ]);
        input.extend(record([
            PARENT.as_bytes(),
            b"",
            b"B\xffn",
            b"b@example.com",
            b"2024-04-30T09:00:00Z",
            b"",
            b"",
        ]));
        let mut cursor = std::io::Cursor::new(input);
        let mut reader = RecordReader::new();
        let first = reader.read(&mut cursor).ok().flatten().unwrap().to_commit();
        let first = first.as_commit_ref();
        assert_eq!(first.sha(), SHA);
        assert_eq!(first.parents().collect::<Vec<_>>(), [PARENT]);
        assert_eq!(first.author_name(), "Ana");
        assert_eq!(first.author_day(), "2024-05-01");
        assert_eq!(first.tags().collect::<Vec<_>>(), ["v1.0.0", "latest"]);
        assert_eq!(first.subject(), "feat(cli): add x");
        assert_eq!(first.message(), "feat(cli): add x\n\nbody\n");
        let second = reader.read(&mut cursor).ok().flatten().unwrap();
        assert_eq!(second.parent_count(), 0);
        assert_eq!(second.author_name(), "B\u{fffd}n");
        assert_eq!(second.tags().count(), 0);
        assert_eq!(second.message(), "");
        assert!(reader.read(&mut cursor).ok().unwrap().is_none());
    }

    #[test]
    fn changed_paths_follow_their_record() {
        let mut input = vec![0];
        input.extend(record([
            SHA.as_bytes(),
            PARENT.as_bytes(),
            b"Ana",
            b"a@example.com",
            b"2024-05-01T12:00:00+02:00",
            b"",
            b"feat: x\n",
        ]));
        // A name that looks like a commit id is still a name: only an empty field starts a record.
        input.extend(b"\ncrates/a/x\0c6f958eecdfcbf09d5031fbfaa2cc2043a7caa66\0");
        input.push(0);
        input.extend(record([
            PARENT.as_bytes(),
            b"",
            b"B",
            b"b@example.com",
            b"2024-04-30T09:00:00Z",
            b"",
            b"merge\n",
        ]));
        let mut cursor = std::io::Cursor::new(input);
        let mut reader = RecordReader::with_paths();
        let first = reader.read(&mut cursor).ok().flatten().unwrap().to_commit();
        let first = first.as_commit_ref();
        assert_eq!(first.sha(), SHA);
        assert_eq!(
            first.changed_paths().collect::<Vec<_>>(),
            [b"crates/a/x".as_slice(), SHA.as_bytes()]
        );
        let second = reader.read(&mut cursor).ok().flatten().unwrap();
        assert_eq!(second.sha(), PARENT);
        assert_eq!(second.changed_paths().count(), 0);
        assert!(reader.read(&mut cursor).ok().unwrap().is_none());
    }

    #[test]
    fn truncated_record_is_an_error() {
        let mut input = std::io::Cursor::new(format!("{SHA}\0\0a\0b\0").into_bytes());
        let mut reader = RecordReader::new();
        assert!(matches!(
            reader.read(&mut input),
            Err(RecordError::Truncated)
        ));
    }

    #[test]
    fn arguments_separate_revisions_from_paths() {
        let options = LogOptions {
            first_parent: true,
            max_count: None,
            paths: vec![PathBuf::from("crates/a")],
            changed_paths: false,
        };
        let args = log_arguments(
            &Revisions::Range {
                since: "v1.0",
                until: "HEAD",
            },
            &options,
        );
        assert_eq!(
            &args[args.len() - 4..],
            ["--first-parent", "v1.0..HEAD", "--", "crates/a"]
        );
    }
}
