//! Steps that reach outside the repository: the forge, CI, registries and people. Each is planned
//! as the requests it will send and executed through `relman-remote`.

use crate::plan::Effect;
use crate::steps::check::{CheckResult, CheckStep};
use crate::steps::{Outcome, PlanCx, Probe, RunCx, StepDef, StepError, StepKind};
use crate::template::Variables;

fn unavailable(kind: &StepKind) -> StepError {
    StepError::new(format!(
        "`{}` steps are not available in this build",
        kind.key()
    ))
}

pub(crate) fn preview(kind: &StepKind, _cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
    Err(unavailable(kind))
}

pub(crate) fn describe(kind: &StepKind, _variables: &Variables) -> String {
    kind.key().to_owned()
}

pub(crate) fn check_at_plan(
    check: &CheckStep,
    _cx: &mut PlanCx<'_>,
) -> Result<CheckResult, StepError> {
    Err(StepError::new(format!(
        "`check = \"{}\"` is not available in this build",
        check.check.name()
    )))
}

pub(crate) fn check_at_run(
    check: &CheckStep,
    _cx: &mut RunCx<'_>,
) -> Result<CheckResult, StepError> {
    Err(StepError::new(format!(
        "`check = \"{}\"` is not available in this build",
        check.check.name()
    )))
}

pub(crate) fn execute(
    _step: &StepDef,
    kind: &StepKind,
    _cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    Err(unavailable(kind))
}

pub(crate) fn probe(
    _step: &StepDef,
    kind: &StepKind,
    _cx: &mut RunCx<'_>,
) -> Result<Probe, StepError> {
    Err(unavailable(kind))
}
