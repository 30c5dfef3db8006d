//! Version schemes: which grammar a project's versions follow (`semver`, `pep440`, `rubygems`,
//! `calver:FORMAT`),
//! parsing text into a [`Version`] of that scheme, and the errors bad text gets.
//!
//! Parsing runs once per tag of a repository, so it is cheap: no regex, no allocation beyond the
//! parsed value. Each scheme's grammar and bump arithmetic live in its own file; `crate::bump`
//! chooses the arithmetic, these files only do it.

pub mod calver;
pub mod pep440;
pub mod rubygems;
pub mod semver;

use std::fmt;
use std::str::FromStr;

pub use calver::{CalverFormat, CalverFormatError, CalverVersion};
pub use rubygems::GemVersion;

use crate::version::Version;

/// The grammar of a project's versions, from `scheme = "..."` in `relman.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// SemVer 2.0.0, with npm's bump rules.
    Semver,
    /// PEP 440, normalised on write, with Poetry's bump rules.
    Pep440,
    /// RubyGems' `Gem::Version`, written as the gem spells it (`8.1.0.beta1`, `8.1.3.1`).
    Rubygems,
    /// Calendar versions in the given format.
    Calver(CalverFormat),
}

/// A scheme name that relman does not know, or a bad calver format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    #[error(
        "unknown version scheme `{text}`: expected `semver`, `pep440`, `rubygems` or `calver:FORMAT`"
    )]
    Unknown { text: String },
    #[error(transparent)]
    Calver(#[from] CalverFormatError),
}

impl SchemeError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Unknown { text } => {
                let lower = text.trim().to_ascii_lowercase();
                let suggestion = if lower.starts_with("cal") {
                    "calver:YYYY.0M.MICRO"
                } else if lower.starts_with("pep") || lower.contains("python") {
                    "pep440"
                } else if lower.contains("gem") || lower.contains("ruby") || lower.contains("rails")
                {
                    "rubygems"
                } else {
                    "semver"
                };
                Some(format!(
                    "did you mean `{suggestion}`? calendar versions name their format, for \
                     example `calver:YYYY.0M.MICRO`"
                ))
            }
            Self::Calver(error) => error.hint(),
        }
    }
}

/// Text that is not a version of the scheme it was read with. The caller adds where the text
/// came from (a file, a tag).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("`{text}` is not a valid semver version: {reason}")]
    Semver { text: String, reason: String },
    #[error("`{text}` is not a valid PEP 440 version: {reason}")]
    Pep440 { text: String, reason: String },
    #[error("`{text}` is not a valid RubyGems version: {reason}")]
    Rubygems { text: String, reason: String },
    #[error("`{text}` is not a `calver:{format}` version: {reason}")]
    Calver {
        text: String,
        format: CalverFormat,
        reason: String,
    },
}

impl VersionError {
    /// The text that failed to parse.
    pub fn text(&self) -> &str {
        match self {
            Self::Semver { text, .. }
            | Self::Pep440 { text, .. }
            | Self::Rubygems { text, .. }
            | Self::Calver { text, .. } => text,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Semver { text, .. } => Some(semver::hint(text)),
            Self::Pep440 { .. } => Some(
                "a PEP 440 version looks like `1.2.3`, `1.2.3rc1`, `1.2.3.post1`, `1.2.3.dev0` \
                 or `1!2.0+local`"
                    .to_owned(),
            ),
            Self::Rubygems { .. } => Some(
                "a RubyGems version is numbers and words separated by dots: `8.1.0`, `8.1.3.1`, \
                 `8.1.0.beta1`, `8.2.0.alpha`"
                    .to_owned(),
            ),
            Self::Calver { format, .. } => Some(format!(
                "`calver:{format}` versions look like `{}`, from the day of the release",
                format.example()
            )),
        }
    }
}

impl Scheme {
    /// Reads `text` as a version of this scheme. Surrounding white space and a leading `v` are
    /// accepted and dropped, as npm and PEP 440 do.
    pub fn parse(&self, text: &str) -> Result<Version, VersionError> {
        match self {
            Scheme::Semver => semver::parse(text).map(Version::Semver),
            Scheme::Pep440 => pep440::parse(text).map(Version::Pep440),
            Scheme::Rubygems => rubygems::parse(text).map(Version::Rubygems),
            Scheme::Calver(format) => format.parse(text).map(Version::Calver),
        }
    }

    /// The label a new pre-release cycle gets when none is configured: `alpha` for semver (npm
    /// itself would write `1.3.0-0`); `beta` for rubygems, whose bare `alpha` is the development
    /// version (`8.2.0.alpha`); pep440 starts at `a` anyway, as Poetry does; calver has no
    /// pre-releases.
    pub fn default_pre_label(&self) -> Option<&'static str> {
        match self {
            Scheme::Semver => Some("alpha"),
            Scheme::Rubygems => Some(rubygems::bump::DEFAULT_LABEL),
            Scheme::Pep440 | Scheme::Calver(_) => None,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scheme::Semver => f.write_str("semver"),
            Scheme::Pep440 => f.write_str("pep440"),
            Scheme::Rubygems => f.write_str("rubygems"),
            Scheme::Calver(format) => write!(f, "calver:{format}"),
        }
    }
}

impl FromStr for Scheme {
    type Err = SchemeError;

    fn from_str(text: &str) -> Result<Scheme, SchemeError> {
        match text {
            "semver" => Ok(Scheme::Semver),
            "pep440" => Ok(Scheme::Pep440),
            "rubygems" => Ok(Scheme::Rubygems),
            _ => match text.strip_prefix("calver:") {
                Some(format) => Ok(Scheme::Calver(format.parse()?)),
                None => Err(SchemeError::Unknown {
                    text: text.to_owned(),
                }),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "semver",
            "pep440",
            "rubygems",
            "calver:YYYY.0M.MICRO",
            "calver:YY-0W",
            "calver:0Y_MM_DD",
        ] {
            let scheme: Scheme = name.parse().unwrap();
            assert_eq!(scheme.to_string(), name);
        }
    }

    #[test]
    fn unknown_scheme_says_what_is_valid() {
        let error = "semvar".parse::<Scheme>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown version scheme `semvar`: expected `semver`, `pep440`, `rubygems` or `calver:FORMAT`"
        );
        assert!(error.hint().unwrap().contains("did you mean `semver`?"));
        let error = "PEP-440".parse::<Scheme>().unwrap_err();
        assert!(error.hint().unwrap().contains("`pep440`"));
        let error = "ruby".parse::<Scheme>().unwrap_err();
        assert!(error.hint().unwrap().contains("`rubygems`"));
        let error = "calver".parse::<Scheme>().unwrap_err();
        assert!(error.hint().unwrap().contains("`calver:YYYY.0M.MICRO`"));
    }

    #[test]
    fn bad_calver_format_is_a_scheme_error() {
        let error = "calver:YYYY.MMM".parse::<Scheme>().unwrap_err();
        assert!(error.to_string().contains("`MMM`"), "{error}");
        assert!(
            error
                .hint()
                .unwrap()
                .contains("YYYY, YY, 0Y, MM, 0M, WW, 0W, DD, 0D")
        );
    }

    #[test]
    fn parse_errors_name_text_and_scheme() {
        let error = Scheme::Pep440.parse("1.2.x").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("`1.2.x` is not a valid PEP 440 version: ")
        );
        assert!(error.hint().unwrap().contains("`1.2.3rc1`"));
        let error = Scheme::Semver.parse("1.2").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("`1.2` is not a valid semver version: ")
        );
        assert_eq!(error.text(), "1.2");
        let scheme: Scheme = "calver:YYYY.0M.MICRO".parse().unwrap();
        let error = scheme.parse("2024.6.1").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("`2024.6.1` is not a `calver:YYYY.0M.MICRO` version")
        );
        assert!(
            error.hint().unwrap().contains("`2024.06.0`"),
            "{:?}",
            error.hint()
        );
    }
}
