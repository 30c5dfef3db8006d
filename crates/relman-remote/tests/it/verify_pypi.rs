//! `verify = "pypi"` against a real pypiserver (packages uploaded with twine) and against a
//! pypi.org-style PEP 691 document served by a fake.

use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use relman_remote::verify::VerifyError;
use relman_remote::verify::pypi::{ACCEPT, PypiVerify};
use relman_remote::wait::{PollOptions, poll_until};
use relman_remote::{Clock, HttpClient, HttpOptions, RetryPolicy};
use relman_testkit::http_server::{FakeResponse, FakeServer};
use relman_testkit::services::{PypiServer, build_sdist, build_wheel, or_skip};

fn client() -> HttpClient {
    HttpClient::new(HttpOptions {
        timeout: Duration::from_secs(10),
        retry: RetryPolicy::none(),
        ..HttpOptions::default()
    })
}

fn clock() -> Clock {
    Clock::simulated(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
}

fn globs(patterns: &[&str]) -> Vec<String> {
    patterns
        .iter()
        .map(|pattern| (*pattern).to_owned())
        .collect()
}

/// A pypiserver with a pre-release wheel and sdist of `Relman.Demo` and an older sdist.
fn server_with_demo() -> Option<(PypiServer, tempfile::TempDir)> {
    let server = or_skip(PypiServer::start())?;
    let dist = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = vec![
        build_wheel(dist.path(), "Relman.Demo", "1.3.0a1").unwrap(),
        build_sdist(dist.path(), "Relman.Demo", "1.3.0a1").unwrap(),
        build_sdist(dist.path(), "Relman.Demo", "1.2.0").unwrap(),
    ];
    server.upload(&files).unwrap();
    Some((server, dist))
}

#[test]
fn every_file_of_a_pre_release_is_found_by_its_normalised_name() {
    let Some((server, _dist)) = server_with_demo() else {
        return;
    };
    // The project is named as the user spells it; the version as relman's semver-ish form.
    let verify = PypiVerify::new(
        &server.simple_url(),
        "Relman.Demo",
        "1.3.0-alpha.1",
        &globs(&["relman_demo-1.3.0-alpha.1-py3-none-any.whl", "*.tar.gz"]),
    )
    .unwrap();
    assert_eq!(
        verify.project_url(),
        format!("{}relman-demo/", server.simple_url())
    );
    let found = poll_until(
        &clock(),
        &PollOptions::with_timeout(Duration::from_secs(60)),
        "files",
        || verify.check(&client()),
    )
    .unwrap();
    assert_eq!(
        found.files,
        [
            "relman_demo-1.3.0a1-py3-none-any.whl",
            "relman_demo-1.3.0a1.tar.gz"
        ]
    );
}

#[test]
fn a_missing_file_times_out_and_says_which() {
    let Some((server, _dist)) = server_with_demo() else {
        return;
    };
    let verify = PypiVerify::new(
        &server.simple_url(),
        "relman-demo",
        "1.3.0a1",
        &globs(&["*.tar.gz", "*-cp311-*manylinux*.whl"]),
    )
    .unwrap();
    let clock = clock();
    let mut looks = 0;
    let error = poll_until(
        &clock,
        &PollOptions::with_timeout(Duration::from_secs(30)),
        "relman-demo 1.3.0a1 on the index",
        || {
            looks += 1;
            verify.check(&client())
        },
    )
    .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("missing on http://127.0.0.1:")
            && text.contains("`*-cp311-*manylinux*.whl`")
            && text.contains("relman_demo-1.3.0a1.tar.gz"),
        "{text}"
    );
    assert!(looks >= 3, "polled {looks} times");
    assert_eq!(
        clock.sleeps().iter().sum::<Duration>(),
        Duration::from_secs(30)
    );
}

#[test]
fn files_uploaded_while_waiting_are_seen() {
    let Some(server) = or_skip(PypiServer::start()) else {
        return;
    };
    let dist = tempfile::tempdir().unwrap();
    let wheel = build_wheel(dist.path(), "late-pkg", "2.0.0").unwrap();
    let verify = PypiVerify::new(
        &server.simple_url(),
        "late-pkg",
        "2.0.0",
        &globs(&["*.whl"]),
    )
    .unwrap();
    let mut reasons = Vec::new();
    let found = poll_until(
        &clock(),
        &PollOptions::with_timeout(Duration::from_secs(600)),
        "late-pkg",
        || {
            let check = verify.check(&client());
            if let Ok(relman_remote::wait::Poll::Pending(reason)) = &check {
                reasons.push(reason.clone());
                if reasons.len() == 2 {
                    server.upload(std::slice::from_ref(&wheel)).unwrap();
                }
            }
            check
        },
    )
    .unwrap();
    assert_eq!(found.files, ["late_pkg-2.0.0-py3-none-any.whl"]);
    assert_eq!(reasons.len(), 2);
    assert!(reasons[0].contains("late-pkg is not on"), "{reasons:?}");
}

#[test]
fn pep691_json_from_a_pypi_org_style_index() {
    let document = include_str!("../data/pypi/ciso8601-simple.json");
    let server = FakeServer::start(move |request| {
        if request.path == "/simple/ciso8601/" {
            FakeResponse::bytes(200, "application/vnd.pypi.simple.v1+json", document.into())
        } else {
            FakeResponse::text(404, "Not Found")
        }
    });
    let index = format!("{}/simple/", server.url());
    let check = |version: &str, files: &[&str]| {
        PypiVerify::new(&index, "ciso8601", version, &globs(files))
            .unwrap()
            .check(&client())
    };
    let found = check(
        "2.3.0",
        &[
            "ciso8601-2.3.0.tar.gz",
            "*manylinux*x86_64*.whl",
            "*macosx*arm64.whl",
        ],
    );
    assert!(
        matches!(&found, Ok(relman_remote::wait::Poll::Ready(found)) if found.files.len() == 3),
        "{found:?}"
    );
    // 2.1.3 has only an sdist.
    assert!(matches!(
        check("2.1.3", &["*.whl"]),
        Ok(relman_remote::wait::Poll::Pending(_))
    ));
    // The release candidate is there but yanked: waiting will not help.
    let yanked = check("2.3.1rc1", &[]).unwrap_err();
    assert!(matches!(yanked, VerifyError::Yanked { .. }));
    assert!(
        yanked.to_string().contains("Broken build, use 2.3.1"),
        "{yanked}"
    );
    assert_eq!(server.requests()[0].header("accept"), Some(ACCEPT));
}
