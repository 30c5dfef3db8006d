//! The closed set of step kinds, listed once below. Each kind is one module (a file, or a
//! folder for a big kind) that owns its options, validation, plan rendering, execution, probe
//! ("is my effect already there?"), undo, outputs and docs text, by implementing
//! [`crate::core::Kind`]. `StepKind` is an enum generated from the list below, not a trait
//! object: adding a kind is its module, declared here, and its line in the list.

mod registry;
pub(crate) mod shell_line;

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained};
use crate::core::options::{Options, Reported};
use crate::core::{Effect, Kind, KindSpec, UndoCommand};
use crate::template::{Template, Variables};

pub use crate::core::{Checkout, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, run_command};

// Each kind's module. (Declared here rather than by `kinds!`: rustfmt does not look inside
// macros, so a module declared there would go unformatted and `cargo fmt --check` would not
// see it. A kind is thus its `mod` line and its list line; the tests of `registry.rs` fail when
// a module implementing `Kind` is not listed, or the docs' table of kinds disagrees.)
pub mod bluesky;
pub mod branch;
pub mod build;
pub mod bump;
pub mod changelog;
pub mod check;
pub mod checksums;
pub mod cherry_pick;
pub mod circleci;
pub mod commit;
pub mod delete_branch;
pub mod discourse;
pub mod dispatch;
pub mod edit;
pub mod email;
pub mod homebrew;
pub mod http;
pub mod manual;
pub mod mastodon;
pub mod merge;
pub mod merge_pull_request;
pub mod publish;
pub mod pull;
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

// The list of kinds. A kind's position here is its place in the schema, the docs and messages.
registry::kinds! {
    Check(check::CheckStep),
    Bump(bump::BumpStep),
    Changelog(changelog::ChangelogStep),
    Checksums(checksums::ChecksumsStep),
    Build(build::BuildStep),
    Edit(edit::EditStep),
    Homebrew(homebrew::HomebrewStep),
    Run(run::RunStep),
    Commit(commit::CommitStep),
    Tag(tag::TagStep),
    Push(push::PushStep),
    Branch(branch::BranchStep),
    Switch(switch::SwitchStep),
    Merge(merge::MergeStep),
    Pull(pull::PullStep),
    DeleteBranch(delete_branch::DeleteBranchStep),
    CherryPick(cherry_pick::CherryPickStep),
    Release(release::ReleaseStep),
    PullRequest(pull_request::PullRequestStep),
    MergePullRequest(merge_pull_request::MergePullRequestStep),
    Dispatch(dispatch::DispatchStep),
    Circleci(circleci::CircleciStep),
    Wait(wait::WaitStep),
    Publish(publish::PublishStep),
    Verify(verify::VerifyStep),
    Http(http::HttpStep),
    Slack(slack::SlackStep),
    Webhook(webhook::WebhookStep),
    Email(email::EmailStep),
    Mastodon(mastodon::MastodonStep),
    Bluesky(bluesky::BlueskyStep),
    Discourse(discourse::DiscourseStep),
    Manual(manual::ManualStep),
}

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

impl StepDef {
    /// What its kind may know of it besides its own options.
    pub fn info(&self) -> StepInfo<'_> {
        StepInfo {
            number: self.number,
            id: self.id.as_deref(),
            timeout: self.timeout,
            interval: self.interval,
        }
    }
}

/// Every kind in the order the docs, the schema and messages list them: the kinds whose key is
/// never another kind's option first, then the git kinds that yield to them.
pub fn listed() -> impl Iterator<Item = &'static KindSpec> {
    let first = SPECS.iter().filter(|spec| !spec.yields);
    let then = SPECS.iter().filter(|spec| spec.yields);
    first.chain(then).copied()
}

/// The spec of the kind named `key`.
pub fn spec(key: &str) -> Option<&'static KindSpec> {
    SPECS.iter().find(|spec| spec.key == key).copied()
}

impl StepKind {
    /// The kind key as written in relman.toml.
    pub fn key(&self) -> &'static str {
        self.spec().key
    }

    /// The placeholders of every template among its options, JSON options' strings included.
    pub fn placeholders(&self) -> Vec<crate::template::Placeholder> {
        let json = self.json_templates();
        self.templates()
            .into_iter()
            .map(|(_, template)| template)
            .chain(json.iter())
            .flat_map(|template| template.placeholders().cloned())
            .collect()
    }

    /// The files its templates read (`{file:PATH}`), in order, once each.
    pub fn file_paths(&self) -> Vec<String> {
        let mut paths = Vec::new();
        for placeholder in self.placeholders() {
            if let crate::template::Placeholder::File(path) = placeholder
                && !paths.contains(&path)
            {
                paths.push(path);
            }
        }
        paths
    }

    /// The templates inside the step's JSON options (`json`, `payload`, `parameters`), whose
    /// strings are templates too.
    pub fn json_templates(&self) -> Vec<Template> {
        let mut templates = Vec::new();
        for value in self.json_values() {
            crate::core::options::visit_json_strings(value, &mut |text| {
                templates.extend(Template::parse(text).ok());
            });
        }
        templates
    }
}

/// The step's effects, for the plan.
pub(crate) fn preview(step: &StepDef, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
    let Some(dir) = &step.dir else {
        return step.kind.preview_kind(&step.info(), cx);
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
    effects.extend(step.kind.preview_in_checkout(&step.info(), cx)?);
    Ok(effects)
}

/// What the step does, in a few words (its title when it has no `name`).
pub fn describe(kind: &StepKind, variables: &Variables) -> String {
    kind.describe(variables)
}

/// Acts. The executor has recorded the step as running before calling this.
pub(crate) fn execute(step: &StepDef, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
    step.kind.execute_kind(&step.info(), cx)
}

/// Whether the step's effect is already there, for a step that was running when relman died.
pub(crate) fn probe(step: &StepDef, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
    step.kind.probe_kind(&step.info(), cx)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_named_by_its_key_in_the_journal() {
        for spec in SPECS {
            // The variant's serde name must be the kind's key: the journal records kinds by it.
            let error = serde_json::from_value::<StepKind>(serde_json::json!({ "kind": spec.key }))
                .expect_err("a kind without its options does not read");
            assert!(
                !error.to_string().contains("unknown variant"),
                "`{}` is not the serde name of its variant: {error}",
                spec.key
            );
        }
    }

    #[test]
    fn no_two_kinds_share_a_key() {
        for (index, spec) in SPECS.iter().enumerate() {
            assert!(
                SPECS[index + 1..].iter().all(|other| other.key != spec.key),
                "two kinds are named `{}`",
                spec.key
            );
        }
    }
}
