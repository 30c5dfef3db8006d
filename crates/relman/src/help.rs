//! Help that knows the project's workflows: `relman help release` and `relman release --help`
//! describe the workflow (its arguments and defaults, `--pre`, the global options) rather than
//! the generic `run` command, and `relman --help` lists the workflows relman.toml defines.
//!
//! relman.toml is read only when help is asked for, so a normal start pays nothing for this.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, Args, Command, CommandFactory};
use relman_engine::config::{Config, FILE_NAME, Workflow};

use crate::args::{COMMANDS, Cli, GlobalArgs};

/// What the words on the command line ask help for, if anything.
#[derive(Debug, PartialEq, Eq)]
pub enum HelpRequest {
    /// `relman --help`, `relman help`: the commands, then the workflows.
    Top,
    /// `relman help WORKFLOW`, `relman WORKFLOW --help`, `relman plan WORKFLOW -h` …
    Workflow(String),
}

/// Options whose value is the next word.
const TAKES_VALUE: &[&str] = &["-C", "--config", "--color"];

/// Reads the command line (after `run` was inserted before a workflow name) for a help request
/// that involves workflows. Help for a built-in command is left to clap.
pub fn request(words: &[OsString]) -> Option<HelpRequest> {
    let words: Vec<&str> = words
        .iter()
        .skip(1)
        .filter_map(|word| word.to_str())
        .collect();
    let mut positional = Vec::new();
    let mut wants_help = false;
    let mut index = 0;
    while index < words.len() {
        let word = words[index];
        if word == "--" {
            break;
        }
        if TAKES_VALUE.contains(&word) {
            index += 2;
            continue;
        }
        if word == "--help" || word == "-h" {
            wants_help = true;
        } else if !word.starts_with('-') {
            positional.push(word);
        }
        index += 1;
    }
    match positional.as_slice() {
        [] if wants_help => Some(HelpRequest::Top),
        ["help"] => Some(HelpRequest::Top),
        ["help", name, ..] if !COMMANDS.contains(name) => {
            Some(HelpRequest::Workflow((*name).to_owned()))
        }
        ["run" | "plan", name, ..] if wants_help => Some(HelpRequest::Workflow((*name).to_owned())),
        _ => None,
    }
}

/// `-C DIR` and `--config PATH` as given, read before clap so help can find relman.toml.
fn config_path(words: &[OsString]) -> Option<PathBuf> {
    let mut dir: Option<PathBuf> = None;
    let mut config: Option<PathBuf> = None;
    let mut iter = words.iter().skip(1);
    while let Some(word) = iter.next() {
        match word.to_str() {
            Some("-C") => dir = iter.next().map(PathBuf::from),
            Some("--config") => config = iter.next().map(PathBuf::from),
            Some("--") => break,
            _ => {}
        }
    }
    let base = std::env::current_dir().ok()?;
    let dir = dir.map_or_else(|| base.clone(), |dir| base.join(dir));
    if let Some(config) = config {
        return Some(dir.join(config));
    }
    let repo = relman_git::Repository::discover(&dir).ok()?;
    Some(repo.work_tree()?.join(FILE_NAME))
}

/// The config help describes: relman.toml when it is there and valid, else the built-in
/// workflows (help must work in a broken project too; `relman check` reports what is wrong).
pub fn config(words: &[OsString]) -> Config {
    config_path(words)
        .filter(|path| path.is_file())
        .and_then(|path| Config::load(&path).ok())
        .unwrap_or_else(Config::detected)
}

/// `relman --help`, with the project's workflows after the commands.
pub fn top(config: &Config) -> Command {
    let mut listing = String::from("Workflows (run as `relman WORKFLOW [ARGS]`):\n");
    for name in config.workflow_names() {
        let help = config
            .workflow(&name)
            .and_then(|workflow| workflow.help)
            .map(|help| shown(&help))
            .unwrap_or_default();
        listing.push_str(format!("  {name:<14} {help}").trim_end());
        listing.push('\n');
    }
    listing.push_str(
        "\n`relman help WORKFLOW` describes one; `relman plan WORKFLOW` shows every step.",
    );
    Cli::command().after_help(listing)
}

/// The help of one workflow, as a clap command of its own, or `None` when no workflow has
/// that name.
pub fn workflow(config: &Config, name: &str) -> Option<Command> {
    let workflow = config.workflow(name)?;
    Some(workflow_command(&workflow, config.path.as_deref()))
}

fn workflow_command(workflow: &Workflow, source: Option<&Path>) -> Command {
    let name = &workflow.name;
    let about = workflow
        .help
        .as_deref()
        .map(shown)
        .unwrap_or_else(|| match source {
            Some(_) => format!("Run the `{name}` workflow of {FILE_NAME}"),
            None => format!("Run the built-in `{name}` workflow"),
        });
    let mut command = Command::new(name.clone())
        .bin_name(format!("relman {name}"))
        .about(about)
        .disable_help_subcommand(true)
        .max_term_width(100)
        .after_help(format!(
            "`relman plan {name}` shows every step and its effect, changing nothing; \
             `relman {name}` asks before it acts (`--yes` or `CI=true` when nobody can answer)."
        ));
    for arg in &workflow.args {
        let mut help = arg.help.as_deref().map(shown).unwrap_or_default();
        if let Some(default) = &arg.default {
            if !help.is_empty() {
                help.push(' ');
            }
            help.push_str(&format!("[default: {}]", shown(default)));
        }
        command = command.arg(
            Arg::new(arg.name.clone())
                .value_name(shown(&arg.name.to_uppercase()))
                .required(arg.default.is_none())
                .help(help),
        );
    }
    command = command.arg(
        Arg::new("pre")
            .long("pre")
            .value_name("LABEL")
            .action(ArgAction::Set)
            .help("The pre-release label for pre-release bump levels"),
    );
    GlobalArgs::augment_args(command)
}

/// A text from relman.toml as help may show it: control characters as visible escapes (clap
/// prints help before the output streams are set up, and a help text may hold anything).
fn shown(text: &str) -> String {
    crate::output::clean::neutralise(text, false).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<OsString> {
        crate::args::with_run_inserted(
            std::iter::once("relman")
                .chain(text.split_whitespace())
                .map(OsString::from)
                .collect(),
        )
    }

    #[test]
    fn workflow_help_is_recognised_in_every_spelling() {
        let release = Some(HelpRequest::Workflow("release".to_owned()));
        assert_eq!(request(&words("help release")), release);
        assert_eq!(request(&words("release --help")), release);
        assert_eq!(request(&words("release minor -h")), release);
        assert_eq!(request(&words("-C dir release --help")), release);
        assert_eq!(request(&words("plan release --help")), release);
        assert_eq!(request(&words("run release --help")), release);
        assert_eq!(request(&words("--help")), Some(HelpRequest::Top));
        assert_eq!(request(&words("help")), Some(HelpRequest::Top));
        // Built-in commands keep clap's own help.
        assert_eq!(request(&words("help version")), None);
        assert_eq!(request(&words("version --help")), None);
        assert_eq!(request(&words("release minor")), None);
        // A value of `-C` is not a workflow.
        assert_eq!(request(&words("-C --help")), None);
    }
}
