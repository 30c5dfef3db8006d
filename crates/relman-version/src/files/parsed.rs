//! One version file's text and the documents parsed from it (TOML, JSON, YAML), each parsed at
//! most once however many specs read the file, and the reader each spec's kind calls.

use std::path::Path;

use super::text::Location;
use super::{
    FileError, KeyFormat, KnownFormat, VersionFileKind, VersionFileSpec, c_header, gem_constants,
    ini, json, pattern, plain, properties, python, ruby, toml, xml, yaml,
};

/// One file's text and the documents parsed from it, each parsed at most once.
pub(super) struct Parsed<'t> {
    pub(super) path: &'t Path,
    pub(super) bom: usize,
    pub(super) text: &'t str,
    pub(super) toml: Option<toml::TomlDocument<'t>>,
    pub(super) json: Option<jsonc_parser::ast::Value<'t>>,
    pub(super) yaml: Option<yaml::YamlIndex>,
}

impl<'t> Parsed<'t> {
    pub(super) fn new(path: &'t Path, bom: usize, text: &'t str) -> Self {
        Self {
            path,
            bom,
            text,
            toml: None,
            json: None,
            yaml: None,
        }
    }

    pub(super) fn toml(&mut self) -> Result<&toml::TomlDocument<'t>, FileError> {
        if self.toml.is_none() {
            self.toml = Some(toml::parse(self.path, self.text)?);
        }
        Ok(self
            .toml
            .as_ref()
            .expect("the TOML document was just parsed"))
    }

    pub(super) fn json(&mut self) -> Result<&jsonc_parser::ast::Value<'t>, FileError> {
        if self.json.is_none() {
            self.json = Some(json::parse(self.path, self.text)?);
        }
        Ok(self
            .json
            .as_ref()
            .expect("the JSON document was just parsed"))
    }

    pub(super) fn yaml(&mut self) -> Result<&yaml::YamlIndex, FileError> {
        if self.yaml.is_none() {
            let scan = if self.path.ends_with("pnpm-lock.yaml") {
                yaml::scan_pnpm_lock
            } else {
                yaml::scan
            };
            self.yaml = Some(scan(self.path, self.text)?);
        }
        Ok(self
            .yaml
            .as_ref()
            .expect("the YAML document was just scanned"))
    }

    pub(super) fn locate(&mut self, spec: &VersionFileSpec) -> Result<Vec<Location>, FileError> {
        let (path, text) = (self.path, self.text);
        match spec.kind() {
            VersionFileKind::Known(format) => match format {
                KnownFormat::Cargo => toml::locate_cargo(path, text, self.toml()?),
                KnownFormat::Pyproject => toml::locate_pyproject(path, text, self.toml()?),
                KnownFormat::SetupCfg => ini::locate_setup_cfg(path, text),
                KnownFormat::SetupPy => python::locate_setup_py(path, text),
                KnownFormat::PythonModule => python::locate_module(path, text),
                KnownFormat::RubyVersion => ruby::locate(path, text),
                KnownFormat::RubyGemVersion => gem_constants::locate(path, text),
                KnownFormat::CHeader => c_header::locate(path, text),
                KnownFormat::PackageJson => json::locate_package(path, text, self.json()?),
                KnownFormat::PackageLock => json::locate_lock(path, text, self.json()?),
                KnownFormat::HelmChart => {
                    let segments = ["version".to_owned()];
                    Ok(yaml::locate(path, self.yaml()?, &segments, "version")?
                        .into_iter()
                        .collect())
                }
                KnownFormat::MavenPom => xml::locate_pom(path, text, false),
                KnownFormat::MavenModule => xml::locate_pom(path, text, true),
                KnownFormat::Properties => Ok(properties::locate_version(path, text)?
                    .into_iter()
                    .collect()),
                KnownFormat::PlainText => Ok(plain::locate(text)),
            },
            VersionFileKind::Pattern(pattern) => pattern::locate(path, text, pattern),
            VersionFileKind::Key(key) => {
                let name = key.as_str();
                let found = match key.format() {
                    KeyFormat::Toml => {
                        return toml::locate_key(path, text, self.toml()?, key.segments(), name);
                    }
                    KeyFormat::Json => {
                        return json::locate_key(path, text, self.json()?, key.segments(), name);
                    }
                    KeyFormat::Yaml => yaml::locate(path, self.yaml()?, key.segments(), name)?,
                    KeyFormat::Properties => properties::locate(path, text, name)?,
                };
                found
                    .map(|location| vec![location])
                    .ok_or_else(|| FileError::KeyMissing {
                        path: path.to_owned(),
                        key: name.to_owned(),
                    })
            }
        }
    }
}
