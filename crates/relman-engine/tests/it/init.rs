//! `relman init --from`: the five real runbooks in `tests/data/runbooks/` (the founding use
//! cases) drafted into workflows that validate, with the typed steps each runbook asks for.
//! The whole draft of each is kept next to it (`*.relman.toml`), with the runbook `relman docs`
//! renders from it (`*.runbook.md`), and both are compared byte for byte; `RELMAN_BLESS=1`
//! rewrites them, to be reviewed in the diff.

use std::path::{Path, PathBuf};

use relman_engine::config::Config;
use relman_engine::init::runbook::{Draft, ProjectFacts, draft};
use relman_engine::init::workflow::DraftStep;

fn facts(name: &str, repo: &str) -> ProjectFacts {
    ProjectFacts {
        name: name.to_owned(),
        branch: "master".to_owned(),
        remote: "origin".to_owned(),
        tag_format: None,
        repo: Some(repo.to_owned()),
        bump_default: "patch".to_owned(),
        current_released: false,
        version_files: Vec::new(),
        root: None,
        several_packages: false,
        versions: Vec::new(),
    }
}

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/runbooks")
        .join(file)
}

/// Drafts a seed, checks it validates, and compares it with its expected text.
fn seed(file: &str, facts: &ProjectFacts) -> (Draft, Config) {
    let text = fs_err::read_to_string(data(file)).unwrap();
    let draft = draft("RELEASE.md", &text, facts);
    let toml = draft.workflows_toml();
    let config = Config::parse(Path::new("relman.toml"), &toml).unwrap_or_else(|errors| {
        panic!("the draft of {file} does not validate:\n{errors}\n---\n{toml}")
    });
    compare(&file.replace(".txt", ".relman.toml"), &toml);
    // And back: the drafted workflows rendered as a runbook by `relman docs`.
    let runbook = relman_engine::docs::render(&config, Some(&facts.name));
    compare(&file.replace(".txt", ".runbook.md"), &runbook);
    (draft, config)
}

/// Compares `actual` with the file `name` in the test data, or writes it with `RELMAN_BLESS=1`.
fn compare(name: &str, actual: &str) {
    let expected = data(name);
    if std::env::var_os("RELMAN_BLESS").is_some_and(|value| value == "1") {
        fs_err::write(&expected, actual).unwrap();
        return;
    }
    let want = fs_err::read_to_string(&expected)
        .unwrap_or_else(|error| panic!("{error}; run with RELMAN_BLESS=1 to create it"));
    assert!(
        actual == want,
        "{name} changed; run with RELMAN_BLESS=1 and review the diff\n{actual}"
    );
}

/// The steps of a workflow as `kind = value` plus options, for readable assertions.
fn steps(draft: &Draft, workflow: &str) -> Vec<String> {
    draft
        .workflows
        .iter()
        .find(|candidate| candidate.name == workflow)
        .unwrap_or_else(|| panic!("no workflow `{workflow}`"))
        .steps()
        .map(describe)
        .collect()
}

fn describe(step: &DraftStep) -> String {
    step.fields
        .iter()
        .map(|(key, value)| format!("{key} = {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn position(steps: &[String], wanted: &str) -> usize {
    steps
        .iter()
        .position(|step| step == wanted)
        .unwrap_or_else(|| panic!("no step `{wanted}` in:\n{}", steps.join("\n")))
}

/// Each step cites the runbook line it came from.
fn assert_cited(draft: &Draft) {
    for step in draft.steps() {
        assert!(
            step.comments
                .iter()
                .any(|comment| comment.contains("RELEASE.md:")
                    || comment.starts_with("not in the runbook")),
            "step `{}` cites no line",
            describe(step)
        );
    }
}

#[test]
fn ciso8601_triggers_the_wheels_pipeline_tags_and_drafts_the_release() {
    let (draft, config) = seed(
        "000_a2bccbe5dbb0cc46.txt",
        &facts("ciso8601", "closeio/ciso8601"),
    );
    assert_cited(&draft);
    let steps = steps(&draft, "release");
    let pipeline = position(
        &steps,
        r#"circleci = "pipeline", branch = "master", parameters = { build_wheels = true }, project = "gh/closeio/ciso8601", artifacts = "dist/""#,
    );
    let checks = [
        r#"check = "version-bumped""#,
        r#"check = "changelog-entry""#,
    ];
    for check in checks {
        assert!(position(&steps, check) < pipeline);
    }
    let branch = position(&steps, r#"check = "branch""#);
    let tag = position(&steps, r#"tag = "{tag}""#);
    let push = position(&steps, r#"push = "tag""#);
    let release = position(&steps, r#"release = "draft""#);
    assert!(pipeline < branch && branch < tag && tag < push && push < release);
    position(
        &steps,
        r#"manual = "Shoot them an email. (eg. @thomasst or @jkemp101)""#,
    );
    // The runbook's `git tag v2.1.3` gives the tag format, since the project has no tags yet.
    assert_eq!(draft.tag_format.as_deref(), Some("v{version}"));
    // No version bump: a person changed VERSION before (`check = "version-bumped"`).
    assert!(!steps.iter().any(|step| step.starts_with("bump")));
    assert!(config.workflows["release"].args.is_empty());
}

#[test]
fn tokenserver_signs_its_tag_and_opens_a_pull_request() {
    let (draft, config) = seed(
        "001_656bf25924861173.txt",
        &facts("tokenserver", "mozilla-services/tokenserver"),
    );
    assert_cited(&draft);
    let steps = steps(&draft, "release");
    let expected = [
        r#"check = "branch""#,
        r#"check = "ci-green""#,
        r#"check = "changelog-entry""#,
        r#"check = "up-to-date""#,
        r#"check = "clean""#,
        r#"branch = "release/{major}.{minor}""#,
        r#"bump = "{args.bump}""#,
        r#"changelog = "update", edit = true"#,
        r#"commit = "chore: tag {version}""#,
        r#"tag = "{tag}", message = "chore: tag {version}", sign = true"#,
        r#"push = ["branch", "tag"]"#,
        r#"pull-request = "open", id = "pr", head = "release/{major}.{minor}", base = "master", title = "Release {version}""#,
        r#"release = "draft""#,
        r#"wait = "pr-merged", pr = "{steps.pr.number}""#,
        r#"release = "publish""#,
    ];
    let mut last = 0;
    for wanted in expected {
        let at = position(&steps, wanted);
        assert!(
            at >= last,
            "`{wanted}` is out of order in:\n{}",
            steps.join("\n")
        );
        last = at;
    }
    // `clog` builds the changelog from commits; the tag is the bare version.
    let hint = draft.changelog.as_ref().unwrap();
    assert!(!hint.fragments);
    assert_eq!(draft.tag_format.as_deref(), Some("{version}"));
    // The Bugzilla ticket has no URL to send to: a person files it.
    assert!(
        steps
            .iter()
            .any(|step| step.starts_with("manual = \"File a bug"))
    );
    assert_eq!(config.workflows["release"].args[0].name, "bump");
}

#[test]
fn neuromation_waits_for_checks_verifies_pypi_and_starts_the_next_alpha() {
    let (draft, _) = seed(
        "002_2dde8bba1cd462ec.txt",
        &facts("neuromation", "neuromation/platform-api-clients"),
    );
    assert_cited(&draft);
    let steps = steps(&draft, "release");
    let expected = [
        r#"check = "branch""#,
        r#"bump = "{args.bump}""#,
        r#"run = "make format""#,
        r#"changelog = "update", edit = true"#,
        r#"pull-request = "open", id = "platform_web_pr", head = "{project}-{version}", base = "master", title = "Generated docs for {project} {version}", repo = "neuromation/platform-web", reviewers = ["astaff"], assignees = ["astaff"]"#,
        r#"commit = "Release {version}""#,
        r#"push = "branch""#,
        r#"wait = "checks", rerun-failed = 2"#,
        r#"tag = "{tag}", message = "Release {version}""#,
        r#"push = "tag""#,
        r#"wait = "checks", ref = "{tag}", rerun-failed = 2"#,
        r#"verify = "pypi", package = "neuromation""#,
        r#"merge-pull-request = "{steps.platform_web_pr.number}", method = "merge", repo = "neuromation/platform-web""#,
        r#"bump = "preminor""#,
        r#"commit = "Start development of {dev_version}""#,
        r##"slack = "#platform-development", message = "{project} {version} is released""##,
        r##"slack = "#platform-feedback", message = "{project} {version} is released""##,
    ];
    let mut last = 0;
    for wanted in expected {
        let at = position(&steps, wanted);
        assert!(
            at >= last,
            "`{wanted}` is out of order in:\n{}",
            steps.join("\n")
        );
        last = at;
    }
    let hint = draft.changelog.as_ref().unwrap();
    assert!(hint.fragments, "towncrier means news fragments");
    assert_eq!(hint.folder.as_deref(), Some("CHANGELOG.D"));
    // The docs are regenerated in the sibling checkout the runbook asks for.
    position(
        &steps,
        r#"branch = "{project}-{version}", dir = "../platform-web", clone = "https://github.com/neuromation/platform-web""#,
    );
}

#[test]
fn cortex_cuts_a_release_branch_and_leaves_its_pipelines_to_people() {
    let (draft, config) = seed(
        "003_68d69d0e3a250302.txt",
        &facts("cortex", "cortexlabs/cortex"),
    );
    assert_cited(&draft);
    let release = steps(&draft, "release");
    let branch = position(&release, r#"branch = "release/{major}.{minor}""#);
    let push = position(&release, r#"push = "branch""#);
    let pick = position(
        &release,
        r#"cherry-pick = "{args.commits}", if = "args.commits != ''""#,
    );
    assert!(branch < push && push < pick);
    position(&release, r#"check = "milestone-closed""#);
    position(&release, r#"release = "draft""#);
    position(&release, r#"release = "publish""#);
    position(
        &release,
        r##"slack = "#announcements", message = "{project} {version} is released""##,
    );
    // The tag pipeline is a person's job, its sub-items a checklist.
    assert!(release.iter().any(|step| {
        step.starts_with(
            r#"manual = "Run tag pipeline with version and commit hash", checklist = ["#,
        )
    }));
    assert!(
        release
            .iter()
            .filter(|step| step.starts_with("manual"))
            .count()
            >= 5
    );
    // "patch releases" is a workflow of its own.
    let patch = steps(&draft, "patch");
    let bump = position(&patch, r#"bump = "patch""#);
    assert!(position(&patch, r#"tag = "{tag}""#) > bump);
    assert_eq!(config.workflows["patch"].args[0].name, "commits");
    assert_eq!(
        config.workflows["patch"].args[0].default.as_deref(),
        Some("")
    );
}

#[test]
fn lab_bumps_a_prerelease_and_runs_its_make_targets() {
    let (draft, _) = seed("004_274a39c3c6aabcc5.txt", &facts("lab", "acme/lab"));
    assert_cited(&draft);
    let steps = steps(&draft, "release");
    assert_eq!(
        steps,
        [
            r#"bump = "prerelease""#,
            r#"run = "./scripts/update_versions.sh""#,
            r#"run = "make build""#,
            r#"run = "make generate-docker""#,
            r#"run = "make docker-client""#,
            r#"run = "make docker-client-push""#,
        ]
    );
}

/// Any prefix of any seed, and the seeds with odd characters mixed in, still draft into
/// workflows that validate: a runbook cut short or written oddly never yields a broken file.
#[test]
fn every_prefix_of_every_seed_drafts_into_a_valid_config() {
    let facts = facts("demo", "acme/demo");
    for file in [
        "000_a2bccbe5dbb0cc46.txt",
        "001_656bf25924861173.txt",
        "002_2dde8bba1cd462ec.txt",
        "003_68d69d0e3a250302.txt",
        "004_274a39c3c6aabcc5.txt",
    ] {
        let text = fs_err::read_to_string(data(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for end in 0..=lines.len() {
            let prefix = lines[..end].join("\n");
            for variant in [
                prefix.clone(),
                prefix.replace(' ', "\u{3000}").replace("git", "gït"),
                prefix.replace('`', "\"").replace("**", "{{"),
                prefix.replace("1.2.3", "{ver}").replace("master", "{}"),
            ] {
                let drafted = draft("R.md", &variant, &facts);
                let toml = drafted.workflows_toml();
                if let Err(errors) = Config::parse(Path::new("relman.toml"), &toml) {
                    panic!("{file}, {end} lines:\n{errors}\n---\n{variant}\n---\n{toml}");
                }
            }
        }
    }
}
