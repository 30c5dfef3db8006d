//! The modules of a multi-module Maven build, as version files: a release moves every module
//! that carries the root's version together (its `<parent><version>`, its own `<version>` and
//! its dependencies on the project's own modules), as maven-release-plugin does. A module at
//! another version is released on its own and left alone; a module path that leaves the
//! repository is never read.

use std::path::{Component, Path, PathBuf};

use super::{KnownFormat, VersionFileSpec, xml};

/// How deep `<modules>` are followed below the root (modules of modules of …).
const MAX_DEPTH: usize = 4;

/// The `pom.xml` of every module (and nested module) that holds the root `pom.xml`'s version.
pub(super) fn reactor_modules(root: &Path) -> Vec<VersionFileSpec> {
    let spec = VersionFileSpec::new("pom.xml", KnownFormat::MavenPom);
    match super::read(root, &[spec]) {
        Ok(found) => found
            .first()
            .map(|version| modules(root, &version.value))
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// The `pom.xml` of every module (and nested module) that holds the root's version `version`.
fn modules(root: &Path, version: &str) -> Vec<VersionFileSpec> {
    let mut found = Vec::new();
    collect(root, Path::new(""), version, 0, &mut found);
    found
}

fn collect(
    root: &Path,
    folder: &Path,
    version: &str,
    depth: usize,
    found: &mut Vec<VersionFileSpec>,
) {
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(text) = super::read_text_bounded(
        &root.join(folder).join("pom.xml"),
        super::bounded::MAX_VERSION_FILE,
    ) else {
        return;
    };
    for module in xml::pom_modules(&text) {
        let Some(child) = inside(folder, &module) else {
            continue;
        };
        let pom = child.join("pom.xml");
        if found.iter().any(|spec| spec.path() == pom) || !within(root, &pom) {
            continue;
        }
        let spec = VersionFileSpec::new(&pom, KnownFormat::MavenModule);
        let holds = super::read(root, std::slice::from_ref(&spec))
            .is_ok_and(|read| !read.is_empty() && read.iter().all(|f| f.value == version));
        if holds {
            found.push(spec);
        }
        collect(root, &child, version, depth + 1, found);
    }
}

/// Whether `path` (relative to `root`) resolves inside it: a module reached through a symbolic
/// link that leads out of the repository is not read.
pub(super) fn within(root: &Path, path: &Path) -> bool {
    match (
        fs_err::canonicalize(root),
        fs_err::canonicalize(root.join(path)),
    ) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// The module's folder relative to the root, or `None` when it names a file, is absolute or
/// climbs out of the repository.
fn inside(folder: &Path, module: &str) -> Option<PathBuf> {
    let module = Path::new(module.trim_end_matches('/'));
    if module.extension().is_some_and(|ext| ext == "xml") {
        return None;
    }
    let mut path = folder.to_owned();
    for component in module.components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !path.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!path.as_os_str().is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_stay_inside() {
        assert_eq!(inside(Path::new(""), "gson"), Some(PathBuf::from("gson")));
        assert_eq!(inside(Path::new("a"), "../b/"), Some(PathBuf::from("b")));
        assert_eq!(inside(Path::new(""), "../x"), None);
        assert_eq!(inside(Path::new(""), "/etc"), None);
        assert_eq!(inside(Path::new(""), "."), None);
        assert_eq!(inside(Path::new(""), "m/pom-java8.xml"), None);
    }

    #[test]
    fn modules_at_the_root_s_version_inside_the_repository_are_found() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let module = |version: &str| {
            format!(
                "<project><parent><artifactId>p</artifactId><version>{version}</version></parent></project>"
            )
        };
        fs_err::write(
            root.join("pom.xml"),
            "<project><artifactId>p</artifactId><version>1.0-SNAPSHOT</version><modules>\
             <module>core</module><module>old</module><module>../x</module><module>linked</module>\
             </modules></project>",
        )
        .unwrap();
        for (folder, version) in [("core", "1.0-SNAPSHOT"), ("old", "0.9")] {
            fs_err::create_dir_all(root.join(folder)).unwrap();
            fs_err::write(root.join(folder).join("pom.xml"), module(version)).unwrap();
        }
        fs_err::write(outside.path().join("pom.xml"), module("1.0-SNAPSHOT")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
        let found: Vec<PathBuf> = modules(root, "1.0-SNAPSHOT")
            .iter()
            .map(|spec| spec.path().to_owned())
            .collect();
        assert_eq!(found, [PathBuf::from("core/pom.xml")]);
    }
}
