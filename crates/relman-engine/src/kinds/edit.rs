//! `edit = "PATH"`: set one value in any file of the repository, or of the `dir` checkout the
//! step acts in (a Helm chart's image tag, a website's latest version, a downstream pin). The
//! place is a `pattern` in which `{value}` stands for the value, or a dotted `key` of a TOML,
//! JSON, YAML or properties file; only the value's bytes change (relman-version's editing, as for
//! version files). The path must stay inside the work tree, symbolic links included.

use std::path::{Path, PathBuf};

use relman_version::files::{VALUE_PLACEHOLDER, ValuePlace, plan_value, write_atomic};
use serde::{Deserialize, Serialize};

use crate::core::explain::{ExplainCx, Explained, code, show_code};
use crate::core::options::{OptionSpec, OptionType, Options, Reported, StringOrBool};
use crate::core::paths::{inside, relative_to};
use crate::core::{
    Effect, Kind, KindSpec, Outcome, PlanCx, Probe, RunCx, StepError, StepInfo, TemplateList, Undo,
};
use crate::template::{Template, Variables};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditStep {
    pub path: Template,
    /// Where the value is (the pattern is not a template: its `{value}` is the place).
    pub place: Place,
    pub value: Template,
}

/// Where the value is in the file (frozen into the journal as written).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    Pattern(String),
    Key(String),
}

impl Place {
    fn value_place(&self) -> ValuePlace {
        match self {
            Place::Pattern(pattern) => ValuePlace::Pattern(pattern.clone()),
            Place::Key(key) => ValuePlace::Key(key.clone()),
        }
    }
}

const PATTERN: &str =
    "On `edit`: the text around the value, `{value}` standing for it (matched literally, once).";
const KEY: &str =
    "On `edit`: the dotted key whose string value is set (TOML, JSON, YAML, properties).";

impl Kind for EditStep {
    const SPEC: KindSpec = KindSpec {
        paths: &["edit"],
        // `edit = true` is also the changelog's option (open the section in an editor).
        key_type: OptionType::StringOrBool,
        options: &[
            OptionSpec::string("pattern").about(PATTERN),
            OptionSpec::string("key").about(KEY),
            OptionSpec::string("value"),
        ],
        in_checkout: true,
        yields: true,
        plans_its_files: true,
        outputs: &["previous"],
        ..KindSpec::new(
            "edit",
            "set one value in a file, by pattern or key, byte-exact",
        )
    };

    fn parse(options: &mut Options<'_>) -> Result<Self, Reported> {
        let path = options.string_or_bool("edit").ok_or(Reported)?;
        let span = path.span();
        let StringOrBool::String(text) = path.into_inner() else {
            return Err(options.error_hint(
                span,
                "`edit` names the file to edit",
                "write `edit = \"deploy/values.yaml\"` with `key` or `pattern`, and `value`",
            ));
        };
        let path = options.template_text(&text, span)?;
        let pattern = options.string("pattern");
        let key = options.string("key");
        let place = match (pattern, key) {
            (Some(pattern), None) => {
                let count = pattern.get_ref().matches(VALUE_PLACEHOLDER).count();
                if count != 1 {
                    return Err(options.error_hint(
                        pattern.span(),
                        format!("the pattern holds `{{value}}` {count} times, not once"),
                        "write `{value}` once where the value stands, e.g. `tag: \"{value}\"`",
                    ));
                }
                Place::Pattern(pattern.into_inner())
            }
            (None, Some(key)) => Place::Key(key.into_inner()),
            (Some(_), Some(key)) => {
                return Err(options.error_hint(
                    key.span(),
                    "an `edit` step takes `pattern` or `key`, not both",
                    "keep one of them",
                ));
            }
            (None, None) => {
                return Err(options.error_hint(
                    options.whole(),
                    "an `edit` step needs `pattern` or `key`",
                    "add `key = \"image.tag\"` or `pattern = 'version: \"{value}\"'`",
                ));
            }
        };
        Ok(EditStep {
            path,
            place,
            value: options.required("value", "\"{version}\"")?,
        })
    }

    fn templates(&self) -> Vec<(&'static str, &Template)> {
        TemplateList::new()
            .one("edit", &self.path)
            .one("value", &self.value)
            .list()
    }

    fn describe(&self, variables: &Variables) -> String {
        format!("edit {}", self.path.render_partial(variables))
    }

    fn explain(&self, _cx: &mut ExplainCx<'_>) -> Explained {
        Explained::new(format!(
            "Set {} in {} to {}.",
            self.place_words(),
            show_code(&self.path),
            show_code(&self.value)
        ))
        .detail("Only the value's bytes change; the file must hold that place exactly once.")
    }

    fn preview(&self, _step: &StepInfo<'_>, cx: &mut PlanCx<'_>) -> Result<Vec<Effect>, StepError> {
        let relative = cx.render_strict(&self.path)?;
        let full = inside(&cx.project.root, &relative, "the file to edit")?;
        let display = relative_to(&cx.project.root, &full);
        cx.sim.changed_anything = true;
        cx.sim.touch(display.clone());
        let Ok(value) = cx.render_strict(&self.value) else {
            return Ok(vec![self.later(cx)]);
        };
        // A version file a `bump` before has changed is read as the bump leaves it.
        let overlay = cx.sim.overlay_root(cx.project)?;
        let root = if overlay.join(&display).is_file() {
            overlay
        } else {
            cx.project.root.clone()
        };
        let (old, edit) = plan_value(&root, &display, &self.place.value_place(), &value)?;
        Ok(vec![match edit {
            None => Effect::Note {
                text: format!("`{}` holds `{old}` already", display.display()),
            },
            Some(edit) => Effect::File {
                diff: crate::core::unified_diff(
                    &display.to_string_lossy(),
                    Some(&String::from_utf8_lossy(&edit.before)),
                    &String::from_utf8_lossy(&edit.after),
                ),
                path: display,
            },
        }])
    }

    fn preview_in_checkout(
        &self,
        _step: &StepInfo<'_>,
        cx: &mut PlanCx<'_>,
    ) -> Result<Vec<Effect>, StepError> {
        // What a later `commit` there takes.
        cx.sim.changed_anything = true;
        cx.sim.touch(PathBuf::from(cx.render(&self.path)));
        Ok(vec![self.later(cx)])
    }

    fn execute(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Outcome, StepError> {
        let (root, relative) = self.target(cx)?;
        let value = cx.render(&self.value)?;
        let (old, edit) = plan_value(&root, &relative, &self.place.value_place(), &value)?;
        cx.set_output("previous", old.clone());
        let Some(edit) = edit else {
            cx.output(&format!("{} holds `{value}` already", relative.display()));
            return Ok(Outcome::Done);
        };
        cx.push_undo(Undo::restore_file(
            relative_to(&cx.project.root, &root.join(&relative)),
            String::from_utf8(edit.before.clone()).ok(),
            Some(&edit.after),
        ));
        cx.record_changed(std::slice::from_ref(&relative));
        cx.save()?;
        write_atomic(&edit.path, &edit.after)?;
        cx.output(&format!("{}: `{old}` → `{value}`", relative.display()));
        Ok(Outcome::Done)
    }

    fn probe(&self, _step: &StepInfo<'_>, cx: &mut RunCx<'_>) -> Result<Probe, StepError> {
        let (root, relative) = self.target(cx)?;
        let value = cx.render(&self.value)?;
        Ok(
            match plan_value(&root, &relative, &self.place.value_place(), &value) {
                Ok((old, None)) => {
                    cx.set_output("previous", old);
                    Probe::Done
                }
                _ => Probe::NotDone,
            },
        )
    }
}

impl EditStep {
    fn place_words(&self) -> String {
        match &self.place {
            Place::Pattern(pattern) => format!("the value of the pattern {}", code(pattern)),
            Place::Key(key) => format!("the key {}", code(key)),
        }
    }

    /// An effect for an edit whose value or file is only known when it runs.
    fn later(&self, cx: &PlanCx<'_>) -> Effect {
        Effect::Note {
            text: format!(
                "set {} in `{}` to `{}`",
                self.place_words(),
                cx.render(&self.path),
                cx.render(&self.value)
            ),
        }
    }

    /// The work tree (resolved) and the file in it.
    fn target(&self, cx: &RunCx<'_>) -> Result<(PathBuf, PathBuf), StepError> {
        let relative = cx.render(&self.path)?;
        let full = inside(cx.root(), &relative, "the file to edit")?;
        let root = fs_err::canonicalize(cx.root())
            .map_err(|error| StepError::new(format!("cannot read the work tree: {error}")))?;
        let relative = full
            .strip_prefix(&root)
            .map(Path::to_path_buf)
            .unwrap_or(full.clone());
        Ok((root, relative))
    }
}
