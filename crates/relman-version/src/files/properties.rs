//! Java properties files (`gradle.properties`): one property, `version` unless a key file names
//! another. Keys end at an unescaped `=`, `:` or whitespace, as `java.util.Properties` reads
//! them; `#` and `!` start comment lines. A value continued with a trailing backslash is
//! refused rather than edited.

use std::path::Path;

use super::FileError;
use super::text::{Location, line_of, lines_with_offsets};

/// The value of property `name`: `Ok(None)` when it is not defined.
pub(super) fn locate(path: &Path, text: &str, name: &str) -> Result<Option<Location>, FileError> {
    let mut found: Vec<(usize, Location)> = Vec::new();
    let mut continued = false;
    for (offset, line) in lines_with_offsets(text) {
        let was_continued = continued;
        continued = ends_with_continuation(line);
        if was_continued {
            continue;
        }
        let body = line.trim_start_matches([' ', '\t', '\u{c}']);
        if body.is_empty() || body.starts_with(['#', '!']) {
            continue;
        }
        let key_end = key_end(body);
        if &body[..key_end] != name {
            continue;
        }
        let mut rest = &body[key_end..];
        rest = rest.trim_start_matches([' ', '\t', '\u{c}']);
        if let Some(after) = rest.strip_prefix(['=', ':']) {
            rest = after.trim_start_matches([' ', '\t', '\u{c}']);
        }
        let start = offset + line.len() - rest.len();
        let line_number = line_of(text, offset);
        if continued {
            return Err(FileError::Unsupported {
                path: path.to_owned(),
                line: line_number,
                message: format!("`{name}` continues on the next line"),
            });
        }
        let value = rest.trim_end();
        found.push((line_number, Location::new(start..start + value.len(), name)));
    }
    if found.len() > 1 {
        return Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: format!("`{name}`"),
            lines: found.iter().map(|(line, _)| *line).collect(),
        });
    }
    Ok(found.pop().map(|(_, location)| location))
}

/// The project's version in a `gradle.properties`: `version` (which Gradle sets on the project
/// itself), else `VERSION_NAME`, which the maven-publish plugin Square's and most Android
/// libraries use reads (retrofit, okio, timber: `VERSION_NAME=2.12.0-SNAPSHOT`).
pub(super) fn locate_version(path: &Path, text: &str) -> Result<Option<Location>, FileError> {
    match locate(path, text, "version")? {
        Some(found) => Ok(Some(found)),
        None => locate(path, text, "VERSION_NAME"),
    }
}

/// Where a property key ends: the first unescaped `=`, `:` or whitespace.
fn key_end(body: &str) -> usize {
    let bytes = body.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'=' | b':' | b' ' | b'\t' | b'\x0c' => return index,
            _ => index += 1,
        }
    }
    bytes.len()
}

/// Whether a line ends with an odd number of backslashes, which joins it to the next.
fn ends_with_continuation(line: &str) -> bool {
    let trailing = line.len() - line.trim_end_matches('\\').len();
    trailing % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'t>(text: &'t str, name: &str) -> Result<Option<&'t str>, FileError> {
        let found = locate(Path::new("gradle.properties"), text, name)?;
        Ok(found.map(|location| &text[location.span]))
    }

    #[test]
    fn separators() {
        assert_eq!(value("version=1.0\n", "version").unwrap(), Some("1.0"));
        assert_eq!(
            value("  version : 1.0  \n", "version").unwrap(),
            Some("1.0")
        );
        assert_eq!(value("version 1.0", "version").unwrap(), Some("1.0"));
        assert_eq!(
            value("versionName=2\nversion=1.0\n", "version").unwrap(),
            Some("1.0")
        );
        assert_eq!(
            value("# version=0.9\n! version=0.8\n", "version").unwrap(),
            None
        );
    }

    #[test]
    fn continuations() {
        assert_eq!(
            value("x=a\\\nversion=9\nversion=1.0\n", "version").unwrap(),
            Some("1.0")
        );
        let error = value("version=1.\\\n0\n", "version").unwrap_err();
        assert!(
            matches!(error, FileError::Unsupported { line: 1, .. }),
            "{error}"
        );
    }

    #[test]
    fn square_s_version_name_when_there_is_no_version() {
        let version = |text: &str| {
            locate_version(Path::new("gradle.properties"), text)
                .unwrap()
                .map(|location| text[location.span].to_owned())
        };
        let square = "GROUP=com.squareup.okio\nVERSION_NAME=3.18.0-SNAPSHOT\n";
        assert_eq!(version(square).as_deref(), Some("3.18.0-SNAPSHOT"));
        let both = "version=1.2.0\nVERSION_NAME=9.9.9\n";
        assert_eq!(version(both).as_deref(), Some("1.2.0"));
        assert_eq!(version("org.gradle.jvmargs=-Xmx1g\n"), None);
    }

    #[test]
    fn defined_twice() {
        let error = value("version=1.0\nversion=1.1\n", "version").unwrap_err();
        assert!(matches!(error, FileError::Ambiguous { ref lines, .. } if *lines == [1, 2]));
    }
}
