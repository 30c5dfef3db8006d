//! The raw shape of one `[[workflow.NAME.step]]` table.
//!
//! TOML has no tagged unions, so a step is one flat table in which exactly one *kind* key says what
//! the step does (`tag = "{tag}"`, `check = "clean"` …) and the other keys are options. The keys a
//! step may have are those the kinds declare (`crate::kinds`, each kind's `KindSpec`) and the
//! common ones (`core::options::COMMON`); each key's value is read with the shape its declaration
//! gives, and any other key is refused as serde refuses an unknown field. `config::steps` then
//! decides the kind and rejects options that do not belong to it.

use std::sync::OnceLock;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde::de::{DeserializeSeed, MapAccess, Visitor};

use crate::core::options::{CHECKOUT, COMMON, OptionType, OptionValue};
use crate::kinds;

/// One step: its keys with their values, in the order written.
#[derive(Debug, Default)]
pub struct StepConfig {
    pub values: Vec<(&'static str, OptionValue)>,
}

/// A key a step table may have.
#[derive(Debug, Clone, Copy)]
pub struct StepKey {
    pub key: &'static str,
    pub ty: OptionType,
    /// What it means, for the schema (empty when the key says it).
    pub about: &'static str,
    /// The kind it names, when it is a kind key.
    pub kind: Option<&'static crate::core::KindSpec>,
}

/// The order relman has always listed the keys that are not kind keys in (the schema, an unknown
/// key's "valid keys"), kept so that `relman schema` does not reorder for its users. Keys that are
/// not here (options of later kinds) follow them, in the order of the list of kinds.
const KEY_ORDER: &[&str] = &[
    "name",
    "id",
    "if",
    "timeout",
    "retries",
    "dir",
    "clone",
    "allow-untracked",
    "milestone",
    "label",
    "ref",
    "remote",
    "pre",
    "allow-downgrade",
    "edit",
    "sign",
    "output",
    "shell",
    "cwd",
    "env",
    "idempotent",
    "undo",
    "add",
    "message",
    "from",
    "title",
    "body",
    "head",
    "base",
    "reviewers",
    "assignees",
    "labels",
    "repo",
    "draft",
    "method",
    "inputs",
    "artifacts",
    "parameters",
    "project",
    "rerun-failed",
    "pr",
    "url",
    "status",
    "contains",
    "interval",
    "package",
    "index",
    "files",
    "image",
    "tags",
    "platforms",
    "same-as",
    "chart",
    "username-env",
    "password-env",
    "token-env",
    "webhook-env",
    "headers",
    "json",
    "expect",
    "save",
    "find",
    "found",
    "payload",
    "subject",
    "cc",
    "notes",
    "assets",
    "prerelease",
    "keep-notes",
    "checklist",
];

/// Every key a step table may have: the kind keys in the order of the list of kinds, then the
/// others (see `KEY_ORDER`). A key declared by several kinds is one key, of the shape its first
/// declaration gives (the kinds agree: a test checks it).
pub fn keys() -> &'static [StepKey] {
    static KEYS: OnceLock<Vec<StepKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<StepKey> = kinds::SPECS
            .iter()
            .map(|spec| StepKey {
                key: spec.key,
                ty: spec.key_type,
                about: "",
                kind: Some(*spec),
            })
            .collect();
        let declared = COMMON
            .iter()
            .chain(CHECKOUT)
            .chain(kinds::SPECS.iter().flat_map(|spec| spec.options));
        let mut options: Vec<StepKey> = Vec::new();
        for option in declared {
            if keys.iter().any(|known| known.key == option.key) {
                continue;
            }
            match options.iter_mut().find(|known| known.key == option.key) {
                Some(known) if known.about.is_empty() => known.about = option.about,
                Some(_) => {}
                None => options.push(StepKey {
                    key: option.key,
                    ty: option.ty,
                    about: option.about,
                    kind: None,
                }),
            }
        }
        let position = |key: &str| {
            KEY_ORDER
                .iter()
                .position(|known| *known == key)
                .unwrap_or(KEY_ORDER.len())
        };
        // Stable: keys not in KEY_ORDER keep the order of the list of kinds.
        options.sort_by_key(|option| position(option.key));
        keys.extend(options);
        keys
    })
}

/// The names of every key, in order (serde's "expected one of" list).
pub fn key_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| keys().iter().map(|key| key.key).collect())
}

/// The key named `name`.
pub fn key(name: &str) -> Option<&'static StepKey> {
    keys().iter().find(|key| key.key == name)
}

impl<'de> Deserialize<'de> for StepConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("StepConfig", key_names(), StepVisitor)
    }
}

struct StepVisitor;

impl<'de> Visitor<'de> for StepVisitor {
    type Value = StepConfig;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct StepConfig")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StepConfig, A::Error> {
        let mut values = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(key.ty)?;
            values.push((key.key, value));
        }
        Ok(StepConfig { values })
    }
}

/// Reads a key, refusing one no step takes while the key is read, so that the error points at
/// it (as serde's own for an unknown field does).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = &'static StepKey;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<&'static StepKey, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = &'static StepKey;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<&'static StepKey, E> {
        key(value).ok_or_else(|| E::unknown_field(value, key_names()))
    }
}

impl JsonSchema for StepConfig {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StepConfig".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let kinds: Vec<String> = kinds::listed()
            .map(|spec| format!("`{}`: {}", spec.key, spec.summary))
            .collect();
        let mut properties = serde_json::Map::new();
        for key in keys() {
            let about = match key.kind {
                Some(spec) => {
                    let options: Vec<&str> = spec.all_options().collect();
                    let mut text = format!("{} (options: {})", spec.summary, options.join(", "));
                    if !spec.values.is_empty() {
                        text.push_str(&format!("; one of: {}", spec.values.join(", ")));
                    }
                    text
                }
                None => key.about.to_owned(),
            };
            let schema = key.ty.schema(generator).to_value();
            let property = match schema {
                _ if about.is_empty() => schema,
                serde_json::Value::Object(fields) => {
                    let mut described = serde_json::Map::new();
                    described.insert("description".to_owned(), about.into());
                    described.extend(fields);
                    serde_json::Value::Object(described)
                }
                _ => serde_json::json!({ "description": about }),
            };
            properties.insert(key.key.to_owned(), property);
        }
        let schema = serde_json::json!({
            "description": format!(
                "One step: exactly one kind key, plus that kind's options. Kinds: {}.",
                kinds.join("; ")
            ),
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        });
        Schema::try_from(schema).expect("invariant: a JSON object is a schema")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_that_share_an_option_declare_it_alike() {
        let declared = COMMON
            .iter()
            .chain(CHECKOUT)
            .chain(kinds::SPECS.iter().flat_map(|spec| spec.options));
        for option in declared {
            let key = key(option.key).expect("every declared option is a key");
            assert_eq!(
                key.ty, option.ty,
                "`{}` is declared as two shapes",
                option.key
            );
            assert!(
                option.about.is_empty() || key.about == option.about,
                "`{}` is described two ways",
                option.key
            );
        }
    }

    #[test]
    fn the_historical_order_names_only_keys_that_exist() {
        for name in KEY_ORDER {
            assert!(
                key(name).is_some(),
                "`{name}` is in KEY_ORDER but no kind takes it"
            );
        }
    }

    #[test]
    fn every_key_belongs_to_some_kind() {
        for key in keys() {
            let used = kinds::SPECS
                .iter()
                .any(|spec| spec.key == key.key || spec.takes(key.key));
            assert!(used, "key `{}` is accepted but taken by no kind", key.key);
        }
    }
}
