//! `cherry-pick = ["sha", ...]`: apply commits with `-x`; a conflict pauses the release with
//! instructions, and `resume` continues once the user has resolved it.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CherryPickStep {
    /// Each entry may expand to several commits separated by spaces or commas
    /// (`"{args.commits}"`).
    pub commits: Vec<Template>,
}
