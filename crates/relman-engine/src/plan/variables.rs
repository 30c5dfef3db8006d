//! Everything a plan computes before looking at steps: the history since the last release, the
//! current version, the version each `bump` step writes, this release's changelog section, and
//! the variables templates resolve against.

use std::collections::BTreeMap;

use relman_version::date::Date;
use relman_version::version::Version;

use super::PlanError;
use super::condition::{self, Condition};
use crate::config::{Config, Workflow};
use crate::core::PlanInputs;
use crate::environment::Environment;
use crate::kinds::{StepError, StepKind};
use crate::project::{History, KnownReleases, NextVersion, Project, spell_dev_like};
use crate::template::{Placeholder, Template, Variables};

/// What a plan of a package of several starts from, read once for every package.
pub(crate) struct Given<'a> {
    /// The history, read already.
    pub history: History,
    /// The release tags known already (`None`: they are listed here, the remote's included).
    pub known: Option<KnownReleases>,
    /// The level the first bump takes whatever the workflow says: `patch` for a dependent that
    /// follows, a version the changesets decided.
    pub forced_level: Option<&'a str>,
}

impl PlanInputs {
    /// Reads history and versions and computes every bump of `workflow`.
    pub fn gather(
        project: &Project,
        config: &Config,
        env: &Environment,
        workflow: &Workflow,
        args: &BTreeMap<String, String>,
        pre_label: Option<&str>,
    ) -> Result<PlanInputs, PlanError> {
        let _ = config;
        let history = project.history(project.changelog.include_other)?;
        let given = Given {
            history,
            known: None,
            forced_level: None,
        };
        Self::gather_with(project, env, workflow, args, pre_label, given)
    }

    /// Like [`gather`](Self::gather) from what is `given`.
    pub(crate) fn gather_with(
        project: &Project,
        env: &Environment,
        workflow: &Workflow,
        args: &BTreeMap<String, String>,
        pre_label: Option<&str>,
        given: Given<'_>,
    ) -> Result<PlanInputs, PlanError> {
        let Given {
            history,
            mut known,
            forced_level,
        } = given;
        let mut warnings: Vec<String> = Vec::new();
        let current = project.current_version(history.previous.as_ref())?;
        let today = Date::from_unix_seconds(env.release_time());

        // Bump steps are decided before anything else, from the arguments alone: their results
        // are what every other variable depends on.
        let mut arg_vars = Variables::new();
        for (name, value) in args {
            arg_vars.set(format!("args.{name}"), value.clone());
        }
        let mut bumps = BTreeMap::new();
        let mut version: Option<Version> = None;
        let mut dev_version = None;
        let mut nothing_to_release = None;
        let mut latest = current.version.clone();
        for step in &workflow.steps {
            let StepKind::Bump(bump) = &step.kind else {
                continue;
            };
            if let Some(source) = &step.condition {
                let mut context = serde_json::json!({ "args": arg_vars.to_context().get("args").cloned().unwrap_or_default() });
                type_strings(&mut context);
                match condition::evaluate(
                    source,
                    &minijinja::Value::from(minijinja::value::Serde(&context)),
                ) {
                    Ok(Condition::False) => continue,
                    Ok(Condition::True) => {}
                    Ok(Condition::AtRunTime) | Err(_) => {
                        return Err(PlanError::Step {
                            number: step.number,
                            line: step.line,
                            title: "bump".to_owned(),
                            error: Box::new(StepError::new(format!("the `if` of a bump step can only use `args`: `{source}`"))
                                .with_hint("the version decides everything else, so it is settled before the other variables exist")),
                        });
                    }
                }
            }
            let render = |template: &Template| {
                template
                    .render(&arg_vars)
                    .map_err(|unresolved| PlanError::Step {
                        number: step.number,
                        line: step.line,
                        title: "bump".to_owned(),
                        error: Box::new(StepError::new(format!(
                            "{unresolved}: a bump level can only use `args`"
                        ))),
                    })
            };
            // A dependent released because a package it requires moved takes a patch release.
            let level = match forced_level {
                Some(level) if version.is_none() => level.to_owned(),
                _ => render(&bump.level)?,
            };
            if version.is_some() && level == "auto" {
                return Err(PlanError::Step {
                    number: step.number,
                    line: step.line,
                    title: "bump auto".to_owned(),
                    error: Box::new(later_auto()),
                });
            }
            let label = match &bump.pre {
                Some(pre) => Some(render(pre)?),
                None if version.is_none() => pre_label.map(str::to_owned),
                None => None,
            };
            let next_options = NextVersion {
                level: &level,
                pre_label: label.as_deref(),
                impact: if version.is_none() {
                    history.impact
                } else {
                    relman_version::bump::Impact::None
                },
                today,
                allow_downgrade: bump.allow_downgrade,
            };
            // The release's version is checked against history (never backwards, never a
            // version a tag has); a later bump (the next development version) is not tagged.
            let next = if version.is_none() {
                let known = match known.take() {
                    Some(known) => known,
                    None => {
                        let known = project.known_releases(true)?;
                        if let Some(problem) = &known.remote_problem {
                            warnings.push(format!(
                                "could not list the tags of `{}` ({problem}): only this clone's tags were checked",
                                project.remote
                            ));
                        }
                        known
                    }
                };
                project
                    .propose(&current, &history, &next_options, &known)
                    .map(|proposal| {
                        warnings.extend(proposal.notes);
                        proposal.version
                    })
            } else {
                project
                    .next_version(&latest, &next_options)
                    .map(|next| next.map(|next| spell_dev_like(next, &current.version)))
            };
            let next = next.map_err(|error| PlanError::Step {
                number: step.number,
                line: step.line,
                title: format!("bump {level}"),
                error: Box::new(StepError::from_project(error)),
            })?;
            match next {
                Some(next) => {
                    bumps.insert(step.number, (latest.clone(), next.clone()));
                    if version.is_none() {
                        version = Some(next.clone());
                    } else {
                        dev_version = Some(next.clone());
                    }
                    latest = next;
                }
                None => {
                    let since = history.previous.as_ref().map_or_else(
                        || "the first commit".to_owned(),
                        |release| release.tag.clone(),
                    );
                    let fragments = project.towncrier().map(|config| {
                        format!(
                            "no news fragment in {}, and ",
                            project.display_path(&config.fragment_root()).display()
                        )
                    });
                    let fragments = fragments.unwrap_or_default();
                    nothing_to_release = Some(match history.commits {
                        0 => format!("nothing to release: {fragments}no commit since {since}"),
                        1 => format!(
                            "nothing to release: {fragments}the one commit since {since} is not a feature, a fix or a breaking change"
                        ),
                        count => format!(
                            "nothing to release: {fragments}none of the {count} commits since {since} is a feature, a fix or a breaking change"
                        ),
                    });
                    break;
                }
            }
        }
        if version.is_none() && nothing_to_release.is_none() && bumps.is_empty() {
            // No bump: the workflow releases the version already in the files.
            version = Some(current.version.clone());
            // Already tagged: the steps act on that release (a post-release workflow), they
            // make no new one; said, so that a workflow meant to release is not misread.
            if let Some(previous) = &history.previous
                && previous.version == current.version
            {
                warnings.push(format!(
                    "{} has its release tag `{}` already and no `bump` of this workflow writes a new version: its steps act on that release (to make a new one, add `bump = \"{{args.bump}}\"` before them)",
                    current.version, previous.tag
                ));
            }
        }
        if history.previous.is_none() && project.version_files.is_empty() && !current.unreleased {
            warnings.push("no release tag found: this is the first release".to_owned());
        }
        if let Some(note) = project.ignored_tags_note(&history.ignored_tags) {
            warnings.push(note);
        }
        for left_out in &project.left_out {
            warnings.push(format!(
                "`{}` is not a version file: {}",
                left_out.path, left_out.reason
            ));
        }
        let needs_changelog = workflow.steps.iter().any(|step| {
            step.kind.needs_changelog()
                || step
                    .kind
                    .templates()
                    .iter()
                    .any(|(_, template)| uses(template, "changelog"))
                || step
                    .kind
                    .json_templates()
                    .iter()
                    .any(|template| uses(template, "changelog"))
        });
        // A workflow that writes no changelog releases the notes a person already wrote in the
        // file (as in a runbook where the entry is part of the version bump); only when the file
        // has no section for the version are notes rendered from commits or fragments.
        let writes_changelog = workflow
            .steps
            .iter()
            .any(|step| step.kind.spec().writes_changelog);
        let changelog = match (&version, needs_changelog) {
            (Some(version), true) => match project.written_section(version) {
                Some(written) if !writes_changelog => Some(written),
                _ => Some(project.render_changelog(&history, version, &today.to_string())?),
            },
            _ => None,
        };
        Ok(PlanInputs {
            history,
            current,
            version,
            bumps,
            dev_version,
            nothing_to_release,
            today,
            args: args.clone(),
            changelog,
            warnings,
            tags: Vec::new(),
            requirements: Vec::new(),
        })
    }
}

/// A later `bump` (the next development version) cannot be `auto`: no commit comes after the
/// release to decide from, and "nothing to release" would be wrong.
fn later_auto() -> StepError {
    StepError::new("a later `bump` cannot be `auto`: the commits decide the release's version, and none come after it")
        .with_hint("write the level of the next development version: `bump = \"dev\"`, `\"preminor\"`, `\"prepatch\"` …")
}

/// The `bump` steps after the first whose level is `auto` as written.
pub(super) fn later_auto_bumps(workflow: &Workflow) -> Vec<(usize, StepError)> {
    workflow
        .steps
        .iter()
        .filter_map(|step| match &step.kind {
            StepKind::Bump(bump) => Some((step.number, bump)),
            _ => None,
        })
        .skip(1)
        .filter(|(_, bump)| bump.level.source() == "auto")
        .map(|(number, _)| (number, later_auto()))
        .collect()
}

/// Whether a step uses this release's section without writing it (release notes, a pull
/// request's body, an announcement): the section is read again from the file when it runs.
pub(crate) fn reads_changelog(kind: &StepKind) -> bool {
    !kind.spec().writes_changelog
        && (kind.needs_changelog()
            || kind
                .templates()
                .iter()
                .any(|(_, template)| uses(template, "changelog"))
            || kind
                .json_templates()
                .iter()
                .any(|template| uses(template, "changelog")))
}

fn uses(template: &Template, name: &str) -> bool {
    template.placeholders().any(
        |placeholder| matches!(placeholder, Placeholder::Variable(variable) if variable == name),
    )
}

/// The variables of a version: `version`, `major`, `minor`, `patch`, `pre`.
pub fn version_variables(variables: &mut Variables, version: &Version) {
    variables.set("version", version.to_string());
    variables.set("major", version.major().to_string());
    variables.set("minor", version.minor().to_string());
    variables.set("patch", version.patch().to_string());
    variables.set("pre", version.pre().unwrap_or_default());
}

/// The variables of one package's release (its version, tag, previous release, next
/// development version and changelog section), as [`Builder`] sets them for a project.
pub(crate) fn package_variables(project: &Project, inputs: &PlanInputs) -> Variables {
    let mut variables = Variables::new();
    release_variables(&mut variables, project, inputs);
    variables
}

/// The variables that name a release: `version` and its parts, `tag`, `previous_version`,
/// `previous_tag`, `dev_version`, `changelog`.
fn release_variables(variables: &mut Variables, project: &Project, inputs: &PlanInputs) {
    let version = inputs
        .version
        .clone()
        .unwrap_or_else(|| inputs.current.version.clone());
    version_variables(variables, &version);
    variables.set("tag", project.tag_of(&version.to_string()));
    // The release this one follows: on a release branch, when one was made there since.
    let follows = inputs.history.previous_of(&version.to_string());
    let from_branch = follows.as_ref().filter(|(tag, _)| {
        inputs.history.previous.as_ref().map(|release| &release.tag) != Some(tag)
    });
    let previous = if let Some((_, version)) = from_branch {
        Some(version.clone())
    } else if inputs.bumps.is_empty() || inputs.current.unreleased {
        inputs
            .history
            .previous
            .as_ref()
            .map(|release| release.version.to_string())
    } else {
        Some(inputs.current.version.to_string())
    };
    if let Some(previous_version) = previous {
        variables.set("previous_version", previous_version);
    }
    if let Some((tag, _)) = follows {
        variables.set("previous_tag", tag);
    }
    if let Some(dev) = &inputs.dev_version {
        variables.set("dev_version", dev.to_string());
    }
    if let Some(changelog) = &inputs.changelog {
        variables.set("changelog", changelog.section.trim_end().to_owned());
    }
}

/// The plan-time variables of `project`'s release (see [`condition_context`] for what `if`
/// expressions see besides them).
pub(super) fn plan_variables(project: &Project, inputs: &PlanInputs) -> Variables {
    let mut variables = Variables::new();
    release_variables(&mut variables, project, inputs);
    if let Ok(Some(branch)) = project.repo.current_branch() {
        variables.set("branch", branch);
    }
    variables.set("remote", project.remote.clone());
    if let Ok(sha) = project.repo.head_sha() {
        variables.set("short_sha", sha.get(..7).unwrap_or(&sha).to_owned());
        variables.set("sha", sha);
    }
    variables.set("date", inputs.today.to_string());
    let pattern = project.tag_format.render("*");
    if let Ok(Some(describe)) = project.repo.describe(Some(&pattern)) {
        variables.set("describe", describe.to_string());
    }
    variables.set("project", project.name.clone());
    if let Some(forge) = &project.forge {
        variables.set("repo", forge.repo.clone());
    } else if let Some(links) = &project.links {
        variables.set("repo", links.repo().to_owned());
    }
    for (name, value) in &inputs.args {
        variables.set(format!("args.{name}"), value.clone());
    }
    variables
}

/// The context `if` expressions see (shared with the executor, which evaluates conditions that
/// need run-time values).
pub fn condition_context(
    project: &Project,
    env: &Environment,
    variables: &Variables,
    version: Option<&Version>,
) -> minijinja::Value {
    let context = condition_json(project, env, variables, version);
    minijinja::Value::from(minijinja::value::Serde(&context))
}

/// [`condition_context`] as JSON.
pub(super) fn condition_json(
    project: &Project,
    env: &Environment,
    variables: &Variables,
    version: Option<&Version>,
) -> serde_json::Value {
    let mut context = variables.to_context();
    let map = context.as_object_mut().expect("variables form an object");
    // Numbers are numbers; arguments and step outputs get their type from how they read.
    for name in ["major", "minor", "patch"] {
        if let Some(serde_json::Value::String(text)) = map.get(name)
            && let Ok(number) = text.parse::<u64>()
        {
            map.insert(name.to_owned(), number.into());
        }
    }
    for name in ["args", "steps"] {
        if let Some(value) = map.get_mut(name) {
            type_strings(value);
        }
    }
    let is_prerelease = version.is_some_and(Version::is_prerelease);
    map.insert("is_prerelease".to_owned(), is_prerelease.into());
    map.insert("is_final".to_owned(), (!is_prerelease).into());
    map.insert("has_changelog".to_owned(), project.has_changelog().into());
    map.insert(
        "has_forge_token".to_owned(),
        project
            .forge
            .as_ref()
            .is_some_and(|forge| forge.token(env).is_some())
            .into(),
    );
    let env_map: serde_json::Map<String, serde_json::Value> = env
        .vars()
        .map(|(name, value)| (name.to_owned(), condition::typed(value)))
        .collect();
    map.insert("env".to_owned(), serde_json::Value::Object(env_map));
    map.entry("args")
        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    context
}

/// Gives every string inside `value` the type it reads as (see `condition::typed`).
fn type_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => *value = condition::typed(text),
        serde_json::Value::Object(map) => map.values_mut().for_each(type_strings),
        _ => {}
    }
}
