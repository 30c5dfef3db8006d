//! What every example test needs: its fixture project copied into the world's repository, runs
//! that assert their exit code and the step they paused on (read from the journal, not from
//! relman's output), the bare remote's refs, and the check that the checked-in `RUNBOOK.md` is
//! what `relman docs` renders from the example's `relman.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stdout};
use crate::world::{World, example_dir};

/// The fixture project of an example: `tests/data/examples/NAME/`.
pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/examples")
        .join(name)
}

/// Copies the fixture project into the work tree, keeping executable bits.
pub fn copy_fixture(world: &World, name: &str) {
    copy_tree(&fixture_dir(name), world.repo.path());
}

fn copy_tree(from: &Path, to: &Path) {
    fs_err::create_dir_all(to).expect("create a fixture folder");
    let mut entries: Vec<_> = fs_err::read_dir(from)
        .expect("read a fixture folder")
        .map(|entry| entry.expect("read a fixture entry"))
        .collect();
    entries.sort_by_key(fs_err::DirEntry::file_name);
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("fixture entry type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs_err::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// Runs relman and asserts its exit code.
#[track_caller]
pub fn run(world: &World, args: &[&str], code: i32) -> Output {
    let output = world.relman(args);
    assert_exit(&output, code);
    output
}

/// Runs relman, asserts that it paused (exit 3) and on which step, by number and title.
#[track_caller]
pub fn run_paused_at(world: &World, args: &[&str], number: usize, title: &str) -> Output {
    let output = run(world, args, 3);
    let (paused, paused_title) = paused_step(&world.repo).unwrap_or_else(|| {
        panic!(
            "exit 3 but no paused step in the journal\n{}",
            stdout(&output)
        )
    });
    assert_eq!(
        (paused, paused_title.as_str()),
        (number, title),
        "paused on another step\n{}",
        stdout(&output)
    );
    output
}

/// The step the release in progress is paused on: its number and title.
pub fn paused_step(repo: &TestRepo) -> Option<(usize, String)> {
    let journal = journal(repo)?;
    journal["steps"].as_array()?.iter().find_map(|step| {
        (step["state"] == "paused").then(|| {
            (
                step["number"].as_u64().unwrap_or_default() as usize,
                step["title"].as_str().unwrap_or_default().to_owned(),
            )
        })
    })
}

/// The journal of the release in progress, if any.
pub fn journal(repo: &TestRepo) -> Option<serde_json::Value> {
    let text = fs_err::read_to_string(repo.path().join(".git/relman/journal.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Every ref of the bare remote (`refs/heads/...`, `refs/tags/...`, peeled tags as `...^{}`)
/// and the object it names.
pub fn remote_refs(repo: &TestRepo) -> BTreeMap<String, String> {
    repo.git_in(repo.remote_path(), &["show-ref", "--dereference"])
        .lines()
        .filter_map(|line| {
            let (sha, name) = line.split_once(' ')?;
            Some((name.to_owned(), sha.to_owned()))
        })
        .collect()
}

/// The names of the remote's branches and tags.
pub fn remote_ref_names(repo: &TestRepo) -> Vec<String> {
    remote_refs(repo)
        .into_keys()
        .filter(|name| !name.ends_with("^{}"))
        .collect()
}

/// `git log --format=%s` of `range` in the work repository, newest first.
pub fn subjects(repo: &TestRepo, range: &str) -> Vec<String> {
    repo.git(&["log", "--format=%s", range])
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Asserts that `examples/NAME/RUNBOOK.md` is what `relman docs` renders from the example's
/// `relman.toml`. With `RELMAN_BLESS=1` it rewrites the file instead.
pub fn assert_runbook_current(name: &str) {
    let repo = TestRepo::new();
    let config = fs_err::read_to_string(example_dir(name).join("relman.toml"))
        .expect("read the example's relman.toml");
    repo.write("relman.toml", config);
    repo.commit("chore: add relman.toml");
    let output = relman(&repo, &["docs"]);
    assert_exit(&output, 0);
    let rendered = stdout(&output);
    let path = example_dir(name).join("RUNBOOK.md");
    if std::env::var_os("RELMAN_BLESS").is_some_and(|value| value == "1") {
        fs_err::write(&path, &rendered).expect("write RUNBOOK.md");
        return;
    }
    let checked_in = fs_err::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == rendered,
        "examples/{name}/RUNBOOK.md is not what `relman docs` renders from its relman.toml: \
         run the test again with RELMAN_BLESS=1 to refresh it\n--- checked in\n{checked_in}\n--- rendered\n{rendered}"
    );
}
