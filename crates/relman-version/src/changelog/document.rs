//! Existing changelog files: reading back the section of a version, listing versions, and inserting
//! a new section, whatever tool wrote the file (keepachangelog, towncrier in Markdown or rst, clog,
//! git-cliff, release-please, standard-version, relman).
//!
//! A version's section is the heading whose text holds the version, exactly (`1.2.0` does not match
//! `1.2.01`, `11.2.0` or `1.2.0-rc.1`; a `v` before it is fine) and what follows it. Releases are the headings that start with a version (`1.2.0 - …`,
//! `[v1.2.0](…)`) and the other version-holding headings at the level of the outermost of those
//! (when none starts with a version, as in `# Project 1.2.0 (date)`, the level most version-holding
//! headings are at), so a `### Fixed in 1.1.0` inside a release is not a release while
//! standard-version's `### [1.2.1]` patch headings are. A release ends at the next release or at
//! the next heading at the releases' level or above; any other heading (`## Unreleased`) at the
//! next heading of its level or above, or the next release. Anchors that clog writes on the line above a heading
//! (`<a name="1.2.0"></a>`) belong to that heading's section, and the link definitions at the end
//! of a keepachangelog file belong to no section.
//!
//! A new section goes below the start marker if one is given and present (the line holding it),
//! else above the first release (so below the title, its intro paragraphs and an `Unreleased`
//! section), else below the title at the end of the file when there is no release yet, else at the
//! top. Every other byte is kept; the inserted text takes the file's line endings and gets one blank
//! line on each side.

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use super::headings::Format;
use super::headings::{self, Heading, lines_with_offsets};

/// One version's section of a changelog, borrowed from the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'t> {
    /// The version or name as found in the heading (without a leading `v`).
    pub title: String,
    pub level: u8,
    /// The whole section: anchor line, heading, body.
    pub range: Range<usize>,
    /// The heading line(s), newline included.
    pub heading: &'t str,
    /// What follows the heading, without leading and trailing blank lines.
    pub body: &'t str,
    pub body_range: Range<usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("`{}` has no section for version `{version}`", path.display())]
    SectionMissing {
        path: PathBuf,
        version: String,
        /// The versions the file has sections for, in file order.
        present: Vec<String>,
    },
}

impl DocumentError {
    pub fn hint(&self) -> Option<String> {
        match self {
            DocumentError::SectionMissing { present, .. } if present.is_empty() => Some(
                "the file has no version sections: relman looks for headings that hold the version, such as `## 1.2.0 - 2024-01-01` or `## [1.2.0](url) (2024-01-01)`".to_owned(),
            ),
            DocumentError::SectionMissing { present, .. } => {
                const SHOWN: usize = 10;
                let mut list = present[..present.len().min(SHOWN)]
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                if present.len() > SHOWN {
                    list.push_str(&format!(" and {} more", present.len() - SHOWN));
                }
                Some(format!("the file has sections for {list}"))
            }
        }
    }
}

/// A changelog's text with its headings found once, for several questions.
#[derive(Debug, Clone)]
pub struct Document<'t> {
    text: &'t str,
    format: Format,
    headings: Vec<Heading>,
    /// The version token each heading holds, if any.
    versions: Vec<Option<Range<usize>>>,
    /// Which headings are releases.
    releases: Vec<bool>,
    /// The level of the outermost releases.
    release_level: u8,
}

impl<'t> Document<'t> {
    /// Reads `text`, telling its format from its content.
    pub fn parse(text: &'t str) -> Document<'t> {
        Document::with_format(text, Format::detect(text))
    }

    /// Reads `text` in the format of `path`'s extension, or the detected one.
    pub fn for_path(path: &Path, text: &'t str) -> Document<'t> {
        let format = Format::from_path(path).unwrap_or_else(|| Format::detect(text));
        Document::with_format(text, format)
    }

    pub fn with_format(text: &'t str, format: Format) -> Document<'t> {
        let headings = headings::headings(text, format);
        let versions: Vec<_> = headings.iter().map(|h| version_token(&h.text)).collect();
        let leading: Vec<bool> = headings
            .iter()
            .zip(&versions)
            .map(|(heading, version)| version.as_ref().is_some_and(|v| leads(&heading.text, v)))
            .collect();
        let release_level = headings
            .iter()
            .zip(&leading)
            .filter(|(_, leads)| **leads)
            .map(|(heading, _)| heading.level)
            .min()
            .or_else(|| shared_wording_level(&headings, &versions))
            .unwrap_or_else(|| most_common_level(&headings, &versions));
        let releases = (0..headings.len())
            .map(|i| versions[i].is_some() && (headings[i].level == release_level || leading[i]))
            .collect();
        Document {
            text,
            format,
            headings,
            versions,
            releases,
            release_level,
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// The versions of the releases in the file, in file order, without a leading `v`.
    pub fn versions(&self) -> Vec<String> {
        self.releases()
            .map(|index| {
                let range = self.versions[index].clone().unwrap_or_default();
                self.headings[index].text[range].to_owned()
            })
            .collect()
    }

    /// The section of `version` (or of a name such as `Unreleased`), if the file has one.
    pub fn find_section(&self, version: &str) -> Option<Section<'t>> {
        self.find_index(version).map(|index| self.section(index))
    }

    /// Every release's section, in file order.
    pub fn release_sections(&self) -> Vec<Section<'t>> {
        self.releases().map(|index| self.section(index)).collect()
    }

    /// Where a new section goes; see the module documentation.
    pub fn insertion_point(&self, start_marker: Option<&str>) -> usize {
        if let Some(marker) = start_marker.filter(|m| !m.is_empty())
            && let Some(at) = self.text.find(marker)
        {
            return headings::line_end(self.text, at + marker.len());
        }
        if let Some(first) = self.releases().next() {
            return self.section_start(first);
        }
        if self.has_title() {
            return self.end_before_link_definitions();
        }
        0
    }

    /// The text with `section` inserted at [`Document::insertion_point`].
    pub fn insert_section(&self, section: &str, start_marker: Option<&str>) -> String {
        splice(self.text, self.insertion_point(start_marker), section)
    }

    /// The index of the heading [`Document::find_section`] picks for `version`.
    pub(crate) fn find_index(&self, version: &str) -> Option<usize> {
        let wanted = version.trim();
        let wanted = strip_v(wanted).unwrap_or(wanted);
        if wanted.is_empty() {
            return None;
        }
        let matching: Vec<usize> = (0..self.headings.len())
            .filter(|&index| find_token(&self.headings[index].text, wanted).is_some())
            .collect();
        let release = matching.iter().copied().find(|&index| self.releases[index]);
        release.or_else(|| {
            matching
                .iter()
                .copied()
                .min_by_key(|&index| (self.headings[index].level, index))
        })
    }

    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    pub(crate) fn headings(&self) -> &[Heading] {
        &self.headings
    }

    pub(crate) fn is_release(&self, index: usize) -> bool {
        self.releases[index]
    }

    /// The version a heading holds, as written (without a leading `v`).
    pub(crate) fn version_of(&self, index: usize) -> Option<&str> {
        let range = self.versions[index].clone()?;
        Some(&self.headings[index].text[range])
    }

    /// The section of the heading at `index`.
    pub(crate) fn section_at(&self, index: usize) -> Section<'t> {
        self.section(index)
    }

    fn releases(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.headings.len()).filter(|&index| self.releases[index])
    }

    /// A first heading of level 1 with nothing but blank lines and comments above it, and no version
    /// in it.
    fn has_title(&self) -> bool {
        let Some(first) = self.headings.first() else {
            return false;
        };
        first.level == 1
            && self.versions[0].is_none()
            && only_comments(&self.text[..first.range.start])
    }

    fn section(&self, index: usize) -> Section<'t> {
        let heading = &self.headings[index];
        let start = self.section_start(index);
        // A release ends at the next release or at a heading above the releases (standard-version
        // writes patch releases one level deeper, beside their own `### Bug Fixes`); anything
        // else at the next heading of its level or above.
        let limit = if self.releases[index] {
            self.release_level
        } else {
            heading.level
        };
        let end = (index + 1..self.headings.len())
            .find(|&next| self.releases[next] || self.headings[next].level <= limit)
            .map_or_else(
                || self.end_before_link_definitions(),
                |next| self.section_start(next),
            );
        let end = end.max(heading.range.end);
        let body_range = trim_blank_lines(self.text, heading.range.end..end);
        let title = match &self.versions[index] {
            Some(range) => heading.text[range.clone()].to_owned(),
            None => heading.text.clone(),
        };
        Section {
            title,
            level: heading.level,
            range: start..end,
            heading: &self.text[heading.range.clone()],
            body: &self.text[body_range.clone()],
            body_range,
        }
    }

    /// A heading's start, or that of the anchor line right above it (`<a name="1.2.0"></a>`).
    fn section_start(&self, index: usize) -> usize {
        let start = self.headings[index].range.start;
        if start == 0 {
            return start;
        }
        let previous = headings::line_start(self.text, start - 1);
        let line = self.text[previous..start].trim();
        let anchor =
            (line.starts_with("<a name=") || line.starts_with("<a id=")) && line.ends_with("</a>");
        if anchor { previous } else { start }
    }

    /// The end of the text, before the `[1.2.0]: https://…` definitions that close keepachangelog
    /// files.
    fn end_before_link_definitions(&self) -> usize {
        if self.format != Format::Markdown {
            return self.text.len();
        }
        let mut end = self.text.len();
        for &(offset, line) in lines_with_offsets(self.text).iter().rev() {
            let line = line.trim();
            let definition = line.starts_with('[')
                && line
                    .find("]:")
                    .is_some_and(|close| close > 1 && !line[close + 2..].trim().is_empty());
            if !(line.is_empty() || definition) {
                break;
            }
            end = offset;
        }
        end
    }
}

/// The section of `version` in a changelog's text. See [`Document`].
pub fn find_section<'t>(text: &'t str, version: &str) -> Option<Section<'t>> {
    Document::parse(text).find_section(version)
}

/// The versions of the releases in a changelog's text, in file order.
pub fn versions(text: &str) -> Vec<String> {
    Document::parse(text).versions()
}

/// `text` with `section` inserted below `start_marker`, the title, or at the top.
pub fn insert_section(text: &str, section: &str, start_marker: Option<&str>) -> String {
    Document::parse(text).insert_section(section, start_marker)
}

/// The section of `version` in the changelog at `path` (whose `text` the caller read), or an error
/// naming the file, the version and the versions present.
pub fn require_section<'t>(
    path: &Path,
    text: &'t str,
    version: &str,
) -> Result<Section<'t>, DocumentError> {
    let document = Document::for_path(path, text);
    document
        .find_section(version)
        .ok_or_else(|| DocumentError::SectionMissing {
            path: path.to_owned(),
            version: version.to_owned(),
            present: document.versions(),
        })
}

/// Inserts `section` at `at` (a line start), after the blank lines there, with one blank line on
/// each side and the text's line endings.
pub(crate) fn splice(text: &str, at: usize, section: &str) -> String {
    let newline = if uses_crlf(text) { "\r\n" } else { "\n" };
    let mut at = at;
    loop {
        let rest = &text[at..];
        let line = rest.find('\n').map_or(rest, |newline| &rest[..=newline]);
        if line.is_empty() || !line.trim().is_empty() {
            break;
        }
        at += line.len();
    }
    let (before, after) = text.split_at(at);
    let section = section.trim_end_matches(['\n', '\r']);
    let mut out = String::with_capacity(text.len() + section.len() + 8);
    out.push_str(before);
    if !before.is_empty() {
        if !before.ends_with('\n') {
            out.push_str(newline);
        }
        if !ends_with_blank_line(&out) {
            out.push_str(newline);
        }
    }
    for (index, line) in section.split('\n').enumerate() {
        if index > 0 {
            out.push_str(newline);
        }
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
    }
    out.push_str(newline);
    if !after.is_empty() {
        out.push_str(newline);
        out.push_str(after);
    }
    out
}

pub(crate) fn uses_crlf(text: &str) -> bool {
    text.find('\n')
        .is_some_and(|at| at > 0 && text.as_bytes()[at - 1] == b'\r')
}

/// Whether `text`, which ends with a line break, ends with an empty line.
fn ends_with_blank_line(text: &str) -> bool {
    text.ends_with("\n\n") || text.ends_with("\n\r\n") || text == "\n" || text == "\r\n"
}

fn only_comments(text: &str) -> bool {
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("<!--") {
            let Some(close) = comment.find("-->") else {
                return false;
            };
            rest = comment[close + 3..].trim_start();
        } else if rest.starts_with("..") {
            rest = rest
                .split_once('\n')
                .map_or("", |(_, next)| next)
                .trim_start();
        } else {
            return false;
        }
    }
    true
}

fn trim_blank_lines(text: &str, range: Range<usize>) -> Range<usize> {
    let inner = &text[range.clone()];
    let trimmed_start = inner.len() - inner.trim_start().len();
    // Keep the indentation of the first line: back up to its start.
    let start = range.start + inner[..trimmed_start].rfind('\n').map_or(0, |nl| nl + 1);
    let start = if inner.trim().is_empty() {
        range.end
    } else {
        start
    };
    let end = range.start + inner.trim_end().len();
    start..end.max(start)
}

fn strip_v(text: &str) -> Option<&str> {
    text.strip_prefix(['v', 'V'])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Whether the heading starts with its version (`1.2.0 - …`, `[v1.2.0](…)`), as release headings do
/// and headings that merely mention a version (`Fixed in 1.2.0`, `Project 1.2.0`) do not.
fn leads(text: &str, version: &Range<usize>) -> bool {
    text[..version.start]
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '[' | '(' | 'v' | 'V'))
        .is_empty()
}

/// The level most version-holding headings are at (the shallower on a tie), for files whose
/// release headings start with something else (`# Project 1.2.0 (date)`).
/// The level of the release headings when most of them share a wording: `## Mypy 2.3`,
/// `## Mypy 2.2` … (numbers aside) outnumber any other wording at any level, while headings of
/// notes that name a version (`### Drop Support for Python 3.9`) each have their own. `None`
/// when no wording is shared by two headings.
fn shared_wording_level(headings: &[Heading], versions: &[Option<Range<usize>>]) -> Option<u8> {
    let mut counts: std::collections::HashMap<(u8, String), usize> =
        std::collections::HashMap::new();
    for (heading, version) in headings.iter().zip(versions) {
        if version.is_none() {
            continue;
        }
        let mut wording = String::with_capacity(heading.text.len());
        for c in heading.text.chars() {
            if !c.is_ascii_digit() {
                wording.push(c);
            } else if !wording.ends_with('#') {
                wording.push('#');
            }
        }
        *counts.entry((heading.level, wording)).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .max_by_key(|((level, _), count)| (*count, std::cmp::Reverse(*level)))
        .map(|((level, _), _)| level)
}

fn most_common_level(headings: &[Heading], versions: &[Option<Range<usize>>]) -> u8 {
    let mut counts = [0usize; 256];
    for (heading, version) in headings.iter().zip(versions) {
        if version.is_some() {
            counts[usize::from(heading.level)] += 1;
        }
    }
    (1..=255u8)
        .max_by_key(|&level| (counts[usize::from(level)], std::cmp::Reverse(level)))
        .unwrap_or(2)
}

/// Whether a token may start at `index`: not inside a word or a longer number, a `v` allowed.
fn starts_token(bytes: &[u8], index: usize) -> bool {
    let mut before = index;
    if before > 0 && matches!(bytes[before - 1], b'v' | b'V') {
        before -= 1;
    }
    // The second end of a range (`v1.1.0...v1.2.0` in a compare link).
    if before >= 2 && bytes[before - 1] == b'.' && bytes[before - 2] == b'.' {
        return true;
    }
    before == 0 || !(is_word_byte(bytes[before - 1]) || bytes[before - 1] == b'.')
}

/// Where `wanted` occurs in `text` as a whole token: not inside a longer number or word, possibly
/// after a `v`, and not followed by more version (`.1`, `-rc.1`, `+build`).
pub(crate) fn find_token(text: &str, wanted: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = find_ignore_ascii_case(&text[from..], wanted) {
        let start = from + found;
        let end = start + wanted.len();
        let clean_start = starts_token(bytes, start);
        let clean_end = match bytes.get(end) {
            None => true,
            Some(&next) if is_word_byte(next) => false,
            Some(b'.' | b'-' | b'+') => !bytes.get(end + 1).is_some_and(|&b| is_word_byte(b)),
            Some(_) => true,
        };
        if clean_start && clean_end {
            return Some(start);
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// The first version in a heading's text: digits with at least one `.digits`, then any
/// pre-release or build suffix, as a whole token (a `v` before it is allowed and left out).
fn version_token(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if !(bytes[index].is_ascii_digit() && starts_token(bytes, index)) {
            index += 1;
            continue;
        }
        let mut end = index;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-' | b'+'))
        {
            end += 1;
        }
        while end > index && matches!(bytes[end - 1], b'.' | b'-' | b'+') {
            end -= 1;
        }
        let token = &text[index..end];
        let numeric_head = token
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap_or("");
        if numeric_head
            .split('.')
            .filter(|part| !part.is_empty())
            .count()
            >= 2
        {
            return Some(index..end);
        }
        index = end.max(index + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_whole_versions_only() {
        assert_eq!(find_token("1.2.0 (2024-01-01)", "1.2.0"), Some(0));
        assert_eq!(find_token("v1.2.0", "1.2.0"), Some(1));
        assert_eq!(find_token("Project 1.2.0.", "1.2.0"), Some(8));
        assert_eq!(find_token("1.2.01", "1.2.0"), None);
        assert_eq!(find_token("11.2.0", "1.2.0"), None);
        assert_eq!(find_token("1.2.0-rc.1", "1.2.0"), None);
        assert_eq!(find_token("1.2.0.1", "1.2.0"), None);
        assert_eq!(find_token("2.1.2.0", "1.2.0"), None);
        assert_eq!(find_token("1.2.0-rc.1 then 1.2.0", "1.2.0"), Some(16));
        assert_eq!(find_token("pkg@1.2.0", "1.2.0"), Some(4));
        assert_eq!(find_token("[Unreleased]", "unreleased"), Some(1));
        assert_eq!(find_token("1.2.0-rc.1", "1.2.0-rc.1"), Some(0));
    }

    #[test]
    fn version_tokens_in_headings() {
        let token = |text: &'static str| version_token(text).map(|r| &text[r]);
        assert_eq!(token("1.2.0 (2024-01-01)"), Some("1.2.0"));
        assert_eq!(token("[v1.2.0] - 2024-01-01"), Some("1.2.0"));
        assert_eq!(token("Project 2.0.0rc1 (2024-01-01)"), Some("2.0.0rc1"));
        assert_eq!(token("1.0.0-beta.2+build.5"), Some("1.0.0-beta.2+build.5"));
        assert_eq!(token("v1.2"), Some("1.2"));
        assert_eq!(token("2024.01.3"), Some("2024.01.3"));
        assert_eq!(token("Unreleased"), None);
        assert_eq!(token("2024-01-01"), None);
        assert_eq!(token("Changelog"), None);
        assert_eq!(token("Python 3 support"), None);
    }

    #[test]
    fn blank_line_handling_when_splicing() {
        assert_eq!(splice("", 0, "## 1.0.0\n"), "## 1.0.0\n");
        assert_eq!(splice("# T", 3, "## 1.0.0"), "# T\n\n## 1.0.0\n");
        assert_eq!(splice("# T\n", 4, "## 1.0.0\n"), "# T\n\n## 1.0.0\n");
        assert_eq!(splice("# T\n\n\n", 4, "## 1.0.0\n"), "# T\n\n\n## 1.0.0\n");
        assert_eq!(
            splice("## 0.1.0\n", 0, "## 1.0.0\n\n- x\n"),
            "## 1.0.0\n\n- x\n\n## 0.1.0\n"
        );
        assert_eq!(
            splice("# T\r\n\r\n## 0.1.0\r\n", 6, "## 1.0.0\n\n- x\n"),
            "# T\r\n\r\n## 1.0.0\r\n\r\n- x\r\n\r\n## 0.1.0\r\n"
        );
    }
}
