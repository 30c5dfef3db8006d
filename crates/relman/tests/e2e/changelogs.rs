//! Changelogs as projects keep them, through the real binary and without a relman.toml: a file
//! written by hand released in its own style, a history without Conventional Commits, and
//! `changelog --all` / `--version` on a towncrier project. Each shape is one seen on a real
//! repository (docs/real-repositories.md), rebuilt here.

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stderr, stdout};

/// A package at 15.2.0 whose CHANGELOG.md is setext, with a `TBD` section waiting (ripgrep's
/// shape), and free-form commits since the release.
fn setext_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "15.2.0\n");
    repo.write(
        "CHANGELOG.md",
        "TBD\n===\nParse ISO week dates.\n\n\n15.2.0 (2025-07-15)\n===================\nThis release fixes bugs.\n",
    );
    repo.commit("Start");
    repo.tag("15.2.0");
    repo.commit_file("a.txt", "a", "Support ISO weeks (#3)");
    repo.commit_file("b.txt", "b", "doc: explain weeks");
    repo.push(&["main", "--tags"]);
    repo
}

#[test]
fn a_hand_written_setext_changelog_is_released_in_its_own_style() {
    let repo = setext_project();
    let before = repo.read("CHANGELOG.md");
    let output = relman(&repo, &["release", "--yes"]);
    assert_exit(&output, 0);
    // Free-form commits: a patch, not "nothing to release".
    assert_eq!(repo.read("VERSION"), "15.2.1\n");
    assert_eq!(
        repo.read("CHANGELOG.md"),
        before.replacen(
            "TBD\n===\n",
            "TBD\n===\n\n15.2.1 (2026-01-01)\n===================\n",
            1
        )
    );
    let tags = repo.git(&["tag", "--list"]);
    assert!(tags.contains("15.2.1"), "{tags}");
    let output = relman(&repo, &["changelog", "--version", "15.2.1"]);
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "15.2.1 (2026-01-01)\n===================\nParse ISO week dates.\n"
    );
}

#[test]
fn a_history_without_conventional_commits_gets_the_list_of_its_changes() {
    let repo = TestRepo::new();
    repo.write("VERSION", "2.0.0\n");
    repo.commit("Start");
    repo.tag("v2.0.0");
    repo.commit_file("a.txt", "a", "Retry on connection resets (#14)");
    repo.commit_file("b.txt", "b", "ignore: formatting");
    repo.push(&["main", "--tags"]);
    let output = relman(&repo, &["version", "--next", "auto"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "2.0.1\n");
    let output = relman(&repo, &["changelog"]);
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "## 2.0.1 - 2026-01-01\n\n### Changes\n\n- ignore: formatting\n- Retry on connection resets (#14)\n"
    );
    let output = relman(&repo, &["plan", "release"]);
    assert_exit(&output, 0);
    assert!(
        !stdout(&output).contains("nothing to release"),
        "{}",
        stdout(&output)
    );
}

/// A towncrier project with two releases in its news file and a `feature` fragment waiting.
fn towncrier_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"frag\"\nversion = \"1.1.0\"\n\n[tool.towncrier]\ndirectory = \"changes\"\nfilename = \"NEWS.rst\"\n",
    );
    repo.write(
        "NEWS.rst",
        ".. towncrier release notes start\n\nfrag 1.1.0 (2025-06-01)\n=======================\n\nFeatures\n--------\n\n- Weeks. (#2)\n\n\nfrag 1.0.0 (2025-01-01)\n=======================\n\nFeatures\n--------\n\n- First. (#1)\n",
    );
    repo.write("changes/3.feature.rst", "Months.\n");
    repo.commit("Start");
    repo.tag("v1.0.0");
    repo.commit_file("a.txt", "a", "Release 1.1.0");
    repo.tag("v1.1.0");
    repo
}

#[test]
fn a_towncrier_project_prints_its_news_file_sections() {
    let repo = towncrier_project();
    let output = relman(&repo, &["changelog", "--all"]);
    assert_exit(&output, 0);
    let all = stdout(&output);
    assert_eq!(
        all,
        "frag 1.1.0 (2025-06-01)\n=======================\n\nFeatures\n--------\n\n- Weeks. (#2)\n\nfrag 1.0.0 (2025-01-01)\n=======================\n\nFeatures\n--------\n\n- First. (#1)\n"
    );
    let output = relman(&repo, &["changelog", "--version", "1.0.0"]);
    assert_exit(&output, 0);
    let one = stdout(&output);
    assert!(
        all.ends_with(&one),
        "--version prints what --all does:\n{one}"
    );
    let output = relman(&repo, &["--json", "changelog", "--version", "v1.1.0"]);
    assert_exit(&output, 0);
    let json: serde_json::Value = serde_json::from_str(stdout(&output).trim()).unwrap();
    assert_eq!(json["version"], "1.1.0");
    assert!(all.starts_with(json["section"].as_str().unwrap()), "{json}");
    let output = relman(&repo, &["--json", "changelog", "--all"]);
    assert_exit(&output, 0);
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["version"], "1.0.0");
    // The feature fragment waiting makes `auto` a minor release.
    let output = relman(&repo, &["version", "--next", "auto"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "1.2.0\n", "{}", stderr(&output));
}
