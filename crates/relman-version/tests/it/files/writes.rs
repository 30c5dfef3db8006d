//! Atomic writes and applying planned edits.

use std::path::Path;

use relman_version::files::{self, FileEdit, FileError, VersionFileSpec};

use super::project;

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs_err::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn write_atomic_replaces_and_creates_without_leftovers() {
    let root = project(&[("a.txt", "old\n")]);
    files::write_atomic(&root.path().join("a.txt"), b"new\n").unwrap();
    files::write_atomic(&root.path().join("b.txt"), b"created").unwrap();
    assert_eq!(fs_err::read(root.path().join("a.txt")).unwrap(), b"new\n");
    assert_eq!(fs_err::read(root.path().join("b.txt")).unwrap(), b"created");
    assert_eq!(names(root.path()), ["a.txt", "b.txt"]);
}

#[cfg(unix)]
#[test]
fn write_atomic_keeps_permissions_and_symlinks() {
    use std::os::unix::fs::{PermissionsExt as _, symlink};

    let root = project(&[("real/setup.py", "x\n")]);
    let real = root.path().join("real/setup.py");
    fs_err::set_permissions(&real, std::fs::Permissions::from_mode(0o751)).unwrap();
    let link = root.path().join("setup.py");
    symlink("real/setup.py", &link).unwrap();

    files::write_atomic(&link, b"y\n").unwrap();
    assert!(
        fs_err::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs_err::read(&real).unwrap(), b"y\n");
    let mode = fs_err::metadata(&real).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o751);
    assert_eq!(names(&root.path().join("real")), ["setup.py"]);
}

#[test]
fn write_atomic_into_a_missing_folder_names_the_path() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("missing/VERSION");
    let error = files::write_atomic(&path, b"1.0").unwrap_err();
    assert!(matches!(error, FileError::Write { .. }), "{error}");
    assert!(error.to_string().contains("missing/VERSION"), "{error}");
}

fn plan(root: &Path) -> Vec<FileEdit> {
    let specs = [
        VersionFileSpec::known("VERSION").unwrap(),
        VersionFileSpec::known("pkg/__init__.py").unwrap(),
    ];
    files::plan_edits(root, &specs, "1.1").unwrap()
}

#[test]
fn apply_refuses_a_file_changed_since_planning() {
    let root = project(&[
        ("VERSION", "1.0\n"),
        ("pkg/__init__.py", "__version__ = '1.0'\n"),
    ]);
    let edits = plan(root.path());
    assert_eq!(edits.len(), 2);
    fs_err::write(
        root.path().join("pkg/__init__.py"),
        "__version__ = '1.0'  # edited\n",
    )
    .unwrap();
    let error = files::apply(&edits).unwrap_err();
    assert_eq!(
        format!("{error}\nhint: {}", error.hint().unwrap()),
        "`pkg/__init__.py` changed since the edit was planned\nhint: plan the release again"
    );
    // The first file had been rewritten: it is put back.
    assert_eq!(
        fs_err::read_to_string(root.path().join("VERSION")).unwrap(),
        "1.0\n"
    );
}

#[test]
fn apply_restores_earlier_files_when_a_write_fails() {
    let root = project(&[
        ("VERSION", "1.0\n"),
        ("pkg/__init__.py", "__version__ = '1.0'\n"),
    ]);
    let edits = plan(root.path());
    // The second file disappears and a folder takes its place.
    fs_err::remove_file(root.path().join("pkg/__init__.py")).unwrap();
    fs_err::create_dir_all(root.path().join("pkg/__init__.py")).unwrap();
    let error = files::apply(&edits).unwrap_err();
    assert!(matches!(error, FileError::Read { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("cannot read `pkg/__init__.py`: "),
        "{error}"
    );
    assert_eq!(
        fs_err::read_to_string(root.path().join("VERSION")).unwrap(),
        "1.0\n"
    );
}

#[test]
fn apply_reports_a_file_deleted_since_planning() {
    let root = project(&[
        ("VERSION", "1.0\n"),
        ("pkg/__init__.py", "__version__ = '1.0'\n"),
    ]);
    let edits = plan(root.path());
    fs_err::remove_file(root.path().join("VERSION")).unwrap();
    let error = files::apply(&edits).unwrap_err();
    assert_eq!(error.to_string(), "version file `VERSION` does not exist");
    assert_eq!(
        fs_err::read_to_string(root.path().join("pkg/__init__.py")).unwrap(),
        "__version__ = '1.0'\n"
    );
}

#[test]
fn a_version_written_with_a_v_keeps_it_in_every_format() {
    let root = project(&[
        ("app.yaml", "name: x\nversion: v1.24.0 # pinned\n"),
        ("tool.toml", "[tool]\nversion = \"v1.24.0\"\n"),
        ("app.json", "{\n  \"version\": \"v1.24.0\"\n}\n"),
        ("VERSION", "v1.24.0\n"),
    ]);
    let specs = [
        VersionFileSpec::key("app.yaml", "version").unwrap(),
        VersionFileSpec::key("tool.toml", "tool.version").unwrap(),
        VersionFileSpec::key("app.json", "version").unwrap(),
        VersionFileSpec::known("VERSION").unwrap(),
    ];
    let edits = files::plan_edits(root.path(), &specs, "1.25.0").unwrap();
    files::apply(&edits).unwrap();
    let read = |name: &str| fs_err::read_to_string(root.path().join(name)).unwrap();
    assert_eq!(read("app.yaml"), "name: x\nversion: v1.25.0 # pinned\n");
    assert_eq!(read("tool.toml"), "[tool]\nversion = \"v1.25.0\"\n");
    assert_eq!(read("app.json"), "{\n  \"version\": \"v1.25.0\"\n}\n");
    assert_eq!(read("VERSION"), "v1.25.0\n");
}
