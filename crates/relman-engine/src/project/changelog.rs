//! The changelog of a project: where it is, where its notes come from (commits, towncrier
//! fragments, the file itself written by hand, or GitHub), and rendering this release's section
//! into the file's new text (nothing written here: the caller shows a diff or writes it).
//!
//! Detection, when `[changelog] from` is not set: a towncrier configuration means fragments; an
//! existing changelog (`CHANGELOG.md`, `CHANGES.rst`, `HISTORY.md` … the first found) that reads
//! as written by hand (an unreleased section, or release sections that are not groups of
//! commits) means the file; otherwise commits.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use relman_version::bump::Impact;
use relman_version::changelog::document::{Document, Format, Section};
use relman_version::changelog::handwritten::{self, Promotion};
use relman_version::changelog::markdown;
use relman_version::changelog::template::ChangelogTemplate;
use relman_version::changelog::towncrier::{self, BuildOptions, TowncrierConfig};
use relman_version::date::Date;
use relman_version::version::Version;

use super::settings::{ChangelogOptions, ChangelogSource as Configured};
use super::{History, Project, ProjectError};

/// Changelog files looked for when nothing names one, most usual first.
pub const CHANGELOG_NAMES: &[&str] = &[
    "CHANGELOG.md",
    "CHANGELOG.rst",
    "CHANGELOG",
    "CHANGELOG.txt",
    "CHANGES.md",
    "CHANGES.rst",
    "CHANGES",
    "CHANGES.txt",
    "HISTORY.md",
    "HISTORY.rst",
    "History.md",
    "NEWS.md",
    "NEWS.rst",
    "NEWS",
    "RELEASE_NOTES.md",
    "RELEASES.md",
];

/// Where release notes come from.
#[derive(Debug, Clone)]
pub enum ChangelogSource {
    /// The commits since the previous release (grouped when they are conventional).
    Commits,
    /// Towncrier news fragments.
    Fragments(Box<TowncrierConfig>),
    /// The file itself, written by hand: its unreleased notes are promoted to the release.
    File,
    /// GitHub's generated release notes, asked for when the changelog step runs.
    Github,
    /// Changesets (`.changeset/*.md`), for a package of an npm workspace that keeps them: the
    /// entry `changeset version` writes.
    Changesets,
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
    /// Conventional Commits types besides the standard ones.
    pub types: Vec<String>,
    /// The bump each news fragment type calls for, where the project says.
    pub levels: BTreeMap<String, Impact>,
}

/// The line a section gets where GitHub's generated notes will go, when the plan shows it.
pub const GENERATED_PLACEHOLDER: &str =
    "(the notes GitHub generates for the release, asked for when the step runs)";

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
    let existing = || {
        CHANGELOG_NAMES
            .iter()
            .find(|name| root.join(name).is_file())
            .map(PathBuf::from)
    };
    let named = options.file.as_ref().map(PathBuf::from);
    let source = match (options.source, discovered) {
        (Some(Configured::Commits), _) => ChangelogSource::Commits,
        (Some(Configured::File), _) => ChangelogSource::File,
        (Some(Configured::Github), _) => ChangelogSource::Github,
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
        (None, None) => {
            let file = named.clone().or_else(existing);
            let hand_written = file.as_ref().is_some_and(|file| {
                relman_version::files::read_text_bounded(
                    &root.join(file),
                    relman_version::files::bounded::MAX_CHANGELOG,
                )
                .is_ok_and(|text| handwritten::is_hand_written(file, &text))
            });
            if hand_written {
                ChangelogSource::File
            } else {
                ChangelogSource::Commits
            }
        }
    };
    let file = match (named, &source) {
        (Some(file), _) => file,
        (None, ChangelogSource::Fragments(config)) => PathBuf::from(&config.filename),
        (None, _) => existing().unwrap_or_else(|| PathBuf::from("CHANGELOG.md")),
    };
    let levels = options
        .levels
        .iter()
        .map(|(fragment_type, level)| {
            let impact = match level.as_str() {
                "major" => Impact::Major,
                "minor" => Impact::Minor,
                "patch" => Impact::Patch,
                _ => Impact::None,
            };
            (fragment_type.clone(), impact)
        })
        .collect();
    Ok(ChangelogSettings {
        exists: root.join(&file).is_file(),
        configured: options.source.is_some()
            || options.file.is_some()
            || matches!(source, ChangelogSource::Fragments(_)),
        file,
        source,
        template: options.template.as_ref().map(PathBuf::from),
        include_other: options.include_other,
        types: options.types.clone(),
        levels,
    })
}

/// The bump a news fragment of `fragment_type` calls for: the project's `[changelog.levels]`,
/// else `removal`/`breaking` major, `feature` minor, `doc`/`misc` none, anything else patch
/// (`bugfix`, `security`, `deprecation`, a project's own types).
pub fn fragment_level(levels: &BTreeMap<String, Impact>, fragment_type: &str) -> Impact {
    if let Some(level) = levels.get(fragment_type) {
        return *level;
    }
    match fragment_type {
        "removal" | "breaking" => Impact::Major,
        "feature" => Impact::Minor,
        "doc" | "misc" => Impact::None,
        _ => Impact::Patch,
    }
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
                        // As `towncrier build`: its `name`, else the package's, else none;
                        // never relman's fallback, the folder's name.
                        name: None,
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
            ChangelogSource::File => self.promote_file(history, version, tag, date),
            ChangelogSource::Github => {
                self.section_with_body(history, version, tag, date, GENERATED_PLACEHOLDER)
            }
            ChangelogSource::Changesets => {
                let run = self.changeset_run()?;
                let found = run
                    .as_ref()
                    .and_then(|run| run.changelogs.get(&self.name))
                    .map(|(rendered, _)| rendered.clone());
                Ok(found.unwrap_or_else(|| {
                    let before = read_optional(&file).ok().flatten();
                    RenderedSection {
                        section: String::new(),
                        after: before.clone().unwrap_or_default(),
                        before,
                        file,
                        fragments: Vec::new(),
                    }
                }))
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

    /// The file written by hand with its unreleased notes promoted to `version` (or, for a
    /// section that is no version yet, the unreleased section as it is).
    fn promote_file(
        &self,
        history: &History,
        version: &str,
        tag: &str,
        date: &str,
    ) -> Result<RenderedSection, ProjectError> {
        let file = self.root.join(&self.changelog.file);
        let Some(text) = read_optional(&file)? else {
            // Nothing written yet: the file starts with relman's section.
            let notes = history.notes_for(version, tag, date);
            let section = markdown::render_section(&notes, self.links.as_ref());
            return Ok(RenderedSection {
                after: format!("# Changelog\n\n{section}"),
                section,
                file,
                before: None,
                fragments: Vec::new(),
            });
        };
        let notes = history.notes_for(version, tag, date);
        let rst = Format::from_path(&file).unwrap_or_else(|| Format::detect(&text)) == Format::Rst;
        let body = if rst {
            markdown::render_change_list(&notes, None)
        } else {
            markdown::render_body(&notes, self.links.as_ref())
        };
        if self.scheme.parse(version).is_err() {
            // `Unreleased`: what the file holds for the next release, or what commits say.
            let section = handwritten::unreleased_section(&file, &text)
                .map_or(body, |section| section + "\n");
            return Ok(RenderedSection {
                section,
                file,
                before: Some(text.clone()),
                after: text,
                fragments: Vec::new(),
            });
        }
        let day: Date = date.parse().unwrap_or_else(|_| Date::from_unix_seconds(0));
        let (after, _) = handwritten::promote(
            &file,
            &text,
            &Promotion {
                version,
                date: day,
                tag,
                notes: &body,
            },
        );
        let section = whole_section(&file, &after, version).unwrap_or_default() + "\n";
        Ok(RenderedSection {
            section,
            file,
            before: Some(text),
            after,
            fragments: Vec::new(),
        })
    }

    /// A section of `version` with relman's heading (the file's own style for a file written
    /// by hand) over `body`, inserted into the file: GitHub's generated notes.
    pub fn section_with_body(
        &self,
        history: &History,
        version: &str,
        tag: &str,
        date: &str,
        body: &str,
    ) -> Result<RenderedSection, ProjectError> {
        let file = self.root.join(&self.changelog.file);
        let before = read_optional(&file)?;
        let notes = history.notes_for(version, tag, date);
        let (section, after) = match &before {
            Some(text) if handwritten::is_hand_written(&file, text) => {
                let day: Date = date.parse().unwrap_or_else(|_| Date::from_unix_seconds(0));
                let (after, _) = handwritten::promote(
                    &file,
                    text,
                    &Promotion {
                        version,
                        date: day,
                        tag,
                        notes: body,
                    },
                );
                (
                    whole_section(&file, &after, version).unwrap_or_default(),
                    after,
                )
            }
            Some(text) => {
                let section = format!(
                    "{}\n{}\n",
                    markdown::render_heading(&notes, self.links.as_ref()),
                    body.trim_end()
                );
                let after = Document::for_path(&file, text).insert_section(&section, None);
                (section, after)
            }
            None => {
                let section = format!(
                    "{}\n{}\n",
                    markdown::render_heading(&notes, self.links.as_ref()),
                    body.trim_end()
                );
                let after = format!("# Changelog\n\n{section}");
                (section, after)
            }
        };
        Ok(RenderedSection {
            section,
            file,
            before,
            after,
            fragments: Vec::new(),
        })
    }

    /// Whether `changelog --all` and `--version` read the file's own sections (fragments, a
    /// file written by hand, GitHub's notes kept in it) rather than render them from history.
    pub fn changelog_is_the_file(&self) -> bool {
        !matches!(self.changelog.source, ChangelogSource::Commits) && self.changelog.exists
    }

    /// Every release's section of the changelog file, heading included, trailing blank lines
    /// left out, newest first as the file has them: `(version, section)`.
    pub fn changelog_sections(&self) -> Result<Vec<(String, String)>, ProjectError> {
        let file = self.root.join(&self.changelog.file);
        let Some(text) = read_optional(&file)? else {
            return Ok(Vec::new());
        };
        Ok(Document::for_path(&file, &text)
            .release_sections()
            .into_iter()
            .map(|section| {
                (
                    section.title.clone(),
                    text[section.range].trim_end().to_owned(),
                )
            })
            .collect())
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

/// The section of `version` in `text`, heading included, trailing blank lines left out.
fn whole_section(path: &Path, text: &str, version: &str) -> Option<String> {
    let section = Document::for_path(path, text).find_section(version)?;
    Some(text[section.range].trim_end().to_owned())
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
