//! The vocabulary step kinds, the plan and the executor share: what a step answers ([`Outcome`],
//! [`Probe`], [`StepError`]), what it is planned as ([`Effect`]), what the journal records of it
//! ([`StepRecord`], [`Undo`], [`RemoteEffect`]), the [`report`] seam it talks to people through,
//! what it needs from the machine ([`Need`]), and running a command ([`run_command`]); what a
//! step sees while it is planned ([`PlanCx`]) and while it runs ([`RunCx`]). It knows no step
//! kind, no config and no journal file.

mod credential;
mod diff;
mod effect;
mod error;
pub mod explain;
mod kind;
mod need;
pub mod options;
mod outcome;
pub mod paths;
mod plan_cx;
mod process;
mod record;
pub mod report;
mod run_cx;
mod step;

pub use credential::{Credential, CredentialCx, Login, Missing, SameCredential};
pub use diff::unified_diff;
pub use effect::Effect;
pub use error::StepError;
pub use kind::{Kind, KindSpec, TemplateList, UndoCommand};
pub use need::Need;
pub use outcome::{Outcome, Probe};
pub use plan_cx::{PlanCheckout, PlanCx, PlanInputs, Simulation, with_env};
pub use process::{Finished, run_command};
pub(crate) use process::{Observed, run_command_observed, still_running};
pub use record::{
    Baseline, ReleaseState, RemoteEffect, StagedEntry, StepRecord, StepState, Undo, Written,
};
pub use run_cx::{
    CHANGED, CHANGELOG_READ, CHILD_PROCESS, Checkout, Ledger, PlanFacts, RunCx, StepFacts,
    Unmasked, Withheld,
};
pub use step::StepInfo;

use relman_remote::Redactor;

use crate::environment::Environment;
use crate::project::Project;

/// The masker of everything relman writes: every secret environment value, URL passwords.
pub fn redactor(project: &Project, env: &Environment) -> Redactor {
    let mut redactor = Redactor::new();
    for (name, value) in env.secret_vars(&project.secrets) {
        redactor.add_variable(name, value);
    }
    redactor
}
