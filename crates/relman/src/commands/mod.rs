//! One file per command. `run` builds the shared [`Context`] and dispatches; commands reach the
//! libraries through their public APIs and turn their errors into [`CliError`]s here.

mod changelog;
mod check;
mod completions;
mod docs;
mod fragment;
mod init;
mod packages;
mod release;
mod schema;
mod version;

use std::io::IsTerminal;
use std::path::PathBuf;

use relman_engine::config::{Config, FILE_NAME};
use relman_engine::environment::Environment;
use relman_engine::project::{Project, ProjectError};
use relman_git::Repository;

use crate::args::{Cli, Command, GlobalArgs};
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::Style;

/// What every command may need, built once from the global flags.
#[derive(Debug)]
pub struct Context {
    pub global: GlobalArgs,
    /// Colours of what goes to stderr (progress, diagnostics).
    pub style: Style,
    /// Colours of what goes to stdout (a plan, a status, a report).
    pub out_style: Style,
    /// The directory relman acts in (`-C`, else the current directory).
    pub cwd: PathBuf,
}

impl Context {
    /// The process environment and clock, for the engine.
    pub fn environment(&self) -> Environment {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| {
                i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
            });
        let mut env = Environment::new(std::env::vars(), now);
        env.interactive = self.can_ask();
        env
    }

    /// Whether a person can be asked: stdin is a terminal (whatever stdout and stderr are, so
    /// `relman release 2>&1 | tee log` still asks) and `--no-input` was not given.
    pub fn can_ask(&self) -> bool {
        !self.global.no_input && std::io::stdin().is_terminal()
    }

    /// Whether the person starting a release agreed to it in advance: `--yes`, or a CI job
    /// (`CI=true`, as GitHub Actions, GitLab CI and CircleCI set it).
    pub fn consented(&self) -> bool {
        self.global.yes || std::env::var("CI").is_ok_and(|value| value.eq_ignore_ascii_case("true"))
    }

    pub fn repository(&self) -> CliResult<Repository> {
        Repository::discover(&self.cwd)
            .map_err(|error| CliError::usage(error.to_string()).hint_opt(error.hint()))
    }

    /// `--config`, else `relman.toml` at the top of the work tree, else the built-in defaults.
    pub fn config(&self, repo: &Repository) -> CliResult<Config> {
        let path = match &self.global.config {
            Some(path) => Some(self.cwd.join(path)),
            None => repo
                .work_tree()
                .map(|root| root.join(FILE_NAME))
                // Anything there is read (and a link to a device refused), not passed over.
                .filter(|path| path.symlink_metadata().is_ok()),
        };
        match path {
            Some(path) => Ok(Config::load(&path)?),
            None => Ok(Config::detected()),
        }
    }

    /// The repository, its config and the resolved project.
    pub fn project(&self) -> CliResult<(Config, Project)> {
        let repo = self.repository()?;
        let config = self.config(&repo)?;
        let project = Project::resolve(repo, &config).map_err(project_error)?;
        Ok((config, project))
    }
}

/// The packages `-p NAME` names, each as a project of its own; without `-p`, the project itself,
/// which in a repository of several packages is its root package, or every package when none is
/// at the root.
pub fn selected(project: &Project, names: &[String]) -> CliResult<Vec<Project>> {
    if names.is_empty() {
        if project.has_packages() && project.root_package().is_none() {
            return Ok(project.package_views());
        }
        return Ok(vec![project.clone()]);
    }
    if !project.has_packages() {
        // A single-package project answers to its own name.
        return names
            .iter()
            .map(|name| {
                if *name == project.name {
                    Ok(project.clone())
                } else {
                    Err(CliError::usage(format!(
                        "there is no package `{name}`: this repository holds one, `{}`",
                        project.name
                    ))
                    .hint("`relman packages` lists the packages"))
                }
            })
            .collect();
    }
    let mut views = Vec::with_capacity(names.len());
    for name in names {
        views.push(project.package(name).map_err(project_error)?);
    }
    Ok(views)
}

/// A project problem is a usage problem: nothing was changed (exit 2).
pub fn project_error(error: ProjectError) -> CliError {
    CliError::usage(error.to_string()).hint_opt(error.hint())
}

pub fn run(cli: Cli, style: Style, out_style: Style) -> CliResult<ExitCode> {
    let base = std::env::current_dir()
        .map_err(|error| CliError::usage(format!("cannot read the current directory: {error}")))?;
    let cwd = match &cli.global.directory {
        Some(dir) => base.join(dir),
        None => base,
    };
    if !cwd.is_dir() {
        return Err(
            CliError::usage(format!("`{}` is not a directory", cwd.display()))
                .hint("check the path given to `-C`"),
        );
    }
    let context = Context {
        global: cli.global,
        style,
        out_style,
        cwd,
    };
    match cli.command {
        Command::Version(args) => version::run(&context, &args),
        Command::Packages => packages::run(&context),
        Command::Changelog(args) => changelog::run(&context, &args),
        Command::Fragment(command) => fragment::run(&context, command),
        Command::Check => check::run(&context),
        Command::Completions(args) => completions::run(&context, &args),
        Command::Schema => schema::run(),
        Command::Plan(args) => release::plan(&context, &args),
        Command::Run(args) => release::run(&context, &args),
        Command::Resume(args) => release::resume(&context, args.confirm),
        Command::Status => release::status(&context),
        Command::Abort => release::abort(&context),
        Command::Init(args) => init::run(&context, &args),
        Command::Docs(args) => docs::run(&context, &args),
    }
}

/// Writes to stdout, control characters shown as escapes; a closed pipe (`relman changelog |
/// head`) ends quietly.
pub fn print(text: &str) -> CliResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let text = crate::output::clean::stdout(text);
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(CliError::failed(format!(
            "cannot write to standard output: {error}"
        ))),
    }
}
