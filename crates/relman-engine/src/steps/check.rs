//! `check = NAME`: read-only checks that stop a release before it changes anything. All of them
//! also run during `relman plan`.

use serde::{Deserialize, Serialize};

use crate::template::Template;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckStep {
    pub check: Check,
    /// `branch`: the branch (or glob) HEAD must be on; default `project.branch`.
    pub branch: Option<Template>,
    /// `clean`: untracked files do not fail the check.
    pub allow_untracked: bool,
    /// `tag-available`: the tag to look for; default `{tag}`.
    pub tag: Option<Template>,
    /// `up-to-date`, `tag-available`: the remote; default `project.remote`.
    pub remote: Option<String>,
    /// `milestone-closed`: the milestone title; default `{version}`.
    pub milestone: Option<Template>,
    /// `no-open-issues`: the label that marks blockers.
    pub label: Option<Template>,
    /// `ci-green`: the commit; default HEAD.
    pub git_ref: Option<Template>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    Branch,
    Clean,
    UpToDate,
    TagAvailable,
    VersionBumped,
    ChangelogEntry,
    CiGreen,
    MilestoneClosed,
    NoOpenIssues,
}

impl Check {
    pub fn parse(name: &str) -> Option<Check> {
        Some(match name {
            "branch" => Check::Branch,
            "clean" => Check::Clean,
            "up-to-date" => Check::UpToDate,
            "tag-available" => Check::TagAvailable,
            "version-bumped" => Check::VersionBumped,
            "changelog-entry" => Check::ChangelogEntry,
            "ci-green" => Check::CiGreen,
            "milestone-closed" => Check::MilestoneClosed,
            "no-open-issues" => Check::NoOpenIssues,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Check::Branch => "branch",
            Check::Clean => "clean",
            Check::UpToDate => "up-to-date",
            Check::TagAvailable => "tag-available",
            Check::VersionBumped => "version-bumped",
            Check::ChangelogEntry => "changelog-entry",
            Check::CiGreen => "ci-green",
            Check::MilestoneClosed => "milestone-closed",
            Check::NoOpenIssues => "no-open-issues",
        }
    }

    /// Whether the check asks the forge (and so needs a token and the network).
    pub fn is_remote(self) -> bool {
        matches!(
            self,
            Check::CiGreen | Check::MilestoneClosed | Check::NoOpenIssues
        )
    }
}
