//! `wait = "pr-merged"`: wait until a pull request (default `{pr_number}`) is merged; one closed
//! without merging fails the step.

use relman_remote::github::{GitHub, PullRequest, PullStatus, Repo};
use relman_remote::http::Method;
use relman_remote::wait::Poll;

use crate::clients::polling::{self, Waited};
use crate::clients::pull_number as parse_number;
use crate::clients::{self, failed, http_effect};
use crate::core::{Effect, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo};
use crate::template::Template;

/// The pull request a `wait = "pr-merged"` watches: `pr`, else `{pr_number}`.
pub(super) fn waited_pull(
    pr: Option<&Template>,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<String, StepError> {
    match pr {
        Some(pr) => render(pr),
        None => render(&Template::parse("{pr_number}").map_err(|error| {
            StepError::new(format!("invariant: `{{pr_number}}` is a template: {error}"))
        })?),
    }
}

pub(super) fn preview(
    step: &StepInfo<'_>,
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    preview_pull(step, pr, repo, cx, "", |number, repo, polling| {
        format!(
            "until pull request #{number} in `{repo}` is merged ({polling}); closed without merging fails"
        )
    })
}

/// The plan of a wait on a pull request: what it waits for (`until` gets the number, the
/// repository and how it polls) and the request each look sends (`/pulls/N` and `path`).
pub(super) fn preview_pull(
    step: &StepInfo<'_>,
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut PlanCx<'_>,
    path: &str,
    until: impl FnOnce(&str, &Repo, String) -> String,
) -> Result<Vec<Effect>, StepError> {
    let github = clients::github(cx.project, cx.env)?;
    let redactor = clients::redactor(cx.project, cx.env);
    let repo = clients::repo(cx.project, repo.map(|repo| cx.render(repo)))?;
    let number = waited_pull(pr, &|template| Ok(cx.render(template)))?;
    let request = github.request_url(
        Method::Get,
        format!("{}/repos/{repo}/pulls/{number}{path}", github.api()),
    );
    Ok(vec![
        Effect::Wait {
            description: until(&number, &repo, polling::describe(step)),
        },
        http_effect(&github.render(&request), &redactor),
    ])
}

/// One look at the pull request.
fn look(github: &GitHub, repo: &Repo, number: u64) -> Result<Poll<PullRequest>, StepError> {
    let pull = github
        .pull_request(repo, number)
        .map_err(|error| failed(&format!("cannot read pull request #{number}"), error))?;
    match pull.status() {
        PullStatus::Merged => Ok(Poll::Ready(pull)),
        PullStatus::Open => Ok(Poll::Pending(format!("#{number} is still open"))),
        PullStatus::ClosedUnmerged => Err(StepError::new(format!(
            "pull request #{number} in `{repo}` was closed without being merged ({})",
            pull.html_url
        ))
        .with_hint("reopen and merge it, then `relman resume`")),
    }
}

pub(super) fn execute(
    step: &StepInfo<'_>,
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let github = clients::github(cx.project, cx.env)?;
    let repo = clients::repo(cx.project, repo.map(|repo| cx.render(repo)).transpose()?)?;
    let number = parse_number(&waited_pull(pr, &|template| cx.render(template))?)?;
    let what = format!("pull request #{number} to be merged");
    match polling::poll(cx, step, &what, |_| look(&github, &repo, number))? {
        Waited::Ready(pull) => {
            finish_wait(cx, &pull);
            Ok(Outcome::Done)
        }
        Waited::TimedOut(reason) => Ok(Outcome::Paused(reason)),
    }
}

pub(super) fn probe(
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut RunCx<'_>,
) -> Result<Probe, StepError> {
    let github = clients::github(cx.project, cx.env)?;
    let repo = clients::repo(cx.project, repo.map(|repo| cx.render(repo)).transpose()?)?;
    let number = parse_number(&waited_pull(pr, &|template| cx.render(template))?)?;
    match look(&github, &repo, number)? {
        Poll::Ready(pull) => {
            finish_wait(cx, &pull);
            Ok(Probe::Done)
        }
        Poll::Pending(_) => Ok(Probe::NotDone),
    }
}

fn finish_wait(cx: &mut RunCx<'_>, pull: &PullRequest) {
    let summary = format!(
        "#{} is merged{}",
        pull.number,
        pull.merge_commit_sha
            .as_deref()
            .map(|sha| format!(" as {}", clients::short(sha)))
            .unwrap_or_default()
    );
    cx.output(&summary);
    cx.set_output("summary", summary);
}
