//! Writing TOML text by hand, for the commented `relman.toml` that `relman init` produces.
//!
//! A serializer cannot place comments, and the file is read by people first: keys in the order a
//! person would look for them, comments above what they explain, short values inline. Values are
//! written from `toml::Value`, so anything the drafts hold is quoted and escaped correctly.

use std::fmt::Write as _;

/// The widest a comment line gets before it wraps.
const WIDTH: usize = 100;

/// A TOML document being written, line by line.
#[derive(Debug, Default)]
pub(crate) struct TomlText {
    out: String,
}

impl TomlText {
    pub fn new() -> Self {
        TomlText::default()
    }

    pub fn finish(mut self) -> String {
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }

    pub fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// `# text`, wrapped at [`WIDTH`]; each line of `text` starts a new comment line.
    pub fn comment(&mut self, text: &str) {
        self.comment_with(text, "# ", "#   ");
    }

    /// A commented-out line of TOML (a suggestion to uncomment), never wrapped.
    pub fn commented_out(&mut self, line: &str) {
        let _ = writeln!(self.out, "# {line}");
    }

    fn comment_with(&mut self, text: &str, first: &str, rest: &str) {
        for line in text.lines() {
            // A line of TOML in a comment is a suggestion to uncomment: it stays whole.
            if looks_like_toml(line) {
                let _ = writeln!(self.out, "{first}{line}");
                continue;
            }
            let mut prefix = first;
            for wrapped in wrap(line, WIDTH - first.len()) {
                let _ = writeln!(self.out, "{prefix}{wrapped}");
                prefix = rest;
            }
            if line.trim().is_empty() {
                self.out.push_str("#\n");
            }
        }
    }

    /// `[name]`.
    pub fn table(&mut self, name: &str) {
        let _ = writeln!(self.out, "[{name}]");
    }

    /// `[[name]]`.
    pub fn array_table(&mut self, name: &str) {
        let _ = writeln!(self.out, "[[{name}]]");
    }

    /// `key = value`.
    pub fn entry(&mut self, key_name: &str, value: &toml::Value) {
        let _ = writeln!(self.out, "{} = {}", key(key_name), inline(value));
    }

    /// `key = "text"`.
    pub fn string(&mut self, key_name: &str, text: &str) {
        self.entry(key_name, &toml::Value::String(text.to_owned()));
    }
}

fn looks_like_toml(line: &str) -> bool {
    line.split_once(" = ").is_some_and(|(key, _)| {
        !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) || (line.starts_with("[[") && line.ends_with("]]"))
}

/// A key, bare when TOML allows it.
pub(crate) fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { name.to_owned() } else { quote(name) }
}

/// A value on one line: strings quoted, arrays and tables inline.
pub(crate) fn inline(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => quote(text),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => {
            let text = number.to_string();
            if text.contains(['.', 'e', 'E']) || !number.is_finite() {
                text
            } else {
                format!("{text}.0")
            }
        }
        toml::Value::Boolean(flag) => flag.to_string(),
        toml::Value::Datetime(datetime) => datetime.to_string(),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(table) => {
            if table.is_empty() {
                return "{}".to_owned();
            }
            let entries: Vec<String> = table
                .iter()
                .map(|(name, value)| format!("{} = {}", key(name), inline(value)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

/// A string: a literal `'…'` string when that needs no escape and reads better (a pattern with
/// double quotes), else a basic `"…"` string with escapes.
pub(crate) fn quote(text: &str) -> String {
    let plain = |c: char| !c.is_control() || c == '\t';
    if text.contains('"') && !text.contains('\'') && text.chars().all(plain) {
        return format!("'{text}'");
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Splits `line` into pieces of at most `width` characters at spaces (a longer word stays whole).
fn wrap(line: &str, width: usize) -> Vec<String> {
    let line = line.trim_end();
    if line.chars().count() <= width {
        return vec![line.to_owned()];
    }
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let needed =
            current.chars().count() + word.chars().count() + usize::from(!current.is_empty());
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_written() {
        let mut table = toml::Table::new();
        table.insert("build_wheels".into(), toml::Value::Boolean(true));
        table.insert("a key".into(), toml::Value::String("x\"y'z\n".into()));
        let mut out = TomlText::new();
        out.entry("parameters", &toml::Value::Table(table.clone()));
        out.string("pattern", "__version__ = \"{version}\"");
        out.entry(
            "push",
            &toml::Value::Array(vec!["branch".into(), "tag".into()]),
        );
        let text = out.finish();
        assert_eq!(
            text,
            "parameters = { build_wheels = true, \"a key\" = \"x\\\"y'z\\n\" }\n\
             pattern = '__version__ = \"{version}\"'\n\
             push = [\"branch\", \"tag\"]\n"
        );
        let parsed: toml::Table = text.parse().unwrap();
        assert_eq!(parsed["parameters"], toml::Value::Table(table));
        assert_eq!(
            parsed["pattern"].as_str(),
            Some("__version__ = \"{version}\"")
        );
    }

    #[test]
    fn long_comments_wrap_at_spaces() {
        let mut out = TomlText::new();
        out.comment(&"word ".repeat(40));
        let text = out.finish();
        assert!(text.lines().all(|line| line.len() <= WIDTH), "{text}");
        assert!(text.lines().skip(1).all(|line| line.starts_with("#   ")));
    }
}
