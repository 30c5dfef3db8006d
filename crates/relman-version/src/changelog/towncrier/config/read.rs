//! Typed reads of `[tool.towncrier]`: each option checked for the type towncrier expects, with
//! errors that point at the file, line and column; the fragment types, sections and template
//! resolved as towncrier's loaders resolve them.

use std::path::Path;

use toml_edit::{Document, Item, TableLike};

use super::super::error::{ConfigLocation, TowncrierError};
use super::super::pytext;
use super::{FragmentType, Section, TemplateSource, TitleFormat, default_types};

pub(super) fn parse_document(path: &Path, text: &str) -> Result<Document<String>, TowncrierError> {
    Document::parse(text.to_owned()).map_err(|error| TowncrierError::Toml {
        location: ConfigLocation::at(
            path.to_path_buf(),
            text,
            error.span().map(|span| span.start),
        ),
        message: error.message().trim_end().to_owned(),
    })
}

pub(super) fn project_name(document: &Document<String>) -> Option<String> {
    document
        .get("project")
        .and_then(Item::as_table_like)
        .and_then(|project| project.get("name"))
        .and_then(Item::as_str)
        .map(str::to_owned)
}

/// Python truthiness of a TOML value, for the misspelt-option check.
pub(super) fn truthy(item: &Item) -> bool {
    match item {
        Item::None => false,
        Item::Value(value) => match value {
            toml_edit::Value::String(s) => !s.value().is_empty(),
            toml_edit::Value::Integer(i) => *i.value() != 0,
            toml_edit::Value::Float(f) => *f.value() != 0.0,
            toml_edit::Value::Boolean(b) => *b.value(),
            toml_edit::Value::Datetime(_) => true,
            toml_edit::Value::Array(array) => !array.is_empty(),
            toml_edit::Value::InlineTable(table) => !table.is_empty(),
        },
        Item::Table(table) => !table.is_empty(),
        Item::ArrayOfTables(array) => !array.is_empty(),
    }
}

/// Typed reads of `[tool.towncrier]` values, with errors that point into the file.
pub(super) struct Reader<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
}

impl Reader<'_> {
    pub(super) fn location(&self, item: &Item) -> ConfigLocation {
        ConfigLocation::at(
            self.path.to_path_buf(),
            self.text,
            item.span().map(|span| span.start),
        )
    }

    pub(super) fn invalid(&self, item: &Item, key: &str, expected: &'static str) -> TowncrierError {
        TowncrierError::InvalidOption {
            location: self.location(item),
            key: key.to_owned(),
            expected,
        }
    }

    pub(super) fn table<'i>(
        &self,
        item: &'i Item,
        key: &str,
    ) -> Result<&'i dyn TableLike, TowncrierError> {
        item.as_table_like()
            .ok_or_else(|| self.invalid(item, key, "a table"))
    }

    pub(super) fn string(&self, item: &Item, key: &str) -> Result<String, TowncrierError> {
        item.as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.invalid(item, key, "a string"))
    }

    pub(super) fn boolean(&self, item: &Item, key: &str) -> Result<bool, TowncrierError> {
        item.as_bool()
            .ok_or_else(|| self.invalid(item, key, "a boolean: false or true"))
    }

    pub(super) fn strings(&self, item: &Item, key: &str) -> Result<Vec<String>, TowncrierError> {
        let array = item
            .as_array()
            .ok_or_else(|| self.invalid(item, key, "an array of strings"))?;
        array
            .iter()
            .map(|value| value.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| self.invalid(item, key, "an array of strings"))
    }

    pub(super) fn title_format(&self, item: &Item) -> Result<TitleFormat, TowncrierError> {
        match (item.as_str(), item.as_bool()) {
            (Some(""), _) => Ok(TitleFormat::Template),
            (Some(format), _) => Ok(TitleFormat::Format(format.to_owned())),
            (None, Some(false)) => Ok(TitleFormat::Disabled),
            _ => Err(self.invalid(item, "title_format", "a string, or false")),
        }
    }

    pub(super) fn wrap(&self, item: &Item) -> Result<Option<usize>, TowncrierError> {
        // towncrier wraps at 79 columns for `true`, and for a width that is not positive.
        match (item.as_bool(), item.as_integer()) {
            (Some(false), _) => Ok(None),
            (Some(true), _) => Ok(Some(79)),
            (None, Some(width)) => Ok(Some(
                usize::try_from(width).ok().filter(|&w| w > 0).unwrap_or(79),
            )),
            _ => Err(self.invalid(item, "wrap", "a boolean or a line width")),
        }
    }

    pub(super) fn underlines(&self, item: &Item) -> Result<Vec<String>, TowncrierError> {
        // A plain string works in towncrier too: Python indexes it character by character.
        if let Some(text) = item.as_str() {
            return Ok(text.chars().map(String::from).collect());
        }
        self.strings(item, "underlines")
    }

    pub(super) fn sections(&self, item: &Item) -> Result<Vec<Section>, TowncrierError> {
        let mut sections: Vec<Section> = Vec::new();
        for table in self.tables(item, "section")? {
            let name = match table.get("name") {
                Some(name) => self.string(name, "section.name")?,
                None => String::new(),
            };
            let path = match table.get("path") {
                Some(path) => self.string(path, "section.path")?,
                None => {
                    return Err(TowncrierError::MissingOption {
                        location: self.location(item),
                        key: "path",
                        what: "a `[[tool.towncrier.section]]`",
                    });
                }
            };
            // A Python dict: a repeated name keeps its first place and takes the last path.
            match sections.iter_mut().find(|section| section.name == name) {
                Some(section) => section.path = path,
                None => sections.push(Section { name, path }),
            }
        }
        Ok(sections)
    }

    /// The tables of an array of tables, written either as `[[x]]` or as an inline array.
    pub(super) fn tables<'i>(
        &self,
        item: &'i Item,
        key: &str,
    ) -> Result<Vec<&'i dyn TableLike>, TowncrierError> {
        if let Some(array) = item.as_array_of_tables() {
            return Ok(array.iter().map(|table| table as &dyn TableLike).collect());
        }
        let array = item
            .as_array()
            .ok_or_else(|| self.invalid(item, key, "an array of tables"))?;
        array
            .iter()
            .map(|value| value.as_inline_table().map(|table| table as &dyn TableLike))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| self.invalid(item, key, "an array of tables"))
    }

    pub(super) fn optional_bool(
        &self,
        table: &dyn TableLike,
        key: &str,
        context: &str,
    ) -> Result<bool, TowncrierError> {
        match table.get(key) {
            Some(item) => self.boolean(item, &format!("{context}.{key}")),
            None => Ok(true),
        }
    }

    /// towncrier's precedence: non-empty `fragment` tables, else a non-empty `type` array, else
    /// the built-in types.
    pub(super) fn types(&self, table: &dyn TableLike) -> Result<Vec<FragmentType>, TowncrierError> {
        if let Some(item) = table.get("fragment").filter(|item| truthy(item)) {
            let fragments = self.table(item, "fragment")?;
            let mut keys: Vec<&str> = fragments.iter().map(|(key, _)| key).collect();
            keys.sort_unstable();
            return keys
                .into_iter()
                .map(|key| {
                    let item = fragments.get(key).unwrap_or(&Item::None);
                    let context = format!("fragment.{key}");
                    let options = self.table(item, &context)?;
                    let name = match options.get("name") {
                        Some(name) => self.string(name, &format!("{context}.name"))?,
                        None => pytext::capitalize(key),
                    };
                    Ok(FragmentType {
                        key: key.to_owned(),
                        name,
                        showcontent: self.optional_bool(options, "showcontent", &context)?,
                        check: self.optional_bool(options, "check", &context)?,
                    })
                })
                .collect();
        }
        if let Some(item) = table.get("type").filter(|item| truthy(item)) {
            let mut types: Vec<FragmentType> = Vec::new();
            for options in self.tables(item, "type")? {
                let name = match options.get("name") {
                    Some(name) => self.string(name, "type.name")?,
                    None => {
                        return Err(TowncrierError::MissingOption {
                            location: self.location(item),
                            key: "name",
                            what: "a `[[tool.towncrier.type]]`",
                        });
                    }
                };
                let key = match options.get("directory") {
                    Some(directory) => self.string(directory, "type.directory")?,
                    None => name.to_lowercase(),
                };
                let kind = FragmentType {
                    showcontent: self.optional_bool(options, "showcontent", "type")?,
                    check: self.optional_bool(options, "check", "type")?,
                    key,
                    name,
                };
                // A Python dict again: a repeated directory keeps its first place.
                match types.iter_mut().find(|existing| existing.key == kind.key) {
                    Some(existing) => *existing = kind,
                    None => types.push(kind),
                }
            }
            return Ok(types);
        }
        Ok(default_types())
    }

    pub(super) fn template(
        &self,
        item: &Item,
        base_dir: &Path,
        markdown_file: bool,
    ) -> Result<TemplateSource, TowncrierError> {
        let template = self.string(item, "template")?;
        let unsupported = || TowncrierError::UnsupportedTemplate {
            location: self.location(item),
            template: template.clone(),
        };
        if is_resource_name(&template) {
            let (package, resource) = template.split_once(':').ok_or_else(unsupported)?;
            let resource = if Path::new(resource).extension().is_none() {
                format!("{resource}{}", if markdown_file { ".md" } else { ".rst" })
            } else {
                resource.to_owned()
            };
            return match (package, resource.as_str()) {
                ("towncrier" | "towncrier.templates", "default.md") => {
                    Ok(TemplateSource::Default { markdown: true })
                }
                ("towncrier" | "towncrier.templates", "default.rst") => {
                    Ok(TemplateSource::Default { markdown: false })
                }
                _ => Err(unsupported()),
            };
        }
        let path = base_dir.join(&template);
        if !path.is_file() {
            return Err(TowncrierError::MissingTemplate {
                location: self.location(item),
                template: path,
            });
        }
        let markdown = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("md"));
        Ok(TemplateSource::File { path, markdown })
    }
}

/// towncrier's `[-\w.]+:[-\w.]+$`: `package:resource` rather than a path.
fn is_resource_name(template: &str) -> bool {
    let is_name = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c == '-' || c == '.' || c == '_' || c.is_alphanumeric())
    };
    let template = template.strip_suffix('\n').unwrap_or(template);
    template
        .split_once(':')
        .is_some_and(|(package, resource)| is_name(package) && is_name(resource))
}
