//! `sed -i` that writes the version into a file: `s/KEY=.*/KEY=$VERSION/` on named files (GNU's
//! `-i`, BSD's `-i ""`). Into one of the project's version files it is the `bump` (which writes
//! them all), elsewhere an `edit` with the sed's literal text around the value; the next
//! development version written after the release is the dev bump. Anything sed does beyond one
//! literal place (groups, files from `find`, a version file's next version in a file relman does
//! not know) stays a `run` step: a wrong edit would be worse.

use super::{Action, Scope, run, step};
use crate::init::runbook::ProjectFacts;
use crate::init::runbook::text::versioned;

pub(super) fn sed(args: &[&str], line: &str, scope: &Scope<'_>) -> Vec<Action> {
    match read(args, scope) {
        Some(actions) => actions,
        None => vec![run(line)],
    }
}

fn read(args: &[&str], scope: &Scope<'_>) -> Option<Vec<Action>> {
    let mut in_place = false;
    let mut expression = None;
    let mut files = Vec::new();
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        match *arg {
            "-i" | "--in-place" => {
                in_place = true;
                // BSD sed's suffix is the next word: `-i ""`.
                if iter.peek().is_some_and(|next| next.is_empty()) {
                    iter.next();
                }
            }
            "-e" | "--expression" if expression.is_none() => expression = iter.next().copied(),
            "-E" | "-r" => {}
            other if other.starts_with("-i") => in_place = true,
            other if other.starts_with('-') => return None,
            other if expression.is_none() => expression = Some(other),
            other => files.push(other),
        }
    }
    if !in_place || files.is_empty() {
        return None;
    }
    let (before, value, after) = substitution(expression?)?;
    let next = value.to_ascii_lowercase().contains("next") || value.contains("SNAPSHOT");
    let value = versioned(value);
    if !next && !value.contains("{version}") {
        return None;
    }
    let mut actions = Vec::new();
    for file in files {
        let file = file.trim_start_matches("./");
        if file.is_empty() || file.contains(['$', '`', '*', '?', '[', '{']) {
            return None;
        }
        // The release's bump; after the release, the next version's (its words say "next",
        // and the settling makes it the dev bump).
        if scope.facts.version_files.iter().any(|known| known == file) {
            actions.push(Action::Step(step("bump", "{args.bump}")));
            continue;
        }
        // The next version of a file relman does not version is the project's own scheme; in
        // a release of several packages, `{version}` outside a per-package step lists them all.
        if next
            || scope.facts.several_packages
            || scope.checkout.is_none() && !holds_once(scope.facts, file, before)
        {
            return None;
        }
        actions.push(Action::Step(
            step("edit", file.to_owned())
                .with("pattern", format!("{before}{{value}}{after}"))
                .with("value", value.clone()),
        ));
    }
    Some(actions)
}

/// `s/KEY=.*/KEY=VALUE/g` as the literal text before the value, the value, and the literal text
/// after it; `None` for a substitution that does more than replace one run of characters.
fn substitution(expression: &str) -> Option<(&str, &str, &str)> {
    let mut chars = expression.chars();
    if chars.next() != Some('s') {
        return None;
    }
    let delimiter = chars.next()?;
    let body = &expression[1 + delimiter.len_utf8()..];
    let parts: Vec<&str> = body.split(delimiter).collect();
    let [pattern, replacement, flags] = parts.as_slice() else {
        return None;
    };
    if !flags.chars().all(|flag| flag == 'g') {
        return None;
    }
    // The pattern: literal text, one run of characters (`.*`, `[^"]*`, `[0-9.]*`), literal text;
    // anchored or not (an `edit` finds its place once in the file anyway).
    let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    let pattern = pattern.strip_suffix('$').unwrap_or(pattern);
    let run_at = pattern.find(['.', '['])?;
    let before = &pattern[..run_at];
    let tail = &pattern[run_at..];
    let run_len = if tail.starts_with(".*") {
        2
    } else {
        let close = tail.find(']')?;
        match tail[close + 1..].chars().next() {
            Some('*' | '+') => close + 2,
            _ => return None,
        }
    };
    let after = &tail[run_len..];
    let literal = |text: &str| !text.contains(['\\', '.', '*', '[', ']', '^', '$', '&', '{', '}']);
    if before.is_empty() || !literal(before) || !literal(after) {
        return None;
    }
    let value = replacement.strip_prefix(before)?.strip_suffix(after)?;
    if value.is_empty() || value.contains(['\\', '&']) {
        return None;
    }
    Some((before, value, after))
}

/// Whether the file in the work tree holds the text before the value exactly once (what `edit`
/// requires); without a work tree the runbook is trusted.
pub(crate) fn holds_once(facts: &ProjectFacts, file: &str, before: &str) -> bool {
    let Some(root) = &facts.root else {
        return true;
    };
    if file.contains("..") || file.starts_with('/') {
        return false;
    }
    fs_err::read_to_string(root.join(file)).is_ok_and(|text| text.matches(before).count() == 1)
}
