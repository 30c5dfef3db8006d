//! `pull-request = "open"`, `merge-pull-request = N` and `wait = "pr-merged"`.
//!
//! Opening looks first: the open pull request from `head` into `base` is reused, so a re-run never
//! opens a second one. The journal records the head and base before the request, then the number
//! as soon as it is known; reviewers (`org/team` names a team), assignees and labels are added
//! after, and recorded as done, so the probe says "done" only once all of it happened (adding them
//! again is harmless: GitHub keeps one of each). Merging looks at the pull request first and
//! merges only an open one; waiting polls until it is merged (closed without merging fails).

use relman_remote::RequestDescription;
use relman_remote::github::{
    GitHub, MergeMethod, MergeOptions, NewPullRequest, PullRequest, PullStatus, Repo,
};
use relman_remote::http::Method;
use relman_remote::wait::Poll;

use crate::clients::polling::{self, Waited};
use crate::clients::{self as client, failed};
use crate::clients::{http_effect, note};
use crate::journal::RemoteEffect;
use crate::kinds::merge_pull_request::MergePullRequestStep;
use crate::kinds::pull_request::PullRequestStep;
use crate::kinds::{Outcome, PlanCx, Probe, RunCx, StepError, StepInfo};
use crate::plan::Effect;
use crate::project::Project;
use crate::template::Template;

/// A pull request's options, resolved.
struct Resolved {
    repo: Repo,
    pull: NewPullRequest,
    reviewers: Vec<String>,
    teams: Vec<String>,
    assignees: Vec<String>,
    labels: Vec<String>,
}

fn resolve(
    step: &PullRequestStep,
    project: &Project,
    render: &dyn Fn(&Template) -> Result<String, StepError>,
) -> Result<Resolved, StepError> {
    let list = |templates: &[Template]| -> Result<Vec<String>, StepError> {
        templates
            .iter()
            .map(render)
            .collect::<Result<Vec<_>, _>>()
            .map(|values| {
                values
                    .into_iter()
                    .filter(|value| !value.is_empty())
                    .collect()
            })
    };
    let (teams, reviewers): (Vec<String>, Vec<String>) = list(&step.reviewers)?
        .into_iter()
        .partition(|reviewer| reviewer.contains('/'));
    Ok(Resolved {
        repo: client::repo(project, step.repo.as_ref().map(render).transpose()?)?,
        pull: NewPullRequest {
            title: render(&step.title)?,
            head: render(&step.head)?,
            base: render(&step.base)?,
            body: step.body.as_ref().map(render).transpose()?,
            draft: step.draft,
        },
        reviewers,
        // `org/team` is a team: GitHub wants its slug.
        teams: teams
            .into_iter()
            .map(|team| team.rsplit('/').next().unwrap_or_default().to_owned())
            .collect(),
        assignees: list(&step.assignees)?,
        labels: list(&step.labels)?,
    })
}

/// A request about the pull request that does not exist yet, for the plan.
fn about_pull(
    github: &GitHub,
    repo: &Repo,
    path: &str,
    body: serde_json::Value,
) -> RequestDescription {
    github
        .request_url(
            Method::Post,
            format!("{}/repos/{repo}/{path}", github.api()),
        )
        .json(body)
}

pub(crate) fn preview_open(
    step: &PullRequestStep,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let redactor = client::redactor(cx.project, cx.env);
    let resolved = resolve(step, cx.project, &|template| Ok(cx.render(template)))?;
    let repo = &resolved.repo;
    let mut effects = vec![
        note(
            format!(
                "reuses the open pull request from `{}` into `{}` in `{repo}` if there is one",
                resolved.pull.head, resolved.pull.base
            ),
            &redactor,
        ),
        http_effect(
            &github.create_pull_request(repo, &resolved.pull).render(),
            &redactor,
        ),
    ];
    if !resolved.reviewers.is_empty() || !resolved.teams.is_empty() {
        let request = about_pull(
            &github,
            repo,
            "pulls/{pr_number}/requested_reviewers",
            serde_json::json!({"reviewers": resolved.reviewers, "team_reviewers": resolved.teams}),
        );
        effects.push(http_effect(&github.render(&request), &redactor));
    }
    if !resolved.assignees.is_empty() {
        let request = about_pull(
            &github,
            repo,
            "issues/{pr_number}/assignees",
            serde_json::json!({"assignees": resolved.assignees}),
        );
        effects.push(http_effect(&github.render(&request), &redactor));
    }
    if !resolved.labels.is_empty() {
        let request = about_pull(
            &github,
            repo,
            "issues/{pr_number}/labels",
            serde_json::json!({"labels": resolved.labels}),
        );
        effects.push(http_effect(&github.render(&request), &redactor));
    }
    if let Some(variables) = client::missing_github_token(cx.project, cx.env) {
        effects.push(note(
            format!("no GitHub token: set `{variables}` before running"),
            &redactor,
        ));
    }
    Ok(effects)
}

pub(crate) fn execute_open(
    step: &PullRequestStep,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let resolved = resolve(step, cx.project, &|template| cx.render(template))?;
    let repo = &resolved.repo;
    let (head, base) = (&resolved.pull.head, &resolved.pull.base);
    let doing = format!("cannot open the pull request from `{head}` into `{base}` in `{repo}`");
    if cx.context_value("head").is_none() {
        cx.set_context("repo", repo.to_string());
        cx.set_context("head", head.clone());
        cx.set_context("base", base.clone());
        cx.save()?;
    }
    let known = cx
        .context_value("number")
        .and_then(|number| number.parse::<u64>().ok());
    let reusable = match known {
        Some(number) => {
            let pull = github
                .pull_request(repo, number)
                .map_err(|error| failed(&doing, error))?;
            // One closed without merging since is no use: open another.
            (pull.status() != PullStatus::ClosedUnmerged).then_some(pull)
        }
        None => None,
    };
    let pull = match reusable {
        Some(pull) => pull,
        None => {
            let (pull, created) = github
                .open_or_reuse_pull_request(repo, &resolved.pull)
                .map_err(|error| failed(&doing, error))?;
            cx.output(&format!(
                "{} pull request #{}: {}",
                if created { "opened" } else { "reusing" },
                pull.number,
                pull.html_url
            ));
            pull
        }
    };
    cx.set_context("number", pull.number.to_string());
    record_remote(cx, repo, &pull);
    cx.save()?;
    if cx.context_value("decorated") != Some("yes") {
        let number = pull.number;
        let decorate = |what: &str, error: relman_remote::github::GitHubError| {
            failed(&format!("cannot {what} pull request #{number}"), error)
        };
        if !resolved.reviewers.is_empty() || !resolved.teams.is_empty() {
            github
                .request_reviewers(repo, number, &resolved.reviewers, &resolved.teams)
                .send()
                .map_err(|error| decorate("request reviews on", error))?;
        }
        if !resolved.assignees.is_empty() {
            github
                .add_assignees(repo, number, &resolved.assignees)
                .send()
                .map_err(|error| decorate("assign", error))?;
        }
        if !resolved.labels.is_empty() {
            github
                .add_labels(repo, number, &resolved.labels)
                .send()
                .map_err(|error| decorate("label", error))?;
        }
        cx.set_context("decorated", "yes");
        cx.save()?;
    }
    finish_open(cx, &pull);
    Ok(Outcome::Done)
}

pub(crate) fn probe_open(step: &PullRequestStep, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
    let Some(number) = cx
        .context_value("number")
        .and_then(|number| number.parse::<u64>().ok())
    else {
        // Maybe opened, number not recorded: `execute` finds it by head and base.
        return Ok(Probe::NotDone);
    };
    if cx.context_value("decorated") != Some("yes") {
        return Ok(Probe::NotDone);
    }
    let github = client::github(cx.project, cx.env)?;
    let resolved = resolve(step, cx.project, &|template| cx.render(template))?;
    let pull = github
        .pull_request(&resolved.repo, number)
        .map_err(|error| failed(&format!("cannot read pull request #{number}"), error))?;
    if pull.status() == PullStatus::ClosedUnmerged {
        return Ok(Probe::NotDone);
    }
    record_remote(cx, &resolved.repo, &pull);
    finish_open(cx, &pull);
    Ok(Probe::Done)
}

fn record_remote(cx: &mut RunCx<'_>, repo: &Repo, pull: &PullRequest) {
    cx.push_remote(RemoteEffect {
        description: format!(
            "pull request #{} in `{repo}` ({})",
            pull.number, pull.html_url
        ),
        undo_hint: format!(
            "close it if it is not wanted: `gh pr close {} --repo {repo}`",
            pull.number
        ),
        pushed_refs: Vec::new(),
    });
}

fn finish_open(cx: &mut RunCx<'_>, pull: &PullRequest) {
    cx.set_output("number", pull.number.to_string());
    cx.set_output("url", pull.html_url.clone());
    cx.set_runtime("pr_number", pull.number.to_string());
    cx.set_runtime("pr_url", pull.html_url.clone());
}

fn parse_number(text: &str) -> Result<u64, StepError> {
    text.trim().trim_start_matches('#').parse().map_err(|_| {
        StepError::new(format!("`{text}` is not a pull request number"))
            .with_hint("give the number, or `{pr_number}` after a `pull-request` step")
    })
}

pub(crate) fn preview_merge(
    step: &MergePullRequestStep,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let redactor = client::redactor(cx.project, cx.env);
    let repo = client::repo(cx.project, step.repo.as_ref().map(|repo| cx.render(repo)))?;
    let number = cx.render(&step.number);
    let options = MergeOptions {
        merge_method: step.method.parse::<MergeMethod>().map_err(StepError::new)?,
        ..MergeOptions::default()
    };
    let request = github
        .request_url(
            Method::Put,
            format!("{}/repos/{repo}/pulls/{number}/merge", github.api()),
        )
        .json_of(&options);
    Ok(vec![
        note(
            format!("merges #{number} only if it is open; a merged one is left as it is"),
            &redactor,
        ),
        http_effect(&github.render(&request), &redactor),
    ])
}

pub(crate) fn execute_merge(
    step: &MergePullRequestStep,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let repo = client::repo(
        cx.project,
        step.repo.as_ref().map(|repo| cx.render(repo)).transpose()?,
    )?;
    let number = parse_number(&cx.render(&step.number)?)?;
    let doing = format!("cannot merge pull request #{number} in `{repo}`");
    let pull = github
        .pull_request(&repo, number)
        .map_err(|error| failed(&doing, error))?;
    match pull.status() {
        PullStatus::Merged => {
            cx.output(&format!("#{number} is merged already"));
        }
        PullStatus::ClosedUnmerged => {
            return Err(StepError::new(format!(
                "{doing}: it was closed without being merged ({})",
                pull.html_url
            ))
            .with_hint("reopen it, then `relman resume`"));
        }
        PullStatus::Open => {
            let options = MergeOptions {
                merge_method: step.method.parse::<MergeMethod>().map_err(StepError::new)?,
                ..MergeOptions::default()
            };
            let result = github
                .merge_pull_request(&repo, number, &options)
                .send()
                .map_err(|error| {
                    let status = error.status();
                    let mut step_error = failed(&doing, error);
                    if matches!(status, Some(405 | 409)) {
                        step_error.hint = Some(format!(
                            "GitHub will not merge it as it is (conflicts, required checks or reviews, or a new push): see {}, then `relman resume`",
                            pull.html_url
                        ));
                    }
                    step_error
                })?;
            cx.output(&format!(
                "merged #{number} as {}",
                crate::clients::short(&result.sha)
            ));
        }
    }
    let merged = github
        .pull_request(&repo, number)
        .map_err(|error| failed(&doing, error))?;
    finish_merge(cx, &repo, &merged);
    Ok(Outcome::Done)
}

pub(crate) fn probe_merge(
    step: &MergePullRequestStep,
    cx: &mut RunCx<'_>,
) -> Result<Probe, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let repo = client::repo(
        cx.project,
        step.repo.as_ref().map(|repo| cx.render(repo)).transpose()?,
    )?;
    let number = parse_number(&cx.render(&step.number)?)?;
    let pull = github
        .pull_request(&repo, number)
        .map_err(|error| failed(&format!("cannot read pull request #{number}"), error))?;
    if pull.status() != PullStatus::Merged {
        return Ok(Probe::NotDone);
    }
    finish_merge(cx, &repo, &pull);
    Ok(Probe::Done)
}

fn finish_merge(cx: &mut RunCx<'_>, repo: &Repo, pull: &PullRequest) {
    let sha = pull.merge_commit_sha.clone().unwrap_or_default();
    cx.push_remote(RemoteEffect {
        description: format!(
            "pull request #{} merged into `{}` in `{repo}` as {}",
            pull.number,
            pull.base.branch,
            crate::clients::short(&sha)
        ),
        undo_hint: format!(
            "revert the merge on `{}`: `git revert -m 1 {sha}`, then push",
            pull.base.branch
        ),
        pushed_refs: Vec::new(),
    });
    cx.set_output("sha", sha);
}

/// The pull request a `wait = "pr-merged"` watches: `pr`, else `{pr_number}`.
fn waited_pull(
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

pub(crate) fn preview_wait(
    step: &StepInfo<'_>,
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut PlanCx<'_>,
) -> Result<Vec<Effect>, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let redactor = client::redactor(cx.project, cx.env);
    let repo = client::repo(cx.project, repo.map(|repo| cx.render(repo)))?;
    let number = waited_pull(pr, &|template| Ok(cx.render(template)))?;
    let request = github.request_url(
        Method::Get,
        format!("{}/repos/{repo}/pulls/{number}", github.api()),
    );
    Ok(vec![
        Effect::Wait {
            description: format!(
                "until pull request #{number} in `{repo}` is merged ({}); closed without merging fails",
                polling::describe(step)
            ),
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

pub(crate) fn execute_wait(
    step: &StepInfo<'_>,
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let repo = client::repo(cx.project, repo.map(|repo| cx.render(repo)).transpose()?)?;
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

pub(crate) fn probe_wait(
    pr: Option<&Template>,
    repo: Option<&Template>,
    cx: &mut RunCx<'_>,
) -> Result<Probe, StepError> {
    let github = client::github(cx.project, cx.env)?;
    let repo = client::repo(cx.project, repo.map(|repo| cx.render(repo)).transpose()?)?;
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
            .map(|sha| format!(" as {}", crate::clients::short(sha)))
            .unwrap_or_default()
    );
    cx.output(&summary);
    cx.set_output("summary", summary);
}
