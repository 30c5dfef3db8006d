//! What the engine knows of the world outside the repository, handed to it by the binary: the
//! environment variables, the clock, and whether a person is at a terminal. The engine never
//! reads `std::env` itself, so tests and the binary control it completely.

use std::collections::BTreeMap;

/// The process environment and clock, as the binary saw them.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
    /// Seconds since the Unix epoch, now.
    pub now: i64,
    /// Whether a person can answer prompts (a terminal, and neither `--no-input` nor `--yes`).
    pub interactive: bool,
    /// The version of relman, recorded in journals.
    pub relman_version: String,
}

impl Environment {
    pub fn new(vars: impl IntoIterator<Item = (String, String)>, now: i64) -> Self {
        Environment {
            vars: vars.into_iter().collect(),
            now,
            interactive: false,
            relman_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    pub fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Seconds since the Unix epoch, read now (journal timestamps).
    pub fn timestamp(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(self.now, |elapsed| {
                i64::try_from(elapsed.as_secs()).unwrap_or(self.now)
            })
    }

    /// The release date's clock: `SOURCE_DATE_EPOCH` when set (reproducible output), else now.
    pub fn release_time(&self) -> i64 {
        self.var("SOURCE_DATE_EPOCH")
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(self.now)
    }

    /// Whether the variable's name marks it as secret: declared in
    /// `project.secrets`, or named like a secret, or the SMTP URL (it holds a password).
    pub fn is_secret_name(name: &str, declared: &[String]) -> bool {
        declared.iter().any(|declared| declared == name)
            || relman_remote::secret::is_secret_name(name)
            || name.eq_ignore_ascii_case("RELMAN_SMTP_URL")
    }

    /// Every secret variable with its value (the masker orders them longest first, so a
    /// secret containing another is masked whole).
    pub fn secret_vars<'a>(
        &'a self,
        declared: &'a [String],
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.vars()
            .filter(move |(name, value)| Self::is_secret_name(name, declared) && value.len() >= 4)
    }
}
