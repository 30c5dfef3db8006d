//! `relman schema`: the JSON Schema of relman.toml, for editors (Taplo, VS Code Even Better TOML).

use std::io::Write;

use crate::error::{CliError, CliResult, ExitCode};

pub fn run() -> CliResult<ExitCode> {
    let schema = relman_engine::config::json_schema();
    writeln!(std::io::stdout().lock(), "{schema}")
        .map_err(|error| CliError::failed(format!("cannot write to standard output: {error}")))?;
    Ok(ExitCode::Done)
}
