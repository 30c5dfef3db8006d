//! One package made from a candidate of `detect`: its folder, scheme, tag format (its tags' form,
//! else the form its siblings' tags share, else its ecosystem's), version files and changelog.

use std::collections::BTreeMap;
use std::path::PathBuf;

use relman_version::files::VersionFileSpec;
use relman_version::scheme::Scheme;
use relman_version::tag_format::TagFormat;
use relman_version::workspace::Ecosystem;

use super::detect::Candidate;
use super::{Package, PackageSettings};
use crate::config::VersionFileOption;
use crate::project::{ChangelogSettings, ChangelogSource, Project, ProjectError};

impl Project {
    pub(super) fn candidate_package(
        &self,
        candidate: &Candidate<'_>,
        house: Option<&'static str>,
    ) -> Result<Package, ProjectError> {
        let member = candidate.member;
        let options = candidate.options;
        let name = &candidate.name;
        let path: PathBuf = match (options.and_then(|options| options.path.as_ref()), member) {
            (Some(path), _) => PathBuf::from(path),
            (None, Some(member)) => member.path.clone(),
            (None, None) => {
                return Err(ProjectError::Package {
                    name: name.clone(),
                    message: "it has no `path` and no manifest names it".to_owned(),
                });
            }
        };
        let scheme = candidate_scheme(candidate)?;
        let ecosystem = member.map(|member| member.ecosystem);
        let tag_format = match &candidate.family {
            Some((format, _)) => format.clone(),
            None => {
                // A package without tags yet takes the form its siblings' tags have.
                let default = match (house, ecosystem) {
                    (Some(separator), Some(ecosystem)) if ecosystem != Ecosystem::Go => {
                        format!("{name}{separator}{{version}}")
                    }
                    _ => ecosystem
                        .unwrap_or(Ecosystem::Cargo)
                        .default_tag(name, &path),
                };
                TagFormat::parse(&default).map_err(|error| ProjectError::Package {
                    name: name.clone(),
                    message: format!("no tag format can be made from its name: {error}"),
                })?
            }
        };
        let version_files = match options.and_then(|options| options.version_files.as_ref()) {
            Some(files) => files
                .iter()
                .map(VersionFileOption::spec)
                .collect::<Result<Vec<_>, _>>()?,
            None => match member {
                Some(member) if member.version.is_some() && !member.inherits_version => {
                    vec![VersionFileSpec::known(&member.manifest)?.alone()]
                }
                // A Python project with a dynamic version: where its build takes it from
                // (hatchling's `[tool.hatch.version] path`), found as for a root project.
                Some(member) if member.ecosystem == Ecosystem::Python => {
                    relman_version::files::detect(&self.root.join(&member.path))
                        .files
                        .into_iter()
                        .map(|spec| spec.under(&member.path).alone())
                        .collect()
                }
                _ => Vec::new(),
            },
        };
        let changelog_file = options
            .and_then(|options| options.changelog.clone())
            .map_or_else(|| path.join("CHANGELOG.md"), PathBuf::from);
        let changelog = ChangelogSettings {
            exists: self.root.join(&changelog_file).is_file(),
            configured: options.is_some_and(|options| options.changelog.is_some()),
            file: changelog_file,
            source: if ecosystem == Some(Ecosystem::Npm)
                && self.root.join(".changeset/config.json").is_file()
            {
                ChangelogSource::Changesets
            } else {
                ChangelogSource::Commits
            },
            template: self.changelog.template.clone(),
            include_other: self.changelog.include_other,
            types: self.changelog.types.clone(),
            levels: self.changelog.levels.clone(),
        };
        Ok(Package {
            name: name.clone(),
            path,
            ecosystem,
            manifest: member.map(|member| member.manifest.clone()),
            root: false,
            configured: options.is_some(),
            private: member.is_some_and(|member| member.private),
            dependencies: member
                .map(|member| member.dependencies.clone())
                .unwrap_or_default(),
            module: member.and_then(|member| member.module.clone()),
            settings: PackageSettings {
                initial_version: scheme.parse("0.1.0").ok(),
                scheme,
                tag_format,
                version_files,
                left_out: Vec::new(),
                changelog,
                pre_label: options
                    .and_then(|options| options.pre_label.clone())
                    .or_else(|| self.pre_label.clone()),
            },
        })
    }
}

/// The separator most packages' tags put between name and version (`-`, `-v`, `@`), when the
/// repository's tagged packages agree on one.
pub(super) fn house_style(candidates: &[Candidate<'_>]) -> Option<&'static str> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for candidate in candidates {
        let Some((format, _)) = &candidate.family else {
            continue;
        };
        let Some(separator) = format.prefix().strip_prefix(candidate.name.as_str()) else {
            continue;
        };
        let separator = match separator {
            "-" => "-",
            "-v" => "-v",
            "-v/" => "-v/",
            "@" => "@",
            _ => continue,
        };
        *counts.entry(separator).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, count)| *count)
        .map(|(separator, _)| separator)
}

/// A candidate's scheme: its table's `scheme`, else PEP 440 for a Python member, else semver.
pub(super) fn candidate_scheme(candidate: &Candidate<'_>) -> Result<Scheme, ProjectError> {
    if let Some(text) = candidate
        .options
        .and_then(|options| options.scheme.as_deref())
    {
        return text
            .parse::<Scheme>()
            .map_err(|error| ProjectError::Package {
                name: candidate.name.clone(),
                message: error.to_string(),
            });
    }
    Ok(match candidate.member.map(|member| member.ecosystem) {
        Some(Ecosystem::Python) => Scheme::Pep440,
        _ => Scheme::Semver,
    })
}

/// The tag format a `[package.NAME]` table gives, `{package}`, `{project}` and `{path}` filled in.
pub(super) fn configured_format(
    name: &str,
    format: &str,
    path: &str,
) -> Result<TagFormat, ProjectError> {
    TagFormat::parse(&crate::config::package_tag(format, name, path)).map_err(|error| {
        ProjectError::Package {
            name: name.to_owned(),
            message: error.to_string(),
        }
    })
}
