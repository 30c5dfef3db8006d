//! What a step answers: [`Outcome`] after acting, [`Probe`] when asked whether its effect is
//! already there.

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Its effect is there. Outputs are on the step's record.
    Done,
    /// It waits for someone or something: the release pauses (exit 3) with this reason.
    Paused(String),
}

/// Whether a step's effect already exists (asked on resume for a step that was running).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    Done,
    NotDone,
    /// The step cannot tell (a command without a probe).
    Unknown,
}
