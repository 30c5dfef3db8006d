//! Finding the version files of a project that has no `version-files` configured.
//!
//! Only the project root is looked at, plus the Python package the project names, a
//! `version/VERSION`, a Go module's `version.go`, a Maven build's modules and a Gradle
//! convention plugin's script. A file is
//! proposed when it holds a version, or when reading it fails for another reason than "no
//! version here" (a parse error, two candidate versions), so that the later read reports the
//! problem instead of relman silently picking another file. The order is the source-of-truth
//! order: package manifests first, then the Python package's module, then `VERSION` files.
//!
//! Python build backends that compute the version are followed: hatch's `path`, setuptools'
//! `attr:`/`file:`, PDM's file source, flit's module, maturin's `Cargo.toml`; backends that take
//! it from git tags (setuptools-scm, hatch-vcs, ...) are reported so the caller uses tags.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use toml_edit::Item;

use super::ini::{self, Directive};
use super::python_modules::{python_modules, setuptools_package_roots};
use super::toml::{TomlDocument, declares_dynamic_version};
use super::{FileError, KnownFormat, Parsed, VersionFileSpec};

/// What [`detect`] found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Detection {
    /// The version files, the source of truth first.
    pub files: Vec<VersionFileSpec>,
    /// Whether the project looks like a Python project (the default scheme is then pep440).
    pub python: bool,
    /// The tool that computes the version from git tags, when the project declares one
    /// (`setuptools-scm`, `hatch-vcs` ...): the current version then comes from tags.
    pub version_from_tags: Option<String>,
    /// The module the build configuration takes the version from (`attr:`) when it builds the
    /// value in code (`'.'.join(parts)`): no file relman can write the version into.
    pub version_in_code: Option<String>,
    /// Whether the project is a Ruby gem (a `NAME.gemspec` at the top): its versions may follow
    /// RubyGems' rules rather than semver's (`8.1.3.1`, `8.1.0.beta1`).
    pub ruby: bool,
}

/// Where a `pyproject.toml` with a dynamic version says the version is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum VersionSource {
    /// A file holding the version, relative to the root.
    File(String),
    /// A Python attribute, `package.module.NAME`.
    Attr(String),
    /// The `__version__` of a module (flit).
    Module(String),
    /// Computed from git tags by this tool.
    Vcs(&'static str),
}

impl VersionSource {
    pub(super) fn describe(&self) -> String {
        match self {
            Self::File(path) => format!("`{path}`"),
            Self::Attr(attr) => format!("the module that defines `{attr}`"),
            Self::Module(module) => format!("the `__init__.py` of `{module}`"),
            Self::Vcs(tool) => format!("git tags ({tool})"),
        }
    }
}

fn string_at<'d>(doc: &'d TomlDocument<'_>, path: &[&str]) -> Option<&'d str> {
    let mut item: &Item = doc.as_item();
    for segment in path {
        item = item.get(segment)?;
    }
    item.as_str()
}

/// The version source a `pyproject.toml` declares for a dynamic version.
pub(super) fn pyproject_version_source(doc: &TomlDocument<'_>) -> Option<VersionSource> {
    let has = |path: &[&str]| {
        let mut item: &Item = doc.as_item();
        for segment in path {
            match item.get(segment) {
                Some(child) => item = child,
                None => return false,
            }
        }
        true
    };
    let backend = string_at(doc, &["build-system", "build-backend"]).unwrap_or_default();
    if string_at(doc, &["tool", "hatch", "version", "source"]) == Some("vcs") {
        return Some(VersionSource::Vcs("hatch-vcs"));
    }
    if let Some(path) = string_at(doc, &["tool", "hatch", "version", "path"]) {
        return Some(VersionSource::File(path.to_owned()));
    }
    let setuptools_version = ["tool", "setuptools", "dynamic", "version"];
    if let Some(attr) = string_at(doc, &[&setuptools_version[..], &["attr"]].concat()) {
        return Some(VersionSource::Attr(attr.to_owned()));
    }
    let file = doc
        .as_item()
        .get("tool")
        .and_then(|tool| tool.get("setuptools"))
        .and_then(|tool| tool.get("dynamic"))
        .and_then(|dynamic| dynamic.get("version"))
        .and_then(|version| version.get("file"));
    if let Some(file) = file {
        let first = file
            .as_str()
            .or_else(|| file.as_array().and_then(|files| files.get(0)?.as_str()));
        if let Some(first) = first {
            return Some(VersionSource::File(first.to_owned()));
        }
    }
    match string_at(doc, &["tool", "pdm", "version", "source"]) {
        Some("scm") => return Some(VersionSource::Vcs("pdm-backend")),
        Some("file") => {
            if let Some(path) = string_at(doc, &["tool", "pdm", "version", "path"]) {
                return Some(VersionSource::File(path.to_owned()));
            }
        }
        _ => {}
    }
    let dynamic_versioning = doc
        .as_item()
        .get("tool")
        .and_then(|tool| tool.get("poetry-dynamic-versioning"))
        .and_then(|table| table.get("enable"))
        .and_then(Item::as_bool);
    if dynamic_versioning == Some(true) {
        return Some(VersionSource::Vcs("poetry-dynamic-versioning"));
    }
    if has(&["tool", "setuptools_scm"]) || has(&["tool", "setuptools-scm"]) {
        return Some(VersionSource::Vcs("setuptools-scm"));
    }
    if has(&["tool", "versioningit"]) {
        return Some(VersionSource::Vcs("versioningit"));
    }
    if backend.starts_with("maturin") {
        return Some(VersionSource::File(maturin_manifest(doc)));
    }
    if backend.starts_with("flit") {
        let module = string_at(doc, &["tool", "flit", "module", "name"])
            .or_else(|| string_at(doc, &["project", "name"]))?;
        return Some(VersionSource::Module(module.to_owned()));
    }
    None
}

/// The crate maturin builds: `[tool.maturin] manifest-path`, else the root `Cargo.toml`.
fn maturin_manifest(doc: &TomlDocument<'_>) -> String {
    string_at(doc, &["tool", "maturin", "manifest-path"])
        .unwrap_or("Cargo.toml")
        .to_owned()
}

/// Finds the version files of the project at `root` (see the module documentation).
pub fn detect(root: &Path) -> Detection {
    let mut detection = Detection::default();
    let mut names: Vec<String> = Vec::new();
    let mut sources: Vec<VersionSource> = Vec::new();
    // Where the packages are: the top, `src`, and what setuptools is told (`lib`).
    let mut roots: Vec<PathBuf> = vec![PathBuf::new(), PathBuf::from("src")];

    let pyproject = probe(root, "pyproject.toml", KnownFormat::Pyproject, |parsed| {
        let Some(doc) = parsed.toml.as_ref() else {
            return;
        };
        detection.python |= ["project", "tool.poetry", "build-system"]
            .iter()
            .any(|key| {
                let mut item = doc.as_item();
                key.split('.').all(|segment| match item.get(segment) {
                    Some(child) => {
                        item = child;
                        true
                    }
                    None => false,
                })
            });
        names.extend(string_at(doc, &["project", "name"]).map(str::to_owned));
        for root in setuptools_package_roots(doc) {
            if !roots.contains(&root) {
                roots.push(root);
            }
        }
        names.extend(string_at(doc, &["tool", "poetry", "name"]).map(str::to_owned));
        match pyproject_version_source(doc) {
            // poetry-dynamic-versioning keeps a placeholder in `tool.poetry.version`.
            Some(VersionSource::Vcs(tool)) => {
                detection.version_from_tags = Some(tool.to_owned());
            }
            Some(source) if declares_dynamic_version(doc) => sources.push(source),
            _ => {}
        }
    });
    let pyproject = pyproject.map(|holds| holds && detection.version_from_tags.is_none());
    let setup_py = probe(root, "setup.py", KnownFormat::SetupPy, |parsed| {
        static NAME: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"\bname[ \t]*=[ \t]*['"]([A-Za-z0-9._-]+)['"]"#)
                .expect("the setup.py name expression is valid")
        });
        names.extend(
            NAME.captures(parsed.text)
                .map(|captures| captures[1].to_owned()),
        );
    });
    let setup_cfg = probe(root, "setup.cfg", KnownFormat::SetupCfg, |parsed| {
        names.extend(cfg_name(parsed.text));
        if let Ok(Some(Err(directive))) = ini::metadata_version(parsed.path, parsed.text) {
            sources.push(match directive {
                Directive::Attr(attr) => VersionSource::Attr(attr),
                Directive::File(file) => VersionSource::File(file),
            });
        }
    });
    detection.python |= setup_py.is_some() || setup_cfg.is_some();
    let mut files: Vec<VersionFileSpec> = Vec::new();
    for (found, name, format) in [
        (pyproject, "pyproject.toml", KnownFormat::Pyproject),
        (setup_py, "setup.py", KnownFormat::SetupPy),
        (setup_cfg, "setup.cfg", KnownFormat::SetupCfg),
    ] {
        if found == Some(true) {
            files.push(VersionFileSpec::new(name, format));
        }
    }
    for (name, format) in [
        ("Cargo.toml", KnownFormat::Cargo),
        ("package.json", KnownFormat::PackageJson),
    ] {
        if probe(root, name, format, |_| {}) == Some(true) {
            files.push(VersionFileSpec::new(name, format));
        }
    }

    if detection.python && detection.version_from_tags.is_none() {
        detection.version_in_code = python_modules(root, &roots, &sources, &names, &mut files);
    }
    // A maturin project whose `pyproject.toml` states the version keeps it in its crate too
    // (maturin checks they agree): that crate, and the workspace around it, move with it.
    if pyproject == Some(true)
        && let Some(manifest) = static_maturin_manifest(root)
        && probe(root, &manifest, KnownFormat::Cargo, |_| {}) == Some(true)
    {
        push_new(
            &mut files,
            VersionFileSpec::new(manifest, KnownFormat::Cargo),
        );
    }

    // A gem keeps its version in `lib/NAME/version.rb`, which its gemspec reads, or in a bare
    // `NAME_VERSION` file beside it (Rails' `RAILS_VERSION`, read by the gemspec and by its
    // gems' release tasks).
    let gems = gemspecs(root);
    detection.ruby = !gems.is_empty();
    for spec in gem_version_files(root, &gems) {
        push_new(&mut files, spec);
    }

    for (name, format) in [
        ("Chart.yaml", KnownFormat::HelmChart),
        ("pom.xml", KnownFormat::MavenPom),
        ("gradle.properties", KnownFormat::Properties),
        ("VERSION", KnownFormat::PlainText),
        ("VERSION.txt", KnownFormat::PlainText),
        ("version.txt", KnownFormat::PlainText),
    ] {
        if probe(root, name, format, |_| {}) == Some(true) {
            push_new(&mut files, VersionFileSpec::new(name, format));
        }
    }
    // A multi-module Maven build: the modules at the root's version move with it.
    if files.iter().any(|file| file.path() == Path::new("pom.xml")) {
        for spec in super::maven::reactor_modules(root) {
            push_new(&mut files, spec);
        }
    }
    // A Gradle build script (or convention plugin) assigning the version a literal.
    for spec in super::gradle::version_files(root) {
        push_new(&mut files, spec);
    }
    // Elixir, Dart, .NET, CMake, meson and autoconf builds holding one literal version.
    for spec in super::literal::version_files(root) {
        push_new(&mut files, spec);
    }
    // A C library's version header, its `#define`s written part by part.
    for spec in super::c_header::version_files(root, &files) {
        push_new(&mut files, spec);
    }
    // Below the root, where a build reads it: a `VERSION` in a `version/` folder (which a Go
    // package embeds, as terraform's does) and a Go module's `Version = "..."` constant.
    if probe(root, "version/VERSION", KnownFormat::PlainText, |_| {}) == Some(true) {
        push_new(
            &mut files,
            VersionFileSpec::new("version/VERSION", KnownFormat::PlainText),
        );
    }
    if root.join("go.mod").is_file() {
        for spec in go_version_files(root) {
            push_new(&mut files, spec);
        }
    }
    detection.files = files;
    detection
}

/// maturin's crate, for a `pyproject.toml` with a maturin backend and a static version.
fn static_maturin_manifest(root: &Path) -> Option<String> {
    let text = super::read_text_bounded(
        &root.join("pyproject.toml"),
        super::bounded::MAX_VERSION_FILE,
    )
    .ok()?;
    let doc = super::toml::parse(Path::new("pyproject.toml"), &text).ok()?;
    let backend = string_at(&doc, &["build-system", "build-backend"])?;
    (backend.starts_with("maturin") && string_at(&doc, &["project", "version"]).is_some())
        .then(|| maturin_manifest(&doc))
}

/// `[metadata] name` of a `setup.cfg`.
fn cfg_name(text: &str) -> Option<String> {
    let mut in_metadata = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_metadata = trimmed == "[metadata]";
        } else if in_metadata
            && let Some((key, value)) = trimmed.split_once(['=', ':'])
            && key.trim() == "name"
        {
            return Some(value.trim().to_owned());
        }
    }
    None
}

/// The gems whose `NAME.gemspec` is in `folder`: their names, sorted (none when it cannot be
/// listed).
pub fn gemspecs(folder: &Path) -> Vec<String> {
    let Ok(entries) = fs_err::read_dir(folder) else {
        return Vec::new();
    };
    let mut gems: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".gemspec").map(str::to_owned))
        .collect();
    gems.sort();
    gems
}

/// The `version.rb` of each gem whose `NAME.gemspec` is at the top: `lib/NAME/version.rb`, or
/// for a dashed name `lib/a/b/version.rb` (`rack-test`) or `lib/a_b/version.rb`.
/// And the `NAME_VERSION` file of each (`RAILS_VERSION` for `rails.gemspec`).
fn gem_version_files(root: &Path, gems: &[String]) -> Vec<VersionFileSpec> {
    let version_rb = gems.iter().filter_map(|gem| {
        [gem.clone(), gem.replace('-', "/"), gem.replace('-', "_")]
            .into_iter()
            .map(|folder| format!("lib/{folder}/version.rb"))
            .find(|path| probe(root, path, KnownFormat::RubyVersion, |_| {}) == Some(true))
            .map(|path| VersionFileSpec::new(path, KnownFormat::RubyVersion))
    });
    let bare = gems.iter().filter_map(|gem| {
        let path = format!("{}_VERSION", gem.to_ascii_uppercase().replace('-', "_"));
        (probe(root, &path, KnownFormat::PlainText, |_| {}) == Some(true))
            .then(|| VersionFileSpec::new(path, KnownFormat::PlainText))
    });
    let bare: Vec<VersionFileSpec> = bare.collect();
    // Gems in folders below that share the root's `NAME_VERSION` keep it in parts too (Rails'
    // `actioncable/lib/action_cable/gem_version.rb`): they move with it.
    let parts = if bare.is_empty() {
        Vec::new()
    } else {
        gem_constant_files(root)
    };
    version_rb.chain(bare).chain(parts).collect()
}

/// `FOLDER/lib/*/gem_version.rb` of each top-level folder holding a gemspec, sorted.
fn gem_constant_files(root: &Path) -> Vec<VersionFileSpec> {
    let folders = |dir: &Path| -> Vec<String> {
        let Ok(entries) = fs_err::read_dir(dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| !name.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    let mut found = Vec::new();
    for gem in folders(root) {
        if gemspecs(&root.join(&gem)).is_empty() {
            continue;
        }
        for module in folders(&root.join(&gem).join("lib")) {
            let path = format!("{gem}/lib/{module}/gem_version.rb");
            if probe(root, &path, KnownFormat::RubyGemVersion, |_| {}) == Some(true) {
                found.push(VersionFileSpec::new(path, KnownFormat::RubyGemVersion));
            }
        }
    }
    found
}

/// The Go files of the module at `root` holding one `Version = "..."` literal, as patterns.
fn go_version_files(root: &Path) -> Vec<VersionFileSpec> {
    super::go::FILES
        .iter()
        .filter(|path| super::maven::within(root, Path::new(path)))
        .filter_map(|path| {
            let text = super::read_text_bounded(&root.join(path), super::bounded::MAX_VERSION_FILE)
                .ok()?;
            let pattern = super::go::version_pattern(&text)?;
            VersionFileSpec::pattern(*path, &pattern).ok()
        })
        .collect()
}

pub(super) fn push_new(files: &mut Vec<VersionFileSpec>, spec: VersionFileSpec) {
    if !files.iter().any(|file| file.path() == spec.path()) {
        files.push(spec);
    }
}

/// Whether a root-relative file should be proposed: `None` when it does not exist, `Some(true)`
/// when it holds a version (or fails in a way the user must see), `Some(false)` when it holds
/// none. `inspect` sees the file's parsed form afterwards.
pub(super) fn probe(
    root: &Path,
    path: impl AsRef<Path>,
    format: KnownFormat,
    inspect: impl FnOnce(&Parsed<'_>),
) -> Option<bool> {
    let path = path.as_ref();
    let full = root.join(path);
    // A link that leads out of the repository is no version file of it.
    if !full.is_file() || !super::maven::within(root, path) {
        return None;
    }
    let Ok(bytes) = super::read_bounded(&full, super::bounded::MAX_VERSION_FILE) else {
        return Some(true);
    };
    let Ok((bom, text)) = super::text::decode(path, &bytes) else {
        return Some(true);
    };
    let mut parsed = Parsed::new(path, bom, text);
    let outcome = match parsed.locate(&VersionFileSpec::new(path, format)) {
        Ok(locations) => !locations.is_empty(),
        Err(
            FileError::NoVersion { .. }
            | FileError::VersionElsewhere { .. }
            | FileError::VersionFromTags { .. },
        ) => false,
        Err(_) => true,
    };
    inspect(&parsed);
    Some(outcome)
}
