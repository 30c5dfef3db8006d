//! `relman completions SHELL`: completion scripts generated from the clap definition.

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs};
use crate::error::{CliResult, ExitCode};

pub fn run(args: &CompletionsArgs) -> CliResult<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "relman",
        &mut std::io::stdout().lock(),
    );
    Ok(ExitCode::Done)
}
