//! Email over SMTP for the `email` step: the server from `RELMAN_SMTP_URL`
//! (`smtp://user:pass@host:port` upgrades with STARTTLS when offered, `smtps://` is TLS from the
//! first byte), a plan line with the password masked, and delivery of one plain-text message.
//!
//! Credentials are never sent in clear text to a server that is not on this machine: when a
//! `smtp://` server offers no STARTTLS and the URL has a password, sending fails before `AUTH`.
//! Email has no probe: nothing on the server says whether a message was already sent, so the
//! engine must treat a step interrupted during `send` as "maybe sent".

mod message;
mod smtp;

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

pub use message::{Email, Mailbox};

use crate::secret::{MASK, Secret};

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plain TCP, upgraded with STARTTLS whenever the server offers it.
    StartTlsWhenOffered,
    /// `smtps://`: TLS from the first byte (port 465).
    ImplicitTls,
}

/// An SMTP server and how to log in, parsed from `RELMAN_SMTP_URL`.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub security: Security,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// A default sender from `?from=...` in the URL.
    pub from: Option<String>,
    /// CA certificates (PEM files) trusted on top of the Mozilla roots: a company relay, a test.
    pub extra_ca_certs: Vec<PathBuf>,
    /// Connect, read and write timeout.
    pub timeout: Duration,
}

/// What a successful delivery looked like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReport {
    pub recipients: Vec<String>,
    /// The server's reply to the end of DATA (often holds a queue id).
    pub server_reply: String,
    /// Whether the message went over TLS.
    pub tls: bool,
    /// The `Message-ID` the message was sent with.
    pub message_id: String,
}

impl SmtpSettings {
    /// Parses `smtp://[user[:password]@]host[:port][?from=addr]` or `smtps://...`. User and
    /// password are percent-decoded; default ports are 25 (`smtp`) and 465 (`smtps`). The error
    /// never repeats the password.
    pub fn parse(url: &str) -> Result<Self, EmailError> {
        let invalid = |reason: &str| EmailError::InvalidUrl {
            url: crate::secret::Redactor::new().redact(url),
            reason: reason.to_owned(),
        };
        let (scheme, rest) = url.split_once("://").ok_or_else(|| invalid("no scheme"))?;
        let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => (Security::StartTlsWhenOffered, 25),
            "smtps" => (Security::ImplicitTls, 465),
            _ => return Err(invalid("the scheme must be `smtp` or `smtps`")),
        };
        let (authority, query) = match rest.split_once('?') {
            Some((authority, query)) => (authority, Some(query)),
            None => (rest, None),
        };
        let authority = authority.trim_end_matches('/');
        let (userinfo, host_port) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (user, password) = match info.split_once(':') {
                    Some((user, password)) => (user, Some(password)),
                    None => (info, None),
                };
                let decode = |text: &str| {
                    percent_decode(text).ok_or_else(|| invalid("bad percent-encoding"))
                };
                (
                    Some(decode(user)?),
                    password.map(decode).transpose()?.map(Secret::new),
                )
            }
        };
        let (host, port) = split_host_port(host_port).ok_or_else(|| invalid("bad host or port"))?;
        if host.is_empty() {
            return Err(invalid("no host"));
        }
        let from = query.and_then(|query| {
            query.split('&').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                (key == "from").then(|| percent_decode(value).unwrap_or_else(|| value.to_owned()))
            })
        });
        Ok(Self {
            security,
            host,
            port: port.unwrap_or(default_port),
            user: user.filter(|user| !user.is_empty()),
            password: password.filter(|password| !password.is_empty()),
            from,
            extra_ca_certs: Vec::new(),
            timeout: smtp::DEFAULT_TIMEOUT,
        })
    }

    /// Also trust the CA certificate(s) in this PEM file.
    pub fn trust_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.extra_ca_certs.push(path.into());
        self
    }

    /// The URL with the password masked, for plans, logs and errors.
    pub fn redacted_url(&self) -> String {
        let scheme = match self.security {
            Security::StartTlsWhenOffered => "smtp",
            Security::ImplicitTls => "smtps",
        };
        let userinfo = match (&self.user, &self.password) {
            (Some(user), Some(_)) => format!("{user}:{MASK}@"),
            (Some(user), None) => format!("{user}@"),
            _ => String::new(),
        };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("{scheme}://{userinfo}{host}:{}", self.port)
    }

    /// The password, for a redactor.
    pub fn secrets(&self) -> Vec<Secret> {
        self.password.iter().cloned().collect()
    }

    fn is_loopback(&self) -> bool {
        self.host == "localhost" || self.host.starts_with("127.") || self.host == "::1"
    }

    /// The plan line: `send email via smtp://bot:****@mail:587 (STARTTLS when offered): from → to "subject"`.
    pub fn describe(&self, email: &Email) -> String {
        let how = match self.security {
            Security::StartTlsWhenOffered => "STARTTLS when offered",
            Security::ImplicitTls => "TLS",
        };
        let to: Vec<String> = email.to.iter().map(ToString::to_string).collect();
        let cc: Vec<String> = email.cc.iter().map(ToString::to_string).collect();
        let cc = if cc.is_empty() {
            String::new()
        } else {
            format!(" cc {}", cc.join(", "))
        };
        format!(
            "send email via {} ({how}): from {} to {}{cc}, subject {:?}",
            self.redacted_url(),
            email.from,
            to.join(", "),
            email.subject
        )
    }
}

/// Delivers `email`, dated `date` (the caller's clock, so tests are reproducible).
pub fn send(
    settings: &SmtpSettings,
    email: &Email,
    date: SystemTime,
) -> Result<SendReport, EmailError> {
    let recipients = email.recipients();
    let mut report = smtp::deliver(
        settings,
        &email.from.address,
        &recipients,
        &email.to_rfc5322(date),
    )?;
    report.message_id = email.message_id.clone();
    Ok(report)
}

fn split_host_port(text: &str) -> Option<(String, Option<u16>)> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.to_owned(), port));
    }
    match text.rsplit_once(':') {
        Some((host, port)) => Some((host.to_owned(), Some(port.parse().ok()?))),
        None => Some((text.to_owned(), None)),
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = std::str::from_utf8(bytes.get(index + 1..index + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why an email could not be sent (or prepared).
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("invalid SMTP URL `{url}`: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("invalid email address `{address}`: {reason}")]
    InvalidAddress { address: String, reason: String },
    #[error("invalid `{header}` header: {reason}")]
    InvalidHeader {
        header: &'static str,
        reason: String,
    },
    #[error("cannot reach SMTP server {server}: {detail}")]
    Connect { server: String, detail: String },
    #[error("TLS with SMTP server {server} failed: {detail}")]
    Tls { server: String, detail: String },
    #[error("cannot use CA certificate `{}`: {detail}", path.display())]
    CaCertificate { path: PathBuf, detail: String },
    #[error(
        "SMTP server {server} does not offer STARTTLS; refusing to send the password in clear text"
    )]
    Insecure { server: String },
    #[error("SMTP server {server} offers no AUTH mechanism relman knows (offered: `{offered}`)")]
    NoAuthMechanism { server: String, offered: String },
    #[error("SMTP server {server} refused login `{user}`: {reply}")]
    AuthFailed {
        server: String,
        user: String,
        reply: String,
    },
    #[error("SMTP server refused recipient `{recipient}`: {reply}")]
    RecipientRejected { recipient: String, reply: String },
    #[error("SMTP server {server} answered `{command}` with {reply}")]
    Rejected {
        server: String,
        command: String,
        reply: String,
    },
    #[error("SMTP server {server} broke the protocol: {detail}")]
    Protocol { server: String, detail: String },
}

impl EmailError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            EmailError::InvalidUrl { .. } => {
                "set `RELMAN_SMTP_URL` to `smtp://user:password@host:port` (percent-encode `@` and `:` in the password)".to_owned()
            }
            EmailError::Insecure { .. } => {
                "use `smtps://` (port 465) or a server that offers STARTTLS".to_owned()
            }
            EmailError::Tls { .. } => {
                "if the server uses a private CA, give relman its certificate".to_owned()
            }
            EmailError::AuthFailed { .. } => {
                "check the user and password in `RELMAN_SMTP_URL`".to_owned()
            }
            EmailError::Connect { .. } => {
                "check the host and port in `RELMAN_SMTP_URL` and that the server is up".to_owned()
            }
            _ => return None,
        })
    }

    /// Whether trying again later may succeed (a dropped connection, a 4xx "try later").
    pub fn is_transient(&self) -> bool {
        match self {
            EmailError::Connect { .. } => true,
            EmailError::Rejected { reply, .. } | EmailError::RecipientRejected { reply, .. } => {
                reply.starts_with('4')
            }
            _ => false,
        }
    }
}

impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Security::StartTlsWhenOffered => "STARTTLS when offered",
            Security::ImplicitTls => "TLS",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_with_defaults_and_decoding() {
        let settings =
            SmtpSettings::parse("smtp://bot%40corp:p%3Ass@mail.test:587?from=rel%40corp.test")
                .unwrap();
        assert_eq!(settings.security, Security::StartTlsWhenOffered);
        assert_eq!(settings.host, "mail.test");
        assert_eq!(settings.port, 587);
        assert_eq!(settings.user.as_deref(), Some("bot@corp"));
        assert_eq!(settings.password.as_ref().map(Secret::expose), Some("p:ss"));
        assert_eq!(settings.from.as_deref(), Some("rel@corp.test"));
        assert_eq!(
            settings.redacted_url(),
            "smtp://bot@corp:****@mail.test:587"
        );

        let settings = SmtpSettings::parse("smtps://relay.test").unwrap();
        assert_eq!(
            (settings.security, settings.port),
            (Security::ImplicitTls, 465)
        );
        assert_eq!(settings.user, None);
        assert_eq!(
            SmtpSettings::parse("smtp://[::1]:2525").unwrap().host,
            "::1"
        );
    }

    #[test]
    fn bad_urls_never_echo_the_password() {
        for url in [
            "http://u:hunter22@x",
            "smtp://u:hunter22@x:notaport",
            "smtp://u:hunter22@",
        ] {
            let error = SmtpSettings::parse(url).unwrap_err();
            assert!(!error.to_string().contains("hunter22"), "{error}");
            assert!(error.hint().is_some());
        }
    }

    #[test]
    fn plan_line_masks_the_password() {
        let settings = SmtpSettings::parse("smtp://bot:hunter22@mail.test:587").unwrap();
        let email =
            Email::new("bot@x.test", &["team@x.test".to_owned()], "Release 1.0", "").unwrap();
        let line = settings.describe(&email);
        assert_eq!(
            line,
            "send email via smtp://bot:****@mail.test:587 (STARTTLS when offered): \
             from bot@x.test to team@x.test, subject \"Release 1.0\""
        );
    }
}
