//! The project a release acts on: the config's `[project]` settings completed by detection
//! (scheme, tag format, version files, forge), resolved once per command.

/// Checks a tag format: `{version}` exactly once.
pub fn check_tag_format(format: &str) -> Result<(), String> {
    match format.matches("{version}").count() {
        1 => Ok(()),
        0 => Err("it has no `{version}`".to_owned()),
        _ => Err("it has `{version}` more than once".to_owned()),
    }
}

/// Checks a scheme name.
pub fn check_scheme(scheme: &str) -> Result<(), String> {
    if scheme == "semver" || scheme == "pep440" || scheme.starts_with("calver:") {
        Ok(())
    } else {
        Err(format!(
            "unknown version scheme `{scheme}`: expected `semver`, `pep440` or `calver:FORMAT`"
        ))
    }
}

/// Whether relman knows the format of a version file by its name.
pub fn is_known_version_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "Cargo.toml"
            | "pyproject.toml"
            | "setup.cfg"
            | "setup.py"
            | "__init__.py"
            | "__version__.py"
            | "_version.py"
            | "version.py"
            | "package.json"
            | "package-lock.json"
            | "Chart.yaml"
            | "pom.xml"
            | "gradle.properties"
            | "VERSION"
            | "version.txt"
    )
}
