//! What a step sees while the plan is made ([`PlanCx`]): the project, the variables, the facts
//! the plan is built on ([`PlanInputs`]) and what the steps before it will have changed
//! ([`Simulation`]). Planning writes nothing: the simulation keeps its copies of version files
//! outside the repository.

use std::collections::BTreeMap;
use std::path::PathBuf;

use relman_version::date::Date;
use relman_version::version::Version;

use super::StepError;
use crate::environment::Environment;
use crate::project::{CurrentVersion, History, Project, RenderedSection};
use crate::template::{Template, Variables};

/// What a step sees while the plan is made.
#[derive(Debug)]
pub struct PlanCx<'a> {
    pub project: &'a Project,
    pub env: &'a Environment,
    pub variables: &'a Variables,
    pub inputs: &'a PlanInputs,
    /// What the steps before it change in the checkout it acts in.
    pub sim: &'a mut Simulation,
    /// What each step of the workflow needs: (step number, need), for `check = "credentials"`.
    pub needs: &'a [(usize, super::Need)],
    /// The other checkout it acts in (its `dir`), when it has one: `variables` then hold that
    /// checkout's `branch`, `sha` and `remote`, and `sim` what steps change there.
    pub checkout: Option<&'a PlanCheckout>,
}

/// Another checkout a step acts in, as the plan sees it.
#[derive(Debug)]
pub struct PlanCheckout {
    /// The `dir` as rendered (`../platform-web`).
    pub dir: String,
    /// Where it is.
    pub root: PathBuf,
    /// Its repository, when it is there already (a step's `clone` makes it otherwise).
    pub repo: Option<relman_git::Repository>,
}

impl PlanCx<'_> {
    /// The remote a git step pushes to by default: the project's, or `origin` in another
    /// checkout (as when it runs).
    pub fn default_remote(&self) -> String {
        match self.checkout {
            Some(_) => "origin".to_owned(),
            None => self.project.remote.clone(),
        }
    }

    /// Resolves what is known; run-time values stay as `{name}`. Environment values are filled
    /// in (and secrets masked by whoever shows the plan).
    pub fn render(&self, template: &Template) -> String {
        template.render_partial(&with_env(self.variables, self.env))
    }

    /// Resolves fully, or says which value is missing.
    pub fn render_strict(&self, template: &Template) -> Result<String, StepError> {
        template
            .render(&with_env(self.variables, self.env))
            .map_err(|unresolved| StepError::new(unresolved.to_string()))
    }
}

/// The variables plus the `env.*` values templates use.
pub fn with_env(variables: &Variables, env: &Environment) -> Variables {
    let mut all = variables.clone();
    for (name, value) in env.vars() {
        all.set(format!("env.{name}"), value);
    }
    all
}

/// The facts a plan is built on.
#[derive(Debug, Clone)]
pub struct PlanInputs {
    pub history: History,
    pub current: CurrentVersion,
    /// The version released; `None` when `auto` found nothing releasable.
    pub version: Option<Version>,
    /// What each `bump` step writes: step number → (from, to).
    pub bumps: BTreeMap<usize, (Version, Version)>,
    /// The version the last `bump` after the first writes (`bump = "dev"`).
    pub dev_version: Option<Version>,
    pub nothing_to_release: Option<String>,
    pub today: Date,
    pub args: BTreeMap<String, String>,
    /// This release's changelog section, when the workflow needs it.
    pub changelog: Option<RenderedSection>,
    pub warnings: Vec<String>,
    /// Every tag a run of several packages creates (empty for a single-package project).
    pub tags: Vec<String>,
    /// Requirements on packages of the repository this package's bump rewrites.
    pub requirements: Vec<relman_version::workspace::requirements::RequirementChange>,
}

/// What the plan has simulated so far: the steps before this one, as if they had run.
#[derive(Debug, Default)]
pub struct Simulation {
    /// Whether a step that changes something comes before (later checks then run at run time).
    pub changed_anything: bool,
    /// Files earlier steps change or remove, relative to the work tree (what `commit` stages).
    pub changed_files: Vec<PathBuf>,
    /// Whether a commit comes before (the tag then points at it).
    pub committed: bool,
    /// Whether a step before may change files the plan does not track (a command, a person).
    pub untracked_changes: bool,
    /// Whether a `tag` step comes before (a `dispatch` then runs on the tag).
    pub tagged: bool,
    /// The branch checked out at this point, when a step switched.
    pub branch: Option<String>,
    /// Copies of the version files as earlier steps leave them, so a later `bump` shows a diff
    /// against what will really be there. Outside the repository: planning writes nothing in it.
    overlay: Option<tempfile::TempDir>,
    /// The files copied into the overlay (each package of a run brings its own).
    copied: Vec<PathBuf>,
}

impl Simulation {
    /// Where the version files are read from at this point of the plan (with `project`'s
    /// files copied there when an earlier step of another package made the overlay).
    pub fn overlay_root(&mut self, project: &Project) -> Result<PathBuf, StepError> {
        if self.overlay.is_some() {
            self.copy_involved(project)?;
        }
        Ok(self
            .overlay
            .as_ref()
            .map_or_else(|| project.root.clone(), |dir| dir.path().to_owned()))
    }

    /// Copies every file a bump of `project` reads (the version files and those that follow
    /// them: lock files, a workspace's manifests) that is not in the overlay yet.
    fn copy_involved(&mut self, project: &Project) -> Result<(), StepError> {
        let io = |error: std::io::Error| {
            StepError::new(format!("cannot prepare the plan's scratch copy: {error}"))
        };
        let dir = self
            .overlay
            .as_ref()
            .expect("the overlay exists")
            .path()
            .to_owned();
        for copy in relman_version::files::involved_files(&project.root, &project.version_files) {
            if self.copied.contains(&copy) {
                continue;
            }
            let source = project.root.join(&copy);
            if source.is_file() {
                let target = dir.join(&copy);
                if let Some(parent) = target.parent() {
                    fs_err::create_dir_all(parent).map_err(io)?;
                }
                fs_err::copy(&source, &target).map_err(io)?;
            }
            self.copied.push(copy);
        }
        Ok(())
    }

    /// Records a version file's content after an earlier step, in the overlay.
    pub fn overlay_write(
        &mut self,
        project: &Project,
        path: &std::path::Path,
        bytes: &[u8],
    ) -> Result<(), StepError> {
        let io = |error: std::io::Error| {
            StepError::new(format!("cannot prepare the plan's scratch copy: {error}"))
        };
        if self.overlay.is_none() {
            self.overlay = Some(tempfile::tempdir().map_err(io)?);
        }
        self.copy_involved(project)?;
        let dir = self.overlay.as_ref().expect("the overlay was just created");
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            fs_err::create_dir_all(parent).map_err(io)?;
        }
        if !self.copied.iter().any(|copied| copied == path) {
            self.copied.push(path.to_owned());
        }
        fs_err::write(target, bytes).map_err(io)
    }

    /// Like [`overlay_root`](Self::overlay_root), with `extra` files (relative to the work tree)
    /// copied too: the manifests whose requirements a bump rewrites.
    pub fn overlay_root_with(
        &mut self,
        project: &Project,
        extra: &[PathBuf],
    ) -> Result<PathBuf, StepError> {
        let root = self.overlay_root(project)?;
        if let Some(dir) = &self.overlay {
            let dir = dir.path().to_owned();
            for path in extra {
                if self.copied.contains(path) {
                    continue;
                }
                let source = project.root.join(path);
                if source.is_file() {
                    let target = dir.join(path);
                    let io = |error: std::io::Error| {
                        StepError::new(format!("cannot prepare the plan's scratch copy: {error}"))
                    };
                    if let Some(parent) = target.parent() {
                        fs_err::create_dir_all(parent).map_err(io)?;
                    }
                    fs_err::copy(&source, &target).map_err(io)?;
                }
                self.copied.push(path.clone());
            }
        }
        Ok(root)
    }

    pub fn touch(&mut self, path: PathBuf) {
        if !self.changed_files.contains(&path) {
            self.changed_files.push(path);
        }
    }
}
