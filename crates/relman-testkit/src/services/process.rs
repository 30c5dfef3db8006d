//! The child process behind a launched service: spawned with its output captured to a log file,
//! polled until ready (failing early, with the log's tail, if it exits), and killed and reaped on
//! drop so no test leaves a server behind.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::ServiceError;

/// A running service process. Dropping it kills the process and waits for it.
#[derive(Debug)]
pub(crate) struct ServiceProcess {
    name: &'static str,
    child: Child,
    log_path: PathBuf,
}

impl ServiceProcess {
    /// Spawns `command` with stdout and stderr appended to `log_path`.
    pub(crate) fn spawn(
        name: &'static str,
        mut command: Command,
        log_path: &Path,
    ) -> Result<Self, ServiceError> {
        let log = fs_err::File::create(log_path).map_err(|error| ServiceError::io(name, error))?;
        let log_err = log
            .try_clone()
            .map_err(|error| ServiceError::io(name, error))?;
        command
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.into_file()))
            .stderr(Stdio::from(log_err.into_file()));
        let child = command.spawn().map_err(|error| ServiceError::Start {
            service: name,
            detail: format!("cannot run `{command:?}`: {error}"),
        })?;
        Ok(Self {
            name,
            child,
            log_path: log_path.to_path_buf(),
        })
    }

    /// The whole log so far (stdout and stderr interleaved).
    pub(crate) fn log(&self) -> String {
        fs_err::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Calls `ready` every 50 ms until it returns `Some`, the process exits, or `timeout` passes.
    pub(crate) fn wait_until<T>(
        &mut self,
        timeout: Duration,
        mut ready: impl FnMut(&Self) -> Option<T>,
    ) -> Result<T, ServiceError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(value) = ready(self) {
                return Ok(value);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(self.start_error(format!("exited with {status}")));
            }
            if Instant::now() >= deadline {
                return Err(self.start_error(format!("not ready after {timeout:?}")));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn start_error(&self, what: String) -> ServiceError {
        let log = self.log();
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        ServiceError::Start {
            service: self.name,
            detail: format!("{what}; log tail:\n{}", tail.join("\n")),
        }
    }
}

impl Drop for ServiceProcess {
    fn drop(&mut self) {
        // Already exited is fine; anything else gets SIGKILL and is reaped so no zombie remains.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether something accepts TCP connections on `127.0.0.1:port`.
pub(crate) fn accepts_connections(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(200),
    )
    .is_ok()
}

/// A port that was free a moment ago. Only for tools that cannot bind port 0 and report it.
pub(crate) fn free_port() -> Result<u16, ServiceError> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
        .map_err(|error| ServiceError::io("port", error))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| ServiceError::io("port", error))
}
