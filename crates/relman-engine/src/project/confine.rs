//! Every file the project's settings name stays inside the work tree: the version files and the
//! files read or written with them (lock files, workspace manifests), the changelog, its template
//! and the towncrier fragment folders. relman.toml arrives with every clone, so a path there that
//! is absolute, climbs out with `..` or passes through a symbolic link that leads outside is a
//! configuration error, found when the project is resolved, before any command reads or writes.

use std::path::Path;

use relman_version::changelog::towncrier::TemplateSource;

use relman_version::files::VersionFileSpec;

use super::{ChangelogSettings, ChangelogSource, Project, ProjectError};
use crate::core::paths;

impl Project {
    /// Refuses the project when one of the files its settings name is outside the work tree.
    pub(super) fn confine_paths(&self) -> Result<(), ProjectError> {
        self.confine_settings(&self.version_files, &self.changelog, "")
    }

    /// The same for each package's settings (`[package.NAME]` tables, or detected): its folder,
    /// version files and changelog.
    pub(super) fn confine_package_paths(&self) -> Result<(), ProjectError> {
        for package in self.packages.iter().filter(|package| !package.root) {
            let whose = format!("package `{}`: ", package.name);
            self.confined(&package.path, &format!("{whose}the folder"))?;
            let settings = &package.settings;
            self.confine_settings(&settings.version_files, &settings.changelog, &whose)?;
        }
        Ok(())
    }

    fn confine_settings(
        &self,
        version_files: &[VersionFileSpec],
        changelog: &ChangelogSettings,
        whose: &str,
    ) -> Result<(), ProjectError> {
        for spec in version_files {
            self.confined(spec.path(), &format!("{whose}the version file"))?;
        }
        for path in relman_version::files::involved_files(&self.root, version_files) {
            self.confined(
                &path,
                &format!("{whose}the file read with the version files"),
            )?;
        }
        self.confined(&changelog.file, &format!("{whose}the changelog"))?;
        if let Some(template) = &changelog.template {
            self.confined(template, &format!("{whose}the changelog template"))?;
        }
        if let ChangelogSource::Fragments(config) = &changelog.source {
            self.confined(&config.fragment_root(), "the news fragment folder")?;
            for section in &config.sections {
                self.confined(&config.section_dir(section), "the news fragment folder")?;
            }
            if let TemplateSource::File { path, .. } = &config.template {
                self.confined(path, "the towncrier template")?;
            }
        }
        Ok(())
    }

    /// `path` (relative to the work tree, or absolute under it) is inside the work tree.
    fn confined(&self, path: &Path, what: &str) -> Result<(), ProjectError> {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let text = relative.to_string_lossy();
        // The work tree itself (a towncrier folder at the top) is inside.
        if text.is_empty() {
            return Ok(());
        }
        paths::inside(&self.root, &text, what)
            .map(drop)
            .map_err(|error| ProjectError::Outside {
                message: error.message,
                hint: error.hint,
            })
    }
}
