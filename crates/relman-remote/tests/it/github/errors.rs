//! What the user sees when GitHub says no (401, 403, 404, 422, 5xx, rate limits), that secrets
//! never show, that transient failures do not break a release, and that the contract check bites.

use std::time::Duration;

use relman_remote::Method;
use relman_remote::github::{GitHubError, NewPullRequest, NewRelease};
use relman_testkit::http_server::Fault;

use super::{client, setup};

#[test]
fn a_rejected_token_says_which_variable_to_fix() {
    let s = setup();
    let github = client(&s.fake, Some("ghp_wrong_token_123456"), s.clock.clone());
    let error = github.release_by_tag(&s.repo, "v1").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "GET {}/repos/octo/app/releases/tags/v1 answered 401 Unauthorized: Bad credentials",
            s.fake.api_url()
        )
    );
    assert_eq!(
        error.hint().unwrap(),
        "GitHub rejected the token in `GITHUB_TOKEN`: check that it is valid and has not expired"
    );
    assert!(!format!("{error:?}").contains("ghp_wrong_token_123456"));
}

#[test]
fn a_missing_token_is_named_before_anything_is_sent() {
    let s = setup();
    let github = client(&s.fake, None, s.clock.clone());
    let error = github.release_by_tag(&s.repo, "v1").unwrap_err();
    assert!(matches!(error, GitHubError::MissingToken { .. }));
    assert_eq!(
        error.to_string(),
        "no GitHub token: set `GITHUB_TOKEN` (or `GH_TOKEN`)"
    );
    assert_eq!(s.fake.api().request_count(), 0);
}

#[test]
fn an_unknown_repository_is_a_404_with_a_hint() {
    let s = setup();
    let error = s
        .github
        .repository(&"octo/missing".parse().unwrap())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "GET {}/repos/octo/missing answered 404 Not Found: Not Found",
            s.fake.api_url()
        )
    );
    assert!(
        error
            .hint()
            .unwrap()
            .contains("GitHub answers 404, not 403, for private repositories")
    );
}

#[test]
fn a_token_without_write_permission_is_a_403_with_a_hint() {
    let s = setup();
    s.fake.set_read_only(true);
    let release = NewRelease {
        tag_name: "v1".into(),
        target_commitish: None,
        name: None,
        body: None,
        draft: true,
        prerelease: false,
    };
    let error = s
        .github
        .create_release(&s.repo, &release)
        .send()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "POST {}/repos/octo/app/releases answered 403 Forbidden: Resource not accessible by personal access token",
            s.fake.api_url()
        )
    );
    assert!(
        error
            .hint()
            .unwrap()
            .contains("releases need `contents: write`")
    );
    assert_eq!(
        s.fake.api().request_count(),
        1,
        "a plain 403 is not retried"
    );
}

#[test]
fn server_errors_are_retried_then_reported_with_a_hint() {
    let s = setup();
    s.fake.api().fail_next_n(10, Fault::ServerError);
    let error = s.github.repository(&s.repo).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "GET {}/repos/octo/app answered 500 Internal Server Error: Server Error (after 6 attempts)",
            s.fake.api_url()
        )
    );
    assert!(error.hint().unwrap().contains("githubstatus.com"));
}

#[test]
fn rate_limits_are_waited_out_as_asked() {
    let s = setup();
    s.fake
        .api()
        .fail_next(Fault::TooManyRequests { retry_after: 7 });
    s.fake
        .api()
        .fail_next(Fault::SecondaryRateLimit { retry_after: None });
    s.fake.api().fail_next(Fault::Hang(Duration::from_secs(2)));
    s.github.repository(&s.repo).unwrap();
    assert_eq!(
        s.clock.sleeps(),
        [
            Duration::from_secs(7),
            Duration::from_secs(60),
            Duration::from_secs(4)
        ]
    );
}

#[test]
fn a_release_flow_survives_twenty_percent_transient_failures() {
    let s = setup();
    s.fake
        .add_branch("octo/app", "release/1.0", &"2".repeat(40));
    s.fake.add_check_run(
        "octo/app",
        super::SHA,
        "build",
        "completed",
        Some("success"),
    );
    s.fake.api().fail_randomly(
        0.2,
        vec![
            Fault::ServerError,
            Fault::BadGateway,
            Fault::TooManyRequests { retry_after: 2 },
            Fault::SecondaryRateLimit {
                retry_after: Some(1),
            },
        ],
        7,
    );
    let dir = tempfile::tempdir().unwrap();
    let sdist = dir.path().join("app-1.0.tar.gz");
    fs_err::write(&sdist, b"sdist").unwrap();
    for _ in 0..3 {
        let (release, _) = s
            .github
            .ensure_release(
                &s.repo,
                &NewRelease {
                    tag_name: "v1.0".into(),
                    target_commitish: None,
                    name: Some("1.0".into()),
                    body: Some("notes".into()),
                    draft: true,
                    prerelease: false,
                },
            )
            .unwrap();
        s.github
            .replace_asset(&s.repo, &release, &sdist, None)
            .unwrap();
        let pull = NewPullRequest {
            title: "Release 1.0".into(),
            head: "release/1.0".into(),
            base: "main".into(),
            body: None,
            draft: false,
        };
        s.github.open_or_reuse_pull_request(&s.repo, &pull).unwrap();
        s.github.checks(&s.repo, super::SHA).unwrap();
    }
    assert!(s.fake.api().requests().iter().any(|r| r.fault.is_some()));
    let releases = s.fake.releases("octo/app");
    assert_eq!(releases.len(), 1);
    assert_eq!(releases[0].assets.len(), 1);
    assert_eq!(s.fake.pull_requests("octo/app").len(), 1);
}

#[test]
fn the_contract_check_catches_a_request_github_would_refuse() {
    let s = setup();
    let request = s
        .github
        .request(Method::Get, "repos/octo/app/pulls")
        .query("state", "opened")
        .query("per-page", "5");
    let error = s.github.execute(&request).unwrap_err();
    assert_eq!(error.status(), Some(422));
    let violations = s.fake.take_violations();
    assert_eq!(violations.len(), 2, "{violations:?}");
    assert!(
        violations[0].contains("(pulls/list): query parameter `state`"),
        "{violations:?}"
    );
    assert!(
        violations[1].ends_with("unknown query parameter `per-page`"),
        "{violations:?}"
    );
}

#[test]
fn a_create_whose_answer_was_lost_is_probed_not_repeated() {
    let s = setup();
    s.fake
        .add_branch("octo/app", "release/1.0", &"2".repeat(40));
    // GitHub carries out the POST, but its answer comes after the client's timeout.
    let slow = Fault::SlowAnswer(Duration::from_secs(3));
    let creates = |path: &str| {
        s.fake
            .api()
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .count()
    };
    s.fake
        .api()
        .fail_next_request("POST", "/api/v3/repos/octo/app/releases", slow.clone());
    let release = NewRelease {
        tag_name: "v1.0".into(),
        target_commitish: None,
        name: None,
        body: None,
        draft: true,
        prerelease: false,
    };
    let (created, was_created) = s.github.ensure_release(&s.repo, &release).unwrap();
    assert!(was_created);
    assert!(created.draft);
    assert_eq!(
        s.fake.releases("octo/app").len(),
        1,
        "GitHub allows two drafts for one tag"
    );
    assert_eq!(creates("/api/v3/repos/octo/app/releases"), 1);

    s.fake
        .api()
        .fail_next_request("POST", "/api/v3/repos/octo/app/pulls", slow);
    let pull = NewPullRequest {
        title: "Release 1.0".into(),
        head: "release/1.0".into(),
        base: "main".into(),
        body: None,
        draft: false,
    };
    let (opened, was_created) = s.github.open_or_reuse_pull_request(&s.repo, &pull).unwrap();
    assert!(was_created);
    assert_eq!(opened.head.branch, "release/1.0");
    assert_eq!(s.fake.pull_requests("octo/app").len(), 1);
    assert_eq!(creates("/api/v3/repos/octo/app/pulls"), 1);
}
