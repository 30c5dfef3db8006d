//! What a line of a runbook asks for, once recognised: a step, an option for a step drafted
//! earlier, the note that relman does it by itself, another checkout for the steps that follow,
//! or a fact about the project (the tag format, the changelog tool).

use super::ProjectFacts;
use crate::init::workflow::DraftStep;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    Step(DraftStep),
    /// Sets options on the latest step of `kind` (whose kind value is `value`, when given).
    Amend {
        kind: &'static str,
        value: Option<&'static str>,
        set: Vec<(&'static str, toml::Value)>,
        what: String,
    },
    /// relman does this by itself: why.
    Covered(String),
    /// The steps that follow act in another checkout.
    Checkout(Checkout),
    Hint(Hint),
}

/// Another repository the runbook works in (a docs site next to the project).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checkout {
    /// `../platform-web`.
    pub dir: String,
    /// Where to clone it from.
    pub clone: String,
    /// `owner/name` on GitHub, for pull requests.
    pub repo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hint {
    /// The runbook's changelog tool: towncrier means fragments, clog and the like commits.
    Changelog {
        tool: String,
        fragments: bool,
        folder: Option<String>,
    },
    /// A tag the runbook creates, as a format (`v{version}`).
    TagFormat(String),
}

/// What recognisers may read of the draft so far.
#[derive(Debug, Clone)]
pub(crate) struct Scope<'a> {
    pub facts: &'a ProjectFacts,
    /// Whether a step before this one changes something: a `git checkout` is then a switch,
    /// not a check that the release starts on the right branch.
    pub changed: bool,
    /// The branch the workflow created last, template form.
    pub last_branch: Option<String>,
    /// Whether that branch was created without switching to it (`git branch 2.1.x main`).
    pub last_branch_aside: bool,
    pub checkout: Option<&'a Checkout>,
    /// The id of the last pull request step, for `merge-pull-request` and `wait`.
    pub last_pull_request: Option<String>,
    /// How many GitHub issues the workflow's steps open (`http` to `…/issues`), for the id of
    /// the next and for closing the last.
    pub issues_opened: usize,
    /// Whether the workflow has a `release` step already.
    pub has_release: bool,
    /// Whether the workflow has a `changelog` step already.
    pub has_changelog: bool,
    /// Whether something happened on the forge before (a pull request opened, waited on or
    /// merged): a `git pull` then brings the merged commit here.
    pub forge_moved: bool,
    /// The branch checked out by then, as far as the steps say (a `check` of the branch, a
    /// switch, a branch created and switched to, a merge); `None` when they do not.
    pub current_branch: Option<String>,
    /// The whole item the command or phrase is in, lower-cased, for context.
    pub item: &'a str,
}

pub(crate) fn step(kind: &str, value: impl Into<toml::Value>) -> DraftStep {
    DraftStep::new(kind, value)
}

pub(crate) fn strings(values: &[&str]) -> toml::Value {
    toml::Value::Array(values.iter().map(|value| (*value).into()).collect())
}
