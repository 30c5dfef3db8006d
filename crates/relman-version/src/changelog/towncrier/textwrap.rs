//! Python's `textwrap.fill` with the options towncrier uses for `wrap = true`
//! (`break_long_words=False`, `break_on_hyphens=False`, a subsequent indent, every other option at
//! its default), reproduced chunk by chunk so wrapped news files match towncrier's to the byte.

use super::pytext;

/// The whitespace `textwrap` splits on and turns into spaces: only these six ASCII characters.
fn is_wrap_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// `str.expandtabs(8)`: tabs to the next multiple of eight columns, the column restarting after
/// `\n` and `\r`.
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0usize;
    for c in line.chars() {
        match c {
            '\t' => {
                let spaces = 8 - column % 8;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// `chunk.strip() == ''`: note that `strip` knows more whitespace than the splitter does.
fn is_blank(chunk: &str) -> bool {
    pytext::strip(chunk).is_empty()
}

/// `textwrap.fill(line, width, subsequent_indent=indent, break_long_words=False,
/// break_on_hyphens=False)`.
pub(crate) fn fill(line: &str, width: usize, subsequent_indent: &str) -> String {
    let munged: String = expand_tabs(line)
        .chars()
        .map(|c| if is_wrap_space(c) { ' ' } else { c })
        .collect();
    // Chunks alternate between runs of spaces and runs of anything else.
    let mut chunks: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (index, c) in munged.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|previous| previous != space) {
            chunks.push(&munged[start..index]);
            start = index;
        }
        in_space = Some(space);
    }
    if start < munged.len() {
        chunks.push(&munged[start..]);
    }
    chunks.reverse();

    let mut lines: Vec<String> = Vec::new();
    while !chunks.is_empty() {
        let indent = if lines.is_empty() {
            ""
        } else {
            subsequent_indent
        };
        let room = width.saturating_sub(char_len(indent));
        if !lines.is_empty() && chunks.last().is_some_and(|chunk| is_blank(chunk)) {
            chunks.pop();
        }
        let mut current: Vec<&str> = Vec::new();
        let mut current_len = 0;
        while let Some(chunk) = chunks.last() {
            let length = char_len(chunk);
            if current_len + length > room {
                break;
            }
            current.push(chunk);
            current_len += length;
            chunks.pop();
        }
        if let Some(chunk) = chunks.last()
            && char_len(chunk) > room
            && current.is_empty()
        {
            // A word longer than the line is never broken: it gets a line to itself.
            current.push(chunk);
            chunks.pop();
        }
        if current.last().is_some_and(|chunk| is_blank(chunk)) {
            current.pop();
        }
        if !current.is_empty() {
            lines.push(format!("{indent}{}", current.concat()));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn wraps_at_width_with_indent() {
        assert_eq!(
            fill("- one two three four", 10, "  "),
            "- one two\n  three\n  four"
        );
    }

    #[test]
    fn long_words_stay_whole() {
        assert_eq!(
            fill("a https://example.com/very/long b", 10, "  "),
            "a\n  https://example.com/very/long\n  b"
        );
        assert_eq!(
            fill("=========================", 10, ""),
            "========================="
        );
    }

    #[test]
    fn blank_lines_vanish_and_leading_space_stays() {
        assert_eq!(fill("", 79, ""), "");
        assert_eq!(fill("   ", 79, ""), "");
        assert_eq!(fill("  indented text", 79, ""), "  indented text");
        assert_eq!(fill("a\tb", 79, ""), "a       b");
        assert_eq!(fill("trailing   ", 79, ""), "trailing");
    }
}
