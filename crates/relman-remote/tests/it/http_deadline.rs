//! Deadlines and requests that never left. A server that accepts and never answers holds a
//! request only until the step's deadline (it held `wait` steps for minutes past a `timeout` of
//! seconds); no attempt and no retry starts after it; and a request whose host name does not
//! resolve, or whose connection is refused, is known not to have been sent (it was reported as
//! "sent, but no answer came").

use std::time::{Duration, Instant, UNIX_EPOCH};

use relman_remote::http::deadline::with_deadline;
use relman_remote::http::{ErrorKind, TransportKind};
use relman_remote::{Clock, HttpClient, HttpOptions, RequestDescription, RetryPolicy};
use relman_testkit::http_server::{FakeResponse, FakeServer};
use relman_testkit::silent_server::SilentServer;

/// A bound no correct run comes near, and the old behaviour (six attempts of a minute) exceeds.
const BOUND: Duration = Duration::from_secs(30);

#[test]
fn a_silent_server_holds_a_request_only_until_the_deadline() {
    let server = SilentServer::start();
    // The client's own limits are the defaults: a minute per answer, six attempts.
    let client = HttpClient::new(HttpOptions::default());
    for request in [
        RequestDescription::get(format!("{}/simple/pkg/", server.url())),
        RequestDescription::post(format!("{}/hook", server.url())),
    ] {
        let started = Instant::now();
        let error = with_deadline(Instant::now() + Duration::from_millis(1500), || {
            client.execute(&request).unwrap_err()
        });
        assert!(
            started.elapsed() < BOUND,
            "{:?}: {error}",
            started.elapsed()
        );
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Transport {
                    kind: TransportKind::Timeout,
                    ..
                }
            ),
            "{error:?}"
        );
        // It was sent and not answered: it may have been carried out.
        assert!(error.may_have_been_received(), "{error}");
    }
    assert!(server.accepted() >= 2);
}

#[test]
fn no_attempt_starts_after_the_deadline() {
    let server = FakeServer::start(|_| FakeResponse::text(200, "ok"));
    let client = HttpClient::new(HttpOptions::default());
    let passed = Instant::now();
    std::thread::sleep(Duration::from_millis(5));
    let error = with_deadline(passed, || {
        client
            .execute(&RequestDescription::post(format!("{}/hook", server.url())))
            .unwrap_err()
    });
    assert_eq!(server.request_count(), 0);
    assert!(!error.may_have_been_received());
    assert_eq!(
        error.to_string(),
        format!(
            "POST {}/hook failed: the step's timeout passed before it could be sent",
            server.url()
        )
    );
}

fn simulated_client() -> (HttpClient, Clock) {
    let clock = Clock::simulated(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let options = HttpOptions {
        retry: RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        },
        ..HttpOptions::default()
    };
    (HttpClient::new(options).with_clock(clock.clone()), clock)
}

#[test]
fn a_host_name_that_does_not_resolve_was_not_sent_and_is_retried() {
    let (client, clock) = simulated_client();
    let error = client
        .execute(&RequestDescription::post("http://relman-test.invalid/hook"))
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Transport {
                kind: TransportKind::Dns,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.may_have_been_received(), "{error}");
    assert_eq!(error.attempts(), 6, "a request that never left is retried");
    assert_eq!(clock.sleeps().len(), 5);
    assert!(
        error.to_string().starts_with(
            "POST http://relman-test.invalid/hook failed: cannot resolve `relman-test.invalid`: "
        ),
        "{error}"
    );
    assert_eq!(
        error.hint().as_deref(),
        Some("check the URL and the network connection")
    );
}

#[test]
fn a_refused_connection_was_not_sent() {
    // A port nothing listens on any more.
    let url = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let (client, _) = simulated_client();
    let error = client
        .execute(&RequestDescription::post(format!("{url}/hook")))
        .unwrap_err();
    assert!(!error.may_have_been_received(), "{error:?}");
    assert_eq!(error.attempts(), 6);
}
