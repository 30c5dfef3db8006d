//! `setup.cfg`: the `version` option of the `[metadata]` section, read the way setuptools'
//! `configparser` reads it (`=` or `:`, option names case-insensitive, whole-line comments only).
//! `attr:` and `file:` values point elsewhere and are reported as such.

use std::path::Path;

use super::FileError;
use super::text::{Location, line_of, lines_with_offsets};

/// Where a `setup.cfg` version points when it is not a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Directive {
    /// `attr: package.module.NAME`
    Attr(String),
    /// `file: VERSION`
    File(String),
}

/// The `[metadata] version` value: its location, or the directive it holds.
pub(super) fn metadata_version(
    path: &Path,
    text: &str,
) -> Result<Option<Result<Location, Directive>>, FileError> {
    let mut section = String::new();
    let mut found = Vec::new();
    for (offset, line) in lines_with_offsets(text) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A continuation of the previous option's value.
            continue;
        }
        if let Some(name) = trimmed
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            name.trim().clone_into(&mut section);
            continue;
        }
        if section != "metadata" {
            continue;
        }
        let Some(separator) = line.find(['=', ':']) else {
            continue;
        };
        if !line[..separator].trim().eq_ignore_ascii_case("version") {
            continue;
        }
        let value = &line[separator + 1..];
        let start = separator + 1 + (value.len() - value.trim_start().len());
        let value = value.trim();
        found.push((offset + start, value));
    }
    if found.len() > 1 {
        return Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: "`version` in `[metadata]`".to_owned(),
            lines: found.iter().map(|(at, _)| line_of(text, *at)).collect(),
        });
    }
    let Some((at, value)) = found.pop() else {
        return Ok(None);
    };
    if let Some(target) = value.strip_prefix("attr:") {
        return Ok(Some(Err(Directive::Attr(target.trim().to_owned()))));
    }
    if let Some(target) = value.strip_prefix("file:") {
        // setuptools joins several files; the first one is where a literal version lives.
        let first = target.split(',').next().unwrap_or_default().trim();
        return Ok(Some(Err(Directive::File(first.to_owned()))));
    }
    Ok(Some(Ok(Location::new(at..at + value.len(), "version"))))
}

pub(super) fn locate_setup_cfg(path: &Path, text: &str) -> Result<Vec<Location>, FileError> {
    match metadata_version(path, text)? {
        None => Ok(Vec::new()),
        Some(Ok(location)) => Ok(vec![location]),
        Some(Err(directive)) => {
            let (reason, elsewhere) = match directive {
                Directive::Attr(target) => (
                    format!("`version = attr: {target}` reads it from Python code"),
                    format!("the module that defines `{target}`"),
                ),
                Directive::File(target) => (
                    format!("`version = file: {target}` reads it from another file"),
                    format!("`{target}`"),
                ),
            };
            Err(FileError::VersionElsewhere {
                path: path.to_owned(),
                reason,
                elsewhere: Some(elsewhere),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(text: &str) -> Result<Vec<&str>, FileError> {
        let found = locate_setup_cfg(Path::new("setup.cfg"), text)?;
        Ok(found.into_iter().map(|l| &text[l.span]).collect())
    }

    #[test]
    fn metadata_section_only() {
        let text = "[options]\nversion = 9\n[metadata]\nname = x\nVersion : 1.2.3  \n";
        assert_eq!(version(text).unwrap(), ["1.2.3"]);
        assert!(version("[metadata]\nname = x\n").unwrap().is_empty());
        assert!(version("[metadata]\n# version = 1.0\n").unwrap().is_empty());
    }

    #[test]
    fn directives_point_elsewhere() {
        let error = version("[metadata]\nversion = attr: pkg.__version__\n").unwrap_err();
        assert!(
            error.to_string().contains("attr: pkg.__version__"),
            "{error}"
        );
        let error = version("[metadata]\nversion = file: VERSION.txt\n").unwrap_err();
        assert_eq!(
            error.hint().unwrap(),
            "list `VERSION.txt` in `version-files` in relman.toml instead"
        );
    }
}
