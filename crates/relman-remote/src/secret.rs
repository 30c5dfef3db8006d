//! Secrets as a type, and the redaction of known secrets from any text.
//!
//! A [`Secret`] holds a token, password or webhook URL. Its `Debug` and `Display` print `****`, so a
//! secret that ends up in a log line, an error or a `{:?}` of a larger struct never shows; code that
//! really needs the value calls [`Secret::expose`], which is easy to find in review.
//!
//! A [`Redactor`] knows a set of secret values and masks them wherever they appear in a text (an
//! error body that echoes a token, a URL, a rendered plan). It also masks what looks secret without
//! being known: the password in a URL's userinfo (`https://user:****@host/`) and the values of
//! query parameters with secret-sounding names (`?access_token=****`, signed download URLs'
//! `sig=****`). Every outward-facing text of this crate goes through one.

use std::fmt;

/// What a masked secret prints as.
pub const MASK: &str = "****";

/// Secrets shorter than this are not searched for in texts: masking every `a` of a message because
/// a test configured the password `a` would make errors unreadable and hide nothing.
const MIN_REDACTED_LEN: usize = 4;

/// A secret value (token, password, webhook URL) whose `Debug` and `Display` print `****`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself: only for putting it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty (an environment variable set to `""` counts as unset).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// Whether an environment variable's name says it holds a secret (the spec masks names matching
/// `TOKEN|SECRET|PASSWORD|KEY|WEBHOOK` even when `project.secrets` does not list them).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["TOKEN", "SECRET", "PASSWORD", "KEY", "WEBHOOK"]
        .iter()
        .any(|word| upper.contains(word))
}

/// Query parameter names whose values are masked in any URL, known secret or not.
fn is_secret_query_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "sig"
        || lower == "signature"
        || lower == "code"
        || [
            "token",
            "secret",
            "password",
            "key",
            "signature",
            "credential",
        ]
        .iter()
        .any(|word| lower.contains(word))
}

/// Masks known secret values, URL passwords and secret query parameters in texts.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Longest first, so that a secret containing another one is masked whole.
    secrets: Vec<String>,
    /// The forms of the secrets known by the variable that holds them, longest first: what
    /// [`crate::sealed`] seals a value with.
    named: Vec<(String, String, SecretForm)>,
}

/// How a secret's value appears in a text: as it is, inside a JSON string, percent-encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretForm {
    Raw,
    Json,
    Percent,
}

impl SecretForm {
    /// The value in this form.
    pub fn encode(self, value: &str) -> String {
        match self {
            SecretForm::Raw => value.to_owned(),
            SecretForm::Json => {
                let json = serde_json::to_string(value).unwrap_or_default();
                json.strip_prefix('"')
                    .and_then(|inner| inner.strip_suffix('"'))
                    .unwrap_or(value)
                    .to_owned()
            }
            SecretForm::Percent => {
                percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
                    .to_string()
            }
        }
    }

    const ALL: [SecretForm; 3] = [SecretForm::Raw, SecretForm::Json, SecretForm::Percent];
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

impl Redactor {
    /// A redactor that knows no secret yet (it still masks URL passwords and secret parameters).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a secret to mask; values shorter than four characters are ignored.
    pub fn add(&mut self, secret: &Secret) {
        self.add_value(secret.expose());
    }

    /// Adds a raw value to mask (a value read from an environment variable named like a secret),
    /// and the forms it takes once escaped where relman shows or stores it: inside a JSON
    /// string (a request body, the journal) and percent-encoded (a URL).
    pub fn add_value(&mut self, value: &str) {
        if value.len() < MIN_REDACTED_LEN {
            return;
        }
        for form in SecretForm::ALL {
            let text = form.encode(value);
            if !self.secrets.contains(&text) {
                self.secrets.push(text);
            }
        }
        self.secrets
            .sort_by_key(|known| std::cmp::Reverse(known.len()));
    }

    /// Adds the value of the environment variable `name` to mask, remembering the name: a text
    /// holding it can then be sealed ([`crate::sealed::seal`]) and rebuilt from the variable.
    pub fn add_variable(&mut self, name: &str, value: &str) {
        if value.len() < MIN_REDACTED_LEN {
            return;
        }
        self.add_value(value);
        self.add_named(SecretForm::ALL.map(|form| (form.encode(value), name.to_owned(), form)));
    }

    /// Adds forms of secrets known by name that are not known yet, keeping the longest first.
    fn add_named(&mut self, forms: impl IntoIterator<Item = (String, String, SecretForm)>) {
        for (text, name, form) in forms {
            if !self.named.iter().any(|(known, ..)| *known == text) {
                self.named.push((text, name, form));
            }
        }
        self.named
            .sort_by_key(|(known, ..)| std::cmp::Reverse(known.len()));
    }

    /// The forms of the secrets known by name, longest first: (text, variable, form).
    pub(crate) fn named(&self) -> &[(String, String, SecretForm)] {
        &self.named
    }

    /// Builder form of [`Redactor::add`].
    pub fn with(mut self, secret: &Secret) -> Self {
        self.add(secret);
        self
    }

    /// Adds every secret another redactor knows.
    pub fn extend(&mut self, other: &Redactor) {
        for value in &other.secrets {
            self.add_value(value);
        }
        self.add_named(other.named.iter().cloned());
    }

    /// Whether no secret value is known (URL passwords are masked all the same).
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The text with every known secret, URL password and secret query value replaced by `****`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        let out = mask_userinfo_passwords(&out);
        mask_secret_query_values(&out)
    }
}

/// Characters that end a URL inside running text.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')' | ']' | '}')
}

/// `scheme://user:password@host` becomes `scheme://user:****@host`; over HTTP, where a token is
/// often given as the user name (`https://TOKEN@host/`), `https://user@host` becomes
/// `https://****@host`.
fn mask_userinfo_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (before, after) = rest.split_at(pos + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| ends_url(c) || matches!(c, '/' | '?' | '#'))
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                match userinfo.find(':') {
                    Some(colon) if colon + 1 < userinfo.len() && &userinfo[colon + 1..] != MASK => {
                        out.push_str(&userinfo[..=colon]);
                        out.push_str(MASK);
                        out.push_str(&authority[at..]);
                    }
                    None if is_http(before) && !userinfo.is_empty() && userinfo != MASK => {
                        out.push_str(MASK);
                        out.push_str(&authority[at..]);
                    }
                    _ => out.push_str(authority),
                }
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    out
}

/// Whether the text before `://` ends with an HTTP scheme.
fn is_http(before_authority: &str) -> bool {
    let scheme = before_authority.trim_end_matches("://");
    let scheme = scheme
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .next()
        .unwrap_or_default();
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// `?access_token=abc&page=2` becomes `?access_token=****&page=2`.
fn mask_secret_query_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['?', '&']) {
        let (before, after) = rest.split_at(pos + 1);
        out.push_str(before);
        let name_end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(after.len());
        let name = &after[..name_end];
        if !name.is_empty() && after[name_end..].starts_with('=') && is_secret_query_name(name) {
            let value_start = name_end + 1;
            let value_end = after[value_start..]
                .find(|c: char| ends_url(c) || matches!(c, '&' | '#'))
                .map_or(after.len(), |end| value_start + end);
            out.push_str(&after[..value_start]);
            if value_end > value_start {
                out.push_str(MASK);
            }
            rest = &after[value_end..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_formats_its_value() {
        let secret = Secret::new("ghp_abcdef123456");
        assert_eq!(format!("{secret}"), "****");
        assert_eq!(format!("{secret:?}"), "****");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(****)");
        assert_eq!(secret.expose(), "ghp_abcdef123456");
    }

    #[test]
    fn known_secrets_are_masked_longest_first() {
        let mut redactor = Redactor::new();
        redactor.add(&Secret::new("abcd"));
        redactor.add(&Secret::new("abcdefgh"));
        assert_eq!(
            redactor.redact("token abcdefgh and abcd"),
            "token **** and ****"
        );
    }

    #[test]
    fn short_values_are_not_masked() {
        let redactor = Redactor::new().with(&Secret::new("a"));
        assert_eq!(redactor.redact("a banana"), "a banana");
    }

    #[test]
    fn secrets_are_masked_in_their_escaped_forms_too() {
        let redactor = Redactor::new().with(&Secret::new("pa\"ss\\w/rd"));
        let body = serde_json::json!({ "token": "pa\"ss\\w/rd" }).to_string();
        assert_eq!(redactor.redact(&body), "{\"token\":\"****\"}");
        assert_eq!(
            redactor.redact("https://x.example/?q=pa%22ss%5Cw%2Frd"),
            "https://x.example/?q=****"
        );
        assert_eq!(redactor.redact("raw pa\"ss\\w/rd"), "raw ****");
    }

    #[test]
    fn a_token_given_as_the_user_name_of_an_http_url_is_masked() {
        let redactor = Redactor::new();
        assert_eq!(
            redactor.redact("cloning https://ghp_abc123@github.com/o/r.git and ssh://git@host/x"),
            "cloning https://****@github.com/o/r.git and ssh://git@host/x"
        );
        assert_eq!(redactor.redact("http://****@host/"), "http://****@host/");
    }

    #[test]
    fn url_passwords_are_masked_without_knowing_them() {
        let redactor = Redactor::new();
        assert_eq!(
            redactor.redact("pushing to https://bot:hunter22@example.org/x.git failed"),
            "pushing to https://bot:****@example.org/x.git failed"
        );
        assert_eq!(
            redactor.redact("smtp://user:p%40ss@mail:25 and ssh://git@host/x"),
            "smtp://user:****@mail:25 and ssh://git@host/x"
        );
        assert_eq!(redactor.redact("https://host/a@b"), "https://host/a@b");
    }

    #[test]
    fn secret_query_values_are_masked() {
        let redactor = Redactor::new();
        assert_eq!(
            redactor.redact("GET https://blob.test/a.zip?sv=1&sig=XYZ%3D&se=2 failed"),
            "GET https://blob.test/a.zip?sv=1&sig=****&se=2 failed"
        );
        assert_eq!(
            redactor.redact("https://x/?access_token=abc#frag"),
            "https://x/?access_token=****#frag"
        );
        assert_eq!(
            redactor.redact("https://x/?page=2&per_page=3"),
            "https://x/?page=2&per_page=3"
        );
    }

    #[test]
    fn secret_names() {
        assert!(is_secret_name("GITHUB_TOKEN"));
        assert!(is_secret_name("slack_webhook_url"));
        assert!(is_secret_name("TWINE_PASSWORD"));
        assert!(!is_secret_name("HOME"));
    }
}
