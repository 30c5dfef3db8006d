//! The closed set of step kinds. Each kind lives in its own file with its resolved options and,
//! as the executor needs them, its plan rendering, execution, probe ("is my effect already
//! there?") and undo. `StepKind` is an enum, not a trait object: adding a kind is a compile error
//! everywhere a kind must be handled.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::plan::Effect;
use crate::template::{Template, Variables};

mod context;
mod process;

pub use context::{Checkout, Outcome, PlanCx, Probe, RunCx, StepError};
pub use process::run_command;
pub(crate) use process::still_running;

/// The context key under which a step records the identity of the command it started.
pub(crate) const CHILD_PROCESS: &str = "child_process";

pub mod branch;
pub mod bump;
pub mod changelog;
pub mod check;
pub mod checksums;
pub mod cherry_pick;
pub mod circleci;
pub mod commit;
pub mod dispatch;
pub mod email;
pub mod http;
pub mod manual;
pub mod merge;
pub mod merge_pull_request;
pub mod pull_request;
pub mod push;
pub mod release;
pub mod run;
pub mod slack;
pub mod switch;
pub mod tag;
pub mod verify;
pub mod wait;
pub mod webhook;

/// One step of a workflow, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepDef {
    /// 1-based position in the workflow.
    pub number: usize,
    /// The line of `[[workflow.NAME.step]]` in relman.toml, for messages.
    pub line: usize,
    pub name: Option<String>,
    pub id: Option<String>,
    /// A minijinja expression; the step is skipped when it is false.
    pub condition: Option<String>,
    #[serde(with = "duration_option")]
    pub timeout: Option<Duration>,
    /// How often a polling step (`wait`, `verify`, `dispatch`, `circleci`) looks: a fixed
    /// interval when set, else a back-off from 5 seconds to a minute.
    #[serde(default, with = "millis_option")]
    pub interval: Option<Duration>,
    pub retries: u32,
    /// Another checkout to act in.
    pub dir: Option<Template>,
    /// Where to clone `dir` from when it is missing.
    pub clone: Option<Template>,
    pub kind: StepKind,
}

/// What a step does, with its resolved options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StepKind {
    Check(check::CheckStep),
    Bump(bump::BumpStep),
    Changelog(changelog::ChangelogStep),
    Checksums(checksums::ChecksumsStep),
    Run(run::RunStep),
    Commit(commit::CommitStep),
    Tag(tag::TagStep),
    Push(push::PushStep),
    Branch(branch::BranchStep),
    Switch(switch::SwitchStep),
    Merge(merge::MergeStep),
    CherryPick(cherry_pick::CherryPickStep),
    Release(release::ReleaseStep),
    PullRequest(pull_request::PullRequestStep),
    MergePullRequest(merge_pull_request::MergePullRequestStep),
    Dispatch(dispatch::DispatchStep),
    Circleci(circleci::CircleciStep),
    Wait(wait::WaitStep),
    Verify(verify::VerifyStep),
    Http(http::HttpStep),
    Slack(slack::SlackStep),
    Webhook(webhook::WebhookStep),
    Email(email::EmailStep),
    Manual(manual::ManualStep),
}

impl StepKind {
    /// The kind key as written in relman.toml.
    pub fn key(&self) -> &'static str {
        match self {
            StepKind::Check(_) => "check",
            StepKind::Bump(_) => "bump",
            StepKind::Changelog(_) => "changelog",
            StepKind::Checksums(_) => "checksums",
            StepKind::Run(_) => "run",
            StepKind::Commit(_) => "commit",
            StepKind::Tag(_) => "tag",
            StepKind::Push(_) => "push",
            StepKind::Branch(_) => "branch",
            StepKind::Switch(_) => "switch",
            StepKind::Merge(_) => "merge",
            StepKind::CherryPick(_) => "cherry-pick",
            StepKind::Release(_) => "release",
            StepKind::PullRequest(_) => "pull-request",
            StepKind::MergePullRequest(_) => "merge-pull-request",
            StepKind::Dispatch(_) => "dispatch",
            StepKind::Circleci(_) => "circleci",
            StepKind::Wait(_) => "wait",
            StepKind::Verify(_) => "verify",
            StepKind::Http(_) => "http",
            StepKind::Slack(_) => "slack",
            StepKind::Webhook(_) => "webhook",
            StepKind::Email(_) => "email",
            StepKind::Manual(_) => "manual",
        }
    }

    /// The outputs the step exposes as `{steps.ID.NAME}`.
    pub fn outputs(&self) -> Vec<String> {
        let fixed: &[&str] = match self {
            StepKind::Check(_) | StepKind::Switch(_) | StepKind::Manual(_) => &[],
            StepKind::Bump(_) => &["version", "previous_version"],
            StepKind::Changelog(_) => &["changelog", "file"],
            StepKind::Checksums(_) => &["file"],
            StepKind::Run(_) => &["exit_code", "stdout"],
            StepKind::Commit(_) | StepKind::Merge(_) => &["sha"],
            StepKind::Tag(_) => &["tag", "sha"],
            StepKind::Push(_) => &["refs"],
            StepKind::Branch(_) => &["branch", "sha"],
            StepKind::CherryPick(_) => &["shas"],
            StepKind::Release(_) => &["url", "id", "upload_url"],
            StepKind::PullRequest(_) => &["number", "url"],
            StepKind::MergePullRequest(_) => &["sha"],
            StepKind::Dispatch(_) => &["run_id", "run_url", "conclusion"],
            StepKind::Circleci(_) => &["pipeline_id", "pipeline_number", "pipeline_url"],
            StepKind::Wait(_) | StepKind::Verify(_) => &["summary"],
            StepKind::Http(_) => &["status", "body"],
            StepKind::Slack(_) | StepKind::Webhook(_) => &["status"],
            StepKind::Email(_) => &["message_id"],
        };
        let mut outputs: Vec<String> = fixed.iter().map(|name| (*name).to_owned()).collect();
        if let StepKind::Http(step) = self {
            // `found` only says whether the effect is there; the outputs are `save`'s, which
            // `found` names too.
            outputs.extend(step.save.iter().map(|(name, _)| name.clone()));
        }
        outputs
    }

    /// The templates inside the step's JSON options (`json`, `payload`, `parameters`), whose
    /// strings are templates too.
    pub fn json_templates(&self) -> Vec<Template> {
        let values: Vec<&serde_json::Value> = match self {
            StepKind::Http(step) => step.json.iter().collect(),
            StepKind::Webhook(step) => vec![&step.payload],
            _ => Vec::new(),
        };
        let mut templates = Vec::new();
        for value in values {
            crate::config::visit_json_strings(value, &mut |text| {
                templates.extend(Template::parse(text).ok());
            });
        }
        if let StepKind::Circleci(step) = self {
            for value in step.parameters.values() {
                crate::config::visit_json_strings(value, &mut |text| {
                    templates.extend(Template::parse(text).ok());
                });
            }
        }
        templates
    }

    /// Every template in the step's options, with the option's name, for validation.
    pub fn templates(&self) -> Vec<(&'static str, &Template)> {
        let mut all = Vec::new();
        macro_rules! push {
            ($name:literal, $value:expr) => {
                all.push(($name, $value))
            };
        }
        macro_rules! push_opt {
            ($name:literal, $value:expr) => {
                if let Some(value) = $value.as_ref() {
                    all.push(($name, value))
                }
            };
        }
        macro_rules! push_all {
            ($name:literal, $values:expr) => {
                for value in $values.iter() {
                    all.push(($name, value))
                }
            };
        }
        match self {
            StepKind::Check(step) => {
                push_opt!("branch", step.branch);
                push_opt!("tag", step.tag);
                push_opt!("milestone", step.milestone);
                push_opt!("label", step.label);
                push_opt!("ref", step.git_ref);
            }
            StepKind::Bump(step) => {
                push!("bump", &step.level);
                push_opt!("pre", step.pre);
            }
            StepKind::Changelog(_) => {}
            StepKind::Checksums(step) => {
                push!("checksums", &step.pattern);
                push_opt!("output", step.output);
            }
            StepKind::Run(step) => {
                all.extend(
                    step.command
                        .templates()
                        .into_iter()
                        .map(|value| ("run", value)),
                );
                push_opt!("cwd", step.cwd);
                for (_, value) in &step.env {
                    push!("env", value);
                }
                if let Some(undo) = &step.undo {
                    all.extend(undo.templates().into_iter().map(|value| ("undo", value)));
                }
            }
            StepKind::Commit(step) => {
                push!("commit", &step.message);
                push_all!("add", step.add);
            }
            StepKind::Tag(step) => {
                push!("tag", &step.name);
                push_opt!("message", step.message);
            }
            StepKind::Push(_) => {}
            StepKind::Branch(step) => {
                push!("branch", &step.name);
                push_opt!("from", step.from);
            }
            StepKind::Switch(step) => push!("switch", &step.branch),
            StepKind::Merge(step) => {
                push!("merge", &step.into);
                push_opt!("message", step.message);
            }
            StepKind::CherryPick(step) => push_all!("cherry-pick", step.commits),
            StepKind::Release(step) => {
                push_opt!("tag", step.tag);
                push_opt!("name", step.title);
                push_opt!("notes", step.notes);
                push_all!("assets", step.assets);
                push_opt!("repo", step.repo);
            }
            StepKind::PullRequest(step) => {
                push!("head", &step.head);
                push!("base", &step.base);
                push!("title", &step.title);
                push_opt!("body", step.body);
                push_all!("reviewers", step.reviewers);
                push_all!("assignees", step.assignees);
                push_all!("labels", step.labels);
                push_opt!("repo", step.repo);
            }
            StepKind::MergePullRequest(step) => {
                push!("merge-pull-request", &step.number);
                push_opt!("repo", step.repo);
            }
            StepKind::Dispatch(step) => {
                push!("dispatch", &step.workflow);
                push_opt!("ref", step.git_ref);
                for (_, value) in &step.inputs {
                    push!("inputs", value);
                }
                push_opt!("artifacts", step.artifacts);
                push_opt!("repo", step.repo);
            }
            StepKind::Circleci(step) => {
                push_opt!("branch", step.branch);
                push_opt!("tag", step.tag);
                push_opt!("artifacts", step.artifacts);
                push_opt!("project", step.project);
            }
            StepKind::Wait(step) => step.collect_templates(&mut all),
            StepKind::Verify(step) => step.collect_templates(&mut all),
            StepKind::Http(step) => {
                push!("http", &step.url);
                push_opt!("find", step.find);
                for (_, value) in &step.headers {
                    push!("headers", value);
                }
                push_opt!("body", step.body);
            }
            StepKind::Slack(step) => {
                push!("slack", &step.channel);
                push!("message", &step.message);
            }
            StepKind::Webhook(step) => {
                push!("webhook", &step.url);
                for (_, value) in &step.headers {
                    push!("headers", value);
                }
            }
            StepKind::Email(step) => {
                push_all!("email", step.to);
                push_all!("cc", step.cc);
                push!("subject", &step.subject);
                push!("body", &step.body);
                push_opt!("from", step.from);
            }
            StepKind::Manual(step) => {
                push!("manual", &step.text);
                push_all!("checklist", step.checklist);
            }
        }
        all
    }
}

/// `Option<Duration>` as whole seconds, so the journal stays readable.
mod duration_option {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value
            .map(|duration| duration.as_secs())
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(deserializer)?.map(Duration::from_secs))
    }
}

/// `Option<Duration>` as milliseconds: poll intervals are often shorter than a second.
mod millis_option {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value
            .map(|duration| u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(deserializer)?.map(Duration::from_millis))
    }
}

/// The step's effects, for the plan.
pub(crate) fn preview(step: &StepDef, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
    let Some(dir) = &step.dir else {
        return preview_here(step, cx);
    };
    // In another checkout: say where, and leave checks to run time (the checkout may not even
    // exist before the step clones it).
    let place = match &step.clone {
        Some(url) => format!(
            "in `{}` (cloned from {} when missing)",
            cx.render(dir),
            cx.render(url)
        ),
        None => format!("in `{}`", cx.render(dir)),
    };
    let mut effects = vec![Effect::Note { text: place }];
    match &step.kind {
        StepKind::Check(check) => effects.push(Effect::Check {
            description: check.describe(
                &|template| cx.render(template),
                &cx.project.release_branch(),
            ),
            passed: None,
            detail: Some("checked in that checkout when its turn comes".to_owned()),
        }),
        _ => effects.extend(preview_here(step, cx)?),
    }
    Ok(effects)
}

fn preview_here(step: &StepDef, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
    match &step.kind {
        StepKind::Check(check) => Ok(vec![check_effect(check, cx)?]),
        StepKind::Bump(bump) => bump.preview(step.number, cx),
        StepKind::Changelog(changelog) => changelog.preview(cx),
        StepKind::Checksums(checksums) => checksums.preview(cx),
        StepKind::Run(run) => run.preview(cx),
        StepKind::Commit(commit) => commit.preview(cx),
        StepKind::Tag(tag) => tag.preview(cx),
        StepKind::Push(push) => push.preview(cx),
        StepKind::Branch(branch) => branch.preview(cx),
        StepKind::Switch(switch) => switch.preview(cx),
        StepKind::Merge(merge) => merge.preview(cx),
        StepKind::CherryPick(pick) => pick.preview(cx),
        StepKind::Manual(manual) => manual.preview(cx),
        StepKind::Release(_)
        | StepKind::PullRequest(_)
        | StepKind::MergePullRequest(_)
        | StepKind::Dispatch(_)
        | StepKind::Circleci(_)
        | StepKind::Wait(_)
        | StepKind::Verify(_)
        | StepKind::Http(_)
        | StepKind::Slack(_)
        | StepKind::Webhook(_)
        | StepKind::Email(_) => crate::remote::preview(step, cx),
    }
}

/// A check in the plan: run now when nothing changes before it, else when its turn comes.
fn check_effect(check: &check::CheckStep, cx: &mut PlanCx<'_>) -> Result<Effect, StepError> {
    let description = check.describe(
        &|template| cx.render(template),
        &cx.project.release_branch(),
    );
    if cx.sim.changed_anything {
        return Ok(Effect::Check {
            description,
            passed: None,
            detail: Some("checked when its turn comes".to_owned()),
        });
    }
    let version = cx
        .variables
        .get_key("version")
        .unwrap_or_default()
        .to_owned();
    let result = if check.check.is_remote() {
        crate::remote::check_at_plan(check, cx)?
    } else {
        let render = |template: &Template| cx.render_strict(template);
        check.evaluate(&check::CheckScope {
            project: cx.project,
            repo: &cx.project.repo,
            render: &render,
            version: &version,
        })?
    };
    let detail = match (&result.passed, &result.hint) {
        (false, Some(hint)) => format!("{}\nhint: {hint}", result.detail),
        _ => result.detail.clone(),
    };
    Ok(Effect::Check {
        description,
        passed: Some(result.passed),
        detail: Some(detail),
    })
}

/// What the step does, in a few words (its title when it has no `name`).
pub fn describe(kind: &StepKind, variables: &Variables) -> String {
    let render = |template: &Template| template.render_partial(variables);
    match kind {
        StepKind::Check(check) => format!("check: {}", check.check.name()),
        StepKind::Bump(bump) => format!("bump {}", render(&bump.level)),
        StepKind::Changelog(_) => "update the changelog".to_owned(),
        StepKind::Checksums(step) => format!("checksums of {}", render(&step.pattern)),
        StepKind::Run(run) => {
            let words: Vec<String> = run
                .command
                .templates()
                .iter()
                .map(|word| render(word))
                .collect();
            format!("run {}", words.join(" "))
        }
        StepKind::Commit(commit) => format!("commit \"{}\"", render(&commit.message)),
        StepKind::Tag(tag) => format!("tag {}", render(&tag.name)),
        StepKind::Push(push) => match (push.branch, push.tag) {
            (true, true) => "push branch and tag".to_owned(),
            (true, false) => "push branch".to_owned(),
            _ => "push tag".to_owned(),
        },
        StepKind::Branch(branch) => format!("create branch {}", render(&branch.name)),
        StepKind::Switch(switch) => format!("switch to {}", render(&switch.branch)),
        StepKind::Merge(merge) => format!("merge into {}", render(&merge.into)),
        StepKind::CherryPick(_) => "cherry-pick".to_owned(),
        StepKind::Manual(manual) => {
            let text = render(&manual.text);
            let first = text.lines().next().unwrap_or_default();
            if first.chars().count() > 60 {
                format!("manual: {}…", first.chars().take(59).collect::<String>())
            } else {
                format!("manual: {first}")
            }
        }
        other => crate::remote::describe(other, variables),
    }
}

/// Acts. The executor has recorded the step as running before calling this.
pub(crate) fn execute(step: &StepDef, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
    match &step.kind {
        StepKind::Check(check) => {
            let result = if check.check.is_remote() {
                crate::remote::check_at_run(check, cx)?
            } else {
                let version = cx.plan.version.clone();
                let variables = cx.variables();
                let render = |template: &Template| {
                    template
                        .render(&variables)
                        .map_err(|unresolved| StepError::new(unresolved.to_string()))
                };
                check.evaluate(&check::CheckScope {
                    project: cx.project,
                    repo: cx.repo(),
                    render: &render,
                    version: &version,
                })?
            };
            if result.passed {
                cx.output(&result.detail);
                Ok(Outcome::Done)
            } else {
                let mut error = StepError::new(result.detail);
                error.hint = result.hint;
                Err(error)
            }
        }
        StepKind::Bump(bump) => bump.execute(cx),
        StepKind::Changelog(changelog) => changelog.execute(cx),
        StepKind::Checksums(checksums) => checksums.execute(cx),
        StepKind::Run(run) => run.execute(cx, step.timeout),
        StepKind::Commit(commit) => commit.execute(cx),
        StepKind::Tag(tag) => tag.execute(cx),
        StepKind::Push(push) => push.execute(cx),
        StepKind::Branch(branch) => branch.execute(cx),
        StepKind::Switch(switch) => switch.execute(cx),
        StepKind::Merge(merge) => merge.execute(cx),
        StepKind::CherryPick(pick) => pick.execute(cx),
        StepKind::Manual(manual) => manual.execute(cx),
        other => crate::remote::execute(step, other, cx),
    }
}

/// Whether the step's effect is already there, for a step that was running when relman died.
pub(crate) fn probe(step: &StepDef, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
    match &step.kind {
        // Checks are read-only: running them again is the probe.
        StepKind::Check(_) => Ok(Probe::NotDone),
        StepKind::Bump(bump) => bump.probe(cx),
        StepKind::Changelog(changelog) => changelog.probe(cx),
        StepKind::Checksums(_) => Ok(Probe::NotDone),
        StepKind::Run(run) => Ok(if run.idempotent {
            Probe::NotDone
        } else {
            Probe::Unknown
        }),
        StepKind::Commit(commit) => commit.probe(cx),
        StepKind::Tag(tag) => tag.probe(cx),
        StepKind::Push(push) => push.probe(cx),
        StepKind::Branch(branch) => branch.probe(cx),
        StepKind::Switch(switch) => switch.probe(cx),
        StepKind::Merge(merge) => merge.probe(cx),
        StepKind::CherryPick(pick) => pick.probe(cx),
        // A person's step is done when they say so.
        StepKind::Manual(_) => Ok(Probe::NotDone),
        other => crate::remote::probe(step, other, cx),
    }
}
