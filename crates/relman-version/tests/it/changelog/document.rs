//! Reading sections back out of, and inserting sections into, changelogs written by other tools.
//! The fixtures in `tests/data/changelogs/` follow each tool's real output.

use std::path::{Path, PathBuf};

use relman_version::changelog::document::{
    Document, DocumentError, Format, find_section, insert_section, require_section, versions,
};

use super::{data, expect_file};

const MARKER_MD: &str = "<!-- towncrier release notes start -->";
const MARKER_RST: &str = ".. towncrier release notes start";
const NEW_MD: &str = "## 1.3.0 - 2024-02-01\n\n### Features\n\n- new thing\n";
const NEW_RST: &str =
    "1.3.0 (2024-02-01)\n==================\n\nFeatures\n--------\n\n- new thing\n";

fn fixture(name: &str) -> String {
    fs_err::read_to_string(data(name)).unwrap()
}

fn body_of(name: &str, version: &str) -> String {
    let text = fixture(name);
    let document = Document::for_path(Path::new(name), &text);
    document
        .find_section(version)
        .unwrap_or_else(|| panic!("{name}: no section for {version}"))
        .body
        .to_owned()
}

#[test]
fn versions_of_every_format() {
    let cases: &[(&str, &[&str])] = &[
        ("keepachangelog.md", &["1.2.0", "1.1.0", "1.0.0"]),
        ("towncrier.md", &["1.2.0", "1.1.0"]),
        ("towncrier-project.md", &["1.2.0", "1.1.0"]),
        ("towncrier.rst", &["1.2.0", "1.1.0"]),
        ("clog.md", &["1.2.0", "1.1.0"]),
        ("git-cliff.md", &["1.2.0", "1.1.0"]),
        ("git-cliff-links.md", &["1.2.0", "1.1.0", "1.0.0"]),
        ("release-please.md", &["1.2.1", "1.2.0", "1.1.0"]),
        ("standard-version.md", &["1.2.1", "1.2.0", "1.1.0"]),
        ("relman.md", &["1.2.0", "1.1.0", "1.0.0"]),
        ("crlf.md", &["1.1.0"]),
        ("title-only.md", &[]),
    ];
    for (name, expected) in cases {
        let text = fixture(name);
        assert_eq!(
            Document::for_path(Path::new(name), &text).versions(),
            *expected,
            "{name}"
        );
    }
}

#[test]
fn keepachangelog_sections() {
    assert_eq!(
        body_of("keepachangelog.md", "1.2.0"),
        "### Added\n\n- Support for `1.2.01` style versions in the parser.\n\n### Fixed\n\n- A crash when the input is empty.\n\n```\n## [1.1.0] - not a heading, inside a fence\n```"
    );
    assert_eq!(
        body_of("keepachangelog.md", "v1.1.0"),
        "### Changed\n\n- Faster start-up."
    );
    // The link definitions closing the file belong to no section.
    assert_eq!(body_of("keepachangelog.md", "1.0.0"), "- First release.");
    assert_eq!(
        body_of("keepachangelog.md", "Unreleased"),
        "### Added\n\n- A feature nobody has released yet."
    );
}

#[test]
fn section_ranges_cover_heading_and_body() {
    let text = fixture("keepachangelog.md");
    let section = find_section(&text, "1.1.0").unwrap();
    assert_eq!(section.heading, "## [1.1.0] - 2023-12-01\n");
    assert_eq!(section.title, "1.1.0");
    assert_eq!(section.level, 2);
    assert!(text[section.range.clone()].starts_with("## [1.1.0] - 2023-12-01\n\n### Changed"));
    assert!(text[section.range.end..].starts_with("## [1.0.0]"));
    assert_eq!(&text[section.body_range.clone()], section.body);
}

#[test]
fn exact_version_matches_only() {
    let text = "# Changelog\n\n## 1.2.01 - 2024-01-03\n\n- a\n\n## 1.2.0-rc.1 - 2024-01-02\n\n- b\n\n## 11.2.0 - 2024-01-01\n\n- c\n";
    assert_eq!(find_section(text, "1.2.0"), None);
    assert_eq!(find_section(text, "1.2.0-rc.1").unwrap().body, "- b");
    assert_eq!(find_section(text, "v1.2.01").unwrap().body, "- a");
    assert_eq!(versions(text), ["1.2.01", "1.2.0-rc.1", "11.2.0"]);
}

#[test]
fn towncrier_markdown_sections() {
    assert_eq!(
        body_of("towncrier.md", "1.2.0"),
        "### Features\n\n- Added the `--frobnicate` flag. ([#12](https://github.com/o/r/issues/12))\n\n\n### Bugfixes\n\n- Fixed a crash on empty input. ([#10](https://github.com/o/r/issues/10))"
    );
    assert_eq!(
        body_of("towncrier-project.md", "1.2.0"),
        "### Features\n\n- Added the `--frobnicate` flag. (#12)"
    );
    assert_eq!(
        body_of("towncrier-project.md", "1.1.0"),
        "### Bugfixes\n\n- Fixed a crash on empty input. (#10)"
    );
}

#[test]
fn towncrier_rst_sections() {
    assert_eq!(
        body_of("towncrier.rst", "1.2.0"),
        "Features\n--------\n\n- Added the ``--frobnicate`` flag. (`#12 <https://github.com/o/r/issues/12>`_)\n\n\nBugfixes\n--------\n\n- Fixed a crash on empty input. (`#10 <https://github.com/o/r/issues/10>`_)"
    );
    assert_eq!(
        body_of("towncrier.rst", "1.1.0"),
        "Misc\n----\n\n- `#8 <https://github.com/o/r/issues/8>`_"
    );
    // Without a telling file name the content decides.
    let text = fixture("towncrier.rst");
    assert_eq!(Document::parse(&text).format(), Format::Rst);
}

#[test]
fn clog_sections_own_their_anchor() {
    let text = fixture("clog.md");
    let section = find_section(&text, "1.2.0").unwrap();
    assert!(text[section.range.clone()].starts_with("<a name=\"1.2.0\"></a>\n## 1.2.0"));
    assert!(text[section.range.end..].starts_with("<a name=\"1.1.0\"></a>\n"));
    assert_eq!(
        section.body,
        "#### Features\n\n* **parser:**  support arrays ([1a2b3c4d](https://github.com/o/r/commit/1a2b3c4d))\n\n#### Bug Fixes\n\n* **cli:**  exit 2 on bad flags ([5e6f7a8b](https://github.com/o/r/commit/5e6f7a8b))"
    );
}

#[test]
fn git_cliff_sections() {
    assert_eq!(
        body_of("git-cliff.md", "1.1.0"),
        "### 🚀 Features\n\n- First feature\n\n<!-- generated by git-cliff -->"
    );
    // The compare URL in the heading names 1.1.0 too; only the heading's text counts.
    assert_eq!(
        body_of("git-cliff-links.md", "1.1.0"),
        "### Features\n\n- First feature - ([9c0d1e2](https://github.com/o/r/commit/9c0d1e2))"
    );
    assert_eq!(body_of("git-cliff-links.md", "1.0.0"), "- Initial release");
}

#[test]
fn release_please_and_standard_version_patch_headings() {
    assert_eq!(
        body_of("release-please.md", "1.2.0"),
        "### ⚠ BREAKING CHANGES\n\n* **api:** the v1 routes are gone\n\n### Features\n\n* **api:** drop v1 ([1a2b3c4](https://github.com/o/r/commit/1a2b3c4))"
    );
    // standard-version writes patch releases as `###`, the level of its own group headings.
    assert_eq!(
        body_of("standard-version.md", "1.2.1"),
        "### Bug Fixes\n\n* **cli:** exit 2 on bad flags ([5e6f7a8](https://github.com/o/r/commit/5e6f7a8))"
    );
    assert_eq!(
        body_of("standard-version.md", "1.2.0"),
        "### Features\n\n* **api:** drop v1 ([1a2b3c4](https://github.com/o/r/commit/1a2b3c4))"
    );
}

#[test]
fn relman_sections() {
    assert_eq!(
        body_of("relman.md", "1.2.0"),
        "### Breaking changes\n\n- **api:** drop the v1 routes ([#12](https://github.com/o/r/pull/12)) ([1a2b3c4](https://github.com/o/r/commit/1a2b3c4d5e6f))\n  The /v1 routes are gone; use /v2.\n\n### Features\n\n- **parser:** support arrays ([5e6f7a8](https://github.com/o/r/commit/5e6f7a8b9c0d))"
    );
    assert_eq!(body_of("relman.md", "1.0.0"), "No notable changes.");
}

#[test]
fn crlf_sections_keep_their_bytes() {
    assert_eq!(
        body_of("crlf.md", "1.1.0"),
        "### Features\r\n\r\n- first feature (9c0d1e2)"
    );
}

#[test]
fn empty_section_body() {
    let text = "# Changelog\n\n## 1.1.0\n\n## 1.0.0\n\n- x\n";
    let section = find_section(text, "1.1.0").unwrap();
    assert_eq!(section.body, "");
    assert_eq!(section.range, 13..23);
}

#[test]
fn missing_section_names_file_version_and_versions_present() {
    let text = fixture("keepachangelog.md");
    let path = PathBuf::from("CHANGELOG.md");
    let error = require_section(&path, &text, "1.3.0").unwrap_err();
    assert_eq!(
        error.to_string(),
        "`CHANGELOG.md` has no section for version `1.3.0`"
    );
    assert_eq!(
        error.hint().as_deref(),
        Some("the file has sections for `1.2.0`, `1.1.0`, `1.0.0`")
    );
    let DocumentError::SectionMissing { present, .. } = &error;
    assert_eq!(present.len(), 3);

    let none = require_section(&path, "# Changelog\n", "1.0.0").unwrap_err();
    assert!(
        none.hint()
            .unwrap()
            .starts_with("the file has no version sections")
    );

    let many: String = (0..15)
        .map(|minor| format!("## 1.{minor}.0\n\n- x\n\n"))
        .collect();
    let hint = require_section(&path, &many, "2.0.0")
        .unwrap_err()
        .hint()
        .unwrap();
    assert!(hint.ends_with("`1.9.0` and 5 more"), "{hint}");

    assert_eq!(
        require_section(&path, &text, "1.2.0").unwrap().title,
        "1.2.0"
    );
}

#[test]
fn insertion_into_every_format() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("keepachangelog.md", None, NEW_MD),
        // A marker the file does not have: the title rule applies.
        ("keepachangelog.md", Some(MARKER_MD), NEW_MD),
        ("towncrier.md", Some(MARKER_MD), NEW_MD),
        ("towncrier.rst", Some(MARKER_RST), NEW_RST),
        ("clog.md", None, NEW_MD),
        ("release-please.md", None, NEW_MD),
        ("no-title.md", None, NEW_MD),
        ("title-only.md", None, NEW_MD),
        ("crlf.md", None, NEW_MD),
    ];
    for (name, marker, section) in cases {
        let text = fixture(name);
        let inserted = Document::for_path(Path::new(name), &text).insert_section(section, *marker);
        let expected = match marker {
            Some(_) => format!("inserted/marker-{name}"),
            None => format!("inserted/{name}"),
        };
        expect_file(&expected, &inserted);
        // Every byte of the file is still there, in order, around the new section.
        let written = if name.starts_with("crlf") {
            section.replace('\n', "\r\n")
        } else {
            section.to_string()
        };
        let at = inserted.find(&written).unwrap();
        let (before, after) = inserted.split_at(at);
        assert!(text.starts_with(before.trim_end()), "{name}");
        assert!(
            text.ends_with(after[written.len()..].trim_start_matches(['\r', '\n'])),
            "{name}"
        );
    }
}

#[test]
fn insertion_into_small_files() {
    assert_eq!(insert_section("", NEW_MD, None), NEW_MD);
    assert_eq!(
        insert_section("# Changelog", "## 1.0.0\n", None),
        "# Changelog\n\n## 1.0.0\n"
    );
    assert_eq!(
        insert_section("## 0.1.0\n\n- x\n", "## 1.0.0\n\n- y\n\n\n", None),
        "## 1.0.0\n\n- y\n\n## 0.1.0\n\n- x\n"
    );
    assert_eq!(
        insert_section(
            "intro\n<!-- start -->",
            "## 1.0.0\n",
            Some("<!-- start -->")
        ),
        "intro\n<!-- start -->\n\n## 1.0.0\n"
    );
}

/// What relman writes, it reads back: three releases inserted one after the other below a title,
/// then each section found again with exactly the body that was rendered.
#[test]
fn relman_sections_round_trip() {
    use relman_version::changelog::markdown::render_section;
    use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
    use relman_version::conventional::parse;

    let forge = super::markdown::github();
    let releases = [
        ("1.0.0", None, &["feat: first (#1)"][..]),
        (
            "1.0.1",
            Some("v1.0.0"),
            &["fix(cli): exit 2 (#2)", "docs: x"][..],
        ),
        (
            "2.0.0",
            Some("v1.0.1"),
            &["feat!: new config\n\nBREAKING CHANGE: the format changed\n"][..],
        ),
    ];
    let mut text = String::from("# Changelog\n\nAll notable changes.\n");
    let mut rendered = Vec::new();
    for (version, previous, messages) in releases {
        let mut notes = ReleaseNotes::new(
            version,
            format!("v{version}"),
            "2026-11-23",
            NotesOptions::default(),
        );
        notes.previous_tag = previous.map(str::to_owned);
        for (index, message) in messages.iter().enumerate() {
            notes.push(&format!("{index:040x}"), &parse(message.as_bytes()));
        }
        let section = render_section(&notes, Some(&forge));
        text = insert_section(&text, &section, None);
        rendered.push((version, section));
    }
    assert_eq!(versions(&text), ["2.0.0", "1.0.1", "1.0.0"]);
    assert!(text.starts_with("# Changelog\n\nAll notable changes.\n\n## [2.0.0]("));
    for (version, section) in rendered {
        let found = find_section(&text, version).unwrap();
        assert_eq!(
            format!("{}\n{}\n", found.heading, found.body),
            section,
            "{version}"
        );
    }
}
