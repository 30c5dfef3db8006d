//! `[package.NAME]` as validation leaves it: what the config states about one package of a
//! repository that holds several, with what it does not state left for detection.

use serde::{Deserialize, Serialize};

use crate::config::VersionFileOption;

/// One `[package.NAME]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PackageOptions {
    /// The package's folder, relative to the top of the repository (checked to stay inside).
    pub path: Option<String>,
    /// `None`: the package's manifest.
    pub version_files: Option<Vec<VersionFileOption>>,
    /// The tag format, checked to contain `{version}` once (`{package}` stands for the name).
    pub tag: Option<String>,
    /// The changelog file; default `PATH/CHANGELOG.md`.
    pub changelog: Option<String>,
    pub scheme: Option<String>,
    pub pre_label: Option<String>,
}
