//! The headings of a changelog file, Markdown or reStructuredText, with their byte ranges, levels
//! and plain text: what [`super::document`] slices sections out of.
//!
//! Markdown goes through pulldown-cmark, so headings inside code fences, HTML blocks, lists or
//! quotes do not count, and a heading's text is what a reader sees (`[1.2.0](url)` reads `1.2.0`:
//! a version inside a link's URL must not match). reStructuredText has no parser in Rust worth its
//! weight for this, and Markdown would misread it (a `~~~` underline opens a code fence), so its
//! titles are found by their adornment: a text line underlined (optionally also overlined) with
//! one repeated punctuation character, after a blank line; levels follow the order in which the
//! adornment styles first appear, as docutils does.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Which syntax a changelog is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    /// reStructuredText, as towncrier writes `NEWS.rst`.
    Rst,
}

impl Format {
    /// From the file name: `.rst` is reStructuredText, `.md`/`.markdown` Markdown, anything else
    /// unknown.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "rst" | "rest" => Some(Format::Rst),
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            _ => None,
        }
    }

    /// From the text, for files named neither way (`CHANGES`, `NEWS.txt`): reStructuredText when
    /// it has rst markers (`.. ` directives or comments, adornments Markdown has no use for) and
    /// no Markdown `#` heading; Markdown otherwise. Text with only `=` and `-` underlined titles
    /// reads the same either way.
    pub fn detect(text: &str) -> Format {
        let mut rst_markers = false;
        let mut fence = false;
        for line in text.lines() {
            // Backtick fences are Markdown's alone (a `~~~` line may be an rst underline).
            if line.starts_with("```") {
                fence = !fence;
                continue;
            }
            if fence {
                continue;
            }
            if is_atx_heading(line) {
                return Format::Markdown;
            }
            if line.starts_with(".. ")
                || (is_adornment(line) && !matches!(line.as_bytes()[0], b'=' | b'-'))
            {
                rst_markers = true;
            }
        }
        if rst_markers {
            Format::Rst
        } else {
            Format::Markdown
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    /// 1 is the outermost.
    pub level: u8,
    /// From the start of the heading's first line (its overline, in rst) to the end of its last
    /// line, newline included.
    pub range: Range<usize>,
    /// The text a reader sees.
    pub text: String,
}

pub(crate) fn headings(text: &str, format: Format) -> Vec<Heading> {
    match format {
        Format::Markdown => markdown_headings(text),
        Format::Rst => rst_headings(text),
    }
}

fn markdown_headings(text: &str) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Heading> = None;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 => {
                current = Some(Heading {
                    level: level as u8,
                    range: line_start(text, range.start)..line_end(text, range.end),
                    text: String::new(),
                });
                depth += 1;
            }
            Event::End(TagEnd::Heading(_)) if depth == 1 => {
                depth = 0;
                if let Some(mut heading) = current.take() {
                    heading.text = heading.text.trim().to_owned();
                    headings.push(heading);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(piece) | Event::Code(piece) => {
                if let Some(heading) = &mut current {
                    heading.text.push_str(&piece);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(heading) = &mut current {
                    heading.text.push(' ');
                }
            }
            _ => {}
        }
    }
    headings
}

fn rst_headings(text: &str) -> Vec<Heading> {
    let lines = lines_with_offsets(text);
    let mut styles: Vec<(u8, bool)> = Vec::new();
    let mut headings = Vec::new();
    let mut index = 0;
    while index + 1 < lines.len() {
        let (start, line) = lines[index];
        let (_, under) = lines[index + 1];
        let is_title = !line.trim().is_empty()
            && !line.starts_with([' ', '\t'])
            && !is_adornment(line)
            && is_adornment(under);
        let character = under.as_bytes().first().copied().unwrap_or_default();
        let blank_before = index == 0 || lines[index - 1].1.trim().is_empty();
        let over = index > 0
            && is_adornment(lines[index - 1].1)
            && lines[index - 1].1.as_bytes()[0] == character
            && (index < 2 || lines[index - 2].1.trim().is_empty());
        if !is_title || !(blank_before || over) {
            index += 1;
            continue;
        }
        let style = (character, over);
        let level = match styles.iter().position(|&known| known == style) {
            Some(position) => position + 1,
            None => {
                styles.push(style);
                styles.len()
            }
        };
        let first = if over { lines[index - 1].0 } else { start };
        let end = lines.get(index + 2).map_or(text.len(), |&(next, _)| next);
        headings.push(Heading {
            level: u8::try_from(level).unwrap_or(u8::MAX),
            range: first..end,
            text: line.trim().to_owned(),
        });
        index += 2;
    }
    headings
}

/// A line of one repeated punctuation character, at least three long (`=====`, `~~~~`).
pub(crate) fn is_adornment(line: &str) -> bool {
    let line = line.trim_end();
    let bytes = line.as_bytes();
    bytes.len() >= 3 && bytes[0].is_ascii_punctuation() && bytes.iter().all(|&b| b == bytes[0])
}

/// `# Title` … `###### Title`, not a line of only `#` (an rst adornment).
fn is_atx_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && line[hashes..].starts_with([' ', '\t'])
        && !line[hashes..].trim().is_empty()
}

/// Each line (without its `\n` or `\r\n`) and the offset it starts at.
pub(crate) fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        lines.push((offset, content.strip_suffix('\r').unwrap_or(content)));
        offset += line.len();
    }
    lines
}

pub(crate) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |newline| newline + 1)
}

/// The end of the line that holds the byte before `at`, past its newline.
pub(crate) fn line_end(text: &str, at: usize) -> usize {
    if at > 0 && text.as_bytes()[at - 1] == b'\n' {
        return at;
    }
    text[at..]
        .find('\n')
        .map_or(text.len(), |newline| at + newline + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str, format: Format) -> Vec<(u8, String, String)> {
        headings(text, format)
            .into_iter()
            .map(|h| (h.level, h.text, text[h.range].to_owned()))
            .collect()
    }

    fn row(level: u8, text: &str, source: &str) -> (u8, String, String) {
        (level, text.to_owned(), source.to_owned())
    }

    #[test]
    fn markdown_atx_setext_and_links() {
        let text = "# Changelog\n\nintro\n\n## [1.2.0](https://x/compare/1.1.0...1.2.0) (2024-01-01)\n\n- a\n\n1.1.0\n-----\n\n```\n## not a heading\n```\n\n- ## nor this\n";
        assert_eq!(
            summary(text, Format::Markdown),
            [
                row(1, "Changelog", "# Changelog\n"),
                row(
                    2,
                    "1.2.0 (2024-01-01)",
                    "## [1.2.0](https://x/compare/1.1.0...1.2.0) (2024-01-01)\n"
                ),
                row(2, "1.1.0", "1.1.0\n-----\n"),
            ]
        );
    }

    #[test]
    fn markdown_heading_at_the_end_without_newline() {
        assert_eq!(
            summary("x\n\n## 1.0.0", Format::Markdown),
            [row(2, "1.0.0", "## 1.0.0")]
        );
    }

    #[test]
    fn rst_levels_follow_first_appearance() {
        let text = "=========\nChangelog\n=========\n\n1.2.0 (2024-01-01)\n~~~~~~~~~~~~~~~~~~\n\nFeatures\n^^^^^^^^\n\n- x\n\n    indented\n    ~~~~~~~~\n\n1.1.0\n~~~~~\n";
        assert_eq!(
            summary(text, Format::Rst),
            [
                row(1, "Changelog", "=========\nChangelog\n=========\n"),
                row(
                    2,
                    "1.2.0 (2024-01-01)",
                    "1.2.0 (2024-01-01)\n~~~~~~~~~~~~~~~~~~\n"
                ),
                row(3, "Features", "Features\n^^^^^^^^\n"),
                row(2, "1.1.0", "1.1.0\n~~~~~\n"),
            ]
        );
    }

    #[test]
    fn rst_needs_a_blank_line_before_a_title() {
        let text = "para line\nmore text\n-----\n\nTitle\n=====\n";
        assert_eq!(
            summary(text, Format::Rst),
            [row(1, "Title", "Title\n=====\n")]
        );
    }

    #[test]
    fn format_from_path_and_text() {
        use std::path::Path;
        assert_eq!(Format::from_path(Path::new("NEWS.rst")), Some(Format::Rst));
        assert_eq!(
            Format::from_path(Path::new("CHANGELOG.md")),
            Some(Format::Markdown)
        );
        assert_eq!(Format::from_path(Path::new("CHANGES")), None);
        assert_eq!(
            Format::detect("# Changelog\n\n## 1.0.0\n"),
            Format::Markdown
        );
        assert_eq!(Format::detect("1.0.0\n~~~~~\n\n- x\n"), Format::Rst);
        assert_eq!(
            Format::detect(".. towncrier release notes start\n\n1.0\n===\n"),
            Format::Rst
        );
        assert_eq!(Format::detect("#####\nTitle\n#####\n"), Format::Rst);
        assert_eq!(Format::detect("1.0.0\n=====\n"), Format::Markdown);
        assert_eq!(Format::detect("```\n.. x\n```\n"), Format::Markdown);
    }
}
