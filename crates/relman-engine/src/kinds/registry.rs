//! The `kinds!` macro: from the one list of kinds in `kinds/mod.rs` it generates the `StepKind`
//! enum (serialized with the kind's name as `kind`, the
//! journal's format), the list of every kind's spec, and one dispatch per [`Kind`] method.
//!
//! [`Kind`]: crate::core::Kind

/// `kinds! { Variant(module::Type), … }`: one line per kind, in the order the kinds are listed
/// everywhere (the schema, the docs, messages).
macro_rules! kinds {
    ($($variant:ident($module:ident::$kind:ident)),* $(,)?) => {
        /// What a step does, with its resolved options.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "kebab-case")]
        pub enum StepKind {
            $($variant($module::$kind),)*
        }

        /// Every kind's spec, in the order of the list.
        pub const SPECS: &[&KindSpec] = &[$(&<$module::$kind as Kind>::SPEC),*];

        impl StepKind {
            /// Reads a step of the kind named `key` from its options; `None` when no kind has
            /// that key.
            pub(crate) fn parse(
                key: &str,
                options: &mut Options<'_>,
            ) -> Option<Result<StepKind, Reported>> {
                $(
                    if key == <$module::$kind as Kind>::SPEC.key {
                        return Some(<$module::$kind as Kind>::parse(options).map(StepKind::$variant));
                    }
                )*
                None
            }

            /// What the kind declares.
            pub fn spec(&self) -> &'static KindSpec {
                match self {
                    $(StepKind::$variant(_) => &<$module::$kind as Kind>::SPEC,)*
                }
            }

            /// The outputs the step exposes as `{steps.ID.NAME}`.
            pub fn outputs(&self) -> Vec<String> {
                match self {
                    $(StepKind::$variant(kind) => kind.outputs(),)*
                }
            }

            /// Every template in the step's options, with the option's name, for validation.
            pub fn templates(&self) -> Vec<(&'static str, &Template)> {
                match self {
                    $(StepKind::$variant(kind) => kind.templates(),)*
                }
            }

            /// Whether the step runs once per package in a run that releases several.
            pub fn per_package(&self) -> bool {
                match self {
                    $(StepKind::$variant(kind) => kind.per_package(),)*
                }
            }

            /// What the step needs from the machine it runs on, besides its `{env.NAME}`.
            pub fn needs(&self) -> Vec<crate::core::Need> {
                match self {
                    $(StepKind::$variant(kind) => kind.needs(),)*
                }
            }

            /// Whether the step uses this release's changelog section besides `{changelog}`.
            pub(crate) fn needs_changelog(&self) -> bool {
                match self {
                    $(StepKind::$variant(kind) => kind.needs_changelog(),)*
                }
            }

            /// Why the step would do nothing at this point of the plan, if it would not.
            pub(crate) fn nothing_to_do(&self, sim: &crate::core::Simulation) -> Option<String> {
                match self {
                    $(StepKind::$variant(kind) => kind.nothing_to_do(sim),)*
                }
            }

            /// Why the step does nothing for the package `project` is scoped to, if it does not.
            pub(crate) fn not_for(&self, project: &crate::project::Project) -> Option<String> {
                match self {
                    $(StepKind::$variant(kind) => kind.not_for(project),)*
                }
            }

            fn json_values(&self) -> Vec<&serde_json::Value> {
                match self {
                    $(StepKind::$variant(kind) => kind.json_values(),)*
                }
            }

            /// What the step does, in a few words (its title when it has no `name`).
            pub fn describe(&self, variables: &Variables) -> String {
                match self {
                    $(StepKind::$variant(kind) => kind.describe(variables),)*
                }
            }

            /// What the step does in plain English, for `relman docs`.
            pub fn explain(&self, cx: &mut ExplainCx<'_>) -> Explained {
                match self {
                    $(StepKind::$variant(kind) => kind.explain(cx),)*
                }
            }

            fn preview_kind(
                &self,
                step: &StepInfo<'_>,
                cx: &mut PlanCx<'_>,
            ) -> Result<Vec<Effect>, StepError> {
                match self {
                    $(StepKind::$variant(kind) => kind.preview(step, cx),)*
                }
            }

            fn preview_in_checkout(
                &self,
                step: &StepInfo<'_>,
                cx: &mut PlanCx<'_>,
            ) -> Result<Vec<Effect>, StepError> {
                match self {
                    $(StepKind::$variant(kind) => kind.preview_in_checkout(step, cx),)*
                }
            }

            fn execute_kind(
                &self,
                step: &StepInfo<'_>,
                cx: &mut RunCx<'_>,
            ) -> Result<Outcome, StepError> {
                match self {
                    $(StepKind::$variant(kind) => kind.execute(step, cx),)*
                }
            }

            fn probe_kind(
                &self,
                step: &StepInfo<'_>,
                cx: &mut RunCx<'_>,
            ) -> Result<Probe, StepError> {
                match self {
                    $(StepKind::$variant(kind) => kind.probe(step, cx),)*
                }
            }

            /// The command `abort` runs to take the step back, rendered now.
            pub(crate) fn undo_command(
                &self,
                cx: &RunCx<'_>,
            ) -> Result<Option<UndoCommand>, StepError> {
                match self {
                    $(StepKind::$variant(kind) => kind.undo_command(cx),)*
                }
            }
        }
    };
}

pub(super) use kinds;
