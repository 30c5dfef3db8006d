//! The JSON Schema of `relman.toml` (`relman schema`), generated from the raw config types so it
//! cannot drift from what the parser accepts; a step's keys, with each kind's summary, values and
//! options, come from the kinds' specs (`config::step_raw`).

use super::raw::ConfigFile;

/// The schema as pretty-printed JSON.
pub fn json_schema() -> String {
    let schema = serde_json::to_value(schemars::schema_for!(ConfigFile))
        .expect("a generated schema is valid JSON");
    serde_json::to_string_pretty(&schema).expect("a JSON value serialises")
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
