//! The default Markdown section, byte for byte.

use relman_version::changelog::links::{Forge, ForgeKind};
use relman_version::changelog::markdown::{render_section, write_section};
use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
use relman_version::conventional::parse;

use super::expect_file;

/// A release's commits, newest first as `git log` gives them, with their shas.
pub(super) const HISTORY: &[(&str, &str)] = &[
    (
        "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
        "feat(api)!: drop the v1 routes (#12)\n\nBREAKING CHANGE: The /v1 routes are gone; use /v2.\nMigration notes are in the wiki.\n",
    ),
    (
        "2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e",
        "feat(parser): support arrays",
    ),
    (
        "3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f",
        "Merge pull request #11 from octo/arrays\n\nfeat(parser): support arrays",
    ),
    (
        "4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70",
        "fix: exit 2 on bad flags (#10)",
    ),
    (
        "5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081",
        "docs: explain the flags",
    ),
    (
        "6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192",
        "perf(db): batch the inserts",
    ),
    (
        "708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3",
        "fix!: reject empty names",
    ),
    (
        "8192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4",
        "Revert \"feat: colour output\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n",
    ),
    (
        "92a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5",
        "Tidy up the README (#9)",
    ),
    (
        "a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6",
        "feat: a first feature",
    ),
];

pub(super) fn notes(include_other: bool) -> ReleaseNotes {
    let options = NotesOptions {
        include_other,
        ..NotesOptions::default()
    };
    let mut notes = ReleaseNotes::new("1.1.0", "v1.1.0", "2026-11-23", options)
        .with_previous("1.0.0", "v1.0.0");
    for (sha, message) in HISTORY {
        notes.push(sha, &parse(message.as_bytes()));
    }
    notes
}

pub(super) fn github() -> Forge {
    Forge::from_remote_url("git@github.com:octo/project.git", &[]).unwrap()
}

#[test]
fn default_section_with_github_links() {
    expect_file(
        "rendered/github.md",
        &render_section(&notes(false), Some(&github())),
    );
}

#[test]
fn default_section_with_other_commits() {
    expect_file(
        "rendered/github-other.md",
        &render_section(&notes(true), Some(&github())),
    );
}

#[test]
fn default_section_with_gitlab_links() {
    let gitlab = Forge::new(ForgeKind::GitLab, "https://gitlab.com/group/project");
    expect_file(
        "rendered/gitlab.md",
        &render_section(&notes(false), Some(&gitlab)),
    );
}

#[test]
fn default_section_without_a_forge() {
    expect_file("rendered/plain.md", &render_section(&notes(false), None));
}

#[test]
fn first_release_heading_has_no_compare_link() {
    let mut notes = ReleaseNotes::new("1.0.0", "v1.0.0", "2026-11-23", NotesOptions::default());
    notes.push("a3b4c5d6e7f8", &parse(b"feat: a first feature (#1)"));
    assert_eq!(
        render_section(&notes, Some(&github())),
        "## 1.0.0 - 2026-11-23\n\n### Features\n\n- a first feature ([#1](https://github.com/octo/project/pull/1)) ([a3b4c5d](https://github.com/octo/project/commit/a3b4c5d6e7f8))\n"
    );
}

#[test]
fn empty_release_says_so() {
    let mut notes = ReleaseNotes::new("1.0.1", "v1.0.1", "2026-11-23", NotesOptions::default())
        .with_previous("1.0.0", "v1.0.0");
    notes.push("5e6f708192a3", &parse(b"docs: explain the flags"));
    notes.push("5e6f708192a4", &parse(b"Merge branch 'main'"));
    assert_eq!(
        render_section(&notes, Some(&github())),
        "## [1.0.1](https://github.com/octo/project/compare/v1.0.0...v1.0.1) - 2026-11-23\n\nNo notable changes.\n"
    );
    assert_eq!(
        render_section(&notes, None),
        "## 1.0.1 - 2026-11-23\n\nNo notable changes.\n"
    );
}

#[test]
fn write_section_appends() {
    let mut out = String::from("before\n");
    write_section(&mut out, &notes(false), None).unwrap();
    assert_eq!(
        out,
        format!("before\n{}", render_section(&notes(false), None))
    );
}

/// A release of a project that does not write Conventional Commits lists what changed: merged
/// pull requests by title (their branch commits once), squashed ones by subject with the number
/// linked, dependency updates last; never "No notable changes".
#[test]
fn a_non_conventional_release_lists_its_changes() {
    let mut notes = ReleaseNotes::new("2.1.0", "2.1.0", "2026-11-23", NotesOptions::default())
        .with_previous("2.0.0", "2.0.0");
    let commits: &[(&str, &[&str], &str, &str)] = &[
        (
            "e5",
            &["d4", "c3"],
            "Ann",
            "Merge pull request #14 from octo/retry\n\nRetry on connection resets\n",
        ),
        (
            "d4",
            &["b2"],
            "dependabot[bot]",
            "Bump urllib3 from 2.2.0 to 2.2.1 (#15)",
        ),
        ("c3", &["b2"], "Bob", "handle review comments"),
        ("b2", &["a1"], "Ann", "Document the timeout argument (#13)"),
        ("a1", &[], "Ann", "doc: fix a typo"),
    ];
    for (sha, parents, author, message) in commits {
        notes.push_commit(
            sha,
            parents.iter().copied(),
            author,
            &parse(message.as_bytes()),
        );
    }
    assert!(!notes.is_empty());
    assert_eq!(
        render_section(&notes, Some(&github())),
        "## [2.1.0](https://github.com/octo/project/compare/2.0.0...2.1.0) - 2026-11-23\n\n### Changes\n\n- Retry on connection resets ([#14](https://github.com/octo/project/pull/14))\n- Document the timeout argument ([#13](https://github.com/octo/project/pull/13))\n- doc: fix a typo\n\n### Dependencies\n\n- Bump urllib3 from 2.2.0 to 2.2.1 ([#15](https://github.com/octo/project/pull/15))\n"
    );
    assert_eq!(
        relman_version::changelog::markdown::render_change_list(&notes, None),
        "- Retry on connection resets (#14)\n- Document the timeout argument (#13)\n- doc: fix a typo\n- Bump urllib3 from 2.2.0 to 2.2.1 (#15)\n"
    );
}
