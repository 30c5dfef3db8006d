//! Writing user files so that a crash or a full disk never leaves half a file: the bytes go to a
//! temporary file in the same directory, are flushed to disk, and replace the original by a
//! rename. The original's permissions are kept, and a symbolic link is written through (its
//! target is replaced, the link stays). A temporary file that a killed write left behind is
//! removed by the next write of the same file.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::{FileEdit, FileError};

/// Replaces (or creates) `path` with `bytes` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let write_error = |source: io::Error| FileError::Write {
        path: path.to_owned(),
        source: without_path(source),
    };
    let target = match fs_err::canonicalize(path) {
        Ok(target) => target,
        Err(error) if error.kind() == io::ErrorKind::NotFound => path.to_owned(),
        Err(error) => return Err(write_error(error)),
    };
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let permissions = fs_err::metadata(&target)
        .ok()
        .map(|meta| meta.permissions());
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |name| name.to_string_lossy());
    let prefix = format!(".{name}.");
    remove_leftovers(&directory, &prefix);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    if permissions.is_none() {
        // A new file gets the usual mode; the process umask still applies at creation.
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(&directory).map_err(write_error)?;
    temporary.write_all(bytes).map_err(write_error)?;
    if let Some(permissions) = permissions {
        temporary
            .as_file()
            .set_permissions(permissions)
            .map_err(write_error)?;
    }
    temporary.as_file().sync_all().map_err(write_error)?;
    temporary
        .persist(&target)
        .map_err(|error| write_error(error.error))?;
    sync_directory(&directory).map_err(write_error)
}

const TEMPORARY_SUFFIX: &str = ".relman-tmp";

/// Removes the temporary files (`.NAME.XXXXXX.relman-tmp`) of earlier writes of the same file
/// that were killed before their rename: left there, they are untracked files in the user's work
/// tree after a resumed release. Writes of one file are never concurrent (relman holds the
/// release lock of the clone), so any such file is a leftover. A failure to remove one is
/// ignored: a leftover is untidy, not wrong.
fn remove_leftovers(directory: &Path, prefix: &str) {
    let Ok(entries) = fs_err::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(TEMPORARY_SUFFIX) {
            let _ = fs_err::remove_file(entry.path());
        }
    }
}

/// Makes the rename itself durable.
#[cfg(unix)]
fn sync_directory(directory: &Path) -> io::Result<()> {
    fs_err::File::open(directory)?.sync_all()
}

#[cfg(not(unix))]
fn sync_directory(_directory: &Path) -> io::Result<()> {
    Ok(())
}

/// Writes planned edits, each atomically. A file that already holds the edit's result is left
/// alone (so applying twice is harmless); a file that changed since planning stops everything.
/// When a write fails, the files already rewritten are put back as they were.
pub fn apply(edits: &[FileEdit]) -> Result<(), FileError> {
    let mut written: Vec<&FileEdit> = Vec::new();
    for edit in edits {
        let result = apply_one(edit);
        match result {
            Ok(true) => written.push(edit),
            Ok(false) => {}
            Err(error) => return Err(roll_back(&written, error)),
        }
    }
    Ok(())
}

/// `Ok(true)` when the file was rewritten.
fn apply_one(edit: &FileEdit) -> Result<bool, FileError> {
    let current = match super::read_bounded(&edit.path, super::bounded::MAX_VERSION_FILE) {
        Ok(current) => current,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(FileError::Missing {
                path: edit.display_path.clone(),
            });
        }
        Err(error) => {
            return Err(FileError::Read {
                path: edit.display_path.clone(),
                source: without_path(error),
            });
        }
    };
    if current == edit.after {
        return Ok(false);
    }
    if current != edit.before {
        return Err(FileError::Changed {
            path: edit.display_path.clone(),
        });
    }
    write_atomic(&edit.path, &edit.after)?;
    Ok(true)
}

fn roll_back(written: &[&FileEdit], error: FileError) -> FileError {
    let left_changed: Vec<PathBuf> = written
        .iter()
        .filter(|edit| write_atomic(&edit.path, &edit.before).is_err())
        .map(|edit| edit.display_path.clone())
        .collect();
    if left_changed.is_empty() {
        error
    } else {
        FileError::Incomplete {
            source: Box::new(error),
            left_changed,
        }
    }
}

/// `fs_err` puts the path in its message (`failed to open file `PATH`: CAUSE`); our errors name
/// the path as configured already, so only the cause is kept.
pub(super) fn without_path(error: io::Error) -> io::Error {
    let message = error.to_string();
    match message.split_once("`: ") {
        Some((_, cause)) => io::Error::new(error.kind(), cause.to_owned()),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_removes_what_a_killed_write_of_the_same_file_left() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pyproject.toml");
        fs_err::write(&file, "version = \"1.0\"\n").unwrap();
        let leftover = dir.path().join(".pyproject.toml.Qj4anO.relman-tmp");
        let other = dir.path().join(".setup.py.Ab12Cd.relman-tmp");
        fs_err::write(&leftover, "version = \"1.1").unwrap();
        fs_err::write(&other, "half").unwrap();
        write_atomic(&file, b"version = \"1.1\"\n").unwrap();
        assert_eq!(
            fs_err::read_to_string(&file).unwrap(),
            "version = \"1.1\"\n"
        );
        assert!(!leftover.exists());
        assert!(
            other.exists(),
            "another file's write is not this one's to clean"
        );
        let names: Vec<String> = fs_err::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn io_errors_lose_the_fs_err_path() {
        let error = fs_err::read("/nonexistent/relman/file").unwrap_err();
        assert!(error.to_string().contains("/nonexistent"));
        let plain = without_path(error);
        assert_eq!(plain.kind(), io::ErrorKind::NotFound);
        assert!(!plain.to_string().contains("/nonexistent"), "{plain}");
    }
}
