//! The deadline of the step on whose behalf requests are made. A step's `timeout` bounds the
//! step, not each request: a `wait` with `timeout = "5s"` against a server that accepts the
//! connection and never answers used to wait for the client's own per-request timeout, six times
//! over with retries. So the engine sets the step's deadline around everything the step does
//! ([`with_deadline`]), and the client gives each attempt only the time left, and starts no
//! attempt and no retry wait once it has passed.
//!
//! The deadline is per thread, like the call stack it follows: every client a step builds (GitHub,
//! CircleCI, registries, webhooks) obeys it without being handed it.

use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `work` with requests bounded by `deadline` (or by an earlier one already set).
pub fn with_deadline<T>(deadline: Instant, work: impl FnOnce() -> T) -> T {
    let outer = DEADLINE.with(Cell::get);
    let effective = outer.map_or(deadline, |outer| outer.min(deadline));
    DEADLINE.with(|cell| cell.set(Some(effective)));
    // Put the outer deadline back even if `work` panics.
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|cell| cell.set(self.0));
        }
    }
    let _restore = Restore(outer);
    work()
}

/// The deadline in force on this thread, if any.
pub fn current() -> Option<Instant> {
    DEADLINE.with(Cell::get)
}

/// The time left before the deadline (zero once passed), or `None` without one.
pub fn remaining() -> Option<Duration> {
    current().map(|deadline| deadline.saturating_duration_since(Instant::now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earlier_deadline_wins_and_the_outer_one_comes_back() {
        assert_eq!(current(), None);
        let soon = Instant::now() + Duration::from_secs(5);
        let later = soon + Duration::from_secs(60);
        with_deadline(soon, || {
            with_deadline(later, || assert_eq!(current(), Some(soon)));
            assert!(remaining().unwrap() <= Duration::from_secs(5));
        });
        assert_eq!(current(), None);
        let result = std::panic::catch_unwind(|| with_deadline(soon, || panic!("boom")));
        assert!(result.is_err());
        assert_eq!(current(), None, "restored after a panic");
    }
}
