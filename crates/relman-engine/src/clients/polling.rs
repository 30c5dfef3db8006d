//! The wait loop every waiting step shares (`wait`, `verify`, the run of a `dispatch`, the
//! workflows of a `circleci` pipeline): look, and while the answer is "not yet", tell the reporter
//! what is awaited and look again after an interval, until the step's `timeout` (default 30
//! minutes). A timeout is never a failure: the step pauses (exit 3) with what it saw last, and
//! `relman resume` waits again.
//!
//! The interval is the step's `interval` when set (a fixed pace a user chooses, e.g. `10s`, or
//! `50ms` against a local service), else a back-off from 5 seconds growing to a minute.

use std::time::{Duration, Instant};

use relman_remote::Clock;
use relman_remote::wait::{Poll, PollOptions, WaitError, poll_until};

use crate::core::{RunCx, StepError, StepInfo};

/// How long a step waits when it has no `timeout`.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// How long the one look of `timeout = "0s"` may take.
const ONE_LOOK: Duration = Duration::from_secs(30);

/// A look that starts as the timeout comes (the last one) still gets this long to finish.
const LAST_LOOK: Duration = Duration::from_secs(2);

/// When the requests of a step started at `started` must end: its `timeout` (`0s`, look once
/// then pause, still gives that look [`ONE_LOOK`]), and a moment for the last look.
pub(crate) fn request_deadline(started: Instant, timeout: Duration) -> Instant {
    let budget = if timeout.is_zero() { ONE_LOOK } else { timeout };
    started + budget + LAST_LOOK
}

/// How a step polls.
pub(crate) fn options(step: &StepInfo<'_>) -> PollOptions {
    let timeout = step.timeout.unwrap_or(DEFAULT_TIMEOUT);
    match step.interval {
        Some(interval) => PollOptions {
            timeout,
            first_interval: interval,
            max_interval: interval,
        },
        None => PollOptions::with_timeout(timeout),
    }
}

/// The plan's line about a wait: how long at most, how often.
pub(crate) fn describe(step: &StepInfo<'_>) -> String {
    let options = options(step);
    if options.timeout.is_zero() {
        return "looks once, then pauses until `relman resume` if not yet".to_owned();
    }
    match step.interval {
        Some(interval) => format!(
            "up to {}, looking every {}",
            human(options.timeout),
            human(interval)
        ),
        None => format!("up to {}", human(options.timeout)),
    }
}

/// How a wait ended, when it did not fail.
#[derive(Debug)]
pub(crate) enum Waited<T> {
    Ready(T),
    /// The timeout passed: the reason to pause with.
    TimedOut(String),
}

/// Looks with `look` until it is ready, fails, or the step's timeout passes.
pub(crate) fn poll<'a, T>(
    cx: &mut RunCx<'a>,
    step: &StepInfo<'_>,
    what: &str,
    look: impl FnMut(&mut RunCx<'a>) -> Result<Poll<T>, StepError>,
) -> Result<Waited<T>, StepError> {
    poll_with(cx, &options(step), what, look)
}

/// Looks with `look` until it is ready, fails, or `options.timeout` passes (a step whose pace is
/// not the waiting kinds' default: a publish waiting for its package on the registry).
pub(crate) fn poll_with<'a, T>(
    cx: &mut RunCx<'a>,
    options: &PollOptions,
    what: &str,
    mut look: impl FnMut(&mut RunCx<'a>) -> Result<Poll<T>, StepError>,
) -> Result<Waited<T>, StepError> {
    let started = Instant::now();
    let ends = started + options.timeout;
    let mut last_seen: Option<String> = None;
    let result: Result<T, WaitError<StepError>> =
        poll_until(&Clock::system(), options, what, || {
            // A look's requests get only what is left of the wait, so a service that never answers
            // cannot hold the step past its timeout; a look made as the time runs out still gets
            // a moment, so that what it reports is the service's answer, not relman's own cut.
            let now = Instant::now();
            let deadline = if options.timeout.is_zero() {
                now + ONE_LOOK
            } else {
                ends.max(now + LAST_LOOK)
            };
            let answer = relman_remote::http::deadline::with_deadline(deadline, || look(cx))?;
            if let Poll::Pending(last) = &answer {
                cx.waiting(&format!("{what}: {last}"), started.elapsed().as_secs());
                last_seen = Some(last.clone());
            }
            Ok(answer)
        });
    let gave_up = |waited: Duration, last: &str| {
        format!(
            "gave up after {} waiting for {what}; last seen: {last}\n`relman resume` waits again",
            human(waited)
        )
    };
    match result {
        Ok(value) => Ok(Waited::Ready(value)),
        Err(WaitError::TimedOut { waited, last, .. }) => {
            Ok(Waited::TimedOut(gave_up(waited, &last)))
        }
        // A look that failed once the time was up (cut short by it, most likely) is the wait
        // timing out, not the step failing: `resume` looks again.
        Err(WaitError::Failed(error)) if Instant::now() >= ends => {
            let last = last_seen.unwrap_or(error.message);
            Ok(Waited::TimedOut(gave_up(options.timeout, &last)))
        }
        Err(WaitError::Failed(error)) => Err(error),
    }
}

/// `30m`, `1m30s`, `250ms`.
pub(crate) fn human(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        return format!("{millis}ms");
    }
    let secs = duration.as_secs();
    let (hours, minutes, seconds) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut text = String::new();
    if hours > 0 {
        text.push_str(&format!("{hours}h"));
    }
    if minutes > 0 {
        text.push_str(&format!("{minutes}m"));
    }
    if seconds > 0 || text.is_empty() {
        text.push_str(&format!("{seconds}s"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_timeout_looks_once() {
        let config = crate::config::Config::parse(
            std::path::Path::new("relman.toml"),
            "[[workflow.w.step]]\nwait = \"pr-merged\"\npr = \"12\"\ntimeout = \"0s\"\n",
        )
        .unwrap();
        let step = &config.workflows["w"].steps[0];
        assert_eq!(
            describe(&step.info()),
            "looks once, then pauses until `relman resume` if not yet"
        );
    }

    #[test]
    fn durations_read_like_the_config() {
        assert_eq!(human(Duration::from_secs(1800)), "30m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_secs(3600 + 5)), "1h5s");
        assert_eq!(human(Duration::from_millis(250)), "250ms");
        assert_eq!(human(Duration::from_millis(1500)), "1s");
    }
}
