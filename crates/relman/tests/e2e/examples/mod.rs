//! The shipped examples (`examples/NAME/`), each run end to end as its runbook would be: the
//! checked-in `relman.toml` installed in a fixture project that resembles the real one, against
//! the bare remote, the fakes and the real services of the [`World`]. Each module also checks
//! that the example's `RUNBOOK.md` is what `relman docs` renders from its config
//! (`RELMAN_BLESS=1` rewrites it).

mod crash;
mod fixture;
mod needs;
mod poetry_prerelease_docker;
mod python_circleci_wheels;
mod release_branch_cherry_pick;
mod signed_release_branch;
mod towncrier_pypi;

pub use fixture::assert_runbook_current;

use std::os::unix::process::CommandExt as _;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::plain::assert_exit;
use crate::world::{World, read_journal};

/// Each step's state in the journal, in order (`done`, `paused` …).
pub fn step_states(journal: &serde_json::Value) -> Vec<String> {
    journal["steps"]
        .as_array()
        .expect("the journal lists its steps")
        .iter()
        .map(|step| step["state"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Asserts that relman exited 3, paused on step `number` with the release paused.
#[track_caller]
pub fn assert_paused_on(world: &World, output: &Output, number: usize) {
    assert_exit(output, 3);
    let journal = world.journal().expect("a paused release has a journal");
    assert_eq!(journal["state"], "paused", "{journal:#}");
    let states = step_states(&journal);
    assert_eq!(
        states[number - 1],
        "paused",
        "paused on another step: {states:?}"
    );
    assert!(
        states[..number - 1]
            .iter()
            .all(|state| state == "done" || state == "skipped"),
        "{states:?}"
    );
}

/// Asserts that relman exited 0 with every step of the release done.
#[track_caller]
pub fn assert_all_done(world: &World, output: &Output) {
    assert_exit(output, 0);
    let journal = world
        .journal()
        .expect("a finished release keeps its journal");
    assert_eq!(journal["state"], "done", "{journal:#}");
    let states = step_states(&journal);
    assert!(states.iter().all(|state| state == "done"), "{states:?}");
}

/// Waits until `ready` gives a value, polling; panics with `what` after `timeout`.
pub fn wait_until<T>(what: &str, timeout: Duration, mut ready: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// How a relman run that a test may kill ended.
#[derive(Debug)]
pub enum Ended {
    /// It exited by itself with this code (its output is in `ended.log`).
    Exited(i32),
    /// The test killed it (SIGKILL) after the step it watched was done.
    Killed,
}

/// Runs `relman ARGS` and kills it with SIGKILL as soon as the journal records the first step
/// that was not done when it started as done: a crash right after that step (or, as relman goes
/// on at once, in the middle of the next one). The commands relman runs (git, make) die with it,
/// as when the machine or the CI job goes: relman runs in a process group of its own, and the
/// whole group is killed. Returns how it ended.
pub fn run_killed_after_next_step(world: &World, args: &[&str]) -> Ended {
    let dir = world.repo.path();
    let done_before = read_journal(dir)
        .filter(|journal| journal["state"] != "done")
        .map_or(0, |journal| {
            step_states(&journal)
                .iter()
                .take_while(|state| *state == "done" || *state == "skipped")
                .count()
        });
    let log = world.repo.root().join("ended.log");
    let mut child = world
        .relman_command(dir, args)
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(
            fs_err::File::create(&log)
                .expect("create the log")
                .into_parts()
                .0,
        )
        .spawn()
        .expect("spawn relman");
    let watched = done_before + 1;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().expect("poll relman") {
            return Ended::Exited(
                status
                    .code()
                    .expect("relman exited, not killed by a signal"),
            );
        }
        let done = read_journal(dir)
            .is_some_and(|journal| journal["steps"][watched - 1]["state"] == "done");
        if done {
            // SIGKILL: no handler runs, as in a power cut; `-PID` is the group relman leads.
            let killed = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status()
                .expect("run kill");
            assert!(killed.success(), "kill -KILL -{}", child.id());
            child.wait().expect("reap relman");
            return Ended::Killed;
        }
        assert!(
            Instant::now() < deadline,
            "relman ran for two minutes; log:\n{}",
            fs_err::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// What relman last wrote on stderr in [`run_killed_after_next_step`].
pub fn last_log(world: &World) -> String {
    fs_err::read_to_string(world.repo.root().join("ended.log")).unwrap_or_default()
}

/// The text of a mail's body with CRLF line ends made `\n` (bodies relman sends are 7bit).
pub fn mail_text(body: &str) -> String {
    body.replace("\r\n", "\n")
}
