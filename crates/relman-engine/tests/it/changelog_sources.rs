//! Changelogs as projects keep them, through the engine: a file written by hand promoted by the
//! changelog step, GitHub's generated notes (`from = "github"`, `notes = "generate"`), `{changelog}`
//! read when the step that uses it runs (and kept for a resumed step), `auto` from fragment
//! levels and from a history that is not conventional.

use relman_testkit::TestRepo;
use relman_testkit::github::FakeGitHub;

use crate::remote_support::{Fixture, effects_text, fake_github, header, outputs};

const KAC: &str = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Week dates.\n\n## [1.1.0] - 2024-01-02\n\n### Fixed\n\n- A bug.\n\n[Unreleased]: https://github.com/octo/app/compare/v1.1.0...HEAD\n[1.1.0]: https://github.com/octo/app/compare/v1.0.0...v1.1.0\n";

/// A fixture whose CHANGELOG.md is `changelog`, committed and pushed.
fn with_changelog(config: &str, changelog: &str) -> Fixture {
    let fixture = Fixture::new(config);
    fixture.repo.write("CHANGELOG.md", changelog);
    fixture.repo.commit("Keep a changelog by hand");
    fixture.repo.push(&["main"]);
    fixture
}

#[test]
fn a_hand_written_changelog_is_detected_and_promoted_once() {
    let fixture = with_changelog(
        "[project]\nname = \"app\"\ntag = \"v{version}\"\nscheme = \"semver\"\nversion-files = [\"VERSION\"]\n\n[[workflow.ship.step]]\nchangelog = \"update\"\n",
        KAC,
    );
    let (_, project) = fixture.project();
    assert!(
        matches!(
            project.changelog.source,
            relman_engine::project::ChangelogSource::File
        ),
        "{:?}",
        project.changelog.source
    );
    let plan = fixture.plan("ship");
    assert!(
        effects_text(&plan, 1).contains("+## [1.2.3] - 2024-05-01"),
        "{}",
        effects_text(&plan, 1)
    );
    fixture.start(&plan).assert_done();
    let expected = KAC
        .replace(
            "## [Unreleased]\n\n### Added",
            "## [Unreleased]\n\n## [1.2.3] - 2024-05-01\n\n### Added",
        )
        .replace(
            "[Unreleased]: https://github.com/octo/app/compare/v1.1.0...HEAD\n",
            "[Unreleased]: https://github.com/octo/app/compare/v1.2.3...HEAD\n[1.2.3]: https://github.com/octo/app/compare/v1.1.0...v1.2.3\n",
        );
    assert_eq!(fixture.repo.read("CHANGELOG.md"), expected);
    assert_eq!(
        outputs(&fixture, 1)["changelog"],
        "## [1.2.3] - 2024-05-01\n\n### Added\n\n- Week dates."
    );
    // A crash after the write: the probe finds the release promoted and nothing is added twice.
    fixture.crash_at(1, None);
    fixture.resume(false).assert_done();
    assert_eq!(fixture.repo.read("CHANGELOG.md"), expected);
}

#[test]
fn a_version_section_marked_unreleased_is_not_mistaken_for_a_release() {
    let changes = "Version 1.2.3\n-------------\n\nUnreleased\n\n-   Week dates.\n\n\nVersion 1.1.0\n-------------\n\nReleased 2024-01-02\n\n-   A bug.\n";
    let fixture = Fixture::new(
        "[project]\nname = \"app\"\ntag = \"v{version}\"\nscheme = \"semver\"\nversion-files = [\"VERSION\"]\n\n[changelog]\nfile = \"CHANGES.rst\"\n\n[[workflow.ship.step]]\nchangelog = \"update\"\n",
    );
    fixture.repo.write("CHANGES.rst", changes);
    fixture.repo.commit("Keep the changes by hand");
    fixture.run("ship").assert_done();
    assert_eq!(
        fixture.repo.read("CHANGES.rst"),
        changes.replacen("Unreleased", "Released 2024-05-01", 1)
    );
}

#[test]
fn an_edited_section_reaches_the_release_notes_and_a_resume_sends_the_same() {
    let github = fake_github();
    let mut fixture = with_changelog(
        &format!(
            "{}\n[[workflow.ship.step]]\nchangelog = \"update\"\n\n[[workflow.ship.step]]\nrun = \"sh edit.sh\"\n\n[[workflow.ship.step]]\nrelease = \"publish\"\n",
            header(&github)
        ),
        KAC,
    );
    // What a person (or a formatter) does to the section between the two steps.
    fixture.repo.write(
        "edit.sh",
        "sed -i 's/- Week dates./- ISO week dates (curated)./' CHANGELOG.md\n",
    );
    fixture.repo.commit("A step that edits the notes");
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    let plan = fixture.plan("ship");
    assert!(
        effects_text(&plan, 3).contains("`{changelog}` is read again from CHANGELOG.md"),
        "{}",
        effects_text(&plan, 3)
    );
    fixture.start(&plan).assert_done();
    let releases = github.releases("octo/app");
    assert_eq!(releases.len(), 1);
    let body = releases[0].body.clone().unwrap_or_default();
    assert_eq!(body, "### Added\n\n- ISO week dates (curated).");
    // A crash while the release was being sent, a later edit: the resumed step sends what the
    // journal says it read, not the file's new text.
    fixture.crash_at(3, None);
    let text = fixture.repo.read("CHANGELOG.md");
    fixture
        .repo
        .write("CHANGELOG.md", text.replace("(curated)", "(edited after)"));
    fixture.resume(false).assert_done();
    let releases = github.releases("octo/app");
    assert_eq!(releases.len(), 1);
    assert_eq!(releases[0].body.as_deref(), Some(body.as_str()));
}

#[test]
fn github_generated_notes_reach_the_release_and_the_changelog() {
    let github = fake_github();
    let mut fixture = Fixture::new(&format!(
        "{}\n[changelog]\nfrom = \"github\"\n\n[[workflow.ship.step]]\nchangelog = \"update\"\n\n[[workflow.ship.step]]\ntag = \"{{tag}}\"\n\n[[workflow.ship.step]]\npush = [\"tag\"]\n\n[[workflow.ship.step]]\nrelease = \"publish\"\nnotes = \"generate\"\n",
        header(&github)
    ));
    fixture.repo.write(
        ".github/release.yml",
        "changelog:\n  exclude:\n    labels: [skip-notes]\n  categories:\n    - title: Features\n      labels: [feature]\n    - title: Other\n      labels: [\"*\"]\n",
    );
    fixture.repo.commit("Group release notes");
    fixture.repo.push(&["main"]);
    github.link_git("octo/app", fixture.repo.remote_path());
    for (title, label) in [
        ("Parse week dates", "feature"),
        ("Fix a typo", "skip-notes"),
        ("Reject empty input", "bug"),
    ] {
        let number = github.add_pull_request("octo/app", "topic", "main", title);
        github.label_pull_request("octo/app", number, &[label]);
        github.merge_pull_request("octo/app", number);
    }
    fixture.set_var("GITHUB_TOKEN", FakeGitHub::TOKEN);
    let plan = fixture.plan("ship");
    assert_eq!(github.api().request_count(), 0, "the plan sent a request");
    assert!(
        effects_text(&plan, 1).contains("/repos/octo/app/releases/generate-notes"),
        "{}",
        effects_text(&plan, 1)
    );
    fixture.start(&plan).assert_done();
    let releases = github.releases("octo/app");
    let body = releases[0].body.clone().unwrap_or_default();
    assert!(
        body.starts_with("## What's Changed\n### Features\n* Parse week dates by @octocat in "),
        "{body}"
    );
    assert!(
        body.contains("### Other\n* Reject empty input by "),
        "{body}"
    );
    assert!(!body.contains("typo"), "{body}");
    let changelog = fixture.repo.read("CHANGELOG.md");
    assert!(
        changelog.contains("## What's Changed\n### Features\n* Parse week dates"),
        "{changelog}"
    );
    assert!(
        changelog.starts_with("# Changelog\n\n## [1.2.3]"),
        "{changelog}"
    );
    assert!(github.violations().is_empty(), "{:?}", github.violations());
}

/// A repository released as 1.0.0 with news fragments of `types` waiting.
fn towncrier_repo(types: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"frag\"\nversion = \"1.0.0\"\n\n[tool.towncrier]\ndirectory = \"changes\"\nfilename = \"NEWS.md\"\n",
    );
    repo.write(
        "NEWS.md",
        "# News\n\n<!-- towncrier release notes start -->\n",
    );
    repo.write("changes/.gitkeep", "");
    repo.commit("Start");
    repo.tag("v1.0.0");
    for (index, kind) in types.iter().enumerate() {
        repo.write(&format!("changes/{}.{kind}.md", index + 1), "Something.\n");
    }
    repo.commit("Add news");
    repo
}

fn auto_version(repo: &TestRepo) -> Option<String> {
    let git = relman_git::Repository::discover(repo.path())
        .unwrap()
        .with_envs(repo.env_vars());
    let config = relman_engine::config::Config::detected();
    let project = relman_engine::project::Project::resolve(git, &config).unwrap();
    let history = project.history(false).unwrap();
    let current = project.current_version(history.previous.as_ref()).unwrap();
    project
        .next_version(
            &current.version,
            &relman_engine::project::NextVersion {
                level: "auto",
                pre_label: None,
                impact: history.impact,
                today: relman_version::date::Date::new(2024, 5, 1).unwrap(),
                allow_downgrade: false,
            },
        )
        .unwrap()
        .map(|version| version.to_string())
}

#[test]
fn fragment_types_decide_auto() {
    assert_eq!(
        auto_version(&towncrier_repo(&["feature"])).as_deref(),
        Some("1.1.0")
    );
    assert_eq!(
        auto_version(&towncrier_repo(&["bugfix", "doc"])).as_deref(),
        Some("1.0.1")
    );
    assert_eq!(
        auto_version(&towncrier_repo(&["removal", "feature"])).as_deref(),
        Some("2.0.0")
    );
    // Fragments that call for nothing are still something to release.
    assert_eq!(
        auto_version(&towncrier_repo(&["doc", "misc"])).as_deref(),
        Some("1.0.1")
    );
    assert_eq!(auto_version(&towncrier_repo(&[])), None);
}

/// pluggy: towncrier's `removal` type is "Deprecations and Removals", and its news file shows
/// that block in minor releases (1.6.0 after 1.5.0): a `removal` fragment is a minor release
/// there. Where the block only ever came with a new major version, it stays a major one.
#[test]
fn a_fragment_type_the_news_file_shipped_in_minor_releases_is_minor() {
    let repo_with_news = |newer: &str, older: &str| {
        let repo = TestRepo::new();
        repo.write(
            "pyproject.toml",
            format!("[project]\nname = \"frag\"\nversion = \"{newer}\"\n\n[tool.towncrier]\ndirectory = \"changes\"\nfilename = \"NEWS.md\"\n"),
        );
        repo.write(
            "NEWS.md",
            format!(
                "# News\n\n<!-- towncrier release notes start -->\n\n## frag {newer} (2024-03-01)\n\n\
                 ### Deprecations and Removals\n\n- `old()` is deprecated.\n\n\
                 ## frag {older} (2023-01-01)\n\n### Bugfixes\n\n- A fix.\n"
            ),
        );
        repo.write("changes/1.removal.md", "`older()` is deprecated.\n");
        repo.write("changes/2.bugfix.md", "A fix.\n");
        repo.commit("Release");
        repo.tag(&format!("v{newer}"));
        repo.commit("More");
        repo
    };
    assert_eq!(
        auto_version(&repo_with_news("1.6.0", "1.5.0")).as_deref(),
        Some("1.7.0")
    );
    assert_eq!(
        auto_version(&repo_with_news("1.0.0", "0.13.1")).as_deref(),
        Some("2.0.0")
    );
}

#[test]
fn a_history_without_conventional_commits_is_a_patch_with_its_changes_listed() {
    let repo = TestRepo::new();
    repo.write("VERSION", "2.0.0\n");
    repo.commit("Start");
    repo.tag("v2.0.0");
    repo.commit_file("a.txt", "a", "Retry on connection resets (#14)");
    repo.commit_file("b.txt", "b", "doc: explain retries");
    assert_eq!(auto_version(&repo).as_deref(), Some("2.0.1"));
}
