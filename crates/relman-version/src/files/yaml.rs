//! YAML version files (`Chart.yaml`, YAML key files): a small, careful locator of scalars in
//! block mappings, written here instead of using a YAML library because the edit must keep the
//! scalar's raw text and quotes (`"1.10"` stays a quoted string; `yaml-edit`'s `set` drops the
//! quotes) and every other byte.
//!
//! One pass over the lines indexes every mapping key reachable by a dotted path (keys under a
//! sequence item are not addressable) with its value: a one-line plain or quoted scalar gives
//! a byte span; anything else (a nested mapping, a block or multi-line scalar, a flow
//! collection, an alias) is described so the error can say what was found. Block scalars,
//! flow collections and multi-line strings are skipped whole, so text inside them is never
//! mistaken for a key. Several documents in one file are refused.

use std::ops::Range;
use std::path::Path;

use super::FileError;
use super::text::{Location, lines_with_offsets};

/// Every addressable key of a YAML file, with its value.
#[derive(Debug, Default)]
pub(super) struct YamlIndex {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    path: Vec<String>,
    line: usize,
    value: YamlValue,
}

#[derive(Debug, Clone, PartialEq)]
enum YamlValue {
    /// A one-line scalar: the byte range of its text, inside any quotes.
    Scalar(Range<usize>),
    /// Anything else, described for messages.
    Other(&'static str),
}

/// Lines that belong to something already described and must not be read as keys.
#[derive(Debug, Clone, Copy)]
enum Skip {
    None,
    /// Content of a `|`/`>` block scalar: blank lines or lines indented deeper than its parent.
    BlockScalar {
        parent: usize,
    },
    /// Lines indented deeper than a key that already has an inline value: continuation lines
    /// of a multi-line plain scalar (which makes the value multi-line).
    Continuation {
        parent: usize,
        entry: Option<usize>,
    },
    /// Inside a flow collection spanning lines.
    Flow {
        depth: usize,
        quote: Option<char>,
    },
    /// Inside a quoted scalar spanning lines.
    Quoted {
        quote: char,
    },
}

#[derive(Debug)]
struct Frame {
    indent: usize,
    /// `None` for a sequence item or a complex key: what is below it has no dotted path.
    key: Option<String>,
}

struct Scanner<'a> {
    path: &'a Path,
    entries: Vec<Entry>,
    stack: Vec<Frame>,
    skip: Skip,
    /// A key with nothing after its colon, and its indentation: the next deeper line is its value.
    pending: Option<(usize, usize)>,
    seen_content: bool,
    ended: bool,
}

pub(super) fn scan(path: &Path, text: &str) -> Result<YamlIndex, FileError> {
    scan_from(path, text, 0)
}

/// A `pnpm-lock.yaml`: pnpm 10 and later write the lock of pnpm itself (`packageManagerDependencies`)
/// as a first document, and the project's lock as the last one, which is the one indexed.
pub(super) fn scan_pnpm_lock(path: &Path, text: &str) -> Result<YamlIndex, FileError> {
    let mut last = 0;
    let mut seen_content = false;
    for (offset, line) in lines_with_offsets(text) {
        let marker = is_marker(line, "---");
        if marker && seen_content {
            last = offset;
            seen_content = false;
        } else if !marker && !line.trim().is_empty() && !line.starts_with('#') {
            seen_content = true;
        }
    }
    scan_from(path, text, last)
}

/// Whether `line` is the document marker `---` or `...` (alone, or before a space).
fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Scans the document that starts at byte `start` of `text` (spans and line numbers are the
/// whole text's).
fn scan_from(path: &Path, text: &str, start: usize) -> Result<YamlIndex, FileError> {
    let lines_before = text[..start].matches('\n').count();
    let mut scanner = Scanner {
        path,
        entries: Vec::new(),
        stack: Vec::new(),
        skip: Skip::None,
        pending: None,
        seen_content: false,
        ended: false,
    };
    for (index, (offset, line)) in lines_with_offsets(&text[start..]).enumerate() {
        scanner.line(lines_before + index + 1, start + offset, line)?;
    }
    Ok(YamlIndex {
        entries: scanner.entries,
    })
}

impl Scanner<'_> {
    fn unsupported(&self, line: usize, message: &str) -> FileError {
        FileError::Unsupported {
            path: self.path.to_owned(),
            line,
            message: message.to_owned(),
        }
    }

    fn line(&mut self, number: usize, offset: usize, line: &str) -> Result<(), FileError> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = &line[indent..];
        let blank = content.trim().is_empty();
        match self.skip {
            Skip::None => {}
            Skip::BlockScalar { parent } => {
                if blank || indent > parent {
                    return Ok(());
                }
                self.skip = Skip::None;
            }
            Skip::Continuation { parent, entry } => {
                if blank || (indent > parent && content.starts_with('#')) {
                    return Ok(());
                }
                if indent > parent {
                    if let Some(entry) = entry {
                        self.entries[entry].value = YamlValue::Other("a multi-line string");
                    }
                    return Ok(());
                }
                self.skip = Skip::None;
            }
            Skip::Flow { depth, quote } => {
                let (depth, quote) = flow_depth(line, depth, quote);
                self.skip = if depth == 0 {
                    Skip::None
                } else {
                    Skip::Flow { depth, quote }
                };
                return Ok(());
            }
            Skip::Quoted { quote } => {
                if closing_quote(line, 0, quote).is_some() {
                    self.skip = Skip::None;
                }
                return Ok(());
            }
        }
        if blank || content.starts_with('#') {
            return Ok(());
        }
        if content.starts_with('\t') {
            return Err(FileError::Parse {
                path: self.path.to_owned(),
                format: "YAML",
                line: number,
                column: indent + 1,
                message: "tabs cannot indent YAML".to_owned(),
            });
        }
        if indent == 0 && self.marker(number, line)? {
            return Ok(());
        }
        if self.ended {
            return Err(self.unsupported(number, "the file holds several YAML documents"));
        }
        self.seen_content = true;
        while self
            .stack
            .last()
            .is_some_and(|frame| frame.indent >= indent)
        {
            self.stack.pop();
        }
        let mut pending = self.pending.take();
        if let Some((entry, key_indent)) = pending {
            let is_sequence = is_sequence_item(content);
            if is_sequence && indent >= key_indent {
                self.entries[entry].value = YamlValue::Other("a sequence");
                pending = None;
            } else if indent <= key_indent {
                pending = None;
            }
        }
        self.node(
            number,
            offset + indent,
            indent,
            content,
            pending.map(|(entry, _)| entry),
        );
        Ok(())
    }

    /// Handles document markers and directives; `true` when the line was one.
    fn marker(&mut self, number: usize, line: &str) -> Result<bool, FileError> {
        if is_marker(line, "---") {
            let rest = line[3..].trim();
            if self.seen_content || self.ended {
                return Err(self.unsupported(number, "the file holds several YAML documents"));
            }
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(self.unsupported(number, "content on the `---` line"));
            }
            return Ok(true);
        }
        if is_marker(line, "...") {
            self.ended = true;
            return Ok(true);
        }
        Ok(line.starts_with('%') && !self.seen_content)
    }

    /// One node starting at `column` (absolute byte offset `at`): a sequence item, a mapping
    /// key with its value, or a bare scalar (a sequence item's or a pending key's value).
    fn node(
        &mut self,
        number: usize,
        at: usize,
        column: usize,
        content: &str,
        pending: Option<usize>,
    ) {
        if is_sequence_item(content) {
            self.stack.push(Frame {
                indent: column,
                key: None,
            });
            let rest = &content[1..];
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            let rest = &rest[spaces..];
            if rest.is_empty() || rest.starts_with('#') {
                return;
            }
            self.node(number, at + 1 + spaces, column + 1 + spaces, rest, None);
            return;
        }
        if content == "?" || content.starts_with("? ") {
            self.stack.push(Frame {
                indent: column,
                key: None,
            });
            return;
        }
        if let Some((key, after_colon)) = split_key(content) {
            if let Some(entry) = pending {
                self.entries[entry].value = YamlValue::Other("a mapping");
            }
            let addressable = self.stack.iter().all(|frame| frame.key.is_some());
            let entry = addressable.then(|| {
                let mut path: Vec<String> = self
                    .stack
                    .iter()
                    .filter_map(|frame| frame.key.clone())
                    .collect();
                path.push(key.clone());
                self.entries.push(Entry {
                    path,
                    line: number,
                    value: YamlValue::Other("nothing"),
                });
                self.entries.len() - 1
            });
            self.stack.push(Frame {
                indent: column,
                key: Some(key),
            });
            let value = &content[after_colon..];
            let spaces = value.len() - value.trim_start_matches([' ', '\t']).len();
            self.value(column, at + after_colon + spaces, &value[spaces..], entry);
            return;
        }
        let parent = self.stack.last().map_or(0, |frame| frame.indent);
        self.value(parent, at, content, pending);
    }

    /// The value after a key's colon (or a bare scalar), starting at absolute offset `at`.
    fn value(&mut self, parent: usize, at: usize, text: &str, entry: Option<usize>) {
        let (skipped, text) = strip_properties(text);
        let at = at + skipped;
        let set = |scanner: &mut Self, value: YamlValue| {
            if let Some(entry) = entry {
                scanner.entries[entry].value = value;
            }
        };
        let Some(first) = text.chars().next().filter(|first| *first != '#') else {
            if let Some(entry) = entry {
                self.pending = Some((entry, parent));
            }
            return;
        };
        match first {
            '|' | '>' => {
                set(self, YamlValue::Other("a block scalar"));
                self.skip = Skip::BlockScalar { parent };
            }
            '*' => set(self, YamlValue::Other("an alias")),
            '[' | '{' => {
                set(self, YamlValue::Other("a flow collection"));
                let (depth, quote) = flow_depth(text, 0, None);
                if depth > 0 {
                    self.skip = Skip::Flow { depth, quote };
                }
            }
            '"' | '\'' => {
                let Some(close) = closing_quote(text, 1, first) else {
                    set(self, YamlValue::Other("a multi-line string"));
                    self.skip = Skip::Quoted { quote: first };
                    return;
                };
                let inner = &text[1..close];
                let escaped = if first == '"' {
                    inner.contains('\\')
                } else {
                    inner.contains("''")
                };
                let value = if escaped {
                    YamlValue::Other("a string with escapes")
                } else {
                    YamlValue::Scalar(at + 1..at + close)
                };
                set(self, value);
                self.skip = Skip::Continuation { parent, entry };
            }
            _ => {
                let end = comment_start(text).unwrap_or(text.len());
                let plain = text[..end].trim_end();
                set(self, YamlValue::Scalar(at..at + plain.len()));
                self.skip = Skip::Continuation { parent, entry };
            }
        }
    }
}

fn is_sequence_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ") || content.starts_with("-\t")
}

/// Skips a leading tag (`!!str`) and anchor (`&name`); returns the bytes skipped and the rest.
fn strip_properties(text: &str) -> (usize, &str) {
    let mut rest = text;
    while rest.starts_with(['!', '&']) {
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let after = &rest[end..];
        rest = after.trim_start_matches([' ', '\t']);
    }
    (text.len() - rest.len(), rest)
}

/// The byte index of a `#` that starts a comment (after whitespace), outside quotes.
fn comment_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (1..bytes.len()).find(|&index| bytes[index] == b'#' && matches!(bytes[index - 1], b' ' | b'\t'))
}

/// Index of the quote closing a scalar opened before `from`.
fn closing_quote(text: &str, from: usize, quote: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut index = from;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if quote == '"' => index += 2,
            b'\'' if quote == '\'' && bytes.get(index + 1) == Some(&b'\'') => index += 2,
            byte if byte == quote as u8 => return Some(index),
            _ => index += 1,
        }
    }
    None
}

/// A mapping key at the start of `content`: the key, and the offset just after its colon.
fn split_key(content: &str) -> Option<(String, usize)> {
    let colon_ends_key = |index: usize| {
        content.as_bytes().get(index) == Some(&b':')
            && matches!(content.as_bytes().get(index + 1), None | Some(b' ' | b'\t'))
    };
    if let Some(quote) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = closing_quote(content, 1, quote)?;
        let after = content[close + 1..].trim_start_matches([' ', '\t']);
        let colon = content.len() - after.len();
        return colon_ends_key(colon).then(|| (content[1..close].to_owned(), colon + 1));
    }
    if content.starts_with(['[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '#']) {
        return None;
    }
    let comment = comment_start(content).unwrap_or(content.len());
    let colon = (0..comment).find(|&index| colon_ends_key(index))?;
    let key = content[..colon].trim_end();
    (!key.is_empty()).then(|| (key.to_owned(), colon + 1))
}

/// Updates the nesting depth of a flow collection over one line.
fn flow_depth(line: &str, mut depth: usize, mut quote: Option<char>) -> (usize, Option<char>) {
    let mut previous = ' ';
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                '#' if previous == ' ' || previous == '\t' => break,
                _ => {}
            },
        }
        previous = c;
        if depth == 0 && quote.is_none() {
            break;
        }
    }
    (depth, quote)
}

/// The scalar at a dotted key: `Ok(None)` when the key is missing.
pub(super) fn locate(
    path: &Path,
    index: &YamlIndex,
    segments: &[String],
    label: &str,
) -> Result<Option<Location>, FileError> {
    let matches: Vec<&Entry> = index
        .entries
        .iter()
        .filter(|entry| entry.path == segments)
        .collect();
    located(path, &matches, label)
}

/// The entries of an index by their key path, for many lookups in one file (a pnpm lock's
/// importers: a member, a table and a package each, thousands of lookups in 100k entries).
pub(super) struct YamlLookup<'i>(std::collections::HashMap<&'i [String], Vec<&'i Entry>>);

impl YamlIndex {
    pub(super) fn lookup(&self) -> YamlLookup<'_> {
        let mut by_path: std::collections::HashMap<&[String], Vec<&Entry>> =
            std::collections::HashMap::with_capacity(self.entries.len());
        for entry in &self.entries {
            by_path
                .entry(entry.path.as_slice())
                .or_default()
                .push(entry);
        }
        YamlLookup(by_path)
    }
}

/// [`locate`] through a [`YamlLookup`].
pub(super) fn locate_in(
    path: &Path,
    lookup: &YamlLookup<'_>,
    segments: &[String],
    label: &str,
) -> Result<Option<Location>, FileError> {
    let matches = lookup.0.get(segments).map_or(&[][..], Vec::as_slice);
    located(path, matches, label)
}

/// The one scalar among the entries found at a key path.
fn located(path: &Path, matches: &[&Entry], label: &str) -> Result<Option<Location>, FileError> {
    match matches {
        [] => Ok(None),
        [entry] => match &entry.value {
            YamlValue::Scalar(span) => Ok(Some(Location::new(span.clone(), label))),
            YamlValue::Other(found) => Err(FileError::NotAString {
                path: path.to_owned(),
                line: entry.line,
                location: format!("`{label}`"),
                found: (*found).to_owned(),
            }),
        },
        several => Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: format!("`{label}`"),
            lines: several.iter().map(|entry| entry.line).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, key: &str) -> Result<Option<String>, FileError> {
        let index = scan(Path::new("f.yaml"), text)?;
        let segments: Vec<String> = key.split('.').map(str::to_owned).collect();
        let found = locate(Path::new("f.yaml"), &index, &segments, key)?;
        Ok(found.map(|location| text[location.span].to_owned()))
    }

    #[test]
    fn scalars_of_every_style() {
        let text = "a: 1.0 # c\nb: \"1.10\"\nc: '2.0'  # c\nd: !!str &x 3.0\n\"e\": 4.0\n";
        assert_eq!(value(text, "a").unwrap().unwrap(), "1.0");
        assert_eq!(value(text, "b").unwrap().unwrap(), "1.10");
        assert_eq!(value(text, "c").unwrap().unwrap(), "2.0");
        assert_eq!(value(text, "d").unwrap().unwrap(), "3.0");
        assert_eq!(value(text, "e").unwrap().unwrap(), "4.0");
    }

    #[test]
    fn nesting_and_sequences() {
        let text = "\
dependencies:
- name: db
  version: 9.9.9
  nested:
    version: 8.8.8
-   version: 7.7.7
meta:
  app:
    version: 1.2.3
  list:
    - version: 6.6.6
version: 0.1.0
";
        assert_eq!(value(text, "version").unwrap().unwrap(), "0.1.0");
        assert_eq!(value(text, "meta.app.version").unwrap().unwrap(), "1.2.3");
        assert_eq!(value(text, "dependencies.version").unwrap(), None);
        let error = value(text, "meta.app").unwrap_err();
        assert!(
            matches!(error, FileError::NotAString { line: 8, .. }),
            "{error}"
        );
        let error = value(text, "dependencies").unwrap_err();
        assert!(error.to_string().contains("a sequence"), "{error}");
    }

    #[test]
    fn skipped_regions_hide_key_lookalikes() {
        let text = "\
description: |
  version: 9.9.9
flow: [a,
  {version: 9.9.9}]
quoted: \"multi
version: 9.9.9 \"
plain: one
  two
version: 1.0.0
";
        assert_eq!(value(text, "version").unwrap().unwrap(), "1.0.0");
        let error = value(text, "plain").unwrap_err();
        assert!(error.to_string().contains("a multi-line string"), "{error}");
        let error = value(text, "description").unwrap_err();
        assert!(error.to_string().contains("a block scalar"), "{error}");
    }

    #[test]
    fn value_on_the_next_line() {
        assert_eq!(
            value("version:\n  1.2.3\n", "version").unwrap().unwrap(),
            "1.2.3"
        );
        let error = value("version:\nname: x\n", "version").unwrap_err();
        assert!(error.to_string().contains("holds nothing"), "{error}");
    }

    #[test]
    fn documents_and_duplicates() {
        assert_eq!(
            value("%YAML 1.2\n---\nversion: 1.0\n...\n", "version")
                .unwrap()
                .unwrap(),
            "1.0"
        );
        let error = value("version: 1.0\n---\nversion: 2.0\n", "version").unwrap_err();
        assert!(
            matches!(error, FileError::Unsupported { line: 2, .. }),
            "{error}"
        );
        let error = value("version: 1.0\nversion: 2.0\n", "version").unwrap_err();
        assert!(matches!(error, FileError::Ambiguous { ref lines, .. } if *lines == [1, 2]));
    }

    #[test]
    fn tabs_are_refused() {
        let error = value("a:\n\tversion: 1.0\n", "a.version").unwrap_err();
        assert!(
            matches!(
                error,
                FileError::Parse {
                    line: 2,
                    column: 1,
                    ..
                }
            ),
            "{error}"
        );
    }
}
