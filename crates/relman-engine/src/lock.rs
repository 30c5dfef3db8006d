//! One release at a time per clone: an advisory lock on `.git/relman/lock`, held for as long as
//! a relman process acts on the release.
//!
//! The operating system releases the lock when its holder dies, however it dies, so a lock left by
//! a crashed relman is simply free; the pid written into the file lets the next relman say whose
//! lock it took over. "Free" can lag a little: a command relman had just forked when it was
//! killed holds a copy of the lock until it execs (which closes it), so a held lock is tried
//! again for a moment before relman says another release is running.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a held lock is tried again before it counts as held by a live relman.
const GRACE: Duration = Duration::from_secs(1);

/// A held lock; released on drop.
#[derive(Debug)]
pub struct ReleaseLock {
    file: fs_err::File,
    /// Set when the previous holder died without releasing cleanly.
    pub took_over_from: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another relman (pid {pid}) is running a release in this clone")]
    Held { pid: String, path: PathBuf },
    #[error("cannot lock `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl LockError {
    pub fn hint(&self) -> Option<String> {
        match self {
            LockError::Held { path, .. } => Some(format!(
                "wait for it to finish, or see what it is doing with `relman status`; the lock is `{}`",
                path.display()
            )),
            LockError::Io { source, .. } => io_hint(source),
        }
    }
}

/// What to do about a failed write of relman's own state (the lock, the journal), by its cause.
pub(crate) fn io_hint(error: &std::io::Error) -> Option<String> {
    use std::io::ErrorKind;
    Some(match error.kind() {
        ErrorKind::StorageFull => "the disk is full: free some space, then try again".to_owned(),
        ErrorKind::QuotaExceeded => {
            "the disk quota is exceeded: free some space, then try again".to_owned()
        }
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only: relman keeps its lock and journal in `.git/relman` and must be able to write there".to_owned(),
        ErrorKind::PermissionDenied => "relman cannot write in `.git/relman`: check the owner and permissions of the repository's `.git`".to_owned(),
        _ => return None,
    })
}

impl ReleaseLock {
    /// Takes the lock in `dir` (created if missing), waiting at most a second for a holder that
    /// is going away.
    pub fn acquire(dir: &Path) -> Result<ReleaseLock, LockError> {
        Self::acquire_within(dir, GRACE)
    }

    /// Takes the lock, trying again for `grace` while it is held.
    pub fn acquire_within(dir: &Path, grace: Duration) -> Result<ReleaseLock, LockError> {
        let path = dir.join("lock");
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        fs_err::create_dir_all(dir).map_err(io)?;
        let mut file = fs_err::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        let deadline = Instant::now() + grace;
        loop {
            match file.file().try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let pid = holder.lines().next().unwrap_or("unknown").trim().to_owned();
                    return Err(LockError::Held { pid, path });
                }
                Err(std::fs::TryLockError::Error(error)) => return Err(io(error)),
            }
        }
        // A pid left in the file means its writer died while holding the lock.
        let mut previous = String::new();
        file.read_to_string(&mut previous).map_err(io)?;
        let took_over_from = previous
            .lines()
            .next()
            .and_then(|line| line.trim().parse().ok());
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(ReleaseLock {
            file,
            took_over_from,
        })
    }
}

impl ReleaseLock {
    /// Fails with [`LockError::Held`] when a live relman holds the lock in `dir`; takes nothing
    /// and writes nothing (a check before planning; [`ReleaseLock::acquire`] decides).
    pub fn check_free(dir: &Path) -> Result<(), LockError> {
        let path = dir.join("lock");
        let mut file = match fs_err::OpenOptions::new().read(true).open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(LockError::Io { path, source }),
        };
        // As in `acquire`: a holder that is going away gets a moment.
        let deadline = Instant::now() + GRACE;
        let mut attempt = file.file().try_lock();
        while matches!(attempt, Err(std::fs::TryLockError::WouldBlock)) && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(25));
            attempt = file.file().try_lock();
        }
        match attempt {
            Ok(()) => {
                let _ = file.file().unlock();
                Ok(())
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let pid = holder.lines().next().unwrap_or("unknown").trim().to_owned();
                Err(LockError::Held { pid, path })
            }
            Err(std::fs::TryLockError::Error(source)) => Err(LockError::Io { path, source }),
        }
    }
}

impl Drop for ReleaseLock {
    fn drop(&mut self) {
        // Empty the file so the next holder does not report a takeover, then let go.
        let _ = self.file.set_len(0);
        let _ = self.file.file().unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_and_a_dead_holders_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let first = ReleaseLock::acquire(dir.path()).unwrap();
        assert_eq!(first.took_over_from, None);
        // flock is per open file description, so a second open in this process conflicts too.
        let started = Instant::now();
        let error =
            ReleaseLock::acquire_within(dir.path(), Duration::from_millis(100)).unwrap_err();
        assert!(
            started.elapsed() >= Duration::from_millis(100),
            "tried again first"
        );
        assert!(
            matches!(&error, LockError::Held { pid, .. } if *pid == std::process::id().to_string())
        );
        drop(first);
        let again = ReleaseLock::acquire(dir.path()).unwrap();
        assert_eq!(
            again.took_over_from, None,
            "a clean release leaves no pid behind"
        );
    }

    #[test]
    fn a_lock_let_go_of_during_the_grace_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let first = ReleaseLock::acquire(dir.path()).unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            drop(first);
        });
        let second = ReleaseLock::acquire_within(dir.path(), Duration::from_secs(5));
        releaser.join().unwrap();
        assert!(second.is_ok(), "{second:?}");
    }

    #[test]
    fn checking_the_lock_neither_takes_it_nor_changes_it() {
        let dir = tempfile::tempdir().unwrap();
        ReleaseLock::check_free(dir.path()).unwrap();
        assert!(!dir.path().join("lock").exists());
        let held = ReleaseLock::acquire(dir.path()).unwrap();
        let error = ReleaseLock::check_free(dir.path()).unwrap_err();
        assert!(
            matches!(&error, LockError::Held { pid, .. } if *pid == std::process::id().to_string())
        );
        drop(held);
        fs_err::write(dir.path().join("lock"), "4242\n").unwrap();
        ReleaseLock::check_free(dir.path()).unwrap();
        let lock = ReleaseLock::acquire(dir.path()).unwrap();
        assert_eq!(
            lock.took_over_from,
            Some(4242),
            "the dead holder is still reported"
        );
    }

    #[test]
    fn a_pid_left_behind_is_reported_as_a_takeover() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("lock"), "4242\n").unwrap();
        let lock = ReleaseLock::acquire(dir.path()).unwrap();
        assert_eq!(lock.took_over_from, Some(4242));
    }
}
