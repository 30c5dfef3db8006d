//! `wait = "checks" | "pr-merged" | "pr-approved" | "url"`: poll with backoff until true or `timeout`; a timeout
//! pauses the release (exit 3). Each wait is its own module: `checks` (every check of a commit
//! green, re-running failed jobs), `pr_merged`, and a URL, which looks as `verify = "url"` does
//! (`verify::checker`).

mod checks;
mod pr_approved;
mod pr_merged;

use relman_remote::Redactor;
use serde::{Deserialize, Serialize};

use super::verify::{VerifyStep, checker};
use crate::core::explain::{ExplainCx, Explained, PAUSES, answers, show_code};
use crate::core::options::{INTERVAL, OptionSpec, OptionType, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Need, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "wait", rename_all = "kebab-case")]
pub enum WaitStep {
    Checks {
        /// Default: the release commit.
        git_ref: Option<Template>,
        rerun_failed: u32,
        repo: Option<Template>,
        /// The variable holding the CircleCI token that re-runs failed CircleCI workflows.
        #[serde(default = "default_circle_token")]
        token_env: String,
    },
    PrMerged {
        /// Default `{pr_number}`.
        pr: Option<Template>,
        repo: Option<Template>,
    },
    PrApproved {
        /// Default `{pr_number}`.
        pr: Option<Template>,
        repo: Option<Template>,
        approvals: u32,
    },
    Url {
        url: Template,
        status: Option<u16>,
        contains: Option<Template>,
    },
}

/// A URL wait looks as `verify = "url"` does.
fn url_target(url: &Template, status: Option<u16>, contains: &Option<Template>) -> VerifyStep {
    VerifyStep::Url {
        url: url.clone(),
        status,
        contains: contains.clone(),
    }
}

/// Where the CircleCI token is read from unless `token-env` says.
pub(crate) fn default_circle_token() -> String {
    "CIRCLE_TOKEN".to_owned()
}

impl Kind for WaitStep {
    const SPEC: KindSpec = KindSpec {
        values: &["checks", "pr-merged", "pr-approved", "url"],
        options: &[
            OptionSpec::string("ref"),
            OptionSpec::new("rerun-failed", OptionType::U32),
            OptionSpec::new("pr", OptionType::StringOrInt),
            OptionSpec::new("approvals", OptionType::U32),
            OptionSpec::string("url"),
            OptionSpec::new("status", OptionType::U16),
            OptionSpec::string("contains"),
            INTERVAL,
            OptionSpec::string("repo"),
            OptionSpec::string("token-env"),
        ],
        outputs: &["summary"],
        ..KindSpec::new(
            "wait",
            "wait until checks are green, a pull request is merged, or a URL answers",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("wait").ok_or(Reported)?;
        let kind = options.one_of(
            &value,
            "wait",
            &["checks", "pr-merged", "pr-approved", "url"],
        )?;
        Ok(match kind {
            "checks" => WaitStep::Checks {
                git_ref: options.template("ref")?,
                rerun_failed: options.u32("rerun-failed").unwrap_or(0),
                repo: options.template("repo")?,
                token_env: options
                    .env_name("token-env")?
                    .unwrap_or_else(default_circle_token),
            },
            "pr-merged" | "pr-approved" => {
                let pr = match options.string_or_int("pr") {
                    Some(pr) => {
                        let span = pr.span();
                        Some(options.template_text(&pr.into_inner().into_string(), span)?)
                    }
                    None => None,
                };
                let repo = options.template("repo")?;
                if kind == "pr-merged" {
                    WaitStep::PrMerged { pr, repo }
                } else {
                    WaitStep::PrApproved {
                        pr,
                        repo,
                        approvals: options.u32("approvals").unwrap_or(1).max(1),
                    }
                }
            }
            _ => WaitStep::Url {
                url: options.required("url", "\"https://…\"")?,
                status: options.u16("status"),
                contains: options.template("contains")?,
            },
        })
    }

    fn needs(&self) -> Vec<Need> {
        match self {
            // Re-running a failed check writes to the forge; reading needs no token on a public
            // repository.
            WaitStep::Checks { rerun_failed, .. } if *rerun_failed > 0 => {
                vec![Need::Forge, Need::ForgeToken { write: true }]
            }
            WaitStep::Checks { .. } | WaitStep::PrMerged { .. } | WaitStep::PrApproved { .. } => {
                vec![Need::Forge]
            }
            WaitStep::Url { .. } => Vec::new(),
        }
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        let mut all = Vec::new();
        match self {
            WaitStep::Checks { git_ref, repo, .. } => {
                all.extend(git_ref.iter().map(|value| ("ref", value)));
                all.extend(repo.iter().map(|value| ("repo", value)));
            }
            WaitStep::PrMerged { pr, repo } | WaitStep::PrApproved { pr, repo, .. } => {
                all.extend(pr.iter().map(|value| ("pr", value)));
                all.extend(repo.iter().map(|value| ("repo", value)));
            }
            WaitStep::Url { url, contains, .. } => {
                all.push(("url", url));
                all.extend(contains.iter().map(|value| ("contains", value)));
            }
        }
        all
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        // Titles land in the journal and the terminal: a URL's password or token never shows.
        let url = |template: &Template| Redactor::new().redact(&render(template));
        match self {
            WaitStep::Checks { git_ref, .. } => match git_ref {
                Some(git_ref) => format!("wait for checks on {}", render(git_ref)),
                None => "wait for checks on the release commit".to_owned(),
            },
            WaitStep::PrMerged { pr, .. } => format!(
                "wait until pull request #{} is merged",
                pr.as_ref().map_or_else(|| "{pr_number}".to_owned(), render)
            ),
            WaitStep::PrApproved { pr, .. } => format!(
                "wait until pull request #{} is approved",
                pr.as_ref().map_or_else(|| "{pr_number}".to_owned(), render)
            ),
            WaitStep::Url { url: target, .. } => {
                format!("wait until {} answers", url(target))
            }
        }
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        match self {
            WaitStep::Checks {
                git_ref,
                rerun_failed,
                repo,
                token_env,
            } => Explained::new(format!(
                "Wait until every check on {} is complete and green.",
                git_ref
                    .as_ref()
                    .map_or_else(|| "the release commit".to_owned(), show_code)
            ))
            .detail_if(
                *rerun_failed > 0,
                format!(
                    "Failed jobs are re-run up to {rerun_failed} time{} before the step fails: GitHub Actions jobs, and CircleCI workflows (from their failed jobs) that failed statuses link to, with the CircleCI token in `{token_env}`.",
                    if *rerun_failed == 1 { "" } else { "s" }
                ),
            )
            .detail_if(
                repo.is_some(),
                format!(
                    "In the repository {}.",
                    repo.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail(PAUSES),
            WaitStep::PrMerged { pr, repo } => Explained::new(format!(
                "Wait until pull request {} is merged.",
                pr.as_ref()
                    .map_or_else(|| "`{pr_number}`".to_owned(), show_code)
            ))
            .detail("A pull request closed without merging fails the step.")
            .detail_if(
                repo.is_some(),
                format!(
                    "In the repository {}.",
                    repo.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail(PAUSES),
            WaitStep::PrApproved {
                pr,
                repo,
                approvals,
            } => Explained::new(format!(
                "Wait until pull request {} has {approvals} approving review{}.",
                pr.as_ref()
                    .map_or_else(|| "`{pr_number}`".to_owned(), show_code),
                if *approvals == 1 { "" } else { "s" }
            ))
            .detail("Each reviewer's latest decision counts; a pull request closed without merging fails the step.")
            .detail_if(
                repo.is_some(),
                format!(
                    "In the repository {}.",
                    repo.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail(PAUSES),
            WaitStep::Url {
                url,
                status,
                contains,
            } => Explained::new(format!(
                "Wait until {}.",
                answers(url, *status, contains.as_ref())
            ))
            .detail(PAUSES),
        }
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        match self {
            WaitStep::PrMerged { pr, repo } => {
                pr_merged::preview(step, pr.as_ref(), repo.as_ref(), cx)
            }
            WaitStep::PrApproved {
                pr,
                repo,
                approvals,
            } => pr_approved::preview(step, pr.as_ref(), repo.as_ref(), *approvals, cx),
            WaitStep::Checks {
                git_ref,
                rerun_failed,
                repo,
                token_env,
            } => checks::preview(
                step,
                &checks::WaitChecks {
                    git_ref: git_ref.as_ref(),
                    rerun_failed: *rerun_failed,
                    repo: repo.as_ref(),
                    token_env,
                },
                cx,
            ),
            WaitStep::Url {
                url,
                status,
                contains,
            } => checker::preview(
                &url_target(url, *status, contains),
                &self.describe(cx.variables),
                step,
                cx,
            ),
        }
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        match self {
            WaitStep::PrMerged { pr, repo } => {
                pr_merged::execute(step, pr.as_ref(), repo.as_ref(), cx)
            }
            WaitStep::PrApproved {
                pr,
                repo,
                approvals,
            } => pr_approved::execute(step, pr.as_ref(), repo.as_ref(), *approvals, cx),
            WaitStep::Checks {
                git_ref,
                rerun_failed,
                repo,
                token_env,
            } => checks::execute(
                step,
                &checks::WaitChecks {
                    git_ref: git_ref.as_ref(),
                    rerun_failed: *rerun_failed,
                    repo: repo.as_ref(),
                    token_env,
                },
                cx,
            ),
            WaitStep::Url {
                url,
                status,
                contains,
            } => checker::execute(&url_target(url, *status, contains), step, cx),
        }
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        match self {
            WaitStep::PrMerged { pr, repo } => pr_merged::probe(pr.as_ref(), repo.as_ref(), cx),
            WaitStep::PrApproved {
                pr,
                repo,
                approvals,
            } => pr_approved::probe(pr.as_ref(), repo.as_ref(), *approvals, cx),
            WaitStep::Checks { git_ref, repo, .. } => {
                checks::probe(git_ref.as_ref(), repo.as_ref(), cx)
            }
            WaitStep::Url {
                url,
                status,
                contains,
            } => checker::probe(&url_target(url, *status, contains), cx),
        }
    }
}
