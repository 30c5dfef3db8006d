//! `relman init` and `relman docs` through the real binary, in a sealed repository: the file
//! init writes, that it refuses to overwrite one, that what it wrote plans a release, and that
//! docs prints and writes the same runbook.

use std::path::Path;
use std::process::Output;

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stderr, stdout};

fn assert_code(output: &Output, code: i32) {
    assert_exit(output, code);
}

/// A Python package at 1.2.0 (tagged v1.1.0 and v1.2.0) with conventional commits, pushed.
fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"1.2.0\"\n\n[build-system]\nrequires = [\"hatchling\"]\n",
    );
    repo.write("src/demo/__init__.py", "__version__ = \"1.2.0\"\n");
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [1.2.0] - 2023-12-01\n\n- first\n",
    );
    repo.commit("chore: layout");
    repo.tag("v1.1.0");
    repo.commit_file("a.txt", "a", "fix: one");
    repo.tag("v1.2.0");
    repo.commit_file("a.txt", "b", "feat: weeks");
    repo.push(&["main"]);
    repo
}

#[test]
fn init_writes_a_config_that_checks_and_plans() {
    let repo = project();
    let output = relman(&repo, &["init"]);
    assert_code(&output, 0);
    let report = stdout(&output);
    for expected in [
        "project        demo — Python",
        "version files  pyproject.toml, src/demo/__init__.py (at 1.2.0)",
        "100% of the last 3 commits are conventional",
        "✓ wrote relman.toml: `release` (9 steps)",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }
    let written = repo.read("relman.toml");
    // `- first` under `## [1.2.0] - 2023-12-01` is a changelog kept by hand: it is promoted in
    // its own style, with the commits' notes under the new heading.
    assert!(written.contains("from = \"file\"\n"), "{written}");
    assert!(written.contains("version-files = [\"pyproject.toml\", \"src/demo/__init__.py\"]\n"));

    // Committed, the config checks and its release plans 1.3.0 from the `feat` commit.
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    assert_code(&relman(&repo, &["check"]), 0);
    let plan = relman(&repo, &["plan", "release"]);
    assert_code(&plan, 0);
    let shown = stdout(&plan);
    assert!(shown.contains("1.3.0"), "{shown}");
    assert!(shown.contains("CHANGELOG.md"), "{shown}");
    assert!(shown.contains("+## [1.3.0] - 2026-01-01"), "{shown}");
}

#[test]
fn init_names_the_tags_that_match_the_format_but_are_not_releases() {
    let repo = project();
    // Tags in the release format that no release has: a typo and a moving marker.
    repo.tag("vnext");
    repo.tag("v1.2.x");
    let output = relman(&repo, &["version", "--next", "auto"]);
    assert_code(&output, 0);
    assert_eq!(stdout(&output), "1.3.0\n");

    assert_code(&relman(&repo, &["init"]), 0);
    let written = repo.read("relman.toml");
    assert!(
        written.contains("ignore-tags = [\"v*.*.x\", \"vnext\"]\n"),
        "{written}"
    );
    let output = relman(&repo, &["version", "--next", "auto"]);
    assert_code(&output, 0);
    assert_eq!(stdout(&output), "1.3.0\n");
}

#[test]
fn init_refuses_to_overwrite_unless_forced() {
    let repo = project();
    repo.write("relman.toml", "# mine\n");
    let output = relman(&repo, &["init"]);
    assert_code(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("relman.toml` exists already"), "{message}");
    assert!(
        message.contains("hint: `relman init --force` replaces it"),
        "{message}"
    );
    assert_eq!(repo.read("relman.toml"), "# mine\n", "nothing was written");

    assert_code(&relman(&repo, &["init", "--force"]), 0);
    assert!(repo.read("relman.toml").contains("[workflow.release]"));
}

#[test]
fn init_from_a_runbook_names_the_choices_it_cannot_settle() {
    let repo = project();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../relman-engine/tests/data/runbooks/002_2dde8bba1cd462ec.txt");
    repo.write("RELEASE.md", fs_err::read(seed).unwrap());
    // The runbook keeps news fragments in a folder this project does not have yet: init cannot
    // settle where they are, says so and writes nothing.
    let output = relman(&repo, &["init", "--from", "RELEASE.md"]);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains(
            "error: relman init could not settle the release workflow: the fragment folder"
        ),
        "{}",
        stderr(&output)
    );
    assert!(!repo.path().join("relman.toml").exists());
    // With the folder, what is left is the forge: the runbook opens pull requests, and this
    // clone's remote is on no forge. (The drafted steps themselves are tested in the engine.)
    repo.write("CHANGELOG.D/.gitignore", "!.gitignore\n");
    let output = relman(&repo, &["init", "--from", "RELEASE.md"]);
    assert_code(&output, 2);
    let message = stderr(&output);
    assert!(
        message.contains("could not settle the release workflow")
            && message.contains("this step talks to GitHub, but the project has no forge"),
        "{message}"
    );
    assert!(
        message.contains("no forge: add `[forge]` with `repo = \"owner/name\"`"),
        "{message}"
    );
    // What this machine lacks (the Slack webhook) is not the config's fault: not listed.
    assert!(!message.contains("SLACK_WEBHOOK_URL"), "{message}");
    assert!(!repo.path().join("relman.toml").exists());
}

#[test]
fn init_with_a_missing_runbook_is_a_usage_error() {
    let repo = project();
    let output = relman(&repo, &["init", "--from", "NOPE.md"]);
    assert_code(&output, 2);
    assert!(stderr(&output).contains("cannot read the runbook"));
    assert!(!repo.path().join("relman.toml").exists());
}

#[test]
fn docs_prints_and_writes_the_same_runbook() {
    let repo = project();
    // Without relman.toml: the built-in workflow.
    let builtin = relman(&repo, &["docs"]);
    assert_code(&builtin, 0);
    let text = stdout(&builtin);
    assert!(text.starts_with("# Release runbook\n"), "{text}");
    assert!(
        text.contains("This is relman's built-in workflow."),
        "{text}"
    );

    assert_code(&relman(&repo, &["init"]), 0);
    let printed = relman(&repo, &["docs"]);
    assert_code(&printed, 0);
    let text = stdout(&printed);
    assert!(text.starts_with("# Releasing demo\n"), "{text}");
    assert!(
        text.contains("5. Bump the version (`{args.bump}`) and write it to every version file."),
        "{text}"
    );
    let written = relman(&repo, &["docs", "-o", "RELEASE.md"]);
    assert_code(&written, 0);
    assert!(stderr(&written).contains("wrote RELEASE.md"));
    assert_eq!(repo.read("RELEASE.md"), text);
}

/// A private, nameless npm workspace root released by its tags (`1.0.0`) with packages
/// `@demo/NAME` below it, each tagged at 1.0.0, and a fix to `base` since.
fn private_workspace(names: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    for name in names {
        repo.write(
            &format!("packages/{name}/package.json"),
            format!("{{\n  \"name\": \"@demo/{name}\",\n  \"version\": \"1.0.0\"\n}}\n"),
        );
    }
    repo.commit("chore: layout");
    repo.tag("1.0.0");
    for name in names {
        repo.tag(&format!("@demo/{name}@1.0.0"));
    }
    repo.commit_file("packages/base/a.txt", "a", "fix: one");
    repo
}

/// `relman init` succeeds and says that `up-to-date` and `tag-available` were not tried, the
/// remote being out of reach.
#[track_caller]
fn init_skipping_the_remote_checks(repo: &TestRepo) {
    let output = relman(repo, &["init"]);
    assert_code(&output, 0);
    let warned = stderr(&output);
    for check in ["up-to-date", "tag-available"] {
        assert!(
            warned.contains(&format!(
                "the remote could not be reached, so `check: {check}"
            )),
            "{check}: {warned}"
        );
    }
}

/// Points `origin` at a remote that does not exist (offline, or not created yet).
fn unreachable_remote(repo: &TestRepo) {
    let gone = repo.path().join("no-such-remote.git");
    let url = format!("file://{}", gone.display());
    repo.git(&["remote", "set-url", "origin", &url]);
}

#[test]
fn init_from_a_runbook_writes_its_draft_when_the_remote_cannot_be_reached() {
    let repo = project();
    // Offline, or a remote that does not exist (yet): the `up-to-date` check drafted from
    // `git pull` cannot ask it. That is no fault of the draft.
    unreachable_remote(&repo);
    repo.write(
        "RELEASE.md",
        "# Releasing\n\n```\ngit pull\ngit tag vX.Y.Z\ngit push origin vX.Y.Z\n```\n",
    );
    let output = relman(&repo, &["init", "--from", "RELEASE.md"]);
    assert_code(&output, 0);
    let warned = stderr(&output);
    assert!(
        warned.contains("the remote could not be reached, so `check: up-to-date` was not tried"),
        "{warned}"
    );
    let written = repo.read("relman.toml");
    assert!(written.contains("check = \"up-to-date\""), "{written}");
    assert!(written.contains("tag = \"{tag}\""), "{written}");
    // What it wrote checks, and plans everything but the check that needs the remote.
    repo.git(&["add", "relman.toml", "RELEASE.md"]);
    repo.git(&["commit", "-qm", "chore: relman.toml"]);
    let plan = relman(&repo, &["plan", "release"]);
    let shown = format!("{}{}", stdout(&plan), stderr(&plan));
    assert!(shown.contains("no-such-remote.git"), "{shown}");
}

#[test]
fn init_writes_its_config_when_the_remote_cannot_be_reached() {
    let repo = project();
    unreachable_remote(&repo);
    // The built-in workflow checks `up-to-date` and `tag-available`: both ask the remote.
    init_skipping_the_remote_checks(&repo);
    let written = repo.read("relman.toml");
    assert!(written.contains("check = \"tag-available\""), "{written}");
}

#[test]
fn init_in_a_workspace_of_packages_writes_its_config_when_the_remote_cannot_be_reached() {
    // A private workspace root whose packages are released on their own (a Python package's
    // tags at the root, npm packages below): the plan runs `tag-available` once per package and
    // numbers those steps past the config's. Offline, init stopped on the second check.
    let repo = private_workspace(&["base", "controls"]);
    unreachable_remote(&repo);
    init_skipping_the_remote_checks(&repo);
    let written = repo.read("relman.toml");
    assert!(written.contains("check = \"tag-available\""), "{written}");
    assert!(written.contains("path = \"packages/base\""), "{written}");
}

#[test]
fn a_private_workspace_root_released_by_its_tags_is_never_published_to_npm() {
    // ipywidgets: the root `package.json` is private and nameless, the root's releases are its
    // tags, the npm packages below are released on their own. A runbook's `npm publish` became
    // a publish step for the root too, and init stopped: "`package.json` has no `name`".
    let repo = private_workspace(&["base"]);
    repo.commit_file("python/demo.py", "a", "fix: the root's");
    unreachable_remote(&repo);
    repo.write(
        "RELEASE.md",
        "# Releasing\n\n```\ngit tag X.Y.Z\nnpm publish\n```\n",
    );
    let output = relman(&repo, &["init", "--from", "RELEASE.md"]);
    assert_code(&output, 0);
    let written = repo.read("relman.toml");
    assert!(written.contains("publish = \"npm\""), "{written}");
    repo.git(&["add", "relman.toml", "RELEASE.md"]);
    repo.git(&["commit", "-qm", "chore: relman.toml"]);
    // A token, so that the plan shows the publishes (it never reaches a registry).
    let plan = repo
        .command(crate::plain::relman_path())
        .args(["plan", "release"])
        .env("NO_COLOR", "1")
        .env("NPM_TOKEN", "npm_token")
        .output()
        .expect("run relman");
    let shown = format!("{}{}", stdout(&plan), stderr(&plan));
    assert!(
        shown.contains("is private: it is never published"),
        "{shown}"
    );
    assert!(shown.contains("publishes @demo/base 1.0.1"), "{shown}");
}

#[test]
fn init_from_a_runbook_drafts_an_edit_where_the_named_file_holds_the_version() {
    let repo = project();
    // The install page names the released version in two places on one line, and an older
    // version elsewhere; the runbook says which file, not where.
    repo.write(
        "docs/install.md",
        "# Install\n\nOlder: 1.1.0.\n\n[get 1.2.0](https://example.org/dl/v1.2.0/demo.tar.gz)\n",
    );
    repo.write(
        "RELEASE.md",
        "# Releasing\n\n1. Update the version in `docs/install.md`.\n2. Commit the changes.\n3. Tag the release and push it.\n",
    );
    repo.commit("docs: install page");
    repo.push(&["main"]);
    let output = relman(&repo, &["init", "--from", "RELEASE.md"]);
    assert_code(&output, 0);
    let written = repo.read("relman.toml");
    assert!(
        written.contains("edit = \"docs/install.md\"\n"),
        "{written}"
    );
    assert!(
        !written.contains("manual = \"Update the version"),
        "{written}"
    );
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    assert_code(&relman(&repo, &["check"]), 0);
    let plan = relman(&repo, &["plan", "release"]);
    assert_code(&plan, 0);
    let shown = stdout(&plan);
    // Each place of the released version moves to the new one; the older version stays.
    assert!(shown.contains("1.2.0 → 1.3.0"), "{shown}");
    assert!(
        shown.contains("-[get 1.2.0](https://example.org/dl/v1.2.0/"),
        "{shown}"
    );
    assert!(shown.contains("+[get 1.3.0]("), "{shown}");
    assert!(shown.contains("/dl/v1.3.0/demo.tar.gz)"), "{shown}");
    assert!(!shown.contains("-Older: 1.1.0."), "{shown}");
    // `plan` wrote nothing; the release writes both places, and the tag holds them.
    assert!(repo.read("docs/install.md").contains("[get 1.2.0]"));
    assert_code(&relman(&repo, &["run", "release", "--yes"]), 0);
    let released = repo.git(&["show", "v1.3.0:docs/install.md"]);
    assert!(
        released
            .contains("Older: 1.1.0.\n\n[get 1.3.0](https://example.org/dl/v1.3.0/demo.tar.gz)"),
        "{released}"
    );
}
