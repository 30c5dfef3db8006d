//! The SMTP conversation (RFC 5321): greeting, `EHLO`, `STARTTLS` when the server offers it (or
//! TLS from the first byte for `smtps://`), `AUTH PLAIN` or `LOGIN`, then one message. Blocking,
//! with a timeout on every read and write, and TLS through rustls with the Mozilla roots plus any
//! extra CA certificate the caller trusts.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};

use super::{EmailError, Security, SendReport, SmtpSettings};

/// One reply: the code and its text lines (without the code).
#[derive(Debug, Clone)]
struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn text(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" / "))
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(stream) => stream.read(buf),
            Stream::Tls(stream) => stream.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(stream) => stream.write(buf),
            Stream::Tls(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(stream) => stream.flush(),
            Stream::Tls(stream) => stream.flush(),
        }
    }
}

/// What the server said it can do after `EHLO`.
#[derive(Debug, Default)]
struct Capabilities {
    starttls: bool,
    auth: Vec<String>,
    smtputf8: bool,
}

impl Capabilities {
    fn from_ehlo(reply: &Reply) -> Self {
        let mut capabilities = Self::default();
        for line in reply.lines.iter().skip(1) {
            let mut words = line.split_whitespace();
            let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
            match keyword.as_str() {
                "STARTTLS" => capabilities.starttls = true,
                "SMTPUTF8" => capabilities.smtputf8 = true,
                "AUTH" => capabilities.auth.extend(words.map(str::to_ascii_uppercase)),
                _ => {}
            }
        }
        capabilities
    }
}

struct Session<'a> {
    settings: &'a SmtpSettings,
    stream: Option<Stream>,
    /// Bytes read past the last reply line; must be empty when TLS starts (RFC 3207).
    pending: Vec<u8>,
    tls: bool,
    /// The `EHLO` argument: this end's address literal, which needs no DNS name for the machine.
    ehlo_name: String,
}

/// Sends `message` (already formatted) from `from` to `recipients`.
pub(super) fn deliver(
    settings: &SmtpSettings,
    from: &str,
    recipients: &[String],
    message: &str,
) -> Result<SendReport, EmailError> {
    let tcp = connect(settings)?;
    let ehlo_name = match tcp.local_addr() {
        Ok(std::net::SocketAddr::V6(address)) => format!("[IPv6:{}]", address.ip()),
        Ok(address) => format!("[{}]", address.ip()),
        Err(_) => "[127.0.0.1]".to_owned(),
    };
    let mut session = Session {
        settings,
        stream: Some(Stream::Plain(tcp)),
        pending: Vec::new(),
        tls: false,
        ehlo_name,
    };
    if settings.security == Security::ImplicitTls {
        session.start_tls()?;
    }
    session.expect("greeting", None, 220)?;
    let mut capabilities = session.ehlo()?;
    if !session.tls && capabilities.starttls {
        session.command("STARTTLS", "STARTTLS", 220)?;
        session.start_tls()?;
        capabilities = session.ehlo()?;
    }
    if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
        if !session.tls && !settings.is_loopback() {
            return Err(EmailError::Insecure {
                server: settings.redacted_url(),
            });
        }
        session.authenticate(&capabilities, user, password.expose())?;
    }
    let needs_utf8 = !from.is_ascii() || recipients.iter().any(|to| !to.is_ascii());
    let utf8 = if needs_utf8 && capabilities.smtputf8 {
        " SMTPUTF8"
    } else if needs_utf8 {
        return Err(EmailError::InvalidAddress {
            address: from.to_owned(),
            reason: "a non-ASCII address needs a server with SMTPUTF8".to_owned(),
        });
    } else {
        ""
    };
    session.command("MAIL FROM", &format!("MAIL FROM:<{from}>{utf8}"), 250)?;
    for recipient in recipients {
        session
            .command("RCPT TO", &format!("RCPT TO:<{recipient}>"), 250)
            .map_err(|error| match error {
                EmailError::Rejected { reply, .. } => EmailError::RecipientRejected {
                    recipient: recipient.clone(),
                    reply,
                },
                other => other,
            })?;
    }
    session.command("DATA", "DATA", 354)?;
    session.send_raw(&dot_stuff(message))?;
    let accepted = session.expect("end of DATA", None, 250)?;
    // The message is accepted; a failing QUIT changes nothing.
    let _ = session.command("QUIT", "QUIT", 221);
    Ok(SendReport {
        recipients: recipients.to_vec(),
        server_reply: accepted.text(),
        tls: session.tls,
        message_id: String::new(),
    })
}

fn connect(settings: &SmtpSettings) -> Result<TcpStream, EmailError> {
    let unreachable = |detail: String| EmailError::Connect {
        server: settings.redacted_url(),
        detail,
    };
    let addresses = (settings.host.as_str(), settings.port)
        .to_socket_addrs()
        .map_err(|error| unreachable(error.to_string()))?;
    let mut last = String::from("no address");
    for address in addresses {
        match TcpStream::connect_timeout(&address, settings.timeout) {
            Ok(stream) => {
                let timeout = Some(settings.timeout);
                stream
                    .set_read_timeout(timeout)
                    .and_then(|()| stream.set_write_timeout(timeout))
                    .map_err(|error| unreachable(error.to_string()))?;
                return Ok(stream);
            }
            Err(error) => last = format!("{address}: {error}"),
        }
    }
    Err(unreachable(last))
}

impl Session<'_> {
    fn stream(&mut self) -> &mut Stream {
        self.stream
            .as_mut()
            .expect("the stream is only taken while TLS starts")
    }

    fn io_error(&self, error: std::io::Error) -> EmailError {
        EmailError::Connect {
            server: self.settings.redacted_url(),
            detail: error.to_string(),
        }
    }

    fn send_raw(&mut self, text: &str) -> Result<(), EmailError> {
        let result = {
            let stream = self.stream();
            stream
                .write_all(text.as_bytes())
                .and_then(|()| stream.flush())
        };
        result.map_err(|error| self.io_error(error))
    }

    /// Sends one command line (`shown` is what errors print: never a credential).
    fn command(&mut self, shown: &str, line: &str, expected: u16) -> Result<Reply, EmailError> {
        self.send_raw(&format!("{line}\r\n"))?;
        self.expect(shown, Some(shown), expected)
    }

    fn expect(
        &mut self,
        what: &str,
        command: Option<&str>,
        expected: u16,
    ) -> Result<Reply, EmailError> {
        let reply = self.read_reply()?;
        if reply.code == expected {
            return Ok(reply);
        }
        Err(EmailError::Rejected {
            server: self.settings.redacted_url(),
            command: command.unwrap_or(what).to_owned(),
            reply: reply.text(),
        })
    }

    fn read_line(&mut self) -> Result<String, EmailError> {
        loop {
            if let Some(end) = self.pending.windows(2).position(|pair| pair == b"\r\n") {
                let line: Vec<u8> = self.pending.drain(..end + 2).collect();
                return Ok(String::from_utf8_lossy(&line[..end]).into_owned());
            }
            if self.pending.len() > 64 * 1024 {
                return Err(self.protocol_error("reply line longer than 64 KiB"));
            }
            let mut chunk = [0u8; 4096];
            let read = self.stream().read(&mut chunk);
            match read {
                Ok(0) => return Err(self.protocol_error("the server closed the connection")),
                Ok(count) => self.pending.extend_from_slice(&chunk[..count]),
                Err(error) => return Err(self.io_error(error)),
            }
        }
    }

    fn read_reply(&mut self) -> Result<Reply, EmailError> {
        let mut lines = Vec::new();
        loop {
            let line = self.read_line()?;
            let code = line
                .get(..3)
                .and_then(|code| code.parse::<u16>().ok())
                .ok_or_else(|| self.protocol_error(&format!("not an SMTP reply: `{line}`")))?;
            let more = line.as_bytes().get(3) == Some(&b'-');
            lines.push(line.get(4..).unwrap_or_default().to_owned());
            if !more {
                return Ok(Reply { code, lines });
            }
        }
    }

    fn protocol_error(&self, detail: &str) -> EmailError {
        EmailError::Protocol {
            server: self.settings.redacted_url(),
            detail: detail.to_owned(),
        }
    }

    fn ehlo(&mut self) -> Result<Capabilities, EmailError> {
        let line = format!("EHLO {}", self.ehlo_name);
        let reply = self.command("EHLO", &line, 250)?;
        Ok(Capabilities::from_ehlo(&reply))
    }

    fn start_tls(&mut self) -> Result<(), EmailError> {
        if !self.pending.is_empty() {
            return Err(self.protocol_error("data sent before the TLS handshake"));
        }
        let tls_error = |detail: String| EmailError::Tls {
            server: self.settings.redacted_url(),
            detail,
        };
        let config = client_config(&self.settings.extra_ca_certs)?;
        let name = ServerName::try_from(self.settings.host.clone())
            .map_err(|error| tls_error(error.to_string()))?;
        let connection = rustls::ClientConnection::new(config, name)
            .map_err(|error| tls_error(error.to_string()))?;
        let tcp = match self.stream.take() {
            Some(Stream::Plain(tcp)) => tcp,
            other => {
                self.stream = other;
                return Err(self.protocol_error("TLS is already on"));
            }
        };
        let mut stream = rustls::StreamOwned::new(connection, tcp);
        // Drive the handshake now, so a bad certificate is reported as such.
        while stream.conn.is_handshaking() {
            if let Err(error) = stream.conn.complete_io(&mut stream.sock) {
                return Err(tls_error(error.to_string()));
            }
        }
        self.stream = Some(Stream::Tls(Box::new(stream)));
        self.tls = true;
        Ok(())
    }

    fn authenticate(
        &mut self,
        capabilities: &Capabilities,
        user: &str,
        password: &str,
    ) -> Result<(), EmailError> {
        let b64 = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
        let offered = |name: &str| capabilities.auth.iter().any(|known| known == name);
        let result = if offered("PLAIN") {
            let token = b64(&format!("\0{user}\0{password}"));
            self.command("AUTH PLAIN", &format!("AUTH PLAIN {token}"), 235)
        } else if offered("LOGIN") {
            self.command("AUTH LOGIN", "AUTH LOGIN", 334)
                .and_then(|_| self.command("AUTH LOGIN (user)", &b64(user), 334))
                .and_then(|_| self.command("AUTH LOGIN (password)", &b64(password), 235))
        } else {
            return Err(EmailError::NoAuthMechanism {
                server: self.settings.redacted_url(),
                offered: capabilities.auth.join(" "),
            });
        };
        result.map(drop).map_err(|error| match error {
            EmailError::Rejected { server, reply, .. } => EmailError::AuthFailed {
                server,
                user: user.to_owned(),
                reply,
            },
            other => other,
        })
    }
}

fn client_config(extra_ca_certs: &[PathBuf]) -> Result<Arc<rustls::ClientConfig>, EmailError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for path in extra_ca_certs {
        let unreadable = |detail: String| EmailError::CaCertificate {
            path: path.clone(),
            detail,
        };
        let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|error| unreadable(error.to_string()))?
            .collect::<Result<_, _>>()
            .map_err(|error| unreadable(error.to_string()))?;
        if certificates.is_empty() {
            return Err(unreadable("no PEM certificate in it".to_owned()));
        }
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|error| unreadable(error.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| EmailError::CaCertificate {
            path: PathBuf::new(),
            detail: error.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Doubles a leading `.` on every line and ends the data with `CRLF . CRLF` (RFC 5321 4.5.2).
fn dot_stuff(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 8);
    for line in message.split_inclusive("\r\n") {
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
    }
    if !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
    out
}

/// How long to wait for each read and write by default.
pub(super) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_stuffing_doubles_leading_dots_only() {
        assert_eq!(
            dot_stuff("a\r\n.b\r\n..c\r\nd.e\r\n"),
            "a\r\n..b\r\n...c\r\nd.e\r\n.\r\n"
        );
        assert_eq!(dot_stuff("no end"), "no end\r\n.\r\n");
    }

    #[test]
    fn ehlo_capabilities_are_read() {
        let reply = Reply {
            code: 250,
            lines: vec![
                "mail.test greets you".to_owned(),
                "8BITMIME".to_owned(),
                "STARTTLS".to_owned(),
                "AUTH login Plain".to_owned(),
            ],
        };
        let capabilities = Capabilities::from_ehlo(&reply);
        assert!(capabilities.starttls);
        assert_eq!(capabilities.auth, ["LOGIN", "PLAIN"]);
        assert!(!capabilities.smtputf8);
    }
}
