//! Setting one value in any file, byte-exact: the text a pattern's `{value}` stands for, or the
//! string a dotted key holds (TOML, JSON, YAML, properties). The `edit` step kind uses it for
//! what is not the project's version (an image tag, a URL, a checksum, a pinned dependency).
//!
//! Only the bytes of the old value change, as for version files; the file must hold the place
//! exactly once, and the new value must be writable there without quoting or escaping (a value
//! that would need it is refused rather than written into a broken file).

use std::path::Path;

use regex::Regex;

use super::text::{decode, line_of, splice};
use super::{FileEdit, FileError, KeyFormat, Parsed, VersionFileKind, VersionFileSpec, load};

/// Where the value is in the file.
#[derive(Debug, Clone, PartialEq)]
pub enum ValuePlace {
    /// Text in which `{value}` stands for the value, matched literally otherwise.
    Pattern(String),
    /// A dotted key of a TOML, JSON, YAML or properties file whose value is a string.
    Key(String),
}

/// The placeholder of a value pattern.
pub const VALUE_PLACEHOLDER: &str = "{value}";

/// The value found at `place` in `root/path`, and the edit that writes `value` there (`None`
/// when the file already holds it). Nothing is written.
pub fn plan_value(
    root: &Path,
    path: &Path,
    place: &ValuePlace,
    value: &str,
) -> Result<(String, Option<FileEdit>), FileError> {
    check_value(path, place, value)?;
    let file = load(path, root.join(path))?;
    let (bom, text) = decode(path, &file.bytes)?;
    let span = match place {
        ValuePlace::Pattern(pattern) => locate_pattern(path, text, pattern)?,
        ValuePlace::Key(key) => {
            let spec = VersionFileSpec::key(path, key)?;
            let mut parsed = Parsed::new(path, bom, text);
            let mut found = parsed.locate(&spec)?;
            if found.len() != 1 {
                return Err(FileError::KeyMissing {
                    path: path.to_owned(),
                    key: key.clone(),
                });
            }
            found.remove(0).span
        }
    };
    let old = text[span.clone()].to_owned();
    let span = span.start + bom..span.end + bom;
    if old == value {
        return Ok((old, None));
    }
    let after = splice(&file.bytes, &[span], value);
    Ok((
        old,
        Some(FileEdit {
            path: file.full.clone(),
            display_path: path.to_owned(),
            before: file.bytes,
            after,
        }),
    ))
}

/// Refuses a value that the place cannot hold verbatim.
fn check_value(path: &Path, place: &ValuePlace, value: &str) -> Result<(), FileError> {
    let invalid = |reason: &'static str| FileError::InvalidValue {
        path: path.to_owned(),
        value: value.to_owned(),
        reason,
    };
    if value.chars().any(|c| c == '\n' || c == '\r') {
        return Err(invalid("a value is one line"));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid("it holds a control character"));
    }
    if let ValuePlace::Key(key) = place {
        if value.chars().any(|c| matches!(c, '"' | '\'' | '\\')) {
            return Err(invalid(
                "a key's string value cannot take quotes or backslashes without escaping",
            ));
        }
        let spec = VersionFileSpec::key(path, key)?;
        let yaml = matches!(
            spec.kind(),
            VersionFileKind::Key(key) if matches!(key.format(), KeyFormat::Yaml | KeyFormat::Properties)
        );
        if yaml && (value.contains(": ") || value.contains(" #") || value.starts_with(' ')) {
            return Err(invalid(
                "`: `, ` #` or a leading space would change the meaning of the line",
            ));
        }
    }
    Ok(())
}

/// The span of the one place `pattern`'s `{value}` stands for.
fn locate_pattern(
    path: &Path,
    text: &str,
    pattern: &str,
) -> Result<std::ops::Range<usize>, FileError> {
    let regex = value_regex(path, pattern)?;
    let spans: Vec<_> = regex
        .captures_iter(text)
        .filter_map(|captures| captures.get(1))
        .map(|found| found.range())
        .collect();
    match spans.as_slice() {
        [] => Err(FileError::PatternNoMatch {
            path: path.to_owned(),
            pattern: pattern.to_owned(),
        }),
        [span] => Ok(span.clone()),
        several => Err(FileError::PatternAmbiguous {
            path: path.to_owned(),
            pattern: pattern.to_owned(),
            lines: several
                .iter()
                .map(|span| line_of(text, span.start))
                .collect(),
        }),
    }
}

/// The pattern as a regular expression: literal text around one capture. With text after
/// `{value}` the value runs to it on the same line; without, it is one token (no space, no
/// quote).
fn value_regex(path: &Path, pattern: &str) -> Result<Regex, FileError> {
    let count = pattern.matches(VALUE_PLACEHOLDER).count();
    let Some((prefix, suffix)) = pattern.split_once(VALUE_PLACEHOLDER).filter(|_| count == 1)
    else {
        return Err(FileError::ValuePlaceholder {
            path: path.to_owned(),
            pattern: pattern.to_owned(),
            count,
        });
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut expression = String::new();
    if prefix.starts_with(is_word) {
        expression.push_str(r"\b");
    }
    expression.push_str(&regex::escape(prefix));
    if suffix.is_empty() {
        expression.push_str(r#"([^\s"'`<>]*)"#);
    } else {
        expression.push_str(r"([^\r\n]*?)");
        expression.push_str(&regex::escape(suffix));
        if suffix.ends_with(is_word) {
            expression.push_str(r"\b");
        }
    }
    Regex::new(&expression).map_err(|error| FileError::BadPattern {
        path: path.to_owned(),
        pattern: pattern.to_owned(),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(name: &str, text: &str, place: ValuePlace, value: &str) -> Result<String, FileError> {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join(name), text).unwrap();
        let (_, edit) = plan_value(dir.path(), Path::new(name), &place, value)?;
        Ok(edit.map_or_else(
            || text.to_owned(),
            |edit| String::from_utf8(edit.after).unwrap(),
        ))
    }

    #[test]
    fn a_pattern_sets_only_its_value() {
        let text = "image: app:v1.0 # pinned\nother: v1.0\n";
        assert_eq!(
            edit(
                "a.yaml",
                text,
                ValuePlace::Pattern("image: app:v{value}".into()),
                "2.0"
            )
            .unwrap(),
            "image: app:v2.0 # pinned\nother: v1.0\n"
        );
        let url = "url \"https://example.org/a-1.0.tar.gz\"\r\n";
        assert_eq!(
            edit(
                "f.rb",
                url,
                ValuePlace::Pattern("url \"{value}\"".into()),
                "https://example.org/a-2.0.tar.gz"
            )
            .unwrap(),
            "url \"https://example.org/a-2.0.tar.gz\"\r\n"
        );
    }

    #[test]
    fn keys_of_every_format() {
        let toml = "[tool]\npin = \"1.0\" # keep\n";
        assert_eq!(
            edit("a.toml", toml, ValuePlace::Key("tool.pin".into()), "1.1").unwrap(),
            "[tool]\npin = \"1.1\" # keep\n"
        );
        let json = "{\n  \"deps\": {\"x\": \"^1.0\"}\n}";
        assert_eq!(
            edit("a.json", json, ValuePlace::Key("deps.x".into()), "^2.0").unwrap(),
            "{\n  \"deps\": {\"x\": \"^2.0\"}\n}"
        );
        let yaml = "image:\n  tag: \"v1\"\n";
        assert_eq!(
            edit("v.yml", yaml, ValuePlace::Key("image.tag".into()), "v2").unwrap(),
            "image:\n  tag: \"v2\"\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_write_verbatim() {
        let error = edit(
            "a.toml",
            "a = \"x\"\n",
            ValuePlace::Key("a".into()),
            "say \"hi\"",
        )
        .unwrap_err();
        assert!(error.to_string().contains("cannot be written"), "{error}");
        let error = edit(
            "a.txt",
            "v=1\n",
            ValuePlace::Pattern("v={value}".into()),
            "a\nb",
        )
        .unwrap_err();
        assert!(error.to_string().contains("one line"), "{error}");
        let error = edit(
            "a.txt",
            "v=1\nv=1\n",
            ValuePlace::Pattern("v={value}".into()),
            "2",
        )
        .unwrap_err();
        assert!(
            matches!(error, FileError::PatternAmbiguous { .. }),
            "{error}"
        );
        let error = edit(
            "a.txt",
            "v=1\n",
            ValuePlace::Pattern("v={version}".into()),
            "2",
        )
        .unwrap_err();
        assert!(
            matches!(error, FileError::ValuePlaceholder { .. }),
            "{error}"
        );
    }

    #[test]
    fn the_same_value_is_no_edit() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("a.txt"), "v=2\n").unwrap();
        let (old, edit) = plan_value(
            dir.path(),
            Path::new("a.txt"),
            &ValuePlace::Pattern("v={value}".into()),
            "2",
        )
        .unwrap();
        assert_eq!(old, "2");
        assert!(edit.is_none());
    }
}
