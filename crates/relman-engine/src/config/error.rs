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
        let start = span.start.min(source.len());
        let line_start = source[..start].rfind('\n').map_or(0, |index| index + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |index| start + index);
        let line_text = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_owned();
        let line = source[..start].matches('\n').count() + 1;
        let column = source[line_start..start].chars().count() + 1;
        let end = span.end.clamp(start, line_end);
        let width = source[start..end].chars().count().max(1);
        Location {
            line,
            column,
            line_text,
            width,
        }
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
        ConfigError {
            path: path.to_owned(),
            location: Some(Location::of_span(source, span)),
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
    fn columns_count_characters_not_bytes() {
        let source = "a = \"é\" x";
        let start = source.find('x').unwrap();
        assert_eq!(Location::of_span(source, start..start + 1).column, 9);
    }
}
