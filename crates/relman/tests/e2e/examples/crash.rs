//! The crash-at-every-step variant of an example: relman is killed with SIGKILL as soon as one
//! more step is recorded done in `.git/relman/journal.json`; then `relman resume` runs, and is
//! killed the same way after its next step, until the release finishes. relman may have started
//! the step after the one it finished, so some kills land in the middle of a step, which is the
//! point. Nothing in relman knows it is being tested: the watcher only reads the journal.
//!
//! Only relman dies: a command it was running (`make`, `git`) finishes on its own, as it does
//! when relman alone crashes, and the next `resume` starts once it has (the commands run in
//! relman's process group, which the watcher waits to be empty). Killing the commands too would
//! model a machine that loses power, where a `git add` cut short leaves `.git/index.lock` behind
//! and git asks a person to remove it.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::plain::assert_exit;
use crate::world::World;

use super::fixture::journal;

/// Runs `relman ARGS`, then `relman resume`, killing each after one more step is done, until a
/// run ends by itself (its exit code must be `code`) or is killed just after the release
/// finished. Returns, for each kill, how many steps were done.
#[track_caller]
pub fn run_crashing_after_each_step(world: &World, args: &[&str], code: i32) -> Vec<usize> {
    let mut kills = Vec::new();
    let mut args = args.to_vec();
    loop {
        match run_until_next_step(world, &args) {
            Ended::Killed { done } => {
                kills.push(done);
                let finished =
                    journal(&world.repo).is_none_or(|journal| journal["state"] == "done");
                if finished {
                    // Killed just after it finished: the journal says done, or went to the history.
                    assert_eq!(code, 0, "the release finished before the kill");
                    return kills;
                }
                args = vec!["resume"];
            }
            Ended::Exited(output) => {
                assert_exit(&output, code);
                return kills;
            }
        }
        assert!(kills.len() < 100, "the release never finished: {kills:?}");
    }
}

enum Ended {
    Killed { done: usize },
    Exited(Output),
}

/// The id of the release in the journal and how many of its steps are done.
fn progress(world: &World) -> Option<(String, usize)> {
    let journal = journal(&world.repo)?;
    let done = journal["steps"]
        .as_array()?
        .iter()
        .filter(|step| step["state"] == "done")
        .count();
    Some((journal["id"].as_str()?.to_owned(), done))
}

fn run_until_next_step(world: &World, args: &[&str]) -> Ended {
    let before = progress(world);
    let logs = tempfile::tempdir().expect("a folder for relman's output");
    let out_path = logs.path().join("stdout");
    let err_path = logs.path().join("stderr");
    let mut command: Command = world.relman_command(world.repo.path(), args);
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(
            fs_err::File::create(&out_path)
                .expect("stdout file")
                .into_parts()
                .0,
        )
        .stderr(
            fs_err::File::create(&err_path)
                .expect("stderr file")
                .into_parts()
                .0,
        )
        .spawn()
        .expect("spawn relman");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for relman") {
            return Ended::Exited(Output {
                status,
                stdout: fs_err::read(&out_path).unwrap_or_default(),
                stderr: fs_err::read(&err_path).unwrap_or_default(),
            });
        }
        if let Some((id, done)) = progress(world) {
            let baseline = match &before {
                Some((before_id, before_done)) if *before_id == id => *before_done,
                _ => 0,
            };
            if done > baseline {
                child.kill().expect("SIGKILL relman");
                child.wait().expect("reap the killed relman");
                wait_for_group_to_end(child.id());
                return Ended::Killed { done };
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "relman ran for two minutes without finishing a step\n{}",
            String::from_utf8_lossy(&fs_err::read(&out_path).unwrap_or_default())
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Waits until no process of the group relman led is left running (the commands it started
/// ended; an ended one may stay a zombie until init reaps it, which does not count).
fn wait_for_group_to_end(pgid: u32) {
    let started = Instant::now();
    while group_is_running(pgid) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the commands relman started were still running two minutes after it was killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Whether a process of group `pgid` is alive and not a zombie, from `/proc/PID/stat`
/// (`pid (comm) state ppid pgrp ...`, where `comm` may hold spaces and parentheses).
fn group_is_running(pgid: u32) -> bool {
    let Ok(entries) = fs_err::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let Ok(stat) = fs_err::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        let Some((_, after_comm)) = stat.rsplit_once(')') else {
            return false;
        };
        let fields: Vec<&str> = after_comm.split_whitespace().collect();
        matches!(fields.as_slice(), [state, _, group, ..]
            if group.parse::<u32>() == Ok(pgid) && *state != "Z" && *state != "X")
    })
}
