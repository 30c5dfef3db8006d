//! The history of packages: for any set of them, each one's last release and the commits that
//! touched it since (its impact for `auto` and its notes), from one walk of the repository with
//! changed paths (`relman_git`'s `family_releases`), never one walk per package.

use std::collections::HashMap;
use std::sync::Arc;

use relman_version::bump::Impact;
use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
use relman_version::conventional;

use super::{Owners, Project};
use crate::project::{History, ProjectError};

/// What the walk keeps of a commit that touched a package of interest.
struct Touched {
    sha: String,
    parents: Vec<String>,
    author: String,
    message: Vec<u8>,
    /// The families (indexes into the requested packages) whose files it changed.
    families: Vec<usize>,
}

impl Project {
    /// The history of the packages at `indices` of [`Project::packages`], in that order, from one
    /// walk (see the module documentation).
    pub fn package_histories(&self, indices: &[usize]) -> Result<Vec<History>, ProjectError> {
        self.histories_of(indices, None)
    }

    /// Like [`package_histories`](Self::package_histories); `include_other` overrides the
    /// packages' own setting.
    pub(crate) fn histories_of(
        &self,
        indices: &[usize],
        include_other: Option<bool>,
    ) -> Result<Vec<History>, ProjectError> {
        let owners = self.owners();
        let views: Vec<Project> = indices
            .iter()
            .map(|index| self.package_at(*index))
            .collect();
        let family_of: HashMap<usize, usize> = indices
            .iter()
            .enumerate()
            .map(|(family, index)| (*index, family))
            .collect();
        let mut ignored: Vec<Vec<String>> = vec![Vec::new(); indices.len()];
        let walk = self.repo.family_releases(
            "HEAD",
            indices.len(),
            |tag| {
                if self
                    .ignore_tags
                    .as_ref()
                    .is_some_and(|globs| globs.is_match(tag))
                {
                    return None;
                }
                let (owner, kind) = owners.kind_of_tag(tag)?;
                Some((*family_of.get(&owner)?, kind))
            },
            |family, tag| ignored[family].push(tag.to_owned()),
            |commit| {
                let mut families: Vec<usize> = Vec::new();
                for path in commit.changed_paths() {
                    if let Some(family) = owners
                        .owner_of_path(path)
                        .and_then(|owner| family_of.get(&owner))
                        && !families.contains(family)
                    {
                        families.push(*family);
                    }
                }
                (!families.is_empty()).then(|| Touched {
                    sha: commit.sha().to_owned(),
                    parents: commit.parents().map(str::to_owned).collect(),
                    author: commit.author_name().into_owned(),
                    message: commit.message_bytes().to_vec(),
                    families,
                })
            },
        )?;
        let mut histories: Vec<History> = views
            .iter()
            .map(|view| {
                let options = NotesOptions {
                    include_other: include_other.unwrap_or(view.changelog.include_other),
                    extra_types: view.changelog.types.clone(),
                    ..NotesOptions::default()
                };
                History {
                    previous: None,
                    impact: Impact::None,
                    notes: ReleaseNotes::new("", "", "", options),
                    commits: 0,
                    ignored_tags: Vec::new(),
                    branch_release: None,
                }
            })
            .collect();
        for kept in &walk.commits {
            let touched = &kept.value;
            let mut parsed = None;
            for family in &touched.families {
                if !kept.unreleased.contains(*family) {
                    continue;
                }
                let parsed = parsed.get_or_insert_with(|| conventional::parse(&touched.message));
                let history = &mut histories[*family];
                history.commits += 1;
                history.impact = history.impact.max(parsed.impact());
                history.notes.push_commit(
                    &touched.sha,
                    touched.parents.iter().map(String::as_str),
                    &touched.author,
                    parsed,
                );
            }
        }
        for (((history, release), mut ignored), view) in histories
            .iter_mut()
            .zip(walk.releases)
            .zip(ignored)
            .zip(&views)
        {
            history.previous = release;
            ignored.sort();
            history.ignored_tags = ignored;
            // What `auto` releases, as for a project of its own (see `project::history`).
            match view.fragment_impact()? {
                Some(fragments) => history.impact = fragments,
                None if view.towncrier().is_some() => {}
                None if history.commits > 0 && !history.notes.changes().is_conventional() => {
                    history.impact = history.impact.max(Impact::Patch);
                }
                None => {}
            }
        }
        Ok(histories)
    }

    /// The owners of paths and tags among this project's packages.
    pub(crate) fn owners(&self) -> Arc<Owners> {
        self.scope
            .as_ref()
            .map(|scope| &scope.owners)
            .or(self.owners.as_ref())
            .map(Arc::clone)
            .unwrap_or_else(|| Arc::new(Owners::new(&self.packages)))
    }
}
