//! The vocabulary step kinds, the plan and the executor share: what a step answers ([`Outcome`],
//! [`Probe`], [`StepError`]), what it is planned as ([`Effect`]), what the journal records of it
//! ([`StepRecord`], [`Undo`], [`RemoteEffect`]), the [`report`] seam it talks to people through,
//! and running a command ([`run_command`]). It knows no step kind, no config and no journal file.

mod diff;
mod effect;
mod error;
mod outcome;
mod process;
mod record;
pub mod report;

pub use diff::unified_diff;
pub use effect::Effect;
pub use error::StepError;
pub use outcome::{Outcome, Probe};
pub use process::{Finished, run_command};
pub use record::{ReleaseState, RemoteEffect, StepRecord, StepState, Undo};
