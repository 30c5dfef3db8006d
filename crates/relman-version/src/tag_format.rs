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

use std::collections::HashMap;
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
        for tag in tags {
            let Some((prefix, version)) = split_tag(tag, scheme) else {
                continue;
            };
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
                .map(|(prefix, _)| TagFormat::with_prefix(prefix));
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
            .map(|(prefix, _)| TagFormat::with_prefix(prefix))
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

/// Whether a tag prefix is the project's own: none, `v`, a word such as `release-`, or the
/// project's name followed by a separator (`jq-`, `mylib-v`, `mylib@`).
fn is_own_prefix(prefix: &str, name: Option<&str>) -> bool {
    let core = prefix
        .strip_suffix(['v', 'V'])
        .filter(|rest| rest.is_empty() || rest.ends_with(['-', '_', '@', '/', '.']))
        .unwrap_or(prefix)
        .trim_end_matches(['-', '_', '@', '/', '.']);
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
        write!(
            f,
            "{}{{version}}{}",
            escape(&self.prefix),
            escape(&self.suffix)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_extract() {
        let format = TagFormat::parse("v{version}").unwrap();
        assert_eq!(format.render("1.2.3"), "v1.2.3");
        assert_eq!(format.extract("v1.2.3"), Some("1.2.3"));
        assert_eq!(format.extract("1.2.3"), None);
        assert_eq!(format.extract("v"), None);
        let format = TagFormat::parse("mylib-{version}-final").unwrap();
        assert_eq!(format.render("2.0"), "mylib-2.0-final");
        assert_eq!(format.extract("mylib-2.0-final"), Some("2.0"));
        assert_eq!(format.extract("mylib-2.0"), None);
        assert_eq!(format.extract("mylib--final"), None);
        let bare = TagFormat::parse("{version}").unwrap();
        assert_eq!(bare.extract("anything"), Some("anything"));
        assert_eq!(bare.to_string(), "{version}");
    }

    #[test]
    fn escaped_braces_are_literal() {
        let format = TagFormat::parse("{{v}}{version}").unwrap();
        assert_eq!(format.prefix(), "{v}");
        assert_eq!(format.render("1.0"), "{v}1.0");
        assert_eq!(format.to_string(), "{{v}}{version}");
        assert_eq!(TagFormat::parse(&format.to_string()).unwrap(), format);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let cases = [
            ("v", "tag format `v` has no `{version}`"),
            (
                "{version}-{version}",
                "tag format `{version}-{version}` has `{version}` more than once",
            ),
            (
                "{project}-{version}",
                "tag format `{project}-{version}` has an unknown placeholder `{project}`",
            ),
            (
                "v{version",
                "tag format `v{version` has an unmatched `{` at byte 1",
            ),
            (
                "v}{version}",
                "tag format `v}{version}` has an unmatched `}` at byte 1",
            ),
            ("{{version}}", "tag format `{{version}}` has no `{version}`"),
            (
                "release {version}",
                "cannot make a git tag name: it contains a space",
            ),
            ("-{version}", "cannot start with `-`"),
            ("{version}.lock", "cannot end with"),
            ("a..b{version}", "it contains `..`"),
        ];
        for (format, message) in cases {
            let error = TagFormat::parse(format).unwrap_err();
            assert!(error.to_string().contains(message), "{format}: {error}");
            assert!(error.hint().is_some());
        }
    }

    #[test]
    fn guess_from_existing_tags() {
        let semver = Scheme::Semver;
        let guess =
            |tags: &[&str], scheme: &Scheme| TagFormat::guess(tags.iter().copied(), scheme, None);
        let v = guess(
            &["v1.0.0", "v1.1.0", "1.0.0", "nightly", "v1.2.0-rc.1"],
            &semver,
        )
        .unwrap();
        assert_eq!(v.to_string(), "v{version}");
        let bare = guess(&["1.0.0", "1.1.0", "latest"], &semver).unwrap();
        assert_eq!(bare.to_string(), "{version}");
        let named = guess(&["lib2-v1.0.0", "lib2-v1.1.0", "other-v3.0.0"], &semver).unwrap();
        assert_eq!(named.to_string(), "lib2-v{version}");
        let tie = guess(&["a-1.0.0", "b-2.0.0"], &semver).unwrap();
        assert_eq!(tie.to_string(), "b-{version}");
        let own = TagFormat::guess(
            ["lib2-v1.0.0", "lib2-v1.1.0", "other-v3.0.0"],
            &semver,
            Some("other"),
        )
        .unwrap();
        assert_eq!(own.to_string(), "other-v{version}");
        assert_eq!(guess(&["nightly", "stable"], &semver), None);
        let gem = guess(
            &["v8.1.3.1", "v8.1.0.beta1", "v1", "v1.1.0_RC1"],
            &Scheme::Rubygems,
        )
        .unwrap();
        assert_eq!(gem.to_string(), "v{version}");
        let version = gem.version_of("v8.1.3.1", &Scheme::Rubygems).unwrap();
        assert_eq!(version.to_string(), "8.1.3.1");
        assert_eq!(gem.read("v1", &Scheme::Rubygems), TagRead::NotRelease);
        assert_eq!(
            gem.read("v1.1.0_RC1", &Scheme::Rubygems),
            TagRead::NotRelease
        );
        // PEP 440 reads `v1.0` by itself: the prefix still keeps the `v`.
        let pep = guess(&["v1.0", "v1.1rc1"], &Scheme::Pep440).unwrap();
        assert_eq!(pep.to_string(), "v{version}");
        let version = pep.version_of("v1.1rc1", &Scheme::Pep440).unwrap();
        assert_eq!(version.to_string(), "1.1rc1");
        assert_eq!(pep.version_of("v1.x", &Scheme::Pep440), None);
        let calver: Scheme = "calver:YYYY.0M.MICRO".parse().unwrap();
        assert_eq!(
            TagFormat::guess(["v1.0.0", "v1.2.3.4"], &semver, None)
                .unwrap()
                .to_string(),
            "v{version}",
            "a four-part tag never makes the format `v1.{{version}}`"
        );
        let guessed = guess(&["release-2024.06.0", "release-2024.07.1"], &calver).unwrap();
        assert_eq!(guessed.to_string(), "release-{version}");
    }
}

#[cfg(test)]
mod real_tags {
    //! Tag layouts seen in real repositories.
    use super::*;

    fn guess(tags: &[&str], scheme: &Scheme, name: Option<&str>) -> String {
        TagFormat::guess(tags.iter().copied(), scheme, name)
            .unwrap()
            .to_string()
    }

    #[test]
    fn another_crate_s_tags_do_not_win_by_number() {
        // ripgrep: bare tags for the binary, `NAME-VERSION` for the library crates.
        let mut tags = vec!["0.10.0", "11.0.0", "14.1.0", "15.1.0"];
        let libraries: Vec<String> = (0..30).map(|n| format!("globset-0.4.{n}")).collect();
        tags.extend(libraries.iter().map(String::as_str));
        assert_eq!(guess(&tags, &Scheme::Semver, Some("ripgrep")), "{version}");
    }

    #[test]
    fn the_form_of_the_newest_release_wins() {
        // fzf: many old bare tags, the newer ones with a `v`.
        let mut tags: Vec<String> = (1..60).map(|n| format!("0.{n}.0")).collect();
        tags.extend((60..75).map(|n| format!("v0.{n}.0")));
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        assert_eq!(guess(&tags, &Scheme::Semver, Some("fzf")), "v{version}");
    }

    #[test]
    fn the_project_s_own_name_is_its_prefix() {
        let tags = ["jq-1.5", "jq-1.6", "jq-1.7.1", "jq-1.8.0"];
        assert_eq!(guess(&tags, &Scheme::Semver, Some("jq")), "jq-{version}");
        let tags = [
            "tracing-0.1.40",
            "tracing-subscriber-0.3.23",
            "tracing-core-0.1.33",
        ];
        assert_eq!(
            guess(&tags, &Scheme::Semver, Some("tracing")),
            "tracing-{version}"
        );
    }

    #[test]
    fn reading_tags() {
        let format = TagFormat::parse("v{version}").unwrap();
        let semver = Scheme::Semver;
        let read = |tag: &str| format.read(tag, &semver);
        assert_eq!(
            read("v1.0"),
            TagRead::Release(semver.parse("1.0.0").unwrap())
        );
        assert_eq!(read("v1.2.3.4"), TagRead::NotRelease);
        assert_eq!(read("v1"), TagRead::NotRelease);
        assert_eq!(read("v2.3.x"), TagRead::NotRelease);
        assert_eq!(read("v01.2"), TagRead::NotRelease);
        assert_eq!(
            read("v25.07.1"),
            TagRead::Release(semver.parse("25.7.1").unwrap())
        );
        assert_eq!(
            read("v25.07"),
            TagRead::Release(semver.parse("25.7.0").unwrap())
        );
        assert_eq!(read("v1.0-rc1"), TagRead::NotRelease);
        assert_eq!(read("rpm-0.1"), TagRead::Other);
        let bare = TagFormat::parse("{version}").unwrap();
        assert_eq!(bare.read("globset-0.4.20", &semver), TagRead::NotRelease);
        assert_eq!(bare.read("-", &semver), TagRead::NotRelease);
        assert_eq!(
            bare.read("1.2.3.4", &Scheme::Pep440),
            TagRead::Release(Scheme::Pep440.parse("1.2.3.4").unwrap())
        );
    }

    #[test]
    fn a_maven_parent_s_tags_are_the_project_s() {
        let semver = Scheme::Semver;
        // okhttp, okio: maven-release-plugin tagged the root artifact `parent`.
        let okio = [
            "3.16.2",
            "parent-3.16.4",
            "parent-3.17.0",
            "okio-wasi-1.0.0",
        ];
        assert_eq!(guess(&okio, &semver, Some("okio")), "parent-{version}");
        // gson: the root artifact `gson-parent`.
        let gson = ["gson-2.1", "gson-parent-2.13.0", "gson-parent-2.14.0"];
        assert_eq!(guess(&gson, &semver, Some("gson")), "gson-parent-{version}");
        // commons-lang3: the artifact carries its major version, the tags do not; the final
        // `rel/` tags are newer than the release candidates.
        let lang = [
            "commons-lang-3.19.0-RC1",
            "rel/commons-lang-3.19.0",
            "commons-lang-3.20.0-RC1",
            "commons-lang-3.20.0-RC2",
            "rel/commons-lang-3.20.0",
        ];
        assert_eq!(
            guess(&lang, &semver, Some("commons-lang3")),
            "rel/commons-lang-{version}"
        );
        // Another project's `-parent`, or a digit-only difference, is no own prefix.
        assert!(!is_own_prefix("moshi-parent-", Some("gson")));
        assert!(!is_own_prefix("commons-lang3-", Some("commons-lang")));
    }
}
