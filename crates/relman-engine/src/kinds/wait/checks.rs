//! `wait = "checks"`: wait until every check run and commit status of a commit is complete and
//! green. Unlike `check = "ci-green"`, a commit with no checks yet keeps it waiting (CI may not
//! have started), until its timeout, then it pauses.
//!
//! `rerun-failed = N` re-runs failed jobs up to N times in all: the failed jobs of the commit's
//! failed Actions runs, and the CircleCI workflows that failed statuses link to (`target_url`),
//! from their failed jobs, through the CircleCI API with the token in `token-env` (default
//! `CIRCLE_TOKEN`). The count is kept in the journal, so a resumed release does not get N more,
//! and so are the links of the CircleCI statuses re-run: until CircleCI reports again for such a
//! status, it counts as pending rather than as a failure to re-run once more.

use relman_remote::circleci::{CircleCi, CircleCiLink};
use relman_remote::github::{ChecksReport, ChecksState, CommitStatus, Repo, WorkflowRun};
use relman_remote::http::Method;
use relman_remote::wait::Poll;

use crate::clients::polling::{self, Waited};
use crate::clients::{self, failed, http_effect, short};
use crate::core::{Effect, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo};
use crate::template::Template;

/// The commit `wait = "checks"` watches: `ref`, else the release commit (`{sha}`, set by the
/// commit step, else HEAD when the plan was made).
fn waited_ref(
    git_ref: Option<&Template>,
    variables_sha: Option<&str>,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Option<String>, StepError> {
    match git_ref {
        Some(git_ref) => render(git_ref).map(Some),
        None => Ok(variables_sha.map(str::to_owned)),
    }
}

/// The options of `wait = "checks"`.
pub(super) struct WaitChecks<'a> {
    pub git_ref: Option<&'a Template>,
    pub rerun_failed: u32,
    pub repo: Option<&'a Template>,
    /// Where the CircleCI token that re-runs CircleCI workflows is.
    pub token_env: &'a str,
}

pub(super) fn preview(
    step: &StepInfo<'_>,
    wait: &WaitChecks<'_>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let WaitChecks {
        git_ref,
        rerun_failed,
        repo,
        token_env,
    } = *wait;
    let github = clients::github(cx.project, cx.env)?;
    let redactor = clients::redactor(cx.project, cx.env);
    let repo = clients::repo(cx.project, repo.map(|repo| cx.render(repo)))?;
    let sha = if cx.sim.committed {
        Some("{sha}")
    } else {
        cx.variables.get_key("sha")
    };
    let target = waited_ref(git_ref, sha, &|template| Ok(cx.render(template)))?
        .unwrap_or_else(|| "HEAD".to_owned());
    let mut description = format!(
        "until every check run and status on `{}` in `{repo}` succeeded ({})",
        short(&target),
        polling::describe(step)
    );
    if rerun_failed > 0 {
        description.push_str(&format!(
            "; failed Actions jobs and CircleCI workflows are re-run up to {}",
            relman_version::words::counted(
                usize::try_from(rerun_failed).unwrap_or(usize::MAX),
                "time",
                "times"
            )
        ));
    }
    let mut effects = vec![Effect::Wait { description }];
    for path in ["check-runs", "status"] {
        let request = github.request_url(
            Method::Get,
            format!("{}/repos/{repo}/commits/{target}/{path}", github.api()),
        );
        effects.push(http_effect(&github.render(&request), &redactor));
    }
    if rerun_failed > 0 {
        let request = github.request_url(
            Method::Post,
            format!(
                "{}/repos/{repo}/actions/runs/{{run_id}}/rerun-failed-jobs",
                github.api()
            ),
        );
        effects.push(http_effect(&github.render(&request), &redactor));
        let circleci = clients::circleci(cx.env, &format!("gh/{repo}"), token_env)?;
        effects.push(http_effect(
            &circleci.render(&circleci.rerun_request_for_plan()),
            &redactor,
        ));
        effects.push(clients::note(
            format!("CircleCI workflows are found through the links of failed statuses; the CircleCI token is read from `{token_env}`"),
            &redactor,
        ));
    }
    Ok(effects)
}

/// The ref to read checks of and the commit whose failed runs are re-run.
fn resolve_wait(
    git_ref: Option<&Template>,
    repo: Option<&Template>,
    cx: &RunCx<'_>,
) -> Result<(Repo, String, String), StepError> {
    let repo = clients::repo(cx.project, repo.map(|repo| cx.render(repo)).transpose()?)?;
    let variables = cx.variables();
    let target = match waited_ref(git_ref, variables.get_key("sha"), &|template| {
        cx.render(template)
    })? {
        Some(target) => target,
        None => cx.project.repo.head_sha()?,
    };
    let sha = if target.len() == 40 && target.chars().all(|c| c.is_ascii_hexdigit()) {
        target.clone()
    } else {
        cx.project
            .repo
            .rev_parse(&format!("{target}^{{commit}}"))
            .unwrap_or_else(|_| target.clone())
    };
    Ok((repo, target, sha))
}

const RERUNS: &str = "reruns";
/// The links of the CircleCI statuses re-run, one a line.
const CIRCLECI_RERUNS: &str = "circleci_reruns";

/// The hosts of CircleCI's web pages: circleci.com's, and a server install's (the host of
/// `RELMAN_CIRCLECI_API`).
fn circleci_hosts(cx: &RunCx<'_>) -> Vec<String> {
    let mut hosts = vec!["circleci.com".to_owned(), "app.circleci.com".to_owned()];
    if let Some(api) = cx.env.var(clients::CIRCLECI_API_ENV)
        && let Some(host) = api
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
    {
        hosts.push(host.to_owned());
    }
    hosts
}

/// Failed statuses that link to a CircleCI workflow or job.
fn failed_circleci<'r>(
    report: &'r ChecksReport,
    hosts: &[String],
) -> Vec<(&'r CommitStatus, CircleCiLink)> {
    let hosts: Vec<&str> = hosts.iter().map(String::as_str).collect();
    report
        .statuses
        .iter()
        .filter(|status| matches!(status.state.as_str(), "failure" | "error"))
        .filter_map(|status| {
            let link = CircleCiLink::parse(status.target_url.as_deref()?, &hosts)?;
            Some((status, link))
        })
        .collect()
}

/// Re-runs the CircleCI workflow of each failed status from its failed jobs; returns what was
/// re-run, one line each.
fn rerun_circleci(
    cx: &mut RunCx<'_>,
    repo: &Repo,
    token_env: &str,
    statuses: &[(&CommitStatus, CircleCiLink)],
) -> Result<Vec<String>, StepError> {
    let mut done = Vec::new();
    for (status, link) in statuses {
        let slug = link
            .project()
            .map_or_else(|| format!("gh/{repo}"), str::to_owned);
        let circleci: CircleCi = clients::circleci(cx.env, &slug, token_env)?;
        let doing = format!(
            "cannot re-run the CircleCI workflow of `{}`",
            status.context
        );
        let workflow = circleci
            .workflow_of(link)
            .map_err(|error| failed(&doing, error))?;
        let new = circleci
            .rerun_from_failed(&workflow)
            .map_err(|error| failed(&doing, error))?;
        let url = status.target_url.clone().unwrap_or_default();
        let mut recorded = cx
            .context_value(CIRCLECI_RERUNS)
            .unwrap_or_default()
            .to_owned();
        if !recorded.is_empty() {
            recorded.push('\n');
        }
        recorded.push_str(&url);
        cx.set_context(CIRCLECI_RERUNS, recorded);
        cx.save()?;
        done.push(format!(
            "`{}` (CircleCI workflow {workflow}, re-run as {new})",
            status.context
        ));
    }
    Ok(done)
}

pub(super) fn execute(
    step: &StepInfo<'_>,
    wait: &WaitChecks<'_>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let WaitChecks {
        git_ref,
        rerun_failed,
        repo,
        token_env,
    } = *wait;
    let github = clients::github(cx.project, cx.env)?;
    let (repo, target, sha) = resolve_wait(git_ref, repo, cx)?;
    let hosts = circleci_hosts(cx);
    let what = format!("checks on `{}`", short(&target));
    let waited = polling::poll(cx, step, &what, |cx| {
        let report = github.checks(&repo, &target).map_err(|error| {
            failed(
                &format!("cannot read the checks of `{}`", short(&target)),
                error,
            )
        })?;
        match report.state() {
            ChecksState::Green => Ok(Poll::Ready(report)),
            ChecksState::Pending(_) | ChecksState::Empty => Ok(Poll::Pending(report.summary())),
            ChecksState::Failed(failed_checks) => {
                let used: u32 = cx
                    .context_value(RERUNS)
                    .and_then(|text| text.parse().ok())
                    .unwrap_or(0);
                // CircleCI statuses this step re-ran, whose new status has not come yet.
                let rerun_links: Vec<String> = cx
                    .context_value(CIRCLECI_RERUNS)
                    .unwrap_or_default()
                    .lines()
                    .map(str::to_owned)
                    .collect();
                let circleci = failed_circleci(&report, &hosts);
                let (rerunning, fresh): (Vec<_>, Vec<_>) =
                    circleci.into_iter().partition(|(status, _)| {
                        status
                            .target_url
                            .as_ref()
                            .is_some_and(|url| rerun_links.contains(url))
                    });
                let other_failures = failed_checks
                    .len()
                    .saturating_sub(rerunning.len() + fresh.len());
                if used < rerun_failed {
                    let runs = github.workflow_runs_for_sha(&repo, &sha).map_err(|error| {
                        failed("cannot list the Actions runs of the commit", error)
                    })?;
                    let to_rerun: Vec<&WorkflowRun> =
                        runs.iter().filter(|run| run.is_failed()).collect();
                    if !to_rerun.is_empty() || !fresh.is_empty() {
                        // Counted before the re-run: a crash now must not grant another one.
                        cx.set_context(RERUNS, (used + 1).to_string());
                        cx.save()?;
                        for run in &to_rerun {
                            github
                                .rerun_failed_jobs(&repo, run.id)
                                .send()
                                .map_err(|error| {
                                    failed(
                                        &format!("cannot re-run `{}`", run.display_name()),
                                        error,
                                    )
                                })?;
                        }
                        let mut names: Vec<String> =
                            to_rerun.iter().map(|run| run.display_name()).collect();
                        names.extend(rerun_circleci(cx, &repo, token_env, &fresh)?);
                        cx.output(&format!(
                            "re-running the failed jobs of {} ({} of {rerun_failed})",
                            names.join(", "),
                            used + 1
                        ));
                        return Ok(Poll::Pending(format!("re-running {}", names.join(", "))));
                    }
                    // A failed check whose run is still going cannot be re-run yet.
                    if runs.iter().any(|run| !run.is_completed()) {
                        return Ok(Poll::Pending(report.summary()));
                    }
                }
                // Every failure is a CircleCI workflow re-run a moment ago: wait for its news.
                if fresh.is_empty() && other_failures == 0 && !rerunning.is_empty() {
                    return Ok(Poll::Pending(format!(
                        "{} re-running on CircleCI",
                        rerunning
                            .iter()
                            .map(|(status, _)| format!("`{}`", status.context))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                Err(StepError::new(format!(
                    "checks failed on `{}` in `{repo}`: {}",
                    short(&target),
                    failed_checks.join(", ")
                ))
                .with_hint(if rerun_failed > 0 {
                    "fix them (the allowed re-runs are used up), then `relman resume`"
                } else {
                    "fix or re-run them, then `relman resume`; `rerun-failed = N` re-runs failed Actions jobs and CircleCI workflows"
                }))
            }
        }
    })?;
    match waited {
        Waited::Ready(report) => {
            let summary = format!("{} on `{}`", report.summary(), short(&target));
            cx.output(&summary);
            cx.set_output("summary", summary);
            Ok(Outcome::Done)
        }
        Waited::TimedOut(reason) => Ok(Outcome::Paused(reason)),
    }
}

pub(super) fn probe(
    git_ref: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut RunCx<'_>,
) -> Result<Probe, StepError> {
    let github = clients::github(cx.project, cx.env)?;
    let (repo, target, _) = resolve_wait(git_ref, repo, cx)?;
    let report = github.checks(&repo, &target).map_err(|error| {
        failed(
            &format!("cannot read the checks of `{}`", short(&target)),
            error,
        )
    })?;
    if report.state() != ChecksState::Green {
        return Ok(Probe::NotDone);
    }
    let summary = format!("{} on `{}`", report.summary(), short(&target));
    cx.set_output("summary", summary);
    Ok(Probe::Done)
}
