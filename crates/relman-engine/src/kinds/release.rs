//! `release = "draft" | "publish"`: the forge release for the tag, created or updated, with the
//! changelog section as notes and assets uploaded.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseStep {
    pub action: ReleaseAction,
    /// Default `{tag}`.
    pub tag: Option<Template>,
    /// The release title (`name` in relman.toml); default the tag.
    pub title: Option<Template>,
    /// Default: this release's changelog section.
    pub notes: Option<Template>,
    pub assets: Vec<Template>,
    /// Default: whether the version is a pre-release.
    pub prerelease: Option<bool>,
    /// A release that exists keeps its notes (people edited the draft); the notes are only
    /// those of a release the step creates.
    #[serde(default)]
    pub keep_notes: bool,
    pub repo: Option<Template>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseAction {
    Draft,
    Publish,
}
