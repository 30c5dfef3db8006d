//! The options of a step table as kinds declare and read them: each option's key, the shape of
//! its value ([`OptionType`]) and what it means ([`OptionSpec`]); the value as read from the
//! file, with its place in it ([`OptionValue`]); and [`Options`], the table one kind reads its
//! options from, reporting problems at their file, line and column through the [`Checker`] the
//! config's validation provides.
//!
//! Keys every kind shares (`name`, `id`, `if`, `timeout`, `retries`, `interval`, `dir`, `clone`)
//! are [`COMMON`]; the config reads them, and the kinds that take `interval` list it among their
//! options.

mod reader;
mod values;

use std::ops::Range;

use indexmap::IndexMap;
use schemars::{Schema, SchemaGenerator};
use serde::Deserialize;
use serde::de::DeserializeSeed;
use toml::Spanned;

pub use reader::{Checker, Options, Reported};
pub use values::{StringOrBool, StringOrInt, StringOrList};

/// The shape of an option's value, as written in the step table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionType {
    /// A string (most options are templates).
    String,
    /// A string or an array of strings.
    StringOrList,
    /// A string or a boolean.
    StringOrBool,
    /// A string (usually a template such as `{pr_number}`) or an integer; the schema says string.
    StringOrInt,
    Bool,
    U16,
    U32,
    /// An array of strings.
    List,
    /// A table of strings.
    Map,
    /// A table of any values.
    Table,
    /// Any value (a JSON body whose strings are templates).
    Json,
}

/// One option a kind takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    pub key: &'static str,
    pub ty: OptionType,
    /// What it means, for the schema; empty when the key says it.
    pub about: &'static str,
}

impl OptionSpec {
    pub const fn new(key: &'static str, ty: OptionType) -> OptionSpec {
        OptionSpec { key, ty, about: "" }
    }

    pub const fn about(self, about: &'static str) -> OptionSpec {
        OptionSpec { about, ..self }
    }

    /// A string option.
    pub const fn string(key: &'static str) -> OptionSpec {
        OptionSpec::new(key, OptionType::String)
    }

    pub const fn flag(key: &'static str) -> OptionSpec {
        OptionSpec::new(key, OptionType::Bool)
    }

    pub const fn list(key: &'static str) -> OptionSpec {
        OptionSpec::new(key, OptionType::List)
    }

    pub const fn map(key: &'static str) -> OptionSpec {
        OptionSpec::new(key, OptionType::Map)
    }
}

/// `interval`: common to the waiting kinds, which list it among their options.
pub const INTERVAL: OptionSpec = OptionSpec::string("interval").about(
    "How often a waiting step looks, e.g. `10s` (default: from 5 seconds, growing to a minute).",
);

/// The folder of the package a step acts on (`publish`, `build`).
pub const PACKAGE_PATH: OptionSpec = OptionSpec::string("path").about(
    "The package's folder (default the repository's top; in a run of several packages, the package's own folder). On `publish = \"cargo\"`: the workspace's folder.",
);

/// Options every step takes.
pub const COMMON: &[OptionSpec] = &[
    OptionSpec::string("name").about("Display name (on `release` steps: the release title)."),
    OptionSpec::string("id").about("An id to refer to this step's outputs as `{steps.ID.NAME}`."),
    OptionSpec::string("if").about("A minijinja condition, e.g. `is_prerelease` or `args.docker`."),
    OptionSpec::string("timeout").about("How long the step may take, e.g. `30m`, `90s`, `1h30m`."),
    OptionSpec::new("retries", OptionType::U32).about("How many times to retry a failed attempt."),
];

/// Options of steps that act in a checkout (git, command and changelog steps).
pub const CHECKOUT: &[OptionSpec] = &[
    OptionSpec::string("dir")
        .about("Another checkout to act in (git, command and changelog steps)."),
    OptionSpec::string("clone").about("Where to clone `dir` from when it is missing."),
];

/// An option's value as read from the file. Strings and the tables of any value keep their
/// place in the file (`None` from [`OptionValue::span`] for the others: a message about them
/// points at the whole step).
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    String(Spanned<String>),
    StringOrList(Spanned<StringOrList>),
    StringOrBool(Spanned<StringOrBool>),
    StringOrInt(Spanned<StringOrInt>),
    Bool(bool),
    U16(u16),
    U32(u32),
    List(Vec<Spanned<String>>),
    Map(IndexMap<String, Spanned<String>>),
    Table(Spanned<toml::Table>),
    Json(Spanned<toml::Value>),
}

impl OptionValue {
    /// Where the value is in the file, when it keeps its place.
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            OptionValue::String(value) => Some(value.span()),
            OptionValue::StringOrList(value) => Some(value.span()),
            OptionValue::StringOrBool(value) => Some(value.span()),
            OptionValue::StringOrInt(value) => Some(value.span()),
            OptionValue::Table(value) => Some(value.span()),
            OptionValue::Json(value) => Some(value.span()),
            OptionValue::Bool(_)
            | OptionValue::U16(_)
            | OptionValue::U32(_)
            | OptionValue::List(_)
            | OptionValue::Map(_) => None,
        }
    }
}

impl OptionType {
    /// Whether a value of this type keeps its place in the file.
    pub fn spanned(self) -> bool {
        matches!(
            self,
            OptionType::String
                | OptionType::StringOrList
                | OptionType::StringOrBool
                | OptionType::StringOrInt
                | OptionType::Table
                | OptionType::Json
        )
    }

    /// The JSON Schema of an optional value of this type.
    pub fn schema(self, generator: &mut SchemaGenerator) -> Schema {
        match self {
            OptionType::String | OptionType::StringOrInt => {
                generator.subschema_for::<Option<String>>()
            }
            OptionType::StringOrList => generator.subschema_for::<Option<StringOrList>>(),
            OptionType::StringOrBool => generator.subschema_for::<Option<StringOrBool>>(),
            OptionType::Bool => generator.subschema_for::<Option<bool>>(),
            OptionType::U16 => generator.subschema_for::<Option<u16>>(),
            OptionType::U32 => generator.subschema_for::<Option<u32>>(),
            OptionType::List => generator.subschema_for::<Option<Vec<String>>>(),
            OptionType::Map => generator.subschema_for::<Option<IndexMap<String, String>>>(),
            OptionType::Table => {
                generator.subschema_for::<Option<serde_json::Map<String, serde_json::Value>>>()
            }
            OptionType::Json => generator.subschema_for::<Option<serde_json::Value>>(),
        }
    }
}

/// Reads a value of this type (the config's parser hands each key's value to its type).
impl<'de> DeserializeSeed<'de> for OptionType {
    type Value = OptionValue;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<OptionValue, D::Error> {
        Ok(match self {
            OptionType::String => OptionValue::String(Spanned::deserialize(deserializer)?),
            OptionType::StringOrList => {
                OptionValue::StringOrList(Spanned::deserialize(deserializer)?)
            }
            OptionType::StringOrBool => {
                OptionValue::StringOrBool(Spanned::deserialize(deserializer)?)
            }
            OptionType::StringOrInt => {
                OptionValue::StringOrInt(Spanned::deserialize(deserializer)?)
            }
            OptionType::Bool => OptionValue::Bool(bool::deserialize(deserializer)?),
            OptionType::U16 => OptionValue::U16(u16::deserialize(deserializer)?),
            OptionType::U32 => OptionValue::U32(u32::deserialize(deserializer)?),
            OptionType::List => OptionValue::List(Vec::deserialize(deserializer)?),
            OptionType::Map => OptionValue::Map(IndexMap::deserialize(deserializer)?),
            OptionType::Table => OptionValue::Table(Spanned::deserialize(deserializer)?),
            OptionType::Json => OptionValue::Json(Spanned::deserialize(deserializer)?),
        })
    }
}

/// A TOML value as JSON.
pub fn toml_to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(text) => serde_json::Value::String(text),
        toml::Value::Integer(number) => serde_json::Value::from(number),
        toml::Value::Float(number) => serde_json::Value::from(number),
        toml::Value::Boolean(flag) => serde_json::Value::Bool(flag),
        toml::Value::Datetime(datetime) => serde_json::Value::String(datetime.to_string()),
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(toml_to_json).collect())
        }
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, toml_to_json(value)))
                .collect(),
        ),
    }
}

/// Calls `visit` on every string inside a JSON value.
pub fn visit_json_strings(value: &serde_json::Value, visit: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(text) => visit(text),
        serde_json::Value::Array(items) => items
            .iter()
            .for_each(|item| visit_json_strings(item, visit)),
        serde_json::Value::Object(map) => map
            .values()
            .for_each(|item| visit_json_strings(item, visit)),
        _ => {}
    }
}
