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

use std::path::PathBuf;
use std::time::Duration;

use super::process::{Observed, run_command_observed};
use super::{Outcome, PlanCx, RunCx, StepError};
use crate::journal::Undo;
use crate::plan::Effect;
use crate::template::Variables;

impl CommandSpec {
    /// The argv: each word resolved whole (never re-split), or `sh -c LINE` with values quoted.
    pub(crate) fn argv(
        &self,
        resolve: impl Fn(&Template) -> Result<String, StepError>,
        quote_line: impl Fn(&Template) -> Result<String, StepError>,
    ) -> Result<Vec<String>, StepError> {
        match self {
            CommandSpec::Argv(words) => words.iter().map(resolve).collect(),
            CommandSpec::Shell(line) => {
                Ok(vec!["sh".to_owned(), "-c".to_owned(), quote_line(line)?])
            }
        }
    }
}

fn shell_quote(variables: &Variables, template: &Template) -> Result<String, StepError> {
    template
        .render_with(variables, |value| shell_words::quote(value).into_owned())
        .map_err(|unresolved| StepError::new(unresolved.to_string()))
}

/// A command ready to run: argv, folder, extra environment.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub argv: Vec<String>,
    pub cwd: PathBuf,
    pub env: Vec<(String, String)>,
}

impl RunStep {
    /// The `undo` command as `abort` runs it, rendered now.
    pub(crate) fn undo_command(&self, cx: &RunCx<'_>) -> Result<Option<Resolved>, StepError> {
        let Some(undo) = &self.undo else {
            return Ok(None);
        };
        let variables = cx.variables();
        let argv = undo.argv(|word| cx.render(word), |line| shell_quote(&variables, line))?;
        let (cwd, env) = self.place(cx)?;
        Ok(Some(Resolved { argv, cwd, env }))
    }

    /// Where the command runs and its extra environment.
    fn place(&self, cx: &RunCx<'_>) -> Result<(PathBuf, Vec<(String, String)>), StepError> {
        let cwd = match &self.cwd {
            Some(cwd) => cx.root().join(cx.render(cwd)?),
            None => cx.root().to_owned(),
        };
        let env = self
            .env
            .iter()
            .map(|(name, value)| Ok((name.clone(), cx.render(value)?)))
            .collect::<Result<Vec<_>, StepError>>()?;
        Ok((cwd, env))
    }

    pub(crate) fn preview(&self, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let variables = super::context::with_env(cx.variables, cx.env);
        let argv = match &self.command {
            CommandSpec::Argv(words) => words
                .iter()
                .map(|word| word.render_partial(&variables))
                .collect(),
            CommandSpec::Shell(line) => vec![
                line.render_with(&variables, |value| shell_words::quote(value).into_owned())
                    .unwrap_or_else(|_| line.render_partial(&variables)),
            ],
        };
        let cwd = self
            .cwd
            .as_ref()
            .map(|cwd| cwd.render_partial(&variables).into());
        let mut effects = vec![Effect::Command {
            argv,
            cwd,
            shell: self.shell,
        }];
        if let Some(undo) = &self.undo {
            let words: Vec<String> = undo
                .templates()
                .iter()
                .map(|word| word.render_partial(&variables))
                .collect();
            effects.push(Effect::Note {
                text: format!("`relman abort` undoes it with: {}", words.join(" ")),
            });
        }
        Ok(effects)
    }

    pub(crate) fn execute(
        &self,
        cx: &mut RunCx<'_>,
        timeout: Option<Duration>,
    ) -> Result<Outcome, StepError> {
        let variables = cx.variables();
        let argv = self
            .command
            .argv(|word| cx.render(word), |line| shell_quote(&variables, line))?;
        let (cwd, env) = self.place(cx)?;
        if self.undo.is_some() {
            let number = cx.number();
            cx.push_undo(Undo::RunStepUndo { number });
        }
        // Who runs it is recorded before waiting on it, so that after a crash `resume` does not
        // start it again while the first one still runs.
        let mut not_recorded = None;
        let finished =
            run_command_observed(&argv, &cwd, &env, timeout, |observed| match observed {
                Observed::Started(identity) => {
                    cx.set_context(super::CHILD_PROCESS, identity);
                    not_recorded = cx.save().err();
                }
                Observed::Line(line) => cx.output(line),
            })?;
        if let Some(error) = not_recorded {
            return Err(error);
        }
        cx.set_output("exit_code", finished.code.unwrap_or_default().to_string());
        cx.set_output("stdout", finished.stdout.trim_end());
        Ok(Outcome::Done)
    }
}
