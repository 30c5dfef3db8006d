//! `relman.toml` validation: every bad input names file, line and column, the problem, and a fix.

use std::path::Path;

use relman_engine::config::{Config, ConfigErrors};
use relman_engine::kinds::StepKind;

fn errors(source: &str) -> ConfigErrors {
    Config::parse(Path::new("relman.toml"), source).expect_err("the config should be rejected")
}

/// `position: message` of the only error.
fn only_error(source: &str) -> (String, Option<String>) {
    let errors = errors(source);
    assert_eq!(errors.0.len(), 1, "expected one error, got: {errors}");
    let error = &errors.0[0];
    (
        format!("{}: {}", error.position(), error.message),
        error.hint.clone(),
    )
}

#[test]
fn a_valid_config_resolves_every_step() {
    let config = Config::parse(
        Path::new("relman.toml"),
        r#"
[project]
name = "ciso8601"
tag = "v{version}"
scheme = "pep440"
version-files = ["setup.py", { path = "src/_version.py", pattern = '__version__ = "{version}"' }, { path = "chart/Chart.yaml", key = "appVersion" }]

[workflow.release]
help = "Cut a release"
args = [{ name = "bump", default = "auto" }]

[[workflow.release.step]]
check = "branch"
branch = "master"

[[workflow.release.step]]
bump = "{args.bump}"

[[workflow.release.step]]
branch = "release/{major}.{minor}"
switch = false

[[workflow.release.step]]
id = "bug"
http = "POST https://bugzilla.example.org/rest/bug"
json = { summary = "Deploy {version}", product = "Cloud Services" }
save = { id = "/id" }

[[workflow.release.step]]
manual = "Check bug {steps.bug.id}"
if = "is_final"

[[workflow.release.step]]
circleci = "pipeline"
tag = "{tag}"
parameters = { build_wheels = true }
"#,
    )
    .unwrap();
    let workflow = &config.workflows["release"];
    assert_eq!(workflow.steps.len(), 6);
    assert!(matches!(&workflow.steps[2].kind, StepKind::Branch(step) if !step.switch));
    assert!(
        matches!(&workflow.steps[5].kind, StepKind::Circleci(step) if step.tag.is_some() && step.parameters["build_wheels"] == true)
    );
    assert_eq!(workflow.steps[4].condition.as_deref(), Some("is_final"));
    assert_eq!(workflow.steps[3].line, 23);
}

#[test]
fn unknown_section_suggests_the_nearest_key() {
    let (message, hint) = only_error("[projet]\nname = \"x\"\n");
    assert_eq!(
        message,
        "relman.toml:1:2: unknown key `projet` (did you mean `project`?)"
    );
    assert!(
        hint.unwrap()
            .contains("`project`, `changelog`, `forge`, `workflow`")
    );
}

#[test]
fn misspelt_step_option_suggests_the_nearest_key() {
    let (message, _) = only_error("[[workflow.r.step]]\ntag = \"{tag}\"\nmesage = \"Release\"\n");
    assert_eq!(
        message,
        "relman.toml:3:1: unknown key `mesage` (did you mean `message`?)"
    );
}

#[test]
fn an_option_of_another_kind_names_its_owner() {
    let (message, hint) =
        only_error("[[workflow.r.step]]\npush = \"tag\"\nmessage = \"Release\"\n");
    assert_eq!(
        message,
        "relman.toml:3:11: `message` is not an option of a `push` step"
    );
    let hint = hint.unwrap();
    assert!(
        hint.contains("`message` is an option of `slack`, `mastodon`, `bluesky`, `discourse`, `tag`, `merge` steps"),
        "{hint}"
    );
    assert!(
        hint.contains("a `push` step takes `name`, `id`, `if`, `timeout`, `retries`, `remote`"),
        "{hint}"
    );
}

#[test]
fn same_as_belongs_to_image_checks() {
    let (message, hint) = only_error(
        "[[workflow.r.step]]\nverify = \"pypi\"\npackage = \"app\"\nsame-as = \"{version}\"\n",
    );
    assert_eq!(
        message,
        "relman.toml:4:11: `same-as` compares image tags: it is not an option of `verify = \"pypi\"`"
    );
    assert_eq!(
        hint.as_deref(),
        Some("use it on a `verify = \"oci\"` step, or remove it")
    );
}

#[test]
fn wrong_types_say_what_was_expected() {
    let (message, _) = only_error("[[workflow.r.step]]\ntag = \"{tag}\"\nretries = \"three\"\n");
    assert!(
        message.starts_with("relman.toml:3:11: invalid type: string \"three\", expected u32"),
        "{message}"
    );
}

#[test]
fn poll_intervals_are_durations_kept_to_the_millisecond() {
    let (message, hint) = only_error(
        "[[workflow.r.step]]\nwait = \"url\"\nurl = \"https://x.test\"\ninterval = \"soon\"\n",
    );
    assert_eq!(
        message,
        "relman.toml:4:12: `interval = \"soon\"` is not a duration"
    );
    assert!(hint.unwrap().contains("500ms"));
    let config = Config::parse(
        Path::new("relman.toml"),
        "[[workflow.r.step]]\ndispatch = \"release.yml\"\ninterval = \"250ms\"\n",
    )
    .unwrap();
    let step = &config.workflows["r"].steps[0];
    assert_eq!(step.interval, Some(std::time::Duration::from_millis(250)));
    let json = serde_json::to_value(step).unwrap();
    assert_eq!(json["interval"], 250);
}

#[test]
fn unknown_placeholder_points_into_the_string() {
    let (message, _) = only_error("[[workflow.r.step]]\ncommit = \"Release {verison}\"\n");
    assert_eq!(
        message,
        "relman.toml:2:19: unknown placeholder `{verison}` (did you mean `version`?)"
    );
}

#[test]
fn placeholders_of_step_names_are_checked() {
    let (message, _) =
        only_error("[[workflow.r.step]]\nname = \"Promote {verison}\"\nmanual = \"Promote it\"\n");
    assert_eq!(
        message,
        "relman.toml:2:17: unknown placeholder `{verison}` (did you mean `version`?)"
    );
}

#[test]
fn undeclared_argument_lists_the_declared_ones() {
    let (message, hint) = only_error(
        "[workflow.r]\nargs = [{ name = \"bump\" }]\n[[workflow.r.step]]\nbump = \"{args.bmp}\"\n",
    );
    assert_eq!(
        message,
        "relman.toml:4:9: `{args.bmp}`: workflow `r` has no argument `bmp` (did you mean `bump`?)"
    );
    assert!(hint.unwrap().starts_with("it declares `bump`"));
}

#[test]
fn step_outputs_must_come_from_an_earlier_step() {
    let source = "[[workflow.r.step]]\nmanual = \"see {steps.bug.id}\"\n[[workflow.r.step]]\nid = \"bug\"\nhttp = \"POST https://x.invalid/\"\nsave = { id = \"/id\" }\n";
    let (message, hint) = only_error(source);
    assert_eq!(
        message,
        "relman.toml:2:15: `{steps.bug.id}` refers to step `bug`, which runs later"
    );
    assert_eq!(
        hint.unwrap(),
        "a step can only use the outputs of steps before it"
    );

    let source = "[[workflow.r.step]]\nid = \"bug\"\nhttp = \"POST https://x.invalid/\"\nsave = { id = \"/id\" }\n[[workflow.r.step]]\nmanual = \"see {steps.bug.url}\"\n";
    let (message, hint) = only_error(source);
    assert_eq!(
        message,
        "relman.toml:6:15: `{steps.bug.url}`: step 1 (`bug`) has no output `url`"
    );
    assert_eq!(hint.unwrap(), "its outputs are `status`, `body`, `id`");
}

#[test]
fn bad_if_expressions_are_reported() {
    let (message, hint) =
        only_error("[[workflow.r.step]]\nmanual = \"x\"\nif = \"is_final and\"\n");
    assert!(
        message.starts_with("relman.toml:3:6: `if = \"is_final and\"` is not a valid expression"),
        "{message}"
    );
    assert!(hint.unwrap().contains("minijinja"));
}

#[test]
fn a_step_has_exactly_one_kind() {
    let (message, _) = only_error("[[workflow.r.step]]\nmanual = \"x\"\nrun = \"make\"\n");
    assert_eq!(
        message,
        "relman.toml:3:7: step 1 has more than one kind: `manual`, `run`"
    );
    let (message, hint) = only_error("[[workflow.r.step]]\nname = \"nothing\"\n");
    assert_eq!(message, "relman.toml:1:1: step 1 has no kind key");
    assert!(hint.unwrap().starts_with("add one of `check`, `bump`"));
    let (message, _) = only_error("[[workflow.r.step]]\ntag = \"{tag}\"\npush = \"tag\"\n");
    assert_eq!(
        message,
        "relman.toml:1:1: step 1 has more than one kind: `tag`, `push`"
    );
}

#[test]
fn unknown_check_suggests_the_nearest() {
    let (message, hint) = only_error("[[workflow.r.step]]\ncheck = \"clen\"\n");
    assert_eq!(
        message,
        "relman.toml:2:9: `check = \"clen\"` is not a known check (did you mean `clean`?)"
    );
    assert!(hint.unwrap().contains("`tag-available`"));
}

#[test]
fn tag_format_needs_version_once() {
    let (message, _) = only_error("[project]\ntag = \"release-{major}\"\n");
    assert_eq!(
        message,
        "relman.toml:2:7: tag format `release-{major}` has an unknown placeholder `{major}`"
    );
    let (message, hint) = only_error("[project]\ntag = \"release\"\n");
    assert!(
        message.starts_with("relman.toml:2:7: tag format `release`"),
        "{message}"
    );
    assert!(message.contains("{version}"), "{message}");
    assert_eq!(hint.unwrap(), "write it like `v{version}`");
}

#[test]
fn several_problems_are_reported_together() {
    let errors = errors(
        "[[workflow.r.step]]\ncheck = \"clen\"\n[[workflow.r.step]]\ncommit = \"{verison}\"\n[[workflow.r.step]]\ntimeout = \"soon\"\ntag = \"{tag}\"\n",
    );
    let lines: Vec<usize> = errors
        .0
        .iter()
        .map(|error| error.location.as_ref().unwrap().line)
        .collect();
    assert_eq!(lines, [2, 4, 6]);
}

#[test]
fn the_builtin_release_workflow_is_offered_without_config() {
    let config = Config::detected();
    assert_eq!(config.workflow_names(), ["release"]);
    assert!(config.workflow("release").is_some());
}

#[test]
fn a_look_up_is_a_get_with_pointers_that_cover_the_saved_outputs() {
    let step = |options: &str| {
        format!(
            "[[workflow.r.step]]\nhttp = \"POST https://bz.example.org/rest/bug\"\nsave = {{ bug = \"/id\" }}\n{options}"
        )
    };
    let (message, hint) = only_error(&step(
        "find = \"GET https://bz.example.org/rest/bug?summary=x\"\n",
    ));
    assert_eq!(
        message,
        "relman.toml:4:8: `find` needs `found`: what in its answer shows the effect is there"
    );
    assert!(hint.unwrap().contains("found = { id = \"/bugs/0/id\" }"));
    let (message, _) = only_error(&step("found = { bug = \"/bugs/0/id\" }\n"));
    assert!(
        message.contains("`found` reads the answer of `find`"),
        "{message}"
    );
    let (message, _) = only_error(&step(
        "find = \"POST https://bz.example.org/rest/bug\"\nfound = { bug = \"/bugs/0/id\" }\n",
    ));
    assert!(message.contains("a GET request, not `POST`"), "{message}");
    let (message, hint) = only_error(&step(
        "find = \"https://bz.example.org/rest/bug\"\nfound = { id = \"/bugs/0/id\" }\n",
    ));
    assert!(
        message.contains("`save.bug` has no counterpart in `found`"),
        "{message}"
    );
    assert!(hint.unwrap().contains("add `found.bug`"));
    let (message, _) = only_error(&step(
        "find = \"https://bz.example.org/rest/bug\"\nfound = { bug = \"bugs/0/id\" }\n",
    ));
    assert!(message.contains("is not a JSON pointer"), "{message}");
    let config = Config::parse(
        Path::new("relman.toml"),
        &step("find = \"https://bz.example.org/rest/bug?summary={version}\"\nfound = { bug = \"/bugs/0/id\" }\n"),
    )
    .unwrap();
    let StepKind::Http(http) = &config.workflows["r"].steps[0].kind else {
        panic!("an http step");
    };
    assert_eq!(http.found, [("bug".to_owned(), "/bugs/0/id".to_owned())]);
    assert!(http.find.is_some());
}
