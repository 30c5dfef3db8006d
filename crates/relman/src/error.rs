//! The one error type of the binary: what went wrong, the hints that say what to do, and the
//! exit code (listed in the README). Library errors are classified here and nowhere else.

use std::fmt;

/// The exit codes relman promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Done = 0,
    StepFailed = 1,
    Usage = 2,
    Paused = 3,
    Locked = 4,
}

/// An error as the user sees it.
#[derive(Debug)]
pub struct CliError {
    pub code: ExitCode,
    pub message: String,
    /// Extra lines shown under the message (a source excerpt, a list).
    pub detail: Vec<String>,
    pub hints: Vec<String>,
}

impl CliError {
    /// A usage or configuration problem: nothing was changed (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: ExitCode::Usage,
            message: message.into(),
            detail: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// A step or operation failed (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            code: ExitCode::StepFailed,
            ..CliError::usage(message)
        }
    }

    pub fn with_code(mut self, code: ExitCode) -> Self {
        self.code = code;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn hint_opt(mut self, hint: Option<String>) -> Self {
        self.hints.extend(hint);
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// Config errors, each with its source line underlined, rustc style.
impl From<relman_engine::config::ConfigErrors> for CliError {
    fn from(errors: relman_engine::config::ConfigErrors) -> Self {
        let count = errors.0.len();
        let mut error = CliError::usage(if count == 1 {
            errors.0[0].to_string()
        } else {
            format!("{count} problems in the config")
        });
        for (index, problem) in errors.0.iter().enumerate() {
            if count > 1 {
                if index > 0 {
                    error.detail.push(String::new());
                }
                error.detail.push(problem.to_string());
            }
            if let Some(location) = &problem.location {
                let number = location.line.to_string();
                let pad = " ".repeat(number.len());
                error.detail.push(format!("{pad} |"));
                error
                    .detail
                    .push(format!("{number} | {}", location.line_text));
                error.detail.push(format!(
                    "{pad} | {}{}",
                    " ".repeat(location.column.saturating_sub(1)),
                    "^".repeat(location.width)
                ));
            }
            if let Some(hint) = &problem.hint {
                if count > 1 {
                    error.detail.push(format!("hint: {hint}"));
                } else {
                    error.hints.push(hint.clone());
                }
            }
        }
        error
    }
}
