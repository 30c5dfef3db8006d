//! Loading a journal, and refusing one that does not hold together. A journal is only ever
//! written whole (atomically) by relman, so anything else — cut short, edited by hand, written by
//! another relman — is reported with what is wrong, and relman acts on none of it: resuming from
//! a plan whose steps were cut would say "Release done." over a half-made release, and a step
//! record missing would make the executor index past the end.

use std::path::{Component, Path};

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use super::{FrozenPlan, Journal, JournalError, LEGACY_SCHEMA, SCHEMA, Undo};

/// The largest journal read (a real one is a few kilobytes; command output tails are capped).
const MAX_JOURNAL: u64 = relman_version::files::bounded::MAX_CHANGELOG;

/// The journal at `path`, or `None` when there is none.
pub(super) fn load(path: &Path) -> Result<Option<Journal>, JournalError> {
    let text = match relman_version::files::read_text_bounded(path, MAX_JOURNAL) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
            return Err(JournalError::Corrupt {
                path: path.to_owned(),
                detail: error.to_string(),
            });
        }
        Err(source) => {
            return Err(JournalError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    parse(path, &text).map(Some)
}

/// Parses and checks a journal's text; `path` is used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Journal, JournalError> {
    // Read the schema first, so an old journal gets the schema message rather than a field error.
    #[derive(Deserialize)]
    struct Header {
        schema: Option<u32>,
        relman_version: Option<String>,
    }
    let corrupt = |detail: String| JournalError::Corrupt {
        path: path.to_owned(),
        detail,
    };
    let header: Header = serde_json::from_str(text).map_err(|error| corrupt(error.to_string()))?;
    let schema = header.schema.unwrap_or(0);
    if schema != SCHEMA && schema != LEGACY_SCHEMA {
        return Err(JournalError::Schema {
            path: path.to_owned(),
            written_by: header
                .relman_version
                .unwrap_or_else(|| "(unknown)".to_owned()),
            schema,
        });
    }
    let journal: Journal =
        serde_json::from_str(text).map_err(|error| corrupt(error.to_string()))?;
    check(&journal).map_err(|detail| JournalError::Inconsistent {
        path: path.to_owned(),
        detail,
    })?;
    Ok(journal)
}

/// The checksum a journal keeps of its frozen plan.
pub fn plan_checksum(plan: &FrozenPlan) -> String {
    let bytes = serde_json::to_vec(plan).expect("a frozen plan serialises");
    Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What is wrong with a parsed journal, if anything.
fn check(journal: &Journal) -> Result<(), String> {
    // relman 0.1.0 kept no checksum; from schema 2 on, one is always written.
    match &journal.plan_sha256 {
        None if journal.schema == LEGACY_SCHEMA => {}
        None => {
            return Err(
                "it has no `plan_sha256`, the checksum of its frozen plan that relman always writes"
                    .to_owned(),
            );
        }
        Some(recorded) => {
            let expected = plan_checksum(&journal.plan);
            if *recorded != expected {
                return Err(format!(
                    "its frozen plan no longer matches the checksum recorded when the release started (`plan_sha256` is `{recorded}`, the plan gives `{expected}`)"
                ));
            }
        }
    }
    let planned = journal.plan.steps.len();
    let recorded = journal.steps.len();
    if planned != recorded {
        return Err(format!(
            "the plan has {planned} steps but {recorded} are recorded"
        ));
    }
    for (index, (step, record)) in journal.plan.steps.iter().zip(&journal.steps).enumerate() {
        if step.number != index + 1 || record.number != step.number {
            return Err(format!(
                "step record {} is numbered {} for planned step {}",
                index + 1,
                record.number,
                step.number
            ));
        }
    }
    for record in &journal.steps {
        for undo in &record.undo {
            check_undo(journal.schema, record.number, undo)?;
        }
    }
    // `abort` puts the index back from the baselines: their paths stay inside the checkout too.
    for baseline in journal.baselines.values() {
        for path in baseline.staged.keys() {
            inside("a baseline", path)?;
        }
    }
    Ok(())
}

/// What is wrong with one of a step's undos: `abort` acts on them, so a path names a file in the
/// checkout (relative, never above it), a `run` step's undo names a planned step, and only a
/// journal of relman 0.1.0 holds a command of its own.
fn check_undo(schema: u32, number: usize, undo: &Undo) -> Result<(), String> {
    let whose = format!("step {number}");
    match undo {
        Undo::RunStepUndo { number: undone } if *undone == 0 || *undone > number => Err(format!(
            "{whose} would undo step {undone}, neither itself nor a step before it"
        )),
        Undo::RestoreFile { path, .. } => inside(&whose, path),
        Undo::RestoreIndex { paths } => paths.iter().try_for_each(|path| inside(&whose, path)),
        Undo::Command { .. } if schema != LEGACY_SCHEMA => Err(format!(
            "{whose} records a command to undo it, which only relman 0.1.0 wrote"
        )),
        _ => Ok(()),
    }
}

/// Refuses a path that is absolute or climbs out of the checkout it is relative to.
fn inside(whose: &str, path: &Path) -> Result<(), String> {
    let mut depth: usize = 0;
    for component in path.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir if depth > 0 => depth -= 1,
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "{whose} names `{}`, outside the checkout",
                    path.display()
                ));
            }
        }
    }
    Ok(())
}
