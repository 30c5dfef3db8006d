//! `http`, `slack` and `webhook` against the recording fake: one request each, values flowing
//! between steps, and never a second message after a crash unless the step says it is safe.

use std::time::Duration;

use relman_testkit::http_server::Fault;
use relman_testkit::recorder::Recorder;

use crate::remote_support::{Fixture, effects_text, header, http_effects, outputs};

fn fixture(recorder: &Recorder, steps: &str) -> Fixture {
    let github = crate::remote_support::fake_github();
    let mut fixture = Fixture::new(&format!("{}\n{steps}", header(&github)));
    fixture.set_var("BUGZILLA_API_KEY", Recorder::BUGZILLA_KEY);
    fixture.set_var("SLACK_WEBHOOK_URL", &recorder.slack_webhook_url());
    fixture
}

fn ticket(recorder: &Recorder, idempotent: bool) -> String {
    format!(
        r#"[[workflow.ship.step]]
id = "bug"
http = "POST {}/bug"
headers = {{ X-BUGZILLA-API-KEY = "{{env.BUGZILLA_API_KEY}}" }}
json = {{ product = "Cloud", component = "Deploy", summary = "Deploy {{project}} {{version}}", version = "{{version}}" }}
expect = 200
save = {{ bug = "/id" }}
idempotent = {idempotent}
"#,
        recorder.bugzilla_url()
    )
}

#[test]
fn a_ticket_is_opened_and_its_id_reaches_slack_and_a_webhook() {
    let recorder = Recorder::start();
    let fixture = fixture(
        &recorder,
        &format!(
            r##"{}
[[workflow.ship.step]]
slack = "#releases"
message = "app {{version}} is out, deploy bug {{steps.bug.bug}}"

[[workflow.ship.step]]
webhook = "{}"
payload = {{ bug = "{{steps.bug.bug}}", notes = "{{changelog}}" }}
"##,
            ticket(&recorder, false),
            recorder.webhook_url()
        ),
    );
    let plan = fixture.plan("ship");
    let (method, url, body) = &http_effects(&plan, 1)[0];
    assert_eq!(
        (method.as_str(), url.as_str()),
        ("POST", format!("{}/bug", recorder.bugzilla_url()).as_str())
    );
    let body: serde_json::Value = serde_json::from_str(body.as_deref().unwrap()).unwrap();
    assert_eq!(body["summary"], "Deploy app 1.2.3");
    assert!(effects_text(&plan, 1).contains("saves `bug` from `/id`"));
    let (_, slack_url, slack_body) = &http_effects(&plan, 2)[0];
    assert_eq!(
        slack_url,
        &format!("{}/****", recorder.url()),
        "the webhook path is a secret"
    );
    assert!(
        slack_body
            .as_deref()
            .unwrap()
            .contains("deploy bug {steps.bug.bug}")
    );
    assert!(recorder.requests().is_empty(), "the plan sent a request");

    fixture.start(&plan).assert_done();
    let bugs = recorder.requests_to("/rest/bug");
    assert_eq!(bugs.len(), 1);
    assert_eq!(bugs[0].json()["version"], "1.2.3");
    let out = outputs(&fixture, 1);
    assert_eq!(out["bug"], Recorder::FIRST_BUG.to_string());
    assert_eq!(out["status"], "200");
    let slack = recorder.requests_to("/services/");
    assert_eq!(slack.len(), 1);
    assert_eq!(slack[0].json()["text"], "app 1.2.3 is out, deploy bug 1001");
    assert_eq!(slack[0].json()["channel"], "#releases");
    let hooks = recorder.requests_to("/hooks/");
    assert_eq!(hooks[0].json()["bug"], "1001");
    assert!(
        hooks[0].json()["notes"]
            .as_str()
            .unwrap()
            .contains("parse week dates")
    );
}

#[test]
fn a_message_interrupted_while_sending_pauses_instead_of_sending_twice() {
    let recorder = Recorder::start();
    let fixture = fixture(
        &recorder,
        &format!(
            "{}\n[[workflow.ship.step]]\nslack = \"#releases\"\nmessage = \"out\"\n\n[[workflow.ship.step]]\nwebhook = \"{}\"\n",
            ticket(&recorder, false),
            recorder.webhook_url()
        ),
    );
    fixture.run("ship").assert_done();
    for step in [1, 2, 3] {
        let before = recorder.requests().len();
        fixture.crash_at(step, None);
        let reason = fixture.resume(false).paused();
        assert!(
            reason.contains("cannot tell whether it finished"),
            "{reason}"
        );
        assert!(reason.contains("relman resume --confirm"), "{reason}");
        assert_eq!(
            recorder.requests().len(),
            before,
            "step {step} was sent again"
        );
        // The person checked: it was sent. The steps after it run; this one is not sent again.
        fixture.resume(true).assert_done();
        let sent = recorder.requests().len() - before;
        assert_eq!(sent, 3 - step, "after confirming step {step}");
        assert_eq!(
            fixture.journal().steps[step - 1]
                .output_tail
                .last()
                .unwrap(),
            "marked done with `relman resume --confirm`"
        );
    }
}

#[test]
fn an_idempotent_request_is_sent_again_on_resume() {
    let recorder = Recorder::start();
    let fixture = fixture(&recorder, &ticket(&recorder, true));
    fixture.run("ship").assert_done();
    fixture.crash_at(1, None);
    fixture.resume(false).assert_done();
    assert_eq!(recorder.requests_to("/rest/bug").len(), 2);
    assert_eq!(outputs(&fixture, 1)["bug"], "1002");
}

#[test]
fn missing_webhooks_and_refused_requests_say_what_to_do() {
    let recorder = Recorder::start();
    let mut fixture = fixture(
        &recorder,
        &format!(
            "[[workflow.slack.step]]\nslack = \"#releases\"\nmessage = \"out\"\n\n{}",
            ticket(&recorder, false)
        ),
    );
    fixture.set_var("SLACK_WEBHOOK_URL", "");
    // The plan says so before anything runs.
    let error = fixture.try_plan("slack").unwrap_err().to_string();
    assert!(
        error.contains("`SLACK_WEBHOOK_URL` is not set (the Slack webhook URL)"),
        "{error}"
    );
    // A variable gone between the plan and the run: the step says so.
    fixture.set_var("SLACK_WEBHOOK_URL", &recorder.slack_webhook_url());
    let plan = fixture.plan("slack");
    fixture.set_var("SLACK_WEBHOOK_URL", "");
    let (_, message, hint) = fixture.start(&plan).failed();
    assert!(
        message.contains("`SLACK_WEBHOOK_URL` is not set"),
        "{message}"
    );
    assert!(hint.unwrap().contains("incoming webhook"));

    fixture.set_var(
        "SLACK_WEBHOOK_URL",
        &recorder
            .slack_webhook_url()
            .replace("/services/", "/nowhere/"),
    );
    let (_, message, _) = fixture.resume(false).failed();
    assert!(
        message.starts_with("cannot post to Slack #releases: POST "),
        "{message}"
    );
    assert!(message.contains("answered 404"), "{message}");
    assert!(!message.contains("s3cr3tWebhookPath"), "{message}");
    fixture.set_var("SLACK_WEBHOOK_URL", &recorder.slack_webhook_url());
    fixture.resume(false).assert_done();

    fixture.set_var("BUGZILLA_API_KEY", "wrong-key-value");
    let (_, message, hint) = fixture.run("ship").failed();
    assert!(message.contains("answered 401"), "{message}");
    assert!(message.contains("You must log in"), "{message}");
    assert!(hint.unwrap().contains("check the credentials"));
}

#[test]
fn a_post_whose_answer_never_came_pauses_instead_of_failing() {
    let recorder = Recorder::start();
    let fixture = fixture(
        &recorder,
        &format!("{}timeout = \"1s\"\n", ticket(&recorder, false)),
    );
    // The ticket is created, but the answer comes after the step's timeout.
    recorder.server().fail_next_request(
        "POST",
        "/rest/bug",
        Fault::SlowAnswer(Duration::from_secs(3)),
    );
    let reason = fixture.run("ship").paused();
    assert!(reason.contains("no answer came"), "{reason}");
    assert!(reason.contains("relman resume --confirm"), "{reason}");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(recorder.requests_to("/rest/bug").len(), 1);
    // A plain resume does not send it again; the person says it arrived.
    fixture.resume(false).paused();
    assert_eq!(recorder.requests_to("/rest/bug").len(), 1);
    fixture.resume(true).assert_done();
    assert_eq!(recorder.requests_to("/rest/bug").len(), 1);
}

/// The ticket step with a look-up that finds a bug filed by an earlier run.
fn ticket_with_find(recorder: &Recorder, extra: &str) -> String {
    format!(
        r##"[[workflow.ship.step]]
{extra}id = "bug"
http = "POST {url}/bug"
headers = {{ X-BUGZILLA-API-KEY = "{{env.BUGZILLA_API_KEY}}" }}
json = {{ product = "Cloud", component = "Deploy", summary = "Deploy {{project}} {{version}} to STAGE", version = "{{version}}" }}
expect = 200
save = {{ bug = "/id" }}
find = "GET {url}/bug?product=Cloud&component=Deploy&summary=Deploy%20{{project}}%20{{version}}%20to%20STAGE"
found = {{ bug = "/bugs/0/id" }}

[[workflow.ship.step]]
slack = "#releases"
message = "deploy bug {{steps.bug.bug}}"
"##,
        url = recorder.bugzilla_url()
    )
}

#[test]
fn a_request_with_a_look_up_is_sent_once_across_crashes() {
    let recorder = Recorder::start();
    let fixture = fixture(&recorder, &ticket_with_find(&recorder, ""));
    let plan = fixture.plan("ship");
    let requests = http_effects(&plan, 1);
    assert_eq!(
        (requests[0].0.as_str(), requests[0].1.as_str()),
        (
            "GET",
            format!(
                "{}/bug?product=Cloud&component=Deploy&summary=Deploy%20app%201.2.3%20to%20STAGE",
                recorder.bugzilla_url()
            )
            .as_str()
        )
    );
    assert_eq!(requests[1].0, "POST");
    assert!(effects_text(&plan, 1).contains("looks first: when its answer has `/bugs/0/id`"));
    assert!(recorder.requests().is_empty(), "the plan sent a request");

    // First run: nothing found, so the bug is filed.
    fixture.start(&plan).assert_done();
    assert_eq!(posts(&recorder), 1);
    assert_eq!(outputs(&fixture, 1)["bug"], "1001");

    // Killed after the POST, before `done` was written: the look-up finds the bug, the step is
    // done with its id, and the message after it carries the id.
    fixture.crash_at(1, None);
    fixture.resume(false).assert_done();
    assert_eq!(posts(&recorder), 1, "filed twice");
    assert_eq!(outputs(&fixture, 1)["bug"], "1001");
    assert!(
        fixture.journal().steps[0]
            .output_tail
            .iter()
            .any(|line| line.contains("found done"))
    );
    let slack = recorder.requests_to("/services/");
    assert_eq!(slack.last().unwrap().json()["text"], "deploy bug 1001");
}

fn posts(recorder: &Recorder) -> usize {
    recorder
        .requests_to("/rest/bug")
        .into_iter()
        .filter(|request| request.method == "POST")
        .count()
}

#[test]
fn a_failed_request_with_a_look_up_is_sent_again_when_nothing_was_filed() {
    let recorder = Recorder::start();
    let fixture = fixture(&recorder, &ticket_with_find(&recorder, ""));
    recorder.server().fail_next_request(
        "POST",
        "/rest/bug",
        Fault::Respond(relman_testkit::http_server::FakeResponse::json(
            400,
            &serde_json::json!({"error": true, "code": 32000, "message": "Bugzilla is down for maintenance"}),
        )),
    );
    let (step, message, _) = fixture.run("ship").failed();
    assert_eq!(step, 1);
    assert!(message.contains("down for maintenance"), "{message}");
    // Nothing was filed: the look-up finds nothing, and the bug is filed once.
    fixture.resume(false).assert_done();
    assert_eq!(posts(&recorder), 2);
    assert_eq!(outputs(&fixture, 1)["bug"], "1001");
    assert_eq!(
        recorder.requests_to("/services/").last().unwrap().json()["text"],
        "deploy bug 1001"
    );
}

#[test]
fn an_unanswered_request_with_a_look_up_is_found_instead_of_pausing() {
    let recorder = Recorder::start();
    let fixture = fixture(
        &recorder,
        &ticket_with_find(&recorder, "timeout = \"1s\"\n"),
    );
    // Filed, but the answer comes after the step stopped waiting for it.
    recorder.server().fail_next_request(
        "POST",
        "/rest/bug",
        Fault::SlowAnswer(Duration::from_secs(3)),
    );
    fixture.run("ship").assert_done();
    assert_eq!(posts(&recorder), 1);
    assert_eq!(outputs(&fixture, 1)["bug"], "1001");
}
