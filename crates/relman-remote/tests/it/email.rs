//! The SMTP client against a real server (aiosmtpd): plain, STARTTLS with AUTH, implicit TLS,
//! and the failures a user can meet (wrong password, untrusted certificate).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use relman_remote::email::{Email, EmailError, SmtpSettings, send};
use relman_testkit::services::{SmtpSink, SmtpSinkOptions, generate_test_certificate, or_skip};

fn date() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn release_email() -> Email {
    Email::new(
        "Release Bot <bot@example.org>",
        &["team@example.org, qa@example.org".to_owned()],
        "ciso8601 2.1.3 is tagged",
        "Hello,\n\nplease upload the wheels.\n.\nThanks\n",
    )
    .unwrap()
}

#[test]
fn plain_smtp_delivers_headers_and_body() {
    let Some(sink) = or_skip(SmtpSink::start()) else {
        return;
    };
    let settings = SmtpSettings::parse(&format!("smtp://{}", sink.address())).unwrap();
    let report = send(&settings, &release_email(), date()).unwrap();
    assert!(!report.tls);
    assert!(report.server_reply.starts_with("250"), "{report:?}");

    let mail = sink.wait_for_messages(1, Duration::from_secs(5)).remove(0);
    assert_eq!(mail.mail_from, "bot@example.org");
    assert_eq!(mail.rcpt_to, ["team@example.org", "qa@example.org"]);
    assert_eq!(
        mail.header("From").as_deref(),
        Some("\"Release Bot\" <bot@example.org>")
    );
    assert_eq!(
        mail.header("To").as_deref(),
        Some("team@example.org, qa@example.org")
    );
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("ciso8601 2.1.3 is tagged")
    );
    assert_eq!(
        mail.header("Date").as_deref(),
        Some("Tue, 14 Nov 2023 22:13:20 +0000")
    );
    // The lone "." line survived dot-stuffing.
    assert_eq!(
        mail.body(),
        "Hello,\r\n\r\nplease upload the wheels.\r\n.\r\nThanks\r\n"
    );
}

#[test]
fn copied_recipients_receive_it_and_the_message_id_is_reported() {
    let Some(sink) = or_skip(SmtpSink::start()) else {
        return;
    };
    let settings = SmtpSettings::parse(&format!("smtp://{}", sink.address())).unwrap();
    let email = release_email()
        .with_cc(&["lead@example.org".to_owned()])
        .unwrap();
    assert!(email.with_cc(&["not an address".to_owned()]).is_err());
    let email = release_email()
        .with_cc(&["lead@example.org".to_owned()])
        .unwrap();
    let report = send(&settings, &email, date()).unwrap();
    assert_eq!(report.message_id, email.message_id);
    assert!(report.message_id.starts_with("<relman."), "{report:?}");

    let mail = sink.wait_for_messages(1, Duration::from_secs(5)).remove(0);
    assert_eq!(
        mail.rcpt_to,
        ["team@example.org", "qa@example.org", "lead@example.org"]
    );
    assert_eq!(mail.header("Cc").as_deref(), Some("lead@example.org"));
    assert_eq!(mail.header("Message-ID"), Some(email.message_id));
}

#[test]
fn starttls_and_auth_with_a_trusted_private_ca() {
    let certificates = tempfile::tempdir().unwrap();
    let Some(certificate) = or_skip(generate_test_certificate(certificates.path())) else {
        return;
    };
    let options = SmtpSinkOptions {
        tls: Some(certificate.clone()),
        implicit_tls: false,
        auth: Some(("relman".to_owned(), "s3cret-pass".to_owned())),
    };
    let Some(sink) = or_skip(SmtpSink::start_with(options)) else {
        return;
    };
    let url = format!("smtp://relman:s3cret-pass@{}", sink.address());
    let settings = SmtpSettings::parse(&url)
        .unwrap()
        .trust_ca_file(&certificate.ca_cert);
    let email = Email::new(
        "bot@example.org",
        &["team@example.org".to_owned()],
        "Version 2.0 — prête",
        "Ça marche.\n",
    )
    .unwrap();
    let report = send(&settings, &email, date()).unwrap();
    assert!(report.tls);

    let mail = sink.wait_for_messages(1, Duration::from_secs(5)).remove(0);
    assert!(mail.tls, "the message was sent before STARTTLS");
    assert_eq!(mail.auth_login.as_deref(), Some("relman"));
    assert_eq!(
        mail.header("Content-Transfer-Encoding").as_deref(),
        Some("base64")
    );
    let body = base64::engine::general_purpose::STANDARD
        .decode(mail.body().replace("\r\n", ""))
        .unwrap();
    assert_eq!(String::from_utf8(body).unwrap(), "Ça marche.\r\n");
    let subject = mail.header("Subject").unwrap();
    assert!(subject.starts_with("=?UTF-8?B?"), "{subject}");

    // A wrong password is an authentication error that does not repeat either password.
    let url = format!("smtp://relman:wrong-pass@{}", sink.address());
    let settings = SmtpSettings::parse(&url)
        .unwrap()
        .trust_ca_file(&certificate.ca_cert);
    let error = send(&settings, &email, date()).unwrap_err();
    assert!(matches!(error, EmailError::AuthFailed { .. }), "{error}");
    let text = error.to_string();
    assert!(
        !text.contains("wrong-pass") && !text.contains("s3cret"),
        "{text}"
    );
    assert!(text.contains("smtp://relman:****@127.0.0.1:"), "{text}");
}

#[test]
fn an_untrusted_certificate_stops_before_auth() {
    let certificates = tempfile::tempdir().unwrap();
    let Some(certificate) = or_skip(generate_test_certificate(certificates.path())) else {
        return;
    };
    let options = SmtpSinkOptions {
        tls: Some(certificate),
        implicit_tls: false,
        auth: Some(("relman".to_owned(), "s3cret-pass".to_owned())),
    };
    let Some(sink) = or_skip(SmtpSink::start_with(options)) else {
        return;
    };
    let url = format!("smtp://relman:s3cret-pass@{}", sink.address());
    let settings = SmtpSettings::parse(&url).unwrap();
    let error = send(&settings, &release_email(), date()).unwrap_err();
    assert!(matches!(error, EmailError::Tls { .. }), "{error}");
    assert!(error.hint().is_some());
    assert!(sink.messages().is_empty());
}

#[test]
fn implicit_tls_for_smtps_urls() {
    let certificates = tempfile::tempdir().unwrap();
    let Some(certificate) = or_skip(generate_test_certificate(certificates.path())) else {
        return;
    };
    let options = SmtpSinkOptions {
        tls: Some(certificate.clone()),
        implicit_tls: true,
        auth: Some(("relman".to_owned(), "s3cret-pass".to_owned())),
    };
    let Some(sink) = or_skip(SmtpSink::start_with(options)) else {
        return;
    };
    let url = format!("smtps://relman:s3cret-pass@{}", sink.address());
    let settings = SmtpSettings::parse(&url)
        .unwrap()
        .trust_ca_file(&certificate.ca_cert);
    let report = send(&settings, &release_email(), date()).unwrap();
    assert!(report.tls);
    let mail = sink.wait_for_messages(1, Duration::from_secs(5)).remove(0);
    assert_eq!(mail.auth_login.as_deref(), Some("relman"));
}

#[test]
fn a_closed_port_is_a_connect_error_with_a_hint() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = SmtpSettings::parse(&format!("smtp://127.0.0.1:{port}")).unwrap();
    let error = send(&settings, &release_email(), date()).unwrap_err();
    assert!(matches!(error, EmailError::Connect { .. }), "{error}");
    assert!(error.is_transient());
}
