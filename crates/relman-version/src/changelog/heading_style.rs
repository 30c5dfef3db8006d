//! A changelog's own way of writing a release heading, learnt from one it has, and a new heading
//! written that way.
//!
//! What is learnt: the syntax (a Markdown ATX heading and its level; a setext heading and its
//! underline character; a reStructuredText title, its adornment character and whether it has an
//! overline) and the wording around the version, taken from the heading's source text so link
//! syntax survives: `## Version 1.2.0`, `## [1.2.0] - 2024-01-02`, `## v1.2.0 (2024-01-02)`,
//! `## [1.2.0](https://…/compare/v1.1.0...v1.2.0)`, `5.2.1 / 2025-12-01`. In that text the version
//! becomes the new version, the release before it (in a compare link) the new previous version,
//! and a date the release date in the same spelling ([`super::dates`]). Underlines and overlines
//! are as long as the new title, as docutils requires and Markdown readers expect.

use crate::date::Date;

use super::dates::{DateFormat, find_date};
use super::document::find_token;
use super::headings::{Format, Heading, is_adornment, lines_with_offsets};

/// Stand-ins in a learnt title; control characters never occur in headings.
const VERSION: &str = "\u{1}version\u{1}";
const PREVIOUS: &str = "\u{1}previous\u{1}";
const DATE: &str = "\u{1}date\u{1}";
/// The version's `MAJOR.MINOR`, the line a release branch is named for (thanos links each
/// release to `tree/release-0.42`).
const LINE: &str = "\u{1}line\u{1}";

/// How a heading is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// `## Title`
    Atx { level: u8 },
    /// `Title` over a line of `=` or `-`.
    Setext { character: char },
    /// A reStructuredText title: underlined, and overlined too when `overline`.
    Rst { character: char, overline: bool },
}

/// A heading's markup and its title as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawHeading<'t> {
    pub syntax: Syntax,
    /// The title's source text (links and emphasis as written), trimmed.
    pub title: &'t str,
}

/// The markup and the source title of `heading` in `text`.
pub(crate) fn raw_heading<'t>(text: &'t str, heading: &Heading, format: Format) -> RawHeading<'t> {
    let source = &text[heading.range.clone()];
    let lines: Vec<&str> = lines_with_offsets(source)
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    let first = lines.first().copied().unwrap_or_default();
    let trimmed = first.trim_start_matches(' ');
    if format == Format::Markdown && trimmed.starts_with('#') {
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        let title = trimmed[hashes..].trim();
        // An optional closing sequence: ` ##`.
        let without_closing = title.trim_end_matches('#');
        let title = if without_closing.len() < title.len()
            && (without_closing.is_empty() || without_closing.ends_with([' ', '\t']))
        {
            without_closing.trim_end()
        } else {
            title
        };
        return RawHeading {
            syntax: Syntax::Atx {
                level: u8::try_from(hashes).unwrap_or(6),
            },
            title,
        };
    }
    let underline_of = |line: &str| line.trim().chars().next().unwrap_or('=');
    match format {
        Format::Markdown => RawHeading {
            syntax: Syntax::Setext {
                character: lines.last().map_or('=', |line| underline_of(line)),
            },
            title: first.trim(),
        },
        Format::Rst => {
            let overline = lines.len() >= 3 && is_adornment(first);
            let title = if overline { lines[1] } else { first };
            RawHeading {
                syntax: Syntax::Rst {
                    character: lines.last().map_or('=', |line| underline_of(line)),
                    overline,
                },
                title: title.trim(),
            }
        }
    }
}

/// A release heading's syntax and wording, ready to write another release's heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeadingStyle {
    syntax: Syntax,
    /// The title with stand-ins for the version, the previous version and the date.
    template: String,
    date: Option<DateFormat>,
    /// The learnt heading spelt its version with two numbers (`## Mypy 2.3` for 2.3.0): a
    /// release `X.Y.0` is written `X.Y` too.
    two_parts: bool,
}

impl HeadingStyle {
    /// The style of `raw`, the heading of the release of `version`, whose previous release is
    /// `previous` (for compare links in the heading).
    pub(crate) fn learn(raw: &RawHeading<'_>, version: &str, previous: Option<&str>) -> Self {
        let mut title = raw.title.to_owned();
        let date = find_date(&title).map(|found| {
            title.replace_range(found.range, DATE);
            found.format
        });
        let mut template = replace_tokens(&title, version, VERSION);
        if let Some(previous) = previous.filter(|previous| *previous != version) {
            template = replace_tokens(&template, previous, PREVIOUS);
        }
        if let Some(line) = release_line(version) {
            template = replace_tokens(&template, line, LINE);
        }
        let two_parts = version.split('.').count() == 2
            && version
                .split('.')
                .all(|part| part.bytes().all(|b| b.is_ascii_digit()));
        HeadingStyle {
            syntax: raw.syntax,
            template,
            date,
            two_parts,
        }
    }

    /// A style for a file with no release heading to learn from, in the syntax of `like` (its
    /// unreleased heading) when there is one: `[1.2.0] - 2024-01-02` under a Keep a Changelog
    /// `[Unreleased]`, else `1.2.0 - 2024-01-02` in Markdown and `1.2.0 (2024-01-02)` in rst.
    pub(crate) fn default_for(format: Format, like: Option<&RawHeading<'_>>) -> Self {
        let syntax = like.map_or(
            match format {
                Format::Markdown => Syntax::Atx { level: 2 },
                Format::Rst => Syntax::Rst {
                    character: '=',
                    overline: false,
                },
            },
            |raw| raw.syntax,
        );
        let bracketed = like.is_some_and(|raw| raw.title.starts_with('['));
        let template = match (format, bracketed) {
            (Format::Markdown, true) => format!("[{VERSION}] - {DATE}"),
            (Format::Markdown, false) => format!("{VERSION} - {DATE}"),
            (Format::Rst, _) => format!("{VERSION} ({DATE})"),
        };
        HeadingStyle {
            syntax,
            template,
            date: Some(DateFormat::Iso),
            two_parts: false,
        }
    }

    /// The title (without markup) of the release of `version`.
    pub(crate) fn title(&self, version: &str, previous: Option<&str>, date: Date) -> String {
        let date = self
            .date
            .map(|format| format.render(date))
            .unwrap_or_default();
        let version = match version.strip_suffix(".0") {
            Some(short) if self.two_parts && short.split('.').count() == 2 => short,
            _ => version,
        };
        self.template
            .replace(VERSION, version)
            .replace(PREVIOUS, previous.unwrap_or(version))
            .replace(LINE, release_line(version).unwrap_or(version))
            .replace(DATE, &date)
    }

    /// The heading of the release of `version`, its lines joined by `newline`, without a final
    /// line break.
    pub(crate) fn render(
        &self,
        version: &str,
        previous: Option<&str>,
        date: Date,
        newline: &str,
    ) -> String {
        markup(self.syntax, &self.title(version, previous, date), newline)
    }

    /// Whether the title names the version as a Markdown reference link (`[1.2.0] - …`) whose
    /// definition belongs at the end of the file; the label when it does.
    pub(crate) fn reference_label(&self, version: &str) -> Option<String> {
        let open = self.template.find('[')?;
        let close = open + self.template[open..].find(']')?;
        let label = &self.template[open + 1..close];
        let after = &self.template[close + 1..];
        (label.contains(VERSION) && !after.starts_with('(') && !after.starts_with('['))
            .then(|| label.replace(VERSION, version))
    }
}

/// `title` marked up as a heading of `syntax`, lines joined by `newline`.
pub(crate) fn markup(syntax: Syntax, title: &str, newline: &str) -> String {
    let line = |character: char| character.to_string().repeat(display_width(title).max(3));
    match syntax {
        Syntax::Atx { level } => format!("{} {title}", "#".repeat(usize::from(level.max(1)))),
        Syntax::Setext { character } => format!("{title}{newline}{}", line(character)),
        Syntax::Rst {
            character,
            overline: false,
        } => format!("{title}{newline}{}", line(character)),
        Syntax::Rst {
            character,
            overline: true,
        } => format!(
            "{}{newline}{title}{newline}{}",
            line(character),
            line(character)
        ),
    }
}

/// Columns a title takes: characters, with the wide East Asian ranges and emoji counted twice.
fn display_width(title: &str) -> usize {
    title
        .chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF => 2,
            0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
            _ => 1,
        })
        .sum()
}

/// `MAJOR.MINOR` of a three-part version (`0.42` of `0.42.4`), `None` for another shape.
fn release_line(version: &str) -> Option<&str> {
    let core = version.split(['-', '+']).next()?;
    let parts: Vec<&str> = core.split('.').collect();
    let numbers = parts
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    (parts.len() == 3 && numbers).then(|| &core[..parts[0].len() + 1 + parts[1].len()])
}

/// `text` with every whole-token occurrence of `version` (a `v` before it stays) replaced.
pub(crate) fn replace_tokens(text: &str, version: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_token(rest, version) {
        out.push_str(&rest[..at]);
        out.push_str(with);
        rest = &rest[at + version.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changelog::headings::headings;

    fn date() -> Date {
        Date::new(2026, 12, 3).unwrap()
    }

    /// The first heading of `text` written again for 1.3.0 after 1.2.0.
    fn again(text: &str, format: Format) -> String {
        let heading = &headings(text, format)[0];
        let raw = raw_heading(text, heading, format);
        HeadingStyle::learn(&raw, "1.2.0", Some("1.1.0")).render(
            "1.3.0",
            Some("1.2.0"),
            date(),
            "\n",
        )
    }

    #[test]
    fn atx_wordings_are_kept() {
        let cases = [
            ("## Version 1.2.0\n", "## Version 1.3.0"),
            ("## [1.2.0] - 2024-01-02\n", "## [1.3.0] - 2026-12-03"),
            ("## v1.2.0 (2024-01-02)\n", "## v1.3.0 (2026-12-03)"),
            (
                "# 1.2.0 (6th December, 2024)\n",
                "# 1.3.0 (3rd December, 2026)",
            ),
            (
                "### [1.2.0](https://github.com/o/r/compare/v1.1.0...v1.2.0) (2024-01-02)\n",
                "### [1.3.0](https://github.com/o/r/compare/v1.2.0...v1.3.0) (2026-12-03)",
            ),
            ("## 1.2.0 ##\n", "## 1.3.0"),
            // thanos: the release branch of the line in a link, a date spaced out.
            (
                "## [v1.2.0](https://github.com/o/r/tree/release-1.2) - 2024 01 02\n",
                "## [v1.3.0](https://github.com/o/r/tree/release-1.3) - 2026 12 03",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(again(text, Format::Markdown), expected, "{text}");
        }
    }

    #[test]
    fn underlines_are_as_long_as_the_new_title() {
        assert_eq!(
            again(
                "1.2.0 / 2025-12-01\n=======================\n",
                Format::Markdown
            ),
            "1.3.0 / 2026-12-03\n=================="
        );
        assert_eq!(
            again("Version 1.2.0\n-------------\n", Format::Rst),
            "Version 1.3.0\n-------------"
        );
        assert_eq!(
            again("=====\n1.2.0\n=====\n", Format::Rst),
            "=====\n1.3.0\n====="
        );
        assert_eq!(again("1.2.0\n~~~\n", Format::Rst), "1.3.0\n~~~~~");
    }

    #[test]
    fn reference_labels() {
        let style = |title: &str| {
            let raw = RawHeading {
                syntax: Syntax::Atx { level: 2 },
                title,
            };
            HeadingStyle::learn(&raw, "1.2.0", None).reference_label("1.3.0")
        };
        assert_eq!(style("[1.2.0] - 2024-01-02").as_deref(), Some("1.3.0"));
        assert_eq!(style("[v1.2.0]").as_deref(), Some("v1.3.0"));
        assert_eq!(style("[1.2.0](https://x)"), None);
        assert_eq!(style("1.2.0"), None);
    }

    #[test]
    fn defaults_follow_the_unreleased_heading() {
        let kac = RawHeading {
            syntax: Syntax::Atx { level: 2 },
            title: "[Unreleased]",
        };
        assert_eq!(
            HeadingStyle::default_for(Format::Markdown, Some(&kac)).render(
                "1.0.0",
                None,
                date(),
                "\n"
            ),
            "## [1.0.0] - 2026-12-03"
        );
        let tbd = RawHeading {
            syntax: Syntax::Setext { character: '=' },
            title: "TBD",
        };
        assert_eq!(
            HeadingStyle::default_for(Format::Markdown, Some(&tbd)).render(
                "1.0.0",
                None,
                date(),
                "\n"
            ),
            "1.0.0 - 2026-12-03\n=================="
        );
        assert_eq!(
            HeadingStyle::default_for(Format::Rst, None).render("1.0.0", None, date(), "\n"),
            "1.0.0 (2026-12-03)\n=================="
        );
    }
}
