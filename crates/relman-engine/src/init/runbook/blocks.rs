//! A runbook cut into blocks: headings, lines of prose, list items, code blocks and notes, each
//! with the line it starts on. One line-based reader takes Markdown, reStructuredText and plain
//! text alike, because real runbooks mix them (rst directives in a `.txt`, Markdown lists in
//! plain prose) and a drafted step must cite the line it came from.

use super::lines::{dedent, front_matter, strip_comments};

/// Fence languages whose blocks are data, never commands.
const DATA_LANGUAGES: &[&str] = &[
    "diff",
    "patch",
    "ini",
    "toml",
    "yaml",
    "yml",
    "json",
    "xml",
    "html",
    "properties",
    "markdown",
    "md",
    "rst",
    "gitconfig",
    "csv",
    "output",
];

/// One block of a runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// 1-based line where the block starts.
    pub line: usize,
    /// Whether a blank line comes right before it.
    pub blank_before: bool,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// A title; `level` 1 is the document's.
    Heading { level: u8, text: String },
    /// A line (or sentence run) of prose, or a list item with its continuation lines.
    Text {
        text: String,
        list: Option<ListMark>,
    },
    /// Lines of a fenced, indented or directive code block, with their line numbers.
    Code { lines: Vec<(usize, String)> },
    /// An admonition (`.. note::`): context, never a step.
    Note { text: String },
    /// A fenced diff: what a file should become (an `edit` when it changes a version), else a
    /// note like any block of data.
    Diff {
        note: String,
        lines: Vec<(usize, String)>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListMark {
    /// 0 for a top-level item.
    pub depth: usize,
    pub ordered: bool,
}

impl Block {
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            BlockKind::Text { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn list(&self) -> Option<ListMark> {
        match &self.kind {
            BlockKind::Text { list, .. } => *list,
            _ => None,
        }
    }
}

/// Rst section adornments.
const ADORNMENTS: &[char] = &['=', '-', '~', '^', '*', '+', '#', '"', '`', ':', '.', '_'];

fn is_adornment(line: &str) -> bool {
    let line = line.trim_end();
    let Some(first) = line.chars().next() else {
        return false;
    };
    line.len() >= 3 && ADORNMENTS.contains(&first) && line.chars().all(|c| c == first)
}

/// `- item`, `* item`, `+ item`, `1. item`, `1) item`, rst's `#. item`: (indent, ordered,
/// text).
fn list_item(line: &str) -> Option<(usize, bool, &str)> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let bytes = rest.as_bytes();
    if bytes.len() >= 2 && matches!(bytes[0], b'-' | b'*' | b'+') && bytes[1] == b' ' {
        return Some((indent, false, rest[2..].trim()));
    }
    if let Some(item) = rest.strip_prefix("#. ") {
        return Some((indent, true, item.trim()));
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && bytes.get(digits + 1) == Some(&b' ')
    {
        return Some((indent, true, rest[digits + 2..].trim()));
    }
    None
}

fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &trimmed[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some((u8::try_from(hashes).unwrap_or(6), text))
}

pub(super) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', ':', '!', '?', ')', '`', ';'])
}

/// Reads `text` into blocks.
pub(crate) fn parse(text: &str) -> Vec<Block> {
    let mut in_comment = false;
    // The length of the last line of prose read: wrapped prose breaks near a fill column.
    let mut last_prose_line = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| strip_comments(&line.replace('\t', "    "), &mut in_comment))
        .collect();
    let mut blocks: Vec<Block> = Vec::new();
    let mut rst_levels: Vec<char> = Vec::new();
    let mut list_indents: Vec<usize> = Vec::new();
    let mut blank_before = true;
    let mut index = front_matter(&lines);
    let level_of = |levels: &mut Vec<char>, c: char| -> u8 {
        let position = levels
            .iter()
            .position(|seen| *seen == c)
            .unwrap_or_else(|| {
                levels.push(c);
                levels.len() - 1
            });
        u8::try_from(position + 1).unwrap_or(6)
    };
    while index < lines.len() {
        let line = lines[index].as_str();
        let trimmed = line.trim();
        let number = index + 1;
        if trimmed.is_empty() {
            blank_before = true;
            index += 1;
            continue;
        }
        let push = |blocks: &mut Vec<Block>, kind: BlockKind, blank: &mut bool| {
            blocks.push(Block {
                line: number,
                blank_before: *blank,
                kind,
            });
            *blank = false;
        };
        // Fenced code.
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence = &trimmed[..3];
            let mut code = Vec::new();
            index += 1;
            while index < lines.len() && !lines[index].trim().starts_with(fence) {
                code.push((index + 1, lines[index].clone()));
                index += 1;
            }
            index += 1;
            // A block in a data language (a diff, a config file, output) shows what a file
            // holds or what a command says: no line of it is a command.
            let language = trimmed[3..]
                .trim()
                .trim_start_matches('{')
                .split([' ', ',', '}'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let kind = if DATA_LANGUAGES.contains(&language.as_str()) {
                let note = format!(
                    "{} line{} of `{language}`: what a file holds or a command prints, no commands",
                    code.len(),
                    if code.len() == 1 { "" } else { "s" }
                );
                if matches!(language.as_str(), "diff" | "patch") {
                    BlockKind::Diff {
                        note,
                        lines: dedent(code),
                    }
                } else {
                    BlockKind::Note { text: note }
                }
            } else {
                BlockKind::Code {
                    lines: dedent(code),
                }
            };
            push(&mut blocks, kind, &mut blank_before);
            continue;
        }
        // reStructuredText directives and comments.
        if let Some(directive) = trimmed.strip_prefix("..") {
            let base = indent_of(line);
            let (name, argument) = match directive.split_once("::") {
                Some((name, argument)) => (name.trim().to_ascii_lowercase(), argument.trim()),
                None => (String::new(), ""),
            };
            let mut content: Vec<(usize, String)> = Vec::new();
            index += 1;
            while index < lines.len() {
                let next = &lines[index];
                if !next.trim().is_empty() && indent_of(next) <= base {
                    break;
                }
                content.push((index + 1, next.clone()));
                index += 1;
            }
            while content
                .last()
                .is_some_and(|(_, text)| text.trim().is_empty())
            {
                content.pop();
            }
            match name.as_str() {
                "code-block" | "code" | "sourcecode" | "prompt" => {
                    let code = content
                        .into_iter()
                        .filter(|(_, text)| !text.trim().is_empty())
                        .collect();
                    push(
                        &mut blocks,
                        BlockKind::Code {
                            lines: dedent(code),
                        },
                        &mut blank_before,
                    );
                }
                "" => {}
                _ => {
                    let mut text = argument.to_owned();
                    for (_, part) in &content {
                        let part = part.trim();
                        if !part.is_empty() {
                            if !text.is_empty() {
                                text.push(' ');
                            }
                            text.push_str(part);
                        }
                    }
                    if !text.is_empty() {
                        push(&mut blocks, BlockKind::Note { text }, &mut blank_before);
                    }
                }
            }
            blank_before = true;
            continue;
        }
        // Overlined and underlined titles (rst), underlined titles (Markdown setext, rst).
        if is_adornment(line)
            && index + 2 < lines.len()
            && is_adornment(&lines[index + 2])
            && !lines[index + 1].trim().is_empty()
        {
            let c = trimmed.chars().next().unwrap_or('=');
            let level = level_of(&mut rst_levels, c);
            let text = lines[index + 1].trim().to_owned();
            push(
                &mut blocks,
                BlockKind::Heading { level, text },
                &mut blank_before,
            );
            list_indents.clear();
            blank_before = true;
            index += 3;
            continue;
        }
        // A fence right under a line of prose ("Add this:" over "```") opens a code block: a
        // title's underline is as long as its title.
        if index + 1 < lines.len()
            && is_adornment(&lines[index + 1])
            && !(matches!(lines[index + 1].trim(), "```" | "~~~") && trimmed.len() > 3)
            && list_item(line).is_none()
            && !is_adornment(line)
        {
            let c = lines[index + 1].trim().chars().next().unwrap_or('=');
            let level = level_of(&mut rst_levels, c);
            push(
                &mut blocks,
                BlockKind::Heading {
                    level,
                    text: trimmed.to_owned(),
                },
                &mut blank_before,
            );
            list_indents.clear();
            blank_before = true;
            index += 2;
            continue;
        }
        if let Some((level, text)) = atx_heading(line) {
            // Markdown titles and rst titles share the numbering: `#` is level 1.
            push(
                &mut blocks,
                BlockKind::Heading {
                    level,
                    text: text.to_owned(),
                },
                &mut blank_before,
            );
            list_indents.clear();
            blank_before = true;
            index += 1;
            continue;
        }
        if let Some((indent, ordered, first)) = list_item(line) {
            while list_indents.last().is_some_and(|top| *top > indent) {
                list_indents.pop();
            }
            if list_indents.last() != Some(&indent) {
                list_indents.push(indent);
            }
            let depth = list_indents.len() - 1;
            let mut text = first.to_owned();
            index += 1;
            // Continuation lines: indented under the item, or lazy ones right after it.
            while index < lines.len() {
                let next = lines[index].as_str();
                if next.trim().is_empty()
                    || list_item(next).is_some()
                    || atx_heading(next).is_some()
                    || next.trim().starts_with("```")
                    || next.trim().starts_with("..")
                    || (index + 1 < lines.len() && is_adornment(&lines[index + 1]))
                {
                    break;
                }
                if indent_of(next) <= indent && ends_sentence(&text) {
                    break;
                }
                text.push(' ');
                text.push_str(next.trim());
                index += 1;
            }
            blocks.push(Block {
                line: number,
                blank_before,
                kind: BlockKind::Text {
                    text,
                    list: Some(ListMark { depth, ordered }),
                },
            });
            blank_before = false;
            continue;
        }
        // A literal block after a paragraph ending in `::` (rst).
        if indent_of(line) >= 2
            && blank_before
            && blocks
                .last()
                .and_then(Block::text)
                .is_some_and(|text| text.ends_with("::"))
        {
            let base = indent_of(line);
            let mut code = Vec::new();
            while index < lines.len() {
                let next = &lines[index];
                if !next.trim().is_empty() && indent_of(next) < base {
                    break;
                }
                if !next.trim().is_empty() {
                    code.push((index + 1, next.clone()));
                }
                index += 1;
            }
            push(
                &mut blocks,
                BlockKind::Code {
                    lines: dedent(code),
                },
                &mut blank_before,
            );
            blank_before = true;
            continue;
        }
        if indent_of(line) == 0 {
            list_indents.clear();
        }
        // Prose: each line is its own block unless it visibly wraps a sentence onto the next.
        let joins = !blank_before
            && blocks.last().is_some_and(|last| {
                // Wrapped prose breaks near a fill column; a longer line is a statement of its own.
                matches!(&last.kind, BlockKind::Text { list: None, text }
                    if (60..=100).contains(&last_prose_line)
                        && !ends_sentence(text))
            })
            && trimmed.chars().next().is_some_and(char::is_lowercase);
        last_prose_line = trimmed.len();
        if joins && let Some(BlockKind::Text { text, .. }) = blocks.last_mut().map(|b| &mut b.kind)
        {
            text.push(' ');
            text.push_str(trimmed);
        } else {
            push(
                &mut blocks,
                BlockKind::Text {
                    text: trimmed.to_owned(),
                    list: None,
                },
                &mut blank_before,
            );
        }
        index += 1;
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        parse(text)
            .iter()
            .map(|block| match &block.kind {
                BlockKind::Heading { level, text } => format!("{}:h{level} {text}", block.line),
                BlockKind::Text { text, list: None } => format!("{}:p {text}", block.line),
                BlockKind::Text {
                    text,
                    list: Some(mark),
                } => format!("{}:li{} {text}", block.line, mark.depth),
                BlockKind::Code { lines } => format!(
                    "{}:code {}",
                    block.line,
                    lines
                        .iter()
                        .map(|(_, text)| text.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
                BlockKind::Note { text } | BlockKind::Diff { note: text, .. } => {
                    format!("{}:note {text}", block.line)
                }
            })
            .collect()
    }

    #[test]
    fn markdown_headings_lists_and_fences() {
        let text = "# Title <!-- omit -->\n\nIntro line.\n\n* one\n  * nested\n    continued\n* two\n\n```bash\ngit tag v1\n  git push\n```\n";
        assert_eq!(
            kinds(text),
            [
                "1:h1 Title",
                "3:p Intro line.",
                "5:li0 one",
                "6:li1 nested continued",
                "8:li0 two",
                "10:code git tag v1 |   git push",
            ]
        );
    }

    #[test]
    fn a_fence_right_under_prose_opens_a_block_and_underlines_nothing() {
        let text = "Add the front matter\n```\n---\ntitle: x\n---\n```\n\nThen tag it.\n";
        assert_eq!(
            kinds(text),
            [
                "1:p Add the front matter",
                "2:code --- | title: x | ---",
                "8:p Then tag it.",
            ]
        );
    }

    #[test]
    fn a_pages_front_matter_is_not_read() {
        let text = "---\ntitle: Release\nmenu:\n  docs: x\n---\n\n# Releasing\n\n---\n\nTag it.\n";
        assert_eq!(kinds(text), ["7:h1 Releasing", "9:p ---", "11:p Tag it."]);
    }

    #[test]
    fn rst_titles_directives_and_notes() {
        let text = "Release\n=======\n\nPre release\n-----------\n\n1. Update\n\n.. code-block:: bash\n\n      poetry version prerelease\n\n.. note::\n\n   Or `make x`\n\n.. code-block:: bash\n      make a\n      make b\n";
        assert_eq!(
            kinds(text),
            [
                "1:h1 Release",
                "4:h2 Pre release",
                "7:li0 Update",
                "9:code poetry version prerelease",
                "13:note Or `make x`",
                "17:code make a | make b",
            ]
        );
    }

    #[test]
    fn plain_lines_are_separate_unless_a_sentence_wraps() {
        let text = "all features should be merged into master\nAPI docs are generated\nthis is a long sentence that goes on and on and wraps at the fill column\nonto this line.\n(feature freeze day)\n";
        assert_eq!(
            kinds(text),
            [
                "1:p all features should be merged into master",
                "2:p API docs are generated",
                "3:p this is a long sentence that goes on and on and wraps at the fill column onto this line.",
                "5:p (feature freeze day)",
            ]
        );
    }
}
