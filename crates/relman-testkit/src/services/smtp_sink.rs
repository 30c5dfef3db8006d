//! A real SMTP server for tests: `aiosmtpd` (from the test venv) running `smtp_sink.py`, which
//! stores each message it receives as a file. Plain, STARTTLS or implicit TLS, with or without
//! AUTH, so the client's whole conversation is exercised against a real implementation.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::process::ServiceProcess;
use super::{ServiceError, TestCertificate, venv_python_with};

const SCRIPT: &str = include_str!("smtp_sink.py");

/// How the sink is set up.
#[derive(Debug, Clone, Default)]
pub struct SmtpSinkOptions {
    /// Offer STARTTLS (and require it) with this certificate.
    pub tls: Option<TestCertificate>,
    /// With `tls`: speak TLS from the first byte (`smtps://`) instead of STARTTLS.
    pub implicit_tls: bool,
    /// Require AUTH (PLAIN or LOGIN, over TLS only) with this login and password.
    pub auth: Option<(String, String)>,
}

/// A running SMTP sink. Dropping it stops the server.
#[derive(Debug)]
pub struct SmtpSink {
    process: ServiceProcess,
    port: u16,
    mail_dir: PathBuf,
    _dir: tempfile::TempDir,
}

/// One message the sink received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The login that authenticated the session, if any.
    pub auth_login: Option<String>,
    /// Whether the session was encrypted when the message was sent.
    pub tls: bool,
    /// The raw message as received after DATA (headers, blank line, body; CRLF line ends).
    pub data: String,
}

impl ReceivedMail {
    /// The first header called `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut found: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(value) = found.as_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                continue;
            }
            if found.is_some() {
                break;
            }
            if let Some((key, value)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                found = Some(value.trim().to_owned());
            }
        }
        found
    }

    /// Everything after the header block, as sent (still transfer-encoded).
    pub fn body(&self) -> &str {
        self.data
            .split_once("\r\n\r\n")
            .map_or("", |(_, body)| body)
    }
}

impl SmtpSink {
    /// A plain SMTP sink without TLS or AUTH.
    pub fn start() -> Result<Self, ServiceError> {
        Self::start_with(SmtpSinkOptions::default())
    }

    pub fn start_with(options: SmtpSinkOptions) -> Result<Self, ServiceError> {
        let python = venv_python_with("aiosmtpd")?;
        let dir = tempfile::tempdir().map_err(|error| ServiceError::io("smtp sink", error))?;
        let script = dir.path().join("smtp_sink.py");
        fs_err::write(&script, SCRIPT).map_err(|error| ServiceError::io("smtp sink", error))?;
        let mail_dir = dir.path().join("mail");
        fs_err::create_dir_all(&mail_dir).map_err(|error| ServiceError::io("smtp sink", error))?;

        let mut command = Command::new(python);
        command.arg(&script).arg("--dir").arg(&mail_dir);
        if let Some(certificate) = &options.tls {
            command
                .arg("--cert")
                .arg(&certificate.server_cert)
                .arg("--key")
                .arg(&certificate.server_key);
            if options.implicit_tls {
                command.arg("--implicit-tls");
            }
        }
        if let Some((user, password)) = &options.auth {
            command.args(["--user", user, "--password", password]);
        }
        let mut process = ServiceProcess::spawn("smtp sink", command, &dir.path().join("log"))?;
        let port = process.wait_until(Duration::from_secs(20), |process| {
            process.log().lines().find_map(|line| {
                line.strip_prefix("READY ")
                    .and_then(|port| port.trim().parse::<u16>().ok())
            })
        })?;
        Ok(Self {
            process,
            port,
            mail_dir,
            _dir: dir,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`, to build an `smtp://` or `smtps://` URL from.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Every complete message received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        read_messages(&self.mail_dir)
    }

    /// Waits until at least `count` messages have arrived, or panics with the server's log.
    pub fn wait_for_messages(&self, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "smtp sink got {} of {count} messages in {timeout:?}; log:\n{}",
                messages.len(),
                self.process.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's log (aiosmtpd's own output), for failure messages.
    pub fn log(&self) -> String {
        self.process.log()
    }
}

fn read_messages(dir: &Path) -> Vec<ReceivedMail> {
    let mut stems: Vec<PathBuf> = fs_err::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                .collect()
        })
        .unwrap_or_default();
    stems.sort();
    stems
        .into_iter()
        .filter_map(|meta_path| {
            let meta: serde_json::Value =
                serde_json::from_str(&fs_err::read_to_string(&meta_path).ok()?).ok()?;
            let data = fs_err::read(meta_path.with_extension("eml")).ok()?;
            let text = |key: &str| meta[key].as_str().map(str::to_owned);
            Some(ReceivedMail {
                mail_from: text("mail_from").unwrap_or_default(),
                rcpt_to: meta["rcpt_tos"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|value| value.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                auth_login: text("auth_login"),
                tls: meta["tls"].as_bool().unwrap_or(false),
                data: String::from_utf8_lossy(&data).into_owned(),
            })
        })
        .collect()
}
