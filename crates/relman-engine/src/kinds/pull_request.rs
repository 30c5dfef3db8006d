//! `pull-request = "open"`: open a pull request, or reuse the open one for the same head and
//! base; exposes `{pr_number}` and `{pr_url}`.
//!
//! Opening looks first: the open pull request from `head` into `base` is reused, so a re-run never
//! opens a second one. The journal records the head and base before the request, then the number
//! as soon as it is known; reviewers (`org/team` names a team), assignees and labels are added
//! after, and recorded as done, so the probe says "done" only once all of it happened (adding them
//! again is harmless: GitHub keeps one of each).

use relman_remote::RequestDescription;
use relman_remote::github::{GitHub, NewPullRequest, PullRequest, PullStatus, Repo};
use relman_remote::http::Method;
use serde::{Deserialize, Serialize};

use crate::clients::{self, failed, http_effect, note};
use crate::core::explain::{ExplainCx, Explained, codes, labelled_text, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::project::Project;
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequestStep {
    pub head: Template,
    pub base: Template,
    pub title: Template,
    pub body: Option<Template>,
    pub reviewers: Vec<Template>,
    pub assignees: Vec<Template>,
    pub labels: Vec<Template>,
    /// Another repository (`owner/name`).
    pub repo: Option<Template>,
    pub draft: bool,
}

impl Kind for PullRequestStep {
    const SPEC: KindSpec = KindSpec {
        values: &["open"],
        options: &[
            OptionSpec::string("head"),
            OptionSpec::string("base"),
            OptionSpec::string("title"),
            OptionSpec::string("body"),
            OptionSpec::list("reviewers"),
            OptionSpec::list("assignees"),
            OptionSpec::list("labels"),
            OptionSpec::string("repo"),
            OptionSpec::flag("draft"),
        ],
        outputs: &["number", "url"],
        ..KindSpec::new(
            "pull-request",
            "open a pull request, or reuse the open one for the same head and base",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("pull-request").ok_or(Reported)?;
        options.one_of(&value, "pull-request", &["open"])?;
        Ok(PullRequestStep {
            head: options.required("head", "\"release/{version}\"")?,
            base: options.required("base", "\"master\"")?,
            title: options.required("title", "\"Release {version}\"")?,
            body: options.template("body")?,
            reviewers: options.templates("reviewers")?,
            assignees: options.templates("assignees")?,
            labels: options.templates("labels")?,
            repo: options.template("repo")?,
            draft: options.flag("draft").unwrap_or(false),
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Forge, Need::ForgeToken { write: true }]
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("head", &self.head)
            .one("base", &self.base)
            .one("title", &self.title)
            .opt("body", &self.body)
            .all("reviewers", &self.reviewers)
            .all("assignees", &self.assignees)
            .all("labels", &self.labels)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!(
            "open a pull request from {} into {}",
            render(&self.head),
            render(&self.base)
        )
    }

    fn explain(&self, cx: &mut ExplainCx<'_>) -> Explained {
        let mut explained = Explained::new(format!(
            "Open a pull request from {} into {}, titled {} (or reuse the open one).",
            show_code(&self.head),
            show_code(&self.base),
            show_code(&self.title)
        ));
        if let Some(repo) = &self.repo {
            explained = explained.detail(format!("In the repository {}.", show_code(repo)));
        }
        if self.draft {
            explained = explained.detail("As a draft.");
        }
        if let Some(body) = &self.body {
            explained = explained.detail(labelled_text("The description", body));
        }
        for (label, values) in [
            ("Reviewers", &self.reviewers),
            ("Assignees", &self.assignees),
            ("Labels", &self.labels),
        ] {
            if !values.is_empty() {
                explained = explained.detail(format!("{label}: {}.", codes(values)));
            }
        }
        explained.detail_if(
            cx.step.id.is_none(),
            "Later steps can use `{pr_number}` and `{pr_url}`.",
        )
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let redactor = clients::redactor(cx.project, cx.env);
        let resolved = resolve(self, cx.project, &|template| Ok(cx.render(template)))?;
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
        if let Some(variables) = clients::missing_github_token(cx.project, cx.env) {
            effects.push(note(
                format!("no GitHub token: set `{variables}` before running"),
                &redactor,
            ));
        }
        Ok(effects)
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let resolved = resolve(self, cx.project, &|template| cx.render(template))?;
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

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
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
        let github = clients::github(cx.project, cx.env)?;
        let resolved = resolve(self, cx.project, &|template| cx.render(template))?;
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
}

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
        repo: clients::repo(project, step.repo.as_ref().map(render).transpose()?)?,
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
        pushed_at: None,
    });
}

fn finish_open(cx: &mut RunCx<'_>, pull: &PullRequest) {
    cx.set_output("number", pull.number.to_string());
    cx.set_output("url", pull.html_url.clone());
    cx.set_runtime("pr_number", pull.number.to_string());
    cx.set_runtime("pr_url", pull.html_url.clone());
}
