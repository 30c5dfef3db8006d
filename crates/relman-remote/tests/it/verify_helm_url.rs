//! `verify = "helm"` against a served `index.yaml` (as helm writes it), and `wait = "url"`
//! against a page that appears after a while.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use relman_remote::verify::helm::HelmVerify;
use relman_remote::verify::url::UrlVerify;
use relman_remote::wait::{Poll, PollOptions, poll_until};
use relman_remote::{Clock, HttpClient, HttpOptions, RetryPolicy};
use relman_testkit::http_server::{FakeResponse, FakeServer};

const INDEX: &str = include_str!("../data/helm/index.yaml");

fn client() -> HttpClient {
    HttpClient::new(HttpOptions {
        timeout: Duration::from_secs(5),
        retry: RetryPolicy::none(),
        ..HttpOptions::default()
    })
}

fn clock() -> Clock {
    Clock::simulated(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
}

fn helm_repo() -> FakeServer {
    FakeServer::start(|request| match request.path.as_str() {
        "/charts/index.yaml" => FakeResponse::bytes(200, "application/x-yaml", INDEX.into()),
        _ => FakeResponse::text(404, "404 page not found"),
    })
}

#[test]
fn helm_chart_versions_from_index_yaml() {
    let repo = helm_repo();
    let url = format!("{}/charts", repo.url());
    let found = HelmVerify::new(&url, "relman-demo", "0.3.1")
        .unwrap()
        .check(&client());
    assert!(
        matches!(&found, Ok(Poll::Ready(found)) if found.version == "0.3.1"),
        "{found:?}"
    );
    assert_eq!(repo.requests()[0].path, "/charts/index.yaml");

    // `version: 2.x.x` of a dependency and the text of a description are not chart versions.
    for absent in ["2.x.x", "9.9.9", "1.0.0"] {
        let check = HelmVerify::new(&url, "relman-demo", absent)
            .unwrap()
            .check(&client());
        assert!(matches!(check, Ok(Poll::Pending(_))), "{absent}: {check:?}");
    }

    let error = poll_until(
        &clock(),
        &PollOptions::with_timeout(Duration::from_secs(10)),
        "the chart",
        || {
            HelmVerify::new(&url, "relman-demo", "0.5.0")
                .unwrap()
                .check(&client())
        },
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("lists `relman-demo` at 2 versions (0.4.0, 0.3.1), not 0.5.0 yet"),
        "{error}"
    );

    // A repository without an index yet is "not yet", not an error.
    let check = HelmVerify::new(&format!("{}/new", repo.url()), "x", "1.0.0")
        .unwrap()
        .check(&client());
    assert!(matches!(check, Ok(Poll::Pending(_))), "{check:?}");
}

#[test]
fn a_page_that_is_not_an_index_is_an_error() {
    let server = FakeServer::start(|_| FakeResponse::text(200, "<html>login</html>"));
    let error = HelmVerify::new(server.url(), "x", "1.0.0")
        .unwrap()
        .check(&client())
        .unwrap_err();
    assert!(
        error.to_string().contains("no top-level `entries`"),
        "{error}"
    );
}

#[test]
fn url_waits_for_status_and_text() {
    let hits = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&hits);
    let server = FakeServer::start(move |request| {
        if request.path == "/gone" {
            return FakeResponse::text(410, "Gone");
        }
        match counter.fetch_add(1, Ordering::SeqCst) {
            0 => FakeResponse::text(404, "not yet"),
            1 => FakeResponse::text(200, "docs for 2.1.2"),
            _ => FakeResponse::text(200, "docs for 2.1.3"),
        }
    });
    let verify = UrlVerify::new(&format!("{}/docs/", server.url()), None, Some("2.1.3")).unwrap();
    let mut reasons = Vec::new();
    let found = poll_until(&clock(), &PollOptions::default(), "the docs", || {
        let check = verify.check(&client());
        if let Ok(Poll::Pending(reason)) = &check {
            reasons.push(reason.clone());
        }
        check
    })
    .unwrap();
    assert_eq!(found.status, 200);
    assert_eq!(reasons.len(), 2);
    assert!(reasons[0].ends_with("/docs/ answered 404"), "{reasons:?}");
    assert!(
        reasons[1].ends_with("does not contain \"2.1.3\" yet"),
        "{reasons:?}"
    );

    // An expected error status is a success too (a withdrawn download that must be gone).
    let gone = UrlVerify::new(&format!("{}/gone", server.url()), Some(410), None).unwrap();
    assert!(matches!(gone.check(&client()), Ok(Poll::Ready(found)) if found.status == 410));
    let still = UrlVerify::new(&format!("{}/docs/", server.url()), Some(410), None).unwrap();
    assert!(matches!(still.check(&client()), Ok(Poll::Pending(_))));
}
