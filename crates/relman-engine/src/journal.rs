//! The journal: the release in progress, written atomically to `relman/journal.json` in the
//! worktree's git dir before and after every step, so that a release survives a crash and
//! `resume` knows where it stopped.
//!
//! It is plain JSON on purpose: when a release must be repaired by hand, a person can read it.
//! It holds the frozen plan (what was confirmed) with its checksum, each step's state, timings
//! and outputs, and what `abort` needs to undo local effects: each checkout as it was before the
//! release, and each step's undos (a file's bytes before, and a digest of what relman wrote). It
//! never holds an environment variable's value, and every text in it is masked before it is
//! written. A journal that does not hold together when it is loaded (another schema, a plan that
//! no longer matches its checksum, steps missing) is refused, never guessed at (`load`).
//!
//! The journal belongs to the worktree that started the release: it lives in that worktree's own
//! git dir (`.git`, or `.git/worktrees/NAME` of a linked worktree), while the lock, one per
//! clone, lives in the common git dir (`worktrees`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use crate::core::{
    Baseline, ReleaseState, RemoteEffect, StagedEntry, StepRecord, StepState, Undo, Written,
};
use crate::core::{Ledger, PlanFacts, StepError, StepFacts};
use crate::environment::Environment;
use crate::kinds::StepDef;
use crate::template::Variables;

mod load;
mod worktrees;

pub use load::{parse, plan_checksum};
pub use worktrees::ElsewhereRelease;

/// Bumped when the layout changes incompatibly; a journal with another schema is refused.
/// 2: the frozen plan's checksum (`plan_sha256`).
pub const SCHEMA: u32 = 2;

/// The schema of relman 0.1.0's journals, which have no checksum: a release it paused still
/// resumes (checked without the checksum, and written back as it was read).
pub const LEGACY_SCHEMA: u32 = 1;

const FILE: &str = "journal.json";
const HISTORY: &str = "history";

/// A release, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    pub schema: u32,
    /// The relman that started the release.
    pub relman_version: String,
    /// `release-1.2.3-1700000000`: workflow, version and start time.
    pub id: String,
    pub state: ReleaseState,
    pub created_at: i64,
    pub updated_at: i64,
    /// SHA-256 of the frozen plan as serialised, checked on every load; required from schema
    /// 2 on, absent from journals of relman 0.1.0 ([`LEGACY_SCHEMA`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_sha256: Option<String>,
    pub plan: FrozenPlan,
    pub steps: Vec<StepRecord>,
    /// Values learnt while running (`sha` after the commit, `release_url`, `pr_number` …).
    pub runtime: BTreeMap<String, String>,
    /// Each checkout the release changed, as it was before (by the path of its work tree):
    /// what `abort` returns the index and the branches to. Absent from journals of relman 0.1.0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub baselines: BTreeMap<String, Baseline>,
    /// Outputs and runtime values that held a secret, sealed (cut where each secret stood, with
    /// the variable it came from), so that a release resumed in another process rebuilds them;
    /// `null` when a secret no variable holds was in it. Keyed as [`crate::core::Unmasked`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sealed: BTreeMap<String, Option<relman_remote::sealed::Sealed>>,
    /// Outputs and runtime values that held a secret, as produced, for this process only.
    #[serde(skip)]
    pub unmasked: crate::core::Unmasked,
}

/// What `run` freezes into the journal: enough to execute and resume without re-planning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenPlan {
    pub workflow: String,
    pub args: BTreeMap<String, String>,
    /// The release's version; empty when the workflow releases nothing (`auto` found nothing).
    pub version: String,
    pub tag: String,
    /// Plan-time variables (never environment values: those are read again when a step runs).
    pub variables: Variables,
    pub steps: Vec<StepDef>,
    /// The version each `bump` step writes, by step number.
    pub bumps: BTreeMap<usize, String>,
    /// Steps whose `if` was false at plan time, with the reason.
    pub skipped: BTreeMap<usize, String>,
    /// The packages a run of a repository of several releases, in the order their steps run
    /// (empty for a single-package project).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<PackageRelease>,
    /// The package each step that runs once per package acts for, by step number.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub package_steps: BTreeMap<usize, String>,
}

/// One package a run releases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageRelease {
    pub name: String,
    pub version: String,
    pub tag: String,
    /// The variables its steps see over the plan's (`{package}`, `{version}`, `{tag}`,
    /// `{previous_version}`, `{changelog}` …).
    pub variables: Variables,
    /// Requirements on packages of the repository its bump rewrites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<relman_version::workspace::requirements::RequirementChange>,
    /// What its changelog step writes and removes when changesets release it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changeset: Option<crate::project::packages::changesets::ChangesetUse>,
}

impl FrozenPlan {
    /// The package step `number` acts for, when it runs once per package.
    pub fn package_of(&self, number: usize) -> Option<&PackageRelease> {
        let name = self.package_steps.get(&number)?;
        self.packages.iter().find(|package| package.name == *name)
    }

    /// What a step acting for `package` reads of the plan: the package's version, tag and
    /// variables over the plan's.
    pub fn facts_for(&self, package: &PackageRelease) -> PlanFacts {
        let mut facts = self.facts();
        facts.version = package.version.clone();
        facts.tag = package.tag.clone();
        facts.requirements = package.requirements.clone();
        facts.changeset = package.changeset.clone();
        for (name, value) in package.variables.iter() {
            facts.variables.set(name.to_owned(), value.to_owned());
        }
        facts
    }

    /// What a running step may read of it.
    pub fn facts(&self) -> PlanFacts {
        PlanFacts {
            version: self.version.clone(),
            tag: self.tag.clone(),
            variables: self.variables.clone(),
            bumps: self.bumps.clone(),
            tags: self
                .packages
                .iter()
                .map(|package| package.tag.clone())
                .collect(),
            requirements: Vec::new(),
            changeset: None,
            steps: self
                .steps
                .iter()
                .map(|step| StepFacts {
                    id: step.id.clone(),
                    dir: step.dir.clone(),
                    commits: step.kind.spec().commits,
                    files: step.kind.file_paths(),
                    needs: step.kind.needs(),
                })
                .collect(),
        }
    }
}

/// The journal file as a running step reads and writes it.
pub(crate) struct JournalFile<'a> {
    pub journal: &'a mut Journal,
    pub state: &'a StateDir,
    pub env: &'a Environment,
}

impl Ledger for JournalFile<'_> {
    fn records(&self) -> &[StepRecord] {
        &self.journal.steps
    }

    fn records_mut(&mut self) -> &mut [StepRecord] {
        &mut self.journal.steps
    }

    fn runtime(&self) -> &BTreeMap<String, String> {
        &self.journal.runtime
    }

    fn runtime_mut(&mut self) -> &mut BTreeMap<String, String> {
        &mut self.journal.runtime
    }

    fn save(&mut self) -> Result<(), StepError> {
        self.journal.updated_at = self.env.timestamp();
        Ok(self.state.save(self.journal)?)
    }

    fn unmasked(&self) -> &crate::core::Unmasked {
        &self.journal.unmasked
    }

    fn unmasked_mut(&mut self) -> &mut crate::core::Unmasked {
        &mut self.journal.unmasked
    }

    fn sealed(&self) -> &BTreeMap<String, Option<relman_remote::sealed::Sealed>> {
        &self.journal.sealed
    }

    fn sealed_mut(&mut self) -> &mut BTreeMap<String, Option<relman_remote::sealed::Sealed>> {
        &mut self.journal.sealed
    }
}

/// Why a journal could not be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot read the journal `{path}`: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the journal `{path}`: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the journal `{path}` is corrupt: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("the journal `{path}` does not hold together: {detail}")]
    Inconsistent { path: PathBuf, detail: String },
    #[error(
        "the journal `{path}` was written by relman {written_by} (journal schema {schema}); this relman reads schemas {LEGACY_SCHEMA} and {SCHEMA}"
    )]
    Schema {
        path: PathBuf,
        written_by: String,
        schema: u32,
    },
}

impl JournalError {
    pub fn hint(&self) -> Option<String> {
        match self {
            JournalError::Corrupt { path, .. } => Some(format!(
                "inspect it (it is JSON); to give up on that release, move it away: `mv {} {}.broken`, then check the repository by hand",
                path.display(),
                path.display()
            )),
            JournalError::Inconsistent { path, .. } => Some(format!(
                "it was changed or damaged outside relman, and relman will not guess which steps ran: restore it from a backup, or move it away (`mv {} {}.broken`) and check the repository by hand",
                path.display(),
                path.display()
            )),
            JournalError::Schema { written_by, .. } => Some(format!(
                "finish or abort that release with relman {written_by}, or move the journal away to start over"
            )),
            JournalError::Read { source, .. } | JournalError::Write { source, .. } => {
                crate::lock::io_hint(source)
            }
        }
    }
}

/// The folders relman keeps its state in: `relman/` under the worktree's git dir for the
/// journal and its history, `relman/` under the common git dir for the lock.
#[derive(Debug, Clone)]
pub struct StateDir {
    dir: PathBuf,
    lock_dir: PathBuf,
    /// The git dirs of the repository's other worktrees (see [`StateDir::elsewhere`]).
    common_dir: PathBuf,
}

impl StateDir {
    /// The state of a checkout whose git dir is `git_dir` and whose lock is there too.
    pub fn new(git_dir: &Path) -> Self {
        StateDir {
            dir: git_dir.join("relman"),
            lock_dir: git_dir.join("relman"),
            common_dir: git_dir.to_owned(),
        }
    }

    /// The state of the worktree `repo` is: its journal in its own git dir, the lock of the
    /// whole clone in the common one.
    pub fn of(repo: &relman_git::Repository) -> Self {
        StateDir {
            dir: repo.git_dir().join("relman"),
            lock_dir: repo.common_dir().join("relman"),
            common_dir: repo.common_dir().to_owned(),
        }
    }

    /// Where the journal and its history are.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Where the lock of the clone is.
    pub fn lock_path(&self) -> &Path {
        &self.lock_dir
    }

    pub fn journal_path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// The release in progress, or `None` when there is no journal.
    pub fn load(&self) -> Result<Option<Journal>, JournalError> {
        load::load(&self.journal_path())
    }

    /// The newest finished release, for `status` when none is in progress.
    pub fn last_finished(&self) -> Result<Option<Journal>, JournalError> {
        let history = self.dir.join(HISTORY);
        let Ok(entries) = fs_err::read_dir(&history) else {
            return Ok(None);
        };
        // Newest by the journal's own clock (seconds), then by when the file was last written.
        let mut newest: Option<((i64, Option<std::time::SystemTime>), Journal)> = None;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|extension| extension != "json") {
                continue;
            }
            let Ok(Some(journal)) = load::load(&path) else {
                continue;
            };
            let written = entry.metadata().and_then(|meta| meta.modified()).ok();
            let key = (journal.updated_at, written);
            if newest.as_ref().is_none_or(|(newest, _)| key > *newest) {
                newest = Some((key, journal));
            }
        }
        Ok(newest.map(|(_, journal)| journal))
    }

    /// Writes the journal atomically: a temporary file in the same folder, flushed to disk, then
    /// renamed over the old one. A crash leaves the old or the new journal, never half of one.
    pub fn save(&self, journal: &Journal) -> Result<(), JournalError> {
        let path = self.journal_path();
        let write_error = |source| JournalError::Write {
            path: path.clone(),
            source,
        };
        fs_err::create_dir_all(&self.dir).map_err(write_error)?;
        let mut text = serde_json::to_string_pretty(journal).expect("a journal serialises");
        text.push('\n');
        let mut file = tempfile::NamedTempFile::new_in(&self.dir).map_err(write_error)?;
        file.write_all(text.as_bytes()).map_err(write_error)?;
        file.as_file().sync_all().map_err(write_error)?;
        file.persist(&path)
            .map_err(|error| write_error(error.error))?;
        if let Ok(dir) = fs_err::File::open(&self.dir) {
            // Make the rename itself durable; not all filesystems support it, hence no error.
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Moves a finished release out of the way into `history/`, so a new one can start. Ids
    /// hold the start second only: a release of the same version started in the same second
    /// (abort, try again) gets `-2`, `-3` … rather than replacing the first one's record.
    pub fn archive(&self, journal: &Journal) -> Result<(), JournalError> {
        let history = self.dir.join(HISTORY);
        let stem = file_stem(&journal.id);
        let mut target = history.join(format!("{stem}.json"));
        let mut attempt = 1;
        while target.exists() {
            attempt += 1;
            target = history.join(format!("{stem}-{attempt}.json"));
        }
        let write_error = |source| JournalError::Write {
            path: target.clone(),
            source,
        };
        fs_err::create_dir_all(&history).map_err(write_error)?;
        fs_err::rename(self.journal_path(), &target).map_err(write_error)
    }
}

/// A release id as a file name: only letters, digits, `.`, `-`, `_` and `+` (anything else
/// becomes `_`), never starting with `.`, so a name from the config cannot reach outside
/// `history/` or hide there.
pub fn file_stem(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .take(200)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() || stem.starts_with('.') {
        stem.insert(0, '_');
    }
    stem
}

impl From<JournalError> for StepError {
    fn from(error: JournalError) -> Self {
        StepError {
            hint: error.hint(),
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_ids_become_plain_file_names() {
        assert_eq!(
            file_stem("release-1.2.3-1700000000"),
            "release-1.2.3-1700000000"
        );
        assert_eq!(file_stem("../../x-1.0.0-1"), "_.._.._x-1.0.0-1");
        assert_eq!(file_stem(".hidden"), "_.hidden");
        assert_eq!(file_stem("a/b\\c\0d"), "a_b_c_d");
        assert_eq!(file_stem(""), "_");
    }
}
