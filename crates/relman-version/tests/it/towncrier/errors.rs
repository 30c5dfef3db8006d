//! What bad towncrier input gets: errors that name the file and the value, with a hint.

use std::path::Path;

use relman_version::changelog::towncrier::{BuildOptions, TowncrierConfig, TowncrierError, build};

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = temp.path().join(name);
        fs_err::create_dir_all(path.parent().unwrap()).unwrap();
        fs_err::write(path, text).unwrap();
    }
    temp
}

fn build_in(dir: &Path) -> Result<relman_version::changelog::towncrier::Build, TowncrierError> {
    let config = TowncrierConfig::discover(dir)?.expect("a towncrier configuration");
    build(
        &config,
        &BuildOptions {
            version: "1.0".into(),
            date: "2025-01-01".into(),
            name: None,
        },
    )
}

const PYPROJECT: &str = "[tool.towncrier]\ndirectory = \"changes\"\nfilename = \"CHANGELOG.md\"\n";

#[test]
fn a_missing_fragment_folder_names_folder_and_config() {
    let temp = project(&[("pyproject.toml", PYPROJECT)]);
    let error = build_in(temp.path()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("changes")
            && message.contains("pyproject.toml")
            && message.contains("does not exist"),
        "{message}"
    );
    assert!(
        error.hint().unwrap().contains("mkdir -p"),
        "{:?}",
        error.hint()
    );
}

#[test]
fn unknown_types_are_skipped_unless_ignore_is_set() {
    let temp = project(&[
        ("pyproject.toml", PYPROJECT),
        ("changes/1.feature", "Kept.\n"),
        ("changes/2.feat", "Typo.\n"),
    ]);
    let built = build_in(temp.path()).unwrap();
    assert_eq!(
        built.fragment_files(),
        [temp.path().join("changes/1.feature")]
    );
    assert!(!built.contents.contains("Typo"));

    let strict = format!("{PYPROJECT}ignore = [\"notes.txt\"]\n");
    let temp = project(&[
        ("pyproject.toml", &strict),
        ("changes/notes.txt", ""),
        ("changes/2.feat", "Typo.\n"),
    ]);
    let error = build_in(temp.path()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("2.feat")
            && message.contains("`feature`, `bugfix`, `doc`, `removal`, `misc`"),
        "{message}"
    );
    assert!(error.hint().unwrap().contains("ignore"));
}

#[test]
fn issue_pattern_mismatch_names_the_fragment() {
    let config = format!("{PYPROJECT}issue_pattern = \"\\\\d+\"\n");
    let temp = project(&[
        ("pyproject.toml", &config),
        ("changes/gh-1.feature", "x\n"),
        ("changes/+o.feature", "orphans pass\n"),
    ]);
    let message = build_in(temp.path()).unwrap_err().to_string();
    assert!(
        message.contains("gh-1.feature") && message.contains("`gh-1`") && message.contains("\\d+"),
        "{message}"
    );
}

#[test]
fn two_files_for_one_fragment_are_refused() {
    let temp = project(&[
        ("pyproject.toml", PYPROJECT),
        ("changes/1.feature", "a\n"),
        ("changes/01.feature.md", "b\n"),
    ]);
    let error = build_in(temp.path()).unwrap_err();
    assert!(
        matches!(error, TowncrierError::DuplicateFragment { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("issue `1`, type `feature`"),
        "{error}"
    );
}

#[test]
fn releasing_a_title_twice_is_refused() {
    let config = format!("{PYPROJECT}title_format = \"## {{version}}\"\n");
    let temp = project(&[
        ("pyproject.toml", &config),
        ("changes/1.feature", "x\n"),
        (
            "CHANGELOG.md",
            "<!-- towncrier release notes start -->\n## 1.0\n",
        ),
    ]);
    let error = build_in(temp.path()).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("already has the release `## 1.0`"),
        "{error}"
    );
}

#[test]
fn malformed_toml_points_at_the_line() {
    let temp = project(&[("towncrier.toml", "[tool.towncrier]\ndirectory = = 1\n")]);
    let error = TowncrierConfig::discover(temp.path()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("towncrier.toml:2:"), "{message}");
}

#[test]
fn without_a_towncrier_table_there_is_no_configuration() {
    let temp = project(&[("pyproject.toml", "[project]\nname = \"x\"\n")]);
    assert_eq!(TowncrierConfig::discover(temp.path()).unwrap(), None);
}

#[test]
fn a_template_that_mutates_lists_says_so() {
    // A list started empty is a Python list (the scenario `rst-int-default-template`); one
    // started with items is minijinja's, which cannot change.
    let template = "{% set xs = [0] %}{% set _ = xs.append(1) %}{{ xs }}";
    let config = format!("{PYPROJECT}template = \"t.md\"\n");
    let temp = project(&[
        ("pyproject.toml", &config),
        ("t.md", template),
        ("changes/1.feature", "x\n"),
    ]);
    let error = build_in(temp.path()).unwrap_err();
    assert!(
        error.to_string().contains("t.md") && error.to_string().contains("append"),
        "{error}"
    );
}

#[test]
fn a_fragment_or_news_file_that_is_a_device_is_refused_not_read() {
    // A link to /dev/zero grew without end until relman was killed.
    let temp = project(&[
        ("pyproject.toml", PYPROJECT),
        ("changes/2.feature", "Kept.\n"),
    ]);
    std::os::unix::fs::symlink("/dev/zero", temp.path().join("changes/1.feature")).unwrap();
    let message = build_in(temp.path()).unwrap_err().to_string();
    assert!(
        message.contains("1.feature`: it is a character device, not a regular file"),
        "{message}"
    );
    fs_err::remove_file(temp.path().join("changes/1.feature")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", temp.path().join("CHANGELOG.md")).unwrap();
    let message = build_in(temp.path()).unwrap_err().to_string();
    assert!(
        message.contains("CHANGELOG.md`: it is a character device, not a regular file"),
        "{message}"
    );
}
