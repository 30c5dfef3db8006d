//! Running the binary on a bare `TestRepo` (no fixture project), and snapshots of a whole folder
//! that prove a command wrote nothing. The release tests use `support::Fixture` instead.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use relman_testkit::TestRepo;

/// The relman binary under test.
pub fn relman_path() -> &'static str {
    env!("CARGO_BIN_EXE_relman")
}

/// Runs `relman ARGS` in the repository's work tree, sealed, without colours.
pub fn relman(repo: &TestRepo, args: &[&str]) -> Output {
    relman_in(repo, repo.path(), args)
}

pub fn relman_in(repo: &TestRepo, dir: &Path, args: &[&str]) -> Output {
    let mut command = repo.command(relman_path());
    command
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env("SOURCE_DATE_EPOCH", "1767225600");
    command.output().expect("run relman")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it differs.
#[track_caller]
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit code\nstdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Every file under `dir` (the work tree and `.git` alike) with its bytes: comparing two of
/// these proves a command changed nothing on disk, refs, objects and index included.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        for entry in fs_err::read_dir(&current).expect("read a directory of the snapshot") {
            let entry = entry.expect("read a directory entry");
            let path = entry.path();
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let relative = path
                    .strip_prefix(dir)
                    .expect("below the root")
                    .display()
                    .to_string();
                files.insert(
                    relative,
                    fs_err::read(&path).expect("read a file of the snapshot"),
                );
            }
        }
    }
    files
}

/// Asserts that two snapshots are equal, naming the files that differ.
#[track_caller]
pub fn assert_unchanged(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) {
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert!(changed.is_empty(), "files changed: {changed:?}");
}
