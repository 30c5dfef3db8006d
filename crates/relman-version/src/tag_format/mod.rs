//! Tag formats: how a version becomes a tag name (`v{version}` → `v1.2.3`) and back, and a guess of
//! the format from the tags a repository already has when nothing is configured.
//!
//! A format is literal text around exactly one `{version}`; `{{` and `}}` are literal braces. Reading
//! a tag back is a prefix and suffix comparison, because it runs on every tag of a repository.
//!
//! Old repositories carry tags that are not releases of the project: other packages' releases
//! (`globset-0.4.20`), another packaging's (`rpm-0.1`), maintenance-line markers (`2.3.x`), junk
//! (`-`), four-part numbers. Reading a tag tells those apart ([`TagRead::NotRelease`]) so the
//! caller can ignore them; two-part versions of old releases (`v1.0`) read as `1.0.0` in semver.

use std::fmt;
use std::str::FromStr;

use crate::scheme::Scheme;
use crate::version::Version;

/// A parsed tag format such as `v{version}` or `mylib-{version}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagFormat {
    prefix: String,
    suffix: String,
}

/// A tag format that does not hold `{version}` exactly once, or cannot make a git tag name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagFormatError {
    #[error("tag format `{format}` has no `{{version}}`")]
    MissingVersion { format: String },
    #[error("tag format `{format}` has `{{version}}` more than once")]
    RepeatedVersion { format: String },
    #[error("tag format `{format}` has an unknown placeholder `{{{name}}}`")]
    UnknownPlaceholder { format: String, name: String },
    #[error("tag format `{format}` has an unmatched `{brace}` at byte {offset}")]
    UnmatchedBrace {
        format: String,
        brace: char,
        offset: usize,
    },
    #[error("tag format `{format}` cannot make a git tag name: {reason}")]
    InvalidRefName {
        format: String,
        reason: &'static str,
    },
}

impl TagFormatError {
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Self::MissingVersion { .. } | Self::RepeatedVersion { .. } => {
                "write `{version}` exactly once, for example `tag = \"v{version}\"`".to_owned()
            }
            Self::UnknownPlaceholder { .. } => {
                "only `{version}` is filled in; write other text literally".to_owned()
            }
            Self::UnmatchedBrace { .. } => "write `{{` and `}}` for literal braces".to_owned(),
            Self::InvalidRefName { .. } => {
                "tag names cannot contain spaces, `~ ^ : ? * [ \\`, `..` or `@{`, and cannot \
                 start with `-` or end with `.` or `.lock`"
                    .to_owned()
            }
        })
    }
}

impl TagFormat {
    pub fn parse(format: &str) -> Result<TagFormat, TagFormatError> {
        let mut parts = [String::new(), String::new()];
        let mut seen_version = false;
        let mut chars = format.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            let part = &mut parts[usize::from(seen_version)];
            match c {
                '{' if chars.peek().is_some_and(|&(_, next)| next == '{') => {
                    chars.next();
                    part.push('{');
                }
                '}' if chars.peek().is_some_and(|&(_, next)| next == '}') => {
                    chars.next();
                    part.push('}');
                }
                '{' => {
                    let rest = &format[offset + 1..];
                    let Some(end) = rest.find('}') else {
                        return Err(TagFormatError::UnmatchedBrace {
                            format: format.to_owned(),
                            brace: '{',
                            offset,
                        });
                    };
                    let name = &rest[..end];
                    if name != "version" {
                        return Err(TagFormatError::UnknownPlaceholder {
                            format: format.to_owned(),
                            name: name.to_owned(),
                        });
                    }
                    if seen_version {
                        return Err(TagFormatError::RepeatedVersion {
                            format: format.to_owned(),
                        });
                    }
                    seen_version = true;
                    for _ in 0..=end {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(TagFormatError::UnmatchedBrace {
                        format: format.to_owned(),
                        brace: '}',
                        offset,
                    });
                }
                c => part.push(c),
            }
        }
        if !seen_version {
            return Err(TagFormatError::MissingVersion {
                format: format.to_owned(),
            });
        }
        let [prefix, suffix] = parts;
        check_ref_name(format, &prefix, &suffix)?;
        Ok(TagFormat { prefix, suffix })
    }

    /// The format `{prefix}{version}`, used for guesses.
    fn with_prefix(prefix: &str) -> TagFormat {
        TagFormat {
            prefix: prefix.to_owned(),
            suffix: String::new(),
        }
    }

    /// The tag name of `version`.
    pub fn render(&self, version: &str) -> String {
        let mut tag = String::with_capacity(self.prefix.len() + version.len() + self.suffix.len());
        tag.push_str(&self.prefix);
        tag.push_str(version);
        tag.push_str(&self.suffix);
        tag
    }

    /// The version part of `tag`, when the tag has this format's prefix and suffix around
    /// something non-empty. Whether that part is a version is the scheme's business.
    pub fn extract<'a>(&self, tag: &'a str) -> Option<&'a str> {
        let version = tag
            .strip_prefix(self.prefix.as_str())?
            .strip_suffix(self.suffix.as_str())?;
        (!version.is_empty()).then_some(version)
    }

    /// `extract` then read with `scheme` ([`read_tag_version`]): the version of a release tag.
    pub fn version_of(&self, tag: &str, scheme: &Scheme) -> Option<Version> {
        read_tag_version(scheme, self.extract(tag)?)
    }

    /// What `tag` is to a project with this format and scheme.
    pub fn read(&self, tag: &str, scheme: &Scheme) -> TagRead {
        match self.extract(tag) {
            None => TagRead::Other,
            Some(text) => match read_tag_version(scheme, text) {
                Some(version) => TagRead::Release(version),
                None => TagRead::NotRelease,
            },
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn suffix(&self) -> &str {
        &self.suffix
    }
}

/// What a tag is to a project (see [`TagFormat::read`]).
#[derive(Debug, Clone, PartialEq)]
pub enum TagRead {
    /// A release of this version.
    Release(Version),
    /// In the format's shape, but its version part is no version of the scheme: another
    /// package's tag under a bare `{version}` format, `v2.3.x`, `v1.2.3.4` in semver.
    NotRelease,
    /// Not in the format's shape at all.
    Other,
}

/// The version a tag's version part holds: `scheme`'s reading, and for semver also an old
/// two-part `1.0` read as `1.0.0`, and a zero-padded minor or patch (a month, as helix's
/// `25.07.1`, whose `Cargo.toml` says `25.7.1`) read without its zeros. A lone number (`v1`, a
/// moving major tag) and a padded major (`v01.2`) are no release, though RubyGems and PEP 440
/// would read a lone number.
pub fn read_tag_version(scheme: &Scheme, text: &str) -> Option<Version> {
    if matches!(scheme, Scheme::Rubygems) && !text.contains('.') {
        return None;
    }
    if let Ok(version) = scheme.parse(text) {
        return Some(version);
    }
    if !matches!(scheme, Scheme::Semver) {
        return None;
    }
    let body = text.strip_prefix('v').unwrap_or(text);
    let (core, rest) = body.split_at(body.find(['-', '+']).unwrap_or(body.len()));
    let parts: Vec<&str> = core.split('.').collect();
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let (major, others) = parts.split_first()?;
    if !digits(major) || (*major != "0" && major.starts_with('0')) {
        return None;
    }
    if !matches!(others.len(), 1 | 2) || !others.iter().all(|part| digits(part)) {
        return None;
    }
    // A two-part version takes no pre-release: `1.0-rc1` is no semver spelling of anything.
    if others.len() == 1 && !rest.is_empty() {
        return None;
    }
    let unpadded = |part: &str| match part.trim_start_matches('0') {
        "" => "0".to_owned(),
        kept => kept.to_owned(),
    };
    let minor = unpadded(others[0]);
    let patch = others
        .get(1)
        .map_or_else(|| "0".to_owned(), |part| unpadded(part));
    scheme.parse(&format!("{major}.{minor}.{patch}{rest}")).ok()
}

/// git's rules for a ref name (`git check-ref-format`), applied to the literal text of a format.
fn check_ref_name(format: &str, prefix: &str, suffix: &str) -> Result<(), TagFormatError> {
    let error = |reason| {
        Err(TagFormatError::InvalidRefName {
            format: format.to_owned(),
            reason,
        })
    };
    for part in [prefix, suffix] {
        if part
            .chars()
            .any(|c| c.is_ascii_control() || " ~^:?*[\\".contains(c))
        {
            return error("it contains a space, a control character or one of `~ ^ : ? * [ \\`");
        }
        if part.contains("..") || part.contains("@{") || part.contains("//") {
            return error("it contains `..`, `@{` or `//`");
        }
    }
    if prefix.starts_with(['-', '/', '.']) {
        return error("a tag name cannot start with `-`, `/` or `.`");
    }
    if suffix.ends_with(['.', '/']) || suffix.ends_with(".lock") {
        return error("a tag name cannot end with `.`, `/` or `.lock`");
    }
    Ok(())
}

impl FromStr for TagFormat {
    type Err = TagFormatError;

    fn from_str(format: &str) -> Result<TagFormat, TagFormatError> {
        TagFormat::parse(format)
    }
}

impl fmt::Display for TagFormat {
    /// The format as it would be written in `relman.toml`, braces escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let escape = |text: &str| text.replace('{', "{{").replace('}', "}}");
        write!(
            f,
            "{}{{version}}{}",
            escape(&self.prefix),
            escape(&self.suffix)
        )
    }
}

mod guess;

#[cfg(test)]
mod tests;
