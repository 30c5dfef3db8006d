//! The few Python string semantics towncrier's output depends on, reproduced exactly: what
//! `str.isspace` calls whitespace (and so what `strip` removes), `str.splitlines`, `str.title` and
//! `str.capitalize`, the `str.format` calls towncrier makes with keyword arguments, `int()`
//! acceptance, and `fnmatch`. Byte-for-byte output needs these rather than Rust's near relatives.

use std::fmt::Write as _;

/// `str.isspace` for one character: Rust's `White_Space` set plus the ASCII information
/// separators U+001C..U+001F, which Python counts as whitespace (bidirectional class B or S).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

pub(crate) fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

pub(crate) fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// `str.splitlines(keepends=True)`: every line keeps its terminator, and Python's terminators
/// include `\v`, `\f`, the information separators and the Unicode line and paragraph separators.
pub(crate) fn split_lines_keep_ends(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let end = match c {
            '\r' => match chars.peek() {
                Some(&(next, '\n')) => {
                    chars.next();
                    next + 1
                }
                _ => index + 1,
            },
            '\n' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => index + c.len_utf8(),
            _ => continue,
        };
        lines.push(&s[start..end]);
        start = end;
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

/// Universal-newline reading, as `open(..., newline=None)` does: `\r\n` and lone `\r` become `\n`.
pub(crate) fn universal_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_owned();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase()
}

/// `str.title`: a cased character following an uncased one starts a word.
pub(crate) fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous_cased = false;
    for c in s.chars() {
        if is_cased(c) {
            if previous_cased {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            previous_cased = true;
        } else {
            out.push(c);
            previous_cased = false;
        }
    }
    out
}

/// `str.capitalize`: the first character upper-cased, every other one lower-cased.
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// `str.isdigit` over ASCII digits. Python also accepts other Unicode digits; issue names with
/// those are not worth a digit table.
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `str(int(s))` for a string of ASCII digits: leading zeros dropped, `"0"` kept.
pub(crate) fn normalise_digits(s: &str) -> String {
    let trimmed = s.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Whether Python's `int(s)` would accept `s`: surrounding whitespace, an optional sign, digits
/// with single underscores between them.
pub(crate) fn int_parses(s: &str) -> bool {
    let s = strip(s);
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

/// Why a `str.format` string could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormatError {
    /// `{other}`: a name Python would answer with `KeyError`.
    UnknownField(String),
    /// Conversions, format specs, indexing or positional fields, which towncrier formats allow
    /// but relman does not reproduce.
    Unsupported(String),
    /// A lone `{` or `}`.
    Unbalanced,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownField(name) => write!(f, "unknown field `{{{name}}}`"),
            Self::Unsupported(field) => write!(f, "unsupported field `{{{field}}}`"),
            Self::Unbalanced => {
                f.write_str("unbalanced `{` or `}` (write `{{` and `}}` for literal braces)")
            }
        }
    }
}

/// `format.format(**fields)` for plain `{name}` fields and `{{`/`}}` escapes.
pub(crate) fn format(format: &str, fields: &[(&str, &str)]) -> Result<String, FormatError> {
    let mut out = String::with_capacity(format.len() + 16);
    let mut rest = format;
    while let Some(position) = rest.find(['{', '}']) {
        out.push_str(&rest[..position]);
        let tail = &rest[position..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if tail.starts_with('}') {
            return Err(FormatError::Unbalanced);
        } else {
            let close = tail.find('}').ok_or(FormatError::Unbalanced)?;
            let field = &tail[1..close];
            if field.contains('{') {
                return Err(FormatError::Unbalanced);
            }
            if field.is_empty() || field.contains([':', '!', '.', '[']) {
                return Err(FormatError::Unsupported(field.to_owned()));
            }
            match fields.iter().find(|(name, _)| *name == field) {
                Some((_, value)) => out.push_str(value),
                None if field.bytes().all(|b| b.is_ascii_digit()) => {
                    return Err(FormatError::Unsupported(field.to_owned()));
                }
                None => return Err(FormatError::UnknownField(field.to_owned())),
            }
            rest = &tail[close + 1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// `fnmatch.fnmatchcase(name, pattern)`: `*`, `?`, `[set]` and `[!set]`, an unclosed `[` being
/// literal, matched against the whole name.
pub(crate) fn fnmatch(name: &str, pattern: &str) -> bool {
    let mut translated = String::from("(?s)\\A(?:");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' => {
                // Consecutive stars mean the same as one.
                while chars.get(i) == Some(&'*') {
                    i += 1;
                }
                translated.push_str(".*");
            }
            '?' => translated.push('.'),
            '[' => match bracket_end(&chars, i) {
                Some(end) => {
                    translated.push_str(&bracket_class(&chars[i..end]));
                    i = end + 1;
                }
                None => translated.push_str("\\["),
            },
            other => {
                let _ = write!(
                    translated,
                    "{}",
                    regex::escape(other.encode_utf8(&mut [0; 4]))
                );
            }
        }
    }
    translated.push_str(")\\z");
    regex::Regex::new(&translated).is_ok_and(|re| re.is_match(name))
}

/// Where the `]` closing a bracket expression opened just before `start` is: a leading `!` and
/// then a leading `]` belong to the set.
fn bracket_end(chars: &[char], start: usize) -> Option<usize> {
    let mut j = start;
    if chars.get(j) == Some(&'!') {
        j += 1;
    }
    if chars.get(j) == Some(&']') {
        j += 1;
    }
    (j..chars.len()).find(|&k| chars[k] == ']')
}

fn bracket_class(inner: &[char]) -> String {
    let (negated, inner) = match inner.split_first() {
        Some(('!', rest)) => (true, rest),
        _ => (false, inner),
    };
    if inner.is_empty() {
        // `[!]` matches any character, `[]` nothing: what Python's translation yields too.
        return if negated {
            ".".to_owned()
        } else {
            "(?!)".to_owned()
        };
    }
    let mut class = String::from(if negated { "[^" } else { "[" });
    let mut k = 0;
    while k < inner.len() {
        let c = inner[k];
        if k + 2 < inner.len() && inner[k + 1] == '-' {
            let (low, high) = (c, inner[k + 2]);
            if low > high {
                // Python drops reversed ranges.
                k += 3;
                continue;
            }
            push_class_char(&mut class, low);
            class.push('-');
            push_class_char(&mut class, high);
            k += 3;
        } else {
            push_class_char(&mut class, c);
            k += 1;
        }
    }
    class.push(']');
    class
}

fn push_class_char(class: &mut String, c: char) {
    if matches!(c, '\\' | ']' | '[' | '^' | '-' | '&' | '~') {
        class.push('\\');
    }
    class.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_uses_python_whitespace() {
        assert_eq!(strip("\u{1c} a \u{a0}\n"), "a");
        assert_eq!(rstrip(" a \t"), " a");
        assert_eq!(lstrip("\n\na\n"), "a\n");
    }

    #[test]
    fn split_lines_matches_python() {
        assert_eq!(
            split_lines_keep_ends("a\nb\r\nc\rd\u{b}e"),
            ["a\n", "b\r\n", "c\r", "d\u{b}", "e"]
        );
        assert_eq!(split_lines_keep_ends("a\n"), ["a\n"]);
        assert!(split_lines_keep_ends("").is_empty());
    }

    #[test]
    fn title_and_capitalize_match_python() {
        assert_eq!(title("my_pkg2name"), "My_Pkg2Name");
        assert_eq!(title("hello wORLD"), "Hello World");
        assert_eq!(capitalize("bugFIX"), "Bugfix");
        assert_eq!(capitalize(""), "");
    }

    #[test]
    fn int_acceptance_matches_python() {
        for ok in ["12", " 12 ", "-3", "+4", "1_000"] {
            assert!(int_parses(ok), "{ok}");
        }
        for bad in ["", "1__0", "_1", "1_", "gh-1", "1.0", "+"] {
            assert!(!int_parses(bad), "{bad}");
        }
        assert_eq!(normalise_digits("007"), "7");
        assert_eq!(normalise_digits("000"), "0");
    }

    #[test]
    fn format_replaces_named_fields() {
        let fields = [("issue", "12")];
        assert_eq!(
            format("`#{issue} <https://x/{issue}>`_", &fields).unwrap(),
            "`#12 <https://x/12>`_"
        );
        assert_eq!(format("{{{issue}}}", &fields).unwrap(), "{12}");
        assert_eq!(
            format("{other}", &fields),
            Err(FormatError::UnknownField("other".into()))
        );
        assert_eq!(
            format("{issue:>4}", &fields),
            Err(FormatError::Unsupported("issue:>4".into()))
        );
        assert_eq!(
            format("{0}", &fields),
            Err(FormatError::Unsupported("0".into()))
        );
        assert_eq!(format("a}b", &fields), Err(FormatError::Unbalanced));
        assert_eq!(format("a{b", &fields), Err(FormatError::Unbalanced));
    }

    #[test]
    fn fnmatch_matches_python() {
        assert!(fnmatch("readme.md", "readme.md"));
        assert!(fnmatch("notes.txt", "*.txt"));
        assert!(!fnmatch("notes.txt.bak", "*.txt"));
        assert!(fnmatch("a1", "a[0-9]"));
        assert!(fnmatch("ab", "a[!0-9]"));
        assert!(!fnmatch("a1", "a[!0-9]"));
        assert!(fnmatch("a[", "a["));
        assert!(fnmatch("a]", "a[]]"));
        assert!(fnmatch("x.y", "x?y"));
        assert!(!fnmatch("x\ny", "x.y"));
    }
}
