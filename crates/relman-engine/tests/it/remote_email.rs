//! `email` against a real SMTP server (aiosmtpd): one message with the changelog, the sender from
//! git's `user.email`, and a pause rather than a second message after a crash.

use std::time::Duration;

use relman_testkit::services::{SmtpSink, or_skip};

use crate::remote_support::{Fixture, effects_text, fake_github, header, outputs};

const STEPS: &str = r#"
[[workflow.ship.step]]
email = "team@example.org"
cc = ["qa@example.org"]
subject = "{project} {version} is tagged"
body = "Hello,\n\n{changelog}\n"
"#;

#[test]
fn one_email_with_the_changelog_and_none_again_after_a_crash() {
    let Some(sink) = or_skip(SmtpSink::start()) else {
        return;
    };
    let github = fake_github();
    let mut fixture = Fixture::new(&format!("{}{STEPS}", header(&github)));
    fixture.set_var("RELMAN_SMTP_URL", &format!("smtp://{}", sink.address()));
    let plan = fixture.plan("ship");
    let text = effects_text(&plan, 1);
    assert!(
        text.contains(&format!(
            "send email via smtp://{} (STARTTLS when offered): from test@example.com to team@example.org cc qa@example.org, subject \\\"app 1.2.3 is tagged\\\"",
            sink.address()
        )),
        "{text}"
    );
    assert!(text.contains("parse week dates"), "{text}");
    assert!(sink.messages().is_empty());

    fixture.start(&plan).assert_done();
    let mail = sink.wait_for_messages(1, Duration::from_secs(5)).remove(0);
    assert_eq!(mail.mail_from, "test@example.com");
    assert_eq!(mail.rcpt_to, ["team@example.org", "qa@example.org"]);
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("app 1.2.3 is tagged")
    );
    assert!(mail.body().contains("parse week dates"), "{}", mail.body());
    let message_id = outputs(&fixture, 1)["message_id"].clone();
    assert_eq!(mail.header("Message-ID"), Some(message_id.clone()));
    let journal = fixture.journal();
    assert_eq!(journal.steps[0].context["message_id"], message_id);

    fixture.crash_at(1, Some(&["message_id"]));
    let reason = fixture.resume(false).paused();
    assert!(
        reason.contains("cannot tell whether it finished"),
        "{reason}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.messages().len(), 1, "the email was sent again");
    fixture.resume(true).assert_done();
    assert_eq!(sink.messages().len(), 1);
}

#[test]
fn without_an_smtp_server_the_plan_says_so_and_the_step_fails_with_a_hint() {
    let github = fake_github();
    let mut fixture = Fixture::new(&format!(
        "{}{}\nfrom = \"Release Bot <bot@example.org>\"\n",
        header(&github),
        STEPS.trim_end()
    ));
    let error = fixture.try_plan("ship").unwrap_err().to_string();
    assert!(
        error.contains("`RELMAN_SMTP_URL` is not set (the SMTP server's URL)"),
        "{error}"
    );
    // Set when planned, gone when the step runs: the step says so.
    fixture.set_var("RELMAN_SMTP_URL", "smtp://127.0.0.1:9");
    let plan = fixture.plan("ship");
    let text = effects_text(&plan, 1);
    assert!(
        text.contains("from Release Bot <bot@example.org>"),
        "{text}"
    );
    fixture.set_var("RELMAN_SMTP_URL", "");
    let (_, message, hint) = fixture.start(&plan).failed();
    assert!(
        message.contains("`RELMAN_SMTP_URL` is not set"),
        "{message}"
    );
    assert!(
        hint.unwrap()
            .contains("`smtp://host:port` with `user:password@` before the host")
    );
}

#[test]
fn body_file_is_read_when_the_step_runs() {
    let Some(sink) = or_skip(SmtpSink::start()) else {
        return;
    };
    let github = fake_github();
    let mut fixture = Fixture::new(&format!(
        r#"{}
[[workflow.ship.step]]
run = ["sh", "-c", "printf 'Dear all,\nnotes written by the step before {{{{x}}}}\n' > announce.txt"]

[[workflow.ship.step]]
email = "team@example.org"
subject = "{{project}} {{version}}"
body-file = "announce.txt"
"#,
        header(&github)
    ));
    fixture.set_var("RELMAN_SMTP_URL", &format!("smtp://{}", sink.address()));
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 2).contains("{file:announce.txt}"));
    fixture.start(&plan).assert_done();
    let mail = sink.wait_for_messages(1, Duration::from_secs(5)).remove(0);
    assert!(
        mail.body().contains("notes written by the step before {x}"),
        "{}",
        mail.body()
    );
}
