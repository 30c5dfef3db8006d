//! What a step sees while it runs ([`RunCx`]): the project, what the frozen plan says of the
//! release ([`PlanFacts`]), and its own record in the journal, which it reads and writes through
//! the [`Ledger`] the executor hands it (so a step never depends on the journal file's layout).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use relman_remote::Redactor;
use relman_remote::sealed::{self, Sealed};

use super::StepError;
use super::plan_cx::with_env;
use super::record::{RemoteEffect, StepRecord, StepState, Undo, Written};
use super::report::{Event, Prompter, Reporter};
use crate::environment::Environment;
use crate::project::Project;
use crate::template::{FILE_PREFIX, Placeholder, Template, Variables};

/// The journal as a running step reads and writes it: every step's record, the values learnt
/// while running, and writing it all down now. `journal::JournalFile` implements it over the
/// journal file; a step calls [`RunCx::save`] before an effect it must recognise after a crash.
pub trait Ledger {
    /// Every step's record, in workflow order.
    fn records(&self) -> &[StepRecord];
    fn records_mut(&mut self) -> &mut [StepRecord];
    /// Values learnt while running (`sha` after the commit, `release_url` …).
    fn runtime(&self) -> &BTreeMap<String, String>;
    fn runtime_mut(&mut self) -> &mut BTreeMap<String, String>;
    /// Writes the journal now, atomically.
    fn save(&mut self) -> Result<(), StepError>;
    /// Outputs and runtime values as they were produced, before masking, for the steps of this
    /// process that use them (never written: the journal keeps them masked).
    fn unmasked(&self) -> &Unmasked;
    fn unmasked_mut(&mut self) -> &mut Unmasked;
    /// The same values sealed for the journal (cut where each secret stood, naming its
    /// variable; `None` when a secret no variable holds was in it), keyed as [`Unmasked`].
    fn sealed(&self) -> &BTreeMap<String, Option<Sealed>>;
    fn sealed_mut(&mut self) -> &mut BTreeMap<String, Option<Sealed>>;
}

/// Values that held a secret, as produced: `runtime:NAME` and `step:INDEX:NAME`. Kept in memory
/// only, and never formatted.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Unmasked(pub BTreeMap<String, String>);

impl std::fmt::Debug for Unmasked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Unmasked({} values)", self.0.len())
    }
}

/// Why a value that held a secret cannot be had in this process (the journal keeps it masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withheld {
    /// It held the value of this variable, which is not set now.
    Unset(String),
    /// It held a secret no variable holds (a password written into a URL).
    Lost,
}

impl Withheld {
    /// The error of a step whose template `{key}` uses the value: it did not run.
    pub fn error(&self, key: &str) -> StepError {
        match self {
            Withheld::Unset(name) => StepError::new(format!(
                "`{{{key}}}` held the value of ${name}, which the journal never stores, and {name} is not set now"
            ))
            .with_hint(format!(
                "set {name} as it was when the release started, then `relman resume` (this step did not run)"
            )),
            Withheld::Lost => StepError::new(format!(
                "`{{{key}}}` held a secret that no environment variable holds (a password in a URL), which the journal never stores"
            ))
            .with_hint(
                "do this step by hand, then `relman resume --confirm`; or `relman abort` (this step did not run)",
            ),
        }
    }
}

/// What a running step may read of the frozen plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFacts {
    /// The release's version; empty when the workflow releases nothing.
    pub version: String,
    pub tag: String,
    /// Plan-time variables.
    pub variables: Variables,
    /// The version each `bump` step writes, by step number.
    pub bumps: BTreeMap<usize, String>,
    /// Every tag a run of several packages creates (empty for a single-package project).
    pub tags: Vec<String>,
    /// Requirements on packages of the repository this package's bump rewrites.
    pub requirements: Vec<relman_version::workspace::requirements::RequirementChange>,
    /// What the changelog step writes and removes when changesets release this package.
    pub changeset: Option<crate::project::packages::changesets::ChangesetUse>,
    /// Every step of the workflow, as far as the others care.
    pub steps: Vec<StepFacts>,
}

/// What one step of the workflow means to the others.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFacts {
    pub id: Option<String>,
    /// The other checkout it acts in.
    pub dir: Option<Template>,
    /// Whether it commits what the steps before it changed (a `commit`).
    pub commits: bool,
    /// The files its templates read (`{file:PATH}`), relative to the repository.
    pub files: Vec<String>,
    /// The credentials it will need.
    pub needs: Vec<super::Need>,
}

/// How many lines of a command's output the journal keeps.
const TAIL_LINES: usize = 40;

/// What a step sees while it runs.
pub struct RunCx<'a> {
    pub project: &'a Project,
    pub env: &'a Environment,
    pub plan: &'a PlanFacts,
    pub journal: Box<dyn Ledger + 'a>,
    /// The index of the running step in the journal's records.
    pub index: usize,
    pub reporter: &'a mut dyn Reporter,
    pub prompter: &'a mut dyn Prompter,
    pub redactor: &'a Redactor,
    /// `resume --confirm`: the person says the step they were asked to do is done.
    pub confirmed: bool,
    /// The other checkout the step acts in (its `dir`), when it has one.
    pub checkout: Option<&'a Checkout>,
}

/// Another checkout a step acts in (`dir = "../platform-web"`).
#[derive(Debug, Clone)]
pub struct Checkout {
    /// The top of its work tree.
    pub root: PathBuf,
    pub repo: relman_git::Repository,
}

impl std::fmt::Debug for RunCx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunCx")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

impl<'a> RunCx<'a> {
    /// Every value a template can use now: the plan's, those learnt while running, the outputs
    /// of steps with an id, and the environment.
    pub fn variables(&self) -> Variables {
        let mut variables = with_env(&self.plan.variables, self.env);
        let produced = self.produced();
        // A value that cannot be had stays masked here: the executor does not run a step
        // whose templates use it (see `withheld`).
        for (key, masked, value) in &produced {
            if !key.starts_with("steps.") {
                variables.set(key.clone(), value.as_deref().unwrap_or(masked));
            }
        }
        // In another checkout, `{branch}`, `{sha}` and `{remote}` are that checkout's, as the
        // plan showed them.
        if let Some(checkout) = self.checkout {
            variables.set("remote", "origin");
            if let Ok(Some(branch)) = checkout.repo.current_branch() {
                variables.set("branch", branch);
            }
            if let Ok(sha) = checkout.repo.head_sha() {
                variables.set("short_sha", sha.get(..7).unwrap_or(&sha).to_owned());
                variables.set("sha", sha);
            }
        }
        // The section as the file had it when this step started (see `CHANGELOG_READ`).
        if let Some(section) = self.journal.records()[self.index]
            .context
            .get(CHANGELOG_READ)
        {
            variables.set("changelog", section.clone());
        }
        for (key, masked, value) in produced {
            if key.starts_with("steps.") {
                variables.set(key, value.unwrap_or(masked));
            }
        }
        // `{file:PATH}`: read now, so an earlier step's (or a person's) edit is what is used.
        if let Some(step) = self.plan.steps.get(self.index) {
            for path in &step.files {
                if let Ok(text) = self.read_file(path) {
                    variables.set(format!("{FILE_PREFIX}{path}"), text);
                }
            }
        }
        variables
    }

    /// The values learnt while running and the outputs of steps with an id, by the variable
    /// that names them (`release_url`, `steps.ID.NAME`), as produced: kept by this process, or
    /// rebuilt from the journal's seal with the secret variables as set now. `Err` says why a
    /// value that held a secret cannot be had (the journal keeps it masked only).
    fn produced(&self) -> Vec<(String, String, Result<String, Withheld>)> {
        let mut values = Vec::new();
        for (name, value) in self.journal.runtime() {
            let produced = self.as_produced(&format!("runtime:{name}"), value);
            values.push((name.clone(), value.clone(), produced));
        }
        for (index, (step, record)) in self
            .plan
            .steps
            .iter()
            .zip(self.journal.records())
            .enumerate()
        {
            if let Some(id) = &step.id {
                for (name, value) in &record.outputs {
                    let produced = self.as_produced(&format!("step:{index}:{name}"), value);
                    values.push((format!("steps.{id}.{name}"), value.clone(), produced));
                }
            }
        }
        values
    }

    fn as_produced(&self, key: &str, masked: &str) -> Result<String, Withheld> {
        if let Some(value) = self.journal.unmasked().0.get(key) {
            return Ok(value.clone());
        }
        match self.journal.sealed().get(key) {
            None => Ok(masked.to_owned()),
            Some(None) => Err(Withheld::Lost),
            Some(Some(parts)) => {
                sealed::unseal(parts, |name| self.env.var(name).map(str::to_owned))
                    .map_err(|name| Withheld::Unset(name.to_owned()))
            }
        }
    }

    /// The values this step's templates use that held a secret and cannot be had now (a
    /// release resumed without the variable it came from), with why: the step must not run with
    /// `****` in their place.
    pub fn withheld(&self) -> BTreeMap<String, Withheld> {
        self.produced()
            .into_iter()
            .filter_map(|(key, _, value)| value.err().map(|why| (key, why)))
            .collect()
    }

    /// The text of a `{file:PATH}` of the repository, now.
    pub fn read_file(&self, path: &str) -> Result<String, StepError> {
        let full = super::paths::inside(&self.project.root, path, "`{file:…}`")?;
        relman_version::files::read_text_bounded(
            &full,
            relman_version::files::bounded::MAX_CHANGELOG,
        )
        .map_err(|error| {
            StepError::new(format!("cannot read `{{file:{path}}}`: {error}"))
                .with_hint("the file must exist, as UTF-8 text, when the step runs")
        })
    }

    pub fn render(&self, template: &Template) -> Result<String, StepError> {
        for placeholder in template.placeholders() {
            if let Placeholder::File(path) = placeholder {
                self.read_file(path)?;
            }
        }
        template.render(&self.variables()).map_err(|unresolved| {
            StepError::new(format!("{unresolved} yet"))
                .with_hint("a step can only use values that earlier steps produced")
        })
    }

    pub fn record(&mut self) -> &mut StepRecord {
        &mut self.journal.records_mut()[self.index]
    }

    pub fn number(&self) -> usize {
        self.journal.records()[self.index].number
    }

    /// Writes the journal now (a step records what it is about to do before doing it).
    pub fn save(&mut self) -> Result<(), StepError> {
        self.journal.save()
    }

    /// A line of output: shown live and kept (masked) in the journal's tail.
    pub fn output(&mut self, line: &str) {
        let line = self.redactor.redact(line);
        let number = self.number();
        let tail = &mut self.record().output_tail;
        tail.push(line.clone());
        if tail.len() > TAIL_LINES {
            let excess = tail.len() - TAIL_LINES;
            tail.drain(..excess);
        }
        self.reporter.event(Event::StepOutput { number, line });
    }

    /// Says what the step is waiting for.
    pub fn waiting(&mut self, what: &str, elapsed_secs: u64) {
        let number = self.number();
        let what = self.redactor.redact(what);
        self.reporter.event(Event::Waiting {
            number,
            what,
            elapsed_secs,
        });
    }

    /// The journal keeps it masked; later steps of this run get it as it was (masking is for
    /// showing and storing, never for use).
    pub fn set_output(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        let masked = self.redactor.redact(&value);
        let key = format!("step:{}:{name}", self.index);
        self.keep_unmasked(key, value, &masked);
        self.record().outputs.insert(name.to_owned(), masked);
    }

    /// A value later steps' templates see (`sha` after a commit, `release_url` …); masked in
    /// the journal, as it was for later steps of this run.
    pub fn set_runtime(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        let masked = self.redactor.redact(&value);
        self.keep_unmasked(format!("runtime:{name}"), value, &masked);
        self.journal.runtime_mut().insert(name.to_owned(), masked);
    }

    /// Keeps a value that held a secret as produced for this process, and sealed for the
    /// journal, so that a resumed release rebuilds it from the variables it came from.
    fn keep_unmasked(&mut self, key: String, value: String, masked: &str) {
        if value == masked {
            self.journal.unmasked_mut().0.remove(&key);
            self.journal.sealed_mut().remove(&key);
        } else {
            let seal = sealed::seal(self.redactor, &value);
            self.journal.sealed_mut().insert(key.clone(), seal);
            self.journal.unmasked_mut().0.insert(key, value);
        }
    }

    pub fn context_value(&self, key: &str) -> Option<&str> {
        self.journal.records()[self.index]
            .context
            .get(key)
            .map(String::as_str)
    }

    pub fn set_context(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        self.record().context.insert(key.to_owned(), value);
    }

    /// Records a local effect `abort` can take back. A file this step restores already is
    /// recorded once, with the bytes it held before the step's first attempt (a step run again
    /// after a crash finds its own bytes there).
    pub fn push_undo(&mut self, undo: Undo) {
        let undos = &self.record().undo;
        let known = undos.contains(&undo)
            || matches!(&undo, Undo::RestoreFile { path, .. } if undos.iter().any(
                |other| matches!(other, Undo::RestoreFile { path: known, .. } if known == path)
            ));
        if !known {
            self.record().undo.push(undo);
        }
    }

    /// Records what `path` (relative to the step's work tree) holds now as what this step
    /// wrote there, for a file another program wrote (a signature).
    pub fn record_written(&mut self, path: &Path) {
        let written = Written::of_file(&self.root().join(path)).ok();
        for undo in &mut self.record().undo {
            if let Undo::RestoreFile {
                path: restored,
                written: known,
                ..
            } = undo
                && restored == path
            {
                known.clone_from(&written);
            }
        }
    }

    /// Records an effect outside the clone (masked: it names URLs, which may carry secrets).
    pub fn push_remote(&mut self, mut effect: RemoteEffect) {
        effect.description = self.redactor.redact(&effect.description);
        effect.undo_hint = self.redactor.redact(&effect.undo_hint);
        if !self.record().remote.contains(&effect) {
            self.record().remote.push(effect);
        }
    }

    /// Files changed by the steps before this one since the last commit in the same checkout
    /// (what a `commit` stages).
    pub fn changed_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = Vec::new();
        let here = &self.plan.steps[self.index].dir;
        // Only the files changed in the same checkout: a commit in `../docs` stages what the
        // steps acting in `../docs` changed.
        let same_checkout = self.plan.steps[..self.index]
            .iter()
            .map(|step| (&step.dir == here, step.commits));
        for (record, (same, commit)) in self.journal.records()[..self.index]
            .iter()
            .zip(same_checkout)
        {
            if !same {
                continue;
            }
            // An earlier commit here took what was changed before it.
            if commit && record.state != StepState::Skipped {
                files.clear();
                continue;
            }
            if let Some(list) = record.context.get(CHANGED) {
                for path in list.lines().filter(|line| !line.is_empty()) {
                    let path = PathBuf::from(path);
                    if !files.contains(&path) {
                        files.push(path);
                    }
                }
            }
        }
        files
    }

    /// Records files this step changed, relative to the work tree.
    pub fn record_changed(&mut self, paths: &[PathBuf]) {
        let root = self.root().to_owned();
        let mut list: Vec<String> = self
            .context_value(CHANGED)
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        for path in paths {
            let relative = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            if !list.contains(&relative) {
                list.push(relative);
            }
        }
        self.set_context(CHANGED, list.join("\n"));
    }

    /// The work tree the step acts in (its `dir`, else the project's).
    pub fn root(&self) -> &'a Path {
        match self.checkout {
            Some(checkout) => &checkout.root,
            None => &self.project.root,
        }
    }

    /// The repository the step acts in (its `dir`'s, else the project's).
    pub fn repo(&self) -> &'a relman_git::Repository {
        match self.checkout {
            Some(checkout) => &checkout.repo,
            None => &self.project.repo,
        }
    }

    /// The remote a git step pushes to by default: the project's, or `origin` in another
    /// checkout.
    pub fn default_remote(&self) -> &'a str {
        match self.checkout {
            Some(_) => "origin",
            None => &self.project.remote,
        }
    }
}

/// Context key of the files a step changed.
pub const CHANGED: &str = "changed";

/// Context key of this release's changelog section as the file held it when the step that uses
/// `{changelog}` started: read once, so a resumed step sends what it sent before.
pub const CHANGELOG_READ: &str = "changelog_read";

/// Context key of the identity (pid and start time) of the command a step started, recorded
/// before relman waits on it: after a crash, `resume` does not start it again while it runs.
pub const CHILD_PROCESS: &str = "child_process";
