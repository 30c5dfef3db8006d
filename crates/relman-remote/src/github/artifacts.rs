//! Unpacking a downloaded artifact (a zip archive) into a folder, refusing entries whose paths
//! would land outside it (`../`, absolute paths): an archive is data from the network.

use std::io;
use std::path::{Path, PathBuf};

/// Extracts every file of `archive` under `dir`; returns the files written.
pub(super) fn unzip(archive: &Path, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let file = fs_err::File::open(archive).map_err(|error| error.to_string())?;
    let mut zip = zip::ZipArchive::new(io::BufReader::new(file))
        .map_err(|error| format!("not a zip archive: {error}"))?;
    let mut written = Vec::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(|error| error.to_string())?;
        let name = entry
            .name()
            .map_or_else(|_| format!("#{index}"), std::borrow::Cow::into_owned);
        let relative = entry
            .enclosed_name()
            .ok_or_else(|| format!("entry `{name}` would be written outside the folder"))?;
        let target = dir.join(relative);
        if entry.is_dir() {
            fs_err::create_dir_all(&target).map_err(|error| error.to_string())?;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs_err::create_dir_all(parent).map_err(|error| error.to_string())?;
        }
        let mut out = fs_err::File::create(&target).map_err(|error| error.to_string())?;
        io::copy(&mut entry, &mut out).map_err(|error| format!("unpacking `{name}`: {error}"))?;
        #[cfg(unix)]
        if let Some(mode) = entry.unix_mode() {
            use std::os::unix::fs::PermissionsExt;
            let permissions = std::fs::Permissions::from_mode(mode & 0o777);
            fs_err::set_permissions(&target, permissions).map_err(|error| error.to_string())?;
        }
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn files_are_unpacked_under_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        fs_err::write(
            &path,
            archive(&[("pkg.whl", b"wheel"), ("sub/pkg.tar.gz", b"sdist")]),
        )
        .unwrap();
        let out = dir.path().join("dist");
        let written = unzip(&path, &out).unwrap();
        assert_eq!(written, [out.join("pkg.whl"), out.join("sub/pkg.tar.gz")]);
        assert_eq!(fs_err::read(out.join("sub/pkg.tar.gz")).unwrap(), b"sdist");
    }

    #[test]
    fn escaping_entries_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        fs_err::write(&path, archive(&[("../evil", b"x")])).unwrap();
        let error = unzip(&path, &dir.path().join("dist")).unwrap_err();
        assert_eq!(error, "entry `../evil` would be written outside the folder");
        assert!(!dir.path().join("evil").exists());
        fs_err::write(&path, b"not a zip").unwrap();
        assert!(
            unzip(&path, dir.path())
                .unwrap_err()
                .starts_with("not a zip archive")
        );
    }
}
