//! `release = "draft" | "publish"`: the forge release for the tag, created or updated, with the
//! changelog section as notes and assets uploaded.

use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, codes, labelled_text, show_code};
use crate::core::options::{OptionSpec, Options, Reported};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseStep {
    pub action: ReleaseAction,
    /// Default `{tag}`.
    pub tag: Option<Template>,
    /// The release title (`name` in relman.toml); default the tag.
    pub title: Option<Template>,
    /// Default: this release's changelog section.
    pub notes: Option<Template>,
    pub assets: Vec<Template>,
    /// Default: whether the version is a pre-release.
    pub prerelease: Option<bool>,
    /// A release that exists keeps its notes (people edited the draft); the notes are only
    /// those of a release the step creates.
    #[serde(default)]
    pub keep_notes: bool,
    pub repo: Option<Template>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseAction {
    Draft,
    Publish,
}

/// What `keep-notes` means, for the schema.
const KEEP_NOTES: &str =
    "On `release` steps: a release that exists keeps its notes (people edited the draft).";

impl Kind for ReleaseStep {
    const SPEC: KindSpec = KindSpec {
        values: &["draft", "publish"],
        options: &[
            OptionSpec::string("tag"),
            OptionSpec::string("notes"),
            OptionSpec::flag("keep-notes").about(KEEP_NOTES),
            OptionSpec::list("assets"),
            OptionSpec::flag("prerelease"),
            OptionSpec::string("repo"),
        ],
        owns_name: true,
        outputs: &["url", "id", "upload_url"],
        ..KindSpec::new(
            "release",
            "create, update or publish the forge release for the tag",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let value = options.string("release").ok_or(Reported)?;
        let action = match options.one_of(&value, "release", &["draft", "publish"])? {
            "draft" => ReleaseAction::Draft,
            _ => ReleaseAction::Publish,
        };
        Ok(ReleaseStep {
            action,
            tag: options.template("tag")?,
            title: options.template("name")?,
            notes: options.template("notes")?,
            assets: options.templates("assets")?,
            prerelease: options.flag("prerelease"),
            keep_notes: options.flag("keep-notes").unwrap_or(false),
            repo: options.template("repo")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .opt("tag", &self.tag)
            .opt("name", &self.title)
            .opt("notes", &self.notes)
            .all("assets", &self.assets)
            .opt("repo", &self.repo)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        let render = |template: &Template| template.render_partial(variables);
        let tag = |template: Option<&Template>| {
            template.map_or_else(
                || variables.get_key("tag").unwrap_or("{tag}").to_owned(),
                render,
            )
        };
        let step = self;
        format!(
            "{} the GitHub release {}",
            match step.action {
                ReleaseAction::Draft => "draft",
                ReleaseAction::Publish => "publish",
            },
            tag(step.tag.as_ref())
        )
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        let release = self;
        let tag = release
            .tag
            .as_ref()
            .map_or_else(|| "`{tag}`".to_owned(), show_code);
        let explained = match release.action {
            ReleaseAction::Draft => Explained::new(format!(
                "Create (or update) a draft GitHub release for {tag}."
            )),
            ReleaseAction::Publish => Explained::new(format!(
                "Publish the GitHub release for {tag} (created if there is none)."
            )),
        };
        explained
            .detail(match (&release.notes, release.keep_notes) {
                (Some(notes), false) => labelled_text("Its notes", notes),
                (None, false) => "Its notes are this release's changelog section.".to_owned(),
                (Some(notes), true) => format!(
                    "A release that exists keeps the notes it has (edited by hand); a new one gets {}.",
                    show_code(notes)
                ),
                (None, true) => "A release that exists keeps the notes it has (edited by hand); a new one gets this release's changelog section.".to_owned(),
            })
            .detail_if(
                release.title.is_some(),
                format!(
                    "Its title: {}.",
                    release.title.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail_if(
                !release.assets.is_empty(),
                format!("With the files {}.", codes(&release.assets)),
            )
            .detail(match release.prerelease {
                Some(true) => "Marked as a pre-release.",
                Some(false) => "Not marked as a pre-release.",
                None => "Marked as a pre-release when the version is one.",
            })
            .detail_if(
                release.repo.is_some(),
                format!(
                    "In the repository {}.",
                    release.repo.as_ref().map(show_code).unwrap_or_default()
                ),
            )
            .detail("Later steps can use its address as `{release_url}`.")
    }

    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let _ = step;
        crate::remote::release::preview(self, cx)
    }

    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let _ = step;
        crate::remote::release::execute(self, cx)
    }

    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let _ = step;
        crate::remote::release::probe(self, cx)
    }
}
