//! Steps that reach outside the repository: the forge (releases, pull requests, Actions runs,
//! checks, milestones), CircleCI, package indexes and registries, and people (Slack, webhooks,
//! any HTTP API, email).
//!
//! Each kind is planned as the requests it will send (`Effect::Http`, rendered through
//! `RequestDescription::render` with every secret masked; nothing is sent, except by the remote
//! checks, which only read) and executed through `relman-remote`, following the journal
//! discipline of `docs/engine.md`: what the probe needs to recognise the step's effect is recorded
//! before the request that creates it, and every create looks before it creates.
//!
//! One file per family: [`release`], [`pull_request`] (open, merge, wait until merged),
//! [`checks`] (`ci-green`, `milestone-closed`, `no-open-issues` and `wait = "checks"`),
//! [`dispatch`], [`circleci`], [`verify`] (`verify = ...` and `wait = "url"`), [`announce`]
//! (`http`, `slack`, `webhook`) and [`email`]; [`client`] builds the clients from the project and
//! the environment, [`polling`] is the wait loop every waiting step shares.

mod announce;
mod checks;
mod circleci;
mod client;
mod dispatch;
mod email;
pub(crate) mod polling;
mod pull_request;
mod release;
mod verify;

use std::path::{Path, PathBuf};

use relman_remote::{Redactor, RenderedRequest};

use crate::plan::Effect;
use crate::steps::check::{CheckResult, CheckStep};
use crate::steps::wait::WaitStep;
use crate::steps::{Outcome, PlanCx, Probe, RunCx, StepDef, StepError, StepKind};
use crate::template::{Template, Variables};

/// What the step will send, for the plan.
pub(crate) fn preview(step: &StepDef, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
    match &step.kind {
        StepKind::Release(release) => release::preview(release, cx),
        StepKind::PullRequest(pull) => pull_request::preview_open(pull, cx),
        StepKind::MergePullRequest(merge) => pull_request::preview_merge(merge, cx),
        StepKind::Wait(WaitStep::PrMerged { pr, repo }) => {
            pull_request::preview_wait(step, pr.as_ref(), repo.as_ref(), cx)
        }
        StepKind::Wait(WaitStep::Checks {
            git_ref,
            rerun_failed,
            repo,
            token_env,
        }) => checks::preview_wait(
            step,
            &checks::WaitChecks {
                git_ref: git_ref.as_ref(),
                rerun_failed: *rerun_failed,
                repo: repo.as_ref(),
                token_env,
            },
            cx,
        ),
        StepKind::Wait(WaitStep::Url { .. }) | StepKind::Verify(_) => verify::preview(step, cx),
        StepKind::Dispatch(dispatch) => dispatch::preview(step, dispatch, cx),
        StepKind::Circleci(pipeline) => circleci::preview(step, pipeline, cx),
        StepKind::Http(http) => announce::preview_http(http, cx),
        StepKind::Slack(slack) => announce::preview_slack(slack, cx),
        StepKind::Webhook(webhook) => announce::preview_webhook(webhook, cx),
        StepKind::Email(email) => email::preview(email, cx),
        other => Err(not_remote(other)),
    }
}

/// The step's title when it has no `name`: what it does, in a few words.
pub(crate) fn describe(kind: &StepKind, variables: &Variables) -> String {
    let render = |template: &Template| template.render_partial(variables);
    let tag = |template: Option<&Template>| {
        template.map_or_else(
            || variables.get_key("tag").unwrap_or("{tag}").to_owned(),
            render,
        )
    };
    // Titles land in the journal and the terminal: a URL's password or token never shows.
    let url = |template: &Template| Redactor::new().redact(&render(template));
    match kind {
        StepKind::Release(step) => format!(
            "{} the GitHub release {}",
            match step.action {
                crate::steps::release::ReleaseAction::Draft => "draft",
                crate::steps::release::ReleaseAction::Publish => "publish",
            },
            tag(step.tag.as_ref())
        ),
        StepKind::PullRequest(step) => format!(
            "open a pull request from {} into {}",
            render(&step.head),
            render(&step.base)
        ),
        StepKind::MergePullRequest(step) => {
            format!("merge pull request #{}", render(&step.number))
        }
        StepKind::Wait(WaitStep::Checks { git_ref, .. }) => match git_ref {
            Some(git_ref) => format!("wait for checks on {}", render(git_ref)),
            None => "wait for checks on the release commit".to_owned(),
        },
        StepKind::Wait(WaitStep::PrMerged { pr, .. }) => format!(
            "wait until pull request #{} is merged",
            pr.as_ref().map_or_else(|| "{pr_number}".to_owned(), render)
        ),
        StepKind::Wait(WaitStep::Url { url: target, .. }) => {
            format!("wait until {} answers", url(target))
        }
        StepKind::Verify(step) => verify::describe(step, variables),
        StepKind::Dispatch(step) => {
            format!("dispatch {} and wait for its run", render(&step.workflow))
        }
        StepKind::Circleci(step) => match (&step.branch, &step.tag) {
            (_, Some(tag)) => format!("run a CircleCI pipeline on tag {}", render(tag)),
            (Some(branch), None) => format!("run a CircleCI pipeline on {}", render(branch)),
            (None, None) => "run a CircleCI pipeline".to_owned(),
        },
        StepKind::Http(step) => format!("{} {}", step.method, url(&step.url)),
        StepKind::Slack(step) => format!("post to Slack {}", render(&step.channel)),
        StepKind::Webhook(step) => format!("post to the webhook {}", url(&step.url)),
        StepKind::Email(step) => {
            let to: Vec<String> = step.to.iter().map(render).collect();
            format!("email {}: {}", to.join(", "), render(&step.subject))
        }
        other => other.key().to_owned(),
    }
}

/// A forge check (`ci-green`, `milestone-closed`, `no-open-issues`) while the plan is made. It
/// reads the forge for real; a failure to ask (no token, the forge down) is a failed check, so
/// the plan shows it and `run` does not start.
pub(crate) fn check_at_plan(
    check: &CheckStep,
    cx: &mut PlanCx<'_>,
) -> Result<CheckResult, StepError> {
    checks::check_at_plan(check, cx)
}

/// A forge check when its turn comes: a failure to ask fails the step (`resume` asks again).
pub(crate) fn check_at_run(
    check: &CheckStep,
    cx: &mut RunCx<'_>,
) -> Result<CheckResult, StepError> {
    checks::check_at_run(check, cx)
}

/// Acts. Waiting steps pause (exit 3) when their `timeout` passes.
pub(crate) fn execute(
    step: &StepDef,
    kind: &StepKind,
    cx: &mut RunCx<'_>,
) -> Result<Outcome, StepError> {
    match kind {
        StepKind::Release(release) => release::execute(release, cx),
        StepKind::PullRequest(pull) => pull_request::execute_open(pull, cx),
        StepKind::MergePullRequest(merge) => pull_request::execute_merge(merge, cx),
        StepKind::Wait(WaitStep::PrMerged { pr, repo }) => {
            pull_request::execute_wait(step, pr.as_ref(), repo.as_ref(), cx)
        }
        StepKind::Wait(WaitStep::Checks {
            git_ref,
            rerun_failed,
            repo,
            token_env,
        }) => checks::execute_wait(
            step,
            &checks::WaitChecks {
                git_ref: git_ref.as_ref(),
                rerun_failed: *rerun_failed,
                repo: repo.as_ref(),
                token_env,
            },
            cx,
        ),
        StepKind::Wait(WaitStep::Url { .. }) | StepKind::Verify(_) => verify::execute(step, cx),
        StepKind::Dispatch(dispatch) => dispatch::execute(step, dispatch, cx),
        StepKind::Circleci(pipeline) => circleci::execute(step, pipeline, cx),
        StepKind::Http(http) => announce::execute_http(step, http, cx),
        StepKind::Slack(slack) => announce::execute_slack(step, slack, cx),
        StepKind::Webhook(webhook) => announce::execute_webhook(step, webhook, cx),
        StepKind::Email(email) => email::execute(email, cx),
        other => Err(not_remote(other)),
    }
}

/// Whether the step's effect is already there, for a step relman stopped in. Messages have no
/// probe (no service says whether it already got one): they answer `Unknown`, and the executor
/// pauses for a person, unless an `http` step is marked `idempotent`.
pub(crate) fn probe(
    step: &StepDef,
    kind: &StepKind,
    cx: &mut RunCx<'_>,
) -> Result<Probe, StepError> {
    match kind {
        StepKind::Release(release) => release::probe(release, cx),
        StepKind::PullRequest(pull) => pull_request::probe_open(pull, cx),
        StepKind::MergePullRequest(merge) => pull_request::probe_merge(merge, cx),
        StepKind::Wait(WaitStep::PrMerged { pr, repo }) => {
            pull_request::probe_wait(pr.as_ref(), repo.as_ref(), cx)
        }
        StepKind::Wait(WaitStep::Checks { git_ref, repo, .. }) => {
            checks::probe_wait(git_ref.as_ref(), repo.as_ref(), cx)
        }
        StepKind::Wait(WaitStep::Url { .. }) | StepKind::Verify(_) => verify::probe(step, cx),
        StepKind::Dispatch(dispatch) => dispatch::probe(dispatch, cx),
        StepKind::Circleci(pipeline) => circleci::probe(pipeline, cx),
        StepKind::Http(http) => announce::probe_http(step, http, cx),
        StepKind::Slack(_) | StepKind::Webhook(_) | StepKind::Email(_) => Ok(Probe::Unknown),
        other => Err(not_remote(other)),
    }
}

fn not_remote(kind: &StepKind) -> StepError {
    StepError::new(format!(
        "invariant: `{}` is not a remote step kind",
        kind.key()
    ))
}

/// A rendered request as a plan effect, masked once more with the engine's redactor (every secret
/// environment value, not only the client's own credentials).
fn http_effect(rendered: &RenderedRequest, redactor: &Redactor) -> Effect {
    Effect::Http {
        method: rendered.method.to_string(),
        url: redactor.redact(&rendered.url),
        body: rendered.body.as_deref().map(|body| redactor.redact(body)),
    }
}

/// A note in the plan, masked.
fn note(text: impl AsRef<str>, redactor: &Redactor) -> Effect {
    Effect::Note {
        text: redactor.redact(text.as_ref()),
    }
}

/// A JSON value whose strings are templates (`json`, `payload`, `parameters`), rendered string
/// by string, so a value can never break the JSON around it.
fn render_json(
    value: &serde_json::Value,
    render: &mut dyn FnMut(&Template) -> Result<String, StepError>,
) -> Result<serde_json::Value, StepError> {
    Ok(match value {
        serde_json::Value::String(source) => {
            let template = Template::parse(source).map_err(|error| {
                StepError::new(format!(
                    "invariant: `{source}` was validated as a template: {error}"
                ))
            })?;
            serde_json::Value::String(render(&template)?)
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|item| render_json(item, render))
                .collect::<Result<_, _>>()?,
        ),
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(key, item)| Ok((key.clone(), render_json(item, render)?)))
                .collect::<Result<_, StepError>>()?,
        ),
        other => other.clone(),
    })
}

/// The first seven characters of a commit id, as git shows it; any other ref as it is.
fn short(git_ref: &str) -> &str {
    if git_ref.len() == 40 && git_ref.chars().all(|c| c.is_ascii_hexdigit()) {
        &git_ref[..7]
    } else {
        git_ref
    }
}

/// The context key a step that downloads a run's artifacts sets once they are all in: a resume
/// neither downloads them again nor calls the step done before they are.
const ARTIFACTS_DONE: &str = "artifacts_done";

/// Downloads a run's artifacts into `dir` (under the work tree) through `download`, unless an
/// earlier run of the step did; names each file, then records in the journal that they are in.
fn download_artifacts_once(
    cx: &mut RunCx<'_>,
    dir: &str,
    download: impl FnOnce(&Path) -> Result<Vec<PathBuf>, StepError>,
) -> Result<(), StepError> {
    if cx.context_value(ARTIFACTS_DONE) == Some("yes") {
        return Ok(());
    }
    let files = download(&cx.root().join(dir))?;
    for file in &files {
        cx.output(&format!(
            "downloaded {}",
            cx.project.display_path(file).display()
        ));
    }
    cx.set_context(ARTIFACTS_DONE, "yes");
    cx.save()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_templates_render_inside_strings_only() {
        let value =
            serde_json::json!({"summary": "Deploy {version}", "count": 2, "tags": ["{tag}", true]});
        let mut variables = Variables::new();
        variables.set("version", "1.2.3");
        variables.set("tag", "v1.2.3\"}");
        let rendered = render_json(&value, &mut |template| {
            Ok(template.render_partial(&variables))
        })
        .unwrap();
        assert_eq!(
            rendered,
            serde_json::json!({"summary": "Deploy 1.2.3", "count": 2, "tags": ["v1.2.3\"}", true]})
        );
    }

    #[test]
    fn commit_ids_are_shortened() {
        assert_eq!(short("0123456789abcdef0123456789abcdef01234567"), "0123456");
        assert_eq!(short("main"), "main");
    }
}
