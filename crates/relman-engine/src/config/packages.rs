//! `[package.NAME]` tables: each key checked (a path that stays inside the repository, a tag
//! format with `{version}` once, a scheme that parses) into [`PackageOptions`].

use std::path::{Component, Path};

use toml::Spanned;

use super::raw;
use super::validate::{Cx, version_file_options};
use crate::project::packages::settings::PackageOptions;

pub(super) fn validate_package(
    cx: &mut Cx<'_>,
    name: &str,
    raw: raw::PackageConfig,
) -> PackageOptions {
    let raw::PackageConfig {
        path,
        version_files,
        tag,
        changelog,
        scheme,
        pre_label,
    } = raw;
    for value in [&path, &changelog].into_iter().flatten() {
        inside(cx, name, value);
    }
    if let Some(tag) = &tag
        && let Err(error) = relman_version::tag_format::TagFormat::parse(&package_tag(
            tag.get_ref(),
            name,
            path.as_ref().map_or(name, |path| path.get_ref()),
        ))
    {
        cx.error_hint(
            tag.span(),
            format!("[package.{name}] {error}"),
            "write it like `{package}-v{version}` or `name@{version}`",
        );
    }
    if let Some(scheme) = &scheme
        && let Err(error) = scheme.get_ref().parse::<relman_version::scheme::Scheme>()
    {
        cx.error(scheme.span(), error.to_string());
    }
    let version_files = version_files.map(|files| {
        for file in &files {
            let text = match file.get_ref() {
                raw::VersionFileConfig::Path(path) => path.clone(),
                raw::VersionFileConfig::Table(table) => table.path.clone(),
            };
            if !stays_inside(&text) {
                cx.error_hint(
                    file.span(),
                    format!("[package.{name}] version file `{text}` is outside the repository"),
                    "write a path relative to the top of the repository, without `..`",
                );
            }
        }
        version_file_options(cx, files)
    });
    PackageOptions {
        path: path.map(Spanned::into_inner),
        version_files,
        tag: tag.map(Spanned::into_inner),
        changelog: changelog.map(Spanned::into_inner),
        scheme: scheme.map(Spanned::into_inner),
        pre_label: pre_label.map(Spanned::into_inner),
    }
}

fn inside(cx: &mut Cx<'_>, name: &str, value: &Spanned<String>) {
    if !stays_inside(value.get_ref()) {
        cx.error_hint(
            value.span(),
            format!(
                "[package.{name}] `{}` is outside the repository",
                value.get_ref()
            ),
            "write a path relative to the top of the repository, without `..`",
        );
    }
}

/// A relative path without `..` (nothing a package names may reach outside the repository).
pub(crate) fn stays_inside(path: &str) -> bool {
    Path::new(path)
        .components()
        .all(|component| matches!(component, Component::Normal(_) | Component::CurDir))
}

/// A package's tag format with `{package}` and `{project}` as the package's name and `{path}`
/// as its folder.
pub(crate) fn package_tag(format: &str, name: &str, path: &str) -> String {
    format
        .replace("{package}", name)
        .replace("{project}", name)
        .replace("{path}", path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_stay_inside() {
        assert!(super::stays_inside("crates/globset"));
        assert!(super::stays_inside("./crates"));
        assert!(!super::stays_inside("../elsewhere"));
        assert!(!super::stays_inside("/etc"));
        assert!(!super::stays_inside("crates/../../x"));
    }
}
