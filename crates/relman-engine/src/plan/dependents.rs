//! How a requirement on a released package follows it, as each ecosystem's own tool has it:
//! Cargo as `cargo set-version` (the requirement takes the new version in its form, and the
//! package holding it is released, unless it is a development dependency), npm as `changeset
//! version` (a dependent whose range the new version leaves is released, and a released
//! package's ranges take the new version), Go as `go mod` (a sibling's `require` names the new
//! version).

use relman_version::version::Version;
use relman_version::workspace::requirements::{self, RequirementChange};
use relman_version::workspace::{Dependency, DependencyKind, Ecosystem, npm_range};

use super::PlanError;
use crate::project::Package;

/// How a requirement follows a release.
pub(super) struct Following {
    /// The rewrite, when the requirement changes.
    pub change: Option<RequirementChange>,
    /// Whether the dependent gets a patch release.
    pub release: bool,
    /// Whether the rewrite belongs to the dependent's own release (npm).
    pub in_dependent: bool,
}

/// How `dependent`'s `requirement` on `dependency` follows its release from `old` to `new`:
/// the change its ecosystem's tool makes, and whether the dependent is released for it.
pub(super) fn follow(
    dependency: &Package,
    dependent: &Package,
    requirement: &Dependency,
    old: &str,
    new: &Version,
) -> Result<Following, PlanError> {
    let stays = Following {
        change: None,
        release: false,
        in_dependent: false,
    };
    let Some(written) = requirement.requirement.as_deref() else {
        return Ok(stays);
    };
    let ecosystem = dependent.ecosystem.unwrap_or(Ecosystem::Cargo);
    let change = |to: String, dependency_name: String| RequirementChange {
        manifest: requirement.declared_in.clone(),
        ecosystem,
        dependency: dependency_name,
        from: written.to_owned(),
        to,
    };
    match ecosystem {
        Ecosystem::Cargo => {
            let Ok(parsed) = requirements::parse_semver(&new.to_string()) else {
                return Ok(stays);
            };
            match requirements::cargo_upgrade(written, &parsed) {
                // A development dependency's requirement follows, but releases nobody: it
                // changes nothing for the dependent's users.
                Ok(Some(to)) => Ok(Following {
                    change: Some(change(to, dependency.name.clone())),
                    release: requirement.kind != DependencyKind::Development,
                    in_dependent: false,
                }),
                Ok(None) => Ok(stays),
                Err(error) => Err(crate::project::ProjectError::Package {
                    name: dependent.name.clone(),
                    message: format!(
                        "its requirement on `{}` in `{}`: {error}",
                        dependency.name,
                        requirement.declared_in.display()
                    ),
                }
                .into()),
            }
        }
        Ecosystem::Go => {
            let to = requirements::go_require(&new.to_string());
            if to == written {
                return Ok(stays);
            }
            let module = dependency
                .module
                .clone()
                .unwrap_or_else(|| dependency.name.clone());
            Ok(Following {
                change: Some(change(to, module)),
                release: true,
                in_dependent: false,
            })
        }
        Ecosystem::Npm => {
            // `changeset version`: a dependent is released when the new version leaves its
            // range (`workspace:*` names the exact current version); a development dependency
            // only has its range rewritten.
            let effective = match written.strip_prefix("workspace:") {
                Some("*") => old.to_owned(),
                Some(operator @ ("^" | "~")) => format!("{operator}{old}"),
                Some(range) => range.to_owned(),
                None => written.to_owned(),
            };
            let Ok(parsed) = requirements::parse_semver(&new.to_string()) else {
                return Ok(stays);
            };
            if npm_range::satisfies(&parsed, &effective) {
                return Ok(stays);
            }
            let release = requirement.kind != DependencyKind::Development;
            Ok(Following {
                change: npm_requirement(written, new).map(|to| change(to, dependency.name.clone())),
                release,
                in_dependent: true,
            })
        }
        Ecosystem::Python => Ok(stays),
    }
}

/// The range `changeset version` writes for an npm requirement `written` on a package moving
/// from `old` to `new` (`updateInternalDependencies = "patch"`): a range the new version leaves,
/// or any range of a release, keeps its operator and names the new version; `workspace:*`,
/// `workspace:^`, `workspace:~`, `*`, `file:` and `link:` stay.
fn npm_requirement(written: &str, new: &Version) -> Option<String> {
    if written.starts_with("file:") || written.starts_with("link:") {
        return None;
    }
    let (workspace, range) = match written.strip_prefix("workspace:") {
        Some(range) => (true, range),
        None => (false, written),
    };
    if matches!(range, "*" | "^" | "~") || !npm_range::valid_range(range) {
        return None;
    }
    let new_text = new.to_string();
    let pre = new_text.contains('-');
    if npm_range::matches_anything(range) && !pre {
        return None;
    }
    let operator = ["^", "~", ">=", "<=", ">"]
        .iter()
        .find(|operator| range.starts_with(**operator))
        .copied()
        .unwrap_or("");
    let mut to = format!("{operator}{new_text}");
    if workspace {
        to = format!("workspace:{to}");
    }
    (to != written).then_some(to)
}
