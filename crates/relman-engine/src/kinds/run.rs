//! `run = "..."`: a project command. Without `shell = true` the command is split like a shell
//! would split it and placeholders become whole arguments, never re-split or interpreted.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::core::explain::{ExplainCx, Explained, code, join, show, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported, StringOrList};
use crate::core::{CHILD_PROCESS, Observed, run_command_observed};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
    UndoCommand,
};
use crate::template::{Template, Variables};

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

impl Kind for RunStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["cwd"],
        key_type: OptionType::StringOrList,
        options: &[
            OptionSpec::flag("shell"),
            OptionSpec::string("cwd"),
            OptionSpec::map("env"),
            OptionSpec::flag("idempotent"),
            OptionSpec::new("undo", OptionType::StringOrList),
        ],
        in_checkout: true,
        outputs: &["exit_code", "stdout"],
        ..KindSpec::new("run", "run a command")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let shell = options.flag("shell").unwrap_or(false);
        let run = options.string_or_list("run").ok_or(Reported)?;
        let env = options.template_map("env")?;
        // Arithmetic on a shell line could read these values by name.
        let env_values = env
            .iter()
            .any(|(_, value)| value.placeholders().next().is_some());
        let command = CommandSpec::parse(options, run, shell, env_values)?;
        let undo = match options.string_or_list("undo") {
            Some(undo) => Some(CommandSpec::parse(options, undo, shell, env_values)?),
            None => None,
        };
        Ok(RunStep {
            command,
            shell,
            cwd: options.template("cwd")?,
            env,
            idempotent: options.flag("idempotent").unwrap_or(false),
            undo,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        let mut all: Vec<(&'static str, &Template)> = self
            .command
            .templates()
            .into_iter()
            .map(|value| ("run", value))
            .collect();
        all.extend(
            TemplateList::new()
                .opt("cwd", &self.cwd)
                .values("env", &self.env)
                .list(),
        );
        if let Some(undo) = &self.undo {
            all.extend(undo.templates().into_iter().map(|value| ("undo", value)));
        }
        all
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let words: Vec<String> = self
            .command
            .templates()
            .iter()
            .map(|word| render(word))
            .collect();
        format!("run {}", words.join(" "))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let command = match &self.command {
            CommandSpec::Argv(words) => words.iter().map(show).collect::<Vec<_>>().join(" "),
            CommandSpec::Shell(line) => show(line),
        };
        let mut explained = Explained::new(format!("Run {}.", code(&command)))
            .detail_if(self.shell, "Through `sh -c`.")
            .detail_if(
                self.cwd.is_some(),
                format!(
                    "In {}.",
                    self.cwd.as_ref().map(show_code).unwrap_or_default()
                ),
            );
        if !self.env.is_empty() {
            let vars: Vec<String> = self
                .env
                .iter()
                .map(|(name, value)| format!("`{name}={}`", show(value)))
                .collect();
            explained = explained.detail(format!("With {}.", join(&vars)));
        }
        if self.idempotent {
            explained = explained.detail("Safe to run again if relman stopped while it ran.");
        }
        if let Some(undo) = &self.undo {
            let undo = match undo {
                CommandSpec::Argv(words) => words.iter().map(show).collect::<Vec<_>>().join(" "),
                CommandSpec::Shell(line) => show(line),
            };
            explained = explained.detail(format!("`relman abort` undoes it with {}.", code(&undo)));
        }
        explained
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let variables = crate::core::with_env(cx.variables, cx.env);
        let mut parameters = Vec::new();
        let argv = match &self.command {
            CommandSpec::Argv(words) => words
                .iter()
                .map(|word| word.render_partial(&variables))
                .collect(),
            CommandSpec::Shell(line) => {
                let (script, values) = super::shell_line::script(line, &variables, true)
                    .unwrap_or_else(|_| (line.render_partial(&variables), Vec::new()));
                parameters = values;
                vec![script]
            }
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
        if !parameters.is_empty() {
            let listed: Vec<String> = parameters
                .iter()
                .enumerate()
                .map(|(index, value)| format!("${} = {}", index + 1, shell_words::quote(value)))
                .collect();
            effects.push(Effect::Note {
                text: format!(
                    "placeholders reach the shell as parameters, never as code: {}",
                    listed.join(", ")
                ),
            });
        }
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

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let variables = cx.variables();
        let argv = self
            .command
            .argv(|word| cx.render(word), |line| shell_argv(&variables, line))?;
        let (cwd, env) = self.place(cx)?;
        if self.undo.is_some() {
            let number = cx.number();
            cx.push_undo(Undo::RunStepUndo { number });
        }
        // Who runs it is recorded before waiting on it, so that after a crash `resume` does not
        // start it again while the first one still runs.
        let mut not_recorded = None;
        let finished =
            run_command_observed(&argv, &cwd, &env, step.timeout, |observed| match observed {
                Observed::Started(identity) => {
                    cx.set_context(CHILD_PROCESS, identity);
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

    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(if self.idempotent {
            Probe::NotDone
        } else {
            Probe::Unknown
        })
    }

    /// The `undo` command as `abort` runs it, rendered now.
    fn undo_command(&self, cx: &RunCx<'_>) -> Result<Option<UndoCommand>, StepError> {
        let Some(undo) = &self.undo else {
            return Ok(None);
        };
        let variables = cx.variables();
        let argv = undo.argv(|word| cx.render(word), |line| shell_argv(&variables, line))?;
        let (cwd, env) = self.place(cx)?;
        Ok(Some(UndoCommand { argv, cwd, env }))
    }
}

impl CommandSpec {
    pub fn templates(&self) -> Vec<&Template> {
        match self {
            CommandSpec::Argv(words) => words.iter().collect(),
            CommandSpec::Shell(line) => vec![line],
        }
    }
}

impl CommandSpec {
    /// The argv: each word resolved whole (never re-split), or `sh -c SCRIPT relman VALUE…`
    /// with the values as positional parameters (`shell_line`).
    pub(crate) fn argv(
        &self,
        resolve: impl Fn(&Template) -> Result<String, StepError>,
        shell: impl Fn(&Template) -> Result<Vec<String>, StepError>,
    ) -> Result<Vec<String>, StepError> {
        match self {
            CommandSpec::Argv(words) => words.iter().map(resolve).collect(),
            CommandSpec::Shell(line) => shell(line),
        }
    }
}

fn shell_argv(variables: &Variables, template: &Template) -> Result<Vec<String>, StepError> {
    super::shell_line::argv(template, variables)
        .map_err(|unresolved| StepError::new(unresolved.to_string()))
}

impl RunStep {
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
}

impl CommandSpec {
    /// A command as written: one line split like a shell would (placeholders stay whole
    /// arguments), an argv array, or with `shell = true` one line for `sh -c`, refused where
    /// the shell could evaluate a value as arithmetic (`shell_line::refusal`).
    fn parse(
        options: &mut Options<'_>,
        value: Spanned<StringOrList>,
        shell: bool,
        env_values: bool,
    ) -> Result<CommandSpec, Reported> {
        let span = value.span();
        let words: Vec<String> = match value.into_inner() {
            StringOrList::One(line) if shell => {
                let line = options.template_text(&line, span.clone())?;
                if let Some((message, hint)) = super::shell_line::refusal(&line, env_values) {
                    return Err(options.error_hint(span, message, hint));
                }
                return Ok(CommandSpec::Shell(line));
            }
            StringOrList::One(line) => match shell_words::split(&line) {
                Ok(words) => words,
                Err(error) => {
                    return Err(options.error_hint(
                        span,
                        format!("cannot split `{line}` into arguments: {error}"),
                        "check the quotes, or give the command as an array",
                    ));
                }
            },
            StringOrList::Many(_) if shell => {
                return Err(options.error_hint(
                    span,
                    "`shell = true` takes the command as one string",
                    "write `run = \"a | b\"`",
                ));
            }
            StringOrList::Many(words) => words,
        };
        if words.is_empty() {
            return Err(options.error(span, "the command is empty"));
        }
        let mut templates = Vec::new();
        for word in words {
            templates.push(options.template_text(&word, span.clone())?);
        }
        Ok(CommandSpec::Argv(templates))
    }
}
