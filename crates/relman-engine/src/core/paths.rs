//! Paths a step takes from relman.toml stay inside the work tree it acts in (the repository, or
//! the `dir` checkout it names): relman.toml arrives with every clone, so a path in it must not
//! reach the maintainer's other files, whether by `..`, an absolute path or a symbolic link.

use std::path::{Component, Path, PathBuf};

use super::StepError;

/// `relative` under `root`, refused when it is absolute, climbs out with `..`, or passes
/// through a symbolic link that leads outside `root`. The file itself need not exist.
pub fn inside(root: &Path, relative: &str, what: &str) -> Result<PathBuf, StepError> {
    let outside = || {
        StepError::new(format!(
            "{what} `{relative}` is outside the work tree `{}`",
            root.display()
        ))
        .with_hint("name a path relative to the repository (or the step's `dir`), without `..`")
    };
    let path = Path::new(relative);
    if relative.is_empty()
        || path
            .components()
            .any(|part| !matches!(part, Component::Normal(_) | Component::CurDir))
    {
        return Err(outside());
    }
    let real_root = fs_err::canonicalize(root)
        .map_err(|error| StepError::new(format!("cannot read `{}`: {error}", root.display())))?;
    // The deepest part that exists, resolved (links included); the rest is plain names.
    let full = root.join(path);
    let mut existing = full.as_path();
    let mut rest = Vec::new();
    while fs_err::symlink_metadata(existing).is_err() {
        let Some(name) = existing.file_name() else {
            return Err(outside());
        };
        rest.push(name.to_owned());
        existing = existing.parent().ok_or_else(outside)?;
    }
    let mut resolved = fs_err::canonicalize(existing).map_err(|_| outside())?;
    if !resolved.starts_with(&real_root) {
        return Err(outside());
    }
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// `path` relative to the project's work tree when it is under it (how `abort` names files),
/// else as it is.
/// The folder of the package a step acts on (`publish`, `build`): its `path` option, else, in
/// a run of several packages, the package's own folder, else the repository's top; inside the
/// work tree either way.
pub fn package_folder(
    root: &Path,
    project: &crate::project::Project,
    path: Option<String>,
) -> Result<PathBuf, StepError> {
    let what = "the package's folder";
    match path {
        Some(path) => inside(root, &path, what),
        None => match project.current_package() {
            Some(package) if !package.path.as_os_str().is_empty() => {
                inside(root, &package.path.to_string_lossy(), what)
            }
            _ => Ok(root.to_path_buf()),
        },
    }
}

pub fn relative_to(project_root: &Path, path: &Path) -> PathBuf {
    let real_root = fs_err::canonicalize(project_root).unwrap_or_else(|_| project_root.to_owned());
    path.strip_prefix(&real_root)
        .or_else(|_| path.strip_prefix(project_root))
        .map_or_else(|_| path.to_owned(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_way_out() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("repo");
        fs_err::create_dir_all(root.join("sub")).unwrap();
        fs_err::write(outer.path().join("secret"), "x").unwrap();
        std::os::unix::fs::symlink(outer.path(), root.join("out")).unwrap();
        std::os::unix::fs::symlink(outer.path().join("secret"), root.join("link")).unwrap();
        for bad in [
            "../secret",
            "/etc/passwd",
            "out/secret",
            "link",
            "out/new/file",
            "",
        ] {
            assert!(
                inside(&root, bad, "the file").is_err(),
                "{bad} was let through"
            );
        }
        let real = fs_err::canonicalize(&root).unwrap();
        assert_eq!(
            inside(&root, "sub/new.txt", "f").unwrap(),
            real.join("sub/new.txt")
        );
        assert_eq!(inside(&root, "./a", "f").unwrap(), real.join("a"));
    }
}
