//! Steps that act in another checkout (`dir`) as the plan shows them: with that checkout's
//! branch, HEAD and remote (`origin`, as when they run) in their variables, and with what the
//! steps before them change there, not here. A checkout that is not there yet (a step's `clone`
//! makes it) has no branch or HEAD to show: those stay placeholders.

use std::collections::BTreeMap;
use std::path::Path;

use relman_git::Repository;

use crate::core::{PlanCheckout, Simulation};
use crate::project::Project;
use crate::template::{Template, Variables};

/// Every other checkout the plan has met, by its rendered `dir`: the checkout, its branch and
/// HEAD, and what steps change there.
#[derive(Debug, Default)]
pub(super) struct Checkouts {
    known: BTreeMap<String, Known>,
}

#[derive(Debug)]
struct Known {
    checkout: PlanCheckout,
    branch: Option<String>,
    sha: Option<String>,
    sim: Simulation,
}

impl Checkouts {
    /// The checkout `dir` names, the variables a step there sees (the step's own, with the
    /// checkout's branch, HEAD and remote: in a run of several packages, each package's step
    /// keeps its package's version) and what steps change there.
    pub fn enter(
        &mut self,
        project: &Project,
        variables: &Variables,
        dir: &Template,
    ) -> (Variables, &mut Simulation, Option<&PlanCheckout>) {
        let rendered = dir.render_partial(variables);
        let known = self.known.entry(rendered.clone()).or_insert_with(|| {
            let root = project.root.join(&rendered);
            let repo = repository_at(&root);
            let branch = repo
                .as_ref()
                .and_then(|repo| repo.current_branch().ok().flatten());
            let sha = repo.as_ref().and_then(|repo| repo.head_sha().ok());
            Known {
                checkout: PlanCheckout {
                    dir: rendered,
                    root,
                    repo,
                },
                branch,
                sha,
                sim: Simulation::default(),
            }
        });
        let mut variables = variables.clone();
        variables.set("remote", "origin");
        for name in ["branch", "sha", "short_sha"] {
            variables.remove(name);
        }
        if let Some(branch) = &known.branch {
            variables.set("branch", branch.clone());
        }
        if let Some(sha) = &known.sha {
            variables.set("short_sha", sha.get(..7).unwrap_or(sha).to_owned());
            variables.set("sha", sha.clone());
        }
        (variables, &mut known.sim, Some(&known.checkout))
    }
}

/// The repository whose work tree is `root` itself (not one above it, such as the project's).
fn repository_at(root: &Path) -> Option<Repository> {
    if !root.is_dir() {
        return None;
    }
    let repo = Repository::discover(root).ok()?;
    let top = repo.work_tree()?.canonicalize().ok()?;
    (top == root.canonicalize().ok()?).then_some(repo)
}
