//! `mastodon`, `bluesky` and `discourse` against the recording fakes of their APIs: one post
//! each, never a second one after a crash, credentials masked and required.

use relman_testkit::social::FakeSocial;

use crate::remote_support::{Fixture, effects_text, fake_github, header, outputs};

fn fixture(_social: &FakeSocial, steps: &str) -> Fixture {
    let github = fake_github();
    let mut fixture = Fixture::new(&format!("{}\n{steps}", header(&github)));
    fixture.set_var("MASTODON_TOKEN", FakeSocial::MASTODON_TOKEN);
    fixture.set_var("BLUESKY_APP_PASSWORD", FakeSocial::BLUESKY_PASSWORD);
    fixture.set_var("DISCOURSE_API_KEY", FakeSocial::DISCOURSE_KEY);
    fixture.set_var("DISCOURSE_API_USERNAME", FakeSocial::DISCOURSE_USER);
    fixture
}

fn steps(social: &FakeSocial) -> String {
    format!(
        r#"[[workflow.ship.step]]
mastodon = "{url}"
message = "{{project}} {{version}} is out: https://example.org/{{version}}"

[[workflow.ship.step]]
bluesky = "{handle}"
pds = "{url}"
message = "{{project}} {{version}} is out: https://example.org/{{version}}"

[[workflow.ship.step]]
discourse = "{url}"
title = "{{project}} {{version}} has been released"
message = "Hello all, {{project}} {{version}} is out. Notes: {{changelog}}"
category = 7
"#,
        url = social.url(),
        handle = FakeSocial::BLUESKY_HANDLE
    )
}

#[test]
fn each_post_is_sent_once_and_the_plan_sends_nothing() {
    let social = FakeSocial::start();
    let fixture = fixture(&social, &steps(&social));
    let plan = fixture.plan("ship");
    let mastodon = effects_text(&plan, 1);
    assert!(mastodon.contains("/api/v1/statuses"), "{mastodon}");
    assert!(!mastodon.contains(FakeSocial::MASTODON_TOKEN));
    assert!(effects_text(&plan, 2).contains("com.atproto.repo.createRecord"));
    let discourse = effects_text(&plan, 3);
    assert!(discourse.contains("/latest.json") && discourse.contains("/posts.json"));
    assert!(!discourse.contains(FakeSocial::DISCOURSE_KEY));
    assert!(social.requests().is_empty(), "the plan sent a request");

    fixture.start(&plan).assert_done();
    let statuses = social.statuses();
    assert_eq!(statuses.len(), 1);
    assert_eq!(
        statuses[0]["text"],
        "app 1.2.3 is out: https://example.org/1.2.3"
    );
    let posted = social
        .requests()
        .into_iter()
        .find(|request| request.path == "/api/v1/statuses")
        .unwrap();
    assert!(
        posted
            .header("idempotency-key")
            .is_some_and(|key| key.len() >= 16)
    );
    let posts = social.posts();
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts[0]["facets"][0]["features"][0]["uri"],
        "https://example.org/1.2.3"
    );
    let topics = social.topics();
    assert_eq!(topics.len(), 1);
    assert_eq!(topics[0]["title"], "app 1.2.3 has been released");
    assert_eq!(topics[0]["category_id"], 7);
    assert!(
        topics[0]["raw"]
            .as_str()
            .unwrap()
            .contains("parse week dates")
    );
    assert!(outputs(&fixture, 3)["url"].ends_with("/t/app-1-2-3-has-been-released/100"));
    for (_, text) in fixture.journal_files() {
        for secret in [
            FakeSocial::MASTODON_TOKEN,
            FakeSocial::BLUESKY_PASSWORD,
            FakeSocial::DISCOURSE_KEY,
        ] {
            assert!(!text.contains(secret), "a secret reached the journal");
        }
    }
}

#[test]
fn a_crash_in_any_post_never_posts_twice() {
    let social = FakeSocial::start();
    let all = steps(&social);
    let parts: Vec<&str> = all.split("[[workflow.ship.step]]").skip(1).collect();
    let recorded: [&[&str]; 3] = [
        &["idempotency_key", "key_created"],
        &["rkey", "did", "created_at"],
        &["title"],
    ];
    for (part, keep) in parts.iter().zip(recorded) {
        let fixture = fixture(&social, &format!("[[workflow.ship.step]]{part}"));
        fixture.run("ship").assert_done();
        // Killed while it was running, after its request went out.
        fixture.crash_at(1, Some(keep));
        fixture.resume(false).assert_done();
    }
    assert_eq!(social.statuses().len(), 1, "Mastodon got a second status");
    assert_eq!(social.posts().len(), 1, "Bluesky got a second post");
    assert_eq!(social.topics().len(), 1, "Discourse got a second topic");
    let keys: Vec<_> = social
        .requests()
        .into_iter()
        .filter(|request| request.path == "/api/v1/statuses")
        .map(|request| request.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert!(keys.len() == 2 && keys[0] == keys[1], "{keys:?}");
}

#[test]
fn without_a_token_the_plan_refuses_before_anything_is_sent() {
    let social = FakeSocial::start();
    let github = fake_github();
    let fixture = Fixture::new(&format!("{}\n{}", header(&github), steps(&social)));
    // Every missing login at once, each with its step, before any step runs.
    let error = fixture.try_plan("ship").expect_err("the plan went through");
    let relman_engine::plan::PlanError::Problems { problems, .. } = &error else {
        panic!("{error}");
    };
    let shown: Vec<(usize, &str)> = problems
        .iter()
        .map(|problem| (problem.number, problem.message.as_str()))
        .collect();
    for (number, name) in [
        (1, "`MASTODON_TOKEN` is not set"),
        (2, "`BLUESKY_APP_PASSWORD` is not set"),
        (3, "`DISCOURSE_API_KEY` is not set"),
        (3, "`DISCOURSE_API_USERNAME` is not set"),
    ] {
        assert!(
            shown
                .iter()
                .any(|(at, message)| *at == number && message.contains(name)),
            "{name} at step {number}: {shown:?}"
        );
    }
    assert!(problems.iter().all(|problem| problem.machine));
    assert!(social.requests().is_empty());
}
