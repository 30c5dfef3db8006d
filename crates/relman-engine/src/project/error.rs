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
    /// A path relman.toml (or detection) names leads outside the work tree.
    #[error("{message}")]
    Outside {
        message: String,
        hint: Option<String>,
    },
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
    #[error("version {version} exists already: tag `{tag}` {place}")]
    VersionTaken {
        version: String,
        tag: String,
        place: String,
    },
    #[error("version {version} is below the last release {last} (tag `{tag}` {place})")]
    VersionBelow {
        version: String,
        last: String,
        tag: String,
        place: String,
        /// The version files hold a version behind the last release.
        files_behind: bool,
    },
    #[error("`{file}` holds {version}, behind the last release {last} (tag `{tag}`)")]
    FilesBehind {
        file: String,
        version: String,
        last: String,
        tag: String,
    },
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
    #[error("there is no package `{name}`{suggestion}")]
    UnknownPackage {
        name: String,
        suggestion: crate::template::Suggestion,
        known: Vec<String>,
    },
    #[error("package `{name}`: {message}")]
    Package { name: String, message: String },
    #[error(transparent)]
    Changesets(Box<relman_version::changesets::ChangesetError>),
}

impl ProjectError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ProjectError::Bare => Some("run relman in a clone with a work tree".to_owned()),
            ProjectError::Outside { hint, .. } => hint.clone(),
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
                "tag the current release (`git tag {}`), list the files holding the version in `version-files`, or set `initial-version` under `[project]` in relman.toml",
                format.replace("{version}", "0.1.0")
            )),
            ProjectError::VersionTaken { .. } => Some(
                "versions never repeat: release a version no tag has (`git tag --list` shows them), or a level such as `patch` to get the next free one".to_owned(),
            ),
            ProjectError::VersionBelow {
                last,
                files_behind: true,
                ..
            } => Some(format!(
                "the version files are behind the last release {last}: set them to {last} (or list the right files in `version-files`), then bump"
            )),
            ProjectError::VersionBelow { last, .. } => Some(format!(
                "versions never go backwards: release a version above {last}, or set `allow-downgrade = true` on the bump step if you mean it"
            )),
            ProjectError::FilesBehind { last, .. } => Some(format!(
                "a bump from it would go back: set the version files to {last}, or list the files that hold the version in `version-files`"
            )),
            ProjectError::Level(error) => error.hint(),
            ProjectError::Bump(error) => error.hint(),
            ProjectError::Towncrier(error) => error.hint(),
            ProjectError::Template(error) => error.hint(),
            ProjectError::Document { source, .. } => source.hint(),
            ProjectError::NoTag { .. } => {
                Some("`git tag --list` shows the release tags".to_owned())
            }
            ProjectError::UnknownPackage { known, .. } => Some(format!(
                "the packages are {}; `relman packages` lists them",
                known
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            ProjectError::Changesets(error) => error.hint(),
            ProjectError::Package { .. } => Some(
                "set it in the package's `[package.NAME]` table in relman.toml".to_owned(),
            ),
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
