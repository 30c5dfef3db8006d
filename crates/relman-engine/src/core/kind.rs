//! [`Kind`]: what a step kind implements, and [`KindSpec`]: what it declares. Each kind is one
//! module of `crate::kinds` with a type implementing [`Kind`]; the registry there lists them once
//! and generates the `StepKind` enum and every dispatch from that list.

use super::explain::{ExplainCx, Explained};
use super::options::{OptionSpec, OptionType, Options, Reported};
use super::{Effect, Need, Outcome, PlanCx, Probe, RunCx, Simulation, StepError, StepInfo};
use crate::template::{Template, Variables};

/// What a kind declares: its key, the values and options it takes, what it exposes. Validation,
/// the JSON Schema and `relman docs` all read it, so a kind cannot be documented one way and
/// validated another.
#[derive(Debug)]
pub struct KindSpec {
    /// The key that names the kind in a step table, e.g. `cherry-pick`.
    pub key: &'static str,
    /// What the kind key's value is (a string, a list, a number …).
    pub key_type: OptionType,
    /// What the kind does, one line (`relman docs`, the schema).
    pub summary: &'static str,
    /// The values the kind key accepts, when it is a fixed set (`check`, `wait`, `verify` …).
    pub values: &'static [&'static str],
    /// Options besides the common ones, in the order messages list them.
    pub options: &'static [OptionSpec],
    /// Whether the step can act in another checkout (`dir`, `clone`).
    pub in_checkout: bool,
    /// Whether the kind key is also an option of other kinds (`tag`, `branch`, `switch`) or
    /// belongs with them (`push`, `merge`): such a step is of this kind only when it names no
    /// other kind key, and one of these explains the others (`branch` with `switch = false`).
    pub yields: bool,
    /// Whether `name` is this kind's own option (a release's title) rather than the step's
    /// display name.
    pub owns_name: bool,
    /// Whether it only reads: checks after it still run while the plan is made.
    pub read_only: bool,
    /// Whether it commits what the steps before it changed in its checkout.
    pub commits: bool,
    /// Whether it writes a version: the workflow's first decides `{version}`, a later one
    /// `{dev_version}`.
    pub writes_version: bool,
    /// Whether it writes this release's section into the changelog (else the plan takes a
    /// section a person wrote, when there is one).
    pub writes_changelog: bool,
    /// Whether every file it changes in the work tree is one the plan knows of (so a later
    /// `commit` can tell there is nothing to commit); commands and people may change anything.
    pub plans_its_files: bool,
    /// The outputs it exposes as `{steps.ID.NAME}` (besides any its options name).
    pub outputs: &'static [&'static str],
    /// Whether, when a run releases several packages, it runs once for each of them (a bump, a
    /// tag, a forge release), with that package's `{version}`, `{tag}` and `{changelog}`.
    pub per_package: bool,
    /// The options (as `templates()` names them; the kind key for its own value) that name
    /// files or folders: `check`, `plan` and the run keep them inside the work tree it acts in.
    pub paths: &'static [&'static str],
}

impl KindSpec {
    /// A spec with only its key and summary; the rest is set with struct update syntax.
    pub const fn new(key: &'static str, summary: &'static str) -> KindSpec {
        KindSpec {
            key,
            key_type: OptionType::String,
            summary,
            values: &[],
            options: &[],
            in_checkout: false,
            yields: false,
            owns_name: false,
            read_only: false,
            commits: false,
            writes_version: false,
            writes_changelog: false,
            plans_its_files: false,
            outputs: &[],
            per_package: false,
            paths: &[],
        }
    }
}

impl KindSpec {
    /// Whether `option` is valid on this kind.
    pub fn takes(&self, option: &str) -> bool {
        self.all_options().any(|taken| taken == option)
    }

    /// Every option this kind takes: the common ones, its own, then `dir` and `clone` when it
    /// can act in another checkout (the order messages list them in).
    pub fn all_options(&self) -> impl Iterator<Item = &'static str> + '_ {
        let checkout: &[OptionSpec] = if self.in_checkout {
            super::options::CHECKOUT
        } else {
            &[]
        };
        super::options::COMMON
            .iter()
            .chain(self.options)
            .chain(checkout)
            .map(|option| option.key)
    }
}

/// One step kind: how it reads its options, what it says it does, and what it does.
pub trait Kind: Sized {
    const SPEC: KindSpec;

    /// Reads the kind's options from its step table, which holds only keys the kind takes.
    /// Problems are reported through `options` (with their place in the file), then `Err`.
    fn parse(options: &mut Options<'_>) -> Result<Self, Reported>;

    /// The outputs it exposes as `{steps.ID.NAME}`.
    fn outputs(&self) -> Vec<String> {
        Self::SPEC
            .outputs
            .iter()
            .map(|name| (*name).to_owned())
            .collect()
    }

    /// Every template among its options, with the option's name.
    fn templates(&self) -> Vec<(&'static str, &Template)>;

    /// Whether it runs once per package when a run releases several ([`KindSpec::per_package`],
    /// unless its options say otherwise).
    fn per_package(&self) -> bool {
        Self::SPEC.per_package
    }

    /// What it needs from the machine it runs on (a token, a signing key), proven by `plan`
    /// before any effect. The `{env.NAME}` among its templates are needs without saying so.
    fn needs(&self) -> Vec<Need> {
        Vec::new()
    }

    /// Whether it uses this release's changelog section (besides any `{changelog}` among its
    /// templates), so the plan renders it.
    fn needs_changelog(&self) -> bool {
        false
    }

    /// Its JSON options whose strings are templates (`json`, `payload`, `parameters`).
    fn json_values(&self) -> Vec<&serde_json::Value> {
        Vec::new()
    }

    /// What it does in a few words: the step's title when it has no `name`.
    fn describe(&self, variables: &Variables) -> String;

    /// What it does in plain English, for `relman docs`: a sentence, then details.
    fn explain(&self, cx: &mut ExplainCx<'_>) -> Explained;

    /// Its effects, for the plan.
    fn preview(&self, step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError>;

    /// Its effects when it acts in another checkout (`dir`), after the note saying where.
    fn preview_in_checkout(
        &self,
        step: &StepInfo<'_>,
        cx: &mut PlanCx<'_>,
    ) -> Result<Vec<Effect>, StepError> {
        self.preview(step, cx)
    }

    /// Acts. The executor has recorded the step as running before calling this.
    fn execute(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError>;

    /// Whether its effect is already there, for a step that was running when relman died.
    fn probe(&self, step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError>;

    /// Why it would do nothing at this point of the plan (a commit with nothing to commit), so
    /// the plan leaves it out; `None` when it acts.
    fn nothing_to_do(&self, sim: &Simulation) -> Option<String> {
        let _ = sim;
        None
    }

    /// Why it does nothing for the package `project` is scoped to, in a run of several packages
    /// (a publish to npm for a crate), so the plan leaves that package's step out; `None` when
    /// it acts.
    fn not_for(&self, project: &crate::project::Project) -> Option<String> {
        let _ = project;
        None
    }

    /// The command `abort` runs to take it back, rendered now (a `run` step's `undo`).
    fn undo_command(&self, cx: &RunCx<'_>) -> Result<Option<UndoCommand>, StepError> {
        let _ = cx;
        Ok(None)
    }
}

/// A command that takes a step back, ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoCommand {
    pub argv: Vec<String>,
    pub cwd: std::path::PathBuf,
    pub env: Vec<(String, String)>,
}

/// Collects a kind's templates with the names of their options (for [`Kind::templates`]).
#[derive(Debug, Default)]
pub struct TemplateList<'a>(Vec<(&'static str, &'a Template)>);

impl<'a> TemplateList<'a> {
    pub fn new() -> Self {
        TemplateList(Vec::new())
    }

    pub fn one(mut self, name: &'static str, template: &'a Template) -> Self {
        self.0.push((name, template));
        self
    }

    pub fn opt(mut self, name: &'static str, template: &'a Option<Template>) -> Self {
        self.0
            .extend(template.iter().map(|template| (name, template)));
        self
    }

    pub fn all(mut self, name: &'static str, templates: &'a [Template]) -> Self {
        self.0
            .extend(templates.iter().map(|template| (name, template)));
        self
    }

    /// The values of `(key, template)` pairs (`env`, `headers`, `inputs`).
    pub fn values(mut self, name: &'static str, pairs: &'a [(String, Template)]) -> Self {
        self.0
            .extend(pairs.iter().map(|(_, template)| (name, template)));
        self
    }

    pub fn list(self) -> Vec<(&'static str, &'a Template)> {
        self.0
    }
}
