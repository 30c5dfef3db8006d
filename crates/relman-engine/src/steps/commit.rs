//! `commit = "Release {version}"`: commit what earlier steps changed (version files, changelog,
//! removed fragments) plus `add` globs.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitStep {
    pub message: Template,
    pub add: Vec<Template>,
    /// Force a signature on (or off); default: the user's `commit.gpgSign`.
    pub sign: Option<bool>,
}
