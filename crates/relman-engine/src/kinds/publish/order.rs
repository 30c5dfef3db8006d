//! Publishing in a run of several packages: which package a publish step acts for, whether it
//! acts at all (a package of another ecosystem, or a private one, is not published by it), and
//! the wait that keeps a dependent from going before its dependency can be resolved: a package
//! another package of the same run depends on is looked for on its registry, with a back-off,
//! until the registry shows its version or the step's timeout passes (then the step pauses and
//! `relman resume` looks again). Every ecosystem's publish step shares this wait.

use std::time::Duration;

use relman_remote::Secret;
use relman_remote::wait::{Poll, PollOptions};
use relman_version::workspace::{DependencyKind, Ecosystem};

use super::{PublishStep, RegistryRef, visible};
use crate::clients::polling::{Waited, poll_with};
use crate::core::{RunCx, StepError, StepInfo};
use crate::project::Project;
use crate::project::packages::Package;
use crate::template::Variables;

/// How long a published version may take to appear, unless the step's `timeout` says.
const VISIBLE_TIMEOUT: Duration = Duration::from_secs(600);
/// The first look's wait, growing by half up to [`LONGEST_INTERVAL`] (unless `interval` says):
/// registries show a version within seconds, most of the time.
const FIRST_INTERVAL: Duration = Duration::from_millis(250);
const LONGEST_INTERVAL: Duration = Duration::from_secs(10);

/// The ecosystem a publish step publishes for (`None`: gems, which no package of a workspace
/// is detected as).
fn ecosystem(step: &PublishStep) -> Option<Ecosystem> {
    match step {
        PublishStep::Npm { .. } => Some(Ecosystem::Npm),
        PublishStep::Cargo { .. } => Some(Ecosystem::Cargo),
        PublishStep::Pypi { .. } => Some(Ecosystem::Python),
        PublishStep::Gem { .. } => None,
    }
}

/// Why `step` does nothing for the package `project` is scoped to (a run of several packages),
/// if it does nothing: the package is private, or of another ecosystem; or, for a project of
/// one package, why nothing is published from its top folder.
pub(super) fn not_for(step: &PublishStep, project: &Project) -> Option<String> {
    let Some(package) = project.current_package() else {
        // A project of one package whose `package.json` is a private workspace root
        // (ipywidgets': no name, `"private": true`): nothing of the root goes to npm.
        let root_only = matches!(step, PublishStep::Npm { path: None, .. });
        return (root_only && crate::project::packages::detect::private_npm_root(&project.root))
            .then(|| {
                "the top `package.json` is a private workspace root: it is never published"
                    .to_owned()
            });
    };
    if package.private {
        return Some(format!(
            "{} is private: it is never published",
            package.name
        ));
    }
    let wanted = ecosystem(step);
    match package.ecosystem {
        Some(other) if Some(other) != wanted => Some(format!(
            "{} is {}, not {}",
            package.name,
            ecosystem_name(other),
            wanted.map_or("a gem", ecosystem_name)
        )),
        _ => None,
    }
}

fn ecosystem_name(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Cargo => "a Cargo package",
        Ecosystem::Npm => "an npm package",
        Ecosystem::Python => "a Python package",
        Ecosystem::Go => "a Go module",
    }
}

/// The package the step publishes, in a run of several packages.
pub(super) fn package(project: &Project) -> Option<&Package> {
    project.current_package()
}

/// Whether another package this run releases (`{released}` among `variables`) depends on the
/// package the step publishes (a normal or build dependency: a development dependency is not
/// resolved by the package's users).
pub(super) fn has_dependents(project: &Project, variables: &Variables) -> bool {
    let Some(package) = package(project) else {
        return false;
    };
    let released: Vec<String> = variables
        .get_key("released")
        .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok())
        .and_then(|value| value.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| entry["name"].as_str().map(str::to_owned))
        .collect();
    dependents(&project.packages, &package.name, &released)
}

/// Whether a package among `released` (other than `name`) depends on `name`.
fn dependents(packages: &[Package], name: &str, released: &[String]) -> bool {
    packages
        .iter()
        .filter(|other| other.name != name && released.contains(&other.name))
        .any(|other| {
            other.dependencies.iter().any(|dependency| {
                dependency.name == name && dependency.kind != DependencyKind::Development
            })
        })
}

/// The plan's line about the wait, when the step waits.
pub(super) fn wait_note(project: &Project, variables: &Variables) -> Option<crate::core::Effect> {
    has_dependents(project, variables).then(|| crate::core::Effect::Note {
        text: "a package of this release depends on it: the step ends when the registry shows this version (polled until `timeout`, default 10m)".to_owned(),
    })
}

/// Looks for `package` `version` on `registry` until it is there; `Some(reason)` to pause with
/// when the step's timeout passed first.
pub(super) fn wait_visible(
    cx: &mut RunCx<'_>,
    info: &StepInfo<'_>,
    registry: &RegistryRef,
    package: &str,
    version: &str,
    token: Option<Secret>,
) -> Result<Option<String>, StepError> {
    let options = PollOptions {
        timeout: info.timeout.unwrap_or(VISIBLE_TIMEOUT),
        first_interval: info.interval.unwrap_or(FIRST_INTERVAL),
        max_interval: info.interval.unwrap_or(LONGEST_INTERVAL),
    };
    let what = format!("{package} {version} on its registry");
    let waited = poll_with(cx, &options, &what, |cx| {
        let there = visible(
            cx.project,
            cx.env,
            registry,
            package,
            version,
            token.clone(),
        )?;
        Ok(if there {
            Poll::Ready(())
        } else {
            Poll::Pending("published, not visible yet".to_owned())
        })
    })?;
    Ok(match waited {
        Waited::Ready(()) => None,
        Waited::TimedOut(reason) => Some(reason),
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use relman_version::workspace::Dependency;

    use super::*;

    fn package(name: &str, needs: &[(&str, DependencyKind)]) -> Package {
        let mut package =
            crate::project::packages::tests::package(name, name, &format!("{name}@{{version}}"));
        package.dependencies = needs
            .iter()
            .map(|(need, kind)| Dependency {
                name: (*need).to_owned(),
                requirement: Some("^1.0.0".to_owned()),
                kind: *kind,
                declared_in: PathBuf::from(format!("{name}/package.json")),
            })
            .collect();
        package
    }

    #[test]
    fn only_a_released_dependent_makes_a_package_wait() {
        let packages = vec![
            package("a", &[]),
            package("b", &[("a", DependencyKind::Normal)]),
            package("t", &[("a", DependencyKind::Development)]),
        ];
        let both = ["a".to_owned(), "b".to_owned()];
        assert!(dependents(&packages, "a", &both));
        assert!(!dependents(&packages, "b", &both));
        assert!(!dependents(&packages, "a", &["a".to_owned()]));
        // A development dependency is not resolved by the package's users.
        assert!(!dependents(
            &packages,
            "a",
            &["a".to_owned(), "t".to_owned()]
        ));
    }
}
