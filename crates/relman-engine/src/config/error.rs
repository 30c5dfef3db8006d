//! Configuration errors that point at the offending text: file, line, column, the line itself and
//! the width of the bad part, plus a hint. The binary renders them; the engine only locates them.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A position in the config file, 1-based, with the text of that line for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The whole line the problem is on, without its line ending.
    pub line_text: String,
    /// How many characters of the line to underline (at least 1).
    pub width: usize,
}

impl Location {
    /// The location of a byte span within `source`.
    pub fn of_span(source: &str, span: Range<usize>) -> Location {
        Location::of_span_indexed(source, &LineIndex::new(source), span)
    }

    /// The location of a byte span within `source`, whose lines `index` knows: finding it costs
    /// the length of its line, not of the file, so locating every step of a long file stays
    /// linear.
    pub fn of_span_indexed(source: &str, index: &LineIndex, span: Range<usize>) -> Location {
        let mut start = span.start.min(source.len());
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        let line = index.line_of(start);
        let line_start = index.starts[line - 1];
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |offset| start + offset);
        let line_text = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_owned();
        let column = source[line_start..start].chars().count() + 1;
        let mut end = span.end.clamp(start, line_end);
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let width = source[start..end].chars().count().max(1);
        Location {
            line,
            column,
            line_text,
            width,
        }
    }
}

/// Where each line of a text starts, to turn byte offsets into lines by binary search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(index, _)| index + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset)
    }
}

/// One problem in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
}

impl ConfigError {
    pub fn new(path: &Path, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.to_owned(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn at(path: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        ConfigError::located(path, Location::of_span(source, span), message)
    }

    pub fn located(path: &Path, location: Location, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.to_owned(),
            location: Some(location),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `relman.toml:12:9`, or just the path when the problem has no position.
    pub fn position(&self) -> String {
        match &self.location {
            Some(location) => {
                format!(
                    "{}:{}:{}",
                    self.path.display(),
                    location.line,
                    location.column
                )
            }
            None => self.path.display().to_string(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position(), self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Every problem found in one config file. Validation does not stop at the first one, so a user
/// fixes them in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl From<ConfigError> for ConfigErrors {
    fn from(error: ConfigError) -> Self {
        ConfigErrors(vec![error])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_a_span_by_line_and_column() {
        let source = "[project]\nname = \"x\"\r\nmesage = 1\n";
        let start = source.find("mesage").unwrap();
        let location = Location::of_span(source, start..start + 6);
        assert_eq!(location.line, 3);
        assert_eq!(location.column, 1);
        assert_eq!(location.line_text, "mesage = 1");
        assert_eq!(location.width, 6);
    }

    #[test]
    fn the_line_index_agrees_with_counting() {
        let source = "a\n\nbc\r\nd é\nlast";
        let index = LineIndex::new(source);
        for offset in 0..=source.len() {
            if !source.is_char_boundary(offset) {
                continue;
            }
            assert_eq!(
                index.line_of(offset),
                source[..offset].matches('\n').count() + 1,
                "offset {offset}"
            );
        }
        // A span inside a character is moved to its start rather than panic.
        let inside = source.find('é').unwrap() + 1;
        assert_eq!(Location::of_span(source, inside..inside + 1).column, 3);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = "a = \"é\" x";
        let start = source.find('x').unwrap();
        assert_eq!(Location::of_span(source, start..start + 1).column, 9);
    }
}
