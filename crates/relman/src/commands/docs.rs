//! `relman docs [-o FILE]`: the workflows as a Markdown runbook, on standard output or in a file.

use relman_engine::docs;

use super::{Context, print};
use crate::args::DocsArgs;
use crate::error::{CliError, CliResult, ExitCode};

pub fn run(context: &Context, args: &DocsArgs) -> CliResult<ExitCode> {
    let repo = context.repository()?;
    let config = context.config(&repo)?;
    // The title's name comes from the config only: the folder a clone sits in must not change
    // the bytes of a checked-in runbook.
    let text = docs::render(&config, None);
    match &args.output {
        None if context.global.json => {
            print(&format!("{}\n", serde_json::json!({ "markdown": text })))?;
        }
        None => print(&text)?,
        Some(output) => {
            let path = context.cwd.join(output);
            relman_version::files::write_atomic(&path, text.as_bytes()).map_err(|error| {
                CliError::failed(format!("cannot write `{}`: {error}", output.display()))
            })?;
            if context.global.json {
                print(&format!(
                    "{}\n",
                    serde_json::json!({ "written": output.display().to_string() })
                ))?;
            } else if !context.global.quiet {
                use std::io::Write;
                let text = format!("{} wrote {}", context.style.green("✓"), output.display());
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{}",
                    crate::output::clean::stderr(&text)
                );
            }
        }
    }
    Ok(ExitCode::Done)
}
