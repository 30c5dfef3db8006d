//! Running a project command for a `run` step: argv without a shell (or `sh -c` with
//! `shell = true`), its output streamed line by line as it comes, a timeout that kills it, and an
//! error that carries the command line and the end of its output.
//!
//! The command is done when it exits, not when its output pipes close: a process it started in
//! the background (a server, a daemon that left the group with `setsid`) may hold them open for
//! ever. Once it has exited, relman reads what is left for a moment, then stops reading. At the
//! timeout, the command's process group is killed, and so is every process still holding its
//! output pipes (`liveness`), and relman stops reading whatever it could not kill.

mod liveness;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub(crate) use liveness::still_running;

use super::error::StepError;

/// How a command ended.
#[derive(Debug)]
pub struct Finished {
    pub code: Option<i32>,
    /// Its standard output, whole (for `{steps.ID.stdout}`), capped.
    pub stdout: String,
}

/// What a running command reports.
#[derive(Debug)]
pub(crate) enum Observed<'a> {
    /// It started; its identity, for [`still_running`].
    Started(&'a str),
    /// A line of its stdout or stderr.
    Line(&'a str),
}

const STDOUT_CAP: usize = 64 * 1024;
/// The longest line read at once from a command's output.
const MAX_LINE: u64 = 64 * 1024;
/// How long output is still read after the command exited, for what is left in the pipes.
const DRAIN_AFTER_EXIT: Duration = Duration::from_secs(2);

/// Runs `argv` in `cwd` with extra `env`, calling `on_line` for every line of stdout and stderr
/// as it arrives. Fails on a non-zero exit, a signal, or `timeout`.
pub fn run_command(
    argv: &[String],
    cwd: &Path,
    env: &[(String, String)],
    timeout: Option<Duration>,
    mut on_line: impl FnMut(&str),
) -> Result<Finished, StepError> {
    run_command_observed(argv, cwd, env, timeout, |observed| {
        if let Observed::Line(line) = observed {
            on_line(line);
        }
    })
}

/// [`run_command`], also reporting the command's identity once it started.
pub(crate) fn run_command_observed(
    argv: &[String],
    cwd: &Path,
    env: &[(String, String)],
    timeout: Option<Duration>,
    mut observe: impl FnMut(Observed<'_>),
) -> Result<Finished, StepError> {
    let rendered = shell_words::join(argv);
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| StepError::new("the command is empty"))?;
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    // A command with a time limit runs in its own process group, so that on timeout its
    // children (what `sh -c` or `make` started) are stopped with it; otherwise they would keep
    // the output pipes open and relman would wait for them regardless. Without a limit it stays
    // in relman's group, where a Ctrl-C on the terminal reaches it.
    #[cfg(unix)]
    if timeout.is_some() {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|error| {
        let hint = if error.kind() == std::io::ErrorKind::NotFound {
            format!("`{program}` is not on PATH; install it, or give its full path")
        } else {
            format!("check that `{}` exists", cwd.display())
        };
        StepError::new(format!(
            "cannot start `{rendered}` in `{}`: {error}",
            cwd.display()
        ))
        .with_hint(hint)
    })?;
    observe(Observed::Started(&liveness::identify(
        &child,
        timeout.is_some(),
    )));
    let pipes = liveness::pipe_ids(&child);
    let (sender, receiver) = mpsc::channel::<(bool, String)>();
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|out| (true, Box::new(out) as Box<dyn Read + Send>)),
        child
            .stderr
            .take()
            .map(|err| (false, Box::new(err) as Box<dyn Read + Send>)),
    ]
    .into_iter()
    .flatten()
    .map(|(is_stdout, stream)| {
        let sender = sender.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut buffer = Vec::new();
            // A line is cut every 64 KiB: output without newlines must not grow without end.
            while (&mut reader)
                .take(MAX_LINE)
                .read_until(b'\n', &mut buffer)
                .unwrap_or(0)
                > 0
            {
                let line = String::from_utf8_lossy(&buffer)
                    .trim_end_matches(['\n', '\r'])
                    .to_owned();
                // Once relman stopped reading (a background process kept the pipe open), the
                // rest is drained and dropped: closing the pipe would kill that process with
                // SIGPIPE at its next write, blocking it would stop it at a full pipe.
                let _ = sender.send((is_stdout, line));
                buffer.clear();
            }
        })
    })
    .collect();
    drop(sender);
    let started = Instant::now();
    let mut stdout = String::new();
    let mut timed_out = false;
    let mut exited: Option<(std::process::ExitStatus, Instant)> = None;
    let mut held_open = false;
    loop {
        if exited.is_none()
            && let Ok(Some(status)) = child.try_wait()
        {
            exited = Some((status, Instant::now()));
        }
        let mut wait = Duration::from_millis(100);
        if let Some((_, at)) = exited {
            match DRAIN_AFTER_EXIT.checked_sub(at.elapsed()) {
                Some(left) => wait = wait.min(left),
                None => {
                    held_open = true;
                    break;
                }
            }
        } else if let Some(limit) = timeout {
            match limit.checked_sub(started.elapsed()) {
                Some(left) => wait = wait.min(left),
                None => {
                    timed_out = true;
                    break;
                }
            }
        }
        match receiver.recv_timeout(wait) {
            Ok((is_stdout, line)) => {
                if is_stdout && stdout.len() < STDOUT_CAP {
                    stdout.push_str(&line);
                    stdout.push('\n');
                }
                observe(Observed::Line(&line));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    if timed_out {
        #[cfg(unix)]
        let _ = rustix::process::kill_process_group(
            rustix::process::Pid::from_child(&child),
            rustix::process::Signal::KILL,
        );
        let _ = child.kill();
        let _ = child.wait();
        // A process that left the group (`setsid`) but holds the output open is found by the
        // pipe; the reader threads are not waited for, whatever could not be killed.
        let killed = liveness::kill_pipe_holders(&pipes);
        drop(readers);
        let limit = timeout.unwrap_or_default();
        let also = if killed > 0 {
            format!(
                " (with {killed} process{} it started outside its group, holding its output open)",
                if killed == 1 { "" } else { "es" }
            )
        } else {
            String::new()
        };
        return Err(StepError::new(format!(
            "`{rendered}` did not finish within {}s and was stopped{also}",
            limit.as_secs()
        ))
        .with_hint(
            "raise the step's `timeout`, or find out why it hangs; `relman resume` runs it again",
        ));
    }
    if held_open {
        observe(Observed::Line(
            "(relman stopped reading: the command exited, but a process it started still holds its output open)",
        ));
        drop(readers);
    } else {
        for reader in readers {
            let _ = reader.join();
        }
    }
    let status = match exited {
        Some((status, _)) => status,
        None => child
            .wait()
            .map_err(|error| StepError::new(format!("`{rendered}`: {error}")))?,
    };
    if !status.success() {
        let how = match status.code() {
            Some(code) => format!("exited with status {code}"),
            None => "was killed by a signal".to_owned(),
        };
        return Err(StepError::new(format!("`{rendered}` {how}")).with_hint(
            "its output is above (and in `relman status`); fix the cause, then `relman resume`",
        ));
    }
    Ok(Finished {
        code: status.code(),
        stdout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_lines_and_reports_failures() {
        let mut lines = Vec::new();
        let argv = ["sh", "-c", "echo one; echo two >&2; exit 3"].map(String::from);
        let error = run_command(&argv, Path::new("."), &[], None, |line| {
            lines.push(line.to_owned());
        })
        .unwrap_err();
        assert_eq!(
            error.message,
            "`sh -c 'echo one; echo two >&2; exit 3'` exited with status 3"
        );
        lines.sort();
        assert_eq!(lines, ["one", "two"]);
    }

    #[test]
    fn a_hanging_command_is_stopped_at_its_timeout() {
        let argv = ["sleep", "30"].map(String::from);
        let started = Instant::now();
        let error = run_command(
            &argv,
            Path::new("."),
            &[],
            Some(Duration::from_millis(300)),
            |_| {},
        )
        .unwrap_err();
        assert!(
            error.message.contains("did not finish within"),
            "{}",
            error.message
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_timeout_stops_the_commands_children_too() {
        // `sh` forks `sleep`, which would hold the output pipes open for the whole minute.
        let argv = ["sh", "-c", "sleep 60; echo never"].map(String::from);
        let started = Instant::now();
        let error = run_command(
            &argv,
            Path::new("."),
            &[],
            Some(Duration::from_millis(300)),
            |_| {},
        )
        .unwrap_err();
        assert!(error.message.contains("did not finish within"));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_timeout_holds_even_when_a_grandchild_left_the_group_holding_the_output() {
        // `setsid` puts the sleep in a new session: killing the command's group misses it, and
        // it holds stdout open for a minute (2 s of timeout became 30 s).
        let marker = tempfile::NamedTempFile::new().unwrap();
        let script = format!(
            "setsid sh -c 'echo $$ > {}; exec sleep 60' & sleep 60",
            marker.path().display()
        );
        let argv = ["sh".to_owned(), "-c".to_owned(), script];
        let started = Instant::now();
        let error = run_command(
            &argv,
            Path::new("."),
            &[],
            Some(Duration::from_millis(500)),
            |_| {},
        )
        .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        assert!(
            error.message.contains("did not finish within"),
            "{}",
            error.message
        );
        let pid: i32 = fs_err::read_to_string(marker.path())
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        #[cfg(target_os = "linux")]
        {
            assert!(
                error
                    .message
                    // `setsid` may still be between its fork and its exec when they are counted.
                    .contains("started outside its group"),
                "{}",
                error.message
            );
            let gone = (0..100).any(|_| {
                std::thread::sleep(Duration::from_millis(20));
                !Path::new(&format!("/proc/{pid}")).exists()
                    || fs_err::read_to_string(format!("/proc/{pid}/stat"))
                        .is_ok_and(|stat| stat.contains(") Z"))
            });
            assert!(gone, "the setsid process {pid} still runs");
        }
    }

    #[test]
    fn a_command_that_exited_is_done_though_a_daemon_holds_its_output() {
        let argv = ["sh", "-c", "echo started; setsid sleep 30 & exit 0"].map(String::from);
        let mut lines = Vec::new();
        let started = Instant::now();
        let finished = run_command(&argv, Path::new("."), &[], None, |line| {
            lines.push(line.to_owned());
        })
        .unwrap();
        assert!(started.elapsed() < Duration::from_secs(20));
        assert_eq!(finished.stdout, "started\n");
        assert!(
            lines
                .last()
                .unwrap()
                .contains("still holds its output open")
        );
    }

    #[test]
    fn output_without_newlines_comes_in_bounded_lines() {
        let argv = ["sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x"].map(String::from);
        let mut longest = 0;
        let mut total = 0;
        run_command(&argv, Path::new("."), &[], None, |line| {
            longest = longest.max(line.len());
            total += line.len();
        })
        .unwrap();
        assert_eq!(total, 200_000);
        assert_eq!(longest, 64 * 1024);
    }

    #[test]
    fn a_missing_program_says_so() {
        let argv = ["relman-no-such-program".to_owned()];
        let error = run_command(&argv, Path::new("."), &[], None, |_| {}).unwrap_err();
        assert!(error.hint.unwrap().contains("is not on PATH"));
    }
}
