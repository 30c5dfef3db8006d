//! Keeping secrets out of what this crate shows: command lines rendered into errors and git's own
//! stderr. A `-c` value whose key carries credentials (`credential.*`, `http.*.extraheader`) is
//! replaced, and so is the userinfo of any URL (`https://user:token@host/...`).

use std::borrow::Cow;
use std::ffi::OsStr;

const MASK: &str = "***";

/// Renders `git` and its arguments as one shell-like line, quoting where needed, with secrets masked.
pub(crate) fn render_command(args: &[impl AsRef<OsStr>]) -> String {
    let mut line = String::from("git");
    let mut previous_was_config_flag = false;
    for arg in args {
        let text = arg.as_ref().to_string_lossy();
        let shown = if previous_was_config_flag {
            redact_config_pair(&text)
        } else {
            redact_urls(&text)
        };
        previous_was_config_flag = text == "-c";
        line.push(' ');
        line.push_str(&quote(&shown));
    }
    line
}

/// `key=value` as given to `git -c`: the value is masked when the key names a credential.
fn redact_config_pair(pair: &str) -> Cow<'_, str> {
    let (key, _) = pair.split_once('=').unwrap_or((pair, ""));
    let lower = key.to_ascii_lowercase();
    if lower.contains("credential") || lower.contains("extraheader") || lower.contains("token") {
        Cow::Owned(format!("{key}={MASK}"))
    } else {
        redact_urls(pair)
    }
}

/// Masks the userinfo (`user:password@`) of every URL in `text`.
pub(crate) fn redact_urls(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(scheme_end) = rest.find("://") {
        let authority_start = scheme_end + 3;
        out.push_str(&rest[..authority_start]);
        let after = &rest[authority_start..];
        let authority_len = after
            .find(|c: char| c == '/' || c.is_whitespace() || matches!(c, '\'' | '"' | '`'))
            .unwrap_or(after.len());
        let authority = &after[..authority_len];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str(MASK);
                out.push_str(&authority[at..]);
                changed = true;
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_len..];
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Single-quotes an argument when a shell would split or expand it.
fn quote(arg: &str) -> Cow<'_, str> {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,^~".contains(&b));
    if plain {
        Cow::Borrowed(arg)
    } else {
        Cow::Owned(format!("'{}'", arg.replace('\'', r"'\''")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_credential_config_values() {
        let line = render_command(&[
            "-c",
            "credential.helper=!f() { echo password=s3cret; }; f",
            "-c",
            "http.https://github.com/.extraheader=AUTHORIZATION: basic abc",
            "-c",
            "user.name=Jo",
            "push",
            "origin",
        ]);
        assert_eq!(
            line,
            "git -c 'credential.helper=***' -c 'http.https://github.com/.extraheader=***' \
             -c user.name=Jo push origin"
        );
        assert!(!line.contains("s3cret"));
    }

    #[test]
    fn masks_userinfo_in_urls() {
        assert_eq!(
            redact_urls("fatal: unable to access 'https://x-access-token:ghs_1@github.com/o/r/'"),
            "fatal: unable to access 'https://***@github.com/o/r/'"
        );
        assert_eq!(
            redact_urls("a https://u@h/x and ssh://git@h:22/y"),
            "a https://***@h/x and ssh://***@h:22/y"
        );
        assert!(matches!(
            redact_urls("https://github.com/o/r"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            render_command(&["fetch", "https://t:p@h/r"]),
            "git fetch 'https://***@h/r'"
        );
    }

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(
            render_command(&["log", "--format=%H%x00", "v1.0..HEAD", "it's"]),
            "git log --format=%H%x00 v1.0..HEAD 'it'\\''s'"
        );
    }
}
