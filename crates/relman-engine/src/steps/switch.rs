//! `switch = "master"`: switch to a branch.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwitchStep {
    pub branch: Template,
}
