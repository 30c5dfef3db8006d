//! A runbook's lines before they are read into blocks: HTML comments taken out, a page's
//! front matter skipped, the common indentation of code lines removed.

use super::blocks::indent_of;

/// Removes `<!-- … -->` comments, tracking one that spans lines.
pub(super) fn strip_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        }
        match rest.find("<!--") {
            Some(start) => {
                out.push_str(&rest[..start]);
                rest = &rest[start + 4..];
                *in_comment = true;
            }
            None => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// The lines of a site generator's front matter at the top of the file (`---`, `title: …`,
/// `---`): metadata for the page, never read. The index of the first line after it.
pub(super) fn front_matter(lines: &[String]) -> usize {
    if lines.first().map(|line| line.trim_end()) != Some("---") {
        return 0;
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .take(60)
        .position(|line| matches!(line.trim_end(), "---" | "..."))
    else {
        return 0;
    };
    let body = &lines[1..=close];
    // YAML: every line a `key:`, an indented value or a list entry.
    let yaml = body.iter().all(|line| {
        let trimmed = line.trim();
        trimmed.is_empty()
            || line.starts_with([' ', '-'])
            || trimmed
                .split_once(':')
                .is_some_and(|(key, _)| !key.is_empty() && !key.contains(' '))
    });
    if yaml && !body.is_empty() {
        close + 2
    } else {
        0
    }
}

/// Removes the indentation common to the code lines.
pub(super) fn dedent(lines: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let common = lines
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(_, text)| indent_of(text))
        .min()
        .unwrap_or(0);
    lines
        .into_iter()
        .map(|(number, text)| {
            let mut cut = common.min(indent_of(&text));
            // Leading whitespace may be wider than one byte (U+3000): never cut inside a char.
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            (number, text[cut..].trim_end().to_owned())
        })
        .collect()
}
