//! A diff in a runbook ("update `_config.yml` like this"): when each changed line only puts
//! the release's version in place of another in one named file, it is an `edit` of that file
//! (the `bump`, for one of the project's version files). Any other diff stays a note: it shows
//! what a person changes.

use super::Drafter;
use crate::init::runbook::actions::{Action, step};
use crate::init::runbook::commands::holds_once;
use crate::init::runbook::text::versioned;

/// Where a value starts or ends in a line of configuration.
const BOUNDARY: &[char] = &[' ', '\t', '=', ':', '"', '\'', '/', '@', '(', ')', ',', '-'];

impl Drafter {
    /// Drafts the edits a diff makes; `false` (and nothing drafted) when it is no such diff.
    pub(super) fn diff(&mut self, lines: &[(usize, String)]) -> bool {
        let mut file = None;
        let mut removed: Vec<&str> = Vec::new();
        let mut changes = Vec::new();
        for (number, line) in lines {
            if let Some(path) = line
                .strip_prefix("+++ ")
                .or_else(|| line.strip_prefix("--- "))
            {
                let path = path.split_whitespace().next().unwrap_or_default();
                let path = path
                    .strip_prefix("a/")
                    .or_else(|| path.strip_prefix("b/"))
                    .unwrap_or(path);
                if path != "/dev/null" {
                    file = Some(path.to_owned());
                }
            } else if let Some(old) = line.strip_prefix('-') {
                removed.push(old);
            } else if let Some(new) = line.strip_prefix('+') {
                if removed.is_empty() {
                    return false;
                }
                let old = removed.remove(0);
                changes.push((*number, old.to_owned(), new.to_owned()));
            } else if !removed.is_empty() {
                return false;
            }
        }
        let Some(file) = file else {
            return false;
        };
        let version_file = self.facts.version_files.contains(&file);
        // In a release of several packages `{version}` outside a per-package step lists them all.
        if self.facts.several_packages && !version_file {
            return false;
        }
        if !removed.is_empty() || changes.is_empty() || file.contains(['$', '*', '{', '`']) {
            return false;
        }
        let mut edits = Vec::new();
        for (number, old, new) in &changes {
            let Some((before, value, after)) = changed_value(old, new) else {
                return false;
            };
            if self.checkout.is_none() && !holds_once(&self.facts, &file, &before) {
                return false;
            }
            edits.push((*number, new.trim().to_owned(), before, value, after));
        }
        self.flush_intro();
        for (number, quote, before, value, after) in edits {
            let action = if version_file {
                step("bump", "{args.bump}")
            } else {
                step("edit", file.clone())
                    .with("pattern", format!("{before}{{value}}{after}"))
                    .with("value", value)
            };
            self.apply(
                number,
                &format!("+{quote}"),
                vec![Action::Step(action)],
                &[],
            );
        }
        true
    }
}

/// `version: 1.2.2` → `version: X.Y.Z`: the text before the value, the new value as a
/// template naming the version, and the text after it; `None` when the line changes otherwise.
fn changed_value(old: &str, new: &str) -> Option<(String, String, String)> {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((at, _), _)| at);
    // Back to where the value starts: `M.` in `release: M.N.0` is part of the value.
    let start = old[..prefix].rfind(BOUNDARY).map_or(0, |at| at + 1);
    let suffix = old[start..]
        .chars()
        .rev()
        .zip(new[start..].chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_end = old.len() - suffix_bytes(old, suffix);
    let new_end = new.len() - suffix_bytes(new, suffix);
    // On to where the value ends: `.0` of `1.3.0` is part of it, `.tar.gz` is not.
    let tail = &old.as_bytes()[old_end..];
    let mut end_offset = 0;
    while end_offset < tail.len()
        && (tail[end_offset].is_ascii_digit()
            || tail[end_offset] == b'.' && tail.get(end_offset + 1).is_some_and(u8::is_ascii_digit))
    {
        end_offset += 1;
    }
    let (old_end, new_end) = (old_end + end_offset, new_end + end_offset);
    let before = &old[..start];
    let after = &old[old_end..];
    let (old_value, new_value) = (&old[start..old_end], &new[start..new_end]);
    let value = versioned(new_value);
    let simple = |text: &str| !text.is_empty() && !text.contains(char::is_whitespace);
    if before.trim().is_empty()
        || !simple(old_value)
        || !simple(new_value)
        || !value.contains("{version}")
        || before.contains(['{', '}'])
        || after.contains(['{', '}'])
    {
        return None;
    }
    Some((before.to_owned(), value, after.to_owned()))
}

/// The length in bytes of the last `chars` characters of `text`.
fn suffix_bytes(text: &str, chars: usize) -> usize {
    text.chars().rev().take(chars).map(char::len_utf8).sum()
}
