//! relman's binary: flags and glue. Each command lives in `commands/` and reaches the libraries
//! through their public APIs; this file parses arguments, runs one command and turns its result
//! into an exit code.

mod args;
mod commands;
mod error;
mod output;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse_from(args::with_run_inserted(std::env::args_os().collect()));
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    let style = output::Style::stderr(cli.global.color, no_color);
    let out_style = output::Style::stdout(cli.global.color, no_color);
    output::clean::init(style, out_style);
    match commands::run(cli, style, out_style) {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(error) => {
            output::print_error(style, &error);
            std::process::ExitCode::from(error.code as u8)
        }
    }
}
