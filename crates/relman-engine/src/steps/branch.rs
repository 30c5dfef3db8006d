//! `branch = "release/{major}.{minor}"`: create a branch (from HEAD or `from`), and switch to it
//! unless `switch = false`.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchStep {
    pub name: Template,
    pub from: Option<Template>,
    pub switch: bool,
}
