//! Secrets never show: a release using every remote step, and releases that fail in the ways
//! that quote URLs and services back (401, 404, a refused SMTP login), run with recognisable
//! secret values; no plan, event, error, hint or journal file holds any of them.

use std::path::PathBuf;

use relman_engine::executor::Finish;
use relman_testkit::circleci::FakeCircleCi;
use relman_testkit::github::FakeWorkflow;
use relman_testkit::recorder::Recorder;
use relman_testkit::services::{SmtpSink, SmtpSinkOptions, generate_test_certificate, or_skip};

use crate::remote_support::{Fixture, Ran, fake_github, header};

const GITHUB_TOKEN: &str = "ghp_LEAKCHECKgithubToken0123456789";
const WRONG_GITHUB_TOKEN: &str = "ghp_LEAKCHECKwrongToken9876543210";
const SMTP_PASSWORD: &str = "LEAKCHECKsmtpPass42";
const WEBHOOK_PATH: &str = "s3cr3tWebhookPath";

/// Every text relman produced, with where it came from.
#[derive(Default)]
struct Outputs(Vec<(String, String)>);

impl Outputs {
    fn add(&mut self, source: impl Into<String>, text: impl Into<String>) {
        self.0.push((source.into(), text.into()));
    }

    fn ran(&mut self, what: &str, ran: &Ran) {
        for event in &ran.events {
            self.add(
                format!("{what}: event"),
                serde_json::to_string(event).unwrap(),
            );
        }
        match &ran.finish {
            Ok(Finish::Failed { error, title, .. }) => {
                self.add(format!("{what}: error"), format!("{title}: {error}"));
                self.add(
                    format!("{what}: hint"),
                    error.hint.clone().unwrap_or_default(),
                );
            }
            Ok(other) => self.add(format!("{what}: finish"), format!("{other:?}")),
            Err(error) => self.add(
                format!("{what}: run error"),
                format!("{error} {:?}", error.hint()),
            ),
        }
    }

    fn plan(&mut self, what: &str, fixture: &Fixture, workflow: &str) {
        let plan = fixture.plan(workflow);
        self.add(
            format!("{what}: plan"),
            serde_json::to_string(&plan.steps).unwrap(),
        );
        self.add(
            format!("{what}: frozen plan"),
            serde_json::to_string(&plan.frozen).unwrap(),
        );
    }

    fn journals(&mut self, what: &str, fixture: &Fixture) {
        let files: Vec<(PathBuf, String)> = fixture.journal_files();
        assert!(!files.is_empty());
        for (path, text) in files {
            self.add(format!("{what}: {}", path.display()), text);
        }
    }
}

#[test]
fn no_secret_value_reaches_a_plan_an_event_an_error_or_the_journal() {
    let certificates = tempfile::tempdir().unwrap();
    let Some(certificate) = or_skip(generate_test_certificate(certificates.path())) else {
        return;
    };
    let Some(sink) = or_skip(SmtpSink::start_with(SmtpSinkOptions {
        tls: Some(certificate.clone()),
        implicit_tls: false,
        auth: Some(("relman".to_owned(), SMTP_PASSWORD.to_owned())),
    })) else {
        return;
    };
    let github = fake_github();
    github.set_token(GITHUB_TOKEN);
    let circleci = FakeCircleCi::start();
    let recorder = Recorder::start();
    github.add_branch("octo/app", "main", &"1".repeat(40));
    github.add_branch("octo/app", "release/1.2.3", &"2".repeat(40));
    github.add_workflow(
        "octo/app",
        "release.yml",
        FakeWorkflow {
            polls: 1,
            conclusion: "success".to_owned(),
            artifacts: Vec::new(),
        },
    );
    let config = format!(
        r##"{}
[[workflow.ship.step]]
check = "no-open-issues"
label = "release blocker"

[[workflow.ship.step]]
pull-request = "open"
head = "release/{{version}}"
base = "main"
title = "Release {{version}}"

[[workflow.ship.step]]
merge-pull-request = "{{pr_number}}"

[[workflow.ship.step]]
dispatch = "release.yml"
ref = "main"
interval = "50ms"

[[workflow.ship.step]]
circleci = "pipeline"
branch = "main"
interval = "50ms"

[[workflow.ship.step]]
release = "publish"

[[workflow.ship.step]]
id = "bug"
http = "POST {bugzilla}/bug"
headers = {{ X-BUGZILLA-API-KEY = "{{env.BUGZILLA_API_KEY}}" }}
json = {{ product = "Cloud", component = "Deploy", summary = "Deploy {{version}}", version = "{{version}}" }}
save = {{ id = "/id" }}

[[workflow.ship.step]]
slack = "#releases"
message = "app {{version}} is out"

[[workflow.ship.step]]
webhook = "{webhook}"

[[workflow.ship.step]]
email = "team@example.org"
subject = "app {{version}}"
body = "{{changelog}}"

[[workflow.token_in_url.step]]
http = "GET {bugzilla}/nowhere?q={{env.GITHUB_TOKEN}}"

[[workflow.slack.step]]
slack = "#releases"
message = "hello"
"##,
        header(&github),
        bugzilla = recorder.bugzilla_url(),
        webhook = recorder.webhook_url(),
    );
    let secrets_env = |fixture: &mut Fixture| {
        fixture.set_var("GITHUB_TOKEN", GITHUB_TOKEN);
        fixture.set_var("CIRCLE_TOKEN", FakeCircleCi::TOKEN);
        fixture.set_var("RELMAN_CIRCLECI_API", &circleci.api_url());
        fixture.set_var("BUGZILLA_API_KEY", Recorder::BUGZILLA_KEY);
        fixture.set_var("SLACK_WEBHOOK_URL", &recorder.slack_webhook_url());
        fixture.set_var(
            "RELMAN_SMTP_URL",
            &format!(
                "smtp://relman:{SMTP_PASSWORD}@{}?from=bot@example.org",
                sink.address()
            ),
        );
        fixture.set_var(
            "RELMAN_SMTP_CA_FILE",
            &certificate.ca_cert.to_string_lossy(),
        );
    };
    let mut outputs = Outputs::default();

    // The whole release.
    let mut fixture = Fixture::new(&config);
    secrets_env(&mut fixture);
    outputs.plan("release", &fixture, "ship");
    let ran = fixture.run("ship");
    ran.assert_done();
    outputs.ran("release", &ran);
    outputs.journals("release", &fixture);
    assert_eq!(
        sink.messages().len(),
        1,
        "the email went out over TLS with the login"
    );
    assert_eq!(recorder.requests_to("/services/").len(), 1);

    // A secret in a URL that a service refuses.
    let mut fixture = Fixture::new(&config);
    secrets_env(&mut fixture);
    outputs.plan("token in url", &fixture, "token_in_url");
    let ran = fixture.run("token_in_url");
    let (_, message, _) = ran.failed();
    assert!(message.contains("answered 404"), "{message}");
    outputs.ran("token in url", &ran);
    outputs.journals("token in url", &fixture);

    // A Slack webhook that is gone.
    let mut fixture = Fixture::new(&config);
    secrets_env(&mut fixture);
    let gone = recorder
        .slack_webhook_url()
        .replace("/services/", "/removed/");
    fixture.set_var("SLACK_WEBHOOK_URL", &gone);
    outputs.plan("slack gone", &fixture, "slack");
    let ran = fixture.run("slack");
    ran.failed();
    outputs.ran("slack gone", &ran);
    outputs.journals("slack gone", &fixture);

    // A rejected GitHub token and a rejected SMTP password.
    let mut fixture = Fixture::new(&config);
    secrets_env(&mut fixture);
    fixture.set_var("GITHUB_TOKEN", WRONG_GITHUB_TOKEN);
    fixture.set_var(
        "RELMAN_SMTP_URL",
        &format!("smtp://relman:{SMTP_PASSWORD}-wrong@{}", sink.address()),
    );
    outputs.plan("rejected", &fixture, "ship");
    let plan = fixture.plan("ship");
    let ran = fixture.start(&plan);
    outputs.ran("rejected plan", &ran);
    let mut email_only = Fixture::new(&format!(
        "{}\n[[workflow.mail.step]]\nemail = \"team@example.org\"\nsubject = \"s\"\nbody = \"b\"\n",
        header(&github)
    ));
    secrets_env(&mut email_only);
    email_only.set_var(
        "RELMAN_SMTP_URL",
        &format!("smtp://relman:{SMTP_PASSWORD}-wrong@{}", sink.address()),
    );
    let ran = email_only.run("mail");
    let (_, message, _) = ran.failed();
    assert!(message.contains("refused login"), "{message}");
    outputs.ran("rejected smtp", &ran);
    outputs.journals("rejected smtp", &email_only);

    let secrets = [
        GITHUB_TOKEN,
        WRONG_GITHUB_TOKEN,
        SMTP_PASSWORD,
        WEBHOOK_PATH,
        FakeCircleCi::TOKEN,
        Recorder::BUGZILLA_KEY,
    ];
    let mut leaks = Vec::new();
    for (source, text) in &outputs.0 {
        for secret in secrets {
            if text.contains(secret) {
                leaks.push(format!("{source} holds `{secret}`: {text}"));
            }
        }
    }
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n\n"));
    assert!(
        outputs.0.len() > 50,
        "too little was checked: {}",
        outputs.0.len()
    );
}
