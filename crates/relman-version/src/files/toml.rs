//! TOML version files: `Cargo.toml`, `pyproject.toml` and TOML key files.
//!
//! `toml_edit`'s immutable `Document` keeps the byte span of every value, so the version is
//! located and later spliced in place. Nothing is re-serialised: a `# comment` after the value,
//! the quote style and everything else survive untouched (assigning through `DocumentMut` would
//! drop that comment).

use std::path::Path;

use toml_edit::{Document, Item, Value};

use super::FileError;
use super::detect::VersionSource;
use super::text::{Location, line_column, line_of};

pub(super) type TomlDocument<'t> = Document<&'t str>;

pub(super) fn parse<'t>(path: &Path, text: &'t str) -> Result<TomlDocument<'t>, FileError> {
    Document::parse(text).map_err(|error| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        FileError::Parse {
            path: path.to_owned(),
            format: "TOML",
            line,
            column,
            message: error.message().to_owned(),
        }
    })
}

/// What a dotted key leads to.
enum Lookup<'d> {
    Missing,
    /// The item, and the line of its key (dotted tables have no span of their own).
    Found(&'d Item, usize),
}

fn lookup<'d>(text: &str, doc: &'d TomlDocument<'_>, segments: &[&str]) -> Lookup<'d> {
    let mut item = doc.as_item();
    let mut line = 1;
    for segment in segments {
        let Some((key, child)) = item
            .as_table_like()
            .and_then(|table| table.get_key_value(segment))
        else {
            return Lookup::Missing;
        };
        if let Some(span) = key.span() {
            line = line_of(text, span.start);
        }
        item = child;
    }
    if item.is_none() {
        return Lookup::Missing;
    }
    Lookup::Found(item, line)
}

/// The location of a string value, or an error saying what the item is instead.
fn string_location(
    path: &Path,
    text: &str,
    item: &Item,
    line: usize,
    label: &str,
) -> Result<Location, FileError> {
    let not_a_string = |found: &str| FileError::NotAString {
        path: path.to_owned(),
        line,
        location: format!("`{label}`"),
        found: found.to_owned(),
    };
    let value = match item {
        Item::Value(value) => value,
        Item::Table(_) => return Err(not_a_string("a table")),
        Item::ArrayOfTables(_) => return Err(not_a_string("an array of tables")),
        Item::None => return Err(not_a_string("nothing")),
    };
    let string = match value {
        Value::String(string) => string,
        Value::Integer(_) | Value::Float(_) => {
            let raw = value.span().map_or("", |span| &text[span]);
            return Err(not_a_string(&format!("the number `{raw}` (quote it)")));
        }
        Value::Boolean(_) => return Err(not_a_string("a boolean")),
        Value::Datetime(_) => return Err(not_a_string("a date")),
        Value::Array(_) => return Err(not_a_string("an array")),
        Value::InlineTable(_) => return Err(not_a_string("an inline table")),
    };
    let span = value
        .span()
        .expect("a value of a parsed toml_edit Document has a span");
    let raw = &text[span.clone()];
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let inner = span.start + quote..span.end - quote;
    if text[inner.clone()] != *string.value() {
        return Err(FileError::Unsupported {
            path: path.to_owned(),
            line: line_of(text, span.start),
            message: format!("`{label}` is written with escapes or line breaks"),
        });
    }
    Ok(Location::new(inner, label))
}

/// The string at `label` (a dotted key of plain segments), if the key exists.
fn optional_string(
    path: &Path,
    text: &str,
    doc: &TomlDocument<'_>,
    label: &str,
) -> Result<Option<Location>, FileError> {
    let segments: Vec<&str> = label.split('.').collect();
    match lookup(text, doc, &segments) {
        Lookup::Missing => Ok(None),
        Lookup::Found(item, line) => string_location(path, text, item, line, label).map(Some),
    }
}

/// `Cargo.toml`: `package.version` and/or `workspace.package.version` (a root crate of a
/// workspace may have both; both are edited and must agree).
pub(super) fn locate_cargo(
    path: &Path,
    text: &str,
    doc: &TomlDocument<'_>,
) -> Result<Vec<Location>, FileError> {
    let inherited = match lookup(text, doc, &["package", "version"]) {
        Lookup::Found(item, _) => item
            .as_table_like()
            .and_then(|table| table.get("workspace"))
            .is_some(),
        Lookup::Missing => false,
    };
    let mut found = Vec::new();
    if !inherited && let Some(location) = optional_string(path, text, doc, "package.version")? {
        found.push(location);
    }
    if let Some(location) = optional_string(path, text, doc, "workspace.package.version")? {
        found.push(location);
    }
    if found.is_empty() && inherited {
        return Err(FileError::VersionElsewhere {
            path: path.to_owned(),
            reason: "`version.workspace = true` takes the version from the workspace".to_owned(),
            elsewhere: Some("the workspace's root `Cargo.toml`".to_owned()),
        });
    }
    Ok(found)
}

/// `pyproject.toml`: `project.version` and/or `tool.poetry.version`.
pub(super) fn locate_pyproject(
    path: &Path,
    text: &str,
    doc: &TomlDocument<'_>,
) -> Result<Vec<Location>, FileError> {
    let mut found = Vec::new();
    for label in ["project.version", "tool.poetry.version"] {
        if let Some(location) = optional_string(path, text, doc, label)? {
            found.push(location);
        }
    }
    if found.is_empty() && declares_dynamic_version(doc) {
        let source = super::detect::pyproject_version_source(doc);
        if let Some(VersionSource::Vcs(tool)) = source {
            return Err(FileError::VersionFromTags {
                path: path.to_owned(),
                tool: tool.to_owned(),
            });
        }
        return Err(FileError::VersionElsewhere {
            path: path.to_owned(),
            reason: "`project.dynamic` lists `version`, so the build backend computes it"
                .to_owned(),
            elsewhere: source.map(|source| source.describe()),
        });
    }
    Ok(found)
}

pub(super) fn declares_dynamic_version(doc: &TomlDocument<'_>) -> bool {
    doc.as_table()
        .get("project")
        .and_then(|project| project.get("dynamic"))
        .and_then(Item::as_array)
        .is_some_and(|dynamic| dynamic.iter().any(|item| item.as_str() == Some("version")))
}

/// A key file: exactly the dotted key asked for.
pub(super) fn locate_key(
    path: &Path,
    text: &str,
    doc: &TomlDocument<'_>,
    segments: &[String],
    key: &str,
) -> Result<Vec<Location>, FileError> {
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    match lookup(text, doc, &segments) {
        Lookup::Missing => Err(FileError::KeyMissing {
            path: path.to_owned(),
            key: key.to_owned(),
        }),
        Lookup::Found(item, line) => Ok(vec![string_location(path, text, item, line, key)?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cargo(text: &str) -> Result<Vec<String>, FileError> {
        let doc = parse(Path::new("Cargo.toml"), text)?;
        let found = locate_cargo(Path::new("Cargo.toml"), text, &doc)?;
        Ok(found.into_iter().map(|l| text[l.span].to_owned()).collect())
    }

    #[test]
    fn cargo_places() {
        assert_eq!(
            cargo("[package]\nversion = \"1.2.3\" # c\n").unwrap(),
            ["1.2.3"]
        );
        assert_eq!(
            cargo("package = { version = '0.1.0' }\n").unwrap(),
            ["0.1.0"]
        );
        assert_eq!(
            cargo("[workspace.package]\nversion = \"2.0.0\"\n").unwrap(),
            ["2.0.0"]
        );
        let both =
            "[package]\nversion.workspace = true\n[workspace.package]\nversion = \"3.0.0\"\n";
        assert_eq!(cargo(both).unwrap(), ["3.0.0"]);
        assert_eq!(
            cargo("[workspace]\nmembers = []\n").unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn cargo_member_inherits() {
        let error = cargo("[package]\nname = \"a\"\nversion.workspace = true\n").unwrap_err();
        assert!(
            matches!(error, FileError::VersionElsewhere { .. }),
            "{error}"
        );
        let error = cargo("[package]\nversion = { workspace = true }\n").unwrap_err();
        assert!(
            matches!(error, FileError::VersionElsewhere { .. }),
            "{error}"
        );
    }

    #[test]
    fn numbers_and_escapes_are_refused() {
        let error = cargo("[package]\nversion = 1.0\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`Cargo.toml`:2: `package.version` holds the number `1.0` (quote it), not a version string"
        );
        let error = cargo("[package]\nversion = \"1.\\u0030\"\n").unwrap_err();
        assert!(
            matches!(error, FileError::Unsupported { line: 2, .. }),
            "{error}"
        );
    }

    #[test]
    fn parse_error_has_line_and_column() {
        let error = cargo("[package]\nversion = \"1.0\n").unwrap_err();
        let FileError::Parse { line, column, .. } = error else {
            panic!("{error}")
        };
        // The string is unterminated: the parser points at the end of its line.
        assert_eq!((line, column), (2, 15));
    }
}
