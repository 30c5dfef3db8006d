//! `check = NAME`: read-only checks that stop a release before it changes anything. All of them
//! also run during `relman plan`.

mod credentials;
pub(crate) mod forge;
mod local;

pub use local::CheckScope;

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

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
    pub remote: Option<Template>,
    /// `milestone-closed`: the milestone title; default `{version}`.
    pub milestone: Option<Template>,
    /// `no-open-issues`: the label that marks blockers.
    pub label: Option<Template>,
    /// `ci-green`: the commit; default HEAD.
    pub git_ref: Option<Template>,
}

impl Kind for CheckStep {
    const SPEC: KindSpec = KindSpec {
        plans_its_files: true,
        values: CHECKS,
        options: &[
            OptionSpec::string("branch"),
            OptionSpec::flag("allow-untracked"),
            OptionSpec::string("tag"),
            OptionSpec::string("remote"),
            OptionSpec::string("milestone"),
            OptionSpec::string("label"),
            OptionSpec::string("ref"),
        ],
        in_checkout: true,
        read_only: true,
        ..KindSpec::new(
            "check",
            "a read-only check that stops the release when it fails",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("check").ok_or(Reported)?;
        let name = options.one_of(&value, "check", CHECKS)?;
        let check = Check::parse(name).ok_or(Reported)?;
        Ok(CheckStep {
            check,
            branch: options.template("branch")?,
            allow_untracked: options.flag("allow-untracked").unwrap_or(false),
            tag: options.template("tag")?,
            remote: options.template("remote")?,
            milestone: options.template("milestone")?,
            label: options.template("label")?,
            git_ref: options.template("ref")?,
        })
    }

    /// `changelog-entry` looks for this release's notes.
    fn needs_changelog(&self) -> bool {
        self.check == Check::ChangelogEntry
    }

    /// The checks of a release's own version and tag run once per package.
    fn per_package(&self) -> bool {
        matches!(
            self.check,
            Check::TagAvailable | Check::VersionBumped | Check::ChangelogEntry
        )
    }

    fn needs(&self) -> Vec<Need> {
        if self.check.is_remote() {
            vec![Need::Forge]
        } else {
            Vec::new()
        }
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .opt("branch", &self.branch)
            .opt("tag", &self.tag)
            .opt("milestone", &self.milestone)
            .opt("label", &self.label)
            .opt("ref", &self.git_ref)
            .opt("remote", &self.remote)
            .list()
    }

    fn describe(&self, _variables: &Variables) -> String {
        format!("check: {}", self.check.name())
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let sentence = match self.check {
            Check::Branch => format!(
                "Check that the current branch is {}.",
                self.branch.as_ref().map_or_else(
                    || "the release branch (`project.branch`)".to_owned(),
                    show_code
                )
            ),
            Check::Clean => "Check that there are no uncommitted changes.".to_owned(),
            Check::UpToDate => {
                "Check that the branch is level with the remote's (asked with `git ls-remote`; nothing is fetched).".to_owned()
            }
            Check::TagAvailable => format!(
                "Check that the tag {} exists neither here nor on the remote.",
                self.tag
                    .as_ref()
                    .map_or_else(|| "`{tag}`".to_owned(), show_code)
            ),
            Check::VersionBumped => {
                "Check that the version in the files is greater than the last release's.".to_owned()
            }
            Check::ChangelogEntry => {
                "Check that the changelog has notes for `{version}` (or that fragments or commits exist to make them).".to_owned()
            }
            Check::CiGreen => format!(
                "Check that every check run and status on {} succeeded.",
                self.git_ref
                    .as_ref()
                    .map_or_else(|| "HEAD".to_owned(), show_code)
            ),
            Check::MilestoneClosed => format!(
                "Check that the milestone {} has no open issue or pull request.",
                self.milestone
                    .as_ref()
                    .map_or_else(|| "`{version}`".to_owned(), show_code)
            ),
            Check::NoOpenIssues => format!(
                "Check that no open issue or pull request carries the label {}.",
                self.label
                    .as_ref()
                    .map_or_else(|| "given".to_owned(), show_code)
            ),
            Check::Credentials => "Check that every token, login and signing key the workflow's steps need exists and works, asking each service (GitHub, the npm registry, Mastodon, Discourse, Bluesky) and signing a test text.".to_owned(),
        };
        Explained::new(sentence)
            .detail_if(self.allow_untracked, "Untracked files are allowed.")
            .detail_if(
                self.remote.is_some(),
                format!(
                    "The remote is `{}`.",
                    self.remote
                        .as_ref()
                        .map(Template::source)
                        .unwrap_or_default()
                ),
            )
    }

    /// A check in the plan: run now when nothing changes before it, else when its turn comes.
    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let description = self.what(
            &|template| cx.render(template),
            &cx.project.release_branch(),
        );
        if cx.sim.changed_anything {
            return Ok(vec![Effect::Check {
                description,
                passed: None,
                detail: Some("checked when its turn comes".to_owned()),
            }]);
        }
        let version = cx
            .variables
            .get_key("version")
            .unwrap_or_default()
            .to_owned();
        let result = if self.check == Check::Credentials {
            let render = |template: &Template| cx.render(template);
            credentials::check(
                &credentials::Scope {
                    project: cx.project,
                    env: cx.env,
                    render: &render,
                },
                cx.needs,
            )
        } else if self.check.is_remote() {
            forge::check_at_plan(self, cx)?
        } else {
            let render = |template: &Template| cx.render_strict(template);
            self.evaluate(&CheckScope {
                project: cx.project,
                repo: &cx.project.repo,
                render: &render,
                version: &version,
            })?
        };
        let detail = match (&result.passed, &result.hint) {
            (false, Some(hint)) => format!("{}\nhint: {hint}", result.detail),
            _ => result.detail.clone(),
        };
        Ok(vec![Effect::Check {
            description,
            passed: Some(result.passed),
            detail: Some(detail),
        }])
    }

    /// In another checkout, a check runs when its turn comes (the checkout may not even exist
    /// before a step clones it).
    fn preview_in_checkout(
        &self,
        _step: &StepInfo<'_>,
        cx: &mut PlanCx<'_>,
    ) -> Result<Vec<Effect>, StepError> {
        Ok(vec![Effect::Check {
            description: self.what(
                &|template| cx.render(template),
                &cx.project.release_branch(),
            ),
            passed: None,
            detail: Some("checked in that checkout when its turn comes".to_owned()),
        }])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let result = if self.check == Check::Credentials {
            let needs: Vec<(usize, Need)> = cx
                .plan
                .steps
                .iter()
                .zip(cx.journal.records())
                .flat_map(|(step, record)| {
                    step.needs.iter().cloned().map(|need| (record.number, need))
                })
                .collect();
            let variables = cx.variables();
            let render = |template: &Template| template.render_partial(&variables);
            credentials::check(
                &credentials::Scope {
                    project: cx.project,
                    env: cx.env,
                    render: &render,
                },
                &needs,
            )
        } else if self.check.is_remote() {
            forge::check_at_run(self, cx)?
        } else {
            let version = cx.plan.version.clone();
            let variables = cx.variables();
            let render = |template: &Template| {
                template
                    .render(&variables)
                    .map_err(|unresolved| StepError::new(unresolved.to_string()))
            };
            self.evaluate(&CheckScope {
                project: cx.project,
                repo: cx.repo(),
                render: &render,
                version: &version,
            })?
        };
        if result.passed {
            cx.output(&result.detail);
            Ok(Outcome::Done)
        } else {
            let mut error = StepError::new(result.detail);
            error.hint = result.hint;
            Err(error)
        }
    }

    /// Checks are read-only: running them again is the probe.
    fn probe(&self, _step: &StepInfo<'_>, _cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        Ok(Probe::NotDone)
    }
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
    Credentials,
}

/// The values of `check = …`.
pub const CHECKS: &[&str] = &[
    "branch",
    "clean",
    "up-to-date",
    "tag-available",
    "version-bumped",
    "changelog-entry",
    "ci-green",
    "milestone-closed",
    "no-open-issues",
    "credentials",
];

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
            "credentials" => Check::Credentials,
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
            Check::Credentials => "credentials",
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

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub passed: bool,
    /// What was compared, or why it failed.
    pub detail: String,
    pub hint: Option<String>,
}

impl CheckResult {
    pub(super) fn pass(detail: impl Into<String>) -> Self {
        CheckResult {
            passed: true,
            detail: detail.into(),
            hint: None,
        }
    }
    pub(super) fn fail(detail: impl Into<String>, hint: impl Into<String>) -> Self {
        CheckResult {
            passed: false,
            detail: detail.into(),
            hint: Some(hint.into()),
        }
    }
}

impl CheckStep {
    /// One line saying what the check checks.
    pub fn what(&self, render: &dyn Fn(&Template) -> String, project_branch: &str) -> String {
        match self.check {
            Check::Branch => format!(
                "on branch `{}`",
                self.branch
                    .as_ref()
                    .map_or_else(|| project_branch.to_owned(), render)
            ),
            Check::Clean => "no uncommitted changes".to_owned(),
            Check::UpToDate => "HEAD equals the remote branch".to_owned(),
            Check::TagAvailable => {
                let default = Template::parse("{tag}").expect("invariant: `{tag}` is a template");
                format!(
                    "tag `{}` is free locally and on the remote",
                    render(self.tag.as_ref().unwrap_or(&default))
                )
            }
            Check::VersionBumped => "the version is greater than the last release's".to_owned(),
            Check::ChangelogEntry => "the changelog has this release's notes".to_owned(),
            Check::CiGreen => "every check and status of the commit succeeded".to_owned(),
            Check::MilestoneClosed => "the milestone has no open items".to_owned(),
            Check::NoOpenIssues => "no open issue or pull request carries the label".to_owned(),
            Check::Credentials => "every credential the workflow needs exists and works".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Variables;

    #[test]
    fn tag_available_names_the_release_tag_rendered() {
        let step = CheckStep {
            check: Check::TagAvailable,
            branch: None,
            allow_untracked: false,
            tag: None,
            remote: None,
            milestone: None,
            label: None,
            git_ref: None,
        };
        let mut variables = Variables::new();
        variables.set("tag", "v2.1.3");
        let render = |template: &Template| template.render_partial(&variables);
        assert_eq!(
            step.what(&render, "master"),
            "tag `v2.1.3` is free locally and on the remote"
        );
    }
}
