//! Reading a user file with a bound: only a regular file (a symbolic link is followed to one) is
//! read, and at most a fixed number of bytes of it. A relman.toml, a version file, a changelog or
//! a fragment arrives with every clone, and a link to `/dev/zero`, a FIFO or a sparse file of a
//! terabyte must end in an error naming the file, not in relman growing until it is killed or
//! blocking forever on an open.
//!
//! The limits are far above what any real project has (the largest `package-lock.json` files are
//! tens of megabytes) and low enough that reading one never threatens the machine.

use std::io::{self, Read as _};
use std::path::Path;

/// `relman.toml`, `towncrier.toml`, templates: a real one is a few kilobytes.
pub const MAX_CONFIG_FILE: u64 = 1024 * 1024;
/// Version files, lock files included (`package-lock.json`, `Cargo.lock`, `uv.lock`).
pub const MAX_VERSION_FILE: u64 = 256 * 1024 * 1024;
/// Changelogs (the longest real ones are a few megabytes) and the journal.
pub const MAX_CHANGELOG: u64 = 64 * 1024 * 1024;
/// One news fragment, one runbook.
pub const MAX_FRAGMENT: u64 = 1024 * 1024;

/// The bytes of the regular file at `path`, at most `limit` of them. Errors keep the kind a
/// caller branches on (`NotFound`); a file that is not a regular one is `InvalidInput`, one that
/// is too large `FileTooLarge`, and their messages name the file and say why.
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let metadata = file.metadata()?;
    if metadata.len() > limit {
        return Err(too_large(path, limit));
    }
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| {
            io::Error::new(
                error.kind(),
                format!("cannot read `{}`: {error}", path.display()),
            )
        })?;
    if bytes.len() as u64 > limit {
        // It grew while being read (a file still being written, or one that lies about its size).
        return Err(too_large(path, limit));
    }
    Ok(bytes)
}

/// Opens `path` for reading if it is a regular file (a link is followed to one): for a caller
/// that streams it (hashing an artifact of any size) rather than reading it whole.
pub fn open_regular(path: &Path) -> io::Result<fs_err::File> {
    // Looked at before opening: opening a FIFO for reading blocks until a writer comes.
    let metadata = fs_err::metadata(path)?;
    check_regular(path, &metadata)?;
    let file = fs_err::File::open(path)?;
    // And again on what was opened, in case the path was swapped in between.
    check_regular(path, &file.metadata()?)?;
    Ok(file)
}

/// [`read_bounded`] as UTF-8 text; invalid UTF-8 is `InvalidData`, naming the file and where.
pub fn read_text_bounded(path: &Path, limit: u64) -> io::Result<String> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|error| {
        let (line, column) = line_and_column(error.as_bytes(), error.utf8_error().valid_up_to());
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "cannot read `{}`: it is not UTF-8 text (an invalid byte at line {line}, column {column})",
                path.display()
            ),
        )
    })
}

/// What went wrong, without the path: `fs_err` and this module write "… `PATH`: CAUSE", and a
/// caller that names the file itself shows only the cause.
pub fn cause(error: &io::Error) -> String {
    let message = error.to_string();
    match message.split_once("`: ") {
        Some((_, cause)) => cause.to_owned(),
        None => message,
    }
}

/// The 1-based line and column (in characters) of byte `offset`, which must follow valid UTF-8.
pub fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |index| index + 1);
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

fn check_regular(path: &Path, metadata: &std::fs::Metadata) -> io::Result<()> {
    if metadata.is_file() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "cannot read `{}`: it is {}, not a regular file",
            path.display(),
            describe(metadata)
        ),
    ))
}

fn describe(metadata: &std::fs::Metadata) -> &'static str {
    if metadata.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

fn too_large(path: &Path, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "cannot read `{}`: it is larger than {}, more than relman reads from one file",
            path.display(),
            human_size(limit)
        ),
    )
}

fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_refused_without_reading_it() {
        let error = read_bounded(Path::new("/dev/zero"), MAX_CONFIG_FILE).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            error.to_string(),
            "cannot read `/dev/zero`: it is a character device, not a regular file"
        );
    }

    #[test]
    fn a_link_to_a_device_is_refused_too() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("CHANGELOG.md");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let error = read_text_bounded(&link, MAX_CHANGELOG).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("a character device"), "{error}");
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("VERSION");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let error = read_bounded(&fifo, MAX_VERSION_FILE).unwrap_err();
        assert!(error.to_string().contains("a named pipe (FIFO)"), "{error}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_even_when_sparse() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("package.json");
        let file = fs_err::File::create(&path).unwrap();
        // A terabyte that takes no disk space.
        file.set_len(1 << 40).unwrap();
        let error = read_bounded(&path, MAX_VERSION_FILE).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        assert!(error.to_string().contains("larger than 256 MiB"), "{error}");
        fs_err::write(&path, "0123456789").unwrap();
        assert_eq!(read_bounded(&path, 10).unwrap(), b"0123456789");
        assert_eq!(
            read_bounded(&path, 9).unwrap_err().kind(),
            io::ErrorKind::FileTooLarge
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relman.toml");
        fs_err::write(&path, b"[project]\nname = \"d\xc3\xa9j\xff\"\n").unwrap();
        let error = read_text_bounded(&path, MAX_CONFIG_FILE).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().ends_with("line 2, column 12)"), "{error}");
        assert_eq!(
            read_bounded(Path::new("/nonexistent/relman"), 1)
                .unwrap_err()
                .kind(),
            io::ErrorKind::NotFound
        );
    }
}
