//! Keep a Changelog promotion against the two tools people use for it.
//!
//! - PyPI `keepachangelog release V` edits the file in place: relman's promotion must be the same
//!   bytes where that tool is right. It misses a lower-case `[unreleased]:` definition (and adds
//!   no definition for the release without one), so there relman's output is the tool's plus the
//!   link lines, and nothing else.
//! - npm `keep-a-changelog --release` rewrites the whole file in its own layout and drops the
//!   unreleased section: its reading of relman's output must be its own promotion plus the empty
//!   unreleased section and its link.
//!
//! Both date the release today, so relman is given today's date (UTC, as the tools run with
//! `TZ=UTC`).

use std::path::Path;
use std::process::Command;

use relman_testkit::require_tool;
use relman_version::changelog::handwritten::{Promoted, Promotion, promote};
use relman_version::date::Date;

const TITLE: &str = "# Changelog\n\nAll notable changes to this project will be documented in this file.\n\nThe format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\nand this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n\n";

const RELEASES: &str = "## [Unreleased]\n\n### Added\n\n- Parse ISO week dates.\n- A `--utc` flag.\n\n### Fixed\n\n- Leap seconds.\n\n## [1.1.0] - 2026-01-02\n\n### Fixed\n\n- A bug.\n\n## [1.0.0] - 2025-12-01\n\n### Added\n\n- First release.\n";

const LINKS: &str = "\n[Unreleased]: https://github.com/octo/app/compare/v1.1.0...HEAD\n[1.1.0]: https://github.com/octo/app/compare/v1.0.0...v1.1.0\n[1.0.0]: https://github.com/octo/app/releases/tag/v1.0.0\n";

fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Date::from_unix_seconds(i64::try_from(seconds).unwrap_or(0))
}

fn relman(text: &str) -> String {
    let (promoted, how) = promote(
        Path::new("CHANGELOG.md"),
        text,
        &Promotion {
            version: "1.2.0",
            date: today(),
            tag: "v1.2.0",
            notes: "",
        },
    );
    assert_eq!(how, Promoted::UnreleasedSection);
    promoted
}

/// `tool ARGS` in a folder holding `text` as CHANGELOG.md; the file afterwards and stdout.
fn run_tool(tool: &str, args: &[&str], text: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("CHANGELOG.md");
    fs_err::write(&file, text).unwrap();
    let output = Command::new(tool)
        .args(args)
        .current_dir(dir.path())
        .env("TZ", "UTC")
        .output()
        .unwrap_or_else(|error| panic!("{tool}: {error}"));
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        fs_err::read_to_string(&file).unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn pypi(text: &str) -> String {
    run_tool(
        "keepachangelog",
        &["release", "1.2.0", "-f", "CHANGELOG.md"],
        text,
    )
    .0
}

/// The npm tool's reading of a file (it writes its own layout), or of its promotion.
fn npm(text: &str, release: bool) -> String {
    let args: &[&str] = if release {
        &["--release", "--version", "1.2.0", "--dry-run"]
    } else {
        &["--dry-run"]
    };
    run_tool("keep-a-changelog", args, text).1
}

#[test]
fn the_pypi_tool_writes_the_same_bytes() {
    if !require_tool("keepachangelog") {
        return;
    }
    let original = format!("{TITLE}{RELEASES}{LINKS}");
    assert_eq!(relman(&original), pypi(&original));
    let without_links = format!("{TITLE}{RELEASES}");
    assert_eq!(relman(&without_links), pypi(&without_links));
}

#[test]
fn a_lower_case_label_the_pypi_tool_misses_is_updated_too() {
    if !require_tool("keepachangelog") {
        return;
    }
    let original = format!(
        "{TITLE}{RELEASES}{}",
        LINKS.replace("[Unreleased]:", "[unreleased]:")
    );
    let ours = relman(&original);
    let theirs = pypi(&original);
    assert!(
        theirs.contains("[unreleased]: https://github.com/octo/app/compare/v1.1.0...HEAD\n"),
        "the tool learnt lower-case labels: this test can assert equality now\n{theirs}"
    );
    assert_eq!(
        ours,
        theirs.replace(
            "[unreleased]: https://github.com/octo/app/compare/v1.1.0...HEAD\n",
            "[unreleased]: https://github.com/octo/app/compare/v1.2.0...HEAD\n[1.2.0]: https://github.com/octo/app/compare/v1.1.0...v1.2.0\n",
        )
    );
}

#[test]
fn the_npm_tool_reads_the_same_releases() {
    if !require_tool("keep-a-changelog") {
        return;
    }
    for links in [
        LINKS.to_owned(),
        LINKS.replace("[Unreleased]:", "[unreleased]:"),
    ] {
        let original = format!("{TITLE}{RELEASES}{links}");
        let ours = npm(&relman(&original), false);
        let theirs = npm(&original, true);
        // Its promotion drops the unreleased section and its link; relman keeps them, empty.
        let kept = ours
            .replacen("## [Unreleased]\n\n", "", 1)
            .lines()
            .filter(|line| !line.to_ascii_lowercase().starts_with("[unreleased]:"))
            .map(|line| format!("{line}\n"))
            .collect::<String>();
        assert_eq!(kept, theirs, "npm's reading of relman's promotion:\n{ours}");
        assert!(
            ours.contains("[Unreleased]: https://github.com/octo/app/compare/v1.2.0...HEAD"),
            "{ours}"
        );
    }
}
