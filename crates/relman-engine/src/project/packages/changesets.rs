//! Changesets in a repository of packages: when `.changeset/config.json` exists, the changesets
//! decide what `auto` releases among the npm packages, at which version, with which changelog
//! entry and which ranges rewritten, exactly as `changeset version` would
//! (`relman_version::changesets`); this module feeds that plan the workspace's packages and the
//! commit that added each changeset (one `git log`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use relman_version::changesets::entry::{changelog_entry, insert, range_edits};
use relman_version::changesets::plan::{PlanPackage, Release, assemble, relevant};
use relman_version::changesets::{Changesets, ReleaseType};
use relman_version::files::VersionFiles;
use relman_version::workspace::requirements::RequirementChange;
use relman_version::workspace::{DependencyKind, Ecosystem};
use serde::{Deserialize, Serialize};

use super::super::{Project, ProjectError, RenderedSection};

/// What the changelog step of a package released from changesets writes and removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesetUse {
    /// The entry, as `changeset version` writes it.
    pub entry: String,
    /// The changeset files it used (relative to the root).
    pub files: Vec<PathBuf>,
    /// Pre mode: used changesets move to `.changeset/pre/` instead of going away.
    pub pre: bool,
    /// Leaving pre mode: `.changeset/pre.json` goes too.
    pub exit: bool,
}

/// The plan of the changesets over the npm packages of the repository.
#[derive(Debug, Clone)]
pub struct ChangesetRun {
    pub releases: Vec<Release>,
    /// By package name: its changelog (for those released at a level above `none`).
    pub changelogs: BTreeMap<String, (RenderedSection, ChangesetUse)>,
    /// By package name: the ranges rewritten in its `package.json`.
    pub edits: BTreeMap<String, Vec<RequirementChange>>,
}

impl ChangesetRun {
    /// The release of `name` above `none`, if the changesets release it.
    pub fn release(&self, name: &str) -> Option<&Release> {
        self.releases
            .iter()
            .find(|release| release.name == name && release.kind != ReleaseType::None)
    }
}

impl Project {
    /// The changesets' plan (`None` when the repository keeps no changesets).
    pub fn changeset_run(&self) -> Result<Option<ChangesetRun>, ProjectError> {
        let Some(changesets) = relman_version::changesets::read(&self.root)
            .map_err(|error| ProjectError::Changesets(Box::new(error)))?
        else {
            return Ok(None);
        };
        let npm: Vec<(usize, &super::Package)> = self
            .packages
            .iter()
            .enumerate()
            .filter(|(_, package)| package.ecosystem == Some(Ecosystem::Npm) && !package.root)
            .collect();
        let mut plan_packages = Vec::with_capacity(npm.len());
        for (index, package) in &npm {
            let view = self.package_at(*index);
            let version = if view.version_files.is_empty() {
                None
            } else {
                VersionFiles::read(&self.root, &view.version_files)
                    .ok()
                    .and_then(|files| files.found().first().map(|found| found.value.clone()))
            };
            plan_packages.push(PlanPackage {
                name: package.name.clone(),
                version,
                private: package.private,
                dir: package.path.to_string_lossy().replace('\\', "/"),
                dependencies: package
                    .dependencies
                    .iter()
                    .filter_map(|dependency| {
                        let table = match dependency.kind {
                            DependencyKind::Normal => "dependencies",
                            DependencyKind::Development => "devDependencies",
                            DependencyKind::Peer => "peerDependencies",
                            DependencyKind::Optional => "optionalDependencies",
                            DependencyKind::Build => return None,
                        };
                        Some((
                            table.to_owned(),
                            dependency.name.clone(),
                            dependency.requirement.clone()?,
                        ))
                    })
                    .collect(),
            });
        }
        let releases = assemble(&changesets, &plan_packages)
            .map_err(|error| ProjectError::Changesets(Box::new(error)))?;
        let used = relevant(&changesets);
        let commits = self.changeset_commits(&changesets)?;
        let dirs: BTreeMap<String, String> = plan_packages
            .iter()
            .map(|package| (package.name.clone(), package.dir.clone()))
            .collect();
        let pre = changesets.pre.as_ref().is_some_and(|pre| !pre.exit);
        let exit = changesets.pre.as_ref().is_some_and(|pre| pre.exit);
        let mut changelogs = BTreeMap::new();
        let mut edits = BTreeMap::new();
        for release in &releases {
            let Some(((index, package), plan_package)) = npm
                .iter()
                .zip(&plan_packages)
                .find(|((_, package), _)| package.name == release.name)
            else {
                continue;
            };
            let changes: Vec<RequirementChange> =
                range_edits(&changesets.config, plan_package, &releases, &dirs)
                    .into_iter()
                    .filter_map(|(_, dependency, from, to)| {
                        Some(RequirementChange {
                            manifest: package.manifest.clone()?,
                            ecosystem: Ecosystem::Npm,
                            dependency,
                            from,
                            to,
                        })
                    })
                    .collect();
            if !changes.is_empty() {
                edits.insert(release.name.clone(), changes);
            }
            if changesets.config.changelog.is_none() {
                continue;
            }
            let Some(entry) = changelog_entry(
                &changesets.config,
                release,
                plan_package,
                &releases,
                &used,
                &commits,
                &dirs,
            ) else {
                continue;
            };
            let view = self.package_at(*index);
            let file = self.root.join(&view.changelog.file);
            let before = relman_version::files::read_text_bounded(
                &file,
                relman_version::files::bounded::MAX_CHANGELOG,
            )
            .ok();
            let after = insert(before.as_deref(), &entry, &package.name);
            let files: Vec<PathBuf> = used
                .iter()
                .filter(|changeset| release.changesets.contains(&changeset.id))
                .map(|changeset| changeset.path())
                .collect();
            changelogs.insert(
                release.name.clone(),
                (
                    RenderedSection {
                        section: entry.clone(),
                        file,
                        before,
                        after,
                        fragments: files.iter().map(|path| self.root.join(path)).collect(),
                    },
                    ChangesetUse {
                        entry,
                        files,
                        pre,
                        exit,
                    },
                ),
            );
        }
        Ok(Some(ChangesetRun {
            releases,
            changelogs,
            edits,
        }))
    }

    /// The commit that added each changeset, by id (a changeset a pre-release moved to `pre/`
    /// keeps the commit that first added it, as `git log --follow` finds it).
    fn changeset_commits(
        &self,
        changesets: &Changesets,
    ) -> Result<BTreeMap<String, String>, ProjectError> {
        let added = self.repo.files_added(".changeset")?;
        let mut commits = BTreeMap::new();
        for changeset in &changesets.changesets {
            let name = changeset.id.trim_start_matches("pre/");
            let original = format!(".changeset/{name}.md");
            let current = format!(".changeset/{}.md", changeset.id);
            if let Some((_, sha)) = added
                .iter()
                .find(|(path, _)| *path == original)
                .or_else(|| added.iter().find(|(path, _)| *path == current))
            {
                commits.insert(changeset.id.clone(), sha.clone());
            }
        }
        Ok(commits)
    }
}
