//! Inline text of a runbook: Markdown links and emphasis taken off, code spans found, and text
//! turned into relman templates (braces escaped except around relman's own variables, example
//! versions replaced by `{version}`).

use std::sync::LazyLock;

use regex::Regex;

use crate::template::VARIABLES;

/// An example version in a runbook: `1.2.3`, `v2.1.3`, `1.3.0a0`, `1.2.3-rc.1`.
pub(crate) static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(v?)(\d+\.\d+\.\d+(?:[-.]?(?:a|b|c|rc|alpha|beta|dev|post|pre)\.?\d*)?)\b")
        .expect("the version expression is valid")
});

/// A runbook's placeholder for the version or a part of it: `X.Y.Z`, `vX.Y.Z`, `<version>`,
/// `$VERSION`, `${VERSION}`, `{VERSION}`, `MAJOR.MINOR.PATCH`, `M.N.P`, `YY.N`, `1.XX.0`, and `VERSION` joined to
/// a name (`vVERSION`, `demo-VERSION.gem`, never the `VERSION` file alone); `X.Y` and
/// `MAJOR.MINOR` for a series; `<tag>`, `$NEW_TAG`. A shell variable named for the version or
/// the tag (`$VER_NUM`, `${VERSION_NUMBER}`, `$new_version`, `$RELEASE_TAG`, `$TAG_NAME`) is
/// one; one for another version (`$BASE_TAG`, `$PREV_VERSION`) is not.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<next>\bYY\.N\+1\b)
      | (?P<version>
            \bv?[Xx]\.[Yy]\.[Zz]\b
          | \bv?[Xx]\.[Xx]\.[Xx]\b
          | \bMAJOR\.MINOR\.(?:PATCH|MICRO)\b
          | \bv?M\.N\.P\b
          | \bYY\.N(?:\.Z\+1|\.Z)?\b
          | \b[Mm]ajor\.[Mm]inor\.(?:[Pp]atch|[Mm]icro)\b
          | <\s*(?:new[-_ ]?|release[-_ ]?)?version\s*>
          | <\s*(?:NEW_|RELEASE_)?VERSION\s*>
          | \$\{(?:NEW_|RELEASE_)?VERSION\}
          | \$(?:NEW_|RELEASE_)?VERSION\b
          | \$\{?(?:NEW_|RELEASE_)?(?:VER|VERSION)_?(?:NUM|NUMBER|STR|STRING)\b\}?
          | \$\{?(?:new_|release_)?version\b\}?
          | \{(?:NEW_|RELEASE_)?VERSION\}
          | <\s*major\s*>\.<\s*minor\s*>\.<\s*patch\s*>
          | \bv?\d+\.XX\.\d+\b
          | \bv?\d+\.[xX]\.\d+\b
          | \bvVERSION\b
          | \[(?:CURRENT_|NEW_|RELEASE_)?VERSION\]
        )
      | (?P<joined>-)VERSION\b
      | (?P<series>
            \bv?[Xx]\.[Yy]\b(?:\.[Xx]\b)?
          | \bMAJOR\.MINOR\b
          | <\s*major\s*>\.<\s*minor\s*>
        )
      | (?P<tag><\s*(?:(?:new|release|the)[-_\s])?(?:git[-_\s])?tag(?:[-_\s]name)?\s*>|\$\{(?:NEW_|new_|RELEASE_|release_)?(?:TAG|tag)(?:_NAME|_name)?\}|\$(?:NEW_|new_|RELEASE_|release_)?(?:TAG|tag)(?:_NAME|_name)?\b)",
    )
    .expect("the placeholder expression is valid")
});

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"!?\[([^\]]*)\]\(([^)\s]*)\)").expect("the link expression is valid")
});

/// A reference-style link (`[GitHub Actions][ci]`, `[the release page][]`): its text.
static REFERENCE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[([^\]]+)\]\[[^\]]*\]").expect("the reference link expression is valid")
});

static RST_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"`([^`<]+?)\s*<([^>]+)>`__?").expect("the rst link expression is valid")
});

/// The text as a person reads it: links reduced to their text, `**bold**` and rst roles
/// unwrapped, whitespace collapsed. Code spans keep their backticks.
pub(crate) fn clean(text: &str) -> String {
    // A task list's box (`[ ] Update …`, `[x] …`) is not part of the task.
    let text = text.trim_start();
    let text = ["[ ] ", "[x] ", "[X] "]
        .iter()
        .find_map(|mark| text.strip_prefix(mark))
        .unwrap_or(text);
    let text = LINK.replace_all(text, "$1");
    let text = REFERENCE_LINK.replace_all(&text, "$1");
    let text = RST_LINK.replace_all(&text, "$1");
    let text = text.replace("**", "").replace("``", "`");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text without backticks, lower-cased, for matching phrases; "Pull-Request" is spelt as
/// "pull request" (same length, so offsets hold).
pub(crate) fn plain(text: &str) -> String {
    text.replace('`', "")
        .to_lowercase()
        .replace("pull-request", "pull request")
        .replace("merge-request", "merge request")
}

/// The contents of the code spans of `text` (already [`clean`]ed), with their byte offsets.
pub(crate) fn code_spans(text: &str) -> Vec<(usize, String)> {
    let mut spans = Vec::new();
    let mut rest = text;
    let mut base = 0;
    while let Some(start) = rest.find('`') {
        let Some(length) = rest[start + 1..].find('`') else {
            break;
        };
        let content = &rest[start + 1..start + 1 + length];
        if !content.trim().is_empty() {
            spans.push((base + start, content.trim().to_owned()));
        }
        let end = start + 1 + length + 1;
        base += end;
        rest = &rest[end..];
    }
    spans
}

/// Text for a template that should show literally (a manual step's words): braces are escaped
/// except around relman's own variables (`{version}`, `{ minor }` → `{minor}`).
pub(crate) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if tail.starts_with('{')
            && let Some(close) = tail.find('}')
        {
            let name = tail[1..close].trim();
            if VARIABLES.contains(&name) {
                out.push('{');
                out.push_str(name);
                out.push('}');
                rest = &tail[close + 1..];
                continue;
            }
        }
        let brace = &tail[..1];
        out.push_str(brace);
        out.push_str(brace);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// Text for a template that names the release (a commit message, a tag, a branch): like
/// [`templated`], with example versions replaced by `{version}` too (`v1.2.3` → `v{version}`),
/// and an example series branch by the release's (`7.1.x` → `{major}.{minor}.x`).
pub(crate) fn versioned(text: &str) -> String {
    static SERIES_BRANCH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b\d+\.\d+\.x\b").expect("the series branch expression is valid")
    });
    let replaced = VERSION.replace_all(text, "${1}\u{0}VERSION\u{0}");
    let replaced = SERIES_BRANCH.replace_all(&replaced, "\u{0}SERIES\u{0}.x");
    templated(&replaced)
}

/// Text for a template (a command, a person's instructions): like [`literal`], with the
/// runbook's placeholders for the version (`X.Y.Z`, `<version>`, `$VERSION` …) turned into
/// `{version}`, those for a series (`X.Y`) into `{major}.{minor}`, and `<tag>` into `{tag}`.
/// Example versions stay as written (a command may pin a tool's version).
pub(crate) fn templated(text: &str) -> String {
    let marked = PLACEHOLDER.replace_all(text, |captures: &regex::Captures<'_>| {
        // `vX.Y.Z` keeps its `v`: it is the tag's spelling.
        let v = if captures[0].starts_with('v') {
            "v"
        } else {
            ""
        };
        // The series after this one (`YY.N+1`) has no template: it stays as written.
        if captures.name("next").is_some() {
            return captures[0].to_owned();
        }
        let marker = if captures.name("version").is_some() {
            "\u{0}VERSION\u{0}"
        } else if let Some(joined) = captures.name("joined") {
            return format!("{}\u{0}VERSION\u{0}", joined.as_str());
        } else if captures.name("series").is_some() {
            "\u{0}SERIES\u{0}"
        } else {
            "\u{0}TAG\u{0}"
        };
        format!("{v}{marker}")
    });
    literal(&marked)
        .replace("\u{0}VERSION\u{0}", "{version}")
        .replace("\u{0}SERIES\u{0}", "{major}.{minor}")
        .replace("\u{0}TAG\u{0}", "{tag}")
}

/// Whether `text` holds one of the runbook's placeholders for the version.
pub(crate) fn has_placeholder(text: &str) -> bool {
    PLACEHOLDER.is_match(text)
}

/// Whether `text` holds an example version, a placeholder for it, or `{version}`.
pub(crate) fn names_version(text: &str) -> bool {
    VERSION.is_match(text)
        || has_placeholder(text)
        || text.contains("{version}")
        || text.contains("{tag}")
}

/// Sentence-ish clauses of `text` with their offsets: cut at `. `, `; ` and `, ` so that each
/// instruction of a line ("Commit this change to master and push on github") is read alone.
pub(crate) fn clauses(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut in_code = false;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'`' => in_code = !in_code,
            b'.' | b';' | b',' if !in_code && bytes.get(index + 1) == Some(&b' ') => {
                out.push((start, &text[start..index]));
                start = index + 2;
            }
            _ => {}
        }
        index += 1;
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out.retain(|(_, clause)| !clause.trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_templates() {
        for (written, drafted) in [
            ("git tag vX.Y.Z", "git tag v{version}"),
            (
                "twine upload dist/pkg-<version>*",
                "twine upload dist/pkg-{version}*",
            ),
            (
                "echo $VERSION and ${VERSION}",
                "echo {version} and {version}",
            ),
            ("release-MAJOR.MINOR.PATCH", "release-{version}"),
            ("branch X.Y.x for <tag>", "branch {major}.{minor} for {tag}"),
            ("tox -e release -- {VERSION}", "tox -e release -- {version}"),
            ("pin 1.2.3 and {other}", "pin 1.2.3 and {{other}}"),
            ("git tag -s vVERSION", "git tag -s v{version}"),
            ("gem push demo-VERSION.gem", "gem push demo-{version}.gem"),
            (
                "the VERSION file, VERSION_NAME=",
                "the VERSION file, VERSION_NAME=",
            ),
            ("Version v1.XX.0", "Version v{version}"),
            ("image:v0.x.0 on 7.1.x", "image:v{version} on 7.1.x"),
            (
                "Release :gem: v[CURRENT_VERSION]",
                "Release :gem: v{version}",
            ),
            ("git tag -s vM.N.P", "git tag -s v{version}"),
            (
                "release/YY.N and YY.N.Z+1",
                "release/{version} and {version}",
            ),
            ("notes of ${NEW_TAG} and $TAG", "notes of {tag} and {tag}"),
            (
                "git tag -as $VER_NUM -m ${VERSION_NUMBER}; echo $new_version",
                "git tag -as {version} -m {version}; echo {version}",
            ),
            (
                "push $RELEASE_TAG ${TAG_NAME} but not $BASE_TAG or $PREV_VERSION",
                "push {tag} {tag} but not $BASE_TAG or $PREV_VERSION",
            ),
            (
                "git tag -s \"pkg/${tag}\" -m $tag",
                "git tag -s \"pkg/{tag}\" -m {tag}",
            ),
        ] {
            assert_eq!(templated(written), drafted, "{written}");
        }
        assert_eq!(clean("[ ] Bump `x`"), "Bump `x`");
    }

    use super::*;

    #[test]
    fn cleaning_keeps_what_a_reader_sees() {
        assert_eq!(
            clean("Confirm that [`VERSION`](setup.py) has   been **changed**"),
            "Confirm that `VERSION` has been changed"
        );
        assert_eq!(
            clean("Wait for [the builds][ci] and [the page][]"),
            "Wait for the builds and the page"
        );
        assert_eq!(
            clean("Taken from `here <https://x.org>`_:"),
            "Taken from here:"
        );
    }

    #[test]
    fn code_spans_with_offsets() {
        assert_eq!(
            code_spans("Run `make format` then `towncrier`."),
            [(4, "make format".to_owned()), (23, "towncrier".to_owned())]
        );
    }

    #[test]
    fn templates_escape_braces_but_keep_variables() {
        assert_eq!(
            literal("use {major}.{ minor} and {x}"),
            "use {major}.{minor} and {{x}}"
        );
        assert_eq!(literal("a } b"), "a }} b");
        assert_eq!(versioned("Release 1.2.3"), "Release {version}");
        assert_eq!(versioned("v2.1.3"), "v{version}");
        assert_eq!(versioned("chore: tag {version}"), "chore: tag {version}");
        assert_eq!(
            versioned("__version__ = 1.3.0a0"),
            "__version__ = {version}"
        );
    }

    #[test]
    fn clauses_cut_at_punctuation_outside_code() {
        let text = "Open `a.py`, increment it. Commit, then push";
        let parts: Vec<&str> = clauses(text).into_iter().map(|(_, c)| c).collect();
        assert_eq!(
            parts,
            ["Open `a.py`", "increment it", "Commit", "then push"]
        );
    }
}
