//! Where a Python project keeps `__version__`: the module its build configuration names (a
//! setuptools `attr`, a file, flit's module), looked for at the top, in `src/` and in the folders
//! setuptools is told the packages are in (SQLAlchemy's `lib/`), else its package's version
//! module.

use std::path::{Path, PathBuf};

use toml_edit::Item;

use super::detect::{VersionSource, probe, push_new};
use super::toml::TomlDocument;
use super::{KnownFormat, VersionFileSpec, python};

/// Package folder names that are never the project's package.
const NOT_PACKAGES: &[&str] = &[
    "tests",
    "test",
    "docs",
    "doc",
    "examples",
    "example",
    "build",
    "dist",
    "venv",
    "env",
    "node_modules",
    "scripts",
    "benchmarks",
    "bench",
];

/// The files of a package folder that may hold `__version__`, the source of truth first.
const MODULES: &[&str] = &["__init__.py", "__version__.py", "_version.py", "version.py"];

/// The Python module(s) holding the version: those the build configuration names, else the
/// package named like the project, else the only package that has a `__version__`. Returns the
/// module the configuration names when it builds the version in code.
pub(super) fn python_modules(
    root: &Path,
    roots: &[PathBuf],
    sources: &[VersionSource],
    names: &[String],
    files: &mut Vec<VersionFileSpec>,
) -> Option<String> {
    let mut names = names.to_vec();
    let mut resolved = false;
    let mut in_code = None;
    for source in sources {
        match source {
            VersionSource::File(path) => {
                let format =
                    KnownFormat::from_path(Path::new(path)).unwrap_or(KnownFormat::PlainText);
                if probe(root, path, format, |_| {}) == Some(true) {
                    // maturin's `Cargo.toml` may be listed already.
                    push_new(files, VersionFileSpec::new(path, format));
                    resolved = true;
                }
            }
            VersionSource::Attr(attr) => {
                if let Some(spec) = attr_spec(root, roots, attr) {
                    push_new(files, spec);
                    resolved = true;
                } else {
                    in_code = in_code.or_else(|| attr_module(root, roots, attr));
                }
            }
            VersionSource::Module(module) => names.insert(0, module.clone()),
            VersionSource::Vcs(_) => {}
        }
    }
    if resolved {
        return None;
    }
    for name in &names {
        let name = name.to_lowercase().replace(['-', '.'], "_");
        for folder in roots.iter().map(|parent| parent.join(&name)) {
            let found = package_modules(root, &folder);
            if !found.is_empty() {
                files.extend(found);
                return None;
            }
        }
    }
    let mut packages = Vec::new();
    for parent in roots {
        let Ok(entries) = fs_err::read_dir(root.join(parent)) else {
            continue;
        };
        let mut folders: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().join("__init__.py").is_file())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| !name.starts_with('.') && !NOT_PACKAGES.contains(&name.as_str()))
            .collect();
        folders.sort();
        for folder in folders {
            let found = package_modules(root, &parent.join(folder));
            if !found.is_empty() {
                packages.push(found);
            }
        }
    }
    if let [only] = packages.as_slice() {
        files.extend(only.iter().cloned());
        return None;
    }
    in_code
}

/// The version modules of one package folder.
fn package_modules(root: &Path, folder: &Path) -> Vec<VersionFileSpec> {
    MODULES
        .iter()
        .map(|module| folder.join(module))
        .filter(|path| probe(root, path, KnownFormat::PythonModule, |_| {}) == Some(true))
        .map(|path| VersionFileSpec::new(path, KnownFormat::PythonModule))
        .collect()
}

/// The folders setuptools is told the packages are in: `[tool.setuptools] package-dir` for the
/// top (`{"" = "lib"}`) and `[tool.setuptools.packages.find] where` (SQLAlchemy's `["lib"]`).
/// Only plain relative folders: nothing outside the repository.
pub(super) fn setuptools_package_roots(doc: &TomlDocument<'_>) -> Vec<PathBuf> {
    let setuptools = doc
        .as_item()
        .get("tool")
        .and_then(|tool| tool.get("setuptools"));
    let Some(setuptools) = setuptools else {
        return Vec::new();
    };
    let top = setuptools
        .get("package-dir")
        .and_then(|dirs| dirs.get(""))
        .and_then(Item::as_str);
    let found = setuptools
        .get("packages")
        .and_then(|packages| packages.get("find"))
        .and_then(|find| find.get("where"));
    let found = found
        .and_then(Item::as_array)
        .into_iter()
        .flat_map(|folders| folders.iter().filter_map(|folder| folder.as_str()));
    top.into_iter()
        .chain(found)
        .map(Path::new)
        .filter(|folder| {
            folder
                .components()
                .all(|part| matches!(part, std::path::Component::Normal(_)))
                && folder.components().next().is_some()
        })
        .map(Path::to_path_buf)
        .collect()
}

/// The files a setuptools `attr:` (`package.module.NAME`) may be defined in, under each package
/// root, and the name.
fn attr_candidates(roots: &[PathBuf], attr: &str) -> Option<(Vec<String>, String)> {
    let (module, name) = attr.rsplit_once('.')?;
    let module_path = module.replace('.', "/");
    let candidates = roots
        .iter()
        .flat_map(|parent| {
            [
                parent.join(&module_path).join("__init__.py"),
                parent.join(format!("{module_path}.py")),
            ]
        })
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    Some((candidates, name.to_owned()))
}

/// The module an `attr:` names, when it exists.
fn attr_module(root: &Path, roots: &[PathBuf], attr: &str) -> Option<String> {
    let (candidates, _) = attr_candidates(roots, attr)?;
    candidates
        .into_iter()
        .find(|candidate| root.join(candidate).is_file())
}

/// The file defining a setuptools `attr:` (`package.module.NAME`), as a spec.
fn attr_spec(root: &Path, roots: &[PathBuf], attr: &str) -> Option<VersionFileSpec> {
    let (candidates, name) = attr_candidates(roots, attr)?;
    let name = name.as_str();
    for candidate in candidates {
        if name == "__version__" {
            if probe(root, &candidate, KnownFormat::PythonModule, |_| {}) == Some(true) {
                return Some(VersionFileSpec::new(candidate, KnownFormat::PythonModule));
            }
            continue;
        }
        let Ok(text) =
            super::read_text_bounded(&root.join(&candidate), super::bounded::MAX_VERSION_FILE)
        else {
            continue;
        };
        let spec = python::assignment_pattern(&text, name)
            .and_then(|pattern| VersionFileSpec::pattern(&candidate, &pattern).ok());
        if spec.is_some() {
            return spec;
        }
    }
    None
}
