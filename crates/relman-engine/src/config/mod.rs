//! `relman.toml`: read once, validated into resolved types, with every problem reported at its
//! file, line and column.
//!
//! `raw` and `step_raw` hold the file's shape as written (and generate the JSON Schema);
//! `validate` and `steps` turn it into [`Config`], checking along the way what serde cannot:
//! exactly one kind key per step, options that belong to that kind, placeholders that exist,
//! `if` expressions that compile, step ids that are unique and referenced only after they run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use relman_git::Repository;

use crate::kinds::StepDef;
use crate::project::{Project, ProjectError};

pub mod builtin;
mod error;
mod packages;
pub mod raw;
mod schema;
mod secrets;
pub mod step_raw;
mod steps;
mod validate;

pub use crate::project::packages::settings::PackageOptions;
pub use crate::project::settings::{
    ChangelogOptions, ChangelogSource, ForgeOptions, ProjectOptions, VersionFileOption,
};
pub use error::{ConfigError, ConfigErrors, Location};
pub(crate) use packages::package_tag;
pub use schema::json_schema;

/// The file name relman looks for at the root of the repository.
pub const FILE_NAME: &str = "relman.toml";

/// A validated `relman.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Where the file was read from (absent for the built-in defaults).
    pub path: Option<PathBuf>,
    pub project: ProjectOptions,
    pub changelog: ChangelogOptions,
    pub forge: Option<ForgeOptions>,
    /// `[package.NAME]` tables, in file order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub packages: IndexMap<String, PackageOptions>,
    pub workflows: IndexMap<String, Workflow>,
}

/// A named workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    pub name: String,
    pub help: Option<String>,
    pub args: Vec<WorkflowArg>,
    pub steps: Vec<StepDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowArg {
    pub name: String,
    pub default: Option<String>,
    pub help: Option<String>,
}

impl Project {
    /// Resolves the project of `repo` from `config` and detection. (Here rather than in
    /// `project`, which knows the config's settings but not the config with its workflows.)
    pub fn resolve(repo: Repository, config: &Config) -> Result<Project, ProjectError> {
        let mut project = Project::from_settings(
            repo,
            &config.project,
            &config.changelog,
            config.forge.as_ref(),
        )?;
        project.settle_packages(
            &config.packages,
            config.project.tag.is_none(),
            config.project.name.is_some(),
        )?;
        // Variables the config names as credentials are masked whatever their names.
        for name in secrets::names(config) {
            if !project.secrets.contains(&name) {
                project.secrets.push(name);
            }
        }
        Ok(project)
    }
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        let source = fs_err::read_to_string(path)
            .map_err(|error| ConfigError::new(path, format!("cannot read the config: {error}")))?;
        Config::parse(path, &source)
    }

    /// Validates config text; `path` is used in messages.
    pub fn parse(path: &Path, source: &str) -> Result<Config, ConfigErrors> {
        validate::validate(path, source)
    }

    /// The config used when a repository has no `relman.toml`: everything detected, and the
    /// built-in `release` workflow.
    pub fn detected() -> Config {
        Config {
            path: None,
            project: ProjectOptions::default(),
            changelog: ChangelogOptions::default(),
            forge: None,
            packages: IndexMap::new(),
            workflows: IndexMap::new(),
        }
    }

    /// The workflow of that name, or the built-in one when the config does not define it.
    pub fn workflow(&self, name: &str) -> Option<Workflow> {
        self.workflows
            .get(name)
            .cloned()
            .or_else(|| builtin::workflow(name))
    }

    /// Names of the workflows this config can run, built-in ones included.
    pub fn workflow_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.workflows.keys().cloned().collect();
        for builtin in builtin::NAMES {
            if !names.iter().any(|name| name == builtin) {
                names.push((*builtin).to_owned());
            }
        }
        names
    }
}

/// Parses `30m`, `90s`, `2h`, `1h30m`, `500ms`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut total = Duration::ZERO;
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        total += match unit {
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" => Duration::from_secs(number * 60),
            "h" => Duration::from_secs(number * 3600),
            "d" => Duration::from_secs(number * 86400),
            _ => return None,
        };
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Some(Duration::from_secs(1800)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_duration("m"), None);
        assert_eq!(parse_duration("5 minutes"), None);
    }
}
