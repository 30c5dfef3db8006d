//! `pull-request`, `merge-pull-request` and `wait = "pr-merged"` against the fake GitHub.

use relman_testkit::github::FakeGitHub;
use relman_testkit::recorder::Recorder;

use crate::remote_support::{Fixture, effects_text, fake_github, header, http_effects, outputs};

fn pull_fixture(github: &FakeGitHub, steps: &str) -> Fixture {
    let head = "1111111111111111111111111111111111111111";
    github.add_branch("octo/app", "main", head);
    github.add_branch(
        "octo/app",
        "release/1.2.3",
        "2222222222222222222222222222222222222222",
    );
    let mut fixture = Fixture::new(&format!("{}\n{steps}", header(github)));
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    fixture
}

const OPEN: &str = r#"
[[workflow.ship.step]]
id = "pr"
pull-request = "open"
head = "release/{version}"
base = "main"
title = "Release {version}"
body = "{changelog}"
reviewers = ["alice", "octo/maintainers"]
assignees = ["bob"]
labels = ["release"]
"#;

#[test]
fn a_pull_request_is_opened_merged_and_awaited_with_its_number_flowing_on() {
    let github = fake_github();
    let recorder = Recorder::start();
    let fixture = pull_fixture(
        &github,
        &format!(
            r#"{OPEN}
[[workflow.ship.step]]
merge-pull-request = "{{pr_number}}"
method = "squash"

[[workflow.ship.step]]
wait = "pr-merged"
interval = "50ms"

[[workflow.ship.step]]
webhook = "{}"
payload = {{ pr = "{{steps.pr.number}}", url = "{{pr_url}}" }}
"#,
            recorder.webhook_url()
        ),
    );
    let plan = fixture.plan("ship");
    let api = github.api_url();
    let requests = http_effects(&plan, 1);
    assert_eq!(
        requests
            .iter()
            .map(|(method, url, _)| format!("{method} {url}"))
            .collect::<Vec<_>>(),
        [
            format!("POST {api}/repos/octo/app/pulls"),
            format!("POST {api}/repos/octo/app/pulls/{{pr_number}}/requested_reviewers"),
            format!("POST {api}/repos/octo/app/issues/{{pr_number}}/assignees"),
            format!("POST {api}/repos/octo/app/issues/{{pr_number}}/labels"),
        ]
    );
    let body: serde_json::Value = serde_json::from_str(requests[0].2.as_deref().unwrap()).unwrap();
    assert_eq!(body["head"], "release/1.2.3");
    assert_eq!(body["title"], "Release 1.2.3");
    assert!(effects_text(&plan, 1).contains("team_reviewers"));
    assert_eq!(
        http_effects(&plan, 2)[0].1,
        format!("{api}/repos/octo/app/pulls/{{pr_number}}/merge")
    );
    assert!(
        http_effects(&plan, 2)[0]
            .2
            .as_deref()
            .unwrap()
            .contains("\"squash\"")
    );
    assert_eq!(github.api().request_count(), 0, "the plan sent a request");

    fixture.start(&plan).assert_done();
    let pulls = github.pull_requests("octo/app");
    assert_eq!(pulls.len(), 1, "{pulls:#?}");
    let pull = &pulls[0];
    assert_eq!(pull.head, "octo:release/1.2.3");
    assert!(pull.body.as_deref().unwrap().contains("parse week dates"));
    assert!(pull.merged);
    assert_eq!(pull.merge_method.as_deref(), Some("squash"));
    assert_eq!(pull.reviewers, ["alice"]);
    assert_eq!(pull.team_reviewers, ["maintainers"]);
    assert_eq!(pull.assignees, ["bob"]);
    assert_eq!(pull.labels, ["release"]);
    let hook = &recorder.requests_to("/hooks/")[0];
    assert_eq!(hook.json()["pr"], pull.number.to_string());
    assert_eq!(hook.json()["url"], outputs(&fixture, 1)["url"].as_str());
    assert!(outputs(&fixture, 3)["summary"].contains("is merged"));
}

fn pull_creates(github: &FakeGitHub) -> usize {
    github
        .api()
        .requests()
        .iter()
        .filter(|request| request.method == "POST" && request.path.ends_with("/pulls"))
        .count()
}

#[test]
fn a_crash_after_opening_reuses_the_pull_request() {
    let github = fake_github();
    let fixture = pull_fixture(&github, OPEN);
    fixture.run("ship").assert_done();
    // Killed after the create request, before the number was recorded.
    fixture.crash_at(1, Some(&["repo", "head", "base"]));
    fixture.resume(false).assert_done();
    assert_eq!(github.pull_requests("octo/app").len(), 1);
    assert_eq!(pull_creates(&github), 1);
    assert_eq!(github.pull_requests("octo/app")[0].labels, ["release"]);
    // Killed after everything but `done`: the probe finds it, nothing is sent.
    let before = github.api().requests().len();
    fixture.crash_at(1, None);
    fixture.resume(false).assert_done();
    let after: Vec<_> = github.api().requests()[before..]
        .iter()
        .map(|request| request.method.clone())
        .collect();
    assert_eq!(after, ["GET"], "only the probe's look");
    assert_eq!(outputs(&fixture, 1)["number"], "1");
}

#[test]
fn a_crash_after_merging_does_not_merge_again() {
    let github = fake_github();
    let number = {
        github.add_branch("octo/app", "main", &"1".repeat(40));
        github.add_branch("octo/app", "release/1.2.3", &"2".repeat(40));
        github.add_pull_request("octo/app", "release/1.2.3", "main", "Release 1.2.3")
    };
    let mut fixture = Fixture::new(&format!(
        "{}\n[[workflow.ship.step]]\nmerge-pull-request = \"{number}\"\n",
        header(&github)
    ));
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    fixture.run("ship").assert_done();
    fixture.crash_at(1, Some(&[]));
    fixture.resume(false).assert_done();
    let merges = github
        .api()
        .requests()
        .iter()
        .filter(|request| request.method == "PUT")
        .count();
    assert_eq!(merges, 1);
    assert_eq!(outputs(&fixture, 1)["sha"].len(), 40);
}

#[test]
fn waiting_for_a_merge_pauses_at_the_timeout_and_a_closed_pull_request_fails() {
    let github = fake_github();
    github.add_branch("octo/app", "main", &"1".repeat(40));
    github.add_branch("octo/app", "release/1.2.3", &"2".repeat(40));
    let number = github.add_pull_request("octo/app", "release/1.2.3", "main", "Release 1.2.3");
    let mut fixture = Fixture::new(&format!(
        "{}\n[[workflow.ship.step]]\nwait = \"pr-merged\"\npr = \"{number}\"\ntimeout = \"1s\"\ninterval = \"100ms\"\n",
        header(&github)
    ));
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains("up to 1s, looking every 100ms"));
    let reason = fixture.start(&plan).paused();
    assert!(
        reason.contains(&format!("#{number} is still open")),
        "{reason}"
    );
    assert!(reason.contains("`relman resume` waits again"), "{reason}");

    github.merge_pull_request("octo/app", number);
    fixture.resume(false).assert_done();

    let other = github.add_pull_request("octo/app", "release/1.2.3", "main", "Another");
    github.close_pull_request("octo/app", other);
    let mut fixture = Fixture::new(&format!(
        "{}\n[[workflow.ship.step]]\nwait = \"pr-merged\"\npr = \"{other}\"\n",
        header(&github)
    ));
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    let (_, message, hint) = fixture.run("ship").failed();
    assert!(
        message.contains("was closed without being merged"),
        "{message}"
    );
    assert!(hint.unwrap().contains("reopen"));
}

#[test]
fn github_refusing_the_pull_request_is_quoted() {
    let github = fake_github();
    let fixture = pull_fixture(
        &github,
        "[[workflow.ship.step]]\npull-request = \"open\"\nhead = \"release/{version}\"\nbase = \"production\"\ntitle = \"Release {version}\"\n",
    );
    let (step, message, _) = fixture.run("ship").failed();
    assert_eq!(step, 1);
    assert_eq!(
        message,
        format!(
            "cannot open the pull request from `release/1.2.3` into `production` in `octo/app`: POST {}/repos/octo/app/pulls answered 422 Unprocessable Entity: Validation Failed: PullRequest `base` invalid",
            github.api_url()
        )
    );
    assert!(github.pull_requests("octo/app").is_empty());
}

#[test]
fn wait_pr_approved_counts_each_reviewers_latest_decision() {
    let github = fake_github();
    let number = github.add_pull_request("octo/app", "release/1.2.3", "main", "Release 1.2.3");
    github.add_review("octo/app", number, "ann", "APPROVED");
    github.add_review("octo/app", number, "bob", "APPROVED");
    github.add_review("octo/app", number, "bob", "CHANGES_REQUESTED");
    let mut fixture = Fixture::new(&format!(
        "{}\n[[workflow.ship.step]]\nwait = \"pr-approved\"\npr = {number}\napprovals = 2\ninterval = \"50ms\"\ntimeout = \"1s\"\n",
        header(&github)
    ));
    fixture.set_var("GITHUB_TOKEN", "ghp_test");
    github.set_token("ghp_test");
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains(&format!("/pulls/{number}/reviews")));
    let reason = fixture.start(&plan).paused();
    assert!(reason.contains("has 1 of 2 approvals (ann)"), "{reason}");
    github.add_review("octo/app", number, "bob", "APPROVED");
    fixture.resume(false).assert_done();
    assert_eq!(
        outputs(&fixture, 1)["summary"],
        format!("#{number} is approved by ann, bob")
    );
    assert!(github.take_violations().is_empty());
}
