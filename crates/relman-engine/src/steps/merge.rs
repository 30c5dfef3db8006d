//! `merge = "master"`: merge the current branch into another one with a merge commit (a release
//! branch merged back), leaving that branch checked out.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeStep {
    pub into: Template,
    pub message: Option<Template>,
}
