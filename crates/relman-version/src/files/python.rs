//! Python source files that hold a version literal: `setup.py` (a `version="..."` keyword or a
//! `VERSION`/`__version__` assignment) and modules (`__version__ = "..."`). Python is not
//! parsed; a regular expression finds string literals in single or double quotes, and exactly
//! one match is required so a wrong guess is never edited.

use std::path::Path;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::FileError;
use super::text::{Location, line_of};

/// A module-level `__version__` assignment, annotated (`__version__: str = ...`) or chained
/// (`__version__ = version = ...`, as setuptools-scm writes), with an optional `u`/`r` prefix,
/// of a string literal alone: `'.'.join(parts)` builds the version in code, and is no place to
/// write one.
static MODULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^(?P<name>__version__)[ \t]*(?::[^=\r\n]*)?=[ \t]*(?:[A-Za-z_]\w*[ \t]*=[ \t]*)*[uUrR]?(?:"(?P<double>[^"\\\r\n]*)"|'(?P<single>[^'\\\r\n]*)')[ \t]*;?[ \t]*(?:#[^\r\n]*)?\r?$"#,
    )
    .expect("the module version expression is valid")
});

/// `setup.py`: a module-level `VERSION`/`__version__` assignment, or a `version=` keyword (or
/// assignment to `version`) anywhere.
static SETUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)(?:^(?P<name>VERSION|__version__)[ \t]*(?::[^=\r\n]*)?|\b(?P<keyword>version)[ \t]*)=[ \t]*[uUrR]?(?:"(?P<double>[^"\\\r\n]*)"|'(?P<single>[^'\\\r\n]*)')"#,
    )
    .expect("the setup.py version expression is valid")
});

/// Any module-level assignment of a string literal to `name`, for `attr:` directives that name
/// another attribute than `__version__`.
pub(super) fn assignment_pattern(text: &str, name: &str) -> Option<String> {
    let expression = format!(
        r#"(?m)^{}[ \t]*=[ \t]*(?:"[^"\\\r\n]*"|'[^'\\\r\n]*')"#,
        regex::escape(name)
    );
    let regex = Regex::new(&expression).ok()?;
    let mut matches = regex.find_iter(text);
    let found = matches.next()?;
    if matches.next().is_some() {
        return None;
    }
    let line = found.as_str();
    let quote = line.chars().last()?;
    let open = line[..line.len() - 1].rfind(quote)?;
    Some(format!("{}{{version}}{}", &line[..=open], quote))
}

pub(super) fn locate_module(path: &Path, text: &str) -> Result<Vec<Location>, FileError> {
    locate(path, text, &MODULE, "`__version__` assignment")
}

pub(super) fn locate_setup_py(path: &Path, text: &str) -> Result<Vec<Location>, FileError> {
    locate(
        path,
        text,
        &SETUP,
        "a `version=` keyword or `VERSION`/`__version__` assignment",
    )
}

pub(super) fn locate(
    path: &Path,
    text: &str,
    regex: &Regex,
    looked_for: &str,
) -> Result<Vec<Location>, FileError> {
    let found: Vec<Location> = regex
        .captures_iter(text)
        .filter(|captures| !is_commented(text, captures))
        .map(|captures| {
            let value = captures
                .name("double")
                .or_else(|| captures.name("single"))
                .expect("one of the two quote groups matched");
            let label = match (captures.name("name"), captures.name("keyword")) {
                (Some(name), _) => name.as_str().to_owned(),
                _ => "version=".to_owned(),
            };
            Location::new(value.range(), label)
        })
        .collect();
    if found.len() > 1 {
        return Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: looked_for.to_owned(),
            lines: found
                .iter()
                .map(|location| line_of(text, location.span.start))
                .collect(),
        });
    }
    Ok(found)
}

/// Whether a match sits after a `#` on its line (a commented-out version; Ruby comments the
/// same way).
fn is_commented(text: &str, captures: &Captures<'_>) -> bool {
    let start = captures.get(0).map_or(0, |whole| whole.start());
    let line_start = text[..start].rfind('\n').map_or(0, |index| index + 1);
    text[line_start..start].contains('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(text: &str) -> Result<Vec<&str>, FileError> {
        let found = locate_module(Path::new("m.py"), text)?;
        Ok(found.into_iter().map(|l| &text[l.span]).collect())
    }

    fn setup(text: &str) -> Result<Vec<&str>, FileError> {
        let found = locate_setup_py(Path::new("setup.py"), text)?;
        Ok(found.into_iter().map(|l| &text[l.span]).collect())
    }

    #[test]
    fn module_assignments() {
        assert_eq!(module("__version__ = '1.0'\n").unwrap(), ["1.0"]);
        assert_eq!(
            module("__version__: str = \"1.0\"  # c\r\n").unwrap(),
            ["1.0"]
        );
        assert_eq!(module("__version__ = version = '1.0'\n").unwrap(), ["1.0"]);
        assert_eq!(
            module("# __version__ = '0.9'\n__version__ = '1.0'\n").unwrap(),
            ["1.0"]
        );
        assert!(module("__version__ = get_version()\n").unwrap().is_empty());
        assert!(
            module("__version__ = '.'.join(map(str, _ver))\n")
                .unwrap()
                .is_empty()
        );
        assert!(module("__version__ = '1.0' + _extra\n").unwrap().is_empty());
        assert_eq!(module("__version__ = '1.0';  # c\r\n").unwrap(), ["1.0"]);
        assert!(module("    __version__ = '1.0'\n").unwrap().is_empty());
        assert!(module("__version__ == '1.0'\n").unwrap().is_empty());
        let error = module("__version__ = '1.0'\n__version__ = '1.1'\n").unwrap_err();
        assert!(matches!(error, FileError::Ambiguous { ref lines, .. } if *lines == [1, 2]));
    }

    #[test]
    fn setup_py_forms() {
        assert_eq!(setup("setup(\n    version='1.0',\n)\n").unwrap(), ["1.0"]);
        assert_eq!(setup("setup(version = \"1.0\")\n").unwrap(), ["1.0"]);
        assert_eq!(
            setup("VERSION = '1.0'\nsetup(version=VERSION)\n").unwrap(),
            ["1.0"]
        );
        assert_eq!(
            setup("__version__ = '1.0'\nsetup(python_version='3')\n").unwrap(),
            ["1.0"]
        );
        assert!(setup("setup(version=get_version())\n").unwrap().is_empty());
        assert!(
            setup("setup(\n    # version='0.9',\n)\n")
                .unwrap()
                .is_empty()
        );
        let error = setup("VERSION = '1.0'\nsetup(version='1.0')\n").unwrap_err();
        assert!(matches!(error, FileError::Ambiguous { ref lines, .. } if *lines == [1, 2]));
    }

    #[test]
    fn pattern_from_assignment() {
        let text = "X = 1\nRELEASE = '2.0'\n";
        assert_eq!(
            assignment_pattern(text, "RELEASE").unwrap(),
            "RELEASE = '{version}'"
        );
        assert_eq!(assignment_pattern(text, "OTHER"), None);
    }
}
