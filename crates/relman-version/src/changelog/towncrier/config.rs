//! The towncrier configuration: `[tool.towncrier]` read from `towncrier.toml` (which wins, as in
//! towncrier) or `pyproject.toml`, with towncrier's defaults, fragment types (the `[[type]]`
//! array, the newer `[fragment.NAME]` tables, or the five built-in types), sections and template.
//!
//! Options are read as towncrier 25+/26 reads them; a value of the wrong type is an error naming
//! the file, line and column rather than the crash towncrier would have later.

use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, TableLike};

mod read;

use read::{Reader, parse_document, project_name, truthy};

use super::error::{ConfigLocation, TowncrierError};

/// One fragment type: the file extension (`feature`), its heading, and whether its fragments'
/// text is shown or only their issue numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentType {
    /// The `TYPE` in `ISSUE.TYPE`; towncrier calls it the type's directory.
    pub key: String,
    /// The heading of the type's block in the news file.
    pub name: String,
    pub showcontent: bool,
    /// Only used by `towncrier check`; kept so the model is complete.
    pub check: bool,
}

/// A section: a sub-folder of the fragment folder with its own heading (`[[tool.towncrier.section]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Empty for the unnamed main section.
    pub name: String,
    /// Relative to the fragment folder; empty for the folder itself.
    pub path: String,
}

/// How the release heading is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleFormat {
    /// `title_format = ""` (the default): the template renders the title.
    Template,
    /// `title_format = false`: no title at all.
    Disabled,
    /// A Python format string over `{name}`, `{version}` and `{project_date}`.
    Format(String),
}

/// The template that renders one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateSource {
    /// towncrier's `default.md` or `default.rst`, rendered by Rust code.
    Default { markdown: bool },
    /// A Jinja template in the project, rendered with minijinja and towncrier's context.
    File { path: PathBuf, markdown: bool },
}

impl TemplateSource {
    /// Whether the release is Markdown: decided by the template's extension, as towncrier does.
    pub fn is_markdown(&self) -> bool {
        match self {
            Self::Default { markdown } | Self::File { markdown, .. } => *markdown,
        }
    }
}

/// A resolved towncrier configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TowncrierConfig {
    /// The folder paths are relative to: the folder of the configuration file.
    pub base_dir: PathBuf,
    /// The file the configuration came from (for error messages); `None` when built in code.
    pub config_file: Option<PathBuf>,
    /// The fragment folder, relative to `base_dir`. When `None`, fragments live in
    /// `package_dir/package/<section>/newsfragments`.
    pub directory: Option<String>,
    pub package: String,
    pub package_dir: String,
    /// The news file; with `single_file = false` a format string over `{name}`, `{version}`,
    /// `{project_date}` naming one file per release.
    pub filename: String,
    pub single_file: bool,
    /// The project name used in the title when none is passed.
    pub name: String,
    /// `version` from the configuration, for callers that have no version of their own.
    pub version: Option<String>,
    pub start_string: String,
    pub title_format: TitleFormat,
    pub issue_format: Option<String>,
    /// A regular expression every issue name must match in full (orphans excepted); empty for none.
    pub issue_pattern: String,
    pub underlines: Vec<String>,
    /// Line width when `wrap` is on.
    pub wrap: Option<usize>,
    pub all_bullets: bool,
    /// Issue names starting with this are orphans; empty turns orphans off.
    pub orphan_prefix: String,
    pub create_eof_newline: bool,
    pub create_add_extension: bool,
    /// File name patterns (`fnmatch`) skipped in the fragment folder. When set at all, a file that
    /// is not a fragment is an error instead of being skipped, as in towncrier.
    pub ignore: Option<Vec<String>>,
    /// In the order towncrier renders them.
    pub types: Vec<FragmentType>,
    pub sections: Vec<Section>,
    pub template: TemplateSource,
}

const TOWNCRIER_TOML: &str = "towncrier.toml";
const PYPROJECT_TOML: &str = "pyproject.toml";

fn default_types() -> Vec<FragmentType> {
    [
        ("feature", "Features", true),
        ("bugfix", "Bugfixes", true),
        ("doc", "Improved Documentation", true),
        ("removal", "Deprecations and Removals", true),
        ("misc", "Misc", false),
    ]
    .into_iter()
    .map(|(key, name, showcontent)| FragmentType {
        key: key.to_owned(),
        name: name.to_owned(),
        showcontent,
        check: true,
    })
    .collect()
}

fn is_markdown_name(filename: &str) -> bool {
    Path::new(filename)
        .extension()
        .is_some_and(|extension| extension == "md")
}

fn default_start_string(markdown: bool) -> String {
    if markdown {
        "<!-- towncrier release notes start -->\n".to_owned()
    } else {
        ".. towncrier release notes start\n".to_owned()
    }
}

impl TowncrierConfig {
    /// The configuration towncrier would use with only `directory` and `filename` set: for
    /// projects that keep fragments without configuring towncrier.
    pub fn with_defaults(base_dir: &Path, directory: &str, filename: &str) -> Self {
        let markdown = is_markdown_name(filename);
        Self {
            base_dir: base_dir.to_path_buf(),
            config_file: None,
            directory: Some(directory.to_owned()),
            package: String::new(),
            package_dir: ".".to_owned(),
            filename: filename.to_owned(),
            single_file: true,
            name: String::new(),
            version: None,
            start_string: default_start_string(markdown),
            title_format: TitleFormat::Template,
            issue_format: None,
            issue_pattern: String::new(),
            underlines: vec!["=".to_owned(), "-".to_owned(), "~".to_owned()],
            wrap: None,
            all_bullets: true,
            orphan_prefix: "+".to_owned(),
            create_eof_newline: true,
            create_add_extension: true,
            ignore: None,
            types: default_types(),
            sections: vec![Section {
                name: String::new(),
                path: String::new(),
            }],
            template: TemplateSource::Default { markdown },
        }
    }

    /// The towncrier configuration of the project in `project_dir`: `towncrier.toml` if it exists,
    /// else `pyproject.toml` if it has a `[tool.towncrier]` table, else `None`.
    pub fn discover(project_dir: &Path) -> Result<Option<Self>, TowncrierError> {
        let towncrier_toml = project_dir.join(TOWNCRIER_TOML);
        if towncrier_toml.is_file() {
            return Self::load(&towncrier_toml).map(Some);
        }
        let pyproject = project_dir.join(PYPROJECT_TOML);
        if !pyproject.is_file() {
            return Ok(None);
        }
        let text = crate::files::bounded::read_text_bounded(
            &pyproject,
            crate::files::bounded::MAX_CONFIG_FILE,
        )?;
        let document = parse_document(&pyproject, &text)?;
        let has_table = document
            .get("tool")
            .and_then(Item::as_table_like)
            .and_then(|tool| tool.get("towncrier"))
            .is_some();
        if !has_table {
            return Ok(None);
        }
        let project_name = project_name(&document);
        Self::from_document(
            project_dir,
            pyproject,
            &text,
            &document,
            project_name.as_deref(),
        )
        .map(Some)
    }

    /// Reads `config_file` (a `towncrier.toml` or `pyproject.toml`); paths are relative to its
    /// folder. `[project].name` of a `pyproject.toml` beside it is the fallback project name.
    pub fn load(config_file: &Path) -> Result<Self, TowncrierError> {
        let base_dir = config_file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let text = crate::files::bounded::read_text_bounded(
            config_file,
            crate::files::bounded::MAX_CONFIG_FILE,
        )?;
        let document = parse_document(config_file, &text)?;
        let pyproject = base_dir.join(PYPROJECT_TOML);
        let project_name = if config_file.file_name() == Some(PYPROJECT_TOML.as_ref()) {
            project_name(&document)
        } else if pyproject.is_file() {
            let pyproject_text = crate::files::bounded::read_text_bounded(
                &pyproject,
                crate::files::bounded::MAX_CONFIG_FILE,
            )?;
            project_name(&parse_document(&pyproject, &pyproject_text)?)
        } else {
            None
        };
        Self::from_document(
            &base_dir,
            config_file.to_path_buf(),
            &text,
            &document,
            project_name.as_deref(),
        )
    }

    /// Parses the text of a configuration file. `project_name` is `[project].name` of the
    /// project's `pyproject.toml`, used as towncrier does when `package` and `name` are unset.
    pub fn from_toml(
        base_dir: &Path,
        config_file: PathBuf,
        text: &str,
        project_name: Option<&str>,
    ) -> Result<Self, TowncrierError> {
        let document = parse_document(&config_file, text)?;
        Self::from_document(base_dir, config_file, text, &document, project_name)
    }

    fn from_document(
        base_dir: &Path,
        config_file: PathBuf,
        text: &str,
        document: &Document<String>,
        project_name: Option<&str>,
    ) -> Result<Self, TowncrierError> {
        let reader = Reader {
            path: &config_file,
            text,
        };
        let table = document
            .get("tool")
            .and_then(Item::as_table_like)
            .and_then(|tool| tool.get("towncrier"))
            .map(|item| reader.table(item, "tool.towncrier"))
            .transpose()?;
        let mut config = Self::with_defaults(base_dir, "", "NEWS.rst");
        config.directory = None;
        config.config_file = Some(config_file.clone());
        if let Some(table) = table {
            config.apply(&reader, table)?;
        }
        if let Some(project_name) = project_name.filter(|name| !name.is_empty()) {
            if config.package.is_empty() {
                config.package = project_name.to_owned();
            }
            if config.name.is_empty() {
                config.name = config.package.clone();
            }
        }
        Ok(config)
    }

    fn apply(&mut self, reader: &Reader<'_>, table: &dyn TableLike) -> Result<(), TowncrierError> {
        if let Some(item) = table.get("singlefile")
            && truthy(item)
        {
            return Err(TowncrierError::MisspeltOption {
                location: reader.location(item),
                key: "singlefile".to_owned(),
                correct: "single_file",
            });
        }
        let mut start_string = String::new();
        for (key, item) in table.iter() {
            match key {
                "directory" => self.directory = Some(reader.string(item, key)?),
                "package" => self.package = reader.string(item, key)?,
                "package_dir" => self.package_dir = reader.string(item, key)?,
                "filename" => self.filename = reader.string(item, key)?,
                "name" => self.name = reader.string(item, key)?,
                "version" => self.version = Some(reader.string(item, key)?),
                "start_string" => start_string = reader.string(item, key)?,
                "issue_format" => self.issue_format = Some(reader.string(item, key)?),
                "issue_pattern" => self.issue_pattern = reader.string(item, key)?,
                "orphan_prefix" => self.orphan_prefix = reader.string(item, key)?,
                "single_file" => self.single_file = reader.boolean(item, key)?,
                "all_bullets" => self.all_bullets = reader.boolean(item, key)?,
                "create_eof_newline" => self.create_eof_newline = reader.boolean(item, key)?,
                "create_add_extension" => self.create_add_extension = reader.boolean(item, key)?,
                "title_format" => self.title_format = reader.title_format(item)?,
                "wrap" => self.wrap = reader.wrap(item)?,
                "underlines" => self.underlines = reader.underlines(item)?,
                "ignore" => self.ignore = Some(reader.strings(item, key)?),
                "section" => self.sections = reader.sections(item)?,
                // Read below, once every option they depend on is known.
                _ => {}
            }
        }
        self.types = reader.types(table)?;

        let markdown_file = is_markdown_name(&self.filename);
        self.start_string = if start_string.is_empty() {
            default_start_string(markdown_file)
        } else {
            start_string
        };
        self.template = match table.get("template") {
            Some(item) => reader.template(item, &self.base_dir, markdown_file)?,
            None => TemplateSource::Default {
                markdown: markdown_file,
            },
        };
        if !self.issue_pattern.is_empty() {
            let anchored = format!("^(?:{})$", self.issue_pattern);
            if let Err(error) = regex::Regex::new(&anchored) {
                return Err(TowncrierError::InvalidIssuePattern {
                    location: reader.location(table.get("issue_pattern").unwrap_or(&Item::None)),
                    pattern: self.issue_pattern.clone(),
                    message: error.to_string(),
                });
            }
        }
        Ok(())
    }

    /// The type keys, in rendering order: what error messages list as valid.
    pub fn type_keys(&self) -> Vec<String> {
        self.types.iter().map(|kind| kind.key.clone()).collect()
    }

    pub fn fragment_type(&self, key: &str) -> Option<&FragmentType> {
        self.types.iter().find(|kind| kind.key == key)
    }

    /// The folder holding the fragments of `section`.
    pub fn section_dir(&self, section: &Section) -> PathBuf {
        match &self.directory {
            Some(directory) => self.base_dir.join(directory).join(&section.path),
            None => self
                .base_dir
                .join(&self.package_dir)
                .join(&self.package)
                .join(&section.path)
                .join("newsfragments"),
        }
    }

    /// The fragment folder: where the config says fragments live, for messages.
    pub fn fragment_root(&self) -> PathBuf {
        self.section_dir(&Section {
            name: String::new(),
            path: String::new(),
        })
    }

    /// Where an error about an option points: the configuration file, or the news file's folder
    /// for a configuration built in code.
    pub(crate) fn location(&self) -> ConfigLocation {
        ConfigLocation {
            path: self
                .config_file
                .clone()
                .unwrap_or_else(|| self.base_dir.clone()),
            line: 0,
            column: 0,
        }
    }
}

#[cfg(test)]
mod tests;
