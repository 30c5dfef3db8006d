//! A Go module's version constant: the `Version = "..."` a project builds into its binary or
//! library (`const Version = "1.85.0-dev"` in `version.go`, an aligned `Version   = "3.8.0"` in
//! a `const (...)` block of `version/version.go`). It is proposed as a pattern file, so the
//! release writes the version the module reports, not only the tag.

use std::sync::LazyLock;

use regex::Regex;

/// The Go files where projects keep that constant, relative to the module root.
pub(super) const FILES: &[&str] = &["version.go", "version/version.go"];

/// The pattern locating the one `Version` string assignment of `text` (`const Version =
/// "{version}"`, the line's start kept so that `MinClusterVersion` and comments never match),
/// or `None` when there is none, more than one, or its value reads as no version (`"dev"`).
pub(super) fn version_pattern(text: &str) -> Option<String> {
    static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?m)^[ \t]*(?:(?:const|var)[ \t]+)?Version(?:[ \t]+string)?[ \t]*=[ \t]*"[^"\\\r\n]*""#,
        )
        .expect("the Go version assignment expression is valid")
    });
    let mut found = ASSIGNMENT.find_iter(text);
    let line = found.next()?.as_str();
    if found.next().is_some() {
        return None;
    }
    let open = line[..line.len() - 1].rfind('"')?;
    if !super::text::looks_like_version(&line[open + 1..line.len() - 1]) {
        return None;
    }
    Some(format!("{}{{version}}\"", &line[..=open]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_version_assignment_is_the_pattern() {
        let text = "package grpc\n\n// Version is the current grpc version.\nconst Version = \"1.85.0-dev\"\n";
        assert_eq!(
            version_pattern(text).as_deref(),
            Some("const Version = \"{version}\"")
        );
        let block = "const (\n\tMinClusterVersion = \"3.0.0\"\n\tVersion           = \"3.8.0-alpha.0\"\n\tAPIVersion        = \"unknown\"\n)\n";
        assert_eq!(
            version_pattern(block).as_deref(),
            Some("\tVersion           = \"{version}\"")
        );
        assert_eq!(
            version_pattern("var Version string = \"0.4.1\"\n").as_deref(),
            Some("var Version string = \"{version}\"")
        );
    }

    #[test]
    fn no_literal_or_two_of_them_is_no_pattern() {
        // terraform's `version.go` fills `Version` from an embedded `VERSION` file.
        assert_eq!(version_pattern("var Version string\n"), None);
        assert_eq!(version_pattern("// Version = \"1.0.0\"\n"), None);
        assert_eq!(version_pattern("var Version = \"dev\"\n"), None);
        assert_eq!(
            version_pattern("const Version = \"1.0.0\"\nvar Version = \"2.0.0\"\n"),
            None
        );
    }
}
