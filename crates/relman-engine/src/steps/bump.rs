//! `bump = LEVEL`: write a new version to every version file. The first bump of a workflow
//! decides `{version}`; a later one (`bump = "dev"`) writes the next development version.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BumpStep {
    /// A level (`minor`, `auto`, `{args.bump}` …) or an explicit version.
    pub level: Template,
    /// The pre-release label for pre-release levels.
    pub pre: Option<Template>,
    pub allow_downgrade: bool,
}
