//! An email as relman sends it: mailboxes checked before anything is sent, and the RFC 5322 text
//! (headers with RFC 2047 encoded words for non-ASCII, a `text/plain; charset=utf-8` body that is
//! 7bit when it can be and base64 when it cannot), so any SMTP server accepts it unchanged.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use super::EmailError;

/// The longest line RFC 5322 allows, without its CRLF.
const MAX_LINE: usize = 998;

/// An address with an optional display name: `Release Bot <bot@example.org>` or `a@example.org`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    /// Parses `addr@host` or `Display Name <addr@host>`; rejects line breaks and addresses
    /// without exactly one `@`, so a bad value fails at plan time, not halfway through SMTP.
    pub fn parse(text: &str) -> Result<Self, EmailError> {
        let invalid = |reason: &str| EmailError::InvalidAddress {
            address: text.to_owned(),
            reason: reason.to_owned(),
        };
        if text.contains(['\r', '\n']) {
            return Err(invalid("contains a line break"));
        }
        let text = text.trim();
        let (name, address) = match (text.rfind('<'), text.ends_with('>')) {
            (Some(open), true) => {
                let name = text[..open].trim().trim_matches('"').trim();
                let name = (!name.is_empty()).then(|| name.to_owned());
                (name, &text[open + 1..text.len() - 1])
            }
            (None, false) => (None, text),
            _ => return Err(invalid("unbalanced `<` `>`")),
        };
        let address = address.trim();
        let valid = address.matches('@').count() == 1
            && !address.starts_with('@')
            && !address.ends_with('@')
            && !address.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ',' | '"'));
        if !valid {
            return Err(invalid("not an address of the form `name@host`"));
        }
        Ok(Self {
            name,
            address: address.to_owned(),
        })
    }

    /// The host part of the address (for `Message-ID`).
    pub fn domain(&self) -> &str {
        self.address.rsplit('@').next().unwrap_or("localhost")
    }

    /// The header form: the name quoted or encoded as needed, then `<address>`.
    fn header_value(&self) -> String {
        match &self.name {
            None => self.address.clone(),
            Some(name) if name.is_ascii() => {
                let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
                format!("\"{quoted}\" <{}>", self.address)
            }
            Some(name) => format!("{} <{}>", encode_word(name), self.address),
        }
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

/// A plain-text email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    /// Copied recipients (a `Cc` header; they receive it like `to`).
    pub cc: Vec<Mailbox>,
    pub subject: String,
    pub body: String,
    /// `<...@domain>`, chosen once so every attempt to send this email carries the same one and
    /// the caller can record it.
    pub message_id: String,
}

impl Email {
    /// Checks every address and the subject; `to` may hold several comma-separated addresses.
    pub fn new(from: &str, to: &[String], subject: &str, body: &str) -> Result<Self, EmailError> {
        let to = to
            .iter()
            .flat_map(|list| list.split(','))
            .filter(|address| !address.trim().is_empty())
            .map(Mailbox::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if to.is_empty() {
            return Err(EmailError::InvalidAddress {
                address: String::new(),
                reason: "no recipient".to_owned(),
            });
        }
        if subject.contains(['\r', '\n']) {
            return Err(EmailError::InvalidHeader {
                header: "Subject",
                reason: "contains a line break".to_owned(),
            });
        }
        let from = Mailbox::parse(from)?;
        let message_id = message_id(from.domain(), SystemTime::now());
        Ok(Self {
            from,
            to,
            cc: Vec::new(),
            subject: subject.to_owned(),
            body: body.to_owned(),
            message_id,
        })
    }

    /// Adds copied recipients (each entry may hold several comma-separated addresses).
    pub fn with_cc(mut self, cc: &[String]) -> Result<Self, EmailError> {
        for address in cc
            .iter()
            .flat_map(|list| list.split(','))
            .filter(|address| !address.trim().is_empty())
        {
            self.cc.push(Mailbox::parse(address)?);
        }
        Ok(self)
    }

    /// Every address the message is delivered to: `to`, then `cc`.
    pub fn recipients(&self) -> Vec<String> {
        self.to
            .iter()
            .chain(&self.cc)
            .map(|mailbox| mailbox.address.clone())
            .collect()
    }

    /// The message as sent after `DATA`, CRLF line ends, not yet dot-stuffed.
    pub fn to_rfc5322(&self, date: SystemTime) -> String {
        let mut out = String::new();
        let mut header = |name: &str, value: &str| {
            out.push_str(&fold(&format!("{name}: {value}")));
            out.push_str("\r\n");
        };
        header("Date", &rfc5322_date(date));
        header("From", &self.from.header_value());
        let to: Vec<String> = self.to.iter().map(Mailbox::header_value).collect();
        header("To", &to.join(", "));
        if !self.cc.is_empty() {
            let cc: Vec<String> = self.cc.iter().map(Mailbox::header_value).collect();
            header("Cc", &cc.join(", "));
        }
        header("Subject", &encode_unstructured(&self.subject));
        header("Message-ID", &self.message_id);
        header("MIME-Version", "1.0");
        header("Content-Type", "text/plain; charset=utf-8");
        let body = crlf(&self.body);
        let seven_bit = body.is_ascii() && body.split("\r\n").all(|line| line.len() <= MAX_LINE);
        if seven_bit {
            header("Content-Transfer-Encoding", "7bit");
            out.push_str("\r\n");
            out.push_str(&body);
        } else {
            header("Content-Transfer-Encoding", "base64");
            out.push_str("\r\n");
            let encoded = base64::engine::general_purpose::STANDARD.encode(body.as_bytes());
            for chunk in encoded.as_bytes().chunks(76) {
                out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
                out.push_str("\r\n");
            }
        }
        if !out.ends_with("\r\n") {
            out.push_str("\r\n");
        }
        out
    }
}

/// Every line end as CRLF (bodies come from templates and TOML with `\n`).
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

/// `Mon, 23 Nov 2026 15:50:39 +0000`
fn rfc5322_date(time: SystemTime) -> String {
    crate::timestamp::format_http_date(time).replace(" GMT", " +0000")
}

/// A unique `<...@domain>`: time, process and a counter, as no randomness source is at hand.
fn message_id(domain: &str, date: SystemTime) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = date
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "<relman.{nanos:x}.{now:x}.{}.{count}@{domain}>",
        std::process::id()
    )
}

/// An unstructured header value: as is when ASCII, else RFC 2047 encoded words.
fn encode_unstructured(text: &str) -> String {
    if text.is_ascii() {
        text.to_owned()
    } else {
        encode_word(text)
    }
}

/// `=?UTF-8?B?...?=` words of at most 75 characters, split at character boundaries and joined by
/// folding whitespace.
fn encode_word(text: &str) -> String {
    // 75 - len("=?UTF-8?B?") - len("?=") = 63 base64 characters, i.e. at most 45 bytes.
    const MAX_BYTES: usize = 45;
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (index, c) in text.char_indices() {
        if index + c.len_utf8() - start > MAX_BYTES {
            words.push(&text[start..end]);
            start = index;
        }
        end = index + c.len_utf8();
    }
    words.push(&text[start..end]);
    words
        .into_iter()
        .map(|word| {
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(word)
            )
        })
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// Folds a header line longer than 78 characters at spaces (encoded words already carry CRLF SP).
fn fold(line: &str) -> String {
    if line.len() <= 78 || line.contains("\r\n") {
        return line.to_owned();
    }
    let mut out = String::new();
    let mut current = 0;
    for (index, word) in line.split(' ').enumerate() {
        if index > 0 {
            if current + 1 + word.len() > 78 {
                out.push_str("\r\n ");
                current = 1;
            } else {
                out.push(' ');
                current += 1;
            }
        }
        out.push_str(word);
        current += word.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn date() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    #[test]
    fn mailboxes_parse_with_and_without_names() {
        let plain = Mailbox::parse(" team@example.org ").unwrap();
        assert_eq!(plain.address, "team@example.org");
        assert_eq!(plain.name, None);
        let named = Mailbox::parse("\"Release Bot\" <bot@example.org>").unwrap();
        assert_eq!(named.name.as_deref(), Some("Release Bot"));
        assert_eq!(named.header_value(), "\"Release Bot\" <bot@example.org>");
        assert_eq!(named.domain(), "example.org");
        for bad in [
            "no-at",
            "a@b@c",
            "x <a@b",
            "a@b\r\nBcc: evil@x",
            "@b",
            "a b@c",
        ] {
            assert!(Mailbox::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ascii_email_is_seven_bit_with_crlf() {
        let email = Email::new(
            "bot@example.org",
            &["a@example.org, b@example.org".to_owned()],
            "Release 2.1.3",
            "Hello,\nwheels are ready.\n",
        )
        .unwrap();
        let text = email.to_rfc5322(date());
        assert!(
            text.starts_with("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nFrom: bot@example.org\r\n")
        );
        assert!(
            text.contains("\r\nTo: a@example.org, b@example.org\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\nSubject: Release 2.1.3\r\n"));
        assert!(text.contains("\r\nMessage-ID: <relman."));
        assert!(
            text.contains("Content-Transfer-Encoding: 7bit\r\n\r\nHello,\r\nwheels are ready.\r\n")
        );
        assert!(!text.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn non_ascii_subject_and_body_are_encoded() {
        let email = Email::new(
            "Zoë <z@example.org>",
            &["a@example.org".to_owned()],
            "Version 2.0 — prête",
            "Ça marche.\n",
        )
        .unwrap();
        let text = email.to_rfc5322(date());
        assert!(
            text.contains("From: =?UTF-8?B?Wm/Dqw==?= <z@example.org>\r\n"),
            "{text}"
        );
        assert!(text.contains("Subject: =?UTF-8?B?"), "{text}");
        assert!(text.contains("Content-Transfer-Encoding: base64\r\n\r\nw4dhIG1hcmNoZS4NCg==\r\n"));
        assert!(text.is_ascii());
    }

    #[test]
    fn long_encoded_subjects_split_into_short_words() {
        let subject = "é".repeat(100);
        let encoded = encode_word(&subject);
        for word in encoded.split("\r\n ") {
            assert!(word.len() <= 75, "{word}");
        }
        let decoded: Vec<u8> = encoded
            .split("\r\n ")
            .flat_map(|word| {
                let inner = word.trim_start_matches("=?UTF-8?B?").trim_end_matches("?=");
                base64::engine::general_purpose::STANDARD
                    .decode(inner)
                    .unwrap()
            })
            .collect();
        assert_eq!(String::from_utf8(decoded).unwrap(), subject);
    }

    #[test]
    fn header_injection_is_refused() {
        let error = Email::new("a@b.c", &["d@e.f".to_owned()], "hi\r\nBcc: x@y.z", "").unwrap_err();
        assert!(error.to_string().contains("Subject"), "{error}");
        assert!(Email::new("a@b.c", &[], "s", "").is_err());
    }

    #[test]
    fn long_ascii_lines_force_base64() {
        let email = Email::new("a@b.c", &["d@e.f".to_owned()], "s", &"x".repeat(1200)).unwrap();
        assert!(email.to_rfc5322(date()).contains("base64"));
    }
}
