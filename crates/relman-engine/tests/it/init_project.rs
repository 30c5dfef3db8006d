//! `relman init` on real repositories: what it detects, the commented relman.toml it writes, and
//! that the `release` workflow of that file plans on the project it was written for.

use relman_engine::config::Config;
use relman_engine::environment::Environment;
use relman_engine::init::{self, ChangelogStyle, Ecosystem, ForgeFound, Runbook};
use relman_engine::plan::{self, Effect, PlanRequest};
use relman_engine::project::Project;
use relman_git::Repository;
use relman_testkit::TestRepo;

fn open(repo: &TestRepo) -> Repository {
    Repository::discover(repo.path())
        .unwrap()
        .with_envs(repo.env_vars())
}

/// The `release` workflow of `config`, planned with default arguments.
fn plan_release(repo: &TestRepo, config: &Config) -> plan::Plan {
    let project = Project::resolve(open(repo), config).unwrap();
    let env = Environment::new(
        [("SOURCE_DATE_EPOCH".to_owned(), "1704067200".to_owned())],
        0,
    );
    let request = PlanRequest {
        workflow: "release".to_owned(),
        args: Vec::new(),
        pre_label: None,
    };
    plan::plan(&project, config, &env, &request).unwrap_or_else(|error| panic!("{error}"))
}

/// The text with wrapped comments joined back into one line each.
fn unwrapped(text: &str) -> String {
    text.replace("\n#   ", " ")
}

fn poetry_project(messages: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[tool.poetry]\nname = \"demo\"\nversion = \"1.2.0\"\n\n[build-system]\nrequires = [\"poetry-core\"]\n",
    );
    repo.write("demo/__init__.py", "__version__ = \"1.2.0\"\n");
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [1.2.0] - 2023-12-01\n\n### Features\n\n- first\n\n## [1.1.0] - 2023-11-01\n\n### Bug fixes\n\n- older\n",
    );
    repo.commit("chore: initial layout");
    repo.tag("v1.1.0");
    repo.commit_file("notes.txt", "a", "fix: keep notes");
    repo.tag("v1.2.0");
    for (index, message) in messages.iter().enumerate() {
        repo.commit_file("notes.txt", &format!("{index}"), message);
    }
    repo.push(&["main"]);
    repo
}

#[test]
fn a_conventional_poetry_project_gets_notes_from_commits_and_plans_its_release() {
    let repo = poetry_project(&["feat: parse weeks", "fix: leap years", "docs: typo"]);
    let path = repo.path().join("relman.toml");
    let init = init::init(open(&repo), None, &path).unwrap();
    let detection = &init.detection;
    assert_eq!(detection.name, "demo");
    assert_eq!(detection.ecosystems, [Ecosystem::Python { poetry: true }]);
    assert_eq!(detection.tag_format, "v{version}");
    assert_eq!(detection.release_tags, 2);
    assert_eq!(detection.newest_tag.as_deref(), Some("v1.2.0"));
    assert_eq!(detection.commits.total, 5);
    assert_eq!(detection.commits.conventional, 5);
    assert_eq!(detection.changelog.style, ChangelogStyle::Commits);
    assert_eq!(detection.changelog.versions, ["1.2.0", "1.1.0"]);
    assert_eq!(detection.branch, "main");
    let text = &unwrapped(&init.text);
    for expected in [
        "name = \"demo\"\n",
        "branch = \"main\"\n",
        "scheme = \"pep440\"\n",
        "# Tags look like this: `v{version}`, from 2 release tags (newest v1.2.0).\ntag = \"v{version}\"\n",
        "version-files = [\"pyproject.toml\", \"demo/__init__.py\"]\n",
        "100% of the last 5 commits are conventional",
        "from = \"commits\"\n",
        "args = [{ name = \"bump\", default = \"auto\"",
        "changelog = \"update\"\n",
        "# verify = \"pypi\"\n# package = \"demo\"\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // No forge: the remote is a local path.
    assert!(text.contains("No [forge]"), "{text}");
    assert!(!text.contains("[forge]\n"), "{text}");

    // What was written plans: `auto` finds the feature, the files and changelog change.
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.frozen.version, "1.3.0");
    assert!(plan.failed_checks().is_empty(), "{:#?}", plan.steps);
    let files: Vec<String> = plan
        .steps
        .iter()
        .flat_map(|step| &step.effects)
        .filter_map(|effect| match effect {
            Effect::File { path, .. } => Some(path.display().to_string()),
            _ => None,
        })
        .collect();
    assert!(
        files.iter().any(|file| file.ends_with("pyproject.toml")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|file| file.ends_with("demo/__init__.py")),
        "{files:?}"
    );
    assert!(
        files.iter().any(|file| file.ends_with("CHANGELOG.md")),
        "{files:?}"
    );
    // Nothing was written by init itself.
    assert!(!path.exists());
}

#[test]
fn free_form_history_gets_the_list_of_its_changes() {
    let repo = poetry_project(&[
        "Parse weeks",
        "Handle leap years",
        "doc: typo",
        "ignore: lint",
    ]);
    let path = repo.path().join("relman.toml");
    let init = init::init(open(&repo), None, &path).unwrap();
    // 2 of the 6 commits (the layout and the first fix) are conventional: `doc:` and `ignore:`
    // are not Conventional Commits types.
    assert_eq!(init.detection.commits.percent(), 33);
    assert_eq!(init.detection.changelog.style, ChangelogStyle::Commits);
    let text = &unwrapped(&init.text);
    for expected in [
        "33% of the last 6 commits are conventional",
        "the list of changes since the last release",
        "from = \"commits\"\n",
        "changelog = \"update\"\n",
        "default = \"patch\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.frozen.version, "1.2.1");
    let changelog = plan
        .steps
        .iter()
        .find(|step| step.kind == "changelog")
        .expect("a changelog step");
    let diff = format!("{:?}", changelog.effects);
    for line in [
        "### Changes",
        "- ignore: lint",
        "- doc: typo",
        "- Handle leap years",
        "- Parse weeks",
    ] {
        assert!(diff.contains(line), "missing {line:?} in {diff}");
    }
    assert!(!diff.contains("No notable changes"), "{diff}");
}

#[test]
fn a_hand_written_changelog_is_promoted_in_its_own_style() {
    let repo = poetry_project(&["Parse weeks"]);
    repo.write(
        "CHANGES.rst",
        "Changes\n=======\n\nUnreleased\n----------\n\n- Parse ISO weeks.\n\n1.2.0 (2023-12-01)\n------------------\n\n- First.\n",
    );
    repo.git(&["rm", "-q", "CHANGELOG.md"]);
    repo.commit("Keep the changes by hand");
    repo.push(&["main"]);
    let path = repo.path().join("relman.toml");
    let init = init::init(open(&repo), None, &path).unwrap();
    assert_eq!(init.detection.changelog.style, ChangelogStyle::File);
    assert_eq!(init.detection.changelog.file, "CHANGES.rst");
    let text = &unwrapped(&init.text);
    for expected in [
        "it is written by hand, so a release promotes its unreleased section",
        "file = \"CHANGES.rst\"\nfrom = \"file\"\n",
        "changelog = \"update\"\nedit = true\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.frozen.version, "1.2.1");
    let diff = plan
        .steps
        .iter()
        .flat_map(|step| &step.effects)
        .find_map(|effect| match effect {
            Effect::File { path, diff } if path.ends_with("CHANGES.rst") => Some(diff.clone()),
            _ => None,
        })
        .expect("a diff of CHANGES.rst");
    assert!(
        diff.contains("+1.2.1 (2024-01-01)\n+------------------\n"),
        "{diff}"
    );
}

#[test]
fn a_github_remote_gives_the_forge_and_the_release_step() {
    let repo = poetry_project(&["feat: a"]);
    repo.git(&[
        "remote",
        "set-url",
        "origin",
        "git@github.com:acme/demo.git",
    ]);
    let init = init::init(open(&repo), None, &repo.path().join("relman.toml")).unwrap();
    assert_eq!(
        init.detection.forge,
        ForgeFound::GitHub {
            repo: "acme/demo".to_owned(),
            web_url: "https://github.com/acme/demo".to_owned()
        }
    );
    let text = &unwrapped(&init.text);
    assert!(
        text.contains("[forge]\n# From the remote `origin`.")
            && text.contains("type = \"github\"\nrepo = \"acme/demo\"\n"),
        "{text}"
    );
    assert!(
        text.contains("release = \"publish\"\nif = \"has_forge_token\"\n"),
        "{text}"
    );
    assert!(
        !text.contains("api = "),
        "github.com needs no API URL:\n{text}"
    );
}

#[test]
fn a_go_module_keeps_its_version_in_tags() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.org/tool\n\ngo 1.22\n");
    repo.commit("feat: first");
    repo.tag("v0.3.0");
    repo.commit_file("main.go", "package main\n", "fix: exit code");
    repo.push(&["main"]);
    let init = init::init(open(&repo), None, &repo.path().join("relman.toml")).unwrap();
    assert_eq!(init.detection.ecosystems, [Ecosystem::Go]);
    assert!(init.detection.version_files.is_empty());
    let text = &unwrapped(&init.text);
    assert!(text.contains("scheme = \"semver\"\n"), "{text}");
    assert!(
        text.contains("Go modules are versioned by their tags"),
        "{text}"
    );
    assert!(text.contains("version-files = []\n"), "{text}");
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.current_version, "0.3.0");
    assert_eq!(plan.frozen.version, "0.3.1");
}

#[test]
fn a_towncrier_config_means_fragments() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"frag\"\nversion = \"0.1.0\"\n\n[tool.towncrier]\ndirectory = \"changes\"\nfilename = \"NEWS.md\"\n",
    );
    repo.write("changes/1.feature.md", "Weeks.\n");
    repo.commit("Initial");
    repo.push(&["main"]);
    let init = init::init(open(&repo), None, &repo.path().join("relman.toml")).unwrap();
    assert_eq!(init.detection.changelog.style, ChangelogStyle::Fragments);
    let text = &unwrapped(&init.text);
    assert!(text.contains("fragments live in changes"), "{text}");
    assert!(text.contains("from = \"fragments\"\n"), "{text}");
    assert!(text.contains("no release tags yet"), "{text}");
    // `auto` from the fragments: a `feature` calls for a minor release.
    assert!(text.contains("default = \"auto\""), "{text}");
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.frozen.version, "0.2.0");
    let news = plan
        .steps
        .iter()
        .flat_map(|step| &step.effects)
        .any(|effect| matches!(effect, Effect::File { path, .. } if path.ends_with("NEWS.md")));
    assert!(news, "{:#?}", plan.steps);
}

#[test]
fn a_runbook_draft_takes_the_place_of_the_default_workflow() {
    let repo = poetry_project(&["feat: a"]);
    let runbook = "# Releasing demo\n\n1. Bump the version in `pyproject.toml`\n2. `git commit -am \"Release 1.2.3\"`\n3. `git tag -s v1.2.3`\n4. `git push origin master v1.2.3`\n5. Tell the team on the `releases` Slack channel\n";
    let init = init::init(
        open(&repo),
        Some(Runbook {
            source: "RELEASE.md",
            text: runbook,
        }),
        &repo.path().join("relman.toml"),
    )
    .unwrap();
    let text = &unwrapped(&init.text);
    assert!(text.contains("drafted from RELEASE.md"), "{text}");
    assert!(
        text.contains("# RELEASE.md:7: Tell the team on the `releases` Slack channel\n"),
        "{text}"
    );
    let workflow = &init.config.workflows["release"];
    let kinds: Vec<&str> = workflow.steps.iter().map(|step| step.kind.key()).collect();
    assert_eq!(kinds, ["bump", "commit", "tag", "push", "slack"]);
    assert_eq!(workflow.help.as_deref(), Some("Releasing demo"));
    // The detected [project] is kept above the draft.
    assert!(text.contains("tag = \"v{version}\"\n"), "{text}");
}

#[test]
fn a_plain_version_file_is_the_whole_project() {
    let repo = TestRepo::new();
    repo.write("VERSION", "2.0.1\n");
    repo.commit("Initial");
    repo.push(&["main"]);
    let init = init::init(open(&repo), None, &repo.path().join("relman.toml")).unwrap();
    assert_eq!(init.detection.ecosystems, [Ecosystem::Plain]);
    let text = &unwrapped(&init.text);
    assert!(text.contains("version-files = [\"VERSION\"]\n"), "{text}");
    assert!(text.contains("They hold 2.0.1 now."), "{text}");
    assert!(text.contains("scheme = \"semver\"\n"), "{text}");
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.frozen.version, "2.0.2");
}

#[test]
fn a_runbook_for_a_module_versioned_by_its_tags_bumps_before_it_acts() {
    // The version of a project without version files is its newest tag's: released already,
    // so a runbook that leaves the bump to a script must not plan that tag again.
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.org/tool\n\ngo 1.22\n");
    repo.commit("feat: first");
    repo.tag("v0.3.0");
    repo.commit_file("main.go", "package main\n", "fix: exit code");
    repo.push(&["main"]);
    let runbook = "# Releasing\n\n```sh\nscript/release vX.Y.Z\n```\n";
    let init = init::init(
        open(&repo),
        Some(Runbook {
            source: "RELEASE.md",
            text: runbook,
        }),
        &repo.path().join("relman.toml"),
    )
    .unwrap();
    let workflow = &init.config.workflows["release"];
    let kinds: Vec<&str> = workflow.steps.iter().map(|step| step.kind.key()).collect();
    assert_eq!(kinds.first(), Some(&"bump"), "{}", init.text);
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.current_version, "0.3.0");
    assert_eq!(plan.frozen.version, "0.3.1");
}

/// rclone: `VERSION` says the next release (`v1.76.0`) while the last tag is `v1.75.0`, and the
/// commits are free-form. The drafted release defaults to `auto`, which releases 1.76.0; the
/// `patch` of other free-form projects would have planned 1.76.1 and skipped it.
#[test]
fn version_files_ahead_of_the_last_tag_make_the_default_release_theirs() {
    let repo = TestRepo::new();
    repo.write("VERSION", "v1.75.0\n");
    repo.commit("Initial");
    repo.tag("v1.75.0");
    repo.commit_file("VERSION", "v1.76.0\n", "Start v1.76.0-DEV development");
    repo.commit_file("a.txt", "1", "Fix the copy of empty files");
    repo.push(&["main"]);
    let init = init::init(open(&repo), None, &repo.path().join("relman.toml")).unwrap();
    let text = &unwrapped(&init.text);
    assert!(text.contains("default = \"auto\""), "{text}");
    assert!(text.contains("(`patch` would skip it)"), "{text}");
    let plan = plan_release(&repo, &init.config);
    assert_eq!(plan.frozen.version, "1.76.0");
}
