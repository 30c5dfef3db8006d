//! Versions whose numbers are joined by `_` in tags, as CVS-era projects and curl spell them
//! (`v1_9_0`, `curl-8_21_0`, a pre-release `curl-8_0_0-rc1`): read as the dotted version, and
//! written back so when the project's newest tag was.

/// The dotted spelling of `text` when its leading numbers are joined by `_` and by nothing else
/// (`8_21_0-rc1` → `8.21.0-rc1`); `None` for anything else (`8.21.0`, `3.24.0_alpha2`, `8`).
pub(super) fn undotted(text: &str) -> Option<String> {
    let body = text.strip_prefix('v').unwrap_or(text);
    let end = body
        .find(|c: char| !c.is_ascii_digit() && c != '_')
        .unwrap_or(body.len());
    let (core, rest) = body.split_at(end);
    if rest.starts_with('.') || !core.contains('_') {
        return None;
    }
    let numbers: Vec<&str> = core.split('_').collect();
    if numbers.iter().any(|number| number.is_empty()) {
        return None;
    }
    Some(format!("{}{rest}", numbers.join(".")))
}

/// `version` with the dots of its leading numbers spelt `_` (`1.9.1` → `1_9_1`).
pub(super) fn spell(version: &str) -> String {
    let end = version
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(version.len());
    format!("{}{}", version[..end].replace('.', "_"), &version[end..])
}

/// Whether the digit at `at` in `tag` continues a number joined by `_` to the digits before it
/// (`9` in `v1_9_0`), so no version starts there.
pub(super) fn continues_a_number(tag: &str, at: usize) -> bool {
    let bytes = tag.as_bytes();
    at >= 2 && bytes[at - 1] == b'_' && bytes[at - 2].is_ascii_digit() && {
        let rest = &tag[at..];
        let end = rest
            .find(|c: char| !c.is_ascii_digit() && c != '_')
            .unwrap_or(rest.len());
        !rest[end..].starts_with('.')
    }
}
