//! `relman init`: detect the project (ecosystem, version files, scheme, tag format, changelog
//! style, forge, release branch) and write a commented `relman.toml` whose choices each say what
//! they were based on; with a runbook, draft its workflows from it ([`runbook`]).
//!
//! The text is validated with [`Config::parse`], and [`validate`] resolves the project with it,
//! reads the version as `relman check` does and plans the `release` workflow, all before anything
//! is written: `init` never leaves a file that `relman check` or `relman plan release` would
//! reject; when it cannot settle a choice it says which and writes nothing.

mod config_text;
mod detect;
pub mod runbook;
mod toml_text;
pub mod workflow;

use std::path::{Path, PathBuf};

use relman_git::Repository;

pub use detect::{ChangelogFound, ChangelogStyle, CommitSample, Detection, Ecosystem, ForgeFound};
pub use runbook::{ChangelogHint, Draft, ProjectFacts};

use crate::config::Config;
use crate::project::ProjectError;

/// Why `relman init` stopped. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("`{}` exists already", path.display())]
    Exists { path: PathBuf },
    #[error(transparent)]
    Project(Box<ProjectError>),
    /// A bug: the written text must validate.
    #[error("the drafted config does not validate (a bug in relman init):\n{errors}")]
    Invalid { errors: String },
    #[error("relman init could not settle {choice}: {error}")]
    Unsettled {
        choice: &'static str,
        error: String,
        hint: Option<String>,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: Box<relman_version::files::FileError>,
    },
}

impl InitError {
    pub fn hint(&self) -> Option<String> {
        match self {
            InitError::Exists { .. } => Some(
                "`relman init --force` replaces it; `relman check` validates the one you have"
                    .to_owned(),
            ),
            InitError::Project(error) => error.hint(),
            InitError::Invalid { .. } => {
                Some("please report it, with the runbook if there was one".to_owned())
            }
            InitError::Unsettled { hint, .. } => Some(match hint {
                Some(hint) => format!("{hint}; then run `relman init` again"),
                None => "fix what it says, then run `relman init` again".to_owned(),
            }),
            InitError::Write { .. } => None,
        }
    }
}

impl From<ProjectError> for InitError {
    fn from(error: ProjectError) -> Self {
        InitError::Project(Box::new(error))
    }
}

/// What `relman init` produced.
#[derive(Debug, Clone)]
pub struct Init {
    pub detection: Detection,
    pub draft: Option<Draft>,
    /// The `relman.toml` text, validated.
    pub text: String,
    pub config: Config,
}

/// A runbook to draft workflows from.
#[derive(Debug, Clone, Copy)]
pub struct Runbook<'a> {
    /// How comments cite it (`RELEASE.md`).
    pub source: &'a str,
    pub text: &'a str,
}

/// Refuses to go on when `path` exists and `force` is not given, before any detection runs.
pub fn check_target(path: &Path, force: bool) -> Result<(), InitError> {
    if path.exists() && !force {
        return Err(InitError::Exists {
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// Detects the project of `repo` and renders its `relman.toml` (drafted from `runbook` when
/// given), validated as `path` would be.
pub fn init(
    repo: Repository,
    runbook: Option<Runbook<'_>>,
    path: &Path,
) -> Result<Init, InitError> {
    let detection = Detection::detect(repo)?;
    let facts = detection.facts();
    let draft = runbook.map(|runbook| runbook::draft(runbook.source, runbook.text, &facts));
    let text = config_text::render(&detection, draft.as_ref());
    let config = Config::parse(path, &text).map_err(|errors| InitError::Invalid {
        errors: errors.to_string(),
    })?;
    Ok(Init {
        detection,
        draft,
        text,
        config,
    })
}

/// Checks that the config `init` made works in this repository: the project resolves with it,
/// the version reads and is not behind the last release (what `relman check` requires), and the
/// `release` workflow plans. Writes nothing; the checks a plan runs may fail (a dirty tree is no
/// fault of the config), only an error stops. A remote that cannot be reached (offline, a remote
/// that does not exist yet) is no fault of the config either: what it returns are warnings that
/// say so.
pub fn validate(
    made: &Init,
    repo: Repository,
    env: &crate::environment::Environment,
) -> Result<Vec<String>, InitError> {
    let unsettled = |choice: &'static str| {
        move |error: ProjectError| InitError::Unsettled {
            choice,
            hint: error.hint(),
            error: error.to_string(),
        }
    };
    let project = crate::project::Project::resolve(repo, &made.config)
        .map_err(unsettled("the project settings"))?;
    let history = project
        .history(project.changelog.include_other)
        .map_err(unsettled("the release tags"))?;
    project
        .checked_current_version(&history)
        .map_err(unsettled("the version files"))?;
    let request = crate::plan::PlanRequest {
        workflow: "release".to_owned(),
        args: Vec::new(),
        pre_label: None,
    };
    let mut config = made.config.clone();
    let mut warnings = Vec::new();
    let error = loop {
        match crate::plan::plan(&project, &config, env, &request) {
            Ok(_) => return Ok(warnings),
            // What this machine lacks (a token, a signing key) is no fault of the config.
            Err(crate::plan::PlanError::Problems { workflow, problems }) => {
                let problems: Vec<_> = problems
                    .into_iter()
                    .filter(|problem| !problem.machine)
                    .collect();
                if problems.is_empty() {
                    return Ok(warnings);
                }
                break crate::plan::PlanError::Problems { workflow, problems };
            }
            // The rest of the workflow is planned without the check that could not ask.
            Err(crate::plan::PlanError::Step {
                line, title, error, ..
            }) if unreachable_remote_check(&mut config, line) => {
                warnings.push(format!(
                    "the remote could not be reached, so `{title}` was not tried: {}",
                    relman_remote::Redactor::new().redact(&error.message)
                ));
            }
            Err(error) => break error,
        }
    };
    Err(InitError::Unsettled {
        choice: "the release workflow",
        hint: error.hint(),
        error: error.to_string(),
    })
}

/// Whether the step of the `release` workflow at `line` of the config (its number in a plan of
/// several packages differs) is a check that asks the git remote
/// (`up-to-date`, `tag-available`, which
/// fails, rather than reports, when the remote cannot be reached); it is then taken out of
/// `config`, so that validation goes on with the steps after it.
fn unreachable_remote_check(config: &mut Config, line: usize) -> bool {
    let Some(workflow) = config.workflows.get_mut("release") else {
        return false;
    };
    let before = workflow.steps.len();
    workflow.steps.retain(|step| {
        !(step.line == line
            && matches!(&step.kind, crate::kinds::StepKind::Check(check)
            if matches!(
                check.check,
                crate::kinds::check::Check::UpToDate | crate::kinds::check::Check::TagAvailable
            )))
    });
    workflow.steps.len() < before
}

/// Writes the config atomically.
pub fn write(path: &Path, text: &str) -> Result<(), InitError> {
    relman_version::files::write_atomic(path, text.as_bytes()).map_err(|source| InitError::Write {
        path: path.to_owned(),
        source: Box::new(source),
    })
}

impl Detection {
    /// Whether the current version already has its release tag (a tags-only project's version
    /// is its newest tag's).
    fn current_released(&self) -> bool {
        if self.version_from_tags.is_some() {
            return self.release_tags > 0;
        }
        match &self.current_version {
            Ok(Some(version)) => {
                let tag = self
                    .tag_format
                    .replace("{project}", &self.name)
                    .replace("{version}", version);
                self.release_tag_names.contains(&tag)
            }
            // No version file: the version is the newest release tag's, released by definition.
            Ok(None) => self.release_tags > 0,
            Err(_) => false,
        }
    }

    /// The level a drafted release bumps by default: `auto` where the history or the news
    /// fragments say what a release is, where the version files hold a version no tag has yet
    /// (rclone's `VERSION` at 1.76.0 after 1.75.0: `auto` releases 1.76.0, where `patch` would
    /// skip it and release 1.76.1), and where releases are named by the calendar (black's
    /// `auto` is this month's `26.12.0`, `patch` a `26.5.2` of May); else `patch`.
    pub(crate) fn bump_default(&self) -> &'static str {
        let auto = self.changelog.style == ChangelogStyle::Fragments
            || self.commits.mostly_conventional()
            || !self.current_released()
            || self.calendar.is_some();
        if auto { "auto" } else { "patch" }
    }

    /// What the runbook drafter needs to know of the project.
    pub fn facts(&self) -> ProjectFacts {
        ProjectFacts {
            name: self.name.clone(),
            branch: self.branch.clone(),
            remote: self.remote.clone(),
            tag_format: (self.release_tags > 0).then(|| self.tag_format.clone()),
            repo: self.github_repo().map(str::to_owned),
            bump_default: self.bump_default().to_owned(),
            current_released: self.current_released(),
            version_files: self
                .version_files
                .iter()
                .map(|spec| spec.path().display().to_string())
                .collect(),
            root: Some(self.root.clone()),
            several_packages: !self.packages.is_empty(),
        }
    }
}
