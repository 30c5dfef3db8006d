//! `run = "..."`: a project command. Without `shell = true` the command is split like a shell
//! would split it and placeholders become whole arguments, never re-split or interpreted.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunStep {
    pub command: CommandSpec,
    pub shell: bool,
    pub cwd: Option<Template>,
    pub env: Vec<(String, Template)>,
    /// Safe to run again on resume when relman died while it ran.
    pub idempotent: bool,
    /// What `relman abort` runs to undo it.
    pub undo: Option<CommandSpec>,
}

/// A command as written: one line (split like a shell) or an argv array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandSpec {
    /// Already split into words; each word is a template.
    Argv(Vec<Template>),
    /// A line for `sh -c` (with `shell = true`).
    Shell(Template),
}

impl CommandSpec {
    pub fn templates(&self) -> Vec<&Template> {
        match self {
            CommandSpec::Argv(words) => words.iter().collect(),
            CommandSpec::Shell(line) => vec![line],
        }
    }
}
