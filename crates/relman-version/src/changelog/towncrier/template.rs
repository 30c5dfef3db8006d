//! Custom towncrier templates (`template = "path/to/template.md"`), rendered with minijinja and the
//! context towncrier gives Jinja: `render_title`, `sections`, `definitions`, `underlines`,
//! `versiondata`, `top_underline`, `get_indent`, `issues_by_category`, `header_prefix`.
//!
//! towncrier's dicts keep insertion order and templates call Python methods on them, so the maps
//! here are ordered objects answering `items()`, `keys()`, `values()` and `get()`; common string
//! methods (`split`, `startswith`, `strip`, …) are provided too, and what Jinja does that
//! minijinja does differently is in [`super::jinja`].

use std::path::Path;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Environment, Error, ErrorKind, State};

use super::error::TowncrierError;
use super::notes::ReleaseNotes;
use super::render::{TemplateContext, get_indent};

/// A Python dict for templates: ordered string keys.
#[derive(Debug, Default)]
struct OrderedMap(Vec<(String, Value)>);

impl OrderedMap {
    fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.push((key.to_owned(), value.into()));
        self
    }

    fn into_value(self) -> Value {
        Value::from_object(self)
    }
}

impl Object for OrderedMap {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        self.0
            .iter()
            .find(|(existing, _)| existing == key)
            .map(|(_, value)| value.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(
            self.0
                .iter()
                .map(|(key, _)| Value::from(key.as_str()))
                .collect(),
        )
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "items" => Ok(Value::from(
                self.0
                    .iter()
                    .map(|(key, value)| Value::from(vec![Value::from(key.as_str()), value.clone()]))
                    .collect::<Vec<_>>(),
            )),
            "keys" => Ok(Value::from(
                self.0
                    .iter()
                    .map(|(key, _)| Value::from(key.as_str()))
                    .collect::<Vec<_>>(),
            )),
            "values" => Ok(Value::from(
                self.0
                    .iter()
                    .map(|(_, value)| value.clone())
                    .collect::<Vec<_>>(),
            )),
            "get" => {
                let key = args
                    .first()
                    .ok_or_else(|| Error::new(ErrorKind::MissingArgument, "get() needs a key"))?;
                Ok(self
                    .get_value(key)
                    .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::from(()))))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

fn string_arg(args: &[Value], index: usize) -> Option<&str> {
    args.get(index).and_then(Value::as_str)
}

/// Python string methods templates written for Jinja commonly call.
fn string_method(
    _state: &mut State<'_, '_>,
    value: &Value,
    method: &str,
    args: &[Value],
) -> Result<Value, Error> {
    if method == "append" {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "only a list a template starts empty (`{% set xs = [] %}`) can be appended to in relman templates; build the string with filters such as `join` instead",
        ));
    }
    let Some(text) = value.as_str() else {
        return Err(Error::from(ErrorKind::UnknownMethod));
    };
    let strings =
        |parts: Vec<&str>| Value::from(parts.into_iter().map(Value::from).collect::<Vec<_>>());
    let result = match method {
        "split" => {
            let limit = args
                .get(1)
                .and_then(|limit| i64::try_from(limit.clone()).ok())
                .filter(|&n| n >= 0);
            match (string_arg(args, 0), limit) {
                (Some(separator), Some(n)) => strings(
                    text.splitn(usize::try_from(n).unwrap_or(0) + 1, separator)
                        .collect(),
                ),
                (Some(separator), None) => strings(text.split(separator).collect()),
                (None, _) => strings(text.split_whitespace().collect()),
            }
        }
        "startswith" => {
            Value::from(string_arg(args, 0).is_some_and(|prefix| text.starts_with(prefix)))
        }
        "endswith" => Value::from(string_arg(args, 0).is_some_and(|suffix| text.ends_with(suffix))),
        "strip" => Value::from(super::pytext::strip(text)),
        "lstrip" => Value::from(super::pytext::lstrip(text)),
        "rstrip" => Value::from(super::pytext::rstrip(text)),
        "lower" => Value::from(text.to_lowercase()),
        "upper" => Value::from(text.to_uppercase()),
        "replace" => match (string_arg(args, 0), string_arg(args, 1)) {
            (Some(from), Some(to)) => Value::from(text.replace(from, to)),
            _ => {
                return Err(Error::new(
                    ErrorKind::MissingArgument,
                    "replace() needs two strings",
                ));
            }
        },
        _ => return Err(Error::from(ErrorKind::UnknownMethod)),
    };
    Ok(result)
}

fn context_value(context: &TemplateContext<'_>, notes: &ReleaseNotes) -> Value {
    let config = context.config;
    let mut sections = OrderedMap::default();
    let mut issues_by_category = OrderedMap::default();
    for section in &notes.sections {
        let mut categories = OrderedMap::default();
        let mut issues = OrderedMap::default();
        for category in &section.categories {
            let mut entries = OrderedMap::default();
            for entry in &category.entries {
                entries = entries.with(
                    &entry.text,
                    entry
                        .issues
                        .iter()
                        .map(String::as_str)
                        .map(Value::from)
                        .collect::<Vec<_>>(),
                );
            }
            categories = categories.with(&category.kind, entries.into_value());
            issues = issues.with(
                &category.kind,
                category
                    .issues
                    .iter()
                    .map(String::as_str)
                    .map(Value::from)
                    .collect::<Vec<_>>(),
            );
        }
        sections = sections.with(&section.name, categories.into_value());
        issues_by_category = issues_by_category.with(&section.name, issues.into_value());
    }
    let mut definitions = OrderedMap::default();
    for kind in &config.types {
        let definition = OrderedMap::default()
            .with("name", kind.name.as_str())
            .with("showcontent", kind.showcontent)
            .with("check", kind.check);
        definitions = definitions.with(&kind.key, definition.into_value());
    }
    let version = OrderedMap::default()
        .with("name", context.version.name.as_str())
        .with("version", context.version.version.as_str())
        .with("date", context.version.date.as_str());
    let all_bullets = config.all_bullets;
    OrderedMap::default()
        .with("render_title", context.render_title)
        .with("sections", sections.into_value())
        .with("definitions", definitions.into_value())
        .with(
            "underlines",
            context
                .underlines
                .iter()
                .map(String::as_str)
                .map(Value::from)
                .collect::<Vec<_>>(),
        )
        .with("versiondata", version.into_value())
        .with("top_underline", context.top_underline)
        .with(
            "get_indent",
            Value::from_function(move |text: &str| get_indent(all_bullets, text)),
        )
        .with("issues_by_category", issues_by_category.into_value())
        .with("header_prefix", context.header_prefix.as_str())
        .into_value()
}

/// Renders the template file at `path` as Jinja with `trim_blocks`, as towncrier does.
pub(crate) fn render_file(
    path: &Path,
    context: &TemplateContext<'_>,
    notes: &ReleaseNotes,
) -> Result<String, TowncrierError> {
    let source =
        crate::files::bounded::read_text_bounded(path, crate::files::bounded::MAX_CONFIG_FILE)?;
    let template_error = |error: Error| TowncrierError::Template {
        template: path.to_path_buf(),
        message: describe(&error),
    };
    let mut environment = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .build()
        .map_err(template_error)?;
    environment.set_syntax(syntax);
    environment.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    environment.set_unknown_method_callback(string_method);
    // Jinja's `joiner`, which templates use to separate issue links (pytest's).
    environment.add_function("joiner", |separator: Option<String>| {
        Value::from_object(Joiner {
            separator: separator.unwrap_or_else(|| ", ".to_owned()),
            called: std::sync::atomic::AtomicBool::new(false),
        })
    });
    super::jinja::add_python_behaviour(&mut environment);
    let source = super::jinja::mutable_empty_lists(&source);
    let template = environment
        .template_from_str(&source)
        .map_err(template_error)?;
    template
        .render(context_value(context, notes))
        .map_err(template_error)
}

/// Jinja's `joiner(sep)`: a callable that returns nothing the first time and `sep` after.
#[derive(Debug)]
struct Joiner {
    separator: String,
    called: std::sync::atomic::AtomicBool,
}

impl Object for Joiner {
    fn call(self: &Arc<Self>, _state: &mut State<'_, '_>, args: &[Value]) -> Result<Value, Error> {
        if !args.is_empty() {
            return Err(Error::new(
                ErrorKind::TooManyArguments,
                "a joiner takes no argument",
            ));
        }
        let before = self.called.swap(true, std::sync::atomic::Ordering::Relaxed);
        Ok(Value::from(if before {
            self.separator.as_str()
        } else {
            ""
        }))
    }
}

/// minijinja's message with the line it points at.
fn describe(error: &Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}
