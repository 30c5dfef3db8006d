//! Running one `git` process for a [`Repository`]: the environment every call gets (no terminal
//! prompts, the repository pinned, the caller's extra variables and `-c` config), collected output,
//! and a streamed stdout that can be stopped early without leaving a zombie or a broken-pipe error.

use std::ffi::{OsStr, OsString};
use std::io::{BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;

use crate::error::GitError;
use crate::redact::{redact_urls, render_command};
use crate::repository::Repository;

/// Size of the read buffer for streamed output: large reads keep the parser ahead of git.
const STREAM_BUFFER: usize = 256 * 1024;

/// One git invocation being prepared.
pub(crate) struct GitCommand {
    command: Command,
    /// Everything after `git`, kept to render the command line into errors.
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
}

/// The collected result of a finished git process.
pub(crate) struct GitOutput {
    pub command: String,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Repository {
    /// A `git` command that acts on this repository, whatever the process's current directory
    /// and whatever `GIT_DIR` the process inherited.
    pub(crate) fn git<I, S>(&self, args: I) -> GitCommand
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        // Plain `git` from PATH, never an absolute path: tests and users put wrappers on PATH.
        let mut command = Command::new("git");
        command.current_dir(self.run_dir());
        for variable in ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR"] {
            command.env_remove(variable);
        }
        if let Some(explicit) = self.explicit_dirs() {
            command.env("GIT_DIR", explicit.0);
            if let Some(work_tree) = explicit.1 {
                command.env("GIT_WORK_TREE", work_tree);
            }
        }
        if !self.is_interactive() {
            command.env("GIT_TERMINAL_PROMPT", "0");
            command.stdin(Stdio::null());
        }
        command.envs(self.extra_env().iter().map(|(key, value)| (key, value)));
        let mut all_args = Vec::new();
        for (key, value) in self.extra_config() {
            all_args.push(OsString::from("-c"));
            all_args.push(OsString::from(format!("{key}={value}")));
        }
        all_args.extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        GitCommand {
            command,
            args: all_args,
            stdin: None,
        }
    }
}

impl GitCommand {
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        self.command.env(key, value);
        self
    }

    /// English messages, for the few calls whose stderr this crate must recognise.
    pub fn c_locale(&mut self) -> &mut Self {
        self.command.env("LC_ALL", "C").env("LANGUAGE", "C");
        self
    }

    /// Bytes written to git's stdin (messages, pathspecs), instead of a null stdin.
    pub fn stdin(&mut self, bytes: Vec<u8>) -> &mut Self {
        self.stdin = Some(bytes);
        self
    }

    pub fn rendered(&self) -> String {
        render_command(&self.args)
    }

    /// Runs git to completion and collects its output, whatever its exit status.
    pub fn output(&mut self) -> Result<GitOutput, GitError> {
        let rendered = self.rendered();
        self.command
            .args(&self.args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if self.stdin.is_some() {
            self.command.stdin(Stdio::piped());
        }
        let mut child = self.command.spawn().map_err(|source| GitError::Spawn {
            command: rendered.clone(),
            source,
        })?;
        let input = self.stdin.take();
        let mut child_stdin = child.stdin.take();
        // The writer runs beside the reader: git may fill its stdout before it has read all input.
        let output = std::thread::scope(|scope| {
            if let (Some(bytes), Some(mut pipe)) = (input, child_stdin.take()) {
                scope.spawn(move || {
                    // git may exit before reading everything (an error); its status says why.
                    let _ = pipe.write_all(&bytes);
                });
            }
            child.wait_with_output()
        })
        .map_err(|source| GitError::Spawn {
            command: rendered.clone(),
            source,
        })?;
        Ok(GitOutput {
            command: rendered,
            status: output.status,
            stdout: output.stdout,
            stderr: clean_stderr(&output.stderr),
        })
    }

    /// Runs git and returns its stdout, or the failure with the command line and stderr.
    pub fn run(&mut self) -> Result<Vec<u8>, GitError> {
        let output = self.output()?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(output.into_error())
        }
    }

    /// Runs git and returns its stdout as text without the trailing newline.
    pub fn run_text(&mut self) -> Result<String, GitError> {
        let stdout = self.run()?;
        Ok(String::from_utf8_lossy(&stdout).trim_end().to_owned())
    }

    /// Starts git with its stdout streamed to the caller.
    pub fn stream(&mut self) -> Result<GitStream, GitError> {
        let rendered = self.rendered();
        self.command
            .args(&self.args)
            // Without it git flushes stdout after every record when it is a pipe: one write and
            // one wake-up of the reader per commit, which made streaming 1.4x slower than git
            // writing to /dev/null.
            .env("GIT_FLUSH", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().map_err(|source| GitError::Spawn {
            command: rendered.clone(),
            source,
        })?;
        let stdout = child
            .stdout
            .take()
            .expect("invariant: stdout was configured as piped");
        let mut stderr = child
            .stderr
            .take()
            .expect("invariant: stderr was configured as piped");
        // Drained on its own thread so a chatty stderr can never block git while we read stdout.
        let stderr_reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stderr.read_to_end(&mut bytes);
            bytes
        });
        Ok(GitStream {
            child,
            stdout: BufReader::with_capacity(STREAM_BUFFER, stdout),
            stderr: Some(stderr_reader),
            command: rendered,
            finished: false,
        })
    }
}

impl GitOutput {
    pub fn into_error(self) -> GitError {
        GitError::Failed {
            command: self.command,
            status: self.status.to_string(),
            stderr: self.stderr,
        }
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).trim_end().to_owned()
    }
}

/// A running git process whose stdout is read incrementally.
pub(crate) struct GitStream {
    child: Child,
    pub stdout: BufReader<ChildStdout>,
    stderr: Option<JoinHandle<Vec<u8>>>,
    pub command: String,
    finished: bool,
}

impl GitStream {
    /// Waits for git after its stdout reached the end, and reports a failure exit.
    pub fn finish(mut self) -> Result<(), GitError> {
        self.finished = true;
        let status = self.child.wait().map_err(|source| GitError::Spawn {
            command: self.command.clone(),
            source,
        })?;
        let stderr = self.take_stderr();
        if status.success() {
            Ok(())
        } else {
            Err(GitError::Failed {
                command: std::mem::take(&mut self.command),
                status: status.to_string(),
                stderr,
            })
        }
    }

    /// Ends git early because the caller has what it needs: killed and reaped, status ignored.
    pub fn stop(mut self) {
        self.finished = true;
        self.kill_and_reap();
    }

    /// A parse error about this stream's output.
    pub fn output_error(&self, detail: impl Into<String>) -> GitError {
        GitError::Output {
            command: self.command.clone(),
            detail: detail.into(),
        }
    }

    fn kill_and_reap(&mut self) {
        // Killing a process that already exited is harmless; waiting reaps it either way.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = self.take_stderr();
    }

    fn take_stderr(&mut self) -> String {
        self.stderr
            .take()
            .and_then(|handle| handle.join().ok())
            .map(|bytes| clean_stderr(&bytes))
            .unwrap_or_default()
    }
}

impl Drop for GitStream {
    fn drop(&mut self) {
        // A caller that returned early (an error, a panic in a callback) must not leave a zombie.
        if !self.finished {
            self.kill_and_reap();
        }
    }
}

fn clean_stderr(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    redact_urls(text.trim()).into_owned()
}
