//! The settings of `[project]`, `[changelog]` and `[forge]` as validation leaves them: what the
//! config states, with what it does not left for detection ([`super::Project::from_settings`]).

use relman_version::files::{FileError, VersionFileSpec};
use serde::{Deserialize, Serialize};

/// `[project]`, with what is not set left for detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectOptions {
    pub name: Option<String>,
    pub branch: Option<String>,
    pub remote: Option<String>,
    /// The tag format, checked to contain `{version}` exactly once.
    pub tag: Option<String>,
    /// The scheme as written (`semver`, `pep440`, `calver:YYYY.0M.MICRO`), checked to parse.
    pub scheme: Option<String>,
    /// `None`: detect; `Some([])`: the version lives in tags only.
    pub version_files: Option<Vec<VersionFileOption>>,
    pub secrets: Vec<String>,
    pub pre_label: Option<String>,
    /// Globs (checked to compile) of tags that match the tag format and are not releases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_tags: Vec<String>,
    /// The first release's version when there is no release tag and no version file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_version: Option<String>,
    /// `Some(false)`: releases are never named by the calendar, whatever the tags look like.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<bool>,
}

/// One entry of `version-files`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VersionFileOption {
    Known { path: String },
    Pattern { path: String, pattern: String },
    Key { path: String, key: String },
}

impl VersionFileOption {
    /// The version file this entry names, checked (a known format, a pattern with one
    /// `{version}`, a key path).
    pub fn spec(&self) -> Result<VersionFileSpec, FileError> {
        match self {
            Self::Known { path } => VersionFileSpec::known(path),
            Self::Pattern { path, pattern } => VersionFileSpec::pattern(path, pattern),
            Self::Key { path, key } => VersionFileSpec::key(path, key),
        }
    }
}

/// `[changelog]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangelogOptions {
    pub file: Option<String>,
    pub source: Option<ChangelogSource>,
    pub fragments: Option<String>,
    pub template: Option<String>,
    pub include_other: bool,
    /// Conventional Commits types besides the standard ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    /// News fragment type → `major`, `minor`, `patch` or `none` (checked).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub levels: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangelogSource {
    Commits,
    Fragments,
    /// Written by hand: the file's unreleased section is promoted.
    File,
    /// GitHub's generated release notes.
    Github,
}

/// `[forge]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForgeOptions {
    pub repo: Option<String>,
    pub api: Option<String>,
    pub token_env: Option<String>,
}
