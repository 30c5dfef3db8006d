//! Repositories of several packages, released for real against the bare remote: a Cargo
//! workspace (a → b → c with version requirements and a lock file, checked against `cargo
//! set-version` and `cargo metadata --locked`), a Go repository of several modules, a mixed
//! repository (a root package with bare tags beside crates with `NAME-X.Y.Z` tags and a retired
//! crate's old tags), a crash in the middle of a run of five packages, the commands that list
//! and scope packages, and what the engine promises of every release (needs proven first, abort,
//! other checkouts) in a run of several.

mod cargo;
mod crash;
mod engine;
mod go;
mod mixed;
mod npm;
mod publish;
mod publish_pypi;

use std::path::Path;
use std::process::Command;

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stderr, stdout};

#[track_caller]
pub fn run(repo: &TestRepo, args: &[&str], code: i32) -> (String, String) {
    let output = relman(repo, args);
    assert_exit(&output, code);
    (stdout(&output), stderr(&output))
}

/// A program in `dir`; `Ok(stdout)` or its stderr.
pub fn tool(dir: &Path, program: &str, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap_or_else(|error| panic!("{program} did not start: {error}"));
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The tags on the remote, sorted.
pub fn remote_tags(repo: &TestRepo) -> Vec<String> {
    let mut tags: Vec<String> = repo
        .git(&["ls-remote", "--tags", &repo.remote_url()])
        .lines()
        .filter_map(|line| line.split('\t').nth(1))
        .filter(|name| !name.ends_with("^{}"))
        .map(|name| name.trim_start_matches("refs/tags/").to_owned())
        .collect();
    tags.sort();
    tags
}

/// The files the release commit changed, sorted.
pub fn released_files(repo: &TestRepo) -> Vec<String> {
    let mut files: Vec<String> = repo
        .git(&["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .map(str::to_owned)
        .collect();
    files.sort();
    files
}
