//! Guessing a repository's tag format from the tags it has when nothing is configured: which
//! prefix is the project's own (none, `v`, `release-`, its name) and which is another package's.

use std::collections::HashMap;

use super::{TagFormat, read_tag_version};
use crate::scheme::Scheme;
use crate::version::Version;

impl TagFormat {
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

/// Whether a tag prefix is the project's own: none, `v`, a word such as `release-`, or the
/// project's name followed by a separator (`jq-`, `mylib-v`, `mylib@`).
pub(super) fn is_own_prefix(prefix: &str, name: Option<&str>) -> bool {
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
        .find_map(|(i, _)| read_tag_version(scheme, &tag[i..]).map(|version| (&tag[..i], version)))
}
