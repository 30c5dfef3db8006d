//! The JSON Schema of `relman.toml` (`relman schema`), generated from the raw config types so it
//! cannot drift from what the parser accepts, and annotated from the kinds table.

use super::kinds;
use super::raw::ConfigFile;

/// The schema as pretty-printed JSON.
pub fn json_schema() -> String {
    let mut schema = serde_json::to_value(schemars::schema_for!(ConfigFile))
        .expect("a generated schema is valid JSON");
    annotate_steps(&mut schema);
    serde_json::to_string_pretty(&schema).expect("a JSON value serialises")
}

/// Adds each kind's summary, accepted values and options to the step definition, so an editor
/// shows what `check = "…"` takes.
fn annotate_steps(schema: &mut serde_json::Value) {
    let Some(step) = schema.pointer_mut("/$defs/StepConfig") else {
        return;
    };
    let kinds_text: Vec<String> = kinds::all()
        .map(|spec| format!("`{}`: {}", spec.key, spec.summary))
        .collect();
    step["description"] = serde_json::Value::String(format!(
        "One step: exactly one kind key, plus that kind's options. Kinds: {}.",
        kinds_text.join("; ")
    ));
    let Some(properties) = step
        .get_mut("properties")
        .and_then(|value| value.as_object_mut())
    else {
        return;
    };
    for spec in kinds::all() {
        let Some(property) = properties.get_mut(spec.key) else {
            continue;
        };
        let options: Vec<&str> = spec.all_options().collect();
        let mut text = format!("{} (options: {})", spec.summary, options.join(", "));
        if !spec.values.is_empty() {
            text.push_str(&format!("; one of: {}", spec.values.join(", ")));
        }
        property["description"] = serde_json::Value::String(text);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_describes_steps_and_denies_unknown_keys() {
        let schema: serde_json::Value = serde_json::from_str(&super::json_schema()).unwrap();
        assert_eq!(schema["additionalProperties"], false);
        let step = &schema["$defs"]["StepConfig"];
        assert_eq!(step["additionalProperties"], false);
        assert!(
            step["properties"]["check"]["description"]
                .as_str()
                .unwrap()
                .contains("tag-available")
        );
        assert!(step["properties"]["cherry-pick"].is_object());
        assert!(step["properties"]["if"].is_object());
    }
}
