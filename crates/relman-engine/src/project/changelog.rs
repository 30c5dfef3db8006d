//! The changelog of a project: where it is, whether it is built from commits or from towncrier
//! fragments, and rendering this release's section into the file's new text (nothing written
//! here: the caller shows a diff or writes it).

use std::path::{Path, PathBuf};

use relman_version::changelog::document::{Document, Section};
use relman_version::changelog::markdown;
use relman_version::changelog::template::ChangelogTemplate;
use relman_version::changelog::towncrier::{self, BuildOptions, TowncrierConfig};
use relman_version::version::Version;

use super::{History, Project, ProjectError};
use crate::config::{ChangelogOptions, ChangelogSource as Configured};

/// Where release notes come from.
#[derive(Debug, Clone)]
pub enum ChangelogSource {
    /// Conventional commits since the previous release.
    Commits,
    /// Towncrier news fragments.
    Fragments(Box<TowncrierConfig>),
}

/// The project's changelog.
#[derive(Debug, Clone)]
pub struct ChangelogSettings {
    /// The file, relative to the work tree.
    pub file: PathBuf,
    pub source: ChangelogSource,
    /// A minijinja template for sections built from commits.
    pub template: Option<PathBuf>,
    pub include_other: bool,
    /// Whether the file exists now.
    pub exists: bool,
    /// Whether `[changelog]` or a towncrier config asks for one.
    pub configured: bool,
}

/// This release's section and the file it goes into.
#[derive(Debug, Clone)]
pub struct RenderedSection {
    /// The section alone (what release notes show).
    pub section: String,
    /// The changelog file, absolute.
    pub file: PathBuf,
    /// Its text before (`None`: it does not exist yet).
    pub before: Option<String>,
    /// Its text with the section inserted.
    pub after: String,
    /// Fragment files the section used, to be removed.
    pub fragments: Vec<PathBuf>,
}

pub(super) fn settings(
    root: &Path,
    options: &ChangelogOptions,
) -> Result<ChangelogSettings, ProjectError> {
    let discovered = TowncrierConfig::discover(root)?;
    let source = match (options.source, discovered) {
        (Some(Configured::Commits), _) => ChangelogSource::Commits,
        (Some(Configured::Fragments) | None, Some(config)) => {
            ChangelogSource::Fragments(Box::new(config))
        }
        (Some(Configured::Fragments), None) => {
            let directory = options.fragments.as_deref().unwrap_or("changelog.d");
            let file = options.file.as_deref().unwrap_or("CHANGELOG.md");
            ChangelogSource::Fragments(Box::new(TowncrierConfig::with_defaults(
                root, directory, file,
            )))
        }
        (None, None) => ChangelogSource::Commits,
    };
    let file = match (&options.file, &source) {
        (Some(file), _) => PathBuf::from(file),
        (None, ChangelogSource::Fragments(config)) => PathBuf::from(&config.filename),
        (None, ChangelogSource::Commits) => PathBuf::from("CHANGELOG.md"),
    };
    Ok(ChangelogSettings {
        exists: root.join(&file).is_file(),
        configured: options.source.is_some()
            || options.file.is_some()
            || matches!(source, ChangelogSource::Fragments(_)),
        file,
        source,
        template: options.template.as_ref().map(PathBuf::from),
        include_other: options.include_other,
    })
}

impl Project {
    /// Renders the section of the release of `version` (dated `date`) and inserts it into the
    /// changelog's text.
    pub fn render_changelog(
        &self,
        history: &History,
        version: &Version,
        date: &str,
    ) -> Result<RenderedSection, ProjectError> {
        let text = version.to_string();
        self.render_changelog_named(history, &text, &self.tag_of(&text), date)
    }

    /// The section of `version` the changelog file has already (written by hand, or by an
    /// earlier run), as a section that changes nothing; `None` when the file has none.
    pub fn written_section(&self, version: &Version) -> Option<RenderedSection> {
        let section = self.changelog_section_whole(&version.to_string()).ok()?;
        let file = self.root.join(&self.changelog.file);
        let text = read_optional(&file).ok()??;
        Some(RenderedSection {
            section,
            file,
            before: Some(text.clone()),
            after: text,
            fragments: Vec::new(),
        })
    }

    /// Like [`render_changelog`](Self::render_changelog) for a section that is not a version yet
    /// (`Unreleased`, compared up to `HEAD`).
    pub fn render_changelog_named(
        &self,
        history: &History,
        version: &str,
        tag: &str,
        date: &str,
    ) -> Result<RenderedSection, ProjectError> {
        let file = self.root.join(&self.changelog.file);
        match &self.changelog.source {
            ChangelogSource::Fragments(config) => {
                let build = towncrier::build(
                    config,
                    &BuildOptions {
                        version: version.to_owned(),
                        date: date.to_owned(),
                        // towncrier's own `name` comes first, as `towncrier build` has it.
                        name: config.name.is_empty().then(|| self.name.clone()),
                    },
                )?;
                let fragments = build.fragment_files();
                Ok(RenderedSection {
                    section: build.rendered.content.clone(),
                    file: build.news_file.clone(),
                    before: build.previous.clone(),
                    after: build.contents.clone(),
                    fragments,
                })
            }
            ChangelogSource::Commits => {
                let notes = history.notes_for(version, tag, date);
                let section = match &self.changelog.template {
                    Some(template) => ChangelogTemplate::load(&self.root.join(template))?
                        .render(&notes, self.links.as_ref())?,
                    None => markdown::render_section(&notes, self.links.as_ref()),
                };
                let before = read_optional(&file)?;
                let after = match &before {
                    Some(text) => Document::for_path(&file, text).insert_section(&section, None),
                    None => format!("# Changelog\n\n{section}"),
                };
                Ok(RenderedSection {
                    section,
                    file,
                    before,
                    after,
                    fragments: Vec::new(),
                })
            }
        }
    }

    /// The whole section of `version` as the file has it, heading included and trailing blank
    /// lines left out: what `{changelog}` holds once the section is in the file, the same text
    /// the changelog step rendered and inserted.
    pub fn changelog_section_whole(&self, version: &str) -> Result<String, ProjectError> {
        self.with_changelog_section(version, |text, section| {
            text[section.range].trim_end().to_owned()
        })
    }

    /// The section of `version` as the changelog file has it, whatever tool wrote it.
    pub fn changelog_section(&self, version: &str) -> Result<String, ProjectError> {
        self.with_changelog_section(version, |_, section| section.body.to_owned())
    }

    /// Reads the changelog file and hands `take` its text and the section of `version`; a
    /// missing file or section is an error naming the file.
    fn with_changelog_section(
        &self,
        version: &str,
        take: impl FnOnce(&str, Section<'_>) -> String,
    ) -> Result<String, ProjectError> {
        let file = self.root.join(&self.changelog.file);
        let display = self.changelog.file.display().to_string();
        let text = read_optional(&file)?.ok_or_else(|| ProjectError::Read {
            path: display.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        })?;
        relman_version::changelog::document::require_section(&self.changelog.file, &text, version)
            .map(|section| take(&text, section))
            .map_err(|source| ProjectError::Document {
                file: display,
                source: Box::new(source),
            })
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, ProjectError> {
    match relman_version::files::bounded::read_text_bounded(
        path,
        relman_version::files::bounded::MAX_CHANGELOG,
    ) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ProjectError::Read {
            path: path.display().to_string(),
            source,
        }),
    }
}
