//! Knowing the processes a command left behind. Two cases need it:
//!
//! - relman was killed while a `run` step's command ran: the command lives on as an orphan, and
//!   `resume` must not start it a second time beside it (an `idempotent` step is re-run only once
//!   the first one has ended). The step records the child's identity ([`identify`]: pid and start
//!   time, so a recycled pid is not mistaken for it) before waiting on it, and the executor asks
//!   [`still_running`] on resume.
//! - a command timed out, but a process it started left the process group (`setsid`) while
//!   holding the output pipe open: killing the group does not reach it, and reading until the pipe
//!   closes would wait for it forever. The processes that hold the pipe's write end are found by
//!   the pipe's identity in `/proc` ([`pipe_ids`], [`kill_pipe_holders`]) and killed; what cannot
//!   be found (no `/proc`, another user) is left, and relman stops reading anyway.

use std::process::Child;

/// The identity of a started command: `PID:START` (start time in clock ticks since boot, from
/// `/proc`), with `:group` when it leads its own process group.
pub fn identify(child: &Child, own_group: bool) -> String {
    let pid = child.id();
    let start = start_time(pid).unwrap_or_default();
    let group = if own_group { ":group" } else { "" };
    format!("{pid}:{start}{group}")
}

/// Whether the command `identity` names, or a process of its group, still runs.
pub fn still_running(identity: &str) -> bool {
    let mut parts = identity.split(':');
    let Some(pid) = parts.next().and_then(|pid| pid.parse::<u32>().ok()) else {
        return false;
    };
    let start = parts.next().unwrap_or_default();
    let own_group = parts.next() == Some("group");
    let same_process = match start_time(pid) {
        Some(now) => !start.is_empty() && now == start,
        // No `/proc`: the pid alone says it (a recycled one errs on the side of waiting).
        None => !cfg!(target_os = "linux") && signal_zero(pid, false),
    };
    same_process || (own_group && signal_zero(pid, true))
}

/// The start time of a live (not zombie) process, from `/proc/PID/stat`.
fn start_time(pid: u32) -> Option<String> {
    let stat = fs_err::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `PID (COMM) STATE PPID …`: COMM may hold spaces and parentheses, so split after the last `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    if matches!(fields.first(), Some(&("Z" | "X"))) {
        return None;
    }
    // Field 22 of the file is the 20th after the command name.
    fields.get(19).map(|start| (*start).to_owned())
}

#[cfg(unix)]
fn signal_zero(pid: u32, group: bool) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    if group {
        rustix::process::test_kill_process_group(pid).is_ok()
    } else {
        rustix::process::test_kill_process(pid).is_ok()
    }
}

#[cfg(not(unix))]
fn signal_zero(_pid: u32, _group: bool) -> bool {
    false
}

/// The identities (`pipe:[INODE]`) of the child's output pipes, read before they are handed to
/// the reader threads.
pub fn pipe_ids(child: &Child) -> Vec<String> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let fds = [
            child.stdout.as_ref().map(AsRawFd::as_raw_fd),
            child.stderr.as_ref().map(AsRawFd::as_raw_fd),
        ];
        fds.into_iter()
            .flatten()
            .filter_map(|fd| fs_err::read_link(format!("/proc/self/fd/{fd}")).ok())
            .map(|target| target.to_string_lossy().into_owned())
            .filter(|target| target.starts_with("pipe:"))
            .collect()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = child;
        Vec::new()
    }
}

/// Kills (SIGKILL) every other process holding one of `pipes` open; returns how many.
pub fn kill_pipe_holders(pipes: &[String]) -> usize {
    if pipes.is_empty() {
        return 0;
    }
    let own = std::process::id();
    let Ok(entries) = fs_err::read_dir("/proc") else {
        return 0;
    };
    let mut killed = 0;
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == own || !holds_any(pid, pipes) {
            continue;
        }
        #[cfg(unix)]
        if let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
            && rustix::process::kill_process(pid, rustix::process::Signal::KILL).is_ok()
        {
            killed += 1;
        }
    }
    killed
}

fn holds_any(pid: u32, pipes: &[String]) -> bool {
    let Ok(fds) = fs_err::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        fs_err::read_link(fd.path())
            .is_ok_and(|target| pipes.iter().any(|pipe| target.as_os_str() == pipe.as_str()))
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_running_command_is_known_until_it_ends() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let identity = identify(&child, false);
        assert!(still_running(&identity), "{identity}");
        // The same pid with another start time is another process.
        let (pid, _) = identity.split_once(':').unwrap();
        assert!(!still_running(&format!("{pid}:1")));
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!still_running(&identity));
        assert!(!still_running("not a pid"));
    }
}
