//! `relman init --from RUNBOOK`: drafting workflows from a release runbook written for people.
//!
//! The runbook is cut into blocks ([`blocks`]); each list item or line of prose is read for
//! instructions ([`phrases`]) and each command for what it does ([`commands`]). What is
//! recognised becomes a typed step, the rest a `manual` step in the runbook's own words, and
//! prose that explains rather than instructs becomes a comment. Every step cites the line it
//! came from, so the draft can be checked against the runbook line by line.

mod actions;
mod blocks;
mod commands;
mod drafter;
mod layout;
mod lines;
mod phrases;
mod text;

use super::workflow::{DraftStep, DraftWorkflow};

/// What the drafter knows of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub name: String,
    /// The release branch.
    pub branch: String,
    pub remote: String,
    /// The tag format of the existing release tags; `None` when there are none yet (the
    /// runbook's `git tag` then decides it).
    pub tag_format: Option<String>,
    /// `owner/name` on GitHub.
    pub repo: Option<String>,
    /// The default of the `bump` argument: `auto` for conventional commits, else `patch`.
    pub bump_default: String,
    /// Whether the version the project holds now has a release tag already: a release
    /// workflow must then bump before it tags.
    pub current_released: bool,
    /// The version files relman writes (paths relative to the root): a command that writes
    /// the version into one of them is the `bump`.
    pub version_files: Vec<String>,
    /// The work tree, when drafting in one: an `edit` is drafted only for a file that holds
    /// the place it edits. `None` trusts the runbook.
    pub root: Option<std::path::PathBuf>,
    /// Whether the repository releases several packages: a step that is not per package then
    /// sees `{version}` as the list of releases, so no `edit` writes it.
    pub several_packages: bool,
    /// The versions a file of the project may hold today, the newest release's first, then the
    /// version the files hold: where a line names a file and "the version", the place is where
    /// one of them stands.
    pub versions: Vec<String>,
}

/// Workflows drafted from a runbook, and what the runbook says about the project.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The runbook's name as the comments cite it.
    pub source: String,
    pub workflows: Vec<DraftWorkflow>,
    /// The tag format of the runbook's `git tag` (`v{version}`).
    pub tag_format: Option<String>,
    pub changelog: Option<ChangelogHint>,
}

/// The changelog tool a runbook runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangelogHint {
    /// As written in comments: "`towncrier`".
    pub tool: String,
    /// Whether the tool builds notes from news fragments.
    pub fragments: bool,
    /// The fragment folder the runbook names.
    pub folder: Option<String>,
}

impl Draft {
    /// The drafted workflows alone, as TOML (a `relman.toml` without `[project]`).
    pub fn workflows_toml(&self) -> String {
        let mut out = super::toml_text::TomlText::new();
        super::workflow::write_workflows(&mut out, &self.workflows);
        out.finish()
    }

    /// Every step of every workflow.
    pub fn steps(&self) -> impl Iterator<Item = &DraftStep> {
        self.workflows.iter().flat_map(DraftWorkflow::steps)
    }
}

/// Drafts workflows from the runbook `text`, cited as `source`.
pub fn draft(source: &str, text: &str, facts: &ProjectFacts) -> Draft {
    let blocks = blocks::parse(text);
    let mut drafter = drafter::Drafter::new(source, facts.clone());
    drafter.read(&blocks);
    drafter.finish(text)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_commands;
#[cfg(test)]
mod tests_eighth;
#[cfg(test)]
mod tests_forge;
#[cfg(test)]
mod tests_general;
#[cfg(test)]
mod tests_prose;
#[cfg(test)]
mod tests_seventh;
