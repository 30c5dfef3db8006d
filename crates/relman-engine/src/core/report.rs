//! The seam between the engine and whoever shows its progress: the engine emits [`Event`]s and
//! asks questions through [`Prompter`]; the binary renders them for a terminal, as JSON lines, or
//! into a GitHub Actions summary. Every text in an event is already masked.

use std::time::Duration;

use serde::Serialize;

use super::record::{ReleaseState, StepState};

/// Something worth telling the user, as it happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// A release starts or resumes.
    Release {
        workflow: String,
        version: String,
        tag: String,
        resumed: bool,
        /// How many steps the workflow has (the live view aligns their numbers).
        steps: usize,
    },
    /// A step starts.
    StepStarted { number: usize, title: String },
    /// A line of a step's output (a command's stdout or stderr, progress text).
    StepOutput { number: usize, line: String },
    /// The step is waiting for something outside (CI, a merge, a file on PyPI).
    Waiting {
        number: usize,
        what: String,
        elapsed_secs: u64,
    },
    /// A step ended, in any state.
    StepFinished {
        number: usize,
        title: String,
        state: StepState,
        #[serde(serialize_with = "as_millis")]
        duration: Duration,
        /// What it did or why it stopped, one line.
        summary: Option<String>,
    },
    /// Something the user should know that is not an error.
    Warning { message: String },
    /// The release ended or paused.
    Finished {
        state: ReleaseState,
        message: Option<String>,
    },
}

fn as_millis<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

/// Receives events. Implemented by the binary; tests collect them.
pub trait Reporter {
    fn event(&mut self, event: Event);
}

/// A reporter that drops everything.
#[derive(Debug, Default)]
pub struct Silent;

impl Reporter for Silent {
    fn event(&mut self, _event: Event) {}
}

/// A reporter that keeps every event, for tests.
#[derive(Debug, Default)]
pub struct Collect(pub Vec<Event>);

impl Reporter for Collect {
    fn event(&mut self, event: Event) {
        self.0.push(event);
    }
}

/// What a person answered to a manual step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManualAnswer {
    /// They did it.
    Done,
    /// They will do it later: pause.
    Later,
}

/// Questions for a person. Only called when [`crate::environment::Environment::interactive`] is
/// true; without a terminal the engine pauses instead of asking.
pub trait Prompter {
    /// Yes or no.
    fn confirm(&mut self, question: &str) -> bool;
    /// Shows a manual step and waits for the person.
    fn manual(&mut self, text: &str, checklist: &[String]) -> ManualAnswer;
    /// Lets the person edit a text (release notes) and returns it.
    fn edit(&mut self, text: &str) -> Option<String>;
}

/// A prompter for when nobody is there: says no, pauses, keeps texts.
#[derive(Debug, Default)]
pub struct NoPrompter;

impl Prompter for NoPrompter {
    fn confirm(&mut self, _question: &str) -> bool {
        false
    }
    fn manual(&mut self, _text: &str, _checklist: &[String]) -> ManualAnswer {
        ManualAnswer::Later
    }
    fn edit(&mut self, _text: &str) -> Option<String> {
        None
    }
}
