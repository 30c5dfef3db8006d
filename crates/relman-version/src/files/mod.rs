//! The files that hold a project's version: finding the version text in each (`Cargo.toml`,
//! `pyproject.toml`, `setup.py`, `package.json`, `Chart.yaml`, `pom.xml`, pattern and key files
//! ...), checking that they agree, planning byte-exact edits and writing them atomically.
//!
//! Versions are handled here as text: a reader locates the bytes of the version in a file and
//! an edit replaces exactly those bytes, so comments, quotes, key order, indentation, line
//! endings, a BOM and a missing final newline all survive. Parsing a version under a scheme is
//! the caller's business.
//!
//! ```no_run
//! # use relman_version::files::{self, VersionFileSpec};
//! # fn main() -> Result<(), files::FileError> {
//! let root = std::path::Path::new(".");
//! let specs = [VersionFileSpec::known("Cargo.toml")?];
//! let read = files::VersionFiles::read(root, &specs)?;
//! let current = read.agreed()?; // every file holds the same version, or an error lists them
//! let edits = read.plan("1.3.0")?; // nothing written yet: show diffs, then
//! files::apply(&edits)?;
//! # let _ = current; Ok(()) }
//! ```

mod atomic;
pub mod bounded;
mod cargo;
mod detect;
mod error;
mod gem_constants;
mod go;
mod gradle;
mod ini;
mod json;
mod literal;
mod maven;
mod npm;
mod pattern;
mod plain;
mod properties;
mod pylock;
mod python;
mod requirements;
mod ruby;
mod spec;
mod text;
mod toml;
mod value;
mod xml;
mod yaml;

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

pub use atomic::{apply, write_atomic};
pub use bounded::{read_bounded, read_text_bounded};
pub use detect::{Detection, detect, gemspecs};
pub use error::FileError;
pub use requirements::plan_requirement_edits;
pub use spec::{
    Follow, KeyFormat, KeyPath, KnownFormat, Pattern, VersionFileKind, VersionFileSpec,
};
pub use value::{VALUE_PLACEHOLDER, ValuePlace, plan_value};
pub use xml::pom_artifact_id;

use text::{Location, check_new_version, decode, line_of, looks_like_version, splice};

/// A version found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundVersion {
    /// The file, as configured (relative to the project root).
    pub path: PathBuf,
    /// The 1-based line the version is on.
    pub line: usize,
    /// What holds it, in words: "`package.version`", "the whole file", "the pattern `...`".
    pub location: String,
    /// The version text, exactly as written.
    pub value: String,
}

impl fmt::Display for FoundVersion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}:{}: {} ({})",
            self.path.display(),
            self.line,
            self.value,
            self.location
        )
    }
}

/// A planned rewrite of one file: nothing is written until [`apply`].
#[derive(Clone, PartialEq, Eq)]
pub struct FileEdit {
    /// Where the file is written (the project root joined with the configured path).
    pub path: PathBuf,
    /// The path as configured, for diffs and messages.
    pub display_path: PathBuf,
    /// The file's bytes when it was read.
    pub before: Vec<u8>,
    /// The file's bytes after the edit: `before` with only the version bytes replaced.
    pub after: Vec<u8>,
}

impl fmt::Debug for FileEdit {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("FileEdit")
            .field("path", &self.path)
            .field("before", &String::from_utf8_lossy(&self.before))
            .field("after", &String::from_utf8_lossy(&self.after))
            .finish()
    }
}

/// The version files of a project, each read and parsed once; the versions found can be
/// checked and edits planned from them without touching the disk again.
#[derive(Debug)]
pub struct VersionFiles {
    files: Vec<LoadedFile>,
    found: Vec<FoundVersion>,
    /// Each place a version was found: the file it is in, the byte span of the version, and
    /// the part of it the place holds when the file keeps it in parts (`gem_version.rb`).
    places: Vec<(usize, Range<usize>, Option<gem_constants::Part>)>,
}

#[derive(Debug)]
struct LoadedFile {
    display: PathBuf,
    full: PathBuf,
    bytes: Vec<u8>,
}

/// A spec to read: the configured ones, plus the files that follow them (the lock files of a
/// `package.json`, the workspace of a `Cargo.toml`).
struct Target<'s> {
    spec: Cow<'s, VersionFileSpec>,
    /// A companion file may hold no version (an old lockfile): it is then left alone.
    companion: bool,
    /// For a companion found by its own rules: what to edit in it.
    finder: Option<Finder>,
}

/// How a companion file's places are found.
enum Finder {
    Cargo(cargo::Places),
    PythonLock(pylock::Entry),
    Npm(npm::Places),
}

impl VersionFiles {
    /// Reads every spec's file under `root` (each file once, however many specs name it) and
    /// finds its version(s), in spec order: the first found is the source of truth.
    pub fn read(root: &Path, specs: &[VersionFileSpec]) -> Result<Self, FileError> {
        let (targets, _) = targets(root, specs);
        let mut files: Vec<LoadedFile> = Vec::new();
        let mut file_of_target = Vec::with_capacity(targets.len());
        for target in &targets {
            let full = normalize(&root.join(target.spec.path()));
            let index = match files.iter().position(|file| file.full == full) {
                Some(index) => index,
                None => {
                    files.push(load(target.spec.path(), full)?);
                    files.len() - 1
                }
            };
            file_of_target.push(index);
        }

        let mut parsed: Vec<Parsed<'_>> = Vec::with_capacity(files.len());
        for file in &files {
            let (bom, text) = decode(&file.display, &file.bytes)?;
            parsed.push(Parsed::new(&file.display, bom, text));
        }
        let mut found = Vec::new();
        let mut places = Vec::new();
        for (target, &index) in targets.iter().zip(&file_of_target) {
            let cache = &mut parsed[index];
            let locations = match &target.finder {
                Some(Finder::Cargo(places)) => {
                    let text = cache.text;
                    cargo::locate(places, text, cache.toml()?)
                }
                Some(Finder::PythonLock(entry)) => {
                    let text = cache.text;
                    pylock::locate(entry, text, cache.toml()?)
                }
                Some(Finder::Npm(places @ npm::Places::Pnpm { .. })) => {
                    let (path, text) = (cache.path, cache.text);
                    npm::locate_pnpm(path, places, text, cache.yaml()?)
                }
                Some(Finder::Npm(places)) => {
                    let text = cache.text;
                    npm::locate_json(places, text, cache.json()?)
                }
                None => cache.locate(&target.spec)?,
            };
            if locations.is_empty() && !target.companion {
                return Err(FileError::NoVersion {
                    path: files[index].display.clone(),
                    looked_for: target.spec.looked_for(),
                });
            }
            if locations
                .first()
                .is_some_and(|location| location.part.is_some())
            {
                // A version kept in parts: one version, at the first part's line.
                let display = &files[index].display;
                found.push(gem_constants::found(display, cache.text, &locations)?);
                for location in locations {
                    let span = location.span.start + cache.bom..location.span.end + cache.bom;
                    places.push((index, span, location.part));
                }
                continue;
            }
            for location in locations {
                let line = line_of(cache.text, location.span.start);
                let value = &cache.text[location.span.clone()];
                let described = describe(target.spec.kind(), &location.label);
                if !looks_like_version(value) {
                    return Err(FileError::NotAVersion {
                        path: files[index].display.clone(),
                        line,
                        location: described,
                        value: value.to_owned(),
                    });
                }
                found.push(FoundVersion {
                    path: files[index].display.clone(),
                    line,
                    location: described,
                    value: value.to_owned(),
                });
                let span = location.span.start + cache.bom..location.span.end + cache.bom;
                places.push((index, span, None));
            }
        }
        drop(parsed);
        Ok(Self {
            files,
            found,
            places,
        })
    }

    /// Every version found, in spec order (a file may hold several: `package-lock.json`).
    pub fn found(&self) -> &[FoundVersion] {
        &self.found
    }

    /// The versions found, owned.
    pub fn into_found(self) -> Vec<FoundVersion> {
        self.found
    }

    /// The version all files hold (compared as trimmed text), `None` when there are no files;
    /// an error listing every file and value when they disagree.
    pub fn agreed(&self) -> Result<Option<&str>, FileError> {
        check_agreement(&self.found)
    }

    /// The edits that put `new_version` in every place a version was found. Pure: nothing is
    /// written. Files whose bytes would not change are left out. Agreement is not checked here
    /// (the caller may compare parsed versions); [`plan_edits`] checks it textually.
    pub fn plan(&self, new_version: &str) -> Result<Vec<FileEdit>, FileError> {
        check_new_version(new_version)?;
        let mut edits = Vec::new();
        for (index, file) in self.files.iter().enumerate() {
            let mut spans: Vec<(Range<usize>, Option<gem_constants::Part>)> = self
                .places
                .iter()
                .filter(|(place_file, _, _)| *place_file == index)
                .map(|(_, span, part)| (span.clone(), *part))
                .collect();
            // A file that writes its version with a `v` (`version: v1.24.0`) keeps the `v`: only
            // the version after it is replaced.
            let prefixed = |byte: u8| matches!(byte, b'v' | b'V');
            if !new_version.starts_with(['v', 'V']) {
                for (span, part) in &mut spans {
                    if part.is_none() && span.len() > 1 && prefixed(file.bytes[span.start]) {
                        span.start += 1;
                    }
                }
            }
            spans.sort_by_key(|(span, _)| (span.start, span.end));
            spans.dedup();
            if let Some(pair) = spans
                .windows(2)
                .find(|pair| pair[0].0.end > pair[1].0.start)
            {
                // Two specs found different but overlapping text (a pattern wider than a key).
                let line = memchr::memchr_iter(b'\n', &file.bytes[..pair[1].0.start]).count() + 1;
                return Err(FileError::Unsupported {
                    path: file.display.clone(),
                    line,
                    message: "two version file specs select overlapping text".to_owned(),
                });
            }
            if spans.is_empty() {
                continue;
            }
            let line = memchr::memchr_iter(b'\n', &file.bytes[..spans[0].0.start]).count() + 1;
            literal::check_cmake(
                &file.display,
                &file.bytes[..spans[0].0.start],
                line,
                new_version,
            )?;
            let after = if spans.iter().all(|(_, part)| part.is_none()) {
                let spans: Vec<Range<usize>> = spans.into_iter().map(|(span, _)| span).collect();
                splice(&file.bytes, &spans, new_version)
            } else {
                gem_constants::splice(&file.bytes, &spans, new_version)?
            };
            if after != file.bytes {
                edits.push(FileEdit {
                    path: file.full.clone(),
                    display_path: file.display.clone(),
                    before: file.bytes.clone(),
                    after,
                });
            }
        }
        Ok(edits)
    }
}

/// The versions in every spec's file, in spec order.
pub fn read(root: &Path, specs: &[VersionFileSpec]) -> Result<Vec<FoundVersion>, FileError> {
    Ok(VersionFiles::read(root, specs)?.into_found())
}

/// The version every entry holds (trimmed text), `None` for no entries; when they differ, an
/// error listing each file, line and value.
pub fn check_agreement(found: &[FoundVersion]) -> Result<Option<&str>, FileError> {
    let Some(first) = found.first() else {
        return Ok(None);
    };
    let value = first.value.trim();
    if found.iter().all(|other| other.value.trim() == value) {
        Ok(Some(value))
    } else {
        Err(FileError::Disagree {
            found: found.to_vec(),
        })
    }
}

/// Reads the version files, requires them to agree textually, and plans the edits that put
/// `new_version` in all of them. Nothing is written.
pub fn plan_edits(
    root: &Path,
    specs: &[VersionFileSpec],
    new_version: &str,
) -> Result<Vec<FileEdit>, FileError> {
    let files = VersionFiles::read(root, specs)?;
    files.agreed()?;
    files.plan(new_version)
}

/// Every file reading `specs` involves, relative to `root`: the version files, the files that
/// follow them, and those read to find the latter (a workspace's manifests). A plan copies them
/// to simulate edits outside the work tree.
pub fn involved_files(root: &Path, specs: &[VersionFileSpec]) -> Vec<PathBuf> {
    let (targets, consulted) = targets(root, specs);
    let mut paths: Vec<PathBuf> = Vec::new();
    for path in targets
        .iter()
        .map(|target| normalize(target.spec.path()))
        .chain(consulted.iter().map(|path| normalize(path)))
    {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    paths
}

/// The targets of `specs`, and the other files read to find them.
fn targets<'s>(root: &Path, specs: &'s [VersionFileSpec]) -> (Vec<Target<'s>>, Vec<PathBuf>) {
    let listed = |path: &Path| {
        specs
            .iter()
            .any(|spec| normalize(spec.path()) == normalize(path))
    };
    let mut targets = Vec::with_capacity(specs.len());
    let mut consulted = Vec::new();
    for spec in specs {
        targets.push(Target {
            spec: Cow::Borrowed(spec),
            companion: false,
            finder: None,
        });
        match spec.kind() {
            VersionFileKind::Known(KnownFormat::PackageJson) => {
                for lock in ["package-lock.json", "npm-shrinkwrap.json"] {
                    let path = spec.path().with_file_name(lock);
                    if !listed(&path) && root.join(&path).is_file() {
                        targets.push(Target {
                            spec: Cow::Owned(VersionFileSpec::new(path, KnownFormat::PackageLock)),
                            companion: true,
                            finder: None,
                        });
                    }
                }
                let alone = spec.follow() == Follow::Alone;
                let (companions, read) = npm::companions(root, &normalize(spec.path()), alone);
                consulted.extend(read);
                for companion in companions {
                    let format = match companion.places {
                        npm::Places::Manifest { .. } => KnownFormat::PackageJson,
                        npm::Places::Lock { .. } => KnownFormat::PackageLock,
                        npm::Places::Pnpm { .. } => KnownFormat::HelmChart,
                    };
                    targets.push(Target {
                        spec: Cow::Owned(VersionFileSpec::new(companion.path, format)),
                        companion: true,
                        finder: Some(Finder::Npm(companion.places)),
                    });
                }
            }
            VersionFileKind::Known(KnownFormat::Cargo) => {
                let manifest = normalize(spec.path());
                let (companions, read) = if spec.follow() == Follow::Alone {
                    cargo::lone_companions(root, &manifest)
                } else {
                    cargo::companions(root, &manifest, spec.excepted())
                };
                consulted.extend(read);
                for companion in companions {
                    targets.push(Target {
                        spec: Cow::Owned(VersionFileSpec::new(companion.path, KnownFormat::Cargo)),
                        companion: true,
                        finder: Some(Finder::Cargo(companion.places)),
                    });
                }
            }
            VersionFileKind::Known(KnownFormat::Pyproject) => {
                for (lock, entry) in pylock::companions(root, &normalize(spec.path())) {
                    if !listed(&lock) {
                        targets.push(Target {
                            spec: Cow::Owned(VersionFileSpec::new(lock, KnownFormat::Cargo)),
                            companion: true,
                            finder: Some(Finder::PythonLock(entry)),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    (targets, consulted)
}

/// Drops `.` components so `./Cargo.toml` and `Cargo.toml` are one file.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|component| *component != Component::CurDir)
        .collect()
}

fn load(display: &Path, full: PathBuf) -> Result<LoadedFile, FileError> {
    match read_bounded(&full, bounded::MAX_VERSION_FILE) {
        Ok(bytes) => Ok(LoadedFile {
            display: display.to_owned(),
            full,
            bytes,
        }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Err(FileError::Missing {
            path: display.to_owned(),
        }),
        Err(error) => Err(FileError::Read {
            path: display.to_owned(),
            source: atomic::without_path(error),
        }),
    }
}

/// What holds a version, in words, for [`FoundVersion::location`] and messages.
fn describe(kind: &VersionFileKind, label: &str) -> String {
    match kind {
        VersionFileKind::Known(KnownFormat::PlainText) => "the whole file".to_owned(),
        VersionFileKind::Pattern(pattern) => format!("the pattern `{}`", pattern.as_str()),
        _ => format!("`{label}`"),
    }
}

/// One file's text and the documents parsed from it, each parsed at most once.
struct Parsed<'t> {
    path: &'t Path,
    bom: usize,
    text: &'t str,
    toml: Option<toml::TomlDocument<'t>>,
    json: Option<jsonc_parser::ast::Value<'t>>,
    yaml: Option<yaml::YamlIndex>,
}

impl<'t> Parsed<'t> {
    fn new(path: &'t Path, bom: usize, text: &'t str) -> Self {
        Self {
            path,
            bom,
            text,
            toml: None,
            json: None,
            yaml: None,
        }
    }

    fn toml(&mut self) -> Result<&toml::TomlDocument<'t>, FileError> {
        if self.toml.is_none() {
            self.toml = Some(toml::parse(self.path, self.text)?);
        }
        Ok(self
            .toml
            .as_ref()
            .expect("the TOML document was just parsed"))
    }

    fn json(&mut self) -> Result<&jsonc_parser::ast::Value<'t>, FileError> {
        if self.json.is_none() {
            self.json = Some(json::parse(self.path, self.text)?);
        }
        Ok(self
            .json
            .as_ref()
            .expect("the JSON document was just parsed"))
    }

    fn yaml(&mut self) -> Result<&yaml::YamlIndex, FileError> {
        if self.yaml.is_none() {
            let scan = if self.path.ends_with("pnpm-lock.yaml") {
                yaml::scan_pnpm_lock
            } else {
                yaml::scan
            };
            self.yaml = Some(scan(self.path, self.text)?);
        }
        Ok(self
            .yaml
            .as_ref()
            .expect("the YAML document was just scanned"))
    }

    fn locate(&mut self, spec: &VersionFileSpec) -> Result<Vec<Location>, FileError> {
        let (path, text) = (self.path, self.text);
        match spec.kind() {
            VersionFileKind::Known(format) => match format {
                KnownFormat::Cargo => toml::locate_cargo(path, text, self.toml()?),
                KnownFormat::Pyproject => toml::locate_pyproject(path, text, self.toml()?),
                KnownFormat::SetupCfg => ini::locate_setup_cfg(path, text),
                KnownFormat::SetupPy => python::locate_setup_py(path, text),
                KnownFormat::PythonModule => python::locate_module(path, text),
                KnownFormat::RubyVersion => ruby::locate(path, text),
                KnownFormat::RubyGemVersion => gem_constants::locate(path, text),
                KnownFormat::PackageJson => json::locate_package(path, text, self.json()?),
                KnownFormat::PackageLock => json::locate_lock(path, text, self.json()?),
                KnownFormat::HelmChart => {
                    let segments = ["version".to_owned()];
                    Ok(yaml::locate(path, self.yaml()?, &segments, "version")?
                        .into_iter()
                        .collect())
                }
                KnownFormat::MavenPom => xml::locate_pom(path, text, false),
                KnownFormat::MavenModule => xml::locate_pom(path, text, true),
                KnownFormat::Properties => Ok(properties::locate_version(path, text)?
                    .into_iter()
                    .collect()),
                KnownFormat::PlainText => Ok(plain::locate(text)),
            },
            VersionFileKind::Pattern(pattern) => pattern::locate(path, text, pattern),
            VersionFileKind::Key(key) => {
                let name = key.as_str();
                let found = match key.format() {
                    KeyFormat::Toml => {
                        return toml::locate_key(path, text, self.toml()?, key.segments(), name);
                    }
                    KeyFormat::Json => {
                        return json::locate_key(path, text, self.json()?, key.segments(), name);
                    }
                    KeyFormat::Yaml => yaml::locate(path, self.yaml()?, key.segments(), name)?,
                    KeyFormat::Properties => properties::locate(path, text, name)?,
                };
                found
                    .map(|location| vec![location])
                    .ok_or_else(|| FileError::KeyMissing {
                        path: path.to_owned(),
                        key: name.to_owned(),
                    })
            }
        }
    }
}
