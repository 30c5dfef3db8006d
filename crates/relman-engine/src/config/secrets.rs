//! The environment variables a config names as holding credentials (`token-env`, `webhook-env`,
//! `password-env`, `key-env` of any step, `[forge] token-env`): their values are masked like those of
//! variables named like secrets, whatever they are called (`token-env = "CI_KEYS"`).

use super::Config;

/// Option names (as the step kinds serialize them) whose value names a secret variable.
const SECRET_OPTIONS: &[&str] = &["token_env", "webhook_env", "password_env", "key_env"];

/// Every variable name the config's steps and forge give a credential in.
pub(super) fn names(config: &Config) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(forge) = &config.forge {
        names.extend(forge.token_env.iter().cloned());
    }
    for workflow in config.workflows.values() {
        for step in &workflow.steps {
            if let Ok(value) = serde_json::to_value(&step.kind) {
                collect(&value, &mut names);
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

fn collect(value: &serde_json::Value, names: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if SECRET_OPTIONS.contains(&key.replace('-', "_").as_str()) {
                    match value {
                        serde_json::Value::String(name) => names.push(name.clone()),
                        serde_json::Value::Array(items) => names.extend(
                            items
                                .iter()
                                .filter_map(|item| item.as_str().map(str::to_owned)),
                        ),
                        _ => {}
                    }
                } else {
                    collect(value, names);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect(item, names);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_credential_variable_the_config_names_is_found() {
        let config = Config::parse(
            std::path::Path::new("relman.toml"),
            r##"
[forge]
repo = "o/r"
token-env = "FORGE_KEY"

[[workflow.release.step]]
circleci = "pipeline"
token-env = "CI_KEYS"

[[workflow.release.step]]
slack = "#releases"
webhook-env = "CHAT_HOOK"
message = "Released {version}"

[[workflow.release.step]]
verify = "oci"
image = "registry.example/app"
username-env = "REG_USER"
password-env = "REG_PASS"

[[workflow.release.step]]
discourse = "https://forum.example"
title = "{version}"
message = "out"
key-env = "FORUM_KEY"
username-env = "FORUM_USER"

[[workflow.release.step]]
mastodon = "https://social.example"
message = "out"
token-env = "TOOT"

[[workflow.release.step]]
bluesky = "app.example"
message = "out"
password-env = "SKY"
"##,
        )
        .unwrap();
        assert_eq!(
            names(&config),
            [
                "CHAT_HOOK",
                "CI_KEYS",
                "FORGE_KEY",
                "FORUM_KEY",
                "REG_PASS",
                "SKY",
                "TOOT"
            ]
        );
    }
}
