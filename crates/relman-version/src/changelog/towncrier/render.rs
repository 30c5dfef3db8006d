//! One release rendered as `towncrier build` renders it: towncrier's `default.md` and
//! `default.rst` templates written as Rust (every byte they emit, including their blank-line
//! quirks), custom templates through [`super::template`], then `wrap`, then the `title_format`
//! heading that build puts on top.

use super::config::{TemplateSource, TitleFormat, TowncrierConfig};
use super::error::TowncrierError;
use super::notes::{CategoryNotes, ReleaseNotes};
use super::{pytext, template, textwrap};

/// The version data of a release, as towncrier's `versiondata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionData {
    /// The project name; empty renders no name in the default title.
    pub name: String,
    pub version: String,
    pub date: String,
}

/// A release rendered: `content` is what towncrier writes below the start marker (and prints for
/// `--draft`); `top_line` is the formatted `title_format`, which towncrier also looks for in the
/// existing file to refuse releasing a version twice. Empty when the template renders the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedRelease {
    pub top_line: String,
    pub content: String,
}

/// The context both default templates and custom ones get besides the notes.
pub(crate) struct TemplateContext<'a> {
    pub(crate) config: &'a TowncrierConfig,
    pub(crate) version: &'a VersionData,
    pub(crate) render_title: bool,
    /// `config.underlines[1:]`.
    pub(crate) underlines: &'a [String],
    pub(crate) top_underline: &'a str,
    pub(crate) header_prefix: String,
}

/// The subsequent indent towncrier wraps a line with.
pub(crate) fn get_indent(all_bullets: bool, text: &str) -> &'static str {
    if all_bullets || text.starts_with("- ") || text.starts_with("* ") {
        "  "
    } else if text.starts_with("#. ") {
        "   "
    } else {
        ""
    }
}

fn format_title(
    config: &TowncrierConfig,
    format: &str,
    version: &VersionData,
) -> Result<String, TowncrierError> {
    pytext::format(
        format,
        &[
            ("name", &version.name),
            ("version", &version.version),
            ("project_date", &version.date),
        ],
    )
    .map_err(|error| TowncrierError::Format {
        location: config.location(),
        key: "title_format",
        format: format.to_owned(),
        message: error.to_string(),
    })
}

/// The Markdown heading depth of the release title: the `#`s opening a line of `title_format`,
/// else 1 when the template renders the title, else 0.
fn markdown_header_level(title_format: &TitleFormat) -> usize {
    match title_format {
        TitleFormat::Format(format) if !format.is_empty() => format
            .split('\n')
            .find_map(|line| {
                let hashes = line.len() - line.trim_start_matches('#').len();
                let after = line[hashes..].chars().next();
                (hashes > 0 && after.is_some_and(pytext::is_space)).then_some(hashes)
            })
            .unwrap_or(0),
        TitleFormat::Template => 1,
        TitleFormat::Format(_) | TitleFormat::Disabled => 0,
    }
}

fn underline_at<'a>(
    config: &TowncrierConfig,
    underlines: &'a [String],
    index: usize,
) -> Result<&'a str, TowncrierError> {
    underlines
        .get(index)
        .map(String::as_str)
        .ok_or_else(|| TowncrierError::TooFewUnderlines {
            location: config.location(),
            have: config.underlines.len(),
            need: index + 2,
        })
}

/// Renders one release.
pub fn render(
    config: &TowncrierConfig,
    notes: &ReleaseNotes,
    version: &VersionData,
) -> Result<RenderedRelease, TowncrierError> {
    let render_title = config.title_format == TitleFormat::Template;
    let markdown = config.template.is_markdown();
    let header_level = if markdown {
        markdown_header_level(&config.title_format)
    } else {
        1
    };
    let top_underline =
        config
            .underlines
            .first()
            .ok_or_else(|| TowncrierError::TooFewUnderlines {
                location: config.location(),
                have: 0,
                need: 1,
            })?;
    let context = TemplateContext {
        config,
        version,
        render_title,
        underlines: &config.underlines[1..],
        top_underline,
        header_prefix: "#".repeat(header_level),
    };
    let raw = match &config.template {
        TemplateSource::Default { markdown: true } => default_markdown(&context, notes),
        TemplateSource::Default { markdown: false } => default_rst(&context, notes)?,
        TemplateSource::File { path, .. } => template::render_file(path, &context, notes)?,
    };
    let rendered = match config.wrap {
        None => raw,
        Some(width) => raw
            .split('\n')
            .map(|line| textwrap::fill(line, width, get_indent(config.all_bullets, line)))
            .collect::<Vec<_>>()
            .join("\n"),
    };

    match &config.title_format {
        TitleFormat::Format(format) if !format.is_empty() => {
            let top_line = format_title(config, format, version)?;
            let content = if markdown {
                format!("{top_line}\n{rendered}")
            } else {
                let underline = top_underline.repeat(top_line.chars().count());
                format!("{top_line}\n{underline}\n{rendered}")
            };
            Ok(RenderedRelease { top_line, content })
        }
        _ => Ok(RenderedRelease {
            top_line: String::new(),
            content: rendered,
        }),
    }
}

/// The categories of a section in the order the default templates list them: configuration
/// order, only those with fragments.
fn categories_in_order<'a>(
    config: &'a TowncrierConfig,
    categories: &'a [CategoryNotes],
) -> impl Iterator<Item = (&'a str, &'a CategoryNotes)> {
    config.types.iter().filter_map(move |kind| {
        categories
            .iter()
            .find(|category| category.kind == kind.key)
            .map(|category| (kind.name.as_str(), category))
    })
}

/// towncrier's `templates/default.md`.
fn default_markdown(context: &TemplateContext<'_>, notes: &ReleaseNotes) -> String {
    let heading =
        |level: usize| "#".repeat((context.header_prefix.len() + level).saturating_sub(1));
    let version = context.version;
    let mut out = String::new();
    if context.render_title {
        out.push_str(&heading(1));
        out.push(' ');
        if !version.name.is_empty() {
            out.push_str(&version.name);
            out.push(' ');
        }
        out.push_str(&format!("{} ({})\n", version.version, version.date));
    }
    out.push('\n');
    for section in &notes.sections {
        if !section.name.is_empty() {
            out.push_str(&format!("\n{} {}\n\n", heading(2), section.name));
        }
        if section.categories.is_empty() {
            out.push_str("No significant changes.\n\n");
            continue;
        }
        let level = if section.name.is_empty() { 2 } else { 3 };
        for (name, category) in categories_in_order(context.config, &section.categories) {
            out.push_str(&format!("{} {name}\n\n", heading(level)));
            for entry in &category.entries {
                let issues = entry
                    .issues
                    .iter()
                    .map(|issue| {
                        issue
                            .split_once(": ")
                            .map_or(issue.as_str(), |(link, _)| link)
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let text = &entry.text;
                let has_sublist = text.contains("\n  - ") || text.contains("\n  * ");
                match (text.is_empty(), issues.is_empty()) {
                    (true, false) => out.push_str(&format!("- {issues}\n")),
                    (false, false) if has_sublist => {
                        out.push_str(&format!("- {text}\n\n  ({issues})\n"));
                    }
                    (false, false) => out.push_str(&format!("- {text} ({issues})\n")),
                    (false, true) => out.push_str(&format!("- {text}\n")),
                    (true, true) => {}
                }
            }
            out.push('\n');
            // Issue formats like `[#1]: https://…` are link references: listed under the entries.
            if category
                .issues
                .first()
                .is_some_and(|issue| issue.contains("]: "))
            {
                for issue in &category.issues {
                    out.push_str(issue);
                    out.push('\n');
                }
                out.push('\n');
            }
            if category.entries.is_empty() {
                out.push_str("\nNo significant changes.\n\n");
            }
        }
    }
    out.push('\n');
    out
}

/// towncrier's `templates/default.rst`.
fn default_rst(
    context: &TemplateContext<'_>,
    notes: &ReleaseNotes,
) -> Result<String, TowncrierError> {
    let version = context.version;
    let config = context.config;
    let mut out = String::new();
    if context.render_title {
        let title = if version.name.is_empty() {
            format!("{} ({})", version.version, version.date)
        } else {
            format!("{} {} ({})", version.name, version.version, version.date)
        };
        out.push_str(&format!(
            "{title}\n{}\n",
            context.top_underline.repeat(title.chars().count())
        ));
    }
    for section in &notes.sections {
        let mut underline = underline_at(config, context.underlines, 0)?;
        if !section.name.is_empty() {
            out.push_str(&format!(
                "{}\n{}\n",
                section.name,
                underline.repeat(section.name.chars().count())
            ));
            underline = underline_at(config, context.underlines, 1)?;
        }
        out.push('\n');
        if section.categories.is_empty() {
            out.push_str("No significant changes.\n\n\n");
            continue;
        }
        for (name, category) in categories_in_order(config, &section.categories) {
            out.push_str(&format!(
                "{name}\n{}\n\n",
                underline.repeat(name.chars().count())
            ));
            for entry in &category.entries {
                let issues = entry.issues.join(", ");
                if entry.text.is_empty() {
                    out.push_str(&format!("- {issues}\n"));
                } else if issues.is_empty() {
                    out.push_str(&format!("- {}\n", entry.text));
                } else {
                    out.push_str(&format!("- {} ({issues})\n", entry.text));
                }
            }
            out.push('\n');
            if category.entries.is_empty() {
                out.push_str("No significant changes.\n\n");
            }
            out.push('\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_level_comes_from_title_format() {
        assert_eq!(
            markdown_header_level(&TitleFormat::Format(
                "## [{version}] - {project_date}".into()
            )),
            2
        );
        assert_eq!(
            markdown_header_level(&TitleFormat::Format("Release {version}\n### x".into())),
            3
        );
        assert_eq!(
            markdown_header_level(&TitleFormat::Format("#{version}".into())),
            0
        );
        assert_eq!(markdown_header_level(&TitleFormat::Template), 1);
        assert_eq!(markdown_header_level(&TitleFormat::Disabled), 0);
    }
}
