//! One file per command. `run` builds the shared [`Context`] and dispatches.

mod completions;
mod schema;

use std::path::PathBuf;

use crate::args::{Cli, Command, GlobalArgs};
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::Style;

/// What every command may need, built once from the global flags.
#[derive(Debug)]
pub struct Context {
    pub global: GlobalArgs,
    pub style: Style,
    /// The directory relman acts in (`-C`, else the current directory).
    pub cwd: PathBuf,
}

pub fn run(cli: Cli, style: Style) -> CliResult<ExitCode> {
    let cwd = match &cli.global.directory {
        Some(dir) => std::env::current_dir()
            .map(|current| current.join(dir))
            .map_err(|error| CliError::usage(format!("cannot read the current directory: {error}")))?,
        None => std::env::current_dir()
            .map_err(|error| CliError::usage(format!("cannot read the current directory: {error}")))?,
    };
    if !cwd.is_dir() {
        return Err(CliError::usage(format!("`{}` is not a directory", cwd.display())));
    }
    let context = Context { global: cli.global, style, cwd };
    match cli.command {
        Command::Completions(args) => completions::run(&args),
        Command::Schema => schema::run(),
        other => Err(CliError::usage(format!("`{}` is not available in this build yet", command_name(&other))).hint(format!("see `relman --help` (directory {})", context.cwd.display()))),
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Init(_) => "init",
        Command::Plan(_) => "plan",
        Command::Run(_) => "run",
        Command::Resume(_) => "resume",
        Command::Status => "status",
        Command::Abort => "abort",
        Command::Version(_) => "version",
        Command::Changelog(_) => "changelog",
        Command::Fragment(_) => "fragment",
        Command::Check => "check",
        Command::Docs(_) => "docs",
        Command::Completions(_) => "completions",
        Command::Schema => "schema",
        Command::Workflow(_) => "workflow",
    }
}
