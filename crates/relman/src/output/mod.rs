//! Everything the binary writes for people: colours (only on a terminal, never with `NO_COLOR`),
//! `error:`/`warning:`/`hint:` lines, and the live step list. Data goes to stdout; progress and
//! diagnostics to stderr. Every write goes through `clean`, which shows control characters from
//! commits, tags and command output as visible escapes.

pub mod clean;
pub mod plan;
pub mod progress;
pub mod prompt;

use std::io::{IsTerminal, Write};

use crate::args::ColorChoice;
use crate::error::CliError;

/// Decides colours once, from the flag, the environment and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn new(choice: ColorChoice, no_color_env: bool, stream_is_terminal: bool) -> Self {
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stream_is_terminal && !no_color_env,
        };
        Style { color }
    }

    pub fn stderr(choice: ColorChoice, no_color_env: bool) -> Self {
        Style::new(choice, no_color_env, std::io::stderr().is_terminal())
    }

    /// For what goes to stdout (a plan, a status): `relman plan > plan.txt` on a terminal must
    /// not write escape codes into the file.
    pub fn stdout(choice: ColorChoice, no_color_env: bool) -> Self {
        Style::new(choice, no_color_env, std::io::stdout().is_terminal())
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn red(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
    pub fn yellow(&self, text: &str) -> String {
        self.paint("1;33", text)
    }
    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn cyan(&self, text: &str) -> String {
        self.paint("36", text)
    }
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// Prints an error with its details and hints to stderr.
#[allow(clippy::print_stderr)] // the binary's one place for diagnostics
pub fn print_error(style: Style, error: &CliError) {
    let mut text = format!("{} {}\n", style.red("error:"), error.message);
    for line in &error.detail {
        text.push_str(&format!("{}\n", style.dim(line)));
    }
    for hint in &error.hints {
        text.push_str(&format!("{} {hint}\n", style.cyan("hint:")));
    }
    let _ = std::io::stderr()
        .lock()
        .write_all(clean::stderr(&text).as_bytes());
}

/// With `--json`, an error is one JSON object on stdout, like every other result, so a machine
/// reading stdout never has to parse prose from stderr.
pub fn print_error_json(error: &CliError) {
    let value = serde_json::json!({
        "event": "error",
        "exit_code": error.code as u8,
        "message": error.message,
        "detail": error.detail,
        "hints": error.hints,
    });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", clean::stdout(&value.to_string()));
    let _ = out.flush();
}

/// Prints a warning to stderr.
pub fn print_warning(style: Style, message: &str) {
    let text = format!("{} {message}", style.yellow("warning:"));
    let _ = writeln!(std::io::stderr().lock(), "{}", clean::stderr(&text));
}

/// Prints a note (something relman decided that the user should know) to stderr.
pub fn print_note(style: Style, message: &str) {
    let text = format!("{} {message}", style.cyan("note:"));
    let _ = writeln!(std::io::stderr().lock(), "{}", clean::stderr(&text));
}
