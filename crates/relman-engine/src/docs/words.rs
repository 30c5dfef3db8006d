//! Small pieces of wording of the runbook around the steps: sentences, indented lines, durations
//! and conditions (the steps' own wording is `core::explain`'s).

pub(super) use crate::core::explain::{PAUSES, code, join, show_code};

/// Text ending with a full stop.
pub(super) fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', ':']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// Continuation lines of a list item, indented to stay inside it (blank lines stay empty: they
/// do not end the item, and a checked-in runbook has no trailing spaces).
pub(super) fn indent_lines(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for (number, line) in text.lines().enumerate() {
        if number > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    out
}

pub(super) fn duration(duration: std::time::Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0 => format!("{} ms", duration.as_millis()),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

pub(super) fn condition_text(condition: &str) -> String {
    let known = match condition.trim() {
        "has_forge_token" => {
            Some("Only when a GitHub token is set (`GITHUB_TOKEN` or `GH_TOKEN`).")
        }
        "has_changelog" => Some("Only when the project has a changelog."),
        "is_prerelease" => Some("Only for pre-releases."),
        "is_final" => Some("Only for final releases, not pre-releases."),
        "not is_prerelease" => Some("Only for final releases, not pre-releases."),
        _ => None,
    };
    if let Some(text) = known {
        return text.to_owned();
    }
    let given = ["!= ''", "!= \"\""]
        .iter()
        .find_map(|test| condition.trim().strip_suffix(test))
        .map(str::trim);
    if let Some(arg) = given.and_then(|name| name.strip_prefix("args."))
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return format!("Only when the `{arg}` argument is given.");
    }
    format!("Only when `{condition}` holds.")
}

/// A wait whose `timeout` is zero: it looks once and pauses (a pull request people review).
pub(super) const LOOKS_ONCE: &str = "It looks once (`timeout = \"0s\"`): if that is not so yet, the release pauses; `relman resume` looks again.";
