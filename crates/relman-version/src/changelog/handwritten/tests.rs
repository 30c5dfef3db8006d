//! Promotion in every heading style: the expected text is the whole file, so any byte changed
//! besides the promotion fails.

use super::*;

fn promote_md(text: &str, version: &str, notes: &str) -> (String, Promoted) {
    promote_at("CHANGELOG.md", text, version, notes)
}

fn promote_at(path: &str, text: &str, version: &str, notes: &str) -> (String, Promoted) {
    promote(
        Path::new(path),
        text,
        &Promotion {
            version,
            date: Date::new(2026, 12, 3).unwrap(),
            tag: &format!("v{version}"),
            notes,
        },
    )
}

const KAC: &str = "# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### Added

- A new thing.

## [1.1.0] - 2026-01-02

### Fixed

- A bug.

## [1.0.0] - 2025-12-01

- First.

[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0
";

#[test]
fn keep_a_changelog_with_link_references() {
    let (text, how) = promote_md(KAC, "1.2.0", "- ignored");
    assert_eq!(how, Promoted::UnreleasedSection);
    assert_eq!(
        text,
        KAC.replace(
            "## [Unreleased]\n\n### Added",
            "## [Unreleased]\n\n## [1.2.0] - 2026-12-03\n\n### Added"
        )
        .replace(
            "[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD\n",
            "[Unreleased]: https://github.com/o/r/compare/v1.2.0...HEAD\n[1.2.0]: https://github.com/o/r/compare/v1.1.0...v1.2.0\n"
        )
    );
}

#[test]
fn keep_a_changelog_with_a_lower_case_label() {
    let lower = KAC.replace("[Unreleased]: ", "[unreleased]: ");
    let (text, _) = promote_md(&lower, "1.2.0", "");
    assert!(
        text.contains("[unreleased]: https://github.com/o/r/compare/v1.2.0...HEAD\n[1.2.0]: https://github.com/o/r/compare/v1.1.0...v1.2.0\n"),
        "{text}"
    );
    assert!(!text.contains("[Unreleased]:"), "{text}");
}

#[test]
fn keep_a_changelog_without_link_references() {
    let bare = KAC.split("[Unreleased]: ").next().unwrap().to_owned();
    let (text, _) = promote_md(&bare, "1.2.0", "");
    assert_eq!(
        text,
        bare.replace(
            "## [Unreleased]\n\n### Added",
            "## [Unreleased]\n\n## [1.2.0] - 2026-12-03\n\n### Added"
        )
    );
}

#[test]
fn version_links_without_an_unreleased_one_follow_the_newest() {
    let text = "# Change Log\n\n## [2.4.1] - 2026-05-09\n\n- a\n\n## [2.4.0] - 2026-05-03\n\n- b\n\n[2.4.1]: https://github.com/o/r/releases/tag/2.4.1\n[2.4.0]: https://github.com/o/r/releases/tag/2.4.0\n";
    let (promoted, how) = promote_md(text, "2.5.0", "- Fix the thing (#12)\n");
    assert_eq!(how, Promoted::NewSection);
    assert_eq!(
        promoted,
        "# Change Log\n\n## [2.5.0] - 2026-12-03\n\n- Fix the thing (#12)\n\n## [2.4.1] - 2026-05-09\n\n- a\n\n## [2.4.0] - 2026-05-03\n\n- b\n\n[2.5.0]: https://github.com/o/r/releases/tag/2.5.0\n[2.4.1]: https://github.com/o/r/releases/tag/2.4.1\n[2.4.0]: https://github.com/o/r/releases/tag/2.4.0\n"
    );
}

#[test]
fn atx_version_wording_with_a_released_line() {
    let text = "## Version 8.5.0\n\nUnreleased\n\n- Add a thing.\n\n## Version 8.4.2\n\nReleased 2026-06-24\n\n- Fix.\n";
    let (promoted, how) = promote_md(text, "8.5.0", "");
    assert_eq!(how, Promoted::MarkedLine);
    assert_eq!(
        promoted,
        text.replacen("Unreleased", "Released 2026-12-03", 1)
    );
    // Another version than the file planned: the heading names the one released.
    let (promoted, _) = promote_md(text, "9.0.0", "");
    assert_eq!(
        promoted,
        text.replacen("Unreleased", "Released 2026-12-03", 1)
            .replacen("Version 8.5.0", "Version 9.0.0", 1)
    );
}

#[test]
fn atx_v_prefix_and_date_in_parentheses() {
    let text = "# Changelog\n\n## Unreleased\n\n- New.\n\n## v1.1.0 (2026-01-02)\n\n- Old.\n";
    let (promoted, _) = promote_md(text, "1.2.0", "");
    assert_eq!(
        promoted,
        "# Changelog\n\n## Unreleased\n\n## v1.2.0 (2026-12-03)\n\n- New.\n\n## v1.1.0 (2026-01-02)\n\n- Old.\n"
    );
}

#[test]
fn atx_with_a_spelt_out_date_and_an_upper_case_label() {
    let text = "# Changelog\n\n## [UNRELEASED]\n\n### Added\n\n* X. (#3699)\n\n## 0.28.1 (6th December, 2024)\n\n* Fix.\n";
    let (promoted, _) = promote_md(text, "0.29.0", "");
    assert_eq!(
        promoted,
        text.replacen(
            "## [UNRELEASED]\n\n",
            "## [UNRELEASED]\n\n## 0.29.0 (3rd December, 2026)\n\n",
            1
        )
    );
}

#[test]
fn setext_tbd_without_blank_lines() {
    let text = "TBD\n===\nSupport ISO weeks.\n\n\n15.2.0 (2026-07-15)\n===================\nThis release fixes bugs.\n";
    let (promoted, how) = promote_md(text, "15.3.0", "");
    assert_eq!(how, Promoted::UnreleasedSection);
    assert_eq!(
        promoted,
        "TBD\n===\n\n15.3.0 (2026-12-03)\n===================\nSupport ISO weeks.\n\n\n15.2.0 (2026-07-15)\n===================\nThis release fixes bugs.\n"
    );
}

#[test]
fn a_placeholder_stays_for_the_next_release_which_lists_its_changes() {
    let text = "TBD\n===\nUnreleased changes. Release notes have not yet been written.\n\n\n15.2.0 (2026-07-15)\n===================\nThis release fixes bugs.\n";
    let (promoted, _) = promote_md(text, "15.3.0", "- Support ISO weeks (#3)\n");
    assert_eq!(
        promoted,
        "TBD\n===\nUnreleased changes. Release notes have not yet been written.\n\n15.3.0 (2026-12-03)\n===================\n\n- Support ISO weeks (#3)\n\n\n15.2.0 (2026-07-15)\n===================\nThis release fixes bugs.\n"
    );
    let requests = "Release History\n===============\n\ndev\n---\n\n- \\[Short description of non-trivial change.\\]\n\n\n2.34.2 (2026-05-14)\n-------------------\n- Moved.\n";
    let (promoted, _) = promote_md(requests, "2.34.3", "- Fix (#1)\n");
    assert_eq!(
        promoted,
        requests.replacen(
            "change.\\]\n",
            "change.\\]\n\n2.34.3 (2026-12-03)\n-------------------\n\n- Fix (#1)\n",
            1
        )
    );
}

#[test]
fn setext_releases_under_an_atx_unreleased_heading() {
    let text = "# Unreleased Changes\n\n## Bug fixes\n\n- Fixed.\n\n5.2.1 / 2025-12-01\n=======================\n\n* Revert.\n";
    let (promoted, _) = promote_md(text, "5.3.0", "");
    assert_eq!(
        promoted,
        "# Unreleased Changes\n\n5.3.0 / 2026-12-03\n==================\n\n## Bug fixes\n\n- Fixed.\n\n5.2.1 / 2025-12-01\n=======================\n\n* Revert.\n"
    );
}

#[test]
fn rst_version_section_marked_unreleased() {
    let text = "Version 3.2.0\n-------------\n\nUnreleased\n\n-   Drop Python 3.9.\n\n\nVersion 3.1.3\n-------------\n\nReleased 2026-02-18\n\n-   Fix.\n";
    let (promoted, how) = promote_at("CHANGES.rst", text, "3.2.0", "");
    assert_eq!(how, Promoted::MarkedLine);
    assert_eq!(
        promoted,
        text.replacen("Unreleased", "Released 2026-12-03", 1)
    );
    let (promoted, _) = promote_at("CHANGES.rst", text, "3.10.0", "");
    assert_eq!(
        promoted,
        text.replacen("Unreleased", "Released 2026-12-03", 1)
            .replacen(
                "Version 3.2.0\n-------------",
                "Version 3.10.0\n--------------",
                1
            )
    );
}

#[test]
fn rst_unreleased_section_with_overlined_releases() {
    let text = "Changelog\n=========\n\nUnreleased\n----------\n\n- New.\n\n1.1.0 (2026-01-02)\n------------------\n\n- Old.\n";
    let (promoted, _) = promote_at("NEWS.rst", text, "1.2.0", "");
    assert_eq!(
        promoted,
        "Changelog\n=========\n\nUnreleased\n----------\n\n1.2.0 (2026-12-03)\n------------------\n\n- New.\n\n1.1.0 (2026-01-02)\n------------------\n\n- Old.\n"
    );
}

#[test]
fn requests_style_dev_section() {
    let text = "Release History\n===============\n\ndev\n---\n\n- Retry on resets.\n\n\n2.34.2 (2026-05-14)\n-------------------\n- Moved.\n";
    let (promoted, _) = promote_md(text, "2.35.0", "");
    assert_eq!(
        promoted,
        text.replacen(
            "dev\n---\n\n",
            "dev\n---\n\n2.35.0 (2026-12-03)\n-------------------\n\n",
            1
        )
    );
}

#[test]
fn a_heading_marked_unreleased_becomes_the_release_heading() {
    let text = "# Changes\n\n## 2.0.0 (unreleased)\n\n- New.\n\n## 1.9.0 (2026-01-02)\n\n- Old.\n";
    let (promoted, how) = promote_md(text, "2.0.0", "");
    assert_eq!(how, Promoted::MarkedHeading);
    assert_eq!(
        promoted,
        text.replacen("2.0.0 (unreleased)", "2.0.0 (2026-12-03)", 1)
    );
}

#[test]
fn an_empty_unreleased_section_gets_the_list_of_changes() {
    let text = "# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2026-01-02\n\n- Old.\n";
    let (promoted, _) = promote_md(text, "1.2.0", "- Fix the parser (#12)\n- Update docs\n");
    assert_eq!(
        promoted,
        "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-12-03\n\n- Fix the parser (#12)\n- Update docs\n\n## [1.1.0] - 2026-01-02\n\n- Old.\n"
    );
}

#[test]
fn no_unreleased_section_gets_a_new_section_in_the_file_s_style() {
    let text = "Changes\n=======\n\n1.1.0 (2026-01-02)\n~~~~~~~~~~~~~~~~~~\n\n- Old.\n";
    let (promoted, how) = promote_at("CHANGES.rst", text, "1.2.0", "- New (#3)\n");
    assert_eq!(how, Promoted::NewSection);
    assert_eq!(
        promoted,
        "Changes\n=======\n\n1.2.0 (2026-12-03)\n~~~~~~~~~~~~~~~~~~\n\n- New (#3)\n\n1.1.0 (2026-01-02)\n~~~~~~~~~~~~~~~~~~\n\n- Old.\n"
    );
}

#[test]
fn a_released_version_is_left_alone() {
    let (once, _) = promote_md(KAC, "1.2.0", "");
    let (twice, how) = promote_md(&once, "1.2.0", "");
    assert_eq!(how, Promoted::AlreadyReleased);
    assert_eq!(twice, once);
}

#[test]
fn crlf_files_stay_crlf() {
    let crlf = KAC.replace('\n', "\r\n");
    let (promoted, _) = promote_md(&crlf, "1.2.0", "");
    let (expected, _) = promote_md(KAC, "1.2.0", "");
    assert_eq!(promoted, expected.replace('\n', "\r\n"));
}

#[test]
fn unreleased_titles() {
    for title in [
        "Unreleased",
        "[Unreleased]",
        "[UNRELEASED]",
        "Unreleased Changes",
        "unreleased - ReleaseDate",
        "TBD",
        "dev",
        "Upcoming",
        "Next release",
    ] {
        assert!(is_unreleased_title(title), "{title}");
    }
    for title in [
        "Changelog",
        "1.2.0",
        "Release History",
        "Development notes",
        "Added",
    ] {
        assert!(!is_unreleased_title(title), "{title}");
    }
}

/// git-lfs: a release's notes grouped under `### Features`, `### Bugs` and `### Misc` after a
/// paragraph are written by hand; notes grouped only as generators group them are not.
#[test]
fn groups_no_generator_writes_make_a_file_hand_written() {
    let path = Path::new("CHANGELOG.md");
    let by_hand = "# Changelog\n\n## 3.7.0 (26 June 2025)\n\nThis release adds options.\n\n\
                   ### Features\n\n* A (#1)\n\n### Bugs\n\n* B (#2)\n\n### Misc\n\n* C\n";
    assert!(is_hand_written(path, by_hand));
    let generated = "# Changelog\n\n## [1.1.0](https://example.com/compare/v1.0.0...v1.1.0) \
                     (2025-06-26)\n\n### Features\n\n* a\n\n### Bug Fixes\n\n* b\n\n\
                     ### Documentation\n\n* c\n";
    assert!(!is_hand_written(path, generated));
}

#[test]
fn a_branch_named_beside_unreleased_is_where_notes_wait() {
    // cortex: `## master / unreleased`, entries right under each heading.
    let text = "# Changelog\n\n## master / unreleased\n* [FEATURE] New. #2\n\n## 1.21.1 2026-06-04\n* [BUGFIX] Old. #1\n";
    let (promoted, how) = promote_md(text, "1.22.0", "");
    assert_eq!(how, Promoted::UnreleasedSection);
    assert_eq!(
        promoted,
        "# Changelog\n\n## master / unreleased\n\n## 1.22.0 2026-12-03\n* [FEATURE] New. #2\n\n## 1.21.1 2026-06-04\n* [BUGFIX] Old. #1\n"
    );
    for title in [
        "main (unreleased)",
        "Unreleased / main",
        "HEAD - unreleased",
    ] {
        assert!(is_unreleased_title(title), "{title}");
    }
    for title in ["1.2.0 / unreleased docs", "master", "Release notes"] {
        assert!(!is_unreleased_title(title), "{title}");
    }
}

/// DataFrames.jl's NEWS.md: each release a level-1 heading, its groups level 2. The notes'
/// groups are written at the level the file gives them, not relman's `###`.
#[test]
fn group_headings_take_the_level_the_file_gives_them() {
    let text = "# Frames v1.8.2 Release Notes\n\n## Bug fixes\n\n* Fix a thing (#3503)\n\n\
                # Frames v1.8.0 Release Notes\n\n## New functionalities\n\n* More (#3372)\n";
    let notes = "### Changes\n\n- Update a link (#3531)\n\n### Dependencies\n\n- Bump x (#3534)\n";
    let (promoted, how) = promote_at("NEWS.md", text, "1.8.3", notes);
    assert_eq!(how, Promoted::NewSection);
    assert_eq!(
        promoted,
        format!(
            "# Frames v1.8.3 Release Notes\n\n## Changes\n\n- Update a link (#3531)\n\n\
             ## Dependencies\n\n- Bump x (#3534)\n\n{text}"
        )
    );
    // A release without groups of its own: one level below its heading.
    let text = "# Changelog\n\n## 2.0.0\n\n- First.\n";
    let (promoted, _) = promote_at("CHANGELOG.md", text, "2.1.0", "### Features\n\n- New.\n");
    assert!(
        promoted.contains("## 2.1.0\n\n### Features\n\n- New.\n\n## 2.0.0"),
        "{promoted}"
    );
    let text = "Changes\n=======\n\n#### 2.0.0\n\n##### Fixed\n\n- First.\n";
    let (promoted, _) = promote_at("CHANGELOG.md", text, "2.1.0", "### Features\n\n- New.\n");
    assert!(
        promoted.contains("#### 2.1.0\n\n##### Features\n\n- New.\n\n#### 2.0.0"),
        "{promoted}"
    );
}

/// mypy's shape: feature releases `## Tool 2.3`, written with two numbers, a patch release
/// nested in its feature release's section as `### Tool 2.3.1`, and notes whose headings name
/// versions of other things (`### Drop Python 3.9`), more of them at level 3 than releases at
/// level 2. The release is a `##` heading, spelt like the others.
const TWO_PART: &str = "# Tool Release Notes

## Next Release

### Packaging changes

Wheels for one more platform.

## Tool 2.3

### Drop Python 3.9

### New syntax from Python 3.15

### Tool 2.3.1

- A crash fixed.

## Tool 2.2

### Support for Python 3.14

### Better errors in 2.2 mode

## Tool 2.1

- Faster.
";

#[test]
fn release_headings_share_a_wording_and_keep_two_numbers() {
    let (text, _) = promote_md(TWO_PART, "2.4.0", "- ignored");
    assert_eq!(
        text,
        TWO_PART.replace(
            "## Next Release\n\n### Packaging",
            "## Next Release\n\n## Tool 2.4\n\n### Packaging"
        )
    );
    let (text, _) = promote_md(TWO_PART, "2.4.1", "- ignored");
    assert!(text.contains("\n## Tool 2.4.1\n\n### Packaging"), "{text}");
}
