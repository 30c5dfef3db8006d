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

#[cfg(test)]
mod tests {
    use super::super::SPECS;

    /// The first cell of every row of the table of step kinds in `docs/configuration.md`
    /// (`` `mastodon = "https://fosstodon.org"` ``, `` `release = "draft"` / `"publish"` ``), and
    /// the whole row.
    fn documented_rows() -> Vec<(String, String)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/configuration.md");
        let text = fs_err::read_to_string(path).expect("docs/configuration.md is readable");
        let table = text
            .split_once("| kind | options | does |")
            .expect("docs/configuration.md has the table of step kinds")
            .1;
        table
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                let first = line.split('|').nth(1).unwrap_or_default().trim();
                (first.to_owned(), line.to_owned())
            })
            .collect()
    }

    /// The kind key a row documents: what its first code span says before ` =`.
    fn key_of(row: &str) -> &str {
        let code = row.trim_start_matches('`');
        code.split([' ', '`']).next().unwrap_or_default()
    }

    #[test]
    fn every_kind_is_documented_and_every_documented_kind_exists() {
        let rows = documented_rows();
        let keys: Vec<&str> = rows.iter().map(|(first, _)| key_of(first)).collect();
        for spec in SPECS {
            assert!(
                keys.contains(&spec.key),
                "`{}` is a kind but has no row in the table of step kinds of docs/configuration.md",
                spec.key
            );
        }
        for key in &keys {
            assert!(
                SPECS.iter().any(|spec| spec.key == *key),
                "docs/configuration.md documents the kind `{key}`, which the registry (kinds/mod.rs) does not list"
            );
        }
    }

    #[test]
    fn every_value_of_a_kind_is_documented_and_every_documented_value_exists() {
        let rows = documented_rows();
        for spec in SPECS.iter().filter(|spec| !spec.values.is_empty()) {
            let rows: Vec<&(String, String)> = rows
                .iter()
                .filter(|(first, _)| key_of(first) == spec.key)
                .collect();
            let documented: Vec<String> = rows
                .iter()
                .flat_map(|(first, _)| {
                    first
                        .split('"')
                        .skip(1)
                        .step_by(2)
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect();
            for value in spec.values {
                // In the first cell, or in a row's text (`push = "refspec"`).
                let spelled = format!("`{} = \"{value}\"`", spec.key);
                assert!(
                    documented.iter().any(|text| text == value)
                        || rows.iter().any(|(_, line)| line.contains(&spelled)),
                    "`{} = \"{value}\"` is not documented in docs/configuration.md",
                    spec.key
                );
            }
            for value in &documented {
                assert!(
                    spec.values.contains(&value.as_str()),
                    "docs/configuration.md documents `{} = \"{value}\"`, which the kind does not take",
                    spec.key
                );
            }
        }
    }

    /// A kind's module declared (`pub mod mastodon;`) but missing from the list would compile
    /// and never be offered: every type that implements `Kind` in a module of `kinds/` is listed.
    #[test]
    fn every_kind_module_is_in_the_list() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/kinds");
        let list = fs_err::read_to_string(format!("{dir}/mod.rs")).expect("kinds/mod.rs reads");
        let list = list
            .split_once("registry::kinds! {")
            .expect("kinds/mod.rs calls `registry::kinds!`")
            .1;
        let mut found = 0;
        for entry in fs_err::read_dir(dir).expect("src/kinds lists") {
            let path = entry.expect("an entry of src/kinds").path();
            // A kind is a file (`tag.rs`) or a folder (`check/mod.rs`).
            let source = if path.is_dir() {
                path.join("mod.rs")
            } else {
                path.clone()
            };
            let Ok(text) = fs_err::read_to_string(&source) else {
                continue;
            };
            let name = path
                .file_stem()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            for line in text.lines() {
                let Some(kind) = line.trim().strip_prefix("impl Kind for ") else {
                    continue;
                };
                let kind = kind.trim_end_matches(" {");
                found += 1;
                assert!(
                    list.contains(&format!("({name}::{kind})")),
                    "`{name}::{kind}` implements `Kind` but is not in the list of kinds! in kinds/mod.rs"
                );
            }
        }
        assert_eq!(found, SPECS.len(), "one `impl Kind for` per listed kind");
    }
}
