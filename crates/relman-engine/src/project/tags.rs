//! The project's tags: which are its releases (the tag format, the scheme and `ignore-tags`
//! decide), which are not (another package's `globset-0.4.20`, `rpm-0.1`, `2.3.x`, junk) and are
//! ignored with one summary line, and the `ignore-tags` globs that name the latter without
//! naming any release.

use relman_git::TagKind;
use relman_version::tag_format::TagRead;
use relman_version::version::Version;

use super::{Project, ProjectError};

/// A release tag of the project.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseTag {
    pub tag: String,
    pub version: Version,
}

impl Project {
    /// What `tag` is to this project.
    pub(super) fn classify(&self, tag: &str) -> TagKind<Version> {
        if self
            .ignore_tags
            .as_ref()
            .is_some_and(|globs| globs.is_match(tag))
        {
            return TagKind::Unrelated;
        }
        if let Some(scope) = &self.scope {
            return self.classify_scoped(scope, tag);
        }
        match self.tag_format.read(tag, &self.scheme) {
            TagRead::Release(version) if version.is_prerelease() => TagKind::PreRelease(version),
            TagRead::Release(version) => TagKind::Release(version),
            TagRead::NotRelease => TagKind::Malformed,
            TagRead::Other => TagKind::Unrelated,
        }
    }

    /// Every release tag in the repository (reachable or not), and the tags in the format that
    /// are no releases; read from files, no git process.
    pub fn release_tags(&self) -> Result<(Vec<ReleaseTag>, Vec<String>), ProjectError> {
        Ok(self.release_tags_among(&self.repo.tag_names()?))
    }

    /// [`release_tags`](Self::release_tags) among tag names already read.
    pub(crate) fn release_tags_among(&self, names: &[String]) -> (Vec<ReleaseTag>, Vec<String>) {
        let mut releases = Vec::new();
        let mut ignored = Vec::new();
        for tag in names {
            match self.classify(tag) {
                TagKind::Release(version) | TagKind::PreRelease(version) => {
                    releases.push(ReleaseTag {
                        tag: tag.clone(),
                        version,
                    });
                }
                TagKind::Malformed => ignored.push(tag.clone()),
                TagKind::Unrelated => {}
            }
        }
        (releases, ignored)
    }

    /// The one line that says which tags were ignored, `None` when none were.
    pub fn ignored_tags_note(&self, ignored: &[String]) -> Option<String> {
        if ignored.is_empty() {
            return None;
        }
        let (releases, _) = self.release_tags().unwrap_or_default();
        let release_names: Vec<&str> = releases
            .iter()
            .map(|release| release.tag.as_str())
            .collect();
        let globs = ignore_globs(ignored, &release_names);
        let shown: Vec<String> = globs
            .iter()
            .take(5)
            .map(|glob| format!("\"{glob}\""))
            .collect();
        let more = if globs.len() > 5 { ", …" } else { "" };
        Some(format!(
            "{} tag{} in the form `{}` {} no release of this project and {} ignored ({}); \
             `ignore-tags = [{}{more}]` under `[project]` in relman.toml says so and silences this",
            ignored.len(),
            if ignored.len() == 1 { "" } else { "s" },
            self.tag_format,
            if ignored.len() == 1 { "is" } else { "are" },
            if ignored.len() == 1 { "was" } else { "were" },
            listed(ignored),
            shown.join(", "),
        ))
    }
}

/// At most four tags, in backticks; the rest counted.
fn listed(tags: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut text = tags
        .iter()
        .take(SHOWN)
        .map(|tag| format!("`{tag}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if tags.len() > SHOWN {
        text.push_str(&format!(" and {} more", tags.len() - SHOWN));
    }
    text
}

/// `ignore-tags` globs for tags that are no releases, one per family rather than one per tag:
/// `globset-0.4.20` → `globset-*`, `2.3.x` → `*.*.x`; a tag whose family glob would also match
/// a release in `releases` (or that has no family: `-`, `v1.2.3.4`) is written literally.
pub fn ignore_globs(ignored: &[String], releases: &[&str]) -> Vec<String> {
    let mut globs: Vec<String> = Vec::new();
    for tag in ignored {
        let names_no_release = |glob: &String| {
            globset::Glob::new(glob).is_ok_and(|glob| {
                let matcher = glob.compile_matcher();
                !releases.iter().any(|release| matcher.is_match(release))
            })
        };
        let glob = family_globs(tag)
            .into_iter()
            .find(names_no_release)
            .unwrap_or_else(|| globset::escape(tag));
        if !globs.contains(&glob) {
            globs.push(glob);
        }
    }
    globs.sort();
    globs
}

/// Globs of the family a tag belongs to, broadest first: the name before its version
/// (`globset-*`), then the tag with each number made a `*` when letters follow its first number
/// (`*.*.x`, `jq-*.*rc*`). A tag of numbers only (`v1.2.3.4`) has no family: a glob of it would
/// also match future releases.
fn family_globs(tag: &str) -> Vec<String> {
    let mut globs = Vec::new();
    // Where a version starts: a digit at the start or after a separator or a `v`
    // (`grep-pcre2-0.1.0` is the family `grep-pcre2-`).
    let Some(first_digit) = tag.char_indices().find_map(|(index, c)| {
        let starts = c.is_ascii_digit()
            && (index == 0
                || tag[..index].ends_with(['-', '_', '@', '/', '.'])
                || (tag[..index].ends_with(['v', 'V'])
                    && (index == 1 || tag[..index - 1].ends_with(['-', '_', '@', '/']))));
        starts.then_some(index)
    }) else {
        return globs;
    };
    let prefix = &tag[..first_digit];
    let named = prefix
        .trim_end_matches(['v', 'V'])
        .trim_end_matches(['-', '_', '@', '/']);
    if named.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
        globs.push(format!("{}*", globset::escape(prefix)));
    }
    if tag[first_digit..].contains(|c: char| c.is_ascii_alphabetic()) {
        let mut glob = String::new();
        let mut in_number = false;
        for c in tag.chars() {
            if c.is_ascii_digit() {
                if !in_number {
                    glob.push('*');
                }
                in_number = true;
            } else {
                in_number = false;
                glob.push_str(&globset::escape(&c.to_string()));
            }
        }
        globs.push(glob);
    }
    globs
}

#[cfg(test)]
mod tests {
    use super::ignore_globs;

    fn globs(ignored: &[&str], releases: &[&str]) -> Vec<String> {
        let ignored: Vec<String> = ignored.iter().map(|tag| (*tag).to_owned()).collect();
        ignore_globs(&ignored, releases)
    }

    #[test]
    fn one_glob_per_family() {
        assert_eq!(
            globs(
                &[
                    "globset-0.4.20",
                    "globset-0.4.21",
                    "grep-0.2.1",
                    "grep-pcre2-0.1.8",
                    "rpm-0.1"
                ],
                &["14.1.0"]
            ),
            ["globset-*", "grep-*", "grep-pcre2-*", "rpm-*"]
        );
        assert_eq!(
            globs(&["1.x", "2.x", "8.0.x"], &["8.1.0"]),
            ["*.*.x", "*.x"]
        );
        assert_eq!(globs(&["-", "v1.2.3.4"], &["v1.0.0"]), ["-", "v1.2.3.4"]);
        assert_eq!(
            globs(&["jq-1.5rc1", "jq-1.6rc1"], &["jq-1.5", "jq-1.6"]),
            ["jq-*.*rc*"]
        );
    }

    #[test]
    fn a_glob_never_names_a_release() {
        // The family is the whole name before the number, never a word releases share.
        assert_eq!(
            globs(&["release-candidate-3"], &["release-2.0.0"]),
            ["release-candidate-*"]
        );
        assert_eq!(globs(&["ab-1"], &["ab-1.0.0"]), ["ab-1"]);
    }
}
