//! When to send a request again, and how long to wait first.
//!
//! Retried: connection failures, timeouts, 5xx (but 501 and 505, which will not change), 429, and
//! GitHub's rate limits, which come as 403 or 429 with either `Retry-After` (secondary limits), a
//! body saying "secondary rate limit" (wait at least a minute, as GitHub documents), or
//! `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (the primary limit: wait until the reset).
//! A wait the service asked for is honoured exactly; otherwise the wait is exponential with full
//! jitter (a random time between zero and `base * 2^n`, capped), so clients that failed together do
//! not come back together. The total wait of one request is capped: past it, the request fails with
//! an error that says how long the service wanted, so the engine can pause the release instead.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::TransportKind;
use super::request::Method;
use crate::timestamp::parse_http_date;

/// GitHub: "If the retry-after response header is not present, wait at least one minute".
const SECONDARY_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// How many times to try and how long to wait in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// The back-off cap of the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// The largest back-off between two attempts (a `Retry-After` may ask for more).
    pub max_delay: Duration,
    /// The most one request may spend waiting between attempts, `Retry-After` included.
    pub max_total_wait: Duration,
    /// Whether back-off waits are randomised (full jitter); off in tests that assert delays.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 6,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(300),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The back-off before retry number `retry` (1 for the first retry), before jitter.
    pub fn backoff_cap(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// The back-off before retry number `retry`, with jitter when enabled.
    pub fn backoff(&self, retry: u32) -> Duration {
        let cap = self.backoff_cap(retry);
        if !self.jitter {
            return cap;
        }
        let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=millis))
    }
}

/// What a failed attempt calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// Back off exponentially.
    Backoff,
    /// The service said how long (`Retry-After`, rate-limit reset).
    Exactly(Duration),
    /// At least this long, or the back-off if longer.
    AtLeast(Duration),
}

/// Rate-limit facts read from a response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RateLimit {
    pub retry_after: Option<Duration>,
    /// Set when `x-ratelimit-remaining` is `0`.
    pub reset: Option<SystemTime>,
}

impl RateLimit {
    pub fn read(header: impl Fn(&str) -> Option<String>, now: SystemTime) -> Self {
        let retry_after = header("retry-after").and_then(|value| parse_retry_after(&value, now));
        let exhausted = header("x-ratelimit-remaining").is_some_and(|value| value.trim() == "0");
        let reset = exhausted
            .then(|| header("x-ratelimit-reset"))
            .flatten()
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds));
        Self { retry_after, reset }
    }

    fn wait_for_reset(&self, now: SystemTime) -> Option<Duration> {
        // One second more than the reset: GitHub's clock and ours round differently.
        self.reset
            .map(|reset| reset.duration_since(now).unwrap_or_default() + Duration::from_secs(1))
    }
}

/// `Retry-After` as delta-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    parse_http_date(value).map(|date| date.duration_since(now).unwrap_or_default())
}

/// Whether an answer is worth retrying, and how.
pub(crate) fn for_status(
    status: u16,
    limit: &RateLimit,
    body: &str,
    now: SystemTime,
) -> Option<Wait> {
    let reset_wait = limit.wait_for_reset(now);
    match status {
        429 => Some(
            limit
                .retry_after
                .or(reset_wait)
                .map_or(Wait::Backoff, Wait::Exactly),
        ),
        403 => {
            if let Some(wait) = limit.retry_after {
                Some(Wait::Exactly(wait))
            } else if body.to_ascii_lowercase().contains("secondary rate limit") {
                Some(Wait::AtLeast(SECONDARY_RATE_LIMIT_WAIT))
            } else {
                reset_wait.map(Wait::Exactly)
            }
        }
        501 | 505 => None,
        500..=599 => Some(limit.retry_after.map_or(Wait::Backoff, Wait::Exactly)),
        _ => None,
    }
}

/// Whether a transport failure is worth retrying (a TLS or protocol failure will fail again).
/// A `POST` or `PATCH` that timed out or broke after connecting may have been carried out: sending
/// it again could create a second release (GitHub allows several drafts for one tag), so it is
/// left to the caller, whose probe can tell (`GitHub::ensure_release` does).
pub(crate) fn for_transport(kind: TransportKind, method: Method) -> Option<Wait> {
    let retryable = match kind {
        TransportKind::Connect | TransportKind::Dns => true,
        TransportKind::Timeout | TransportKind::Io => {
            !matches!(method, Method::Post | Method::Patch)
        }
        TransportKind::Tls | TransportKind::Other => false,
    };
    retryable.then_some(Wait::Backoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn limit(headers: &[(&str, &str)], now: SystemTime) -> RateLimit {
        RateLimit::read(
            |name| {
                headers
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map(|(_, value)| (*value).to_owned())
            },
            now,
        )
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let secs: Vec<u64> = (1..=7).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 30, 30]);
        let jittered = RetryPolicy::default();
        for retry in 1..10 {
            assert!(jittered.backoff(retry) <= jittered.backoff_cap(retry));
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = at(1_445_412_480);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn writes_are_not_resent_after_a_timeout() {
        assert_eq!(
            for_transport(TransportKind::Timeout, Method::Get),
            Some(Wait::Backoff)
        );
        assert_eq!(for_transport(TransportKind::Timeout, Method::Post), None);
        assert_eq!(for_transport(TransportKind::Io, Method::Patch), None);
        assert_eq!(
            for_transport(TransportKind::Connect, Method::Post),
            Some(Wait::Backoff)
        );
        assert_eq!(for_transport(TransportKind::Tls, Method::Get), None);
    }

    #[test]
    fn statuses_are_classified() {
        let now = at(1000);
        let none = RateLimit::default();
        assert_eq!(for_status(502, &none, "", now), Some(Wait::Backoff));
        assert_eq!(for_status(501, &none, "", now), None);
        assert_eq!(for_status(404, &none, "", now), None);
        assert_eq!(
            for_status(403, &none, r#"{"message":"Resource not accessible"}"#, now),
            None
        );
        assert_eq!(
            for_status(403, &none, "You have exceeded a secondary rate limit", now),
            Some(Wait::AtLeast(Duration::from_secs(60)))
        );
        let asked = limit(&[("Retry-After", "12")], now);
        assert_eq!(
            for_status(429, &asked, "", now),
            Some(Wait::Exactly(Duration::from_secs(12)))
        );
        assert_eq!(
            for_status(403, &asked, "", now),
            Some(Wait::Exactly(Duration::from_secs(12)))
        );
        let exhausted = limit(
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1030"),
            ],
            now,
        );
        assert_eq!(exhausted.reset, Some(at(1030)));
        assert_eq!(
            for_status(403, &exhausted, "API rate limit exceeded", now),
            Some(Wait::Exactly(Duration::from_secs(31)))
        );
        let remaining = limit(
            &[
                ("x-ratelimit-remaining", "10"),
                ("x-ratelimit-reset", "1030"),
            ],
            now,
        );
        assert_eq!(remaining.reset, None);
        assert_eq!(for_status(429, &remaining, "", now), Some(Wait::Backoff));
    }
}
