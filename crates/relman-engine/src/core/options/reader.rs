//! [`Options`]: the step table one kind reads its options from. The config's validation has
//! already decided the kind and checked that every key belongs to it; the kind takes its values
//! by key, checks what only it knows (a value among a fixed set, options that go together), and
//! reports problems at their place in the file.

use std::ops::Range;

use indexmap::IndexMap;
use toml::Spanned;

use super::{
    OptionValue, StringOrBool, StringOrInt, StringOrList, toml_to_json, visit_json_strings,
};
use crate::template::{Suggestion, Template};

/// A problem was reported (with its place in the file); the step is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

/// Where problems go, and how a template is checked against what the workflow provides. The
/// config's validation implements it.
pub trait Checker {
    /// Reports a problem at `span` of the file.
    fn error(&mut self, span: Range<usize>, message: String, hint: Option<String>);
    /// Parses a template and checks its placeholders (`{args.x}`, `{steps.ID.NAME}` …);
    /// `None` when it reported a problem.
    fn template(&mut self, text: &str, span: Range<usize>) -> Option<Template>;
}

/// The options of one step, as its kind reads them.
pub struct Options<'a> {
    kind: &'static str,
    values: IndexMap<&'static str, OptionValue>,
    whole: Range<usize>,
    checker: &'a mut dyn Checker,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("kind", &self.kind)
            .field("values", &self.values)
            .finish_non_exhaustive()
    }
}

impl<'a> Options<'a> {
    /// The options of a `kind` step whose table spans `whole`.
    pub fn new(
        kind: &'static str,
        values: IndexMap<&'static str, OptionValue>,
        whole: Range<usize>,
        checker: &'a mut dyn Checker,
    ) -> Self {
        Options {
            kind,
            values,
            whole,
            checker,
        }
    }

    /// The span of the whole step, for problems that belong to no one key.
    pub fn whole(&self) -> Range<usize> {
        self.whole.clone()
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) -> Reported {
        self.checker.error(span, message.into(), None);
        Reported
    }

    pub fn error_hint(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Reported {
        self.checker.error(span, message.into(), Some(hint.into()));
        Reported
    }

    /// Whether the step has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// Takes the value of `key` out of the table.
    pub fn take(&mut self, key: &str) -> Option<OptionValue> {
        self.values.shift_remove(key)
    }

    /// A string option as written, with its place.
    pub fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        match self.take(key)? {
            OptionValue::String(value) => Some(value),
            other => self.mismatch(key, &other),
        }
    }

    pub fn string_or_list(&mut self, key: &str) -> Option<Spanned<StringOrList>> {
        match self.take(key)? {
            OptionValue::StringOrList(value) => Some(value),
            other => self.mismatch(key, &other),
        }
    }

    pub fn string_or_bool(&mut self, key: &str) -> Option<Spanned<StringOrBool>> {
        match self.take(key)? {
            OptionValue::StringOrBool(value) => Some(value),
            other => self.mismatch(key, &other),
        }
    }

    pub fn string_or_int(&mut self, key: &str) -> Option<Spanned<StringOrInt>> {
        match self.take(key)? {
            OptionValue::StringOrInt(value) => Some(value),
            other => self.mismatch(key, &other),
        }
    }

    pub fn flag(&mut self, key: &str) -> Option<bool> {
        match self.take(key)? {
            OptionValue::Bool(value) => Some(value),
            // A key that is also a kind key taking a string or a boolean (`edit`).
            OptionValue::StringOrBool(value)
                if matches!(value.get_ref(), StringOrBool::Bool(_)) =>
            {
                Some(matches!(value.get_ref(), StringOrBool::Bool(true)))
            }
            other => self.mismatch(key, &other),
        }
    }

    pub fn u16(&mut self, key: &str) -> Option<u16> {
        match self.take(key)? {
            OptionValue::U16(value) => Some(value),
            other => self.mismatch(key, &other),
        }
    }

    pub fn u32(&mut self, key: &str) -> Option<u32> {
        match self.take(key)? {
            OptionValue::U32(value) => Some(value),
            other => self.mismatch(key, &other),
        }
    }

    /// A table of strings, as written.
    pub fn map(&mut self, key: &str) -> IndexMap<String, Spanned<String>> {
        match self.take(key) {
            None => IndexMap::new(),
            Some(OptionValue::Map(value)) => value,
            Some(other) => self.mismatch(key, &other).unwrap_or_default(),
        }
    }

    /// A table of any values, as written.
    pub fn table(&mut self, key: &str) -> Option<Spanned<toml::Table>> {
        match self.take(key)? {
            OptionValue::Table(value) => Some(value),
            other => self.mismatch(key, &other),
        }
    }

    /// An option that names an environment variable (`token-env`): a name, never a template
    /// (`{env.X}` would be looked up as written); a problem otherwise.
    pub fn env_name(&mut self, key: &str) -> Result<Option<String>, Reported> {
        let Some(value) = self.string(key) else {
            return Ok(None);
        };
        let name = value.get_ref();
        let valid = name
            .chars()
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid {
            return Ok(Some(value.into_inner()));
        }
        Err(self.error_hint(
            value.span(),
            format!("`{key}` names an environment variable, and `{name}` is not a name"),
            format!(
                "write the variable's name, e.g. `{key} = \"MY_TOKEN\"`: this option is not a template"
            ),
        ))
    }

    /// A string option that is a template, checked.
    pub fn template(&mut self, key: &str) -> Result<Option<Template>, Reported> {
        match self.string(key) {
            None => Ok(None),
            Some(value) => self.parse_template(&value).map(Some),
        }
    }

    /// A template option the kind cannot do without: `a `KIND` step needs `KEY``, with an
    /// example of it.
    pub fn required(&mut self, key: &str, example: &str) -> Result<Template, Reported> {
        match self.string(key) {
            Some(value) => self.parse_template(&value),
            None => Err(self.error_hint(
                self.whole(),
                format!("a `{}` step needs `{key}`", self.kind),
                format!("add `{key} = {example}`"),
            )),
        }
    }

    /// An array of templates, each checked.
    pub fn templates(&mut self, key: &str) -> Result<Vec<Template>, Reported> {
        let values = match self.take(key) {
            None => Vec::new(),
            Some(OptionValue::List(values)) => values,
            Some(other) => self.mismatch(key, &other).unwrap_or_default(),
        };
        let mut out = Vec::new();
        let mut ok = true;
        for value in values {
            match self.parse_template(&value) {
                Ok(template) => out.push(template),
                Err(Reported) => ok = false,
            }
        }
        if ok { Ok(out) } else { Err(Reported) }
    }

    /// A table of templates, each checked.
    pub fn template_map(&mut self, key: &str) -> Result<Vec<(String, Template)>, Reported> {
        let mut out = Vec::new();
        let mut ok = true;
        for (name, value) in self.map(key) {
            match self.parse_template(&value) {
                Ok(template) => out.push((name, template)),
                Err(Reported) => ok = false,
            }
        }
        if ok { Ok(out) } else { Err(Reported) }
    }

    /// A TOML value whose strings are templates, as JSON.
    pub fn json(&mut self, key: &str) -> Result<Option<serde_json::Value>, Reported> {
        let (span, value) = match self.take(key) {
            None => return Ok(None),
            Some(OptionValue::Json(value)) => (value.span(), value.into_inner()),
            Some(OptionValue::Table(table)) => {
                (table.span(), toml::Value::Table(table.into_inner()))
            }
            Some(other) => return Ok(self.mismatch(key, &other)),
        };
        self.json_value(Spanned::new(span, value)).map(Some)
    }

    /// A TOML value whose strings are templates, as JSON; every template is checked.
    pub fn json_value(
        &mut self,
        value: Spanned<toml::Value>,
    ) -> Result<serde_json::Value, Reported> {
        let span = value.span();
        let json = toml_to_json(value.into_inner());
        let mut ok = true;
        visit_json_strings(&json, &mut |text| {
            if self.checker.template(text, span.clone()).is_none() {
                ok = false;
            }
        });
        if ok { Ok(json) } else { Err(Reported) }
    }

    /// A template written at `span` (one entry of a list, a part of a value).
    pub fn template_text(&mut self, text: &str, span: Range<usize>) -> Result<Template, Reported> {
        self.checker.template(text, span).ok_or(Reported)
    }

    pub fn parse_template(&mut self, value: &Spanned<String>) -> Result<Template, Reported> {
        self.template_text(value.get_ref(), value.span())
    }

    /// `value` among `values`, or a problem naming `name` (the key), with the closest one.
    pub fn one_of<'v>(
        &mut self,
        value: &Spanned<String>,
        name: &str,
        values: &'v [&'v str],
    ) -> Result<&'v str, Reported> {
        let text = value.get_ref().as_str();
        if let Some(found) = values.iter().find(|candidate| **candidate == text) {
            return Ok(found);
        }
        let suggestion = Suggestion::closest(text, values.iter().copied());
        Err(self.error_hint(
            value.span(),
            format!("`{name} = \"{text}\"` is not a known {name}{suggestion}"),
            format!(
                "`{name}` takes {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }

    /// The kind read a key as another type than the one it declares: a mistake in the kind,
    /// never in the user's file.
    fn mismatch<T>(&self, key: &str, value: &OptionValue) -> Option<T> {
        panic!(
            "invariant: option `{key}` of `{}` steps is read as another type than it is declared with: {value:?}",
            self.kind
        )
    }
}
