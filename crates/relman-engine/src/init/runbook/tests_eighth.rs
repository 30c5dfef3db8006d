//! The eighth round: an edit asked for in prose, drafted where the file the line names holds
//! the value today (each runbook here is synthetic, and so is the work tree it is drafted in).

use relman_version::files::{ValuePlace, plan_value};

use super::ProjectFacts;
use super::tests::{drafted_with, facts};

/// A work tree holding `files`, and facts of a project released at 1.4.0 (files at 1.5.0.dev0).
fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, ProjectFacts) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        fs_err::create_dir_all(full.parent().unwrap()).unwrap();
        fs_err::write(full, text).unwrap();
    }
    let facts = ProjectFacts {
        root: Some(dir.path().to_owned()),
        version_files: vec!["pyproject.toml".to_owned()],
        versions: vec!["1.4.0".to_owned(), "1.5.0.dev0".to_owned()],
        ..facts()
    };
    (dir, facts)
}

#[test]
fn the_version_in_a_named_file_is_an_edit_where_the_file_holds_it() {
    let (_dir, facts) = tree(&[
        (
            "docs/install.md",
            "Install:\n\n    pip install demo==1.4.0\n\nSince 1.1.0.\n",
        ),
        ("pyproject.toml", "[project]\nversion = \"1.5.0.dev0\"\n"),
    ]);
    let toml = drafted_with("1. Update the version in `docs/install.md`.\n", &facts);
    assert!(
        toml.contains(
            "edit = \"docs/install.md\"\npattern = \"demo=={value}\"\nvalue = \"{version}\"\n"
        ),
        "{toml}"
    );
    assert!(!toml.contains("bump = "), "{toml}");
    // Said of a version file, the line is the bump's.
    let toml = drafted_with("1. Update the version in `pyproject.toml`.\n", &facts);
    assert!(toml.contains("bump = \"{args.bump}\""), "{toml}");
    assert!(!toml.contains("edit = "), "{toml}");
    // A line that writes a value without the word "version" but names a release.
    let toml = drafted_with(
        "- Refresh the link to the latest release in docs/install.md\n",
        &facts,
    );
    assert!(toml.contains("edit = \"docs/install.md\""), "{toml}");
}

#[test]
fn no_edit_is_drafted_where_no_place_holds_once_or_the_file_is_not_the_repositorys() {
    let many = "1.4.0 1.4.0 1.4.0 1.4.0\n";
    let outside = tempfile::tempdir().unwrap();
    fs_err::write(outside.path().join("secret.md"), "demo==1.4.0\n").unwrap();
    let (dir, facts) = tree(&[
        ("HISTORY.md", many),
        ("docs/none.md", "no versions here, only 1.4.01 and 21.4.0\n"),
        ("docs/pre.md", "get 1.4.0-rc1 or 1.4.0.post1\n"),
    ]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        dir.path().join("linked.md"),
    )
    .unwrap();
    for line in [
        "1. Update the version in `HISTORY.md`.",
        "1. Update the version in `docs/none.md`.",
        "1. Update the version in `docs/pre.md`.",
        "1. Update the version in `docs/missing.md`.",
        "1. Update the version in `linked.md`.",
        "1. Update the version in `../secret.md`.",
        &format!(
            "1. Update the version in `{}`.",
            outside.path().join("secret.md").display()
        ),
        // The next version, and several values ("the versions"), are no place found today.
        "1. Update `docs/pre.md` to the next version.",
    ] {
        let toml = drafted_with(&format!("{line}\n"), &facts);
        assert!(!toml.contains("edit = "), "{line}\n{toml}");
    }
    // Release notes hold versions as history: the changelog step's, no place to edit.
    let (_dir, facts) = tree(&[
        ("CHANGELOG.md", "# Changes\n\n## 1.4.0 / 2024-01-01\n"),
        ("pyproject.toml", "[project]\nversion = \"1.4.0\"\n"),
    ]);
    let toml = drafted_with(
        "Bump the version in `pyproject.toml` and update `CHANGELOG.md`.\n",
        &facts,
    );
    assert!(toml.contains("bump = "), "{toml}");
    assert!(!toml.contains("edit = \""), "{toml}");
    // "The versions in the headers" are several values; the bump stays what it was.
    let (_dir, facts) = tree(&[("include/demo.h", "#define DEMO_VERSION \"1.4.0\"\n")]);
    let toml = drafted_with(
        "- Bump the versions in the headers (`include/demo.h`)\n",
        &facts,
    );
    assert!(!toml.contains("edit = "), "{toml}");
}

/// Runs the drafted `edit` steps in order on the work tree, with `value` for their value.
fn run_edits(root: &std::path::Path, toml: &str, value: &str) {
    let parsed: toml::Table = toml.parse().unwrap();
    let steps = parsed["workflow"]["release"]["step"].as_array().unwrap();
    for step in steps.iter().filter(|step| step.get("edit").is_some()) {
        let file = step["edit"].as_str().unwrap();
        let place = ValuePlace::Pattern(step["pattern"].as_str().unwrap().to_owned());
        let (_, edit) = plan_value(root, std::path::Path::new(file), &place, value).unwrap();
        let edit = edit.unwrap();
        fs_err::write(&edit.path, &edit.after).unwrap();
    }
}

#[test]
fn places_on_one_line_are_edited_in_an_order_where_each_pattern_still_reads() {
    let (dir, facts) = tree(&[(
        "docs/download.md",
        "[demo 1.4.0](https://example.org/v1.4.0/demo.zip) (stable)\n[demo 2.0.0a1](https://example.org/v2.0.0a1/demo.zip)\n",
    )]);
    let toml = drafted_with("* Update the release in `docs/download.md`\n", &facts);
    assert_eq!(
        toml.matches("edit = \"docs/download.md\"").count(),
        2,
        "{toml}"
    );
    // Each pattern finds its place once when its step runs: the file ends with both places at
    // the new version and the pre-release's line as it was.
    run_edits(dir.path(), &toml, "1.5.0");
    assert_eq!(
        fs_err::read_to_string(dir.path().join("docs/download.md")).unwrap(),
        "[demo 1.5.0](https://example.org/v1.5.0/demo.zip) (stable)\n[demo 2.0.0a1](https://example.org/v2.0.0a1/demo.zip)\n"
    );
}

#[test]
fn the_date_in_a_named_file_is_an_edit_to_the_release_date() {
    let (_dir, facts) = tree(&[(
        "CITATION.cff",
        "cff-version: 1.2.0\ntitle: demo\nversion: 1.4.0\ndate-released: 2024-03-05\n",
    )]);
    let toml = drafted_with("- Set the date in `CITATION.cff`\n", &facts);
    assert!(
        toml.contains(
            "edit = \"CITATION.cff\"\npattern = \"date-released: {value}\"\nvalue = \"{date}\"\n"
        ),
        "{toml}"
    );
    // A date in a release of several packages is still one date.
    let several = ProjectFacts {
        several_packages: true,
        ..facts.clone()
    };
    let toml = drafted_with("- Set the date in `CITATION.cff`\n", &several);
    assert!(toml.contains("value = \"{date}\""), "{toml}");
    // The version there is an edit too, but not where `{version}` lists several packages.
    let toml = drafted_with("- Set the version in `CITATION.cff`\n", &several);
    assert!(!toml.contains("edit = "), "{toml}");
}

#[test]
fn files_named_in_the_items_below_an_update_are_each_edited() {
    let (dir, facts) = tree(&[
        (
            "README.md",
            "Add `demo:1.4.0` to your build, or\n\n<version>1.4.0</version>\n",
        ),
        ("docs/guide.md", "    demo:1.4.0\n"),
    ]);
    let toml = drafted_with(
        "1. Update the version references in (there may be several):\n    - [`README.md`](README.md)\n    - [`docs/guide.md`](docs/guide.md)\n",
        &facts,
    );
    assert_eq!(toml.matches("edit = \"README.md\"").count(), 2, "{toml}");
    assert!(
        toml.contains("pattern = \"<version>{value}</version>\""),
        "{toml}"
    );
    assert!(toml.contains("edit = \"docs/guide.md\""), "{toml}");
    assert!(!toml.contains("manual = "), "{toml}");
    run_edits(dir.path(), &toml, "1.5.0");
    assert_eq!(
        fs_err::read_to_string(dir.path().join("README.md")).unwrap(),
        "Add `demo:1.5.0` to your build, or\n\n<version>1.5.0</version>\n"
    );
}

#[test]
fn a_snippet_repeated_in_a_page_is_told_apart_by_the_lines_around_it() {
    let page = "```yaml\n- id: demo\n  rev: 1.4.0\n```\n\nOr the other hook:\n\n```yaml\n- id: demo-lint\n  rev: 1.4.0\n```\n";
    let (dir, facts) = tree(&[("docs/usage/hooks.md", page)]);
    // A documentation page named as Sphinx and MyST name it, without its extension.
    let toml = drafted_with(
        "1. Update references to the released version in {doc}`/usage/hooks`\n",
        &facts,
    );
    assert_eq!(
        toml.matches("edit = \"docs/usage/hooks.md\"").count(),
        2,
        "{toml}"
    );
    run_edits(dir.path(), &toml, "1.5.0");
    assert_eq!(
        fs_err::read_to_string(dir.path().join("docs/usage/hooks.md")).unwrap(),
        page.replace("1.4.0", "1.5.0")
    );
    // Leading out of the documentation's folder is no page of it.
    let toml = drafted_with("1. Update the version in :doc:`../../etc/hooks`\n", &facts);
    assert!(!toml.contains("edit = "), "{toml}");
}

#[test]
fn the_release_notes_named_as_a_file_with_a_verb_that_writes_them_are_the_changelog_step() {
    let (_dir, facts) = tree(&[
        ("WhatsNew.txt", "1.4.0:\n  * things\n"),
        ("CHANGELOG.md", "# Changes\n\n## 1.4.0\n"),
        ("docs/whats-new.rst", "What's new\n==========\n"),
        ("CHANGES.rst", "Changes\n=======\n"),
    ]);
    for line in [
        "* Update `WhatsNew.txt`",
        "3. Ensure CHANGELOG is updated and add the current date",
        "2. Ensure /CHANGELOG.md is updated, versioned and dated",
        "* Add the release notes to `docs/whats-new.rst`",
        "- [ ] Update the version in changelog.md and its header",
    ] {
        let toml = drafted_with(&format!("{line}\n"), &facts);
        assert!(toml.contains("changelog = \"update\""), "{line}\n{toml}");
        assert!(
            !toml.contains("bump = ") && !toml.contains("manual = "),
            "{line}\n{toml}"
        );
    }
    // Notes a person writes or judges, a file not named as release notes, the section for the
    // next release: as before.
    for line in [
        "* Write a summary in `CHANGELOG.md`",
        "* Make sure `CHANGELOG.md` reflects everything worth saying",
        "* Update `RELEASES.txt`",
        "* Add a section for the next release to `docs/whats-new.rst`",
        "* Make sure the default version of the docs is up to date with the changes",
        "* Edit `site/page.html` (insert the changes from CHANGELOG.md)",
        "1. Open a PR editing `CHANGELOG.md` and the docs to version the latest changes",
    ] {
        let toml = drafted_with(&format!("{line}\n"), &facts);
        assert!(!toml.contains("\nchangelog = \"update\""), "{line}\n{toml}");
    }
}

#[test]
fn a_checklist_copied_to_a_new_issue_opens_the_issue_and_closing_it_closes_that_one() {
    let toml = drafted_with(
        "* [ ] copy this checklist to a new issue, called \"Release X.Y.Z\"\n* [ ] tag the release\n* [ ] close this issue\n",
        &facts(),
    );
    assert!(
        toml.contains("http = \"POST https://api.github.com/repos/acme/demo/issues\""),
        "{toml}"
    );
    assert!(toml.contains("/issues/{steps.issue.number}"), "{toml}");
    // Copied anywhere else, or a new issue in another tracker, it is not.
    for line in [
        "* copy the notes to the release page",
        "* copy this checklist to a new Jira issue",
    ] {
        let toml = drafted_with(&format!("{line}\n"), &facts());
        assert!(!toml.contains("http = "), "{line}\n{toml}");
    }
}
