//! The release commands: `plan`, `run` (and `relman WORKFLOW`), `resume`, `status`, `abort`.
//! Each builds the project, hands the engine a reporter and a prompter, and turns how the
//! release ended into an exit code.

use std::fmt::Write as _;

use relman_engine::environment::Environment;
use relman_engine::executor::{self, AbortReport, Finish, RunError, Runner};
use relman_engine::journal::{Journal, ReleaseState, StepState};
use relman_engine::plan::{self, Plan, PlanError, PlanRequest};
use relman_engine::project::Project;
use relman_engine::report::{NoPrompter, Prompter};

use super::{Context, print};
use crate::args::WorkflowArgs;
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::plan as show;
use crate::output::progress::{Detail, Progress, Spinner};
use crate::output::prompt::TerminalPrompter;

fn plan_error(error: PlanError) -> CliError {
    CliError::usage(error.to_string()).hint_opt(error.hint())
}

/// The exit code of each way a release can fail to go on: 4 only for another
/// release; 2 only when nothing was changed; 1 when the release stopped with the journal kept.
fn run_error(error: RunError) -> CliError {
    use relman_engine::lock::LockError;
    let code = match &error {
        RunError::Lock(LockError::Held { .. })
        | RunError::InProgress { .. }
        | RunError::InOtherWorktree {
            here_none: false, ..
        } => ExitCode::Locked,
        // The lock or the journal could not be used: an I/O error before anything was changed;
        // abort refused because a person changed a file since: it changed nothing.
        RunError::Lock(LockError::Io { .. })
        | RunError::NothingInProgress
        | RunError::InOtherWorktree {
            here_none: true, ..
        }
        | RunError::Journal(_)
        | RunError::Stale(_)
        | RunError::ChangedSince { .. } => ExitCode::Usage,
        RunError::Record(_) | RunError::ChecksFailed(_) | RunError::Step(_) | RunError::Git(_) => {
            ExitCode::StepFailed
        }
    };
    CliError::failed(error.to_string())
        .with_code(code)
        .hint_opt(error.hint())
}

/// Plans `workflow`; with `to_run`, first makes sure a release can start at all.
fn make_plan(
    context: &Context,
    arguments: &WorkflowArgs,
    to_run: bool,
) -> CliResult<(Project, Environment, Plan)> {
    let workflow = arguments.workflow.as_str();
    let args = &arguments.args;
    let pre = arguments.pre.as_deref();
    let (config, project) = context.project()?;
    if to_run {
        executor::check_can_start(&project).map_err(run_error)?;
    }
    let env = context.environment();
    let request = PlanRequest {
        workflow: workflow.to_owned(),
        args: args.to_vec(),
        pre_label: pre.map(str::to_owned),
    };
    let plan = plan::plan_packages(
        &project,
        &config,
        &env,
        &request,
        &arguments.package.packages,
    )
    .map_err(plan_error)?;
    Ok((project, env, plan))
}

fn detail(context: &Context) -> Detail {
    if context.global.quiet {
        Detail::Quiet
    } else if context.global.verbose > 0 {
        Detail::Verbose
    } else {
        Detail::Normal
    }
}

/// `relman plan`: show, change nothing.
pub fn plan(context: &Context, arguments: &WorkflowArgs) -> CliResult<ExitCode> {
    let (project, env, plan) = make_plan(context, arguments, false)?;
    let redactor = executor::redactor(&project, &env);
    if context.global.json {
        print(&format!("{}\n", show::json(&plan, &redactor)))?;
    } else {
        print(&show::render(&plan, context.out_style, &redactor))?;
    }
    if let Some(step) = plan.failed_checks().first() {
        return Err(CliError::failed(format!(
            "step {} ({}) fails: the release would stop there",
            step.number, step.title
        ))
        .hint("fix what the check reports, then plan again"));
    }
    Ok(ExitCode::Done)
}

/// `relman run` / `relman WORKFLOW`: plan, confirm, execute.
pub fn run(context: &Context, arguments: &WorkflowArgs) -> CliResult<ExitCode> {
    let workflow = arguments.workflow.as_str();
    let (project, env, plan) = make_plan(context, arguments, true)?;
    let redactor = executor::redactor(&project, &env);
    if let Some(reason) = &plan.nothing_to_release {
        if context.global.json {
            print(&format!(
                "{}\n",
                serde_json::json!({ "event": "finished", "state": "nothing-to-release", "message": reason })
            ))?;
        } else {
            print(&format!("{} {reason}\n", context.out_style.green("✓")))?;
        }
        return Ok(ExitCode::Done);
    }
    let asks = !context.consented();
    if asks && !context.can_ask() {
        return Err(CliError::usage(format!(
            "`{workflow}` changes the repository and nobody can confirm it: standard input is not a terminal{}",
            if context.global.no_input { " (or `--no-input` was given)" } else { "" }
        ))
        .hint(format!(
            "review it with `relman plan {workflow}`, then run again with `--yes` (CI jobs with `CI=true` need no flag)"
        )));
    }
    if !context.global.quiet && !context.global.json {
        eprint_line(&show::render(&plan, context.style, &redactor));
    }
    let spinner = Spinner::default();
    let mut prompter = TerminalPrompter {
        style: context.style,
        spinner: spinner.clone(),
    };
    if asks && !prompter.confirm(&format!("\nRun `{workflow}`?")) {
        eprint_line("Nothing was changed.");
        return Ok(ExitCode::Done);
    }
    let finish = drive(context, &project, &env, spinner, prompter, |runner| {
        runner.start(&plan)
    })?;
    conclude(context, &project, finish)
}

/// `relman resume [--confirm]`.
pub fn resume(context: &Context, confirm: bool) -> CliResult<ExitCode> {
    let (_, project) = context.project()?;
    let env = context.environment();
    let spinner = Spinner::default();
    let prompter = TerminalPrompter {
        style: context.style,
        spinner: spinner.clone(),
    };
    let finish = drive(context, &project, &env, spinner, prompter, |runner| {
        runner.resume(confirm)
    })?;
    conclude(context, &project, finish)
}

/// Runs `act` with the live progress view, and the terminal prompter when a person can answer.
fn drive(
    context: &Context,
    project: &Project,
    env: &Environment,
    spinner: Spinner,
    mut terminal: TerminalPrompter,
    act: impl FnOnce(&mut Runner<'_>) -> Result<Finish, RunError>,
) -> CliResult<Finish> {
    let mut progress = Progress::new(context.style, context.global.json, detail(context), spinner);
    let mut silent = NoPrompter;
    let prompter: &mut dyn Prompter = if env.interactive {
        &mut terminal
    } else {
        &mut silent
    };
    let mut runner = Runner {
        project,
        env,
        reporter: &mut progress,
        prompter,
    };
    let finish = act(&mut runner).map_err(run_error);
    drop(progress);
    finish
}

/// The result of a run goes to stdout (progress went to stderr): what was released, where it
/// paused, or that there was nothing to do. A failure is an error, on stderr. With `--json` the
/// `finished` event on stdout is the result.
fn conclude(context: &Context, project: &Project, finish: Finish) -> CliResult<ExitCode> {
    write_step_summary(project);
    let result = match finish {
        Finish::Done {
            version,
            tag,
            packages,
        } => {
            // A workflow that tagged nothing (a docs or freeze workflow) released nothing.
            let tagged = !tag.is_empty() && project.repo.tag_exists(&tag).unwrap_or(false);
            let tagged_packages: Vec<String> = packages
                .iter()
                .filter(|package| project.repo.tag_exists(&package.tag).unwrap_or(false))
                .map(|package| format!("{} {} ({})", package.name, package.version, package.tag))
                .collect();
            if packages.len() > 1 && !tagged_packages.is_empty() {
                format!(
                    "{}: {}",
                    context.out_style.green("Released"),
                    tagged_packages.join(", ")
                )
            } else if tagged {
                format!("{}: {version} ({tag})", context.out_style.green("Released"))
            } else {
                context.out_style.green("Release done.")
            }
        }
        Finish::NothingToRelease(reason) => reason,
        Finish::Paused {
            step,
            title,
            reason,
        } => {
            let mut text = format!(
                "{} at step {step} ({title}):",
                context.out_style.yellow("Paused")
            );
            for line in reason.lines() {
                let _ = write!(text, "\n  {line}");
            }
            if !reason.contains("relman resume") {
                text.push_str("\n  continue with: relman resume");
            }
            if !context.global.json {
                print(&format!("{text}\n"))?;
            }
            return Ok(ExitCode::Paused);
        }
        Finish::Failed { step, title, error } => {
            return Err(CliError::failed(format!(
                "step {step} ({title}) failed: {}",
                error.message
            ))
            .hint_opt(error.hint)
            .hint(
                "the journal keeps the release: fix the cause and `relman resume`, or `relman abort`",
            ));
        }
    };
    if !context.global.json {
        print(&format!("{result}\n"))?;
    }
    Ok(ExitCode::Done)
}

/// `relman status`.
pub fn status(context: &Context) -> CliResult<ExitCode> {
    let (_, project) = context.project()?;
    let journal = executor::status(&project)
        .map_err(|error| CliError::usage(error.to_string()).hint_opt(error.hint()))?;
    // A release in progress in another worktree is named, not shown as this one's.
    let here_in_progress = journal
        .as_ref()
        .is_some_and(|journal| journal.state.in_progress());
    if !here_in_progress && !context.global.json {
        for other in executor::elsewhere(&project) {
            print(&format!(
                "A release is in progress in the worktree `{}`: {}\n  (resume or abort it there)\n",
                other.worktree.display(),
                executor::summary(&other.journal)
            ))?;
        }
    }
    let Some(journal) = journal else {
        if context.global.json {
            print("null\n")?;
        } else {
            print("No release yet.\n")?;
        }
        return Ok(ExitCode::Done);
    };
    if context.global.json {
        print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&journal).expect("a journal serialises")
        ))?;
    } else {
        print(&render_status(&journal, context))?;
    }
    Ok(ExitCode::Done)
}

fn render_status(journal: &Journal, context: &Context) -> String {
    let style = context.out_style;
    let mut out = String::new();
    let state = match journal.state {
        ReleaseState::Running => style.cyan("running (or interrupted: `relman resume`)"),
        ReleaseState::Paused => style.yellow("paused"),
        ReleaseState::Failed => style.red("failed"),
        ReleaseState::Done => style.green("done"),
        ReleaseState::Aborted => style.dim("aborted"),
    };
    let version = if journal.plan.version.is_empty() {
        String::new()
    } else {
        format!(" {} ({})", journal.plan.version, journal.plan.tag)
    };
    let _ = writeln!(
        out,
        "{}{version}: {state}",
        style.bold(&journal.plan.workflow)
    );
    for record in &journal.steps {
        let mark = match record.state {
            StepState::Done => style.green(record.state.mark()),
            StepState::Failed => style.red(record.state.mark()),
            StepState::Paused => style.yellow(record.state.mark()),
            _ => style.dim(record.state.mark()),
        };
        let time = record
            .duration_ms
            .map(|millis| format!(" {}", style.dim(&crate::output::progress::millis(millis))))
            .unwrap_or_default();
        let _ = writeln!(out, "  {mark} {}. {}{time}", record.number, record.title);
        for (name, value) in &record.outputs {
            if name == "stdout" || name == "changelog" {
                continue;
            }
            let first = value.lines().next().unwrap_or_default();
            let _ = writeln!(out, "      {}", style.dim(&format!("{name}: {first}")));
        }
        if let Some(message) = &record.message {
            for line in message.lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
        if matches!(record.state, StepState::Failed | StepState::Paused) {
            for line in record.output_tail.iter().rev().take(10).rev() {
                let _ = writeln!(out, "      {}", style.dim(line));
            }
        }
    }
    out
}

/// `relman abort`.
pub fn abort(context: &Context) -> CliResult<ExitCode> {
    let (_, project) = context.project()?;
    let env = context.environment();
    let mut progress = Progress::new(
        context.style,
        context.global.json,
        detail(context),
        Spinner::default(),
    );
    let mut prompter = NoPrompter;
    let mut runner = Runner {
        project: &project,
        env: &env,
        reporter: &mut progress,
        prompter: &mut prompter,
    };
    let report = runner.abort().map_err(run_error)?;
    drop(progress);
    if context.global.json {
        let value = serde_json::json!({
            "undone": report.undone,
            "kept": report.kept,
            "remote": report.remote.iter().map(|effect| serde_json::json!({ "effect": effect.description, "undo": effect.undo_hint })).collect::<Vec<_>>(),
        });
        print(&format!("{value}\n"))?;
    } else {
        print(&render_abort(&report, context))?;
    }
    Ok(ExitCode::Done)
}

fn render_abort(report: &AbortReport, context: &Context) -> String {
    let style = context.out_style;
    let mut out = format!("{}\n", style.bold("Release aborted."));
    for line in &report.undone {
        let _ = writeln!(out, "  {} {line}", style.green("↺"));
    }
    for line in &report.kept {
        let _ = writeln!(out, "  {} {line}", style.yellow("!"));
    }
    if !report.remote.is_empty() {
        let _ = writeln!(out, "\nStill out there (relman does not undo these):");
        for effect in &report.remote {
            let _ = writeln!(
                out,
                "  - {}\n      undo: {}",
                effect.description, effect.undo_hint
            );
        }
    }
    out
}

/// In GitHub Actions, appends a Markdown summary of the release to `$GITHUB_STEP_SUMMARY`.
fn write_step_summary(project: &Project) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") else {
        return;
    };
    let Ok(Some(journal)) = executor::status(project) else {
        return;
    };
    let mut text = String::new();
    let version = if journal.plan.version.is_empty() {
        String::new()
    } else {
        format!(" {} (`{}`)", journal.plan.version, journal.plan.tag)
    };
    let state = match journal.state {
        ReleaseState::Done => "done",
        ReleaseState::Paused => "paused",
        ReleaseState::Failed => "failed",
        ReleaseState::Running => "running",
        ReleaseState::Aborted => "aborted",
    };
    let _ = writeln!(
        text,
        "### relman: `{}`{version}: {state}\n",
        journal.plan.workflow
    );
    let _ = writeln!(text, "| | step | result |\n|---|---|---|");
    for record in &journal.steps {
        let result = record
            .message
            .clone()
            .or_else(|| record.outputs.get("url").cloned())
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "| {} | {}. {} | {} |",
            record.state.mark(),
            record.number,
            record.title.replace('|', "\\|"),
            result
                .lines()
                .next()
                .unwrap_or_default()
                .replace('|', "\\|")
        );
    }
    if let Ok(mut file) = fs_err::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
    {
        use std::io::Write;
        let _ = writeln!(file, "{}", crate::output::clean::neutralise(&text, false));
    }
}

fn eprint_line(text: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        crate::output::clean::stderr(text.trim_end())
    );
}
