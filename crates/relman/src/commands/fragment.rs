//! `relman fragment new TYPE [ID] [-m TEXT]`: a towncrier news fragment, named and placed as
//! towncrier would.

use relman_version::changelog::towncrier;

use super::{Context, print};
use crate::args::FragmentCommand;
use crate::error::{CliError, CliResult, ExitCode};

pub fn run(context: &Context, command: FragmentCommand) -> CliResult<ExitCode> {
    let FragmentCommand::New(args) = command;
    let (_, project) = context.project()?;
    let Some(config) = project.towncrier() else {
        return Err(CliError::usage("this project's changelog is not built from news fragments")
            .hint("add a `[tool.towncrier]` table to pyproject.toml (or a towncrier.toml), or set `from = \"fragments\"` under `[changelog]` in relman.toml"));
    };
    let text = args.message.clone().unwrap_or_default();
    let path = towncrier::create_fragment(config, &args.kind, args.id.as_deref(), &text)
        .map_err(|error| CliError::usage(error.to_string()).hint_opt(error.hint()))?;
    let shown = project.display_path(&path).display().to_string();
    if context.global.json {
        print(&format!("{}\n", serde_json::json!({ "path": shown })))?;
    } else {
        print(&format!("{shown}\n"))?;
    }
    Ok(ExitCode::Done)
}
