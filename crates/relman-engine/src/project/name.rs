//! The project's name from its package metadata: `pyproject.toml` (`project.name` or
//! `tool.poetry.name`), `Cargo.toml` (`package.name`), `package.json` (`name`), or `setup.py`'s
//! `name=` keyword, or a root `pom.xml`'s `artifactId` (`gson` for `gson-parent`).

use std::path::Path;

pub(super) fn from_metadata(root: &Path) -> Option<String> {
    if let Some(table) = read_toml(&root.join("pyproject.toml")) {
        let name = table
            .get("project")
            .and_then(|project| project.get("name"))
            .or_else(|| {
                table
                    .get("tool")
                    .and_then(|tool| tool.get("poetry"))
                    .and_then(|poetry| poetry.get("name"))
            });
        if let Some(name) = name.and_then(toml::Value::as_str) {
            return Some(name.to_owned());
        }
    }
    if let Some(table) = read_toml(&root.join("Cargo.toml"))
        && let Some(name) = table
            .get("package")
            .and_then(|package| package.get("name"))
            .and_then(toml::Value::as_str)
    {
        return Some(name.to_owned());
    }
    if let Ok(text) = relman_version::files::bounded::read_text_bounded(
        &root.join("package.json"),
        relman_version::files::bounded::MAX_VERSION_FILE,
    ) && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some(name) = json.get("name").and_then(serde_json::Value::as_str)
    {
        return Some(name.rsplit('/').next().unwrap_or(name).to_owned());
    }
    if let Ok(text) = relman_version::files::bounded::read_text_bounded(
        &root.join("pom.xml"),
        relman_version::files::bounded::MAX_VERSION_FILE,
    ) && let Some(name) = relman_version::files::pom_artifact_id(&text)
    {
        // A multi-module build's root is `NAME-parent`: the project is NAME.
        return Some(name.strip_suffix("-parent").unwrap_or(&name).to_owned());
    }
    if let Ok(text) = relman_version::files::bounded::read_text_bounded(
        &root.join("setup.py"),
        relman_version::files::bounded::MAX_CONFIG_FILE,
    ) {
        return setup_py_name(&text);
    }
    None
}

fn read_toml(path: &Path) -> Option<toml::Table> {
    let text = relman_version::files::bounded::read_text_bounded(
        path,
        relman_version::files::bounded::MAX_CONFIG_FILE,
    )
    .ok()?;
    text.parse::<toml::Table>().ok()
}

/// `name="ciso8601"` or `name='x'` as a keyword argument.
fn setup_py_name(text: &str) -> Option<String> {
    for (index, _) in text.match_indices("name") {
        let before = text[..index].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = text[index + 4..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &rest[1..];
        let end = value.find(quote)?;
        return Some(value[..end].to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn setup_py_keyword() {
        assert_eq!(
            super::setup_py_name("setup(\n    name=\"ciso8601\",\n    version=VERSION)"),
            Some("ciso8601".into())
        );
        assert_eq!(
            super::setup_py_name("package_name = 'x'\nsetup(name='y')"),
            Some("y".into())
        );
    }
}
