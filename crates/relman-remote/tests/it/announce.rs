//! Slack, webhooks and the generic `http` step (with `save`) against the recording fake,
//! including a Bugzilla-style ticket API.

use std::time::Duration;

use relman_remote::announce::AnnounceError;
use relman_remote::announce::http_step::{HttpStep, HttpStepBody};
use relman_remote::announce::slack::{Slack, SlackMessage};
use relman_remote::announce::webhook::Webhook;
use relman_remote::{HttpClient, HttpOptions, Redactor, RetryPolicy, Secret};
use relman_testkit::recorder::Recorder;
use serde_json::json;

fn client() -> HttpClient {
    HttpClient::new(HttpOptions {
        timeout: Duration::from_secs(5),
        retry: RetryPolicy::none(),
        ..HttpOptions::default()
    })
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[test]
fn slack_posts_text_and_channel() {
    let recorder = Recorder::start();
    let slack = Slack::new(&client(), Secret::new(recorder.slack_webhook_url())).unwrap();
    let message = SlackMessage {
        channel: Some("#releases".to_owned()),
        text: "ciso8601 *2.1.3* is on PyPI".to_owned(),
    };
    slack.send(&message).unwrap();
    let posted = recorder.requests_to("/services/");
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].json(),
        json!({"text": "ciso8601 *2.1.3* is on PyPI", "channel": "#releases"})
    );
    assert_eq!(posted[0].header("content-type"), Some("application/json"));

    // An empty message is refused before anything is sent, as Slack would refuse it.
    let empty = SlackMessage {
        channel: None,
        text: " ".to_owned(),
    };
    assert!(matches!(
        slack.send(&empty),
        Err(AnnounceError::Invalid { .. })
    ));
    assert_eq!(recorder.requests().len(), 1);
}

#[test]
fn slack_errors_name_the_code_without_the_webhook() {
    let recorder = Recorder::start();
    // A path the recorder does not serve behaves like a deleted webhook (404).
    let url = format!("{}/servicesX/T0/B0/deletedHookSecret", recorder.url());
    let slack = Slack::new(&client(), Secret::new(url)).unwrap();
    let error = slack
        .send(&SlackMessage {
            channel: None,
            text: "hi".to_owned(),
        })
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(!text.contains("deletedHookSecret"), "{text}");
}

#[test]
fn webhook_posts_the_payload() {
    let recorder = Recorder::start();
    let payload = json!({"event": "release", "version": "2.1.3", "assets": ["a.whl"]});
    let webhook = Webhook::new(
        &recorder.webhook_url(),
        payload.clone(),
        &pairs(&[("X-Source", "relman")]),
    )
    .unwrap();
    let answer = webhook.send(&client()).unwrap();
    assert_eq!(answer.status, 200);
    let received = recorder.requests_to("/hooks/");
    assert_eq!(received[0].json(), payload);
    assert_eq!(received[0].header("x-source"), Some("relman"));
    assert!(Webhook::new("hooks.test/x", json!({}), &[]).is_err());
}

#[test]
fn http_step_opens_a_ticket_and_saves_its_id() {
    let recorder = Recorder::start();
    let key = Secret::new(Recorder::BUGZILLA_KEY);
    let client = client().with_redactor(&Redactor::new().with(&key));
    let step = HttpStep::new(
        &format!("POST {}/bug", recorder.bugzilla_url()),
        &pairs(&[("X-BUGZILLA-API-KEY", key.expose())]),
        HttpStepBody::Json(json!({
            "product": "Release", "component": "ciso8601", "version": "unspecified",
            "summary": "Upload ciso8601 2.1.3 wheels to PyPI"
        })),
        &[200, 201],
        &pairs(&[("bug", "/id")]),
    )
    .unwrap();

    // The plan shows the key masked.
    let plan = step.render(&client).to_string();
    assert!(plan.contains("X-BUGZILLA-API-KEY: ****"), "{plan}");
    assert!(!plan.contains(Recorder::BUGZILLA_KEY));

    let result = step.execute(&client).unwrap();
    assert_eq!(result.status, 200);
    assert_eq!(result.outputs, pairs(&[("bug", "1001")]));
    let created = &recorder.requests_to("/rest/bug")[0];
    assert_eq!(
        created.json()["summary"],
        "Upload ciso8601 2.1.3 wheels to PyPI"
    );

    // A GET of the ticket, saving nested values.
    let read = HttpStep::new(
        &format!("{}/bug/1001", recorder.bugzilla_url()),
        &pairs(&[("X-BUGZILLA-API-KEY", key.expose())]),
        HttpStepBody::None,
        &[],
        &pairs(&[("summary", "/bugs/0/summary"), ("bug", "/bugs/0/id")]),
    )
    .unwrap();
    let result = read.execute(&client).unwrap();
    assert_eq!(
        result.outputs,
        pairs(&[
            ("summary", "Upload ciso8601 2.1.3 wheels to PyPI"),
            ("bug", "1001")
        ])
    );
}

#[test]
fn http_step_statuses_and_missing_values() {
    let recorder = Recorder::start();
    let key = pairs(&[("X-BUGZILLA-API-KEY", Recorder::BUGZILLA_KEY)]);
    let url = format!("POST {}/bug", recorder.bugzilla_url());
    let incomplete = HttpStepBody::Json(json!({"product": "Release"}));

    // 400 not expected: the service's message is in the error.
    let step = HttpStep::new(&url, &key, incomplete.clone(), &[], &[]).unwrap();
    let error = step.execute(&client()).unwrap_err();
    assert!(error.to_string().contains("400"), "{error}");
    assert!(
        error.to_string().contains("You must enter a component"),
        "{error}"
    );

    // 400 expected: a success, and its JSON can still be saved.
    let step = HttpStep::new(&url, &key, incomplete, &[400], &pairs(&[("code", "/code")])).unwrap();
    let result = step.execute(&client()).unwrap();
    assert_eq!(
        (result.status, result.outputs),
        (400, pairs(&[("code", "51")]))
    );

    // 200 when 201 was expected.
    let body = HttpStepBody::Json(
        json!({"product": "P", "component": "C", "version": "V", "summary": "S"}),
    );
    let step = HttpStep::new(&url, &key, body.clone(), &[201], &[]).unwrap();
    let error = step.execute(&client()).unwrap_err();
    assert!(
        matches!(error, AnnounceError::UnexpectedStatus { status: 200, .. }),
        "{error}"
    );

    // A pointer to nothing names what the answer has.
    let step = HttpStep::new(&url, &key, body, &[], &pairs(&[("bug", "/bug_id")])).unwrap();
    let error = step.execute(&client()).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("has nothing at `/bug_id` for `bug` (it has `/id`)"),
        "{error}"
    );
    assert!(error.hint().is_some());

    // A raw body goes out as text.
    let step = HttpStep::new(
        &format!("POST {}", recorder.webhook_url()),
        &[],
        HttpStepBody::Text("released 2.1.3".to_owned()),
        &[],
        &[],
    )
    .unwrap();
    step.execute(&client()).unwrap();
    let last = recorder.requests().pop().unwrap();
    assert_eq!(last.text(), "released 2.1.3");
    assert_eq!(
        last.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
}
