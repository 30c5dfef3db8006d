//! Conventional commits, release notes, rendering and changelog documents.

mod conventional;
mod document;
mod keep_a_changelog;
mod markdown;
mod template;

use std::path::PathBuf;

/// A file under `tests/data/changelogs/`.
fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/changelogs")
        .join(name)
}

/// Compares `actual` with the bytes of an expected file under `tests/data/changelogs/`. With
/// `RELMAN_BLESS=1` the file is (re)written instead, to be reviewed in the diff.
fn expect_file(name: &str, actual: &str) {
    let path = data(name);
    if std::env::var_os("RELMAN_BLESS").is_some_and(|v| v == "1") {
        fs_err::create_dir_all(path.parent().unwrap()).unwrap();
        fs_err::write(&path, actual).unwrap();
        return;
    }
    let expected = fs_err::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{e}; run with RELMAN_BLESS=1 to create it"));
    assert!(
        expected == actual,
        "{name} differs\n--- expected\n{expected}\n--- actual\n{actual}\n---"
    );
}
