//! What a configured version file is: a path plus how to find the version in it (a format known
//! by the file's name, a `{version}` pattern, or a dotted key). Specs are validated when built,
//! so a bad pattern or key is reported before any file is read.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::FileError;
use super::spelling::Spelling;

/// A file that holds the project's version, and how to find it there.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionFileSpec {
    path: PathBuf,
    kind: VersionFileKind,
    follow: Follow,
    spelling: Spelling,
    /// Crates of the workspace that do not move with it, being released on their own.
    except: Vec<String>,
}

/// Which files around a manifest follow its version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Follow {
    /// The workspace moves with it: members at the same version, requirements on them, lock
    /// entries (one version for the whole repository).
    #[default]
    Together,
    /// The package is released on its own (one package of a monorepo): only its lock entry
    /// follows; requirements on it are the caller's to rewrite.
    Alone,
}

/// How the version is found in a [`VersionFileSpec`]'s file.
#[derive(Debug, Clone, PartialEq)]
pub enum VersionFileKind {
    /// A format relman knows by the file's name.
    Known(KnownFormat),
    /// Literal text with `{version}` standing for the version.
    Pattern(Pattern),
    /// One dotted key of a TOML, JSON, YAML or properties file.
    Key(KeyPath),
}

/// The version files relman knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KnownFormat {
    /// `Cargo.toml`: `package.version`, or `workspace.package.version`.
    Cargo,
    /// `pyproject.toml`: `project.version` or `tool.poetry.version`.
    Pyproject,
    /// `setup.cfg`: `version` in `[metadata]`.
    SetupCfg,
    /// `setup.py`: a `version="..."` keyword or a `VERSION`/`__version__ = "..."` assignment.
    SetupPy,
    /// A Python module (`__init__.py`, `__version__.py`, `_version.py`, `version.py`, any other
    /// `.py`): a `__version__ = "..."` assignment.
    PythonModule,
    /// A gem's `version.rb`: the `VERSION = "..."` constant.
    RubyVersion,
    /// A gem's `gem_version.rb` (Rails' gems): `MAJOR`, `MINOR`, `TINY` and `PRE` constants.
    RubyGemVersion,
    /// `package.json`: the top-level `version`; a `package-lock.json` or `npm-shrinkwrap.json`
    /// beside it is edited along with it.
    PackageJson,
    /// `package-lock.json`/`npm-shrinkwrap.json`: the root `version` and `packages[""].version`.
    PackageLock,
    /// `Chart.yaml`: the top-level `version` (`appVersion` is a key file).
    HelmChart,
    /// The root `pom.xml`: `project/version` (or the `<properties>` entry a `${revision}` names)
    /// and dependencies on the project's own group at that version; never
    /// `project/parent/version`, which names another project.
    MavenPom,
    /// A module's `pom.xml` (below the root): as [`MavenPom`](Self::MavenPom), and its
    /// `<parent><version>` at the same version, which is the version it inherits when it states
    /// none.
    MavenModule,
    /// `gradle.properties` or any `.properties` file: the `version` property.
    Properties,
    /// `VERSION`, `version.txt`, `NAME_VERSION` (Rails' `RAILS_VERSION`): the whole file,
    /// trimmed.
    PlainText,
    /// A C header (`.h`) keeping the version in `#define`s of one prefix: the major, minor and
    /// third numbers, and a whole version string and pre-release string when it has them
    /// (libgit2's `version.h`, SDL's `SDL_version.h`).
    CHeader,
}

impl KnownFormat {
    /// The format a file's name says it has, if relman knows it.
    pub fn from_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?;
        let format = match name {
            "Cargo.toml" => Self::Cargo,
            "pyproject.toml" => Self::Pyproject,
            "setup.cfg" => Self::SetupCfg,
            "setup.py" => Self::SetupPy,
            "package.json" => Self::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" => Self::PackageLock,
            "Chart.yaml" | "Chart.yml" => Self::HelmChart,
            "pom.xml"
                if path
                    .parent()
                    .is_some_and(|folder| !matches!(folder.to_str(), Some("" | "."))) =>
            {
                Self::MavenModule
            }
            "pom.xml" => Self::MavenPom,
            _ if name.ends_with(".py") => Self::PythonModule,
            "version.rb" => Self::RubyVersion,
            "gem_version.rb" => Self::RubyGemVersion,
            _ if name.ends_with(".properties") => Self::Properties,
            _ if name.ends_with(".h") => Self::CHeader,
            _ if name.eq_ignore_ascii_case("VERSION")
                || name.eq_ignore_ascii_case("version.txt")
                || is_named_version_file(name) =>
            {
                Self::PlainText
            }
            _ => return None,
        };
        Some(format)
    }

    /// What relman looks for in a file of this format, for messages.
    pub fn looked_for(self) -> &'static str {
        match self {
            Self::Cargo => "`package.version` or `workspace.package.version`",
            Self::Pyproject => "`project.version` or `tool.poetry.version`",
            Self::SetupCfg => "`version` in `[metadata]`",
            Self::SetupPy => {
                "a `version=\"...\"` keyword or a `VERSION`/`__version__ = \"...\"` assignment"
            }
            Self::PythonModule => "a `__version__ = \"...\"` assignment",
            Self::RubyVersion => "a `VERSION = \"...\"` constant",
            Self::RubyGemVersion => super::gem_constants::LOOKED_FOR,
            Self::PackageJson => "a top-level `\"version\"`",
            Self::PackageLock => "`version` or `packages[\"\"].version`",
            Self::HelmChart => "a top-level `version`",
            Self::MavenPom => "`project/version`",
            Self::MavenModule => "`project/version` or `project/parent/version`",
            Self::Properties => "a `version=` (or `VERSION_NAME=`) property",
            Self::PlainText => "a version as the whole file",
            Self::CHeader => super::c_header::LOOKED_FOR,
        }
    }
}

/// `NAME_VERSION` in capitals (`RAILS_VERSION`): a bare version file named after its project.
fn is_named_version_file(name: &str) -> bool {
    name.strip_suffix("_VERSION").is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    })
}

/// A `{version}` pattern, matched literally apart from the placeholder.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Pattern {
    /// The pattern as written, with its `{version}`.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    pub(super) fn regex(&self) -> &Regex {
        &self.regex
    }

    fn new(path: &Path, source: &str) -> Result<Self, FileError> {
        const PLACEHOLDER: &str = "{version}";
        let count = source.matches(PLACEHOLDER).count();
        let Some((prefix, suffix)) = source.split_once(PLACEHOLDER).filter(|_| count == 1) else {
            return Err(FileError::PatternPlaceholder {
                path: path.to_owned(),
                pattern: source.to_owned(),
                count,
            });
        };
        // A pattern that begins or ends with a word is anchored at a word boundary, so
        // `version = "{version}"` does not also match inside `python_version = "3.8"`.
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let mut expression = String::new();
        if prefix.starts_with(is_word) {
            expression.push_str(r"\b");
        }
        expression.push_str(&regex::escape(prefix));
        expression.push_str(r"([0-9A-Za-z.+!_~-]+)");
        expression.push_str(&regex::escape(suffix));
        if suffix.ends_with(is_word) {
            expression.push_str(r"\b");
        }
        // Only a size limit can refuse an escaped pattern.
        let regex = Regex::new(&expression).map_err(|error| FileError::BadPattern {
            path: path.to_owned(),
            pattern: source.to_owned(),
            message: error.to_string(),
        })?;
        Ok(Self {
            source: source.to_owned(),
            regex,
        })
    }
}

/// The document formats a key file can have, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFormat {
    Toml,
    Json,
    Yaml,
    Properties,
}

/// A dotted key: `tool.poetry.version`, `appVersion`, `packages."".version` (quote a segment
/// that contains dots or is empty).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPath {
    source: String,
    segments: Vec<String>,
    format: KeyFormat,
}

impl KeyPath {
    /// The key as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The key's segments, quotes removed.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The format of the file the key is in.
    pub fn format(&self) -> KeyFormat {
        self.format
    }

    fn new(path: &Path, source: &str) -> Result<Self, FileError> {
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let format = match extension.as_str() {
            "toml" => KeyFormat::Toml,
            "json" | "jsonc" | "json5" => KeyFormat::Json,
            "yaml" | "yml" => KeyFormat::Yaml,
            "properties" => KeyFormat::Properties,
            _ => {
                return Err(FileError::KeyFormat {
                    path: path.to_owned(),
                });
            }
        };
        let bad_key = || FileError::BadKey {
            path: path.to_owned(),
            key: source.to_owned(),
        };
        let segments = if format == KeyFormat::Properties {
            // Property names are flat: `app.version` is one name.
            vec![source.to_owned()]
        } else {
            split_dotted(source).ok_or_else(bad_key)?
        };
        if source.trim().is_empty() {
            return Err(bad_key());
        }
        Ok(Self {
            source: source.to_owned(),
            segments,
            format,
        })
    }
}

/// Splits `a."b.c".d` into `a`, `b.c`, `d`; `None` for an empty unquoted segment or an
/// unclosed quote.
fn split_dotted(key: &str) -> Option<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = key.trim();
    loop {
        let segment;
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let close = rest[1..].find(quote)? + 1;
            segment = rest[1..close].to_owned();
            rest = rest[close + 1..].trim_start();
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            segment = rest[..end].trim().to_owned();
            if segment.is_empty() {
                return None;
            }
            rest = &rest[end..];
        }
        segments.push(segment);
        if rest.is_empty() {
            return Some(segments);
        }
        rest = rest.strip_prefix('.')?.trim_start();
    }
}

impl VersionFileSpec {
    /// A file whose format relman knows by its name (`Cargo.toml`, `setup.py`, `VERSION` ...).
    pub fn known(path: impl Into<PathBuf>) -> Result<Self, FileError> {
        let path = path.into();
        match KnownFormat::from_path(&path) {
            Some(format) => Ok(Self::new(path, format)),
            None => Err(FileError::UnknownFormat { path }),
        }
    }

    /// The same file, released on its own ([`Follow::Alone`]).
    #[must_use]
    pub fn alone(mut self) -> Self {
        self.follow = Follow::Alone;
        self
    }

    /// The same file, for a project in `folder` below the root (detection in a package's
    /// folder names files from there).
    #[must_use]
    pub fn under(mut self, folder: &Path) -> Self {
        self.path = folder.join(&self.path);
        self
    }

    /// Which files around it follow its version.
    pub fn follow(&self) -> Follow {
        self.follow
    }

    /// The same file, spelling the project's version as `spelling` says (npm's spelling of a
    /// gem's version in a `package.json` that moves with it).
    #[must_use]
    pub fn spelt(mut self, spelling: Spelling) -> Self {
        self.spelling = spelling;
        self
    }

    /// How the file spells the project's version (by default as the project does, or as its
    /// name implies: a `pubspec.yaml` counts its build number).
    pub fn spelling(&self) -> Spelling {
        self.spelling
    }

    /// The same file, whose workspace moves without `crates` (packages released on their own,
    /// tagged at the same version as it: wgpu's `naga-v22.0.0` beside `v22.0.0`).
    #[must_use]
    pub fn except(mut self, crates: Vec<String>) -> Self {
        self.except = crates;
        self
    }

    /// The crates its workspace moves without (see [`except`](Self::except)).
    pub fn excepted(&self) -> &[String] {
        &self.except
    }

    /// A file read as the given format whatever its name (e.g. `src/pkg/__about__.py` as a
    /// Python module).
    pub fn new(path: impl Into<PathBuf>, format: KnownFormat) -> Self {
        let path = path.into();
        Self {
            spelling: Spelling::of_path(&path),
            path,
            kind: VersionFileKind::Known(format),
            follow: Follow::Together,
            except: Vec::new(),
        }
    }

    /// A file where `pattern`, with `{version}` standing for the version, occurs exactly once.
    pub fn pattern(path: impl Into<PathBuf>, pattern: &str) -> Result<Self, FileError> {
        let path = path.into();
        let pattern = Pattern::new(&path, pattern)?;
        Ok(Self {
            spelling: Spelling::of_path(&path),
            path,
            kind: VersionFileKind::Pattern(pattern),
            follow: Follow::Together,
            except: Vec::new(),
        })
    }

    /// One dotted key of a TOML, JSON, YAML or properties file, chosen by the extension.
    pub fn key(path: impl Into<PathBuf>, key: &str) -> Result<Self, FileError> {
        let path = path.into();
        let key = KeyPath::new(&path, key)?;
        Ok(Self {
            spelling: Spelling::of_path(&path),
            path,
            kind: VersionFileKind::Key(key),
            follow: Follow::Together,
            except: Vec::new(),
        })
    }

    /// The file, relative to the project root (or absolute), as configured.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How the version is found in the file.
    pub fn kind(&self) -> &VersionFileKind {
        &self.kind
    }

    /// What is looked for in the file, for messages.
    pub fn looked_for(&self) -> String {
        match &self.kind {
            VersionFileKind::Known(format) => format.looked_for().to_owned(),
            VersionFileKind::Pattern(pattern) => format!("the pattern `{}`", pattern.as_str()),
            VersionFileKind::Key(key) => format!("the key `{}`", key.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_by_name() {
        let format = |name: &str| KnownFormat::from_path(Path::new(name));
        assert_eq!(format("crates/x/Cargo.toml"), Some(KnownFormat::Cargo));
        assert_eq!(format("pkg/__init__.py"), Some(KnownFormat::PythonModule));
        assert_eq!(format("setup.py"), Some(KnownFormat::SetupPy));
        assert_eq!(format("package-lock.json"), Some(KnownFormat::PackageLock));
        assert_eq!(format("VERSION"), Some(KnownFormat::PlainText));
        assert_eq!(format("version.txt"), Some(KnownFormat::PlainText));
        assert_eq!(format("RAILS_VERSION"), Some(KnownFormat::PlainText));
        assert_eq!(
            format("railties/lib/rails/gem_version.rb"),
            Some(KnownFormat::RubyGemVersion)
        );
        assert_eq!(format("_VERSION"), None);
        assert_eq!(format("rails_VERSION"), None);
        assert_eq!(format("gradle.properties"), Some(KnownFormat::Properties));
        assert_eq!(format("config.toml"), None);
        assert_eq!(format("values.yaml"), None);
    }

    #[test]
    fn dotted_keys() {
        let split = |key: &str| split_dotted(key);
        assert_eq!(
            split("tool.poetry.version").unwrap(),
            ["tool", "poetry", "version"]
        );
        assert_eq!(
            split("packages.\"\".version").unwrap(),
            ["packages", "", "version"]
        );
        assert_eq!(split("a.'b.c'.d").unwrap(), ["a", "b.c", "d"]);
        assert_eq!(split("a..b"), None);
        assert_eq!(split("a.\"b"), None);
        assert_eq!(split("a."), None);
    }

    #[test]
    fn pattern_placeholder_count() {
        let error = VersionFileSpec::pattern("f", "v = {version} {version}").unwrap_err();
        assert!(matches!(
            error,
            FileError::PatternPlaceholder { count: 2, .. }
        ));
        let error = VersionFileSpec::pattern("f", "v = version").unwrap_err();
        assert!(matches!(
            error,
            FileError::PatternPlaceholder { count: 0, .. }
        ));
    }

    #[test]
    fn pattern_is_literal_and_anchored_at_words() {
        let spec = VersionFileSpec::pattern("f", "version = (\"{version}\")").unwrap();
        let VersionFileKind::Pattern(pattern) = spec.kind() else {
            panic!()
        };
        assert!(pattern.regex().is_match("version = (\"1.2\")"));
        assert!(!pattern.regex().is_match("version = x\"1.2\")"));
        assert!(!pattern.regex().is_match("python_version = (\"1.2\")"));
    }

    #[test]
    fn key_format_by_extension() {
        assert!(VersionFileSpec::key("Chart.yaml", "appVersion").is_ok());
        assert!(VersionFileSpec::key("a.json", "packages.\"\".version").is_ok());
        let error = VersionFileSpec::key("setup.cfg", "version").unwrap_err();
        assert!(matches!(error, FileError::KeyFormat { .. }));
        let error = VersionFileSpec::key("a.toml", "a..b").unwrap_err();
        assert!(matches!(error, FileError::BadKey { .. }));
    }
}
