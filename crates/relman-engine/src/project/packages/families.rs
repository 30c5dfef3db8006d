//! Tag families: which of a repository's tags are a package's releases. A package's tags are
//! matched by its name or folder (`NAME-X.Y.Z`, `NAME-vX.Y.Z`, `NAME@X.Y.Z`, `PATH/vX.Y.Z`; the
//! form holding the highest version wins), over the sorted tags so that each package looks at
//! its own run of them only; tags of a package's shape that no package owns are a retired
//! package's; and tags of a name that a new member took over are a former namesake's.

use std::collections::HashMap;

use relman_version::scheme::Scheme;
use relman_version::tag_format::{TagFormat, TagRead};
use relman_version::version::Version;

use super::detect::Candidate;
use super::stale_root;
use super::{Owners, Retired};
use crate::project::Project;

impl Project {
    /// Whether tags of a member's name are another package's that had the name before: the
    /// member's manifest holds a version below the newest of them and did not exist when it was
    /// tagged. pnpm's Rust crate `pnpm-default-reporter` (0.0.1, new) is not the npm package
    /// tagged `pnpm-default-reporter@0.20.1` in 2018. Asked only of a member behind its tags,
    /// which would stop every command otherwise.
    pub(super) fn tags_of_a_former_namesake(
        &self,
        candidate: &Candidate<'_>,
        format: &TagFormat,
        scheme: &Scheme,
        tags: &[&str],
    ) -> bool {
        let Some(member) = candidate.member.filter(|_| candidate.options.is_none()) else {
            return false;
        };
        let Some(version) = member
            .version
            .as_deref()
            .and_then(|text| scheme.parse(text).ok())
        else {
            return false;
        };
        let range = with_prefix(tags, format.prefix());
        let Some(newest) = stale_root::newest_tag(format, scheme, &tags[range]) else {
            return false;
        };
        let behind =
            matches!(format.read(newest, scheme), TagRead::Release(tagged) if tagged > version);
        behind
            && matches!(
                self.repo
                    .show_file(&format!("refs/tags/{newest}"), &member.manifest),
                Ok(None)
            )
    }
}

/// An npm name without its scope (`@vitejs/plugin-legacy` → `plugin-legacy`); `None` when it has
/// none.
pub(super) fn unscoped(name: &str) -> Option<&str> {
    name.strip_prefix('@')
        .and_then(|scoped| scoped.split_once('/'))
        .map(|(_, bare)| bare)
        .filter(|bare| !bare.is_empty())
}

/// The form of the package's existing tags holding the highest version (ties: the most tags).
/// A scoped npm package's tags may leave the scope out (vite's `@vitejs/plugin-legacy` is
/// tagged `plugin-legacy@8.2.3`).
pub(super) fn matched_family(
    name: &str,
    path: &str,
    scheme: &Scheme,
    tags: &[&str],
) -> Option<TagFormat> {
    let mut forms = Vec::new();
    for name in std::iter::once(name).chain(unscoped(name)) {
        forms.extend([
            format!("{name}-{{version}}"),
            format!("{name}-v{{version}}"),
            format!("{name}@{{version}}"),
            // rustls' `rustls-post-quantum-v/0.2.4`; `NAME/v1.2.3`, `NAME/1.2.3`.
            format!("{name}-v/{{version}}"),
            format!("{name}/v{{version}}"),
            format!("{name}/{{version}}"),
        ]);
    }
    if !path.is_empty() {
        forms.push(format!("{path}/v{{version}}"));
    }
    let mut best: Option<(Version, usize, TagFormat)> = None;
    for form in forms {
        let Ok(format) = TagFormat::parse(&form) else {
            continue;
        };
        let mut count = 0;
        let mut highest: Option<Version> = None;
        for tag in &tags[with_prefix(tags, format.prefix())] {
            // The version part starts with its number: `grep-v0.3.0` is of `grep-v{version}`.
            let starts_with_digit = format
                .extract(tag)
                .is_some_and(|text| text.starts_with(|c: char| c.is_ascii_digit()));
            if !starts_with_digit {
                continue;
            }
            if let TagRead::Release(version) = format.read(tag, scheme) {
                count += 1;
                if highest.as_ref().is_none_or(|high| version > *high) {
                    highest = Some(version);
                }
            }
        }
        let Some(highest) = highest else {
            continue;
        };
        let better = best
            .as_ref()
            .is_none_or(|(version, most, _)| (&highest, count) > (version, *most));
        if better {
            best = Some((highest, count, format));
        }
    }
    best.map(|(_, _, format)| format)
}

/// Marks the tags `format` reads as releases; how many.
pub(super) fn claim(
    format: &TagFormat,
    scheme: &Scheme,
    tags: &[&str],
    claimed: &mut [bool],
) -> usize {
    let mut count = 0;
    let range = with_prefix(tags, format.prefix());
    for (tag, claimed) in tags[range.clone()].iter().zip(&mut claimed[range]) {
        if matches!(format.read(tag, scheme), TagRead::Release(_)) {
            *claimed = true;
            count += 1;
        }
    }
    count
}

/// Where the tags starting with `prefix` are among `tags`, sorted: a hundred packages each look
/// at their own tags among thousands, not at all of them.
pub(super) fn with_prefix(tags: &[&str], prefix: &str) -> std::ops::Range<usize> {
    let start = tags.partition_point(|tag| *tag < prefix);
    start..start + tags[start..].partition_point(|tag| tag.starts_with(prefix))
}

/// Retired packages: tags of a package's shape that no package owns as a release.
pub(super) fn retired(owners: &Owners, tags: &[&str]) -> Vec<Retired> {
    let mut families: HashMap<String, (usize, Option<(Version, String)>)> = HashMap::new();
    for tag in tags {
        if matches!(owners.owner_of_tag(tag), Some((_, TagRead::Release(_)))) {
            continue;
        }
        let Some(name) = owners.retired_name(tag) else {
            continue;
        };
        let Some((_, version_text)) = super::package_tag_shape(tag) else {
            continue;
        };
        let entry = families.entry(name).or_insert((0, None));
        entry.0 += 1;
        if let Some(version) =
            relman_version::tag_format::read_tag_version(&Scheme::Semver, version_text)
            && entry.1.as_ref().is_none_or(|(high, _)| version > *high)
        {
            entry.1 = Some((version, (*tag).to_owned()));
        }
    }
    let mut retired: Vec<Retired> = families
        .into_iter()
        .map(|(name, (releases, last))| Retired {
            name,
            releases,
            last: last.map(|(_, tag)| tag).unwrap_or_default(),
        })
        .collect();
    retired.sort_by(|a, b| a.name.cmp(&b.name));
    retired
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scoped_package_owns_the_tags_that_leave_its_scope_out() {
        let mut tags = [
            "v8.2.2",
            "plugin-legacy@8.2.2",
            "plugin-legacy@8.2.3",
            "create-vite@9.1.2",
        ];
        tags.sort_unstable();
        let format = matched_family(
            "@vitejs/plugin-legacy",
            "packages/plugin-legacy",
            &Scheme::Semver,
            &tags,
        )
        .unwrap();
        assert_eq!(format.to_string(), "plugin-legacy@{version}");
        assert!(matched_family("@vitejs/", "x", &Scheme::Semver, &tags).is_none());
    }

    #[test]
    fn the_newest_form_of_a_family_wins() {
        let mut tags = [
            "sub/v1.0.0",
            "grep-0.1.0",
            "grep-v0.3.0",
            "grep-0.2.0",
            "grep-cli-0.9.0",
        ];
        tags.sort_unstable();
        let format = matched_family("grep", "crates/grep", &Scheme::Semver, &tags).unwrap();
        assert_eq!(format.to_string(), "grep-v{version}");
        let format = matched_family("sub", "sub", &Scheme::Semver, &tags).unwrap();
        assert_eq!(format.to_string(), "sub/v{version}");
        assert!(matched_family("none", "x", &Scheme::Semver, &tags).is_none());
    }

    #[test]
    fn the_tags_of_a_prefix_are_one_run_of_the_sorted_tags() {
        let tags = [
            "a-1.0.0",
            "b-1.0.0",
            "b-2.0.0",
            "b-cli-1.0.0",
            "bb-1.0.0",
            "c",
        ];
        assert_eq!(with_prefix(&tags, "b-"), 1..4);
        assert_eq!(with_prefix(&tags, "b-cli-"), 3..4);
        assert_eq!(with_prefix(&tags, ""), 0..6);
        assert_eq!(with_prefix(&tags, "d-"), 6..6);
        assert_eq!(with_prefix(&tags, "0"), 0..0);
    }
}
