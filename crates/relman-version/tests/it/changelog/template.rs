//! User templates for a release's section.

use relman_version::changelog::links::{Forge, ForgeKind};
use relman_version::changelog::markdown::render_section;
use relman_version::changelog::notes::{NotesOptions, ReleaseNotes};
use relman_version::changelog::template::{ChangelogTemplate, TemplateError};
use relman_version::conventional::parse;

use super::markdown::{github, notes};
use super::{data, expect_file};

fn template(name: &str) -> ChangelogTemplate {
    ChangelogTemplate::load(&data(&format!("templates/{name}"))).unwrap()
}

#[test]
fn a_template_can_reproduce_the_default_section() {
    let template = template("default.md.j2");
    let gitlab = Forge::new(ForgeKind::GitLab, "https://gitlab.com/group/project");
    let mut first = ReleaseNotes::new("1.0.0", "v1.0.0", "2026-11-23", NotesOptions::default());
    first.push("a3b4c5d6e7f8", &parse(b"feat: a first feature (#1)"));
    let empty = ReleaseNotes::new("1.0.1", "v1.0.1", "2026-11-23", NotesOptions::default())
        .with_previous("1.0.0", "v1.0.0");
    let cases = [
        (notes(false), Some(github())),
        (notes(true), Some(github())),
        (notes(false), Some(gitlab)),
        (first, Some(github())),
        (empty.clone(), Some(github())),
        (empty, None),
    ];
    for (notes, forge) in cases {
        let expected = render_section(&notes, forge.as_ref());
        let actual = template.render(&notes, forge.as_ref()).unwrap();
        assert!(
            actual == expected,
            "--- expected\n{expected}--- actual\n{actual}---"
        );
    }
}

#[test]
fn a_custom_template() {
    let rendered = template("keepachangelog.md.j2")
        .render(&notes(true), Some(&github()))
        .unwrap();
    expect_file("rendered/custom-keepachangelog.md", &rendered);
}

#[test]
fn the_context_without_a_forge() {
    let source = "{{ version }}|{{ previous_version }}|{{ tag }}|{{ previous_tag }}|{{ date }}|{{ repository_url }}|{{ compare_url }}|{{ tag_url }}|{{ forge }}|{{ is_empty }}|{{ groups | length }}|{{ entries | length }}|{{ breaking | length }}\n{% for e in entries %}{{ e.group }} {{ e.short_sha }} {{ e.type }} {{ e.scope }} {{ e.pr_number }} {{ e.pr_url }} {{ e.commit_url }} {{ e.breaking }} {{ e.subject }}\n{% endfor %}";
    let template = ChangelogTemplate::from_source("inline.j2", source).unwrap();
    let rendered = template.render(&notes(false), None).unwrap();
    assert_eq!(
        rendered,
        "1.1.0|1.0.0|v1.1.0|v1.0.0|2026-11-23|None|None|None|None|False|5|7|2
breaking 1a2b3c4 feat api 12 None None True feat(api)!: drop the v1 routes
breaking 708192a fix None None None None True fix!: reject empty names
features 2b3c4d5 feat parser None None None False feat(parser): support arrays
features a3b4c5d feat None None None None False feat: a first feature
fixes 4d5e6f7 fix None 10 None None False fix: exit 2 on bad flags
performance 6f70819 perf db None None None False perf(db): batch the inserts
reverts 8192a3b None None None None None False feat: colour output
"
    );
}

#[test]
fn the_context_with_a_forge() {
    let source = "{{ repository_url }} {{ compare_url }} {{ tag_url }} {{ forge }}\n{{ breaking[0].pr_url }} {{ breaking[0].commit_url }}\n{{ breaking[0].breaking_description }}";
    let template = ChangelogTemplate::from_source("inline.j2", source).unwrap();
    assert_eq!(
        template.render(&notes(false), Some(&github())).unwrap(),
        "https://github.com/octo/project https://github.com/octo/project/compare/v1.0.0...v1.1.0 https://github.com/octo/project/tree/v1.1.0 github
https://github.com/octo/project/pull/12 https://github.com/octo/project/commit/1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d
The /v1 routes are gone; use /v2.
Migration notes are in the wiki.
"
    );
}

#[test]
fn syntax_errors_name_the_file_and_line() {
    let error = ChangelogTemplate::from_source(
        "changelog.md.j2",
        "## {{ version }}\n\n{% for e in entries %}\n- {{ e.description }\n",
    )
    .unwrap_err();
    assert!(
        matches!(error, TemplateError::Invalid { line: Some(4), .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("changelog template `changelog.md.j2` line 4: syntax error"),
        "{message}"
    );
    assert!(error.hint().is_some());
}

#[test]
fn unknown_names_are_errors_with_a_hint() {
    let template =
        ChangelogTemplate::from_source("changelog.md.j2", "## {{ version }}\n\n{{ verison }}\n")
            .unwrap();
    let error = template.render(&notes(false), None).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("changelog template `changelog.md.j2` line 3 failed: undefined value"),
        "{message}"
    );
    assert!(error.hint().unwrap().contains("previous_version"));

    let template = ChangelogTemplate::from_source(
        "changelog.md.j2",
        "{% for e in entries %}\n{{ e.descripton }}\n{% endfor %}",
    )
    .unwrap();
    let error = template.render(&notes(false), None).unwrap_err();
    assert!(
        matches!(
            error,
            TemplateError::Render {
                line: Some(2),
                undefined: true,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_missing_template_file_is_named() {
    let error = ChangelogTemplate::load(&data("templates/missing.md.j2")).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("cannot read changelog template: "),
        "{message}"
    );
    assert!(message.contains("missing.md.j2"), "{message}");
}

#[test]
fn output_ends_with_one_newline() {
    let template = ChangelogTemplate::from_source("t.j2", "## {{ version }}\n\n\n\n").unwrap();
    assert_eq!(template.render(&notes(false), None).unwrap(), "## 1.1.0\n");
    let template = ChangelogTemplate::from_source("t.j2", "## {{ version }}").unwrap();
    assert_eq!(template.render(&notes(false), None).unwrap(), "## 1.1.0\n");
    assert_eq!(template.name(), "t.j2");
}
