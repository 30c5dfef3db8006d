//! The link reference definitions that close Keep a Changelog files (`[Unreleased]:
//! https://…/compare/v1.1.0...HEAD`, `[1.1.0]: https://…/compare/v1.0.0...v1.1.0`), brought up to
//! date for a new release with the fewest changed bytes:
//!
//! - an unreleased definition comparing from a ref (`compare/v1.1.0...HEAD`) now compares from
//!   the new release, and the new release's definition goes on the line below it (what the
//!   `keepachangelog` tools write): written like the newest release's when the file has a style
//!   for them (`compare/v1.0.0...v1.1.0`, `releases/tag/2.4.1`), else comparing the previous ref
//!   with the new one;
//! - without one, the new release's definition is written like the newest release's
//!   (`releases/tag/2.4.1` → `releases/tag/2.5.0`), above it.
//!
//! Labels keep the file's case (`[unreleased]` stays lower case). The new ref is the previous
//! ref with its version replaced (`v1.1.0` → `v1.2.0`), so the file's own tag spelling wins over
//! the project's tag format, which is used only when the ref holds no version.

use super::document::find_token;
use super::heading_style::replace_tokens;
use super::headings::lines_with_offsets;

/// What the new release's links need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewRelease<'a> {
    /// The label of its definition (`1.2.0`, `v1.2.0`), as its heading names it.
    pub label: &'a str,
    pub version: &'a str,
    /// The version of the newest release the file had.
    pub newest: Option<&'a str>,
    /// The new release's tag, for a ref that holds no version.
    pub tag: &'a str,
}

/// One `[label]: url` line.
#[derive(Debug, Clone)]
struct Definition<'t> {
    /// The line's start and end (before its newline).
    start: usize,
    end: usize,
    label: &'t str,
    /// Where the URL starts in the text, and the URL.
    url_start: usize,
    url: &'t str,
}

/// `text` with its definitions brought up to date for `release`; unchanged when it has no
/// definition for an unreleased section or a release.
pub(crate) fn update(text: &str, release: &NewRelease<'_>, newline: &str) -> String {
    let definitions = definitions(text);
    if definitions
        .iter()
        .any(|definition| definition.label.eq_ignore_ascii_case(release.label))
    {
        return text.to_owned();
    }
    let unreleased = definitions
        .iter()
        .find(|definition| super::handwritten::is_unreleased_title(definition.label));
    if let Some(unreleased) = unreleased
        && let Some(compare) = Compare::parse(unreleased.url)
    {
        let new_ref = next_ref(compare.base, release);
        // The release's own link is written like the newest release's when the file has a
        // style for them (`releases/tag/2.4.1`), else as a comparison with the previous ref.
        let versions = definitions
            .iter()
            .filter(|definition| !super::handwritten::is_unreleased_title(definition.label))
            .count();
        let modelled = release
            .newest
            .and_then(|newest| {
                definitions
                    .iter()
                    .find(|definition| find_token(definition.label, newest).is_some())
            })
            .filter(|model| versions >= 2 || model.url.contains("/compare/"))
            .map(|model| modelled_url(model.url, release));
        let own = modelled.unwrap_or_else(|| {
            format!(
                "{}{}{}{}",
                &unreleased.url[..compare.base_start],
                compare.base,
                compare.separator,
                new_ref
            )
        });
        let mut out = String::with_capacity(text.len() + 120);
        let url_at = unreleased.url_start + compare.base_start;
        out.push_str(&text[..url_at]);
        out.push_str(&new_ref);
        out.push_str(&text[url_at + compare.base.len()..unreleased.end]);
        out.push_str(newline);
        out.push_str(&format!("[{}]: {own}", release.label));
        out.push_str(&text[unreleased.end..]);
        return out;
    }
    // No unreleased definition: write the new release's like the newest release's.
    let Some(newest) = release.newest else {
        return text.to_owned();
    };
    let Some(model) = definitions
        .iter()
        .find(|definition| find_token(definition.label, newest).is_some())
    else {
        return text.to_owned();
    };
    let url = modelled_url(model.url, release);
    let mut out = String::with_capacity(text.len() + 120);
    out.push_str(&text[..model.start]);
    out.push_str(&format!("[{}]: {url}", release.label));
    out.push_str(newline);
    out.push_str(&text[model.start..]);
    out
}

/// The newest release's link written for the new release: a comparison `A...B` becomes
/// `B...B'` (B with the new version), a link to the newest release's tag the same link to the new
/// one.
fn modelled_url(model: &str, release: &NewRelease<'_>) -> String {
    let Some(newest) = release.newest else {
        return model.to_owned();
    };
    if let Some(compare) = Compare::parse(model) {
        let head = &model[compare.base_start + compare.base.len() + compare.separator.len()..];
        if find_token(head, newest).is_some() {
            return format!(
                "{}{head}{}{}",
                &model[..compare.base_start],
                compare.separator,
                replace_tokens(head, newest, release.version)
            );
        }
    }
    replace_tokens(model, newest, release.version)
}

/// The ref a compare link gets for the new release: the old one with the newest version
/// replaced (`v1.1.0` → `v1.2.0`), else the new tag.
fn next_ref(base: &str, release: &NewRelease<'_>) -> String {
    match release.newest {
        Some(newest) if find_token(base, newest).is_some() => {
            replace_tokens(base, newest, release.version)
        }
        _ => release.tag.to_owned(),
    }
}

/// `…/compare/BASE...HEAD` (or `..`).
struct Compare<'u> {
    base_start: usize,
    base: &'u str,
    separator: &'static str,
}

impl<'u> Compare<'u> {
    fn parse(url: &'u str) -> Option<Compare<'u>> {
        let base_start = url.rfind("/compare/")? + "/compare/".len();
        let rest = &url[base_start..];
        let (at, separator) = match rest.find("...") {
            Some(at) => (at, "..."),
            None => (rest.find("..")?, ".."),
        };
        (at > 0).then_some(Compare {
            base_start,
            base: &rest[..at],
            separator,
        })
    }
}

fn definitions(text: &str) -> Vec<Definition<'_>> {
    let mut found = Vec::new();
    let mut fence = false;
    for (start, line) in lines_with_offsets(text) {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence || !line.starts_with('[') {
            continue;
        }
        let Some(close) = line.find("]:") else {
            continue;
        };
        let label = &line[1..close];
        let after = &line[close + 2..];
        let url = after.trim();
        if label.is_empty() || url.is_empty() || url.contains(char::is_whitespace) {
            continue;
        }
        let url_start = start + close + 2 + (after.len() - after.trim_start().len());
        found.push(Definition {
            start,
            end: start + line.len(),
            label,
            url_start,
            url,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release() -> NewRelease<'static> {
        NewRelease {
            label: "1.2.0",
            version: "1.2.0",
            newest: Some("1.1.0"),
            tag: "v1.2.0",
        }
    }

    #[test]
    fn the_unreleased_compare_link_moves_and_the_release_gets_its_own() {
        for label in ["Unreleased", "unreleased", "UNRELEASED"] {
            let text = format!(
                "x\n\n[{label}]: https://github.com/o/r/compare/v1.1.0...HEAD\n[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0\n"
            );
            assert_eq!(
                update(&text, &release(), "\n"),
                format!(
                    "x\n\n[{label}]: https://github.com/o/r/compare/v1.2.0...HEAD\n[1.2.0]: https://github.com/o/r/compare/v1.1.0...v1.2.0\n[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0\n"
                )
            );
        }
    }

    #[test]
    fn without_an_unreleased_link_the_newest_release_s_is_the_model() {
        let text = "x\n\n[2.4.1]: https://github.com/o/r/releases/tag/2.4.1\n[2.4.0]: https://github.com/o/r/releases/tag/2.4.0\n";
        let next = NewRelease {
            label: "2.5.0",
            version: "2.5.0",
            newest: Some("2.4.1"),
            tag: "2.5.0",
        };
        assert_eq!(
            update(text, &next, "\n"),
            "x\n\n[2.5.0]: https://github.com/o/r/releases/tag/2.5.0\n[2.4.1]: https://github.com/o/r/releases/tag/2.4.1\n[2.4.0]: https://github.com/o/r/releases/tag/2.4.0\n"
        );
        let compare = "[1.1.0]: https://x/compare/v1.0.0...v1.1.0\r\n";
        assert_eq!(
            update(compare, &release(), "\r\n"),
            "[1.2.0]: https://x/compare/v1.1.0...v1.2.0\r\n[1.1.0]: https://x/compare/v1.0.0...v1.1.0\r\n"
        );
    }

    #[test]
    fn the_release_s_link_follows_the_file_s_style_for_them() {
        let text = "[Unreleased]: https://x/compare/2.4.1...main\n[2.4.1]: https://x/releases/tag/2.4.1\n[2.4.0]: https://x/releases/tag/2.4.0\n";
        let next = NewRelease {
            label: "2.5.0",
            version: "2.5.0",
            newest: Some("2.4.1"),
            tag: "2.5.0",
        };
        assert_eq!(
            update(text, &next, "\n"),
            "[Unreleased]: https://x/compare/2.5.0...main\n[2.5.0]: https://x/releases/tag/2.5.0\n[2.4.1]: https://x/releases/tag/2.4.1\n[2.4.0]: https://x/releases/tag/2.4.0\n"
        );
        // The file's only release compares with one the file does not show.
        let lone = "[Unreleased]: https://x/compare/v1.1.0...HEAD\n[1.1.0]: https://x/compare/v1.0.0...v1.1.0\n";
        assert_eq!(
            update(lone, &release(), "\n"),
            "[Unreleased]: https://x/compare/v1.2.0...HEAD\n[1.2.0]: https://x/compare/v1.1.0...v1.2.0\n[1.1.0]: https://x/compare/v1.0.0...v1.1.0\n"
        );
        // Only the first release has a link, to its tag: the next one compares.
        let first = "[Unreleased]: https://x/compare/v1.1.0...HEAD\n[1.1.0]: https://x/releases/tag/v1.1.0\n";
        assert_eq!(
            update(first, &release(), "\n"),
            "[Unreleased]: https://x/compare/v1.2.0...HEAD\n[1.2.0]: https://x/compare/v1.1.0...v1.2.0\n[1.1.0]: https://x/releases/tag/v1.1.0\n"
        );
    }

    #[test]
    fn nothing_to_update() {
        let text = "# Changelog\n\n## 1.1.0\n";
        assert_eq!(update(text, &release(), "\n"), text);
        let done = "[Unreleased]: https://x/compare/v1.2.0...HEAD\n[1.2.0]: https://x/compare/v1.1.0...v1.2.0\n";
        assert_eq!(update(done, &release(), "\n"), done);
    }

    #[test]
    fn a_ref_without_the_version_becomes_the_tag() {
        let text = "[Unreleased]: https://x/compare/main...HEAD\n";
        assert_eq!(
            update(text, &release(), "\n"),
            "[Unreleased]: https://x/compare/v1.2.0...HEAD\n[1.2.0]: https://x/compare/main...v1.2.0\n"
        );
    }
}
