//! `relman init [--from RUNBOOK] [--force]`: detect the project, write a commented relman.toml
//! (drafted from a runbook when given), and say what was found.

use std::fmt::Write as _;

use relman_engine::config::FILE_NAME;
use relman_engine::init::{self, Init, InitError, Runbook};

use super::{Context, print};
use crate::args::InitArgs;
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::print_warning;

fn init_error(error: InitError) -> CliError {
    let code = match &error {
        InitError::Write { .. } | InitError::Invalid { .. } => ExitCode::StepFailed,
        InitError::Exists { .. } | InitError::Project(_) | InitError::Unsettled { .. } => {
            ExitCode::Usage
        }
    };
    CliError::failed(error.to_string())
        .with_code(code)
        .hint_opt(error.hint())
}

pub fn run(context: &Context, args: &InitArgs) -> CliResult<ExitCode> {
    let repo = context.repository()?;
    let root = repo
        .work_tree()
        .ok_or_else(|| {
            CliError::usage("relman init needs a work tree, and this repository is bare")
        })?
        .to_owned();
    let path = match &context.global.config {
        Some(path) => context.cwd.join(path),
        None => root.join(FILE_NAME),
    };
    init::check_target(&path, args.force).map_err(init_error)?;
    let runbook = match &args.from {
        Some(from) => {
            let path = context.cwd.join(from);
            let bounded = relman_version::files::bounded::MAX_FRAGMENT;
            let text =
                relman_version::files::read_text_bounded(&path, bounded).map_err(|error| {
                    CliError::usage(format!("cannot read the runbook: {error}"))
                        .hint("`--from` takes a Markdown, reStructuredText or plain-text file")
                })?;
            Some((from.display().to_string(), text))
        }
        None => None,
    };
    let made = init::init(
        repo,
        runbook
            .as_ref()
            .map(|(source, text)| Runbook { source, text }),
        &path,
    )
    .map_err(init_error)?;
    let warnings =
        init::validate(&made, context.repository()?, &context.environment()).map_err(init_error)?;
    init::write(&path, &made.text).map_err(init_error)?;
    let shown = path
        .strip_prefix(&context.cwd)
        .unwrap_or(&path)
        .display()
        .to_string();
    if context.global.json {
        print(&format!("{}\n", json(&made, &shown)))?;
    } else if !context.global.quiet {
        print(&report(context, &made, &shown))?;
    }
    for warning in &warnings {
        print_warning(context.style, warning);
    }
    if let Err(problem) = &made.detection.current_version {
        print_warning(
            context.style,
            &format!("the version files cannot be read: {problem}"),
        );
    }
    if made.detection.version_files.is_empty() && made.detection.release_tags == 0 {
        print_warning(
            context.style,
            "no version file and no release tag: the first release will be `initial-version` (0.1.0 unless set under `[project]`)",
        );
    }
    Ok(ExitCode::Done)
}

fn report(context: &Context, made: &Init, path: &str) -> String {
    let style = context.style;
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.bold("Detected"));
    let summary = made.detection.summary();
    let width = summary
        .iter()
        .map(|(label, _)| label.len())
        .max()
        .unwrap_or(0);
    for (label, value) in &summary {
        let _ = writeln!(out, "  {label:width$}  {value}");
    }
    let workflows: Vec<String> = made
        .config
        .workflows
        .values()
        .map(|workflow| format!("`{}` ({} steps)", workflow.name, workflow.steps.len()))
        .collect();
    let _ = writeln!(
        out,
        "{} wrote {path}: {}",
        style.green("✓"),
        workflows.join(", ")
    );
    if let Some(draft) = &made.draft {
        let steps: Vec<_> = draft.steps().collect();
        let manual = steps.iter().filter(|step| step.kind() == "manual").count();
        let _ = writeln!(
            out,
            "  drafted from {}: {} typed steps, {manual} manual; each cites its line",
            draft.source,
            steps.len() - manual
        );
    }
    let first = made
        .config
        .workflows
        .keys()
        .next()
        .cloned()
        .unwrap_or_else(|| "release".to_owned());
    let _ = writeln!(
        out,
        "next: read it through, commit it, then `relman plan {first}` (`relman docs` renders it as a runbook)"
    );
    out
}

fn json(made: &Init, path: &str) -> serde_json::Value {
    let detection = &made.detection;
    serde_json::json!({
        "path": path,
        "detected": detection
            .summary()
            .into_iter()
            .map(|(label, value)| (label.to_owned(), serde_json::Value::String(value)))
            .collect::<serde_json::Map<_, _>>(),
        "workflows": made
            .config
            .workflows
            .values()
            .map(|workflow| serde_json::json!({ "name": workflow.name, "steps": workflow.steps.len() }))
            .collect::<Vec<_>>(),
        "drafted_from": made.draft.as_ref().map(|draft| draft.source.clone()),
    })
}
