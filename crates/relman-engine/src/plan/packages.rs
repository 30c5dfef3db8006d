//! Planning a run of a repository that holds several packages: which packages it releases (those
//! `-p` names, else every package with something to release), each one's version from its own
//! history (every package's history from one walk), the order they go in (a package after the
//! packages it depends on), and the workflow expanded: a step that runs once per package (`bump`,
//! `changelog`, `tag`, `release`, `verify`, a check of the release's tag or version, or any step
//! naming `{package}`) becomes one step per released package, in that order; the others run
//! once. Each package's steps see its `{package}`, `{version}`, `{previous_version}`, `{tag}` and
//! `{changelog}`; every step sees `{packages}` ("globset 0.4.21, ignore 0.4.25") and
//! `{released}` (the same as a JSON list). A step that runs once, in a run of several packages,
//! sees `{version}` as `{packages}`: "Release {version}" names every release.

use std::collections::BTreeMap;

use relman_version::version::Version;

use super::dependents::follow;
use super::variables::{Given, package_variables, plan_variables};
use super::{
    Effect, FrozenPlan, Plan, PlanError, PlanInputs, PlanRequest, PlannedStep, StepPlanner,
    StepScope, step_title,
};
use crate::config::Workflow;
use crate::environment::Environment;
use crate::journal::PackageRelease;
use crate::kinds::StepDef;
use crate::project::packages::changesets::ChangesetUse;
use crate::project::{KnownReleases, Project};
use crate::template::{Placeholder, Variables};
use relman_version::workspace::Ecosystem;
use relman_version::workspace::requirements::RequirementChange;

/// A package the run releases, with what its steps are planned with.
struct Released {
    index: usize,
    view: Project,
    inputs: PlanInputs,
    version: Version,
    tag: String,
}

/// Plans `request` for the packages of `project` named in `selection` (every package with
/// something to release when it is empty).
pub(super) fn plan(
    project: &Project,
    env: &Environment,
    request: &PlanRequest,
    workflow: &Workflow,
    args: &BTreeMap<String, String>,
    selection: &[String],
) -> Result<Plan, PlanError> {
    let everything: Vec<usize> = (0..project.packages.len()).collect();
    let chosen: Vec<usize> = if selection.is_empty() {
        everything.clone()
    } else {
        let mut chosen = Vec::new();
        for name in selection {
            let index = project.package_index(name)?;
            if !chosen.contains(&index) {
                chosen.push(index);
            }
        }
        chosen
    };
    let histories = project.package_histories(&everything)?;
    let mut known: Vec<KnownReleases> = project.package_known_releases(&everything, true)?;
    let mut warnings: Vec<String> = Vec::new();
    if let Some(problem) = known.first().and_then(|known| known.remote_problem.clone()) {
        warnings.push(format!(
            "could not list the tags of `{}` ({problem}): only this clone's tags were checked",
            project.remote
        ));
    }
    let mut released: Vec<Released> = Vec::new();
    let mut quiet: Vec<String> = Vec::new();
    // With `auto`, the changesets of an npm workspace decide its packages' releases.
    let changesets = if first_level(workflow, args).as_deref() == Some("auto") {
        project.changeset_run()?
    } else {
        None
    };
    let from_changesets = |index: usize| {
        changesets.is_some() && project.packages[index].ecosystem == Some(Ecosystem::Npm)
    };
    for &index in &chosen {
        let view = project.package_at(index);
        let history = histories[index].clone();
        let mut forced: Option<String> = None;
        if from_changesets(index) {
            let run = changesets.as_ref().expect("changesets were read");
            match run.release(&view.name) {
                Some(release) => forced = Some(release.new_version.clone()),
                None => {
                    quiet.push(format!("{}: no changeset releases it", view.name));
                    continue;
                }
            }
        }
        // Without `-p`, a package nothing happened to since its last release is left alone,
        // whatever the level.
        if forced.is_none()
            && selection.is_empty()
            && history.commits == 0
            && history.previous.is_some()
        {
            quiet.push(format!(
                "{}: no commit since {}",
                view.name,
                release_tag(&history)
            ));
            continue;
        }
        let known = std::mem::take(&mut known[index]);
        let inputs = PlanInputs::gather_with(
            &view,
            env,
            workflow,
            args,
            request.pre_label.as_deref(),
            Given {
                history,
                known: Some(known),
                forced_level: forced.as_deref(),
            },
        )?;
        if let Some(reason) = &inputs.nothing_to_release {
            quiet.push(format!("{}: {reason}", view.name));
            continue;
        }
        let Some(version) = inputs.version.clone() else {
            continue;
        };
        let tag = view.tag_of(&version.to_string());
        warnings.extend(
            inputs
                .warnings
                .iter()
                .map(|warning| format!("{}: {warning}", view.name)),
        );
        released.push(Released {
            index,
            view,
            inputs,
            version,
            tag,
        });
    }
    // Dependents follow: a requirement on a released package is rewritten as its ecosystem's
    // tool does, and the package holding it gets a patch release when its tool says so.
    let mut requirements: Vec<Vec<RequirementChange>> = vec![Vec::new(); released.len()];
    let mut looked = 0;
    while looked < released.len() {
        let dependency_index = released[looked].index;
        let new_version = released[looked].version.clone();
        let old_version = released[looked].inputs.current.version.to_string();
        let dependency = &project.packages[dependency_index];
        for (dependent_index, dependent) in project.packages.iter().enumerate() {
            if from_changesets(dependent_index) {
                // The changesets' plan has its dependents already.
                continue;
            }
            for requirement in dependent
                .dependencies
                .iter()
                .filter(|requirement| requirement.name == dependency.name)
            {
                let following = follow(
                    dependency,
                    dependent,
                    requirement,
                    &old_version,
                    &new_version,
                )?;
                let already = released
                    .iter()
                    .position(|package| package.index == dependent_index);
                // Where the rewrite goes: npm rewrites a range in the dependent's own release
                // (`changeset version`), or in the dependency's when the dependent is not
                // released; Cargo and Go in the dependency's (`cargo set-version`).
                let mut target = match (&following.change, following.in_dependent, already) {
                    (None, _, _) => None,
                    (Some(_), true, Some(existing)) => Some(existing),
                    (Some(_), true, None) if following.release => None,
                    (Some(_), _, _) => Some(looked),
                };
                if following.release && already.is_none() {
                    let view = project.package_at(dependent_index);
                    let inputs = PlanInputs::gather_with(
                        &view,
                        env,
                        workflow,
                        args,
                        None,
                        Given {
                            history: histories[dependent_index].clone(),
                            known: Some(std::mem::take(&mut known[dependent_index])),
                            forced_level: Some("patch"),
                        },
                    )?;
                    if let Some(version) = inputs.version.clone() {
                        warnings.push(format!(
                            "{} {version}: a patch release, since it requires {} {new_version}",
                            view.name, dependency.name
                        ));
                        let tag = view.tag_of(&version.to_string());
                        released.push(Released {
                            index: dependent_index,
                            view,
                            inputs,
                            version,
                            tag,
                        });
                        requirements.push(Vec::new());
                        if following.in_dependent {
                            target = Some(released.len() - 1);
                        }
                    }
                }
                if let (Some(change), Some(target)) = (following.change, target)
                    && !requirements[target].contains(&change)
                {
                    requirements[target].push(change);
                }
            }
        }
        looked += 1;
    }
    for (package, changes) in released.iter_mut().zip(requirements) {
        package.inputs.requirements = changes;
    }
    let mut changeset_uses: Vec<Option<ChangesetUse>> = vec![None; released.len()];
    if let Some(run) = &changesets {
        for (position, package) in released.iter_mut().enumerate() {
            if !from_changesets(package.index) {
                continue;
            }
            let name = package.view.name.clone();
            if let Some(edits) = run.edits.get(&name) {
                package.inputs.requirements.extend(edits.iter().cloned());
            }
            if let Some((rendered, used)) = run.changelogs.get(&name) {
                package.inputs.changelog = Some(rendered.clone());
                changeset_uses[position] = Some(used.clone());
            }
        }
        // Ranges rewritten in packages the changesets do not bump (development dependents):
        // in the first release's bump.
        for release in &run.releases {
            if released
                .iter()
                .any(|package| package.view.name == release.name)
            {
                continue;
            }
            if let (Some(edits), Some(first)) = (run.edits.get(&release.name), released.first_mut())
            {
                first.inputs.requirements.extend(edits.iter().cloned());
            }
        }
    }
    let order = dependency_order(project, &released);
    let (released, changeset_uses): (Vec<Released>, Vec<Option<ChangesetUse>>) = {
        let mut slots: Vec<Option<(Released, Option<ChangesetUse>)>> =
            released.into_iter().zip(changeset_uses).map(Some).collect();
        order
            .iter()
            .map(|position| slots[*position].take().expect("each package once"))
            .unzip()
    };
    if released.is_empty() {
        let basis = super::Basis::read(&project.repo);
        return Ok(nothing_to_release(workflow, args, quiet, warnings, basis));
    }

    let summary: Vec<String> = released
        .iter()
        .map(|package| format!("{} {}", package.view.name, package.version))
        .collect();
    let summary = summary.join(", ");
    let released_json = serde_json::Value::Array(
        released
            .iter()
            .map(|package| {
                serde_json::json!({
                    "name": package.view.name,
                    "version": package.version.to_string(),
                    "previous_version": package.inputs.history.previous.as_ref().map(|release| release.version.to_string()),
                    "tag": package.tag,
                })
            })
            .collect(),
    )
    .to_string();

    // The variables every step sees; a step that runs once sees a single package's values only
    // when the run releases one.
    let first = &released[0];
    let mut base = plan_variables(&first.view, &first.inputs);
    base.set("project", project.name.clone());
    base.set("packages", summary.clone());
    base.set("released", released_json.clone());
    if released.len() > 1 {
        for name in PACKAGE_VARIABLES {
            base.remove(name);
        }
        base.set("version", summary.clone());
    }
    let tags: Vec<String> = released.iter().map(|package| package.tag.clone()).collect();

    // The workflow, expanded.
    let mut steps: Vec<(StepDef, Option<usize>)> = Vec::new();
    for step in &workflow.steps {
        if runs_per_package(step) {
            for (position, _) in released.iter().enumerate() {
                steps.push((step.clone(), Some(position)));
            }
        } else {
            steps.push((step.clone(), None));
        }
    }
    let mut inputs: Vec<PlanInputs> = released
        .iter()
        .map(|package| package.inputs.clone())
        .collect();
    // Each package's bumps, by the number of the step that writes them in the expanded plan.
    for package_inputs in &mut inputs {
        package_inputs.bumps.clear();
    }
    let mut once_inputs = first.inputs.clone();
    once_inputs.tags = tags.clone();
    let mut bumps = BTreeMap::new();
    let mut package_steps = BTreeMap::new();
    for (number, (step, package)) in steps.iter_mut().enumerate() {
        let original = step.number;
        step.number = number + 1;
        if let Some(position) = package {
            package_steps.insert(step.number, released[*position].view.name.clone());
            if let Some(bump) = released[*position].inputs.bumps.get(&original).cloned() {
                bumps.insert(step.number, bump.1.to_string());
                inputs[*position].bumps.insert(step.number, bump);
            }
        }
    }
    for package_inputs in &mut inputs {
        package_inputs.tags = tags.clone();
    }
    let package_variables: Vec<Variables> = released
        .iter()
        .zip(&inputs)
        .map(|(package, inputs)| {
            let mut variables = base.clone();
            for (name, value) in package_variables(&package.view, inputs).iter() {
                variables.set(name.to_owned(), value.to_owned());
            }
            variables.set("package", package.view.name.clone());
            variables
        })
        .collect();

    let mut planned: Vec<PlannedStep> = Vec::with_capacity(steps.len());
    let expanded: Vec<StepDef> = steps.iter().map(|(step, _)| step.clone()).collect();
    let mut planner = StepPlanner::new(project, env, &expanded);
    for (step, package) in &steps {
        let planned_step = match package {
            Some(position) => {
                let package = &released[*position];
                let variables = &package_variables[*position];
                // Titled with the package, unless its name says it already.
                let title = if step
                    .name
                    .as_deref()
                    .is_some_and(|name| name.contains("{package}"))
                {
                    step_title(step, variables)
                } else {
                    format!("{} ({})", step_title(step, variables), package.view.name)
                };
                planner.plan_step(
                    step,
                    title,
                    &StepScope {
                        project: &package.view,
                        env,
                        variables,
                        inputs: &inputs[*position],
                        version: Some(&package.version),
                    },
                )?
            }
            None => planner.plan_step(
                step,
                step_title(step, &base),
                &StepScope {
                    project,
                    env,
                    variables: &base,
                    inputs: &once_inputs,
                    version: (released.len() == 1).then_some(&first.version),
                },
            )?,
        };
        planned.extend(planned_step);
    }
    let skipped = planner.finish(workflow)?;
    // A package released as a dependent is no "not released".
    quiet.retain(|line| {
        !released
            .iter()
            .any(|package| line.starts_with(&format!("{}: ", package.view.name)))
    });
    if !quiet.is_empty() && selection.is_empty() {
        let shown: Vec<String> = quiet.iter().take(8).cloned().collect();
        let more = quiet.len().saturating_sub(shown.len());
        warnings.push(format!(
            "not released: {}{}",
            shown.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let packages: Vec<PackageRelease> = released
        .iter()
        .zip(&package_variables)
        .zip(changeset_uses)
        .map(|((package, variables), changeset)| PackageRelease {
            name: package.view.name.clone(),
            version: package.version.to_string(),
            tag: package.tag.clone(),
            variables: only_package(variables),
            requirements: package.inputs.requirements.clone(),
            changeset,
        })
        .collect();
    let single = released.len() == 1;
    let frozen = FrozenPlan {
        workflow: workflow.name.clone(),
        args: args.clone(),
        version: if single {
            first.version.to_string()
        } else {
            summary.clone()
        },
        tag: if single {
            first.tag.clone()
        } else {
            String::new()
        },
        variables: base,
        steps: steps.into_iter().map(|(step, _)| step).collect(),
        bumps,
        skipped,
        packages,
        package_steps,
    };
    let current_version = if single {
        first.inputs.current.version.to_string()
    } else {
        released
            .iter()
            .map(|package| format!("{} {}", package.view.name, package.inputs.current.version))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(Plan {
        frozen,
        steps: planned,
        current_version,
        nothing_to_release: None,
        warnings,
        basis: super::Basis::read(&project.repo),
    })
}

/// The level the workflow's first `bump` step asks for (its arguments filled in).
fn first_level(workflow: &Workflow, args: &BTreeMap<String, String>) -> Option<String> {
    let mut variables = Variables::new();
    for (name, value) in args {
        variables.set(format!("args.{name}"), value.clone());
    }
    workflow.steps.iter().find_map(|step| match &step.kind {
        crate::kinds::StepKind::Bump(bump) => bump.level.render(&variables).ok(),
        _ => None,
    })
}

/// Variables that name one package's release: a step that runs once in a run of several does
/// not see them (`{version}` there is `{packages}`).
const PACKAGE_VARIABLES: &[&str] = &[
    "version",
    "previous_version",
    "previous_tag",
    "major",
    "minor",
    "patch",
    "pre",
    "tag",
    "dev_version",
    "changelog",
    "describe",
];

/// A package's own variables (what its steps see over the plan's).
fn only_package(variables: &Variables) -> Variables {
    let mut own = Variables::new();
    for name in PACKAGE_VARIABLES.iter().chain(&["package"]) {
        if let Some(value) = variables.get_key(name) {
            own.set(*name, value.to_owned());
        }
    }
    own
}

/// Whether a step runs once per released package: its kind says so, or it names `{package}`.
pub(crate) fn runs_per_package(step: &StepDef) -> bool {
    step.kind.per_package()
        || step.kind.templates().iter().any(|(_, template)| {
            template.placeholders().any(|placeholder| {
                matches!(placeholder, Placeholder::Variable(name) if name == "package")
            })
        })
        || step
            .name
            .as_deref()
            .is_some_and(|name| name.contains("{package}"))
}

/// The released packages in dependency order (positions into `released`): a package after
/// every package it depends on, directly or through packages this run does not release.
fn dependency_order(project: &Project, released: &[Released]) -> Vec<usize> {
    let order = crate::project::packages::dependency_order(&project.packages);
    order
        .iter()
        .filter_map(|index| released.iter().position(|package| package.index == *index))
        .collect()
}

fn release_tag(history: &crate::project::History) -> String {
    history.previous.as_ref().map_or_else(
        || "the first commit".to_owned(),
        |release| release.tag.clone(),
    )
}

/// A plan that releases nothing: every step skipped, saying why.
fn nothing_to_release(
    workflow: &Workflow,
    args: &BTreeMap<String, String>,
    quiet: Vec<String>,
    warnings: Vec<String>,
    basis: super::Basis,
) -> Plan {
    let reason = if quiet.is_empty() {
        "nothing to release".to_owned()
    } else {
        format!("nothing to release ({})", quiet.join("; "))
    };
    let steps = workflow
        .steps
        .iter()
        .map(|step| PlannedStep {
            number: step.number,
            title: step_title(step, &Variables::new()),
            kind: step.kind.key(),
            skipped: Some(reason.clone()),
            effects: Vec::<Effect>::new(),
        })
        .collect();
    Plan {
        frozen: FrozenPlan {
            workflow: workflow.name.clone(),
            args: args.clone(),
            version: String::new(),
            tag: String::new(),
            variables: Variables::new(),
            steps: workflow.steps.clone(),
            bumps: BTreeMap::new(),
            skipped: BTreeMap::new(),
            packages: Vec::new(),
            package_steps: BTreeMap::new(),
        },
        steps,
        current_version: String::new(),
        nothing_to_release: Some(reason),
        warnings,
        basis,
    }
}
