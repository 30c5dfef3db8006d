//! A Ruby gem's `lib/NAME/version.rb`: the `VERSION = "..."` constant (`.freeze` after it
//! or not), which the gemspec reads. Ruby is not parsed; as for Python modules, a regular
//! expression finds the string literal, and exactly one match is required.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::FileError;
use super::text::Location;

/// `VERSION = "1.2.3"` (indented in its module), in single or double quotes.
static CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^[ \t]*(?P<name>VERSION)[ \t]*=[ \t]*(?:"(?P<double>[^"\\\r\n#]*)"|'(?P<single>[^'\\\r\n]*)')"#,
    )
    .expect("the Ruby version expression is valid")
});

pub(super) fn locate(path: &Path, text: &str) -> Result<Vec<Location>, FileError> {
    super::python::locate(path, text, &CONSTANT, "`VERSION = \"...\"` constant")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Result<Vec<&str>, FileError> {
        let found = locate(Path::new("lib/gem/version.rb"), text)?;
        Ok(found.into_iter().map(|l| &text[l.span]).collect())
    }

    #[test]
    fn the_constant_of_the_gem_module() {
        assert_eq!(
            found("module FactoryBot\n  VERSION = \"6.6.0\".freeze\nend\n").unwrap(),
            ["6.6.0"]
        );
        assert_eq!(
            found("# frozen_string_literal: true\n\nmodule Jekyll\n  VERSION = '4.4.1'\nend\n")
                .unwrap(),
            ["4.4.1"]
        );
        // Commented out, or another constant: not the version.
        assert!(
            found("module G\n  # VERSION = \"1.0.0\"\n  MAJOR = 1\nend\n")
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            found("module A\n  VERSION = \"1.0\"\nend\nmodule B\n  VERSION = \"2.0\"\nend\n"),
            Err(FileError::Ambiguous { .. })
        ));
    }
}
