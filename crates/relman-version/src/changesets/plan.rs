//! The release plan `changeset version` makes: each package's level from its changesets (the
//! highest), dependents whose range the new version leaves (a patch; a development dependency
//! only has its range rewritten), `fixed` groups released together at one version, `linked`
//! groups that share the highest version when they release, and pre mode (`1.1.0-beta.0`, and on
//! leaving it, a patch for packages with a pre-release nobody bumped).

use std::collections::BTreeMap;

use super::{Changesets, ReleaseType, name_matches};
use crate::workspace::npm_range;
use crate::workspace::requirements::parse_semver;

/// A package of the workspace, as the plan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPackage {
    pub name: String,
    pub version: Option<String>,
    pub private: bool,
    /// Its folder relative to the workspace root (for `workspace:path` ranges).
    pub dir: String,
    /// `(table, dependency, range)` for `dependencies`, `devDependencies`, `peerDependencies`,
    /// `optionalDependencies`.
    pub dependencies: Vec<(String, String, String)>,
}

/// One package the plan releases (a `none` release only rewrites ranges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    pub kind: ReleaseType,
    pub old_version: String,
    pub new_version: String,
    /// Ids of the changesets that release it.
    pub changesets: Vec<String>,
}

/// Internal release before its new version is known.
#[derive(Debug, Clone)]
struct Pending {
    kind: ReleaseType,
    old_version: String,
    changesets: Vec<String>,
}

/// Whether changesets leave a package out: ignored, private (unless `privatePackages`), or
/// without a version.
fn skipped(changesets: &Changesets, package: &PlanPackage) -> bool {
    changesets
        .config
        .ignore
        .iter()
        .any(|pattern| name_matches(pattern, &package.name))
        || (package.private && !changesets.config.version_private)
        || package.version.as_deref().is_none_or(str::is_empty)
}

/// The changesets a plan uses: in pre mode, not those a pre-release used already.
pub fn relevant(changesets: &Changesets) -> Vec<&super::Changeset> {
    changesets
        .changesets
        .iter()
        .filter(|changeset| {
            !(changesets.pre.as_ref().is_some_and(|pre| !pre.exit)
                && changeset.id.starts_with("pre/"))
        })
        .collect()
}

fn in_group(group: &[String], name: &str) -> bool {
    group.iter().any(|pattern| name_matches(pattern, name))
}

/// `semver.inc(version, type)` for major, minor and patch (npm's rules: a pre-release of
/// `x.y.0` becomes `x.y.0` on `minor`, and so on).
fn inc(version: &str, kind: ReleaseType) -> String {
    let level = match kind {
        ReleaseType::None => return version.to_owned(),
        ReleaseType::Patch => crate::bump::Level::Patch,
        ReleaseType::Minor => crate::bump::Level::Minor,
        ReleaseType::Major => crate::bump::Level::Major,
    };
    let Ok(parsed) = crate::scheme::Scheme::Semver.parse(version) else {
        return version.to_owned();
    };
    let options = crate::bump::BumpOptions::new(crate::date::Date::from_unix_seconds(0));
    crate::bump::bump(&parsed, &level, &options)
        .ok()
        .flatten()
        .map_or_else(|| version.to_owned(), |next| next.to_string())
}

/// The pre-release number a package's next pre-release takes: the current one plus one (`-1`
/// plus one for a version that is no pre-release).
fn pre_number(version: &str) -> i64 {
    parse_semver(version)
        .ok()
        .and_then(|parsed| {
            parsed
                .pre
                .as_str()
                .split('.')
                .nth(1)
                .and_then(|number| number.parse::<i64>().ok())
        })
        .unwrap_or(-1)
        + 1
}

/// Assembles the plan of `changesets` over `packages`.
pub fn assemble(
    changesets: &Changesets,
    packages: &[PlanPackage],
) -> Result<Vec<Release>, super::ChangesetError> {
    let by_name: BTreeMap<&str, &PlanPackage> = packages
        .iter()
        .map(|package| (package.name.as_str(), package))
        .collect();
    let relevant = relevant(changesets);
    for changeset in &relevant {
        for (name, _) in &changeset.releases {
            if !by_name.contains_key(name.as_str()) {
                return Err(super::ChangesetError::UnknownPackage {
                    id: changeset.id.clone(),
                    name: name.clone(),
                });
            }
        }
    }
    // The next pre-release number of each package, shared in fixed and linked groups.
    let mut pre_numbers: BTreeMap<String, i64> = BTreeMap::new();
    if changesets.pre.is_some() {
        for package in packages {
            if !skipped(changesets, package) {
                pre_numbers.insert(
                    package.name.clone(),
                    pre_number(package.version.as_deref().unwrap_or_default()),
                );
            }
        }
        for group in changesets
            .config
            .fixed
            .iter()
            .chain(&changesets.config.linked)
        {
            let highest = packages
                .iter()
                .filter(|package| in_group(group, &package.name))
                .map(|package| pre_number(package.version.as_deref().unwrap_or_default()))
                .max()
                .unwrap_or(0)
                .max(0);
            for package in packages
                .iter()
                .filter(|package| in_group(group, &package.name))
            {
                pre_numbers.insert(package.name.clone(), highest);
            }
        }
    }

    // Each package's level: the highest its changesets give.
    let mut releases: BTreeMap<String, Pending> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for changeset in &relevant {
        for (name, kind) in &changeset.releases {
            let package = by_name[name.as_str()];
            if skipped(changesets, package) {
                continue;
            }
            let entry = releases.entry(name.clone()).or_insert_with(|| {
                order.push(name.clone());
                Pending {
                    kind: *kind,
                    old_version: package.version.clone().unwrap_or_default(),
                    changesets: Vec::new(),
                }
            });
            entry.kind = entry.kind.max(*kind);
            entry.changesets.push(changeset.id.clone());
        }
    }

    let pre = changesets.pre.as_ref().filter(|pre| !pre.exit);
    let next_version = |name: &str, release: &Pending| -> String {
        if release.kind == ReleaseType::None {
            return release.old_version.clone();
        }
        let version = inc(&release.old_version, release.kind);
        match pre {
            Some(pre) => format!(
                "{version}-{}.{}",
                pre.tag,
                pre_numbers.get(name).copied().unwrap_or(0)
            ),
            None => version,
        }
    };

    loop {
        let mut updated = false;
        // Dependents whose range the new version leaves.
        let mut search: Vec<String> = order.clone();
        while let Some(dependency) = search.first().cloned() {
            search.remove(0);
            let Some(release) = releases.get(&dependency).cloned() else {
                continue;
            };
            if release.kind == ReleaseType::None {
                continue;
            }
            let new_version = next_version(&dependency, &release);
            for dependent in packages {
                let ranges: Vec<(&str, String)> = dependent
                    .dependencies
                    .iter()
                    .filter(|(_, name, _)| *name == dependency)
                    .filter_map(|(table, _, range)| {
                        effective_range(
                            range,
                            &release.old_version,
                            &by_name[dependency.as_str()].dir,
                        )
                        .map(|range| (table.as_str(), range))
                    })
                    .collect();
                if ranges.is_empty() {
                    continue;
                }
                let mut kind: Option<ReleaseType> = None;
                if skipped(changesets, dependent) {
                    kind = Some(ReleaseType::None);
                } else {
                    for (table, range) in &ranges {
                        let dependent_release = releases.get(&dependent.name);
                        let out = !parse_semver(&new_version)
                            .is_ok_and(|version| npm_range::satisfies(&version, range));
                        if dependent_release
                            .is_none_or(|existing| existing.kind == ReleaseType::None)
                            && (changesets.config.always_update_dependents || out)
                        {
                            match *table {
                                "devDependencies" => {
                                    if kind.is_none() {
                                        kind = Some(ReleaseType::None);
                                    }
                                }
                                _ => {
                                    if !matches!(
                                        kind,
                                        Some(ReleaseType::Major | ReleaseType::Minor)
                                    ) {
                                        kind = Some(ReleaseType::Patch);
                                    }
                                }
                            }
                        }
                    }
                }
                let Some(kind) = kind else {
                    continue;
                };
                if releases
                    .get(&dependent.name)
                    .is_some_and(|existing| existing.kind == kind)
                {
                    continue;
                }
                updated = true;
                if let Some(existing) = releases.get_mut(&dependent.name) {
                    if kind > existing.kind {
                        existing.kind = kind;
                        search.push(dependent.name.clone());
                    }
                    continue;
                }
                releases.insert(
                    dependent.name.clone(),
                    Pending {
                        kind,
                        old_version: dependent.version.clone().unwrap_or_default(),
                        changesets: Vec::new(),
                    },
                );
                order.push(dependent.name.clone());
                search.push(dependent.name.clone());
            }
        }
        // Fixed groups: every member at the group's highest level, from its highest version.
        for group in &changesets.config.fixed {
            let members: Vec<&PlanPackage> = packages
                .iter()
                .filter(|package| in_group(group, &package.name))
                .collect();
            let Some(level) = members
                .iter()
                .filter_map(|package| releases.get(&package.name))
                .map(|release| release.kind)
                .filter(|kind| *kind != ReleaseType::None)
                .max()
            else {
                continue;
            };
            let highest = highest_version(&members);
            for package in members {
                if skipped(changesets, package) {
                    continue;
                }
                match releases.get_mut(&package.name) {
                    Some(release) => {
                        if release.kind != level || release.old_version != highest {
                            updated = true;
                            release.kind = level;
                            release.old_version = highest.clone();
                        }
                    }
                    None => {
                        updated = true;
                        releases.insert(
                            package.name.clone(),
                            Pending {
                                kind: level,
                                old_version: highest.clone(),
                                changesets: Vec::new(),
                            },
                        );
                        order.push(package.name.clone());
                    }
                }
            }
        }
        // Linked groups: the members that release share the highest level and version.
        for group in &changesets.config.linked {
            let members: Vec<&PlanPackage> = packages
                .iter()
                .filter(|package| in_group(group, &package.name))
                .collect();
            let releasing: Vec<String> = members
                .iter()
                .filter(|package| {
                    releases
                        .get(&package.name)
                        .is_some_and(|release| release.kind != ReleaseType::None)
                })
                .map(|package| package.name.clone())
                .collect();
            if releasing.is_empty() {
                continue;
            }
            let level = releasing
                .iter()
                .map(|name| releases[name].kind)
                .max()
                .unwrap_or(ReleaseType::None);
            let highest = highest_version(&members);
            for name in releasing {
                let release = releases.get_mut(&name).expect("a releasing member");
                if release.kind != level || release.old_version != highest {
                    updated = true;
                    release.kind = level;
                    release.old_version = highest.clone();
                }
            }
        }
        if !updated {
            break;
        }
    }

    // Leaving pre mode: a package with a pre-release that nothing bumped gets a patch.
    if changesets.pre.as_ref().is_some_and(|pre| pre.exit) {
        for package in packages {
            if skipped(changesets, package) {
                continue;
            }
            if pre_number(package.version.as_deref().unwrap_or_default()) != 0 {
                match releases.get_mut(&package.name) {
                    Some(release) if release.kind == ReleaseType::None => {
                        release.kind = ReleaseType::Patch;
                    }
                    Some(_) => {}
                    None => {
                        releases.insert(
                            package.name.clone(),
                            Pending {
                                kind: ReleaseType::Patch,
                                old_version: package.version.clone().unwrap_or_default(),
                                changesets: Vec::new(),
                            },
                        );
                        order.push(package.name.clone());
                    }
                }
            }
        }
    }
    Ok(order
        .iter()
        .map(|name| {
            let release = &releases[name];
            Release {
                name: name.clone(),
                kind: release.kind,
                old_version: release.old_version.clone(),
                new_version: next_version(name, release),
                changesets: release.changesets.clone(),
            }
        })
        .collect())
}

/// The highest version among packages (semver order).
fn highest_version(members: &[&PlanPackage]) -> String {
    members
        .iter()
        .filter_map(|package| package.version.clone())
        .max_by(|a, b| match (parse_semver(a), parse_semver(b)) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            _ => a.cmp(b),
        })
        .unwrap_or_default()
}

/// The range a dependent's requirement means, as `changeset version` reads it: `workspace:*`
/// names the current version, `workspace:^`/`workspace:~` a range from it, `workspace:PATH` the
/// package at that folder; `None` for requirements it does not consider.
pub(crate) fn effective_range(range: &str, old: &str, dir: &str) -> Option<String> {
    let Some(rest) = range.strip_prefix("workspace:") else {
        return Some(range.to_owned());
    };
    Some(match rest {
        "*" => old.to_owned(),
        "^" | "~" => format!("{rest}{old}"),
        _ if npm_range::valid_range(rest) => rest.to_owned(),
        _ if rest.trim_start_matches("./").trim_end_matches('/') == dir => old.to_owned(),
        _ => return None,
    })
}
