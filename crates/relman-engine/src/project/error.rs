//! Why a project could not be resolved or read: each variant names the file, tag or ref involved,
//! and most carry a hint.

use relman_git::GitError;
use relman_version::bump::{BumpError, LevelError};
use relman_version::changelog::document::DocumentError;
use relman_version::changelog::template::TemplateError;
use relman_version::changelog::towncrier::TowncrierError;
use relman_version::files::FileError;
use relman_version::scheme::VersionError;

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("relman needs a work tree, and this repository is bare")]
    Bare,
    #[error("{0}")]
    Config(String),
    #[error("cannot tell which GitHub repository this is")]
    ForgeRepo,
    #[error(transparent)]
    Git(Box<GitError>),
    #[error(transparent)]
    File(Box<FileError>),
    #[error("`{file}` holds `{value}`, which is not a {scheme} version: {source}")]
    FileVersion {
        file: String,
        value: String,
        scheme: String,
        source: Box<VersionError>,
    },
    #[error("the version files disagree:\n{}", lines.join("\n"))]
    Disagree { lines: Vec<String> },
    #[error("no version: the project has no version files and no release tag matching `{format}`")]
    NoVersion { format: String },
    #[error(transparent)]
    Level(Box<LevelError>),
    #[error(transparent)]
    Bump(Box<BumpError>),
    #[error(transparent)]
    Towncrier(Box<TowncrierError>),
    #[error(transparent)]
    Template(Box<TemplateError>),
    #[error("{file}: {source}")]
    Document {
        file: String,
        source: Box<DocumentError>,
    },
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the tag `{tag}` of version {version} does not exist")]
    NoTag { tag: String, version: String },
    #[error("{}", malformed_tags(tags, format, scheme))]
    MalformedTags {
        tags: Vec<String>,
        format: String,
        scheme: String,
        remote: String,
    },
}

fn malformed_tags(tags: &[String], format: &str, scheme: &str) -> String {
    let (matches, is_not) = if tags.len() == 1 {
        ("a tag matches", format!("is not a {scheme} version"))
    } else {
        ("tags match", format!("are not {scheme} versions"))
    };
    format!(
        "{matches} the tag format `{format}` but {is_not}: {}",
        listed_tags(tags)
    )
}

/// At most ten tags, in backticks; the rest counted.
fn listed_tags(tags: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = tags
        .iter()
        .take(SHOWN)
        .map(|tag| format!("`{tag}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if tags.len() > SHOWN {
        text.push_str(&format!(" and {} more", tags.len() - SHOWN));
    }
    text
}

impl ProjectError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ProjectError::Bare => Some("run relman in a clone with a work tree".to_owned()),
            ProjectError::ForgeRepo => {
                Some("set `repo = \"owner/name\"` under `[forge]` in relman.toml".to_owned())
            }
            ProjectError::Git(error) => error.hint(),
            ProjectError::File(error) => error.hint(),
            ProjectError::FileVersion { source, .. } => source.hint(),
            ProjectError::Disagree { .. } => {
                Some("make them hold the same version, then run relman again".to_owned())
            }
            ProjectError::NoVersion { format } => Some(format!(
                "tag the current release (`git tag {}`), or list the files holding the version in `version-files` in relman.toml",
                format.replace("{version}", "0.1.0")
            )),
            ProjectError::Level(error) => error.hint(),
            ProjectError::Bump(error) => error.hint(),
            ProjectError::Towncrier(error) => error.hint(),
            ProjectError::Template(error) => error.hint(),
            ProjectError::Document { source, .. } => source.hint(),
            ProjectError::MalformedTags { tags, remote, .. } => {
                let first = tags.first().map_or("TAG", String::as_str);
                let globs = tags
                    .iter()
                    .take(3)
                    .map(|tag| format!("\"{tag}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                Some(format!(
                    "list tags that are not releases under `[project]` in relman.toml: `ignore-tags = [{globs}]` (globs allowed); delete a mistaken one: `git tag -d {first}`, and `git push {remote} :refs/tags/{first}` if it was pushed"
                ))
            }
            ProjectError::NoTag { .. } => {
                Some("`git tag --list` shows the release tags".to_owned())
            }
            ProjectError::Config(_) | ProjectError::Read { .. } | ProjectError::Write { .. } => {
                None
            }
        }
    }
}

macro_rules! boxed_from {
    ($($variant:ident($error:ty)),* $(,)?) => {
        $(impl From<$error> for ProjectError {
            fn from(error: $error) -> Self {
                ProjectError::$variant(Box::new(error))
            }
        })*
    };
}

// Boxed so that `Result<_, ProjectError>` stays small on the hot paths that return it.
boxed_from!(
    Git(GitError),
    File(FileError),
    Level(LevelError),
    Bump(BumpError),
    Towncrier(TowncrierError),
    Template(TemplateError),
);
