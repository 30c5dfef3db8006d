//! [`StepError`]: a step that cannot go on, with what happened and what to do. Every error a
//! step meets (git, the project, a version file, a service) becomes one, keeping its hint.

use crate::project::ProjectError;

/// A step that cannot go on: what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    pub message: String,
    pub hint: Option<String>,
}

impl StepError {
    pub fn new(message: impl Into<String>) -> Self {
        StepError {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn from_project(error: ProjectError) -> Self {
        StepError {
            hint: error.hint(),
            message: error.to_string(),
        }
    }
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StepError {}

impl From<relman_git::GitError> for StepError {
    fn from(error: relman_git::GitError) -> Self {
        StepError {
            hint: error.hint(),
            message: error.to_string(),
        }
    }
}

impl From<ProjectError> for StepError {
    fn from(error: ProjectError) -> Self {
        StepError::from_project(error)
    }
}

impl From<relman_version::files::FileError> for StepError {
    fn from(error: relman_version::files::FileError) -> Self {
        StepError {
            hint: error.hint(),
            message: error.to_string(),
        }
    }
}
