//! What a project's own news file says a fragment type calls for. towncrier names its `removal`
//! type "Deprecations and Removals", and projects ship deprecations in minor releases under that
//! heading (pluggy's 1.3.0 and 1.6.0): a type that relman would take as a major change is not
//! one for a project whose news file shows its block in a release that kept the major version.

use std::path::Path;

use relman_version::changelog::document::Document;
use relman_version::scheme::Scheme;

/// Whether a release section of the news file `text` holds the block headed `heading` while its
/// version kept the major version of the release below it (a 0.x release never counts: there a
/// minor release is the major change).
pub(super) fn shipped_without_major(
    path: &Path,
    text: &str,
    heading: &str,
    scheme: &Scheme,
) -> bool {
    let sections = Document::for_path(path, text).release_sections();
    sections.windows(2).any(|pair| {
        // A Markdown heading (`### Deprecations and Removals`) or an underlined rst one.
        let holds = pair[0]
            .body
            .lines()
            .any(|line| line.trim().trim_start_matches('#').trim() == heading);
        let (Ok(newer), Ok(older)) = (scheme.parse(&pair[0].title), scheme.parse(&pair[1].title))
        else {
            return false;
        };
        holds && newer.major() > 0 && newer.major() == older.major() && newer > older
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS: &str = "\
pkg 1.6.0 (2025-05-15)
======================

Deprecations and Removals
-------------------------

- Something is deprecated.

pkg 1.5.0 (2024-04-19)
======================

Bug Fixes
---------

- A fix.

pkg 1.0.0 (2021-08-25)
======================

Deprecations and Removals
-------------------------

- Something was removed.

pkg 0.13.1 (2019-11-21)
=======================

Bug Fixes
---------

- A fix.
";

    #[test]
    fn a_block_in_a_minor_release_is_no_major_change() {
        let path = Path::new("CHANGELOG.rst");
        let scheme = Scheme::Pep440;
        assert!(shipped_without_major(
            path,
            NEWS,
            "Deprecations and Removals",
            &scheme
        ));
        assert!(!shipped_without_major(path, NEWS, "Features", &scheme));
        // Only in the release that moved the major version: a major change, as relman says.
        let majors_only = &NEWS[NEWS.find("pkg 1.0.0").unwrap()..];
        assert!(!shipped_without_major(
            path,
            majors_only,
            "Deprecations and Removals",
            &scheme
        ));
    }
}
