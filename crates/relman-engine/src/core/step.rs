//! [`StepInfo`]: what a step kind knows of its step besides its own options.

use std::time::Duration;

/// The options every step shares that a kind's behaviour depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepInfo<'a> {
    /// 1-based position in the workflow.
    pub number: usize,
    pub id: Option<&'a str>,
    pub timeout: Option<Duration>,
    /// How often a polling step looks: a fixed interval when set, else a back-off.
    pub interval: Option<Duration>,
}
