//! Neutralising control characters in everything relman prints. Commit subjects, tag names,
//! branch names, command output and service messages reach the terminal, and a subject holding
//! `ESC ] 0 ;` retitles the window, `ESC [ 2 J` clears it, `CR` or a bidi override rewrites what
//! a person reads as the plan they approve. So every text goes through [`neutralise`] on its way
//! out, to a terminal or to a file alike: a control character becomes a visible escape, `\u001b`
//! (the syntax of a JSON string escape, so JSON output stays valid JSON and text stays readable).
//!
//! Kept as they are: newline, tab, a carriage return just before a newline, and, when relman
//! colours that stream itself, exactly the colour sequences [`super::Style`] writes.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Style;

static STDOUT_COLOURED: AtomicBool = AtomicBool::new(false);
static STDERR_COLOURED: AtomicBool = AtomicBool::new(false);

/// The escape sequences [`Style`] writes, the only ones let through (and only when colouring).
const OWN_STYLES: [&str; 7] = [
    "\x1b[0m",
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[32m",
    "\x1b[36m",
    "\x1b[1;31m",
    "\x1b[1;33m",
];

/// Records which streams relman colours, once, at start.
pub fn init(stderr: Style, stdout: Style) {
    STDERR_COLOURED.store(stderr.color, Ordering::Relaxed);
    STDOUT_COLOURED.store(stdout.color, Ordering::Relaxed);
}

/// `text` as it may go to stdout.
pub fn stdout(text: &str) -> Cow<'_, str> {
    neutralise(text, STDOUT_COLOURED.load(Ordering::Relaxed))
}

/// `text` as it may go to stderr.
pub fn stderr(text: &str) -> Cow<'_, str> {
    neutralise(text, STDERR_COLOURED.load(Ordering::Relaxed))
}

/// Whether `c` is shown as an escape: C0 controls but tab and newline, DEL, C1 controls, and the
/// Unicode controls that reorder or hide text (bidi embeddings, overrides and isolates).
fn is_dangerous(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every dangerous character shown as `\uXXXX`; with `keep_styles`, the colour
/// sequences relman writes itself are left alone.
pub fn neutralise(text: &str, keep_styles: bool) -> Cow<'_, str> {
    if !text.chars().any(is_dangerous) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b'
            && keep_styles
            && let Some(own) = OWN_STYLES.iter().find(|own| rest.starts_with(**own))
        {
            out.push_str(own);
            rest = &rest[own.len()..];
            continue;
        }
        if c == '\r' && rest[1..].starts_with('\n') {
            out.push('\r');
        } else if is_dangerous(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_sequences_become_visible() {
        let subject = "feat: \x1b]0;owned\x07 \x1b[2Jclear\rfake \u{9b}31m \u{202e}txt.exe";
        assert_eq!(
            neutralise(subject, false),
            "feat: \\u001b]0;owned\\u0007 \\u001b[2Jclear\\u000dfake \\u009b31m \\u202etxt.exe"
        );
        // Tabs, newlines and CRLF are text.
        assert_eq!(neutralise("a\tb\r\nc\n", false), "a\tb\r\nc\n");
        assert!(matches!(neutralise("plain é ✓", false), Cow::Borrowed(_)));
    }

    #[test]
    fn only_relmans_own_colours_pass_and_only_when_colouring() {
        let style = Style { color: true };
        let text = format!("{} \x1b[31mtheirs\x1b[0m", style.red("error:"));
        assert_eq!(
            neutralise(&text, true),
            "\x1b[1;31merror:\x1b[0m \\u001b[31mtheirs\x1b[0m"
        );
        assert_eq!(
            neutralise(&text, false),
            "\\u001b[1;31merror:\\u001b[0m \\u001b[31mtheirs\\u001b[0m"
        );
    }

    #[test]
    fn json_stays_json() {
        let value = serde_json::json!({ "subject": "x\u{9b}y\u{202e}z\x1b" });
        let text = value.to_string();
        let cleaned = neutralise(&text, false);
        let back: serde_json::Value = serde_json::from_str(&cleaned).unwrap();
        assert_eq!(back, value, "the escapes decode to the same string");
        assert!(!cleaned.contains('\u{9b}'));
    }
}
