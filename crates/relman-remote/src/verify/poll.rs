//! "Poll with backoff until true or `timeout`": the loop behind every `wait` and `verify` step.
//!
//! A check answers [`Check::Ready`], [`Check::NotYet`] with a reason the user will read ("missing
//! `ciso8601-2.1.3.tar.gz`"), or [`Check::Failed`] when waiting cannot help (401, a yanked file).
//! Between checks the loop sleeps through a [`Clock`], from `initial_interval` doubling up to
//! `max_interval`, never past the deadline, and checks one last time at the deadline. A timeout is
//! not an error: it comes back as [`PollOutcome::TimedOut`] with the last reason, so the engine can
//! pause the release (exit 3) and say what was still missing.

use std::time::{Duration, SystemTime};

use crate::clock::Clock;

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check<T, E> {
    /// The condition holds; the value is what was found (a digest, a list of files).
    Ready(T),
    /// Not yet, and why (shown while waiting and when the wait times out).
    NotYet(String),
    /// Waiting will not help.
    Failed(E),
}

impl<T, E> Check<T, E> {
    /// Converts the ready value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Check<U, E> {
        match self {
            Check::Ready(value) => Check::Ready(f(value)),
            Check::NotYet(reason) => Check::NotYet(reason),
            Check::Failed(error) => Check::Failed(error),
        }
    }
}

/// How long to wait and how often to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    /// Give up after this long (measured on the clock, from the first check).
    pub timeout: Duration,
    /// Wait before the second check.
    pub initial_interval: Duration,
    /// The interval doubles up to this.
    pub max_interval: Duration,
}

impl PollOptions {
    /// The defaults with another timeout (the step's `timeout`).
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            ..Self::default()
        }
    }

    /// The wait after check number `attempt` (1-based), before the deadline cut.
    pub fn interval(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_interval
            .saturating_mul(factor)
            .min(self.max_interval)
            .max(Duration::from_millis(1))
    }
}

impl Default for PollOptions {
    /// Thirty minutes, looking after 5 s, 10 s, 20 s, then every minute: a PyPI upload or a
    /// container push shows up within seconds to minutes, and a minute apart is polite to a CDN.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30 * 60),
            initial_interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
        }
    }
}

/// How a poll ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollOutcome<T, E> {
    Ready {
        value: T,
        /// Checks made, the successful one included.
        attempts: u32,
        elapsed: Duration,
    },
    TimedOut {
        /// The reason the last check gave.
        reason: String,
        attempts: u32,
        elapsed: Duration,
    },
    Failed {
        error: E,
        attempts: u32,
    },
}

impl<T, E> PollOutcome<T, E> {
    /// Whether the condition was met.
    pub fn is_ready(&self) -> bool {
        matches!(self, PollOutcome::Ready { .. })
    }
}

/// What the loop is about to wait for, for a spinner or a log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollProgress<'a> {
    /// Checks made so far.
    pub attempts: u32,
    /// Why the last check was not ready.
    pub reason: &'a str,
    /// The sleep about to start.
    pub next_check_in: Duration,
    pub elapsed: Duration,
    pub remaining: Duration,
}

/// Calls `check` until it is ready, fails, or `options.timeout` has passed on `clock`.
/// `on_wait` is called before each sleep.
pub fn poll<T, E>(
    options: &PollOptions,
    clock: &Clock,
    mut check: impl FnMut() -> Check<T, E>,
    mut on_wait: impl FnMut(&PollProgress<'_>),
) -> PollOutcome<T, E> {
    let start = clock.now();
    let elapsed = |now: SystemTime| now.duration_since(start).unwrap_or_default();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let reason = match check() {
            Check::Ready(value) => {
                return PollOutcome::Ready {
                    value,
                    attempts,
                    elapsed: elapsed(clock.now()),
                };
            }
            Check::Failed(error) => return PollOutcome::Failed { error, attempts },
            Check::NotYet(reason) => reason,
        };
        let spent = elapsed(clock.now());
        let remaining = options.timeout.saturating_sub(spent);
        if remaining.is_zero() {
            return PollOutcome::TimedOut {
                reason,
                attempts,
                elapsed: spent,
            };
        }
        let next_check_in = options.interval(attempts).min(remaining);
        on_wait(&PollProgress {
            attempts,
            reason: &reason,
            next_check_in,
            elapsed: spent,
            remaining,
        });
        clock.sleep(next_check_in);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn clock() -> Clock {
        Clock::simulated(UNIX_EPOCH + Duration::from_secs(1_000_000))
    }

    fn options(timeout: u64) -> PollOptions {
        PollOptions {
            timeout: Duration::from_secs(timeout),
            initial_interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
        }
    }

    #[test]
    fn ready_after_backing_off() {
        let clock = clock();
        let mut calls = 0;
        let outcome: PollOutcome<&str, ()> = poll(
            &options(600),
            &clock,
            || {
                calls += 1;
                if calls < 4 {
                    Check::NotYet(format!("try {calls}"))
                } else {
                    Check::Ready("found")
                }
            },
            |_| {},
        );
        assert_eq!(
            outcome,
            PollOutcome::Ready {
                value: "found",
                attempts: 4,
                elapsed: Duration::from_secs(35)
            }
        );
        let secs: Vec<u64> = clock.sleeps().iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [5, 10, 20]);
    }

    #[test]
    fn times_out_at_the_deadline_with_the_last_reason() {
        let clock = clock();
        let mut progress = Vec::new();
        let outcome: PollOutcome<(), ()> = poll(
            &options(100),
            &clock,
            || Check::NotYet("missing `a.whl`".to_owned()),
            |step| {
                progress.push((
                    step.attempts,
                    step.next_check_in.as_secs(),
                    step.remaining.as_secs(),
                ))
            },
        );
        // 5 + 10 + 20 + 40 = 75, then 25 left: the last sleep is cut to the deadline.
        let secs: Vec<u64> = clock.sleeps().iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [5, 10, 20, 40, 25]);
        assert_eq!(
            outcome,
            PollOutcome::TimedOut {
                reason: "missing `a.whl`".to_owned(),
                attempts: 6,
                elapsed: Duration::from_secs(100)
            }
        );
        assert_eq!(progress[0], (1, 5, 100));
        assert_eq!(progress.last(), Some(&(5, 25, 25)));
    }

    #[test]
    fn a_failure_stops_at_once() {
        let clock = clock();
        let outcome: PollOutcome<(), &str> =
            poll(&options(100), &clock, || Check::Failed("401"), |_| {});
        assert_eq!(
            outcome,
            PollOutcome::Failed {
                error: "401",
                attempts: 1
            }
        );
        assert!(clock.sleeps().is_empty());
    }

    #[test]
    fn zero_timeout_checks_once() {
        let clock = clock();
        let outcome: PollOutcome<(), ()> = poll(
            &options(0),
            &clock,
            || Check::NotYet("no".to_owned()),
            |_| {},
        );
        assert!(matches!(outcome, PollOutcome::TimedOut { attempts: 1, .. }));
    }

    #[test]
    fn intervals_cap() {
        let options = options(0);
        let secs: Vec<u64> = (1..=8).map(|n| options.interval(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 60, 60, 60, 60]);
        assert_eq!(options.interval(100).as_secs(), 60);
    }
}
