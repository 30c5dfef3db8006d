//! The CircleCI client against the stateful fake: trigger with branch or tag and parameters (the
//! request body asserted), wait for the workflows, download artifacts from another host with the
//! token only where it is allowed.

use std::time::{Duration, UNIX_EPOCH};

use relman_remote::circleci::{CircleCi, CircleCiConfig, CircleCiError, PipelineTrigger};
use relman_remote::wait::{PollOptions, poll_until};
use relman_remote::{Clock, HttpOptions, RetryPolicy, Secret};
use relman_testkit::circleci::FakeCircleCi;
use serde_json::json;

fn client(fake: &FakeCircleCi, artifact_origins: Vec<String>) -> (CircleCi, Clock) {
    let clock = Clock::simulated(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let config = CircleCiConfig {
        api: fake.api_url(),
        token: Some(Secret::new(FakeCircleCi::TOKEN)),
        artifact_origins,
        http: HttpOptions {
            timeout: Duration::from_secs(5),
            retry: RetryPolicy::none(),
            ..HttpOptions::default()
        },
        clock: clock.clone(),
        ..CircleCiConfig::default()
    };
    (CircleCi::new(config, "gh/closeio/ciso8601").unwrap(), clock)
}

fn build_wheels_on(branch: &str) -> PipelineTrigger {
    let mut trigger = PipelineTrigger {
        branch: Some(branch.to_owned()),
        ..PipelineTrigger::default()
    };
    trigger
        .parameters
        .insert("build_wheels".to_owned(), json!(true));
    trigger
}

#[test]
fn trigger_wait_and_download_like_the_ciso8601_runbook() {
    let fake = FakeCircleCi::start();
    fake.set_workflows(&[("build_wheels", "success"), ("lint", "success")]);
    fake.finish_after_looks(4);
    fake.add_artifact(
        "build_wheels",
        "wheelhouse/ciso8601-2.1.3-cp311-cp311-manylinux_2_17_x86_64.whl",
        b"wheel",
    );
    fake.add_artifact("build_wheels", "wheelhouse/ciso8601-2.1.3.tar.gz", b"sdist");
    // The token is allowed on the fake's artifact host, as on output.circle-artifacts.com.
    let (circleci, clock) = client(&fake, vec![fake.artifact_origin().to_owned()]);
    fake.require_token_for_artifacts(true);

    let pipeline = circleci.trigger(&build_wheels_on("master")).unwrap();
    assert_eq!(pipeline.number, 100);
    let posted = &fake.api_requests()[0];
    assert_eq!(
        posted.line(),
        "POST /api/v2/project/gh/closeio/ciso8601/pipeline"
    );
    assert_eq!(
        posted.json(),
        json!({"branch": "master", "parameters": {"build_wheels": true}})
    );
    assert_eq!(posted.header("circle-token"), Some(FakeCircleCi::TOKEN));

    let mut reasons = Vec::new();
    let done = poll_until(&clock, &PollOptions::default(), "pipeline 100", || {
        let look = circleci.check_pipeline(&pipeline);
        if let Ok(relman_remote::wait::Poll::Pending(reason)) = &look {
            reasons.push(reason.clone());
        }
        look
    })
    .unwrap();
    assert_eq!(done.workflows.len(), 2);
    assert_eq!(
        reasons[0],
        "pipeline 100 has no workflow yet (state `created`)"
    );
    assert_eq!(
        reasons[1],
        "pipeline 100: `build_wheels` running, `lint` running"
    );
    assert_eq!(reasons.len(), 3);

    let dist = tempfile::tempdir().unwrap();
    let files = circleci
        .download_artifacts(&done.workflows, &dist.path().join("dist"))
        .unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "ciso8601-2.1.3-cp311-cp311-manylinux_2_17_x86_64.whl",
            "ciso8601-2.1.3.tar.gz"
        ]
    );
    assert_eq!(fs_err::read(&files[1]).unwrap(), b"sdist");
    assert!(
        fake.artifact_requests()
            .iter()
            .all(|request| request.header("circle-token") == Some(FakeCircleCi::TOKEN))
    );
    // No partial file is left behind.
    assert_eq!(
        fs_err::read_dir(dist.path().join("dist")).unwrap().count(),
        2
    );
}

#[test]
fn the_token_is_not_sent_to_an_artifact_host_that_is_not_allowed() {
    let fake = FakeCircleCi::start();
    fake.add_artifact("build", "dist/pkg-1.0.tar.gz", b"sdist");
    let (circleci, clock) = client(&fake, Vec::new());
    let pipeline = circleci.trigger(&build_wheels_on("master")).unwrap();
    let done = poll_until(&clock, &PollOptions::default(), "pipeline", || {
        circleci.check_pipeline(&pipeline)
    })
    .unwrap();
    let dist = tempfile::tempdir().unwrap();
    circleci
        .download_artifacts(&done.workflows, dist.path())
        .unwrap();
    let downloads = fake.artifact_requests();
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0].header("circle-token"), None);

    // A private project's artifacts then fail with the host's answer, and no file is written.
    fake.require_token_for_artifacts(true);
    let other = tempfile::tempdir().unwrap();
    let error = circleci
        .download_artifacts(&done.workflows, other.path())
        .unwrap_err();
    assert!(
        matches!(&error, CircleCiError::Http(http) if http.status() == Some(401)),
        "{error}"
    );
    assert!(!error.to_string().contains(FakeCircleCi::TOKEN));
    assert!(!other.path().join("pkg-1.0.tar.gz").exists());
}

#[test]
fn tags_failures_and_probes() {
    let fake = FakeCircleCi::start();
    fake.set_workflows(&[("release", "failed")]);
    let (circleci, clock) = client(&fake, Vec::new());
    let trigger = PipelineTrigger {
        tag: Some("v2.1.3".to_owned()),
        ..PipelineTrigger::default()
    };
    let pipeline = circleci.trigger(&trigger).unwrap();
    assert_eq!(fake.api_requests()[0].json(), json!({"tag": "v2.1.3"}));
    let error = poll_until(&clock, &PollOptions::default(), "pipeline", || {
        circleci.check_pipeline(&pipeline)
    })
    .unwrap_err();
    assert_eq!(error.to_string(), "pipeline 100: workflow `release` failed");

    // The probe finds the pipeline a crashed run started, and only one started since then.
    let found = circleci
        .find_triggered(&trigger, "2024-05-01T11:59:00Z")
        .unwrap();
    assert_eq!(found.map(|pipeline| pipeline.number), Some(100));
    assert!(
        circleci
            .find_triggered(&trigger, "2024-05-01T12:30:00Z")
            .unwrap()
            .is_none()
    );
    let other_tag = PipelineTrigger {
        tag: Some("v9".to_owned()),
        ..PipelineTrigger::default()
    };
    assert!(
        circleci
            .find_triggered(&other_tag, "2024-05-01T11:59:00Z")
            .unwrap()
            .is_none()
    );

    let both = PipelineTrigger {
        branch: Some("master".to_owned()),
        tag: Some("v1".to_owned()),
        ..PipelineTrigger::default()
    };
    assert!(matches!(
        circleci.trigger(&both),
        Err(CircleCiError::Invalid { .. })
    ));
}

#[test]
fn errored_pipelines_and_bad_tokens() {
    let fake = FakeCircleCi::start();
    fake.error_pipelines("Unknown parameter build_wheelz");
    let (circleci, clock) = client(&fake, Vec::new());
    let pipeline = circleci.trigger(&build_wheels_on("master")).unwrap();
    let error = poll_until(&clock, &PollOptions::default(), "pipeline", || {
        circleci.check_pipeline(&pipeline)
    })
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("did not start: config: Unknown parameter build_wheelz"),
        "{error}"
    );

    let config = CircleCiConfig {
        api: fake.api_url(),
        token: Some(Secret::new("wrong-token-value")),
        http: HttpOptions {
            retry: RetryPolicy::none(),
            ..HttpOptions::default()
        },
        ..CircleCiConfig::default()
    };
    let wrong = CircleCi::new(config, "gh/closeio/ciso8601").unwrap();
    let error = wrong.trigger(&build_wheels_on("master")).unwrap_err();
    assert!(error.to_string().contains("404"), "{error}");
    assert!(error.to_string().contains("Project not found"), "{error}");
    assert!(error.hint().unwrap().contains("token"));
}
