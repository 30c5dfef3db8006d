//! The time source of every wait in this crate: retry back-off, `Retry-After`, polling loops.
//!
//! Tests must not sleep for real, and they must be able to assert *what* was waited for (the
//! `Retry-After` a server asked for) rather than wall time. So nothing here calls
//! `std::thread::sleep` directly: it goes through a [`Clock`], which is either the system clock or a
//! simulated one whose `sleep` advances its own time instantly and records the duration.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// A source of "now" and a way to wait; cheap to clone (clones share one simulated timeline).
#[derive(Clone)]
pub struct Clock {
    inner: ClockInner,
}

#[derive(Clone)]
enum ClockInner {
    System,
    Simulated(Arc<Mutex<Simulated>>),
    Custom {
        now: Arc<dyn Fn() -> SystemTime + Send + Sync>,
        sleep: Arc<dyn Fn(Duration) + Send + Sync>,
    },
}

struct Simulated {
    now: SystemTime,
    sleeps: Vec<Duration>,
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            ClockInner::System => f.write_str("Clock::System"),
            ClockInner::Simulated(state) => {
                let state = state.lock().unwrap_or_else(PoisonError::into_inner);
                write!(
                    f,
                    "Clock::Simulated({:?}, {} sleeps)",
                    state.now,
                    state.sleeps.len()
                )
            }
            ClockInner::Custom { .. } => f.write_str("Clock::Custom"),
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The real clock: `sleep` blocks the thread.
    pub fn system() -> Self {
        Self {
            inner: ClockInner::System,
        }
    }

    /// A clock that starts at `start`; `sleep` returns at once, moves "now" forward and records the
    /// duration (see [`Clock::sleeps`]).
    pub fn simulated(start: SystemTime) -> Self {
        Self {
            inner: ClockInner::Simulated(Arc::new(Mutex::new(Simulated {
                now: start,
                sleeps: Vec::new(),
            }))),
        }
    }

    /// A clock made of two callbacks (for an engine that wants to show a countdown while it waits).
    pub fn custom(
        now: impl Fn() -> SystemTime + Send + Sync + 'static,
        sleep: impl Fn(Duration) + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner: ClockInner::Custom {
                now: Arc::new(now),
                sleep: Arc::new(sleep),
            },
        }
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        match &self.inner {
            ClockInner::System => SystemTime::now(),
            ClockInner::Simulated(state) => {
                state.lock().unwrap_or_else(PoisonError::into_inner).now
            }
            ClockInner::Custom { now, .. } => now(),
        }
    }

    /// Waits for `duration` (or pretends to, on a simulated clock).
    pub fn sleep(&self, duration: Duration) {
        match &self.inner {
            ClockInner::System => std::thread::sleep(duration),
            ClockInner::Simulated(state) => {
                let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                state.now += duration;
                state.sleeps.push(duration);
            }
            ClockInner::Custom { sleep, .. } => sleep(duration),
        }
    }

    /// Every duration slept so far on a simulated clock, in order; empty for the other kinds.
    pub fn sleeps(&self) -> Vec<Duration> {
        match &self.inner {
            ClockInner::Simulated(state) => state
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .sleeps
                .clone(),
            _ => Vec::new(),
        }
    }

    /// Moves a simulated clock forward without recording a sleep (time passing elsewhere); no
    /// effect on the other kinds.
    pub fn advance(&self, duration: Duration) {
        if let ClockInner::Simulated(state) = &self.inner {
            state.lock().unwrap_or_else(PoisonError::into_inner).now += duration;
        }
    }

    /// Time since `earlier` (zero if the clock went backwards).
    pub fn since(&self, earlier: SystemTime) -> Duration {
        self.now().duration_since(earlier).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_clock_records_and_advances() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let clock = Clock::simulated(start);
        let shared = clock.clone();
        shared.sleep(Duration::from_secs(5));
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now(), start + Duration::from_secs(6));
        assert_eq!(clock.sleeps(), vec![Duration::from_secs(5)]);
        assert_eq!(clock.since(start), Duration::from_secs(6));
    }
}
