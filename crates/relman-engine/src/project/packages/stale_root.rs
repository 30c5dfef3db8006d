//! A root whose own release tags stopped long before its packages' did. kustomize tagged its
//! root `v3.3.1` in 2019 and has released its modules since as `kustomize/v5.8.1`,
//! `api/v0.21.1` …: with no version file of its own, the root's old tags are history, not a
//! package to release again as if current (`3.4.0`, five thousand commits later). Likewise a
//! member whose tags stopped long ago while its version went on (see `left_behind`).

use relman_git::Repository;
use relman_version::scheme::Scheme;
use relman_version::tag_format::{TagFormat, TagRead};
use relman_version::version::Version;

/// How long a root goes without a release of its own, while a package below it releases,
/// before its tags are taken as stopped: a year, so a root that releases less often than its
/// packages, but still releases, stays a package.
const STOPPED_FOR: i64 = 365 * 24 * 60 * 60;

/// The newest release tag `format` reads among `tags`.
pub(super) fn newest_tag<'t>(
    format: &TagFormat,
    scheme: &Scheme,
    tags: &[&'t str],
) -> Option<&'t str> {
    tags.iter()
        .filter_map(|tag| match format.read(tag, scheme) {
            TagRead::Release(version) => Some((version, *tag)),
            _ => None,
        })
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, tag)| tag)
}

/// Whether the root's newest release, `root_tag`, was made a year or more before the newest of
/// the packages' newest releases (`package_tags`). A tag git cannot date (one naming a tree)
/// leaves the root a package, as it was.
pub(super) fn stopped(repo: &Repository, root_tag: &str, package_tags: &[&str]) -> bool {
    let time = |tags: &[&str]| repo.newest_tag_time(tags).ok().flatten();
    match (time(&[root_tag]), time(package_tags)) {
        (Some(root), Some(newest_package)) => root + STOPPED_FOR <= newest_package,
        _ => false,
    }
}

/// Whether a member's own tags were left behind: its newest release tag, `member_tag` at
/// `tagged`, was made a year or more before the root's newest release, `root_tag`, and the
/// member's manifest has moved on since by more than one release (wasmtime's `cranelift` at
/// 0.136.0-dev, tagged `cranelift-v0.69.0` in 2021 and released with every wasmtime since,
/// untagged). Such a crate is released without tags of its own; its old tags are history.
pub(super) fn left_behind(
    repo: &Repository,
    member_tag: &str,
    tagged: &Version,
    current: &Version,
    root_tag: &str,
) -> bool {
    !within_one_release(tagged, current) && stopped(repo, member_tag, &[root_tag])
}

/// Whether `current` is `tagged` or one release after it (a patch, minor or major step, or a
/// pre-release of one), as a manifest is between two releases.
fn within_one_release(tagged: &Version, current: &Version) -> bool {
    let (major, minor, patch) = (tagged.major(), tagged.minor(), tagged.patch());
    match (current.major(), current.minor(), current.patch()) {
        (a, b, c) if a == major && b == minor => c <= patch + 1,
        (a, b, c) if a == major => b == minor + 1 && c == 0,
        (a, b, c) => a == major + 1 && b == 0 && c == 0,
    }
}
