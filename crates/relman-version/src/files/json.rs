//! JSON version files: `package.json`, `package-lock.json`/`npm-shrinkwrap.json` and JSON key
//! files. `jsonc-parser`'s AST carries the byte range of every node, so the version string is
//! located and spliced in place; indentation, key order and the final newline stay as they were.

use std::path::Path;

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

use super::FileError;
use super::text::{Location, line_of};

pub(super) fn parse<'t>(path: &Path, text: &'t str) -> Result<Value<'t>, FileError> {
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
            .map_err(|error| FileError::Parse {
                path: path.to_owned(),
                format: "JSON",
                line: error.line_display(),
                column: error.column_display(),
                message: error.kind().to_string(),
            })?;
    parsed.value.ok_or_else(|| FileError::Parse {
        path: path.to_owned(),
        format: "JSON",
        line: 1,
        column: 1,
        message: "the file holds no value".to_owned(),
    })
}

/// The value at a property path, `Ok(None)` when some segment is missing.
fn lookup<'v, 't>(
    path: &Path,
    text: &str,
    root: &'v Value<'t>,
    segments: &[&str],
    label: &str,
) -> Result<Option<&'v Value<'t>>, FileError> {
    let mut value = root;
    for segment in segments {
        let Value::Object(object) = value else {
            return Ok(None);
        };
        match property(path, text, object, segment, label)? {
            Some(child) => value = child,
            None => return Ok(None),
        }
    }
    Ok(Some(value))
}

/// One property of an object; a name given twice is refused rather than guessed.
fn property<'v, 't>(
    path: &Path,
    text: &str,
    object: &'v Object<'t>,
    name: &str,
    label: &str,
) -> Result<Option<&'v Value<'t>>, FileError> {
    let mut matches = object
        .properties
        .iter()
        .filter(|property| property.name.as_str() == name);
    let Some(first) = matches.next() else {
        return Ok(None);
    };
    let rest: Vec<_> = matches.collect();
    if !rest.is_empty() {
        let lines = std::iter::once(first)
            .chain(rest)
            .map(|property| line_of(text, property.range.start))
            .collect();
        return Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: format!("`{label}`"),
            lines,
        });
    }
    Ok(Some(&first.value))
}

fn string_location(
    path: &Path,
    text: &str,
    value: &Value<'_>,
    label: &str,
) -> Result<Location, FileError> {
    let (range, found) = match value {
        Value::StringLit(string) => {
            let inner = string.range.start + 1..string.range.end - 1;
            if text[inner.clone()] != *string.value {
                return Err(FileError::Unsupported {
                    path: path.to_owned(),
                    line: line_of(text, string.range.start),
                    message: format!("`{label}` is written with escapes"),
                });
            }
            return Ok(Location::new(inner, label));
        }
        Value::NumberLit(number) => (number.range, format!("the number `{}`", number.value)),
        Value::BooleanLit(boolean) => (boolean.range, "a boolean".to_owned()),
        Value::Object(object) => (object.range, "an object".to_owned()),
        Value::Array(array) => (array.range, "an array".to_owned()),
        Value::NullKeyword(null) => (null.range, "`null`".to_owned()),
    };
    Err(FileError::NotAString {
        path: path.to_owned(),
        line: line_of(text, range.start),
        location: format!("`{label}`"),
        found,
    })
}

fn optional_string(
    path: &Path,
    text: &str,
    root: &Value<'_>,
    segments: &[&str],
    label: &str,
) -> Result<Option<Location>, FileError> {
    lookup(path, text, root, segments, label)?
        .map(|value| string_location(path, text, value, label))
        .transpose()
}

/// `package.json`: the top-level `version`.
pub(super) fn locate_package(
    path: &Path,
    text: &str,
    root: &Value<'_>,
) -> Result<Vec<Location>, FileError> {
    Ok(optional_string(path, text, root, &["version"], "version")?
        .into_iter()
        .collect())
}

/// `package-lock.json`: the root `version` (all lockfile versions) and `packages[""].version`
/// (lockfile versions 2 and 3), as `npm version` writes them.
pub(super) fn locate_lock(
    path: &Path,
    text: &str,
    root: &Value<'_>,
) -> Result<Vec<Location>, FileError> {
    let mut found = Vec::new();
    found.extend(optional_string(path, text, root, &["version"], "version")?);
    found.extend(optional_string(
        path,
        text,
        root,
        &["packages", "", "version"],
        "packages[\"\"].version",
    )?);
    Ok(found)
}

/// A key file: exactly the dotted key asked for.
pub(super) fn locate_key(
    path: &Path,
    text: &str,
    root: &Value<'_>,
    segments: &[String],
    key: &str,
) -> Result<Vec<Location>, FileError> {
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    match lookup(path, text, root, &segments, key)? {
        Some(value) => Ok(vec![string_location(path, text, value, key)?]),
        None => Err(FileError::KeyMissing {
            path: path.to_owned(),
            key: key.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_bytes_even_after_non_ascii_text() {
        let text = "{\"description\": \"déjà vu ✓\", \"version\": \"1.0.0\"}";
        let root = parse(Path::new("package.json"), text).unwrap();
        let found = locate_package(Path::new("package.json"), text, &root).unwrap();
        assert_eq!(&text[found[0].span.clone()], "1.0.0");
    }

    #[test]
    fn duplicate_version_is_refused() {
        let text = "{\"version\": \"1.0.0\",\n\"version\": \"1.0.1\"}";
        let root = parse(Path::new("package.json"), text).unwrap();
        let error = locate_package(Path::new("package.json"), text, &root).unwrap_err();
        assert!(matches!(error, FileError::Ambiguous { ref lines, .. } if *lines == [1, 2]));
    }

    #[test]
    fn number_is_not_a_version_string() {
        let text = "{\n  \"version\": 1\n}";
        let root = parse(Path::new("package.json"), text).unwrap();
        let error = locate_package(Path::new("package.json"), text, &root).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`package.json`:2: `version` holds the number `1`, not a version string"
        );
    }

    #[test]
    fn parse_error_has_line_and_column() {
        let error = parse(Path::new("package.json"), "{\n  \"version\": \"1.0\",,\n}").unwrap_err();
        let FileError::Parse { line, .. } = error else {
            panic!("{error}")
        };
        assert_eq!(line, 2);
    }
}
