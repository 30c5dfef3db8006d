//! Polling until a remote condition holds: checks green, a pull request merged, a workflow run
//! finished, a package visible on an index. The interval starts short and grows (most waits end
//! soon, some take an hour), and the loop gives up at a timeout with [`WaitError::TimedOut`], which
//! the engine turns into a pause (exit 3) rather than a failure. Time goes through a [`Clock`], so
//! tests run a thirty-minute wait in microseconds.

use std::time::Duration;

use crate::clock::Clock;

/// How long to wait and how often to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollOptions {
    /// Give up after this long.
    pub timeout: Duration,
    /// The wait after the first look.
    pub first_interval: Duration,
    /// The longest wait between two looks (the interval grows by half each time up to this).
    pub max_interval: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30 * 60),
            first_interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
        }
    }
}

impl PollOptions {
    /// Default intervals with this timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            ..Self::default()
        }
    }
}

/// The result of one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll<T> {
    /// The condition holds.
    Ready(T),
    /// Not yet; the text says what is still awaited (`2 checks pending: build, lint`).
    Pending(String),
}

/// Why a wait ended without the condition holding.
#[derive(Debug, thiserror::Error)]
pub enum WaitError<E> {
    /// The timeout passed; `last` is the last [`Poll::Pending`] text.
    #[error("gave up after {}s waiting for {what}: {last}", waited.as_secs())]
    TimedOut {
        what: String,
        waited: Duration,
        last: String,
    },
    /// A look failed (the service answered an error, or the awaited thing failed for good).
    #[error(transparent)]
    Failed(E),
}

impl<E> WaitError<E> {
    /// Whether this is a timeout (the engine pauses instead of failing).
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::TimedOut { .. })
    }
}

/// Looks with `check` until it is ready, fails, or `options.timeout` passes. `what` names the
/// awaited thing in the timeout message (`checks on 1a2b3c4`).
pub fn poll_until<T, E>(
    clock: &Clock,
    options: &PollOptions,
    what: &str,
    mut check: impl FnMut() -> Result<Poll<T>, E>,
) -> Result<T, WaitError<E>> {
    let started = clock.now();
    let mut interval = options.first_interval;
    loop {
        let last = match check().map_err(WaitError::Failed)? {
            Poll::Ready(value) => return Ok(value),
            Poll::Pending(last) => last,
        };
        let waited = clock.since(started);
        if waited >= options.timeout {
            return Err(WaitError::TimedOut {
                what: what.to_owned(),
                waited,
                last,
            });
        }
        clock.sleep(interval.min(options.timeout - waited));
        interval = (interval + interval / 2).min(options.max_interval);
    }
}

#[cfg(test)]
mod tests {
    use std::time::{SystemTime, UNIX_EPOCH};

    use super::*;

    fn clock() -> Clock {
        Clock::simulated(UNIX_EPOCH + Duration::from_secs(1_000_000))
    }

    #[test]
    fn intervals_grow_until_ready() {
        let clock = clock();
        let mut looks = 0;
        let value = poll_until::<_, ()>(&clock, &PollOptions::default(), "x", || {
            looks += 1;
            Ok(if looks == 5 {
                Poll::Ready(looks)
            } else {
                Poll::Pending("not yet".into())
            })
        })
        .unwrap();
        assert_eq!(value, 5);
        let secs: Vec<f64> = clock.sleeps().iter().map(Duration::as_secs_f64).collect();
        assert_eq!(secs, [5.0, 7.5, 11.25, 16.875]);
    }

    #[test]
    fn a_timeout_reports_the_last_state() {
        let clock = clock();
        let start: SystemTime = clock.now();
        let options = PollOptions::with_timeout(Duration::from_secs(120));
        let error = poll_until::<(), std::io::Error>(&clock, &options, "checks on abc1234", || {
            Ok(Poll::Pending("1 check pending: build".into()))
        })
        .unwrap_err();
        assert!(error.is_timeout());
        assert_eq!(
            error.to_string(),
            "gave up after 120s waiting for checks on abc1234: 1 check pending: build"
        );
        assert_eq!(clock.since(start), Duration::from_secs(120));
    }

    #[test]
    fn a_failed_look_ends_the_wait() {
        let error = poll_until::<(), _>(&clock(), &PollOptions::default(), "x", || Err("boom"))
            .unwrap_err();
        assert!(matches!(error, WaitError::Failed("boom")));
    }
}
