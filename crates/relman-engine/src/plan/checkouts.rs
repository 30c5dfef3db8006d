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

/// Every other checkout the plan has met, by its rendered `dir`.
#[derive(Debug, Default)]
pub(super) struct Checkouts {
    known: BTreeMap<String, (PlanCheckout, Variables, Simulation)>,
}

impl Checkouts {
    /// The checkout `dir` names, the variables its steps see and what steps change there.
    pub fn enter(
        &mut self,
        project: &Project,
        variables: &Variables,
        dir: &Template,
    ) -> (&Variables, &mut Simulation, Option<&PlanCheckout>) {
        let rendered = dir.render_partial(variables);
        let (checkout, variables, sim) = self.known.entry(rendered.clone()).or_insert_with(|| {
            let root = project.root.join(&rendered);
            let repo = repository_at(&root);
            let mut variables = variables.clone();
            variables.set("remote", "origin");
            for name in ["branch", "sha", "short_sha"] {
                variables.remove(name);
            }
            if let Some(repo) = &repo {
                if let Ok(Some(branch)) = repo.current_branch() {
                    variables.set("branch", branch);
                }
                if let Ok(sha) = repo.head_sha() {
                    variables.set("short_sha", sha.get(..7).unwrap_or(&sha).to_owned());
                    variables.set("sha", sha);
                }
            }
            let checkout = PlanCheckout {
                dir: rendered,
                root,
                repo,
            };
            (checkout, variables, Simulation::default())
        });
        (variables, sim, Some(checkout))
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
