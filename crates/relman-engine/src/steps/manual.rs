//! `manual = "..."`: something a person must do. On a terminal relman shows it and waits;
//! otherwise the release pauses until `relman resume --confirm`.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualStep {
    pub text: Template,
    pub checklist: Vec<Template>,
}
