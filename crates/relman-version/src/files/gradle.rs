//! Gradle builds that state the version in a build script rather than `gradle.properties`:
//! `version = "5.5.0-SNAPSHOT"` in the root `build.gradle(.kts)` or in a convention plugin of
//! `buildSrc` or `build-logic` (okhttp's `okhttp.base-conventions.gradle.kts`, which every
//! module applies). Such a file becomes a pattern version file, `version = "{version}"` spelt
//! as the script spells it, when exactly one literal assignment holds a version; an assignment
//! computed in code (`version = project.property("VERSION_NAME")`) is no version file.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::VersionFileSpec;

/// A whole-line literal assignment of the project version.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t]*(version[ \t]*=[ \t]*)(["'])([0-9][0-9A-Za-z.+\-]*)["'][ \t]*$"#)
        .expect("a literal regex compiles")
});

/// Folders whose scripts are convention plugins every module of the build applies.
const CONVENTION_FOLDERS: [&str; 4] = [
    "buildSrc/src/main/kotlin",
    "buildSrc/src/main/groovy",
    "build-logic/src/main/kotlin",
    "build-logic/src/main/groovy",
];

/// The build scripts that assign the project's version a literal, as pattern version files.
pub(super) fn version_files(root: &Path) -> Vec<VersionFileSpec> {
    let mut candidates: Vec<PathBuf> = ["build.gradle.kts", "build.gradle"]
        .iter()
        .map(PathBuf::from)
        .collect();
    for folder in CONVENTION_FOLDERS {
        let Ok(entries) = fs_err::read_dir(root.join(folder)) else {
            continue;
        };
        let mut scripts: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".gradle.kts") || name.ends_with(".gradle"))
            .map(|name| Path::new(folder).join(name))
            .collect();
        scripts.sort();
        candidates.extend(scripts);
    }
    candidates
        .into_iter()
        .filter_map(|path| {
            let full = root.join(&path);
            if !full.is_file() {
                return None;
            }
            let text = super::read_text_bounded(&full, super::bounded::MAX_VERSION_FILE).ok()?;
            let pattern = assignment_pattern(&text)?;
            VersionFileSpec::pattern(path, &pattern).ok()
        })
        .collect()
}

/// `version = "{version}"` as the script spells its one literal assignment; `None` for none or
/// several.
fn assignment_pattern(text: &str) -> Option<String> {
    let mut found = ASSIGNMENT.captures_iter(text);
    let first = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let quote = &first[2];
    Some(format!("{}{quote}{{version}}{quote}", &first[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_literal_assignment_is_a_pattern() {
        let okhttp = "group = \"com.example\"\nversion = \"5.5.0-SNAPSHOT\"\n\nval x = 1\n";
        assert_eq!(
            assignment_pattern(okhttp).as_deref(),
            Some("version = \"{version}\"")
        );
        let groovy = "allprojects {\n    version='1.2.0'\n}\n";
        assert_eq!(
            assignment_pattern(groovy).as_deref(),
            Some("version='{version}'")
        );
    }

    #[test]
    fn computed_or_repeated_assignments_are_not() {
        let computed = "  version = project.property(\"VERSION_NAME\") as String\n";
        assert_eq!(assignment_pattern(computed), None);
        let other = "jvmVersion = \"17\"\nkotlin { version = \"2.1.0\" }\n";
        assert_eq!(assignment_pattern(other), None);
        let twice = "version = \"1.0\"\nsubprojects {\n  version = \"2.0\"\n}\n";
        assert_eq!(assignment_pattern(twice), None);
    }
}
