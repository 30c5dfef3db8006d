//! `wait = "checks" | "pr-merged" | "url"`: poll with backoff until true or `timeout`; a timeout
//! pauses the release (exit 3).

use serde::{Deserialize, Serialize};

use crate::template::Template;

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
    Url {
        url: Template,
        status: Option<u16>,
        contains: Option<Template>,
    },
}

/// Where the CircleCI token is read from unless `token-env` says.
pub(crate) fn default_circle_token() -> String {
    "CIRCLE_TOKEN".to_owned()
}

impl WaitStep {
    pub(crate) fn collect_templates<'a>(&'a self, all: &mut Vec<(&'static str, &'a Template)>) {
        match self {
            WaitStep::Checks { git_ref, repo, .. } => {
                all.extend(git_ref.iter().map(|value| ("ref", value)));
                all.extend(repo.iter().map(|value| ("repo", value)));
            }
            WaitStep::PrMerged { pr, repo } => {
                all.extend(pr.iter().map(|value| ("pr", value)));
                all.extend(repo.iter().map(|value| ("repo", value)));
            }
            WaitStep::Url { url, contains, .. } => {
                all.push(("url", url));
                all.extend(contains.iter().map(|value| ("contains", value)));
            }
        }
    }
}
