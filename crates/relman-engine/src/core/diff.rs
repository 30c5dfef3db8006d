//! Unified diffs of the files a plan would change, as `git diff` shows them.

use similar::TextDiff;

/// A unified diff of `before` → `after` for `path` (`None` before: a new file).
pub fn unified_diff(path: &str, before: Option<&str>, after: &str) -> String {
    let old = before.unwrap_or("");
    let diff = TextDiff::from_lines(old, after);
    let old_name = if before.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".to_owned()
    };
    diff.unified_diff()
        .context_radius(2)
        .header(&old_name, &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn shows_only_the_changed_lines_with_context() {
        let diff = super::unified_diff(
            "setup.py",
            Some("a\nb\nVERSION = \"1.0\"\nc\nd\ne\n"),
            "a\nb\nVERSION = \"1.1\"\nc\nd\ne\n",
        );
        assert_eq!(
            diff,
            "--- a/setup.py\n+++ b/setup.py\n@@ -1,5 +1,5 @@\n a\n b\n-VERSION = \"1.0\"\n+VERSION = \"1.1\"\n c\n d\n"
        );
    }
}
