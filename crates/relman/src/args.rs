//! Command-line arguments, as clap parses them. Nothing here is interpreted: `main` turns these
//! into options for one command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "relman",
    version,
    about = "A release manager: executable release runbooks that plan, pause, resume and verify",
    max_term_width = 100,
    after_help = "A workflow defined in relman.toml can be run as `relman WORKFLOW [ARGS]`, e.g. `relman release minor`."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use this config file instead of `relman.toml` at the repository root.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Run as if relman was started in DIR.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// Print machine-readable JSON (one event per line while running).
    #[arg(long, global = true)]
    pub json: bool,
    /// Run without asking for confirmation. Needed when standard input is not a terminal,
    /// unless `CI=true` is set (as CI services do).
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Never prompt: pause where a person would be asked (a run then needs `--yes`).
    #[arg(long, global = true)]
    pub no_input: bool,
    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// More output (command output in full, debug details).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Less output: only errors and the final result.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Detect the project and write a commented relman.toml.
    Init(InitArgs),
    /// Show what a workflow would do, changing nothing.
    Plan(WorkflowArgs),
    /// Plan a workflow, confirm, and run it.
    Run(WorkflowArgs),
    /// Continue the release in progress.
    Resume(ResumeArgs),
    /// Show the release in progress (or the last one).
    Status,
    /// End the release in progress, undoing its unpushed local effects.
    Abort,
    /// Print the current version, or the next one.
    Version(VersionArgs),
    /// List the packages of a repository that holds several (versions, last releases, what is next).
    Packages,
    /// Print (or write) changelog sections.
    Changelog(ChangelogArgs),
    /// Manage news fragments.
    #[command(subcommand)]
    Fragment(FragmentCommand),
    /// Validate relman.toml and the project.
    Check,
    /// Render the workflows as a Markdown runbook.
    Docs(DocsArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the JSON Schema of relman.toml.
    Schema,
}

/// The built-in commands: any other first word is a workflow to run.
pub const COMMANDS: &[&str] = &[
    "init",
    "plan",
    "run",
    "resume",
    "status",
    "abort",
    "version",
    "packages",
    "changelog",
    "fragment",
    "check",
    "docs",
    "completions",
    "schema",
    "help",
];

/// `relman release minor --yes` means `relman run release minor --yes`: inserts `run` before the
/// first word that is not a flag (or a flag's value) and not a built-in command.
pub fn with_run_inserted(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    const TAKES_VALUE: &[&str] = &["-C", "--config", "--color"];
    let mut index = 1;
    while index < args.len() {
        let Some(word) = args[index].to_str() else {
            return args;
        };
        if word == "--" {
            return args;
        }
        if TAKES_VALUE.contains(&word) {
            index += 2;
            continue;
        }
        if word.starts_with('-') {
            index += 1;
            continue;
        }
        if COMMANDS.contains(&word) {
            return args;
        }
        let mut args = args;
        args.insert(index, "run".into());
        return args;
    }
    args
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Draft workflows from an existing runbook (RELEASE.md).
    #[arg(long, value_name = "RUNBOOK")]
    pub from: Option<PathBuf>,
    /// Overwrite an existing relman.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct WorkflowArgs {
    /// The workflow to run, e.g. `release`.
    pub workflow: String,
    /// The workflow's arguments, in the order it declares them.
    pub args: Vec<String>,
    /// The pre-release label for pre-release bump levels.
    #[arg(long, value_name = "LABEL")]
    pub pre: Option<String>,
    #[command(flatten)]
    pub package: PackageArgs,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Mark the manual step the release is paused on as done.
    #[arg(long)]
    pub confirm: bool,
}

/// `-p/--package NAME`, repeatable: the packages a command acts on.
#[derive(Debug, Args, Default)]
pub struct PackageArgs {
    /// Act on this package of the repository (repeatable); `relman packages` lists them.
    #[arg(short = 'p', long = "package", value_name = "NAME")]
    pub packages: Vec<String>,
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    #[command(flatten)]
    pub package: PackageArgs,
    /// Print the version that LEVEL would give (major, minor, patch, auto, rc, a version …).
    #[arg(long, value_name = "LEVEL")]
    pub next: Option<String>,
    /// The pre-release label for pre-release levels.
    #[arg(long, value_name = "LABEL")]
    pub pre: Option<String>,
}

#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct ChangelogSelection {
    /// The section the next release would add (the default).
    #[arg(long)]
    pub unreleased: bool,
    /// The section of one released version, read from history.
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Every release's section, from the whole history.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ChangelogArgs {
    #[command(flatten)]
    pub selection: ChangelogSelection,
    #[command(flatten)]
    pub package: PackageArgs,
    /// Insert the section into the changelog file instead of printing it.
    #[arg(long)]
    pub write: bool,
    /// The bump level used to name the unreleased section (default `auto`).
    #[arg(long, value_name = "LEVEL")]
    pub next: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum FragmentCommand {
    /// Create a news fragment: `relman fragment new feature 123 -m "Add X"`.
    New(FragmentNewArgs),
}

#[derive(Debug, Args)]
pub struct FragmentNewArgs {
    /// The fragment type (`feature`, `bugfix` … as the towncrier config defines them).
    #[arg(value_name = "TYPE")]
    pub kind: String,
    /// The issue or PR number; without it, an orphan fragment (`+…`).
    pub id: Option<String>,
    /// The fragment's text; without it, an empty file to edit.
    #[arg(short, long, value_name = "TEXT")]
    pub message: Option<String>,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(required_unless_present_any = ["workflows", "packages"])]
    pub shell: Option<clap_complete::Shell>,
    /// The workflow names and their help, one `NAME<TAB>HELP` line each (the scripts call this
    /// when completing, so workflows added to relman.toml complete without new scripts).
    #[arg(long, hide = true)]
    pub workflows: bool,
    /// The package names and their folders, one `NAME<TAB>PATH` line each (for `-p` completion).
    #[arg(long, hide = true, conflicts_with = "workflows")]
    pub packages: bool,
}
