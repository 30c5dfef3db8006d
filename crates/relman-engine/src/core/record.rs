//! What the journal records of a release and its steps, as the steps and the executor write it:
//! where each stands ([`StepState`], [`ReleaseState`]), its [`StepRecord`] (outputs, context,
//! output tail), the local effects `abort` can take back ([`Undo`]) and those outside the clone
//! ([`RemoteEffect`]), and each checkout as it was before the release ([`Baseline`]). The
//! serialized shape is the journal's format: a journal written by an earlier relman must still
//! read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Where the release as a whole stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseState {
    Running,
    Paused,
    Failed,
    Done,
    Aborted,
}

impl ReleaseState {
    /// Whether the release still needs `resume` or `abort`.
    pub fn in_progress(self) -> bool {
        matches!(
            self,
            ReleaseState::Running | ReleaseState::Paused | ReleaseState::Failed
        )
    }
}

/// Where one step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    Pending,
    Running,
    Done,
    Failed,
    Paused,
    Skipped,
    Undone,
}

impl StepState {
    pub fn mark(self) -> &'static str {
        match self {
            StepState::Pending => "·",
            StepState::Running => "…",
            StepState::Done => "✓",
            StepState::Failed => "✗",
            StepState::Paused => "⏸",
            StepState::Skipped => "-",
            StepState::Undone => "↺",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            StepState::Pending => "pending",
            StepState::Running => "running",
            StepState::Done => "done",
            StepState::Failed => "failed",
            StepState::Paused => "paused",
            StepState::Skipped => "skipped",
            StepState::Undone => "undone",
        }
    }
}

/// One step, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    pub number: usize,
    pub title: String,
    pub state: StepState,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// How long the last attempt took.
    #[serde(default)]
    pub duration_ms: Option<u64>,
    pub attempts: u32,
    /// What the step exposes as `{steps.ID.NAME}` and shows in `status`.
    pub outputs: BTreeMap<String, String>,
    /// Why it failed, paused or was skipped.
    pub message: Option<String>,
    /// The last lines of a command's output.
    pub output_tail: Vec<String>,
    /// Facts recorded before acting, that the probe and undo need (HEAD before a commit …).
    pub context: BTreeMap<String, String>,
    /// Local effects `abort` can undo, newest last.
    pub undo: Vec<Undo>,
    /// Effects outside this clone that `abort` cannot undo, with how to undo them by hand.
    pub remote: Vec<RemoteEffect>,
}

impl StepRecord {
    pub fn new(number: usize, title: String) -> Self {
        StepRecord {
            number,
            title,
            state: StepState::Pending,
            started_at: None,
            finished_at: None,
            duration_ms: None,
            attempts: 0,
            outputs: BTreeMap::new(),
            message: None,
            output_tail: Vec::new(),
            context: BTreeMap::new(),
            undo: Vec::new(),
            remote: Vec::new(),
        }
    }
}

/// A local effect and how to take it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "undo", rename_all = "kebab-case")]
pub enum Undo {
    /// Put a file back as it was (`None`: it did not exist), but only while it still holds what
    /// relman wrote (`written`; unknown in journals of relman 0.1.0).
    RestoreFile {
        path: PathBuf,
        content: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        written: Option<Written>,
    },
    /// Move the branch back to where it was before a commit, merge or cherry-pick, unless the
    /// commit is on a remote. `index_only`: the commit took files as earlier steps left them
    /// (their own undos put them back), so only the index follows; else the files the commit
    /// changed go back too, where they still hold its content.
    ResetBranch {
        branch: String,
        to: String,
        from: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        index_only: bool,
    },
    /// Put these paths back in the index as they were before the release (what a commit
    /// staged, or was about to).
    RestoreIndex { paths: Vec<PathBuf> },
    /// Delete a local tag that was created (only while it points at `target`, when known).
    DeleteTag {
        tag: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
    },
    /// Delete a local branch that was created, switching back first (only while it is at `at`,
    /// when known: commits a person added keep it).
    DeleteBranch {
        branch: String,
        back_to: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    },
    /// Switch back to the branch that was checked out.
    SwitchBack { to: String },
    /// Run this command. Written by relman 0.1.0 before `RunStepUndo`; still undone when found.
    Command { argv: Vec<String>, cwd: PathBuf },
    /// Run the `undo = …` of the `run` step with this number. Its argv is rendered when `abort`
    /// runs it, so an environment value (a token) in it is never written into the journal.
    RunStepUndo { number: usize },
}

impl Undo {
    /// Restores `path` to `before` (`None`: it did not exist) while it holds `written` (`None`:
    /// relman removes it).
    pub fn restore_file(path: PathBuf, before: Option<String>, written: Option<&[u8]>) -> Undo {
        Undo::RestoreFile {
            path,
            content: before,
            written: Some(Written::of(written)),
        }
    }
}

/// What relman left in a file, to recognise its own bytes when it takes them back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Written {
    /// Relman removed the file.
    Removed,
    /// The SHA-256 of the bytes relman wrote, in hex.
    Sha256(String),
}

impl Written {
    /// `None`: the file does not exist.
    pub fn of(bytes: Option<&[u8]>) -> Written {
        match bytes {
            None => Written::Removed,
            Some(bytes) => {
                use sha2::Digest as _;
                let digest = sha2::Sha256::digest(bytes);
                Written::Sha256(digest.iter().map(|byte| format!("{byte:02x}")).collect())
            }
        }
    }

    /// What the file at `path` holds now. Streamed, from a regular file only: a person may have
    /// put anything there since (a link to `/dev/zero` must not be read for ever).
    pub fn of_file(path: &std::path::Path) -> std::io::Result<Written> {
        use sha2::Digest as _;
        let mut input = match relman_version::files::bounded::open_regular(path) {
            Ok(input) => input,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Written::Removed);
            }
            Err(error) => return Err(error),
        };
        let mut hasher = sha2::Sha256::new();
        std::io::copy(&mut input, &mut hasher)?;
        let digest = hasher.finalize();
        Ok(Written::Sha256(
            digest.iter().map(|byte| format!("{byte:02x}")).collect(),
        ))
    }
}

/// A checkout as it was before the release touched it, recorded before its first change: what
/// `abort` returns the index and the branches to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The branch checked out (`None`: HEAD was detached) and the commit of HEAD.
    pub branch: Option<String>,
    pub head: String,
    /// Every local branch and its commit.
    pub branches: BTreeMap<String, String>,
    /// What was staged: index entries that differ from HEAD (`None`: staged as removed).
    pub staged: BTreeMap<PathBuf, Option<StagedEntry>>,
}

/// A staged index entry: mode and blob id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StagedEntry {
    pub mode: String,
    pub blob: String,
}

/// An effect outside the clone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteEffect {
    pub description: String,
    /// A command or URL that undoes it, for the user to run.
    pub undo_hint: String,
    /// Local undos that no longer apply once this is out (a pushed tag must not be deleted
    /// locally behind the remote's back).
    pub pushed_refs: Vec<String>,
    /// The object a pushed ref was pushed at: the commits it reaches are on the remote, the
    /// ones made after it are not (unknown in journals of relman 0.1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<String>,
}
