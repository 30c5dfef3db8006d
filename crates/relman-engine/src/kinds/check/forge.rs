//! What the forge says about a commit or a milestone: `check = "ci-green"`,
//! `check = "milestone-closed"` and `check = "no-open-issues"`, asked of GitHub.
//!
//! Check runs (Actions and other apps) and commit statuses (CircleCI and other services) are
//! judged together. A commit CI never ran on has not been shown to be green, so `ci-green`, a
//! gate that looks once, fails on it (saying so, and pointing at `wait = "checks"`, which waits
//! for CI to start).

use relman_remote::github::{ChecksReport, ChecksState, GitHub, Repo};

use super::{Check, CheckResult, CheckStep};
use crate::clients::{self, failed, short};
use crate::core::{PlanCx, RunCx, StepError};
use crate::template::Template;

/// What a forge check needs, resolved.
struct Subject {
    github: GitHub,
    repo: Repo,
    /// `ci-green`: the commit; `milestone-closed`: the title; `no-open-issues`: the label.
    value: String,
}

fn fail(detail: impl Into<String>, hint: impl Into<String>) -> CheckResult {
    CheckResult {
        passed: false,
        detail: detail.into(),
        hint: Some(hint.into()),
    }
}

fn pass(detail: impl Into<String>) -> CheckResult {
    CheckResult {
        passed: true,
        detail: detail.into(),
        hint: None,
    }
}

/// Asks the forge; an error is a failure to ask, not a verdict.
fn evaluate(check: Check, subject: &Subject) -> Result<CheckResult, StepError> {
    let Subject {
        github,
        repo,
        value,
    } = subject;
    match check {
        Check::CiGreen => {
            let report = github.checks(repo, value).map_err(|error| {
                failed(
                    &format!("cannot read the checks of `{}`", short(value)),
                    error,
                )
            })?;
            Ok(ci_verdict(&report))
        }
        Check::MilestoneClosed => {
            let milestone = github.milestone_by_title(repo, value).map_err(|error| {
                failed(&format!("cannot read the milestones of `{repo}`"), error)
            })?;
            let Some(milestone) = milestone else {
                return Ok(fail(
                    format!("`{repo}` has no milestone `{value}`"),
                    "create it, or name the milestone with `milestone = \"...\"` on the check",
                ));
            };
            if milestone.open_issues == 0 {
                let state = if milestone.state == "open" {
                    " (the milestone itself is still open)"
                } else {
                    ""
                };
                return Ok(pass(format!(
                    "milestone `{value}` has no open items{state}"
                )));
            }
            let open = github
                .open_issues_in_milestone(repo, milestone.number)
                .map_err(|error| failed(&format!("cannot read milestone `{value}`"), error))?;
            Ok(fail(
                format!(
                    "milestone `{value}` has {}: {}",
                    relman_version::words::counted(
                        usize::try_from(milestone.open_issues).unwrap_or(usize::MAX),
                        "open item",
                        "open items"
                    ),
                    list(
                        open.iter()
                            .map(|issue| format!("#{} {}", issue.number, issue.title))
                    )
                ),
                format!(
                    "close them or move them to another milestone: {}",
                    milestone.html_url
                ),
            ))
        }
        Check::NoOpenIssues => {
            let open = github
                .open_issues_with_label(repo, value)
                .map_err(|error| failed(&format!("cannot read the issues of `{repo}`"), error))?;
            if open.is_empty() {
                return Ok(pass(format!(
                    "no open issue or pull request is labelled `{value}`"
                )));
            }
            Ok(fail(
                format!(
                    "{} labelled `{value}`: {}",
                    relman_version::words::counted(
                        open.len(),
                        "open issue or pull request",
                        "open issues or pull requests"
                    ),
                    list(
                        open.iter()
                            .map(|issue| format!("#{} {}", issue.number, issue.title))
                    )
                ),
                "resolve them, or take the label off those that do not block the release",
            ))
        }
        other => Err(StepError::new(format!(
            "invariant: `check = \"{}\"` does not ask the forge",
            other.name()
        ))),
    }
}

pub(crate) fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.len() > 10 {
        format!("{} and {} more", items[..10].join(", "), items.len() - 10)
    } else {
        items.join(", ")
    }
}

pub(crate) fn ci_verdict(report: &ChecksReport) -> CheckResult {
    let commit = short(&report.git_ref);
    match report.state() {
        ChecksState::Green => pass(format!("{} on `{commit}`", report.summary())),
        ChecksState::Failed(failed) => fail(
            format!("checks failed on `{commit}`: {}", failed.join(", ")),
            "fix or re-run them; a `wait = \"checks\"` step with `rerun-failed = N` re-runs failed Actions jobs",
        ),
        ChecksState::Pending(pending) => fail(
            format!(
                "checks are still running on `{commit}`: {}",
                pending.join(", ")
            ),
            "try again when they finish, or wait for them with a `wait = \"checks\"` step instead",
        ),
        ChecksState::Empty => fail(
            format!("no check run or commit status on `{commit}`: CI has not run on this commit"),
            "push the commit and let CI run; a `wait = \"checks\"` step waits for checks to appear",
        ),
    }
}

fn subject(
    check: &CheckStep,
    project: &crate::project::Project,
    env: &crate::environment::Environment,
    version: &str,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Subject, StepError> {
    let github = clients::github(project, env)?;
    let repo = clients::repo(project, None)?;
    let value = match check.check {
        Check::CiGreen => match &check.git_ref {
            Some(git_ref) => render(git_ref)?,
            None => project.repo.head_sha()?,
        },
        Check::MilestoneClosed => match &check.milestone {
            Some(milestone) => render(milestone)?,
            None => version.to_owned(),
        },
        _ => match &check.label {
            Some(label) => render(label)?,
            None => {
                return Err(StepError::new(
                    "`check = \"no-open-issues\"` needs the `label` that marks blockers",
                )
                .with_hint("add `label = \"release blocker\"` to the check"));
            }
        },
    };
    Ok(Subject {
        github,
        repo,
        value,
    })
}

pub(super) fn check_at_plan(
    check: &CheckStep,
    cx: &mut PlanCx<'_>,
) -> Result<CheckResult, StepError> {
    let version = cx
        .variables
        .get_key("version")
        .unwrap_or_default()
        .to_owned();
    let result = subject(check, cx.project, cx.env, &version, &|template| {
        cx.render_strict(template)
    })
    .and_then(|subject| evaluate(check.check, &subject));
    Ok(result.unwrap_or_else(|error| CheckResult {
        passed: false,
        detail: error.message,
        hint: error.hint,
    }))
}

pub(super) fn check_at_run(
    check: &CheckStep,
    cx: &mut RunCx<'_>,
) -> Result<CheckResult, StepError> {
    let version = cx.plan.version.clone();
    let subject = subject(check, cx.project, cx.env, &version, &|template| {
        cx.render(template)
    })?;
    evaluate(check.check, &subject)
}
