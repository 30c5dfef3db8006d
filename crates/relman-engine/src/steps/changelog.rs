//! `changelog = "update"`: render this release's section (from commits or fragments), insert it
//! into the changelog file, and remove the fragments it used.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangelogStep {
    /// Open the section in `$EDITOR` first (on a terminal).
    pub edit: bool,
}
