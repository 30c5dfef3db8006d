//! Completing a drafted step from what the draft knows by then: a commit's message, a pull
//! request's branches and id (and the branch, commit and push it implies in another checkout),
//! which pull request a later merge means, the checkout a step acts in.

use super::{Drafter, IN_CHECKOUT};
use crate::init::runbook::phrases::DEFAULT_COMMIT;
use crate::init::runbook::text;
use crate::init::workflow::DraftStep;

impl Drafter {
    /// Completes a step from what the draft knows: commit messages, pull request branches,
    /// the other checkout.
    pub(super) fn resolve(&mut self, mut step: DraftStep, quote: &str) -> DraftStep {
        let bumps = self.current.steps().filter(|s| s.kind() == "bump").count();
        match step.kind() {
            "commit" if step.kind_value() == Some(DEFAULT_COMMIT) => {
                let message = if bumps >= 2 {
                    "Start development of {dev_version}"
                } else {
                    "Release {version}"
                };
                step.set("commit", message);
            }
            "tag" => {
                if let Some(format) = text::VERSION
                    .find(quote)
                    .map(|m| text::versioned(m.as_str()))
                    && self.facts.tag_format.is_none()
                    && step.kind_value() == Some("{tag}")
                {
                    self.facts.tag_format = Some(format.clone());
                    self.tag_format.get_or_insert(format);
                }
            }
            "pull-request" => return self.pull_request(step),
            "merge-pull-request" => {
                let lower = quote.to_lowercase();
                let target = self
                    .pull_requests
                    .iter()
                    .rev()
                    .find(|(_, repo)| {
                        repo.as_deref()
                            .and_then(|repo| repo.rsplit('/').next())
                            .is_some_and(|name| lower.contains(&name.to_lowercase()))
                    })
                    .or(self.pull_requests.last())
                    .cloned();
                if let Some((id, repo)) = target {
                    step.set("merge-pull-request", format!("{{steps.{id}.number}}"));
                    if let Some(repo) = repo {
                        step.set("repo", repo);
                    }
                }
            }
            "wait"
                if matches!(step.kind_value(), Some("pr-approved" | "pr-merged"))
                    && !step.fields.iter().any(|(key, _)| key == "pr") =>
            {
                // The pull request the workflow opened last, also on the same line.
                if let Some((id, repo)) = self.pull_requests.last().cloned() {
                    step.set("pr", format!("{{steps.{id}.number}}"));
                    if let Some(repo) = repo {
                        step.set("repo", repo);
                    }
                } else {
                    step = step.comment(
                        "no step opens this pull request (a command does): set `pr` to its number",
                    );
                }
            }
            "wait" if step.kind_value() == Some("checks") => {
                if let Some((checkout, _)) = &self.checkout {
                    if let Some(repo) = &checkout.repo {
                        step.set("repo", repo.clone());
                    }
                    if let Some(branch) = &self.checkout_branch {
                        step.set("ref", branch.clone());
                    }
                }
            }
            _ => {}
        }
        if let Some((checkout, _)) = &self.checkout
            && IN_CHECKOUT.contains(&step.kind())
            && !(step.kind() == "run"
                && step
                    .kind_value()
                    .is_some_and(|command| command.starts_with("./")))
        {
            step.set("dir", checkout.dir.clone());
            step.set("clone", checkout.clone.clone());
        }
        step
    }

    /// A pull request: its head is the branch the workflow created (in the other checkout,
    /// drafted with its commit and push when the runbook leaves them implicit).
    fn pull_request(&mut self, mut step: DraftStep) -> DraftStep {
        let checkout = self.checkout.as_ref().map(|(checkout, _)| checkout.clone());
        let id_base = match &checkout {
            Some(checkout) => format!(
                "{}_pr",
                checkout
                    .dir
                    .trim_start_matches("../")
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            ),
            None => "pr".to_owned(),
        };
        let mut id = id_base.clone();
        let mut number = 2;
        while self.pull_requests.iter().any(|(used, _)| *used == id) {
            id = format!("{id_base}{number}");
            number += 1;
        }
        let head = match &checkout {
            // The head the runbook names (`gh pr create --head release-next`).
            _ if step.get("head").is_some() => step
                .get("head")
                .and_then(|head| head.as_str())
                .unwrap_or_default()
                .to_owned(),
            Some(checkout) => {
                if self.checkout_branch.is_none() {
                    let branch = "{project}-{version}".to_owned();
                    let inferred =
                        "not in the runbook: a pull request needs a branch with the changes on it";
                    self.push(
                        DraftStep::new("branch", branch.clone())
                            .with("dir", checkout.dir.clone())
                            .with("clone", checkout.clone.clone())
                            .comment(inferred),
                    );
                    self.push(
                        DraftStep::new("commit", "Update for {project} {version}")
                            .with("add", toml::Value::Array(vec!["**".into()]))
                            .with("dir", checkout.dir.clone())
                            .comment(format!("{inferred}; narrow `add` to the files that change")),
                    );
                    self.push(
                        DraftStep::new("push", "branch")
                            .with("dir", checkout.dir.clone())
                            .comment(inferred),
                    );
                    self.checkout_branch = Some(branch);
                }
                self.checkout_branch.clone().unwrap_or_default()
            }
            None => match self
                .current
                .steps()
                .rfind(|step| step.kind() == "branch")
                .and_then(|step| step.kind_value().map(str::to_owned))
            {
                Some(branch) => branch,
                None => {
                    step = step.comment("no branch is created before this: create `head` first");
                    "release/{version}".to_owned()
                }
            },
        };
        let mut fields = vec![
            ("pull-request".to_owned(), toml::Value::from("open")),
            ("id".to_owned(), id.clone().into()),
            ("head".to_owned(), head.into()),
            (
                "base".to_owned(),
                step.get("base")
                    .cloned()
                    .unwrap_or_else(|| self.facts.branch.clone().into()),
            ),
            (
                "title".to_owned(),
                step.get("title").cloned().unwrap_or_else(|| {
                    if checkout.is_some() {
                        "Update for {project} {version}".into()
                    } else {
                        "Release {version}".into()
                    }
                }),
            ),
        ];
        let repo = checkout.and_then(|checkout| checkout.repo);
        if let Some(repo) = &repo {
            fields.push(("repo".to_owned(), repo.clone().into()));
        }
        step.fields = fields;
        self.pull_requests.push((id, repo));
        step
    }
}
