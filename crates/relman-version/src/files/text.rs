//! Text helpers shared by the format readers: where a version sits (a byte span), line numbers,
//! what text counts as a version, and splicing a new version into the original bytes.
//!
//! Every format reader only *locates* the bytes of the version; the edit is always a splice of
//! those bytes, so nothing else in a file can change.

use std::ops::Range;
use std::path::Path;

use super::FileError;

/// The UTF-8 byte order mark, kept as it was and never shown to the parsers.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One place in a file's text that holds the version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Location {
    /// Byte range of the version itself (inside any quotes) in the text without its BOM.
    pub span: Range<usize>,
    /// What holds it, for messages: `package.version`, `__version__`, the pattern.
    pub label: String,
    /// For a version kept in parts (`gem_version.rb`), the part this place holds; `None` when it
    /// holds the whole version.
    pub part: Option<super::gem_constants::Part>,
}

impl Location {
    pub fn new(span: Range<usize>, label: impl Into<String>) -> Self {
        Self {
            span,
            label: label.into(),
            part: None,
        }
    }

    /// A place that holds one part of the version.
    pub fn part(
        span: Range<usize>,
        label: impl Into<String>,
        part: super::gem_constants::Part,
    ) -> Self {
        Self {
            part: Some(part),
            ..Self::new(span, label)
        }
    }
}

/// Splits a file's bytes into the BOM length and the text after it.
pub(super) fn decode<'b>(path: &Path, bytes: &'b [u8]) -> Result<(usize, &'b str), FileError> {
    let bom = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let text = std::str::from_utf8(&bytes[bom..]).map_err(|_| FileError::NotUtf8 {
        path: path.to_owned(),
    })?;
    Ok((bom, text))
}

/// The 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() + 1
}

/// The 1-based line and column (in characters) of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |index| index + 1);
    (
        line_of(text, offset),
        text[line_start..offset].chars().count() + 1,
    )
}

/// Characters a version may hold: enough for SemVer, PEP 440 (epochs, local versions), CalVer
/// and Debian-style tildes, and none that would need quoting or escaping in any format we edit.
pub(super) fn is_version_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_' | '!' | '~')
}

/// Whether found text reads as a version: one token of version characters holding a digit.
/// `latest`, `${revision}`, `^1.2` and `get_version()` do not.
pub(super) fn looks_like_version(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(is_version_char)
        && text.bytes().any(|byte| byte.is_ascii_digit())
}

/// Refuses a new version that could not be spliced verbatim into every format.
pub(super) fn check_new_version(value: &str) -> Result<(), FileError> {
    let reason = if value.trim().is_empty() {
        "it is empty"
    } else if !value.chars().all(is_version_char) {
        "only letters, digits and `.-+_!~` can be written without quoting"
    } else if !value.bytes().any(|byte| byte.is_ascii_digit()) {
        "it holds no digit"
    } else {
        return Ok(());
    };
    Err(FileError::InvalidNewVersion {
        value: value.to_owned(),
        reason,
    })
}

/// Replaces each span (sorted, not overlapping, offsets into `bytes`) with `replacement`.
pub(super) fn splice(bytes: &[u8], spans: &[Range<usize>], replacement: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + spans.len() * replacement.len());
    let mut copied = 0;
    for span in spans {
        out.extend_from_slice(&bytes[copied..span.start]);
        out.extend_from_slice(replacement.as_bytes());
        copied = span.end;
    }
    out.extend_from_slice(&bytes[copied..]);
    out
}

/// Replaces each span with its own text; spans are sorted and do not overlap.
pub(super) fn splice_each(bytes: &[u8], edits: &[(Range<usize>, String)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut copied = 0;
    for (span, replacement) in edits {
        out.extend_from_slice(&bytes[copied..span.start]);
        out.extend_from_slice(replacement.as_bytes());
        copied = span.end;
    }
    out.extend_from_slice(&bytes[copied..]);
    out
}

/// Iterates the lines of a text with the byte offset where each starts; the line excludes its
/// `\n` and any `\r` before it, so CRLF files read like LF files.
pub(super) fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        (start, line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_text() {
        for good in [
            "1.2.3",
            "v1.2.3",
            "1!2.0.post1+local.7",
            "2024.01.1",
            "1.0.0-rc.1",
        ] {
            assert!(looks_like_version(good), "{good}");
        }
        for bad in [
            "",
            "latest",
            "${revision}",
            "^1.2",
            "1.2 3",
            "\"1.2\"",
            "1.2\\n",
        ] {
            assert!(!looks_like_version(bad), "{bad}");
        }
    }

    #[test]
    fn new_version_must_be_writable_verbatim() {
        assert!(check_new_version("1.2.4").is_ok());
        for bad in ["", " ", "1.2\"", "1.2 3", "1.2<", "dev"] {
            assert!(check_new_version(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_and_columns() {
        let text = "a\r\nbé c\nd";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 3), 2);
        assert_eq!(line_column(text, 7), (2, 4));
        let lines: Vec<_> = lines_with_offsets(text).collect();
        assert_eq!(lines, [(0, "a"), (3, "bé c"), (9, "d")]);
    }

    #[test]
    fn splice_replaces_only_spans() {
        let out = splice(b"x=1.0;y=1.0\n", &[2..5, 8..11], "1.10");
        assert_eq!(out, b"x=1.10;y=1.10\n");
    }

    #[test]
    fn bom_is_kept_out_of_text() {
        let (bom, text) = decode(Path::new("f"), b"\xEF\xBB\xBF1.0\n").unwrap();
        assert_eq!((bom, text), (3, "1.0\n"));
        assert!(decode(Path::new("f"), b"\xFF").is_err());
    }
}
