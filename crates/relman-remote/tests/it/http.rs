//! The HTTP layer against a local fake server: retries and their waits (asserted on a simulated
//! clock), rate limits, timeouts, redirects that must not carry the token, pagination, error text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use relman_remote::http::{ErrorKind, TransportKind};
use relman_remote::{
    Clock, Credential, HttpClient, HttpOptions, RequestDescription, RetryPolicy, Secret,
};
use relman_testkit::http_server::{FakeResponse, FakeServer, Fault};
use serde_json::json;

const TOKEN: &str = "ghp_test_token_0123456789";

fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A client with the token bound to `url`'s origin, a simulated clock and deterministic back-off.
fn client_for(url: &str) -> (HttpClient, Clock) {
    let clock = Clock::simulated(start());
    let options = HttpOptions {
        timeout: Duration::from_millis(500),
        retry: RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        },
        ..HttpOptions::default()
    };
    let client = HttpClient::new(options)
        .with_credential(Credential::bearer(url, Secret::new(TOKEN)).unwrap())
        .with_clock(clock.clone());
    (client, clock)
}

fn ok_server() -> FakeServer {
    FakeServer::start(|request| FakeResponse::json(200, &json!({"path": request.path})))
}

#[test]
fn server_errors_are_retried_with_exponential_backoff() {
    let server = ok_server();
    let (client, clock) = client_for(server.url());
    server.fail_next(Fault::ServerError);
    server.fail_next(Fault::BadGateway);
    let response = client
        .execute(&RequestDescription::get(format!("{}/x", server.url())))
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.request_count(), 3);
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
}

#[test]
fn retry_after_is_honoured_exactly() {
    let server = ok_server();
    let (client, clock) = client_for(server.url());
    server.fail_next(Fault::TooManyRequests { retry_after: 7 });
    client
        .execute(&RequestDescription::get(server.url()))
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
}

#[test]
fn secondary_rate_limits_wait_as_github_asks() {
    let server = ok_server();
    let (client, clock) = client_for(server.url());
    server.fail_next(Fault::SecondaryRateLimit {
        retry_after: Some(3),
    });
    server.fail_next(Fault::SecondaryRateLimit { retry_after: None });
    client
        .execute(&RequestDescription::get(server.url()))
        .unwrap();
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(3), Duration::from_secs(60)]
    );
}

#[test]
fn an_exhausted_rate_limit_waits_until_its_reset() {
    let server = ok_server();
    let (client, clock) = client_for(server.url());
    let reset = start() + Duration::from_secs(40);
    let reset_epoch = reset.duration_since(UNIX_EPOCH).unwrap().as_secs();
    server.fail_next(Fault::RateLimitExhausted { reset_epoch });
    client
        .execute(&RequestDescription::get(server.url()))
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(41)]);
}

#[test]
fn a_wait_longer_than_the_budget_fails_with_a_hint() {
    let server = ok_server();
    let (client, clock) = client_for(server.url());
    let reset_epoch = start().duration_since(UNIX_EPOCH).unwrap().as_secs() + 3600;
    server.fail_next(Fault::RateLimitExhausted { reset_epoch });
    let error = client
        .execute(&RequestDescription::get(format!(
            "{}/repos/o/r",
            server.url()
        )))
        .unwrap_err();
    assert!(clock.sleeps().is_empty());
    assert_eq!(error.status(), Some(403));
    assert_eq!(
        error.to_string(),
        format!(
            "GET {}/repos/o/r answered 403 Forbidden: API rate limit exceeded for user ID 1.",
            server.url()
        )
    );
    let hint = error.hint().unwrap();
    assert!(
        hint.starts_with("the rate limit resets at 2023-11-14T23:13:20Z"),
        "{hint}"
    );
}

#[test]
fn a_hang_past_the_timeout_is_retried() {
    let server = ok_server();
    let (client, clock) = client_for(server.url());
    server.fail_next(Fault::Hang(Duration::from_secs(3)));
    let response = client
        .execute(&RequestDescription::get(server.url()))
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.request_count(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
}

#[test]
fn giving_up_after_the_last_attempt_says_so() {
    let server = ok_server();
    let (client, _clock) = client_for(server.url());
    server.fail_next_n(10, Fault::BadGateway);
    let error = client
        .execute(&RequestDescription::get(format!("{}/a", server.url())))
        .unwrap_err();
    assert_eq!(server.request_count(), 6);
    assert_eq!(
        error.to_string(),
        format!(
            "GET {}/a answered 502 Bad Gateway: 502 Bad Gateway (after 6 attempts)",
            server.url()
        )
    );
    assert!(error.is_transient());
}

#[test]
fn twenty_percent_transient_failures_do_not_break_a_sequence_of_calls() {
    let server = ok_server();
    let (client, _clock) = client_for(server.url());
    server.fail_randomly(
        0.2,
        vec![
            Fault::ServerError,
            Fault::BadGateway,
            Fault::TooManyRequests { retry_after: 1 },
            Fault::SecondaryRateLimit { retry_after: None },
        ],
        42,
    );
    for call in 0..40 {
        let response = client
            .execute(
                &RequestDescription::post(format!("{}/call/{call}", server.url()))
                    .json(json!({"n": call})),
            )
            .unwrap();
        assert_eq!(
            response.json::<serde_json::Value>().unwrap()["path"],
            format!("/call/{call}")
        );
    }
    let faulted = server
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    assert!(faulted > 0, "the fault rate injected nothing");
}

#[test]
fn client_errors_are_not_retried_and_quote_the_service() {
    let server = FakeServer::start(|_| {
        FakeResponse::json(
            422,
            &json!({
                "message": "Validation Failed",
                "errors": [{"resource": "Release", "code": "already_exists", "field": "tag_name"}],
                "documentation_url": "https://docs.github.com/rest/releases/releases#create-a-release",
            }),
        )
    });
    let (client, clock) = client_for(server.url());
    let error = client
        .execute(
            &RequestDescription::post(format!("{}/repos/o/r/releases", server.url()))
                .json(json!({})),
        )
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    assert!(clock.sleeps().is_empty());
    assert_eq!(
        error.to_string(),
        format!(
            "POST {}/repos/o/r/releases answered 422 Unprocessable Entity: \
             Validation Failed: Release `tag_name` already_exists",
            server.url()
        )
    );
    assert!(error.body().unwrap().contains("already_exists"));
}

#[test]
fn secrets_echoed_by_a_service_are_masked_in_errors() {
    let server = FakeServer::start(|request| {
        let auth = request
            .header("authorization")
            .unwrap_or_default()
            .to_owned();
        FakeResponse::json(401, &json!({"message": format!("Bad credentials: {auth}")}))
    });
    let (client, _clock) = client_for(server.url());
    let url = format!("{}/user?access_token={TOKEN}", server.url());
    let error = client.execute(&RequestDescription::get(url)).unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains(TOKEN), "{text}");
    assert_eq!(
        error.to_string(),
        format!(
            "GET {}/user?access_token=**** answered 401 Unauthorized: Bad credentials: ****",
            server.url()
        )
    );
}

#[test]
fn the_token_is_not_sent_to_another_host_after_a_redirect() {
    let blob =
        FakeServer::start(|_| FakeResponse::bytes(200, "application/zip", b"PK-bytes".to_vec()));
    let blob_url = format!("{}/artifact.zip?sig=signature123", blob.url());
    let api = FakeServer::start(move |_| FakeResponse::redirect(302, &blob_url));
    let (client, _clock) = client_for(api.url());
    let response = client
        .execute(
            &RequestDescription::get(format!("{}/repos/o/r/actions/artifacts/1/zip", api.url()))
                .header("Accept", "application/vnd.github+json"),
        )
        .unwrap();
    assert_eq!(response.body(), b"PK-bytes");
    assert_eq!(
        response.url(),
        format!("{}/artifact.zip?sig=****", blob.url())
    );
    let api_request = &api.requests()[0];
    assert_eq!(
        api_request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let blob_request = &blob.requests()[0];
    assert_eq!(blob_request.header("authorization"), None);
    assert!(
        blob_request
            .headers
            .iter()
            .all(|(_, value)| !value.contains(TOKEN))
    );
}

#[test]
fn a_redirect_back_to_the_same_origin_keeps_the_token() {
    let server = FakeServer::start(|request| match request.path.as_str() {
        "/old" => FakeResponse::redirect(301, "/new"),
        _ => FakeResponse::json(200, &json!({})),
    });
    let (client, _clock) = client_for(server.url());
    client
        .execute(&RequestDescription::get(format!("{}/old", server.url())))
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[1].path, "/new");
    assert!(requests[1].header("authorization").is_some());
}

#[test]
fn pagination_follows_link_headers() {
    let server = FakeServer::start(|request| {
        let page: usize = request
            .query_param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let items: Vec<usize> = ((page - 1) * 2..(page * 2).min(7)).collect();
        let mut response = FakeResponse::json(200, &json!({"total_count": 7, "items": items}));
        if page * 2 < 7 {
            let host = request.header("host").unwrap_or_default();
            response = response.with_header(
                "Link",
                &format!("<http://{host}/list?per_page=2&page={}>; rel=\"next\", <http://{host}/list?per_page=2&page=4>; rel=\"last\"", page + 1),
            );
        }
        response
    });
    let (client, _clock) = client_for(server.url());
    let items: Vec<usize> = client
        .get_all(
            &RequestDescription::get(format!("{}/list", server.url())).query("per_page", "2"),
            Some("items"),
        )
        .unwrap();
    assert_eq!(items, (0..7).collect::<Vec<_>>());
    assert_eq!(server.request_count(), 4);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_some())
    );
}

#[test]
fn connection_failures_are_retried_then_reported() {
    let url = {
        let server = ok_server();
        server.url().to_owned()
    };
    let (client, clock) = client_for(&url);
    let error = client
        .execute(&RequestDescription::get(format!("{url}/x")))
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Transport {
                kind: TransportKind::Connect | TransportKind::Io,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.attempts(), 6);
    assert_eq!(clock.sleeps().len(), 5);
    assert!(
        error
            .to_string()
            .starts_with(&format!("GET {url}/x failed: ")),
        "{error}"
    );
    assert!(error.hint().is_some());
}

#[test]
fn files_are_uploaded_with_their_length_and_type() {
    let server =
        FakeServer::start(|request| FakeResponse::json(201, &json!({"size": request.body.len()})));
    let (client, _clock) = client_for(server.url());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pkg-1.0.tar.gz");
    fs_err::write(&path, vec![7u8; 100_000]).unwrap();
    server.fail_next(Fault::ServerError);
    let response = client
        .execute(
            &RequestDescription::post(format!("{}/upload?name=pkg-1.0.tar.gz", server.url()))
                .file("application/gzip", &path),
        )
        .unwrap();
    assert_eq!(
        response.json::<serde_json::Value>().unwrap()["size"],
        100_000
    );
    let request = &server.requests()[1];
    assert_eq!(request.header("content-length"), Some("100000"));
    assert_eq!(request.header("content-type"), Some("application/gzip"));
    assert_eq!(request.body, vec![7u8; 100_000]);
}

#[test]
fn downloads_stream_to_a_file() {
    let server =
        FakeServer::start(|_| FakeResponse::bytes(200, "application/octet-stream", vec![1, 2, 3]));
    let (client, _clock) = client_for(server.url());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.bin");
    server.fail_next(Fault::BadGateway);
    client
        .download(&RequestDescription::get(server.url()), &path)
        .unwrap();
    assert_eq!(fs_err::read(&path).unwrap(), [1, 2, 3]);
}

#[test]
fn a_plan_renders_the_request_with_credentials_masked() {
    let (client, _clock) = client_for("https://api.github.com");
    let request = RequestDescription::post("https://api.github.com/repos/o/r/releases")
        .header("Accept", "application/vnd.github+json")
        .json(json!({"tag_name": "v1.0.0", "draft": true}));
    assert_eq!(
        client.render(&request).to_string(),
        "POST https://api.github.com/repos/o/r/releases\n\
         Accept: application/vnd.github+json\n\
         Authorization: ****\n\n\
         {\n  \"tag_name\": \"v1.0.0\",\n  \"draft\": true\n}"
    );
    let elsewhere = client.render(&RequestDescription::get("https://example.org/"));
    assert!(elsewhere.headers.is_empty());
}

#[test]
fn a_write_that_timed_out_is_not_sent_twice() {
    let server = ok_server();
    let (client, clock) = client_for(server.url());
    server.fail_next(Fault::SlowAnswer(Duration::from_secs(3)));
    let error = client
        .execute(&RequestDescription::post(format!("{}/releases", server.url())).json(json!({})))
        .unwrap_err();
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
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.request_count(), 1);
    assert!(clock.sleeps().is_empty());
}
