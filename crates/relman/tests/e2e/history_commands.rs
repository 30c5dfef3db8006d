//! `relman version`, `relman changelog` and `relman fragment` on real repositories, without a
//! relman.toml: what they print, and every bad input of issue 2 (a clear message naming the file,
//! value or ref; exit 2; nothing written).

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, assert_unchanged, relman, relman_in, snapshot, stderr, stdout};

/// A Python project released as 1.2.0, with a feature, a fix and a docs commit since.
fn python_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("setup.py", "from setuptools import setup\n\nVERSION = \"1.2.0\"\n\nsetup(name=\"demo\", version=VERSION)\n");
    repo.write("demo/__init__.py", "__version__ = \"1.2.0\"\n");
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## 1.2.0 - 2024-01-01\n\n### Features\n\n- First.\n",
    );
    repo.commit("chore: start");
    repo.tag_annotated("v1.2.0", "Release 1.2.0");
    repo.commit_file("a.txt", "a\n", "feat(api): accept ISO weeks (#12)");
    repo.commit_file("b.txt", "b\n", "fix: keep the UTC offset");
    repo.commit_file("c.txt", "c\n", "docs: typo");
    repo
}

#[test]
fn version_and_next_versions_without_config() {
    let repo = python_project();
    let output = relman(&repo, &["version"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "1.2.0\n");
    let output = relman(&repo, &["version", "--next", "auto"]);
    assert_eq!(stdout(&output), "1.3.0\n");
    let output = relman(&repo, &["version", "--next", "rc"]);
    assert_eq!(
        stdout(&output),
        "1.2.1rc0\n",
        "pep440 is the scheme of a Python project"
    );
    let output = relman(&repo, &["version", "--next", "preminor"]);
    assert_eq!(stdout(&output), "1.3.0a0\n");
    let output = relman(&repo, &["--json", "version", "--next", "major"]);
    assert_eq!(
        stdout(&output),
        "{\"version\":\"1.2.0\",\"next\":\"2.0.0\"}\n"
    );
}

#[test]
fn unreleased_section_and_write() {
    let repo = python_project();
    let output = relman(&repo, &["changelog"]);
    assert_exit(&output, 0);
    let section = stdout(&output);
    assert!(section.starts_with("## 1.3.0 - 2026-01-01\n"), "{section}");
    assert!(
        section.contains("### Features\n\n- **api:** accept ISO weeks (#12) ("),
        "{section}"
    );
    assert!(
        section.contains("### Bug fixes\n\n- keep the UTC offset ("),
        "{section}"
    );
    assert!(
        !section.contains("typo"),
        "docs commits are not in the notes: {section}"
    );

    let output = relman(&repo, &["changelog", "--write"]);
    assert_exit(&output, 0);
    let changelog = repo.read("CHANGELOG.md");
    assert!(
        changelog.starts_with(&format!(
            "# Changelog\n\n{section}\n## 1.2.0 - 2024-01-01\n"
        )),
        "{changelog}"
    );
    // Written once: reading the section back gives exactly what was printed.
    let output = relman(&repo, &["changelog", "--version", "1.3.0"]);
    assert_exit(&output, 0);
    assert!(
        section.contains(stdout(&output).trim_end()),
        "{}",
        stdout(&output)
    );
}

#[test]
fn full_history_changelog_has_every_release_newest_first() {
    let repo = python_project();
    repo.tag_annotated("v1.3.0", "Release 1.3.0");
    repo.commit_file("d.txt", "d\n", "fix: unreleased");
    let output = relman(&repo, &["changelog", "--all"]);
    assert_exit(&output, 0);
    let text = stdout(&output);
    let first = text.find("## 1.3.0").expect("1.3.0 section");
    let second = text.find("## 1.2.0").expect("1.2.0 section");
    assert!(first < second, "{text}");
    assert!(
        !text.contains("unreleased"),
        "commits after the last tag are in no release: {text}"
    );
    assert!(text[first..second].contains("accept ISO weeks"), "{text}");
}

#[test]
fn version_files_are_read_as_configured_and_tags_only_projects_work() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/demo\n");
    repo.commit("feat: first");
    repo.tag("v0.3.0");
    repo.commit_file("x.go", "package x\n", "feat: more");
    let output = relman(&repo, &["version"]);
    assert_exit(&output, 0);
    assert_eq!(
        stdout(&output),
        "0.3.0\n",
        "no version file: the last release tag holds it"
    );
    let output = relman(&repo, &["version", "--next", "auto"]);
    assert_eq!(stdout(&output), "0.4.0\n");
}

#[test]
fn fragment_new_creates_the_file_towncrier_would() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", "[project]\nname = \"demo\"\nversion = \"1.0.0\"\n\n[tool.towncrier]\ndirectory = \"CHANGELOG.D\"\nfilename = \"CHANGELOG.md\"\n");
    repo.write("CHANGELOG.D/.gitignore", "!.gitignore\n");
    repo.commit("chore: start");
    let output = relman(
        &repo,
        &["fragment", "new", "feature", "123", "-m", "Add weeks."],
    );
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "CHANGELOG.D/123.feature.md\n");
    assert_eq!(repo.read("CHANGELOG.D/123.feature.md"), "Add weeks.\n");
}

// ---- bad input: exit 2, the message names what is wrong, nothing is written -------------

/// Runs relman, asserts exit 2 and that nothing changed on disk, and returns stderr.
#[track_caller]
fn refused(repo: &TestRepo, args: &[&str]) -> String {
    let before = snapshot(repo.path());
    let output = relman(repo, args);
    assert_exit(&output, 2);
    assert_unchanged(&before, &snapshot(repo.path()));
    stderr(&output)
}

#[test]
fn an_unparsable_version_in_a_file_names_the_file_and_the_value() {
    let repo = python_project();
    repo.write("setup.py", "VERSION = \"1.2.x\"\nsetup(version=VERSION)\n");
    repo.commit("chore: break it");
    let message = refused(&repo, &["changelog", "--write"]);
    assert!(
        message.contains("setup.py") && message.contains("`1.2.x`"),
        "{message}"
    );
    assert!(message.contains("not a pep440 version"), "{message}");
}

#[test]
fn version_files_that_disagree_are_listed_one_by_one() {
    let repo = python_project();
    repo.write("demo/__init__.py", "__version__ = \"1.2.1\"\n");
    repo.commit("chore: drift");
    let message = refused(&repo, &["changelog", "--write"]);
    assert!(message.contains("the version files disagree"), "{message}");
    assert!(message.contains("setup.py:3: 1.2.0"), "{message}");
    assert!(message.contains("demo/__init__.py:1: 1.2.1"), "{message}");
}

#[test]
fn a_tag_format_without_version_points_at_the_config() {
    let repo = python_project();
    repo.write("relman.toml", "[project]\ntag = \"release\"\n");
    let message = refused(&repo, &["version"]);
    assert!(
        message.contains("relman.toml:2:7: tag format `release`"),
        "{message}"
    );
    assert!(
        message.contains("2 | tag = \"release\""),
        "the offending line is shown: {message}"
    );
}

#[test]
fn tags_that_match_the_format_but_not_the_scheme_are_ignored_with_one_note() {
    let repo = python_project();
    repo.tag("vnext");
    repo.tag_annotated("v1.x", "not a version");
    for args in [
        &["version", "--next", "auto"][..],
        &["changelog", "--unreleased"],
        &["changelog", "--all"],
    ] {
        let output = relman(&repo, args);
        assert_exit(&output, 0);
        assert_eq!(stderr(&output), "", "relman {args:?}");
    }
    let output = relman(&repo, &["check"]);
    assert_exit(&output, 0);
    let notes: Vec<String> = stdout(&output)
        .lines()
        .filter(|line| line.contains("vnext"))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        notes,
        [
            "✓ 2 tags in the form `v{version}` are no release of this project and were ignored (`v1.x`, `vnext`); \
          `ignore-tags = [\"v*.x\", \"vnext\"]` under `[project]` in relman.toml says so and silences this"
        ]
    );
    // A tag that is not in the format at all is none of relman's business.
    repo.git(&["tag", "-d", "vnext", "v1.x"]);
    repo.tag("nightly");
    let output = relman(&repo, &["check"]);
    assert_exit(&output, 0);
    assert!(!stdout(&output).contains("ignored"), "{}", stdout(&output));
}

#[test]
fn ignore_tags_names_the_tags_that_are_not_releases() {
    let repo = python_project();
    // `v1` moved along the major version (as GitHub Actions do) and a botched release tag.
    repo.tag("v1");
    repo.tag("vnext");
    repo.write(
        "relman.toml",
        "[project]\nignore-tags = [\"v[0-9]\", \"vnext\"]\n",
    );
    repo.commit("chore: relman.toml");
    let output = relman(&repo, &["version", "--next", "auto"]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "1.3.0\n");
    assert_eq!(stderr(&output), "");
    let output = relman(&repo, &["changelog", "--all"]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("## 1.2.0 - "),
        "{}",
        stdout(&output)
    );

    // A listed tag is not a release even when it parses: the release before it is the previous one.
    repo.tag("v1.2.9");
    repo.write(
        "relman.toml",
        "[project]\nignore-tags = [\"v[0-9]\", \"vnext\", \"v1.2.9\"]\n",
    );
    let output = relman(&repo, &["changelog", "--unreleased"]);
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains("accept ISO weeks"),
        "the commits since v1.2.0: {}",
        stdout(&output)
    );

    // A glob that does not compile is a config error with its place.
    repo.write("relman.toml", "[project]\nignore-tags = [\"v[\"]\n");
    let message = refused(&repo, &["version", "--next", "auto"]);
    assert!(
        message.contains("relman.toml:2:16") && message.contains("`v[` is not a glob"),
        "{message}"
    );
}

#[test]
fn an_explicit_version_lower_than_the_current_names_both() {
    let repo = python_project();
    let message = refused(&repo, &["version", "--next", "1.1.0"]);
    assert!(
        message.contains("1.1.0") && message.contains("1.2.0"),
        "{message}"
    );
}

#[test]
fn an_unknown_bump_level_suggests_the_nearest() {
    let repo = python_project();
    let message = refused(&repo, &["version", "--next", "mnior"]);
    assert!(message.contains("`mnior`"), "{message}");
    assert!(message.contains("did you mean `minor`?"), "{message}");
}

#[test]
fn a_towncrier_config_naming_a_missing_folder_names_both() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", "[project]\nname = \"demo\"\nversion = \"1.0.0\"\n\n[tool.towncrier]\ndirectory = \"changes\"\n");
    repo.commit("chore: start");
    let message = refused(&repo, &["changelog"]);
    assert!(
        message.contains("changes") && message.contains("pyproject.toml"),
        "{message}"
    );
}

#[test]
fn a_fragment_of_an_unknown_type_lists_the_valid_ones() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", "[project]\nname = \"demo\"\nversion = \"1.0.0\"\n\n[tool.towncrier]\ndirectory = \"CHANGELOG.D\"\n");
    repo.write("CHANGELOG.D/.gitignore", "!.gitignore\n");
    repo.commit("chore: start");
    let message = refused(&repo, &["fragment", "new", "featur", "12", "-m", "x"]);
    assert!(message.contains("`featur`"), "{message}");
    assert!(
        message.contains("feature") && message.contains("bugfix"),
        "{message}"
    );
}

#[test]
fn a_changelog_without_the_version_lists_those_it_has() {
    let repo = python_project();
    let message = refused(&repo, &["changelog", "--version", "9.9.9"]);
    assert!(
        message.contains("CHANGELOG.md") && message.contains("9.9.9"),
        "{message}"
    );
    assert!(
        message.contains("1.2.0"),
        "the versions present are listed: {message}"
    );
}

#[test]
fn a_repository_without_commits_says_so() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    let message = refused(&repo, &["changelog"]);
    assert!(message.contains("no commits"), "{message}");
}

#[test]
fn a_shallow_clone_says_how_to_deepen_it() {
    let repo = python_project();
    repo.push(&["main", "--tags"]);
    let clone = repo.root().join("shallow");
    repo.git_in(
        repo.root(),
        &[
            "clone",
            "--quiet",
            "--depth",
            "1",
            &repo.remote_url(),
            "shallow",
        ],
    );
    let before = snapshot(&clone);
    let output = relman_in(&repo, &clone, &["changelog"]);
    assert_exit(&output, 2);
    assert_unchanged(&before, &snapshot(&clone));
    let message = stderr(&output);
    assert!(message.contains("shallow"), "{message}");
    assert!(message.contains("git fetch --unshallow"), "{message}");
}
