//! Reading towncrier configurations: defaults, precedence, the two ways of declaring types, and
//! errors that point into the file.

use std::path::{Path, PathBuf};

use super::*;

fn parse(text: &str) -> Result<TowncrierConfig, TowncrierError> {
    TowncrierConfig::from_toml(
        Path::new("/p"),
        PathBuf::from("/p/pyproject.toml"),
        text,
        None,
    )
}

#[test]
fn defaults_are_towncrier_defaults() {
    let config = parse("[tool.towncrier]\n").unwrap();
    assert_eq!(config.filename, "NEWS.rst");
    assert_eq!(config.start_string, ".. towncrier release notes start\n");
    assert_eq!(config.template, TemplateSource::Default { markdown: false });
    assert_eq!(
        config.type_keys(),
        ["feature", "bugfix", "doc", "removal", "misc"]
    );
    assert_eq!(
        config.section_dir(&config.sections[0]),
        Path::new("/p/./newsfragments")
    );
    assert_eq!(config.underlines, ["=", "-", "~"]);
    assert!(config.all_bullets && config.single_file && config.wrap.is_none());
}

#[test]
fn markdown_filename_picks_markdown_marker_and_template() {
    let config =
        parse("[tool.towncrier]\nfilename = \"CHANGELOG.md\"\ndirectory = \"changes\"\n").unwrap();
    assert_eq!(
        config.start_string,
        "<!-- towncrier release notes start -->\n"
    );
    assert_eq!(config.template, TemplateSource::Default { markdown: true });
    assert_eq!(config.fragment_root(), Path::new("/p/changes/"));
}

#[test]
fn fragment_tables_are_sorted_and_named() {
    let text = "[tool.towncrier.fragment.feature]\n[tool.towncrier.fragment.chore]\nname = \"Chores\"\nshowcontent = false\n";
    let config = parse(text).unwrap();
    assert_eq!(config.type_keys(), ["chore", "feature"]);
    assert_eq!(config.types[1].name, "Feature");
    assert!(!config.types[0].showcontent);
}

#[test]
fn type_array_directory_defaults_to_lowercase_name() {
    let text = "[[tool.towncrier.type]]\nname = \"Security\"\n[[tool.towncrier.type]]\ndirectory = \"fix\"\nname = \"Fixes\"\nshowcontent = true\n";
    let config = parse(text).unwrap();
    assert_eq!(config.type_keys(), ["security", "fix"]);
}

#[test]
fn wrong_types_name_file_line_and_column() {
    let error = parse("[tool.towncrier]\nall_bullets = \"no\"\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "/p/pyproject.toml:2:15: `all_bullets` must be a boolean: false or true"
    );
    let error = parse("[tool.towncrier]\nsinglefile = true\n").unwrap_err();
    assert_eq!(error.hint().as_deref(), Some("did you mean `single_file`?"));
    let error = parse("[tool.towncrier]\nfilename = \n").unwrap_err();
    assert!(
        error.to_string().starts_with("/p/pyproject.toml:2:"),
        "{error}"
    );
    let error = parse("[[tool.towncrier.type]]\ndirectory = \"x\"\n").unwrap_err();
    assert!(error.to_string().contains("`name` is missing"), "{error}");
}

#[test]
fn wrap_and_title_format_values() {
    assert_eq!(
        parse("[tool.towncrier]\nwrap = true\n").unwrap().wrap,
        Some(79)
    );
    assert_eq!(
        parse("[tool.towncrier]\nwrap = 0\n").unwrap().wrap,
        Some(79)
    );
    assert_eq!(
        parse("[tool.towncrier]\nwrap = 60\n").unwrap().wrap,
        Some(60)
    );
    assert_eq!(
        parse("[tool.towncrier]\ntitle_format = false\n")
            .unwrap()
            .title_format,
        TitleFormat::Disabled
    );
    assert!(parse("[tool.towncrier]\ntitle_format = true\n").is_err());
    assert_eq!(
        parse("[tool.towncrier]\nunderlines = \"*^\"\n")
            .unwrap()
            .underlines,
        ["*", "^"]
    );
}

#[test]
fn templates_resolve_like_towncrier() {
    let md =
        parse("[tool.towncrier]\nfilename = \"X.md\"\ntemplate = \"towncrier:default\"\n").unwrap();
    assert_eq!(md.template, TemplateSource::Default { markdown: true });
    let rst =
        parse("[tool.towncrier]\nfilename = \"X.md\"\ntemplate = \"towncrier:default.rst\"\n")
            .unwrap();
    assert_eq!(rst.template, TemplateSource::Default { markdown: false });
    let error =
        parse("[tool.towncrier]\ntemplate = \"towncrier:hr-between-versions\"\n").unwrap_err();
    assert!(
        matches!(error, TowncrierError::UnsupportedTemplate { .. }),
        "{error}"
    );
    let error = parse("[tool.towncrier]\ntemplate = \"missing/template.rst\"\n").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("missing/template.rst` does not exist"),
        "{error}"
    );
}

#[test]
fn project_name_fills_package_and_name() {
    let config = TowncrierConfig::from_toml(
        Path::new("/p"),
        PathBuf::from("/p/towncrier.toml"),
        "[tool.towncrier]\n",
        Some("demo"),
    )
    .unwrap();
    assert_eq!(
        (config.package.as_str(), config.name.as_str()),
        ("demo", "demo")
    );
}

#[test]
fn bad_issue_pattern_is_reported() {
    let error = parse("[tool.towncrier]\nissue_pattern = \"(\"\n").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`issue_pattern` `(` is not a valid regular expression"),
        "{error}"
    );
}
