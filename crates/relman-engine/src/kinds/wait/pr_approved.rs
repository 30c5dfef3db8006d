//! `wait = "pr-approved"`: wait until a pull request (default `{pr_number}`) has `approvals`
//! (default 1) approving reviews, counting each reviewer's latest deciding review (a later
//! "changes requested" takes an approval back). A pull request closed unmerged fails the step.

use relman_remote::github::{GitHub, PullStatus, Repo, approvers};
use relman_remote::wait::Poll;

use super::pr_merged::{preview_pull, waited_pull};
use crate::clients::polling::{self, Waited};
use crate::clients::pull_number as parse_number;
use crate::clients::{self, failed};
use crate::core::{Effect, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo};
use crate::template::Template;

pub(super) fn preview(
    step: &StepInfo<'_>,
    pr: Option<&Template>,
    repo: Option<&Template>,
    approvals: u32,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    preview_pull(step, pr, repo, cx, "/reviews", |number, repo, polling| {
        format!(
            "until pull request #{number} in `{repo}` has {} ({polling})",
            relman_version::words::counted(
                approvals as usize,
                "approving review",
                "approving reviews"
            )
        )
    })
}

/// One look: the approvers so far.
fn look(
    github: &GitHub,
    repo: &Repo,
    number: u64,
    approvals: u32,
) -> Result<Poll<Vec<String>>, StepError> {
    let reading = |error| failed(&format!("cannot read pull request #{number}"), error);
    let pull = github.pull_request(repo, number).map_err(reading)?;
    if pull.status() == PullStatus::ClosedUnmerged {
        return Err(StepError::new(format!(
            "pull request #{number} in `{repo}` was closed without being merged ({})",
            pull.html_url
        ))
        .with_hint("reopen it, then `relman resume`"));
    }
    let approved = approvers(&github.reviews(repo, number).map_err(reading)?);
    if approved.len() >= approvals as usize {
        Ok(Poll::Ready(approved))
    } else {
        Ok(Poll::Pending(format!(
            "#{number} has {} of {approvals} approvals{}",
            approved.len(),
            if approved.is_empty() {
                String::new()
            } else {
                format!(" ({})", approved.join(", "))
            }
        )))
    }
}

fn resolve(
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &RunCx<'_>,
) -> Result<(GitHub, Repo, u64), StepError> {
    let github = clients::github(cx.project, cx.env)?;
    let repo = clients::repo(cx.project, repo.map(|repo| cx.render(repo)).transpose()?)?;
    let number = parse_number(&waited_pull(pr, &|template| cx.render(template))?)?;
    Ok((github, repo, number))
}

pub(super) fn execute(
    step: &StepInfo<'_>,
    pr: Option<&Template>,
    repo: Option<&Template>,
    approvals: u32,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let (github, repo, number) = resolve(pr, repo, cx)?;
    let what = format!("pull request #{number} to be approved");
    match polling::poll(cx, step, &what, |_| look(&github, &repo, number, approvals))? {
        Waited::Ready(approved) => {
            finish(cx, number, &approved);
            Ok(Outcome::Done)
        }
        Waited::TimedOut(reason) => Ok(Outcome::Paused(reason)),
    }
}

pub(super) fn probe(
    pr: Option<&Template>,
    repo: Option<&Template>,
    approvals: u32,
    cx: &mut RunCx<'_>,
) -> Result<Probe, StepError> {
    let (github, repo, number) = resolve(pr, repo, cx)?;
    match look(&github, &repo, number, approvals)? {
        Poll::Ready(approved) => {
            finish(cx, number, &approved);
            Ok(Probe::Done)
        }
        Poll::Pending(_) => Ok(Probe::NotDone),
    }
}

fn finish(cx: &mut RunCx<'_>, number: u64, approved: &[String]) {
    let summary = format!("#{number} is approved by {}", approved.join(", "));
    cx.output(&summary);
    cx.set_output("summary", summary);
}
