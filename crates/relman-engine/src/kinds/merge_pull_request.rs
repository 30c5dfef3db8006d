//! `merge-pull-request = "{pr_number}"`: merge a pull request (`method`: merge, squash or
//! rebase). It looks at the pull request first and merges only an open one; one merged already
//! is done.

use relman_remote::github::{MergeMethod, MergeOptions, PullRequest, PullStatus, Repo};
use relman_remote::http::Method;
use serde::{Deserialize, Serialize};

use crate::clients::pull_number as parse_number;
use crate::clients::{self, failed, http_effect, note};
use crate::core::explain::{ExplainCx, Explained, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RemoteEffect, RunCx, StepError, StepInfo,
    TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergePullRequestStep {
    pub number: Template,
    /// `merge`, `squash` or `rebase`.
    pub method: String,
    pub repo: Option<Template>,
}

impl Kind for MergePullRequestStep {
    const SPEC: KindSpec = KindSpec {
        key_type: OptionType::StringOrInt,
        options: &[OptionSpec::string("method"), OptionSpec::string("repo")],
        outputs: &["sha"],
        ..KindSpec::new("merge-pull-request", "merge a pull request")
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options
            .string_or_int("merge-pull-request")
            .ok_or(Reported)?;
        let span = value.span();
        let number = options.template_text(&value.into_inner().into_string(), span)?;
        let method = match options.string("method") {
            None => "merge".to_owned(),
            Some(method) => options
                .one_of(&method, "method", &["merge", "squash", "rebase"])?
                .to_owned(),
        };
        Ok(MergePullRequestStep {
            number,
            method,
            repo: options.template("repo")?,
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Forge, Need::ForgeToken { write: true }]
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("merge-pull-request", &self.number)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        format!("merge pull request #{}", render(&self.number))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Merge pull request {} ({}).",
            show_code(&self.number),
            self.method
        ))
        .detail_if(
            self.repo.is_some(),
            format!(
                "In the repository {}.",
                self.repo.as_ref().map(show_code).unwrap_or_default()
            ),
        )
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let redactor = clients::redactor(cx.project, cx.env);
        let repo = clients::repo(cx.project, self.repo.as_ref().map(|repo| cx.render(repo)))?;
        let number = cx.render(&self.number);
        let options = MergeOptions {
            merge_method: self.method.parse::<MergeMethod>().map_err(StepError::new)?,
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

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let repo = clients::repo(
            cx.project,
            self.repo.as_ref().map(|repo| cx.render(repo)).transpose()?,
        )?;
        let number = parse_number(&cx.render(&self.number)?)?;
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
                    merge_method: self.method.parse::<MergeMethod>().map_err(StepError::new)?,
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
                    clients::short(&result.sha)
                ));
            }
        }
        let merged = github
            .pull_request(&repo, number)
            .map_err(|error| failed(&doing, error))?;
        finish_merge(cx, &repo, &merged);
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let github = clients::github(cx.project, cx.env)?;
        let repo = clients::repo(
            cx.project,
            self.repo.as_ref().map(|repo| cx.render(repo)).transpose()?,
        )?;
        let number = parse_number(&cx.render(&self.number)?)?;
        let pull = github
            .pull_request(&repo, number)
            .map_err(|error| failed(&format!("cannot read pull request #{number}"), error))?;
        if pull.status() != PullStatus::Merged {
            return Ok(Probe::NotDone);
        }
        finish_merge(cx, &repo, &pull);
        Ok(Probe::Done)
    }
}

fn finish_merge(cx: &mut RunCx<'_>, repo: &Repo, pull: &PullRequest) {
    let sha = pull.merge_commit_sha.clone().unwrap_or_default();
    cx.push_remote(RemoteEffect {
        description: format!(
            "pull request #{} merged into `{}` in `{repo}` as {}",
            pull.number,
            pull.base.branch,
            clients::short(&sha)
        ),
        undo_hint: format!(
            "revert the merge on `{}`: `git revert -m 1 {sha}`, then push",
            pull.base.branch
        ),
        pushed_refs: Vec::new(),
        pushed_at: None,
    });
    cx.set_output("sha", sha);
}
