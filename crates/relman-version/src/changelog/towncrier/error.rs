//! Everything that can go wrong reading a towncrier configuration, collecting fragments,
//! rendering a release or writing the news file, each naming the file and value at fault.

use std::fmt;
use std::path::PathBuf;

/// A place in a configuration file, shown as `path:line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigLocation {
    pub path: PathBuf,
    /// 1-based; 0 when the position is unknown.
    pub line: usize,
    pub column: usize,
}

impl ConfigLocation {
    pub(crate) fn at(path: PathBuf, text: &str, offset: Option<usize>) -> Self {
        let Some(offset) = offset else {
            return Self {
                path,
                line: 0,
                column: 0,
            };
        };
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before[line_start..].chars().count() + 1;
        Self { path, line, column }
    }
}

impl fmt::Display for ConfigLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path.display())
        } else {
            write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
        }
    }
}

fn list(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, thiserror::Error)]
pub enum TowncrierError {
    #[error(transparent)]
    Io(#[from] std::io::Error),

    #[error("{location}: invalid TOML: {message}")]
    Toml {
        location: ConfigLocation,
        message: String,
    },

    #[error("{location}: `{key}` must be {expected}")]
    InvalidOption {
        location: ConfigLocation,
        key: String,
        expected: &'static str,
    },

    #[error("{location}: `{key}` is not a valid option")]
    MisspeltOption {
        location: ConfigLocation,
        key: String,
        correct: &'static str,
    },

    #[error("{location}: `{key}` is missing in {what}")]
    MissingOption {
        location: ConfigLocation,
        key: &'static str,
        what: &'static str,
    },

    #[error("{location}: the template file `{}` does not exist", template.display())]
    MissingTemplate {
        location: ConfigLocation,
        template: PathBuf,
    },

    #[error("{location}: template `{template}` is not one relman can render")]
    UnsupportedTemplate {
        location: ConfigLocation,
        template: String,
    },

    #[error("{location}: `issue_pattern` `{pattern}` is not a valid regular expression: {message}")]
    InvalidIssuePattern {
        location: ConfigLocation,
        pattern: String,
        message: String,
    },

    #[error("the fragment folder `{}` does not exist (configured in `{}`)", folder.display(), config.display())]
    MissingFragmentFolder { folder: PathBuf, config: PathBuf },

    #[error("`{}` is not a news fragment name: expected `ISSUE.TYPE`, with TYPE one of {}", path.display(), list(types))]
    InvalidFragmentName { path: PathBuf, types: Vec<String> },

    #[error("news fragment `{}` is a folder, not a file", path.display())]
    FragmentIsFolder { path: PathBuf },

    #[error("issue `{issue}` of news fragment `{}` does not match `issue_pattern` `{pattern}`", path.display())]
    IssuePatternMismatch {
        path: PathBuf,
        issue: String,
        pattern: String,
    },

    #[error("news fragments `{}` and `{}` are both issue `{issue}`, type `{kind}`, number {counter}", first.display(), second.display())]
    DuplicateFragment {
        first: PathBuf,
        second: PathBuf,
        issue: String,
        kind: String,
        counter: String,
    },

    #[error("unknown fragment type `{kind}`: the valid types are {}", list(valid))]
    UnknownFragmentType { kind: String, valid: Vec<String> },

    #[error("invalid fragment issue `{id}`: {reason}")]
    InvalidFragmentId { id: String, reason: &'static str },

    #[error("{location}: `{key}` = `{format}`: {message}")]
    Format {
        location: ConfigLocation,
        key: &'static str,
        format: String,
        message: String,
    },

    #[error("{location}: `underlines` has {have} entries, the template needs at least {need}")]
    TooFewUnderlines {
        location: ConfigLocation,
        have: usize,
        need: usize,
    },

    #[error("`{}` already has the release `{top_line}`", news_file.display())]
    AlreadyReleased {
        news_file: PathBuf,
        top_line: String,
    },

    #[error("`{}` is not UTF-8", path.display())]
    NotUtf8 { path: PathBuf },

    #[error("template `{}`: {message}", template.display())]
    Template { template: PathBuf, message: String },
}

impl TowncrierError {
    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::MisspeltOption { correct, .. } => Some(format!("did you mean `{correct}`?")),
            Self::MissingFragmentFolder { folder, .. } => Some(format!(
                "create it (`mkdir -p {}`), or point `directory` at the folder that holds the fragments",
                folder.display()
            )),
            Self::InvalidFragmentName { .. } => Some(
                "rename it, or add it to `ignore` in the towncrier configuration if it is deliberate"
                    .to_owned(),
            ),
            Self::UnknownFragmentType { .. } => Some(
                "add the type under `[tool.towncrier.fragment.NAME]` (or `[[tool.towncrier.type]]`) to use it"
                    .to_owned(),
            ),
            Self::DuplicateFragment { .. } => {
                Some("merge the two files, or number one of them (`ISSUE.TYPE.1`)".to_owned())
            }
            Self::UnsupportedTemplate { .. } => Some(
                "use `towncrier:default` or a template file in the project (`template = \"changelog.d/template.md\"`)"
                    .to_owned(),
            ),
            Self::AlreadyReleased { .. } => {
                Some("remove that section first, or release a different version".to_owned())
            }
            Self::Format { .. } => {
                Some("write `{{` and `}}` for literal braces; only named fields are supported".to_owned())
            }
            _ => None,
        }
    }
}
