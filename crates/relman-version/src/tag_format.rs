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
//! Numbers joined by `_` (curl's `curl-8_21_0`, luafilesystem's `v1_9_0`) are versions too; a
//! format whose tags spell them so is written `curl-{version:_}`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::scheme::Scheme;
use crate::version::Version;

#[path = "tag_underscores.rs"]
mod underscores;

/// A parsed tag format such as `v{version}` or `mylib-{version}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagFormat {
    prefix: String,
    suffix: String,
    /// The tags spell the version's dots as `_` (`curl-8_21_0`), written `{version:_}`.
    underscores: bool,
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
        let mut underscores = false;
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
                    if name == "version:_" {
                        underscores = true;
                    } else if name != "version" {
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
        Ok(TagFormat {
            prefix,
            suffix,
            underscores,
        })
    }

    /// The format `{prefix}{version}` (with `_` for dots when `underscores`), used for guesses.
    fn with_prefix(prefix: &str, underscores: bool) -> TagFormat {
        TagFormat {
            prefix: prefix.to_owned(),
            suffix: String::new(),
            underscores,
        }
    }

    /// The tag name of `version` (its numbers joined by `_` in a `{version:_}` format).
    pub fn render(&self, version: &str) -> String {
        let mut tag = String::with_capacity(self.prefix.len() + version.len() + self.suffix.len());
        tag.push_str(&self.prefix);
        if self.underscores {
            tag.push_str(&underscores::spell(version));
        } else {
            tag.push_str(version);
        }
        tag.push_str(&self.suffix);
        tag
    }

    /// Whether the tags spell the version's dots as `_` (`{version:_}`).
    pub fn underscores(&self) -> bool {
        self.underscores
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

    /// Guesses the tag format of a repository from its tag names: for each tag, the text before
    /// the first position where a number starts from which the rest reads as a version of
    /// `scheme`. Prefixes that are the project's own (none, `v`, `release-`, or the project's
    /// `name` followed by `-`, `_`, `@` or `/`) win over other packages' (`globset-`); among
    /// them the one holding the highest version wins, since it is the form the project uses now
    /// (`0.17.0` then `v0.74.3`); without one, the most common prefix. `None` when no tag holds
    /// a version.
    pub fn guess<'a>(
        tags: impl IntoIterator<Item = &'a str>,
        scheme: &Scheme,
        name: Option<&str>,
    ) -> Option<TagFormat> {
        Self::guess_with(tags, scheme, name, false)
    }

    /// Like [`guess`](Self::guess), but only the project's own prefixes count: in a repository
    /// of several packages, a tag named after something else (`tracing-opentelemetry-0.18.0`)
    /// is another package's, never the root package's.
    pub fn guess_own<'a>(
        tags: impl IntoIterator<Item = &'a str>,
        scheme: &Scheme,
        name: Option<&str>,
    ) -> Option<TagFormat> {
        Self::guess_with(tags, scheme, name, true)
    }

    fn guess_with<'a>(
        tags: impl IntoIterator<Item = &'a str>,
        scheme: &Scheme,
        name: Option<&str>,
        own_only: bool,
    ) -> Option<TagFormat> {
        let mut prefixes: HashMap<&'a str, (usize, Version)> = HashMap::new();
        // Whether the newest version of a prefix was spelt with `_` (`v1_9_0` after `v1.5.0`).
        let mut spelt: HashMap<&'a str, bool> = HashMap::new();
        for tag in tags {
            let Some((prefix, version)) = split_tag(tag, scheme) else {
                continue;
            };
            let underscored = underscores::undotted(&tag[prefix.len()..]).is_some();
            let newest = prefixes
                .get(prefix)
                .is_none_or(|(_, newest)| version > *newest);
            if newest {
                spelt.insert(prefix, underscored);
            }
            prefixes
                .entry(prefix)
                .and_modify(|(count, newest)| {
                    *count += 1;
                    if version > *newest {
                        *newest = version.clone();
                    }
                })
                .or_insert((1, version));
        }
        let format = |prefix: &str| {
            TagFormat::with_prefix(prefix, spelt.get(prefix).copied().unwrap_or(false))
        };
        let own: Vec<(&str, (usize, Version))> = prefixes
            .iter()
            .filter(|(prefix, _)| is_own_prefix(prefix, name))
            .map(|(prefix, found)| (*prefix, found.clone()))
            .collect();
        if !own.is_empty() {
            return own
                .into_iter()
                .max_by(
                    |(a_prefix, (a_count, a_newest)), (b_prefix, (b_count, b_newest))| {
                        // Prefix text last, so that the guess never depends on hash order.
                        (a_newest, a_count, b_prefix).cmp(&(b_newest, b_count, a_prefix))
                    },
                )
                .map(|(prefix, _)| format(prefix));
        }
        if own_only {
            return None;
        }
        prefixes
            .into_iter()
            .max_by(
                |(a_prefix, (a_count, a_newest)), (b_prefix, (b_count, b_newest))| {
                    (a_count, a_newest, b_prefix).cmp(&(b_count, b_newest, a_prefix))
                },
            )
            .map(|(prefix, _)| format(prefix))
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
    // Numbers joined by `_` (curl's `8_21_0`, CVS-era `v1_9_0`) are the same version.
    if let Some(dotted) = underscores::undotted(text) {
        return read_tag_version(scheme, &dotted);
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

/// Whether a tag prefix is the project's own: none, `v`, a word such as `release-`, or the
/// project's name followed by a separator (`jq-`, `mylib-v`, `mylib@`).
fn is_own_prefix(prefix: &str, name: Option<&str>) -> bool {
    const SEPARATORS: [char; 5] = ['-', '_', '@', '/', '.'];
    // A `v` may also come before a separator: rustls tags `v/0.23.43` and
    // `rustls-post-quantum-v/0.2.4`.
    let trimmed = prefix.trim_end_matches(SEPARATORS);
    let core = trimmed
        .strip_suffix(['v', 'V'])
        .filter(|rest| rest.is_empty() || rest.ends_with(SEPARATORS))
        .unwrap_or(trimmed)
        .trim_end_matches(SEPARATORS);
    if core.is_empty() {
        return true;
    }
    let core = core.to_ascii_lowercase();
    // `parent`: the root artifact of a Maven build (or one that was, before it moved to
    // Gradle) names the tags maven-release-plugin made (okhttp's and okio's `parent-5.4.0`).
    if ["release", "rel", "version", "ver", "parent"].contains(&core.as_str()) {
        return true;
    }
    let normal = |text: &str| text.to_ascii_lowercase().replace('_', "-");
    name.is_some_and(|name| {
        let name = normal(name);
        let core = normal(&core);
        let last = core.rsplit('/').next().unwrap_or(&core);
        // `moshi-parent-1.0.0` is the project `moshi`'s, `gson-parent-2.14.0` gson-parent's.
        // A Maven artifact that carries its major version (`commons-lang3`) tags releases
        // under the bare name (`rel/commons-lang-3.20.0`).
        let unversioned = name
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .strip_suffix(|c: char| c.is_ascii_alphabetic())
            .map(|_| name.trim_end_matches(|c: char| c.is_ascii_digit()));
        core == name
            || last == name
            || last.strip_suffix("-parent") == Some(name.as_str())
            || unversioned.is_some_and(|bare| bare != name && last == bare)
    })
}

/// The first split of `tag` into a prefix and a version of `scheme` that starts with a digit.
fn split_tag<'a>(tag: &'a str, scheme: &Scheme) -> Option<(&'a str, Version)> {
    tag.char_indices()
        .filter(|&(i, c)| {
            // Only where a number starts after a separator or a letter: `name-v12.0.0` must not
            // split as `name-v1` + `2.0.0`, nor `v1.2.3.4` as `v1.` + `2.3.4`.
            c.is_ascii_digit()
                && (i == 0 || {
                    let before = tag.as_bytes()[i - 1];
                    !before.is_ascii_digit() && before != b'.'
                })
        })
        // Nor `v1_9_0_1` as `v1_` + `9_0_1`: a number joined by `_` to the one before it.
        .filter(|&(i, _)| !underscores::continues_a_number(tag, i))
        .find_map(|(i, _)| read_tag_version(scheme, &tag[i..]).map(|version| (&tag[..i], version)))
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
        let placeholder = if self.underscores {
            "{version:_}"
        } else {
            "{version}"
        };
        write!(
            f,
            "{}{placeholder}{}",
            escape(&self.prefix),
            escape(&self.suffix)
        )
    }
}

#[cfg(test)]
#[path = "tag_format_tests.rs"]
mod tests;
