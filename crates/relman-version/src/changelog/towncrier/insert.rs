//! Putting a rendered release into the news file exactly as towncrier's `append_to_newsfile`
//! does: below `start_string` when the file has it (the text above is right-trimmed and followed
//! by a blank line, the marker and a blank line), at the very top when it does not, as the whole
//! file when there is none yet or `single_file = false`. Existing `\r\n` newlines become `\n`, as
//! towncrier's universal-newline read and plain write make them.
//!
//! Nothing here writes until [`Build::write`]: the pieces stay available for a diff first.

use std::path::{Path, PathBuf};

use super::config::TowncrierConfig;
use super::error::TowncrierError;
use super::fragments::{Fragments, collect_fragments};
use super::notes::{ReleaseNotes, arrange};
use super::pytext;
use super::render::{RenderedRelease, VersionData, render};

/// What `towncrier build --version V --date D [--name N]` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    pub version: String,
    /// The release date as it should appear (`YYYY-MM-DD` usually).
    pub date: String,
    /// The project name; `None` falls back to `name` in the configuration, then `[project].name`,
    /// then the title-cased `package`, as towncrier does short of importing the package.
    pub name: Option<String>,
}

impl BuildOptions {
    /// The version data towncrier's templates see.
    pub fn version_data(&self, config: &TowncrierConfig) -> VersionData {
        let name = match &self.name {
            Some(name) => name.clone(),
            None if !config.name.is_empty() => config.name.clone(),
            None if !config.package.is_empty() => pytext::title(&config.package),
            None => String::new(),
        };
        VersionData {
            name,
            version: self.version.clone(),
            date: self.date.clone(),
        }
    }
}

/// The news file a release goes to: `filename`, formatted per release when `single_file = false`.
pub fn news_file_path(
    config: &TowncrierConfig,
    version: &VersionData,
) -> Result<PathBuf, TowncrierError> {
    if config.single_file {
        return Ok(config.base_dir.join(&config.filename));
    }
    let name = pytext::format(
        &config.filename,
        &[
            ("name", &version.name),
            ("version", &version.version),
            ("project_date", &version.date),
        ],
    )
    .map_err(|error| TowncrierError::Format {
        location: config.location(),
        key: "filename",
        format: config.filename.clone(),
        message: error.to_string(),
    })?;
    Ok(config.base_dir.join(name))
}

/// The news file's new text, given its current text (`None` when it does not exist).
/// `news_file` only names the file in errors.
pub fn insert_release(
    config: &TowncrierConfig,
    news_file: &Path,
    existing: Option<&str>,
    rendered: &RenderedRelease,
) -> Result<String, TowncrierError> {
    let existing = if config.single_file {
        existing.map(pytext::universal_newlines)
    } else {
        None
    };
    let (header, previous_body) = match &existing {
        None => (String::new(), ""),
        Some(text) => match text.split_once(&config.start_string) {
            Some((before, after)) => (
                format!("{}\n\n{}\n", pytext::rstrip(before), config.start_string),
                pytext::lstrip(after),
            ),
            None => (String::new(), pytext::lstrip(text)),
        },
    };
    if !rendered.top_line.is_empty() && previous_body.contains(&rendered.top_line) {
        return Err(TowncrierError::AlreadyReleased {
            news_file: news_file.to_path_buf(),
            top_line: rendered.top_line.clone(),
        });
    }
    Ok(if previous_body.is_empty() {
        // A brand new file: no trailing blank lines.
        format!("{header}{}\n", pytext::rstrip(&rendered.content))
    } else {
        format!("{header}{}{previous_body}", rendered.content)
    })
}

/// A release built but not written: everything needed to show a diff, write the news file, and
/// remove the fragments (which the caller does, staged as deletions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    pub news_file: PathBuf,
    /// The news file's text before, `None` when it did not exist (or is rewritten whole).
    pub previous: Option<String>,
    /// The news file's text after.
    pub contents: String,
    pub rendered: RenderedRelease,
    pub notes: ReleaseNotes,
    pub fragments: Fragments,
}

impl Build {
    /// The fragment files the release used, in towncrier's order.
    pub fn fragment_files(&self) -> Vec<PathBuf> {
        self.fragments.files()
    }

    /// Writes the news file atomically. Fragments are left for the caller to remove.
    pub fn write(&self) -> Result<(), TowncrierError> {
        write_atomic(&self.news_file, self.contents.as_bytes())
    }
}

/// Collects, renders and inserts one release, reading files but writing none.
pub fn build(config: &TowncrierConfig, options: &BuildOptions) -> Result<Build, TowncrierError> {
    let fragments = collect_fragments(config)?;
    let notes = arrange(config, &fragments)?;
    let version = options.version_data(config);
    let rendered = render(config, &notes, &version)?;
    let news_file = news_file_path(config, &version)?;
    let previous = if config.single_file {
        read_optional(&news_file)?
    } else {
        None
    };
    let contents = insert_release(config, &news_file, previous.as_deref(), &rendered)?;
    Ok(Build {
        news_file,
        previous,
        contents,
        rendered,
        notes,
        fragments,
    })
}

fn read_optional(path: &Path) -> Result<Option<String>, TowncrierError> {
    match crate::files::bounded::read_bounded(path, crate::files::bounded::MAX_CHANGELOG) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| TowncrierError::NotUtf8 {
                path: path.to_path_buf(),
            }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Write through a temporary file in the same folder, then rename over the target.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TowncrierError> {
    use std::io::Write as _;
    let folder = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs_err::create_dir_all(folder)?;
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(|error| {
        std::io::Error::new(
            error.kind(),
            format!(
                "{error} (creating a temporary file in `{}`)",
                folder.display()
            ),
        )
    })?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("{error} (writing `{}`)", path.display()),
            )
        })?;
    file.persist(path).map_err(|error| {
        std::io::Error::new(
            error.error.kind(),
            format!("{} (replacing `{}`)", error.error, path.display()),
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TowncrierConfig {
        TowncrierConfig::with_defaults(Path::new("/p"), "changes", "CHANGELOG.md")
    }

    fn rendered(content: &str) -> RenderedRelease {
        RenderedRelease {
            top_line: String::new(),
            content: content.to_owned(),
        }
    }

    #[test]
    fn goes_below_the_marker() {
        let existing = "# Changelog\n\n\n<!-- towncrier release notes start -->\n\n## 0.9\n";
        let new = insert_release(
            &config(),
            Path::new("x"),
            Some(existing),
            &rendered("## 1.0\n\n"),
        )
        .unwrap();
        assert_eq!(
            new,
            "# Changelog\n\n<!-- towncrier release notes start -->\n\n## 1.0\n\n## 0.9\n"
        );
    }

    #[test]
    fn goes_on_top_without_a_marker_and_alone_in_a_new_file() {
        let new = insert_release(
            &config(),
            Path::new("x"),
            Some("\n\n# Old\r\n"),
            &rendered("## 1.0\n\n"),
        )
        .unwrap();
        assert_eq!(new, "## 1.0\n\n# Old\n");
        let new =
            insert_release(&config(), Path::new("x"), None, &rendered("## 1.0\n\n\n")).unwrap();
        assert_eq!(new, "## 1.0\n");
    }

    #[test]
    fn refuses_a_title_already_there() {
        let release = RenderedRelease {
            top_line: "## 1.0".to_owned(),
            content: "## 1.0\n".to_owned(),
        };
        let error = insert_release(&config(), Path::new("NEWS.md"), Some("## 1.0\n"), &release)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "`NEWS.md` already has the release `## 1.0`"
        );
    }
}
