//! relman's binary: flags and glue. Each command lives in `commands/` and reaches the libraries
//! through their public APIs; this file parses arguments, runs one command and turns its result
//! into an exit code.

mod args;
mod commands;
mod error;
mod help;
mod output;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> std::process::ExitCode {
    let words = args::with_run_inserted(std::env::args_os().collect());
    let wants_json = words.iter().any(|word| word == "--json");
    if let Some(request) = help::request(&words) {
        return print_help(&words, &request);
    }
    let cli = match args::Cli::try_parse_from(&words) {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error, wants_json),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    let style = output::Style::stderr(cli.global.color, no_color);
    let out_style = output::Style::stdout(cli.global.color, no_color);
    output::clean::init(style, out_style);
    let json = cli.global.json;
    match commands::run(cli, style, out_style) {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(error) => {
            if json {
                output::print_error_json(&error);
            } else {
                output::print_error(style, &error);
            }
            std::process::ExitCode::from(error.code as u8)
        }
    }
}

/// clap's own errors (an unknown flag, a missing argument) are usage errors, exit 2; with
/// `--json` they are a JSON object on stdout like every other error. Help and `--version` are
/// printed as clap prints them.
fn usage_error(error: &clap::Error, json: bool) -> std::process::ExitCode {
    let is_output = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    );
    if !json || is_output {
        let _ = error.print();
        let code = u8::try_from(error.exit_code()).unwrap_or(2);
        return std::process::ExitCode::from(code);
    }
    let rendered = error.render().to_string();
    let mut lines = rendered.lines().filter(|line| !line.trim().is_empty());
    let message = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_owned();
    let error = error::CliError::usage(message).hint("run `relman --help` for the usage");
    output::print_error_json(&error);
    std::process::ExitCode::from(2)
}

/// Help that involves workflows, which clap alone cannot know (they come from relman.toml).
fn print_help(words: &[std::ffi::OsString], request: &help::HelpRequest) -> std::process::ExitCode {
    let config = help::config(words);
    let command = match request {
        help::HelpRequest::Top => Some(help::top(&config)),
        help::HelpRequest::Workflow(name) => help::workflow(&config, name),
    };
    match command {
        Some(mut command) => {
            let _ = command.print_help();
            std::process::ExitCode::SUCCESS
        }
        None => {
            let help::HelpRequest::Workflow(name) = request else {
                unreachable!("the top-level help always exists")
            };
            let error = error::CliError::usage(format!("no command or workflow named `{name}`"))
                .hint(format!(
                    "the workflows are: {}; the commands: `relman --help`",
                    config.workflow_names().join(", ")
                ));
            output::print_error(
                output::Style::stderr(args::ColorChoice::Auto, false),
                &error,
            );
            std::process::ExitCode::from(2)
        }
    }
}
