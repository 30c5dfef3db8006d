//! The errors of reading, checking and rewriting version files. Every message names the file and
//! what was looked for or found there; `hint` says what the user can do about it.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use super::FoundVersion;

/// What can go wrong with a version file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    #[error("version file `{}` does not exist", path.display())]
    Missing { path: PathBuf },

    #[error("cannot read `{}`: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },

    #[error("`{}` is not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },

    #[error("cannot parse `{}` as {format} at {line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        format: &'static str,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("relman does not know where `{}` holds its version", path.display())]
    UnknownFormat { path: PathBuf },

    #[error(
        "`{}` cannot be edited by key: key files must be TOML, JSON, YAML or Java properties",
        path.display()
    )]
    KeyFormat { path: PathBuf },

    #[error("the key `{key}` for `{}` is not a valid dotted key", path.display())]
    BadKey { path: PathBuf, key: String },

    #[error("`{}` does not contain a version (looked for {looked_for})", path.display())]
    NoVersion { path: PathBuf, looked_for: String },

    #[error("`{}` takes the version from git tags ({tool})", path.display())]
    VersionFromTags { path: PathBuf, tool: String },

    #[error("key `{key}` not found in `{}`", path.display())]
    KeyMissing { path: PathBuf, key: String },

    #[error("`{}`:{line}: {location} holds {found}, not a version string", path.display())]
    NotAString {
        path: PathBuf,
        line: usize,
        location: String,
        found: String,
    },

    #[error("`{}`:{line}: {location} holds `{value}`, which is not a version", path.display())]
    NotAVersion {
        path: PathBuf,
        line: usize,
        location: String,
        value: String,
    },

    #[error("`{}` does not hold the version itself: {reason}", path.display())]
    VersionElsewhere {
        path: PathBuf,
        reason: String,
        /// Where the version is, when the file says so.
        elsewhere: Option<String>,
    },

    #[error("`{}`: {looked_for} found {} times (lines {}), expected exactly once", path.display(), lines.len(), join_lines(lines))]
    Ambiguous {
        path: PathBuf,
        looked_for: String,
        lines: Vec<usize>,
    },

    #[error("`{}`:{line}: {holder} numbers only, not the pre-release `{version}`", path.display())]
    NumbersOnly {
        path: PathBuf,
        line: usize,
        version: String,
        /// What holds the version there, with its verb: "CMake's project(VERSION) takes".
        holder: &'static str,
    },

    #[error("`{}`:{line}: {message}", path.display())]
    Unsupported {
        path: PathBuf,
        line: usize,
        message: String,
    },

    #[error("the pattern `{pattern}` for `{}` must contain `{{version}}` exactly once, not {count} times", path.display())]
    PatternPlaceholder {
        path: PathBuf,
        pattern: String,
        count: usize,
    },

    #[error("the pattern `{pattern}` for `{}` cannot be used: {message}", path.display())]
    BadPattern {
        path: PathBuf,
        pattern: String,
        message: String,
    },

    #[error("the pattern `{pattern}` for `{}` must contain `{{value}}` exactly once, not {count} times", path.display())]
    ValuePlaceholder {
        path: PathBuf,
        pattern: String,
        count: usize,
    },

    #[error("`{value}` cannot be written into `{}`: {reason}", path.display())]
    InvalidValue {
        path: PathBuf,
        value: String,
        reason: &'static str,
    },

    #[error("the pattern `{pattern}` does not match `{}`", path.display())]
    PatternNoMatch { path: PathBuf, pattern: String },

    #[error("the pattern `{pattern}` matches `{}` {} times (lines {}), expected exactly once", path.display(), lines.len(), join_lines(lines))]
    PatternAmbiguous {
        path: PathBuf,
        pattern: String,
        lines: Vec<usize>,
    },

    #[error("version files disagree:{}", list_found(found))]
    Disagree { found: Vec<FoundVersion> },

    #[error("`{value}` cannot be written as a version: {reason}")]
    InvalidNewVersion { value: String, reason: &'static str },

    #[error("`{}` changed since the edit was planned", path.display())]
    Changed { path: PathBuf },

    #[error("cannot write `{}`: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },

    #[error(
        "{source}; these files were already rewritten and could not be restored: {}",
        list_paths(left_changed)
    )]
    Incomplete {
        source: Box<FileError>,
        left_changed: Vec<PathBuf>,
    },
}

impl FileError {
    /// What the user can do about the error, when there is something.
    pub fn hint(&self) -> Option<String> {
        const CONFIGURE: &str =
            "set `version-files` in relman.toml to the file that holds the version";
        match self {
            Self::Missing { .. } => Some(
                "create the file, or remove it from `version-files` in relman.toml".to_owned(),
            ),
            Self::UnknownFormat { path } => Some(format!(
                "describe it in `version-files`: {{ path = \"{0}\", pattern = '...{{version}}...' }} \
                 or {{ path = \"{0}\", key = \"dotted.key\" }}",
                path.display()
            )),
            Self::KeyFormat { path } => Some(format!(
                "use a pattern instead: {{ path = \"{}\", pattern = '...{{version}}...' }}",
                path.display()
            )),
            Self::NoVersion { .. } | Self::NotAString { .. } => Some(CONFIGURE.to_owned()),
            Self::KeyMissing { .. } => {
                Some("check the key's spelling and nesting (keys are dotted: `a.b.c`)".to_owned())
            }
            Self::NotAVersion { path, value, .. } if value.starts_with("${") => Some(format!(
                "the version is a property: point a pattern at its definition, \
                 e.g. {{ path = \"{}\", pattern = \"<revision>{{version}}</revision>\" }}",
                path.display()
            )),
            Self::NotAVersion { .. } => Some(CONFIGURE.to_owned()),
            Self::VersionElsewhere {
                elsewhere: Some(elsewhere),
                ..
            } => Some(format!(
                "list {elsewhere} in `version-files` in relman.toml instead"
            )),
            Self::VersionElsewhere { .. } => Some(CONFIGURE.to_owned()),
            Self::VersionFromTags { .. } => Some(
                "set `version-files = []` in relman.toml: relman then reads the version from the \
                 newest release tag"
                    .to_owned(),
            ),
            Self::Ambiguous { .. } => Some(
                "keep one literal version in the file, or name the exact place with a pattern \
                 in `version-files` in relman.toml"
                    .to_owned(),
            ),
            Self::PatternPlaceholder { .. } => {
                Some("write `{version}` once where the version stands".to_owned())
            }
            Self::ValuePlaceholder { .. } => {
                Some("write `{value}` once where the value stands".to_owned())
            }
            Self::InvalidValue { .. } => Some(
                "write a value that needs no quoting there, or edit the file with a `run` step"
                    .to_owned(),
            ),
            Self::PatternNoMatch { .. } => Some(
                "the pattern is matched literally, spaces and quotes included: copy it from the file"
                    .to_owned(),
            ),
            Self::PatternAmbiguous { .. } => {
                Some("make the pattern longer so it matches only one place".to_owned())
            }
            Self::Disagree { .. } => Some(
                "make every file hold the same version, or remove the stale one from \
                 `version-files` in relman.toml"
                    .to_owned(),
            ),
            Self::Changed { .. } => Some("plan the release again".to_owned()),
            Self::Incomplete { .. } => {
                Some("restore those files from git (`git checkout -- FILE`)".to_owned())
            }
            Self::NumbersOnly { path, .. } => Some(format!(
                "release a numeric version, or keep `{}` out of `version-files` in relman.toml \
                 and the pre-release in a file that accepts one",
                path.display()
            )),
            Self::Unsupported { .. } => Some(
                "write the version as a plain one-line value, or point a pattern at it".to_owned(),
            ),
            Self::Read { .. }
            | Self::NotUtf8 { .. }
            | Self::Parse { .. }
            | Self::BadKey { .. }
            | Self::BadPattern { .. }
            | Self::InvalidNewVersion { .. }
            | Self::Write { .. } => None,
        }
    }
}

fn join_lines(lines: &[usize]) -> String {
    let mut out = String::new();
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{line}");
    }
    out
}

fn list_found(found: &[FoundVersion]) -> String {
    let mut out = String::new();
    for item in found {
        let _ = write!(out, "\n  {item}");
    }
    out
}

fn list_paths(paths: &[PathBuf]) -> String {
    let mut out = String::new();
    for (index, path) in paths.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "`{}`", path.display());
    }
    out
}
