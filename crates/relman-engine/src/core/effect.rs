//! [`Effect`]: one effect of a step, described before it happens (what `relman plan` shows).

use std::path::PathBuf;

use serde::Serialize;

/// One effect of a step, described before it happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "effect", rename_all = "kebab-case")]
pub enum Effect {
    /// A file changes (or is created): a unified diff.
    File { path: PathBuf, diff: String },
    /// A file is removed.
    Remove { path: PathBuf },
    /// A command runs (argv, or a shell line).
    Command {
        argv: Vec<String>,
        cwd: Option<PathBuf>,
        shell: bool,
    },
    /// A git operation, as the command that performs it.
    Git {
        description: String,
        command: String,
    },
    /// An HTTP request (secrets masked).
    Http {
        method: String,
        url: String,
        body: Option<String>,
    },
    /// A check; `passed` is `None` when it can only run when its turn comes.
    Check {
        description: String,
        passed: Option<bool>,
        detail: Option<String>,
    },
    /// Waiting for something outside.
    Wait { description: String },
    /// Something a person does.
    Manual {
        text: String,
        checklist: Vec<String>,
    },
    /// Anything else worth saying.
    Note { text: String },
}
