//! `verify = "oci"` against Debian's real `docker-registry` (open, and behind basic auth) with
//! images pushed through its HTTP API, and the Docker Hub / GHCR anonymous-token flow against a
//! fake registry and a fake token service.

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use relman_remote::verify::VerifyError;
use relman_remote::verify::oci::{MANIFEST_ACCEPT, OciFound, OciVerify};
use relman_remote::wait::{Poll, PollOptions, poll_until};
use relman_remote::{Clock, HttpClient, HttpOptions, RetryPolicy, Secret};
use relman_testkit::http_server::{FakeResponse, FakeServer};
use relman_testkit::services::{DockerRegistry, or_skip};

fn client() -> HttpClient {
    HttpClient::new(HttpOptions {
        timeout: Duration::from_secs(10),
        retry: RetryPolicy::none(),
        ..HttpOptions::default()
    })
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn ready(result: Result<Poll<OciFound>, VerifyError>) -> OciFound {
    match result {
        Ok(Poll::Ready(found)) => found,
        other => panic!("not ready: {other:?}"),
    }
}

fn pending(result: Result<Poll<OciFound>, VerifyError>) -> String {
    match result {
        Ok(Poll::Pending(reason)) => reason,
        other => panic!("not pending: {other:?}"),
    }
}

#[test]
fn tags_and_platforms_on_a_real_registry() {
    let Some(registry) = or_skip(DockerRegistry::start()) else {
        return;
    };
    let single = registry
        .push_image("team/app", "1.0.0", "linux/amd64")
        .unwrap();
    let index = registry
        .push_index("team/app", "1.1.0", &["linux/amd64", "linux/arm64/v8"])
        .unwrap();
    let image = format!("{}/team/app", registry.host());

    let found = ready(
        OciVerify::new(&image, &strings(&["1.0.0", "1.1.0"]), &[], None)
            .unwrap()
            .check(&client()),
    );
    assert_eq!(found.tags[0].digest, single.digest);
    assert_eq!(found.tags[1].digest, index.digest);
    assert_eq!(found.tags[1].platforms, ["linux/amd64", "linux/arm64/v8"]);

    // `linux/arm64` is `linux/arm64/v8` once normalised.
    let platforms = strings(&["linux/amd64", "linux/arm64"]);
    ready(
        OciVerify::new(&image, &strings(&["1.1.0"]), &platforms, None)
            .unwrap()
            .check(&client()),
    );
    // A single-platform image states its platform in its config blob.
    let found = ready(
        OciVerify::new(
            &format!("{image}:1.0.0"),
            &[],
            &strings(&["linux/amd64"]),
            None,
        )
        .unwrap()
        .check(&client()),
    );
    assert_eq!(found.tags[0].platforms, ["linux/amd64"]);

    let reason = pending(
        OciVerify::new(&image, &strings(&["1.0.0"]), &platforms, None)
            .unwrap()
            .check(&client()),
    );
    assert!(
        reason.ends_with("team/app:1.0.0 lacks linux/arm64 (it has linux/amd64)"),
        "{reason}"
    );
}

#[test]
fn a_promoted_tag_must_name_the_release_s_image() {
    let Some(registry) = or_skip(DockerRegistry::start()) else {
        return;
    };
    registry
        .push_image("team/app", "1.0.0", "linux/amd64")
        .unwrap();
    let release = registry
        .push_image("team/app", "1.1.0", "linux/amd64")
        .unwrap();
    // `alpha` still names the last release's image.
    let old = registry
        .client()
        .retag("team/app", "1.0.0", "alpha")
        .unwrap();
    let image = format!("{}/team/app", registry.host());
    let verify = OciVerify::new(&image, &strings(&["alpha"]), &[], None)
        .unwrap()
        .same_as("1.1.0")
        .unwrap();
    assert!(
        verify
            .describe()
            .ends_with("has `alpha`, the same image as `1.1.0`"),
        "{}",
        verify.describe()
    );
    let urls: Vec<String> = verify.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        [
            format!("{}/v2/team/app/manifests/alpha", registry.url()),
            format!("{}/v2/team/app/manifests/1.1.0", registry.url())
        ]
    );
    let reason = pending(verify.check(&client()));
    assert_eq!(
        reason,
        format!(
            "{image}:alpha is {}, not the image of `1.1.0` ({})",
            old.digest, release.digest
        )
    );
    registry
        .client()
        .retag("team/app", "1.1.0", "alpha")
        .unwrap();
    let found = ready(verify.check(&client()));
    assert_eq!(found.tags[0].digest, release.digest);
    // The reference must be a tag or a digest.
    assert!(
        OciVerify::new(&image, &strings(&["alpha"]), &[], None)
            .unwrap()
            .same_as("not a tag")
            .is_err()
    );
}

#[test]
fn a_missing_tag_times_out_with_the_reason() {
    let Some(registry) = or_skip(DockerRegistry::start()) else {
        return;
    };
    registry
        .push_image("team/app", "1.0.0", "linux/amd64")
        .unwrap();
    let image = format!("{}/team/app", registry.host());
    let verify = OciVerify::new(&image, &strings(&["1.0.0", "2.0.0"]), &[], None).unwrap();
    let clock = Clock::simulated(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let error = poll_until(
        &clock,
        &PollOptions::with_timeout(Duration::from_secs(20)),
        "the image",
        || verify.check(&client()),
    )
    .unwrap_err();
    assert!(error.is_timeout());
    let expected = format!("2.0.0 is not on {image} yet");
    assert!(error.to_string().ends_with(&expected), "{error}");
}

#[test]
fn basic_auth_registry() {
    let Some(registry) = or_skip(DockerRegistry::start_with_basic_auth("ci", "s3cret-pw")) else {
        return;
    };
    registry
        .push_image("team/private", "1.0.0", "linux/amd64")
        .unwrap();
    let image = format!("{}/team/private", registry.host());
    let tags = strings(&["1.0.0"]);

    let error = OciVerify::new(&image, &tags, &[], None)
        .unwrap()
        .check(&client())
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::CredentialsNeeded { .. }),
        "{error}"
    );
    assert!(error.hint().is_some());

    let login = Some(("ci".to_owned(), Secret::new("s3cret-pw")));
    let verify = OciVerify::new(&image, &tags, &strings(&["linux/amd64"]), login).unwrap();
    ready(verify.check(&client()));
    // The accepted credential is kept: a second look needs no new challenge.
    ready(verify.check(&client()));

    let wrong = Some(("ci".to_owned(), Secret::new("wrong-pw")));
    let error = OciVerify::new(&image, &tags, &[], wrong)
        .unwrap()
        .check(&client())
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::CredentialsRefused { .. }),
        "{error}"
    );
    assert!(!error.to_string().contains("wrong-pw"), "{error}");
}

/// A fake registry that wants `Bearer tok-123`, and its token service; returns both and the
/// number of tokens issued.
fn bearer_registry(anonymous: bool) -> (FakeServer, FakeServer, Arc<Mutex<u32>>) {
    let issued = Arc::new(Mutex::new(0));
    let count = Arc::clone(&issued);
    let tokens = FakeServer::start(move |request| {
        let scope_ok = request.query_param("scope").as_deref() == Some("repository:org/app:pull")
            && request.query_param("service").as_deref() == Some("fake-registry");
        // "bot:pat-456" in base64.
        let login_ok =
            anonymous || request.header("authorization") == Some("Basic Ym90OnBhdC00NTY=");
        if scope_ok && login_ok {
            *count.lock().unwrap() += 1;
            FakeResponse::json(
                200,
                &serde_json::json!({"token": "tok-123", "expires_in": 300}),
            )
        } else {
            FakeResponse::json(
                401,
                &serde_json::json!({"details": "incorrect username or password"}),
            )
        }
    });
    let realm = format!("{}/token", tokens.url());
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:aa", "size": 1,
                       "platform": {"os": "linux", "architecture": "amd64"}}]
    });
    let registry = FakeServer::start(move |request| {
        if request.header("authorization") != Some("Bearer tok-123") {
            let challenge = format!(
                r#"Bearer realm="{realm}",service="fake-registry",scope="repository:org/app:pull""#
            );
            return FakeResponse::json(
                401,
                &serde_json::json!({"errors": [{"code": "UNAUTHORIZED"}]}),
            )
            .with_header("WWW-Authenticate", &challenge);
        }
        match request.path.as_str() {
            "/v2/org/app/manifests/1.0.0" => FakeResponse::bytes(
                200,
                "application/vnd.oci.image.index.v1+json",
                serde_json::to_vec(&manifest).unwrap(),
            )
            .with_header("Docker-Content-Digest", "sha256:index100"),
            _ => FakeResponse::json(
                404,
                &serde_json::json!({"errors": [{"code": "MANIFEST_UNKNOWN"}]}),
            ),
        }
    });
    (registry, tokens, issued)
}

#[test]
fn anonymous_bearer_token_flow() {
    let (registry, tokens, issued) = bearer_registry(true);
    let image = format!("127.0.0.1:{}/org/app", registry.port());
    let verify = OciVerify::new(
        &image,
        &strings(&["1.0.0"]),
        &strings(&["linux/amd64"]),
        None,
    )
    .unwrap();
    let found = ready(verify.check(&client()));
    assert_eq!(found.tags[0].digest, "sha256:index100");
    ready(verify.check(&client()));
    assert_eq!(
        *issued.lock().unwrap(),
        1,
        "the token is reused across looks"
    );

    let token_requests = tokens.requests();
    assert_eq!(token_requests.len(), 1);
    assert_eq!(token_requests[0].header("authorization"), None);
    let manifest_requests = registry.requests();
    assert_eq!(manifest_requests[0].header("authorization"), None);
    assert_eq!(
        manifest_requests[1].header("authorization"),
        Some("Bearer tok-123")
    );
    assert_eq!(manifest_requests[1].header("accept"), Some(MANIFEST_ACCEPT));

    let reason = pending(
        OciVerify::new(&image, &strings(&["2.0.0"]), &[], None)
            .unwrap()
            .check(&client()),
    );
    assert!(reason.contains("2.0.0 is not on"), "{reason}");
}

#[test]
fn bearer_token_with_a_login() {
    let (registry, tokens, _) = bearer_registry(false);
    let image = format!("127.0.0.1:{}/org/app", registry.port());
    let error = OciVerify::new(&image, &strings(&["1.0.0"]), &[], None)
        .unwrap()
        .check(&client())
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::CredentialsNeeded { .. }),
        "{error}"
    );

    let login = Some(("bot".to_owned(), Secret::new("pat-456")));
    ready(
        OciVerify::new(&image, &strings(&["1.0.0"]), &[], login)
            .unwrap()
            .check(&client()),
    );
    let last = tokens.requests().pop().unwrap();
    assert_eq!(last.header("authorization"), Some("Basic Ym90OnBhdC00NTY="));
    // The registry only ever saw the token, never the login.
    assert!(registry.requests().iter().all(|request| {
        request
            .header("authorization")
            .is_none_or(|value| value.starts_with("Bearer "))
    }));

    let wrong = Some(("bot".to_owned(), Secret::new("nope-789")));
    let error = OciVerify::new(&image, &strings(&["1.0.0"]), &[], wrong)
        .unwrap()
        .check(&client())
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::CredentialsRefused { .. }),
        "{error}"
    );
    assert!(!error.to_string().contains("nope-789"));
}

#[test]
fn helm_charts_in_an_oci_registry() {
    let Some(registry) = or_skip(DockerRegistry::start()) else {
        return;
    };
    // `helm push` stores chart `app` 0.4.0+build.1 as `charts/app:0.4.0_build.1`.
    let pushed = registry
        .push_image("charts/app", "0.4.0_build.1", "linux/amd64")
        .unwrap();
    let repo = format!("oci://{}/charts", registry.host());
    let verify =
        relman_remote::verify::helm::oci_chart(&repo, "app", "0.4.0+build.1", None).unwrap();
    assert_eq!(ready(verify.check(&client())).tags[0].digest, pushed.digest);
    let later = relman_remote::verify::helm::oci_chart(&repo, "app", "0.5.0", None).unwrap();
    assert!(pending(later.check(&client())).contains("0.5.0 is not on"));
}
