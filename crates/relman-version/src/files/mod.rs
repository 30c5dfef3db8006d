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
mod c_header;
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
mod parsed;
mod pattern;
mod plain;
mod properties;
mod pylock;
mod python;
mod python_modules;
mod requirements;
mod ruby;
mod spec;
mod spelling;
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
pub use spelling::{Spelling, WriteOptions, npm_spellings};
pub use value::{VALUE_PLACEHOLDER, ValuePlace, plan_value};
pub use xml::pom_artifact_id;

use parsed::Parsed;
use spelling::Written;
use text::{check_new_version, decode, line_of, looks_like_version, splice_each};

/// A version found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundVersion {
    /// The file, as configured (relative to the project root).
    pub path: PathBuf,
    /// The 1-based line the version is on.
    pub line: usize,
    /// What holds it, in words: "`package.version`", "the whole file", "the pattern `...`".
    pub location: String,
    /// The version, in the project's spelling: the text as written, or for a file that spells
    /// it its own way ([`Spelling`]) the project's version it spells.
    pub value: String,
    /// The text as written, when the file spells the version its own way (`8.2.0-alpha` for
    /// `8.2.0.alpha`, `1.2.3+4` for `1.2.3`).
    pub spelt: Option<String>,
}

impl fmt::Display for FoundVersion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}:{}: ", self.path.display(), self.line)?;
        match &self.spelt {
            Some(spelt) => write!(formatter, "{spelt}, spelling {}", self.value)?,
            None => write!(formatter, "{}", self.value)?,
        }
        write!(formatter, " ({})", self.location)
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
    places: Vec<Place>,
}

/// One place a version was found.
#[derive(Debug)]
struct Place {
    /// The file it is in (an index into `files`).
    file: usize,
    /// The byte span of the version in the file's bytes.
    span: Range<usize>,
    /// The part of the version the place holds when the file keeps it in parts
    /// (`gem_version.rb`).
    part: Option<gem_constants::Part>,
    /// How the place spells the version.
    written: Written,
    /// The version it holds, in the project's spelling.
    value: String,
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
                let version = gem_constants::found(display, cache.text, &locations)?;
                for location in locations {
                    let span = location.span.start + cache.bom..location.span.end + cache.bom;
                    places.push(Place {
                        file: index,
                        span,
                        part: location.part,
                        written: Written::AsIs,
                        value: version.value.clone(),
                    });
                }
                found.push(version);
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
                let truth = found
                    .first()
                    .map(|first: &FoundVersion| first.value.as_str());
                let (written, version) = spelling::read(target.spec.spelling(), value, truth);
                found.push(FoundVersion {
                    path: files[index].display.clone(),
                    line,
                    location: described,
                    value: version.clone(),
                    spelt: (version != value).then(|| value.to_owned()),
                });
                let span = location.span.start + cache.bom..location.span.end + cache.bom;
                places.push(Place {
                    file: index,
                    span,
                    part: None,
                    written,
                    value: version,
                });
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
        self.plan_with(new_version, &WriteOptions::default())
    }

    /// [`plan`](Self::plan), with what the caller knows of the project's spelling that a file
    /// may not show (its tags' zero padding).
    pub fn plan_with(
        &self,
        new_version: &str,
        options: &WriteOptions,
    ) -> Result<Vec<FileEdit>, FileError> {
        check_new_version(new_version)?;
        let mut edits = Vec::new();
        for (index, file) in self.files.iter().enumerate() {
            let mut spans: Vec<(Range<usize>, Option<gem_constants::Part>, Written)> = self
                .places
                .iter()
                // A place spelling the version its own way that holds it already is left as
                // it is: a build number is not counted twice.
                .filter(|place| {
                    place.file == index
                        && (place.written == Written::AsIs || place.value != new_version)
                })
                .map(|place| (place.span.clone(), place.part, place.written))
                .collect();
            // A file that writes its version with a `v` (`version: v1.24.0`) keeps the `v`: only
            // the version after it is replaced.
            let prefixed = |byte: u8| matches!(byte, b'v' | b'V');
            if !new_version.starts_with(['v', 'V']) {
                for (span, part, _) in &mut spans {
                    if part.is_none() && span.len() > 1 && prefixed(file.bytes[span.start]) {
                        span.start += 1;
                    }
                }
            }
            spans.sort_by_key(|(span, _, _)| (span.start, span.end));
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
            let after =
                if spans.iter().all(|(_, part, _)| part.is_none()) {
                    let mut replaced = Vec::with_capacity(spans.len());
                    for (span, _, written) in spans {
                        let old = String::from_utf8_lossy(&file.bytes[span.clone()]);
                        let text = spelling::write(written, new_version, &old, options)
                            .ok_or_else(|| FileError::InvalidNewVersion {
                                value: new_version.to_owned(),
                                reason: spelling::NOT_NPM,
                            })?;
                        check_new_version(&text)?;
                        replaced.push((span, text));
                    }
                    splice_each(&file.bytes, &replaced)
                } else {
                    let spans: Vec<_> = spans
                        .into_iter()
                        .map(|(span, part, _)| (span, part))
                        .collect();
                    gem_constants::splice(&file.display, &file.bytes, &spans, new_version)?
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
                            spec: Cow::Owned(
                                VersionFileSpec::new(path, KnownFormat::PackageLock)
                                    .spelt(spec.spelling()),
                            ),
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
                        spec: Cow::Owned(
                            VersionFileSpec::new(companion.path, format).spelt(spec.spelling()),
                        ),
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
