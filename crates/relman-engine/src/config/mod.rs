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
mod limits;
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
pub use error::{ConfigError, ConfigErrors, LineIndex, Location};
pub(crate) use packages::package_tag;
pub use schema::json_schema;

/// The file name relman looks for at the root of the repository.
pub const FILE_NAME: &str = "relman.toml";

/// The largest `relman.toml` read; real ones are a few kilobytes.
pub const MAX_CONFIG_BYTES: u64 = relman_version::files::bounded::MAX_CONFIG_FILE;

/// The error for a config that is not UTF-8, pointing at the first invalid byte.
fn not_utf8(path: &Path, bytes: &[u8], offset: usize) -> ConfigError {
    let (line, column) = relman_version::files::bounded::line_and_column(bytes, offset);
    let line_start = bytes[..offset]
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |index| index + 1);
    let line_end = bytes[offset..]
        .iter()
        .position(|byte| *byte == b'\n')
        .map_or(bytes.len(), |index| offset + index);
    let line_text = String::from_utf8_lossy(&bytes[line_start..line_end])
        .trim_end_matches('\r')
        .to_owned();
    ConfigError::located(
        path,
        Location {
            line,
            column,
            line_text,
            width: 1,
        },
        "the config is not valid UTF-8: an invalid byte sequence starts here",
    )
    .with_hint("save relman.toml as UTF-8 (TOML files must be UTF-8)")
}

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
    /// Reads and validates a config file: a regular file of at most
    /// [`MAX_CONFIG_BYTES`], in UTF-8 (an invalid byte is reported at its line and column).
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        let bytes =
            relman_version::files::read_bounded(path, MAX_CONFIG_BYTES).map_err(|error| {
                let cause = relman_version::files::bounded::cause(&error);
                ConfigError::new(path, format!("cannot read the config: {cause}"))
            })?;
        Config::from_bytes(path, &bytes)
    }

    /// Validates the bytes of a config file: UTF-8 (an invalid byte is reported at its line and
    /// column), then [`Config::parse`]; `path` is used in messages.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Config, ConfigErrors> {
        if bytes.len() as u64 > MAX_CONFIG_BYTES {
            return Err(ConfigError::new(
                path,
                format!("the config is larger than {MAX_CONFIG_BYTES} bytes"),
            )
            .into());
        }
        let source = std::str::from_utf8(bytes)
            .map_err(|error| not_utf8(path, bytes, error.valid_up_to()))?;
        Config::parse(path, source)
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
