//! Version files: byte-exact edits in every format, the errors a user can meet, detection of a
//! project's version files, and atomic writes.

mod bytes;
mod detect;
mod ecosystems;
mod errors;
mod npm_workspaces;
mod writes;
mod yaml_oracle;

use std::path::{Path, PathBuf};

use relman_version::files::FileError;

/// The outside tools the ecosystem tests run.
pub mod ecosystems_support {
    pub use super::ecosystems::relman_testkit_like::has;
    pub use super::ecosystems::tool;
}

/// A case folder under `tests/data/files/`.
fn data(case: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/files")
        .join(case)
}

/// Writes `files` (path, content) under a new temporary project root.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for (path, content) in files {
        write(root.path(), path, content.as_bytes());
    }
    root
}

fn write(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    fs_err::create_dir_all(path.parent().unwrap()).unwrap();
    fs_err::write(path, bytes).unwrap();
}

/// The error's message and hint, as a user reads them.
fn shown(error: &FileError) -> String {
    match error.hint() {
        Some(hint) => format!("error: {error}\nhint: {hint}"),
        None => format!("error: {error}"),
    }
}
