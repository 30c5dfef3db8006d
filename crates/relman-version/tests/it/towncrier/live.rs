//! relman against a live `towncrier` on the same folder: the scenarios, fragments whose order only
//! the directory listing decides, generated projects, and `towncrier create`. Skipped when
//! towncrier is not installed, unless `RELMAN_TEST_REQUIRE_TOOLS=1`.

use std::path::{Path, PathBuf};
use std::process::Command;

use relman_version::changelog::towncrier::{BuildOptions, TowncrierConfig, build, create_fragment};

use super::{build_options, config, copy_tree, diff, effects, scenarios};

/// The towncrier command: `TOWNCRIER`, else `towncrier` on `PATH`.
#[allow(
    clippy::print_stdout,
    reason = "a skipped test says so in the test output"
)]
fn towncrier() -> Option<PathBuf> {
    let found = std::env::var_os("TOWNCRIER")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|folder| folder.join("towncrier"))
                .find(|candidate| candidate.is_file())
        });
    if found.is_none() {
        assert!(
            std::env::var("RELMAN_TEST_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "towncrier not installed and RELMAN_TEST_REQUIRE_TOOLS=1 (pip install towncrier)"
        );
        println!("skipped: towncrier not installed");
    }
    found
}

/// Runs `towncrier build --yes` in `project` and returns the files it wrote and removed.
fn towncrier_build(towncrier: &Path, project: &Path, options: &BuildOptions) {
    let mut command = Command::new(towncrier);
    command
        .current_dir(project)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args([
            "build",
            "--yes",
            "--version",
            &options.version,
            "--date",
            &options.date,
        ]);
    if let Some(name) = &options.name {
        command.args(["--name", name]);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "towncrier build failed in {}:\n{}{}",
        project.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Builds `project` with relman, then with towncrier, and describes any difference.
fn compare_live(towncrier: &Path, project: &Path, options: &BuildOptions) -> Option<String> {
    let built = match build(&config(project), options) {
        Ok(built) => built,
        Err(error) => return Some(format!("relman failed: {error}")),
    };
    let ours = effects(&built.news_file, &built.fragment_files(), project);
    towncrier_build(towncrier, project, options);
    let written = fs_err::read_to_string(&built.news_file).unwrap_or_default();
    let mut problems = String::new();
    if written != built.contents {
        problems.push_str(&format!(
            "news file differs from towncrier's\n{}",
            diff(&written, &built.contents)
        ));
    }
    let removed: Vec<PathBuf> = built
        .fragment_files()
        .into_iter()
        .filter(|path| !path.exists())
        .collect();
    let theirs = effects(&built.news_file, &removed, project);
    if theirs != ours {
        problems.push_str(&format!(
            "fragments differ from those towncrier removed\n{}",
            diff(&theirs, &ours)
        ));
    }
    (!problems.is_empty()).then_some(problems)
}

#[test]
fn scenarios_match_live_towncrier() {
    let Some(towncrier) = towncrier() else { return };
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let temp = tempfile::tempdir().unwrap();
        let project = temp.path().join("project");
        copy_tree(&scenario.join("project"), &project);
        if let Some(problem) = compare_live(&towncrier, &project, &build_options(&scenario)) {
            failures.push(format!("{}: {problem}", scenario.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn write(path: &Path, text: &str) {
    fs_err::create_dir_all(path.parent().unwrap()).unwrap();
    fs_err::write(path, text).unwrap();
}

fn options(name: Option<&str>) -> BuildOptions {
    BuildOptions {
        version: "1.0.0".to_owned(),
        date: "2025-01-01".to_owned(),
        name: name.map(str::to_owned),
    }
}

/// Two fragments of one issue and type with different texts tie in towncrier's sort; the
/// directory listing decides, and relman reads the folder in the same order.
#[test]
fn ties_follow_the_directory_order_like_towncrier() {
    let Some(towncrier) = towncrier() else { return };
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path();
    write(
        &project.join("pyproject.toml"),
        "[tool.towncrier]\ndirectory = \"changes\"\nfilename = \"CHANGES.md\"\n",
    );
    for (name, text) in [
        ("8.feature", "Zulu.\n"),
        ("8.feature.1", "Alpha.\n"),
        ("8.feature.2", "Mike.\n"),
        ("08.feature.3", "Bravo.\n"),
        ("8.bugfix.md", "Yankee.\n"),
        ("8.bugfix.1.md", "Xray.\n"),
    ] {
        write(&project.join("changes").join(name), text);
    }
    if let Some(problem) = compare_live(&towncrier, project, &options(Some("Ties"))) {
        panic!("{problem}");
    }
}

/// A small deterministic generator, so failures can be replayed from the case number.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const TEXTS: &[&str] = &[
    "Short.\n",
    "Short.\n",
    "Fixed a crash when the configuration file was empty or contained only comments and blank lines.\n",
    "Two paragraphs.\n\nThe second one is here,\nspread over two lines.\n",
    "- a bullet already\n",
    "* a star bullet\n",
    "#. a numbered item with enough words to wrap when the width is small enough\n",
    "Example::\n\n    code block\n    more code\n",
    "A list:\n\n- one\n- two\n",
    "  padded with spaces  \n\n\n",
    "Tabs\tinside\ttext.\n",
    "Ünïcödé text — with dashes and “quotes”.\n",
    "",
];

const ISSUES: &[&str] = &[
    "1", "2", "10", "007", "gh-3", "gh-12", "alpha", "+", "+", "fix-1.2",
];

/// Generated projects: random options and fragments, relman against towncrier on each.
#[test]
fn generated_projects_match_live_towncrier() {
    let Some(towncrier) = towncrier() else { return };
    let cases: u64 = std::env::var("RELMAN_TOWNCRIER_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut random = Lcg(case.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66);
        let temp = tempfile::tempdir().unwrap();
        let project = temp.path();
        let markdown = random.chance(50);
        let mut toml = format!(
            "[tool.towncrier]\ndirectory = \"news\"\nfilename = \"{}\"\n",
            if markdown { "CHANGELOG.md" } else { "NEWS.rst" }
        );
        if random.chance(30) {
            toml.push_str(&format!("wrap = {}\n", random.pick(&["true", "30", "50"])));
        }
        if random.chance(30) {
            toml.push_str("all_bullets = false\n");
        }
        let issue_format = random.pick(&[
            "",
            "issue_format = \"#{issue}\"\n",
            "issue_format = \"[#{issue}](https://x.test/{issue})\"\n",
            "issue_format = \"`#{issue} <https://x.test/{issue}>`_\"\n",
            "issue_format = \"[#{issue}]: https://x.test/{issue}\"\n",
        ]);
        toml.push_str(issue_format);
        if random.chance(25) {
            toml.push_str(random.pick(&[
                "title_format = \"{version} ({project_date})\"\n",
                "title_format = false\n",
            ]));
        }
        let kinds: &[&str] = if random.chance(40) {
            toml.push_str("[tool.towncrier.fragment.added]\n[tool.towncrier.fragment.fixed]\nname = \"Fixed\"\n");
            toml.push_str("[tool.towncrier.fragment.hidden]\nshowcontent = false\n");
            &["added", "fixed", "hidden"]
        } else {
            &["feature", "bugfix", "doc", "removal", "misc"]
        };
        write(&project.join("pyproject.toml"), &toml);
        write(&project.join("news/.gitignore"), "!.gitignore\n");
        let count = random.next() % 9;
        for index in 0..count {
            let issue = random.pick(ISSUES);
            let issue = if issue == "+" {
                format!("+orphan{index}")
            } else {
                issue.to_owned()
            };
            let kind = random.pick(kinds);
            // A distinct counter per file keeps names unique without making ties on purpose.
            let name = format!(
                "{issue}.{kind}.{index}{}",
                random.pick(&["", ".md", ".rst"])
            );
            write(&project.join("news").join(name), random.pick(TEXTS));
        }
        if random.chance(50) {
            let existing = if markdown {
                "# Changelog\n\n<!-- towncrier release notes start -->\n\n# 0.1.0 (2020-01-01)\n\nOld.\n"
            } else {
                "Changelog\n=========\n\n.. towncrier release notes start\n\n0.1.0 (2020-01-01)\n==================\n\nOld.\n"
            };
            write(
                &project.join(if markdown { "CHANGELOG.md" } else { "NEWS.rst" }),
                existing,
            );
        }
        let name = random.pick(&["", "Project"]);
        if let Some(problem) = compare_live(
            &towncrier,
            project,
            &options((!name.is_empty()).then_some(name)),
        ) {
            failures.push(format!("case {case} ({toml}): {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `relman fragment new` names files as `towncrier create` does.
#[test]
fn created_fragments_match_towncrier_create() {
    let Some(towncrier) = towncrier() else { return };
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path();
    write(
        &project.join("pyproject.toml"),
        "[tool.towncrier]\ndirectory = \"changes\"\nfilename = \"CHANGELOG.md\"\n",
    );
    let config = TowncrierConfig::discover(project).unwrap().unwrap();
    for _ in 0..2 {
        let ours = create_fragment(&config, "feature", Some("12"), "Added a thing").unwrap();
        let output = Command::new(&towncrier)
            .current_dir(project)
            .args(["create", "12.feature", "--content", "Added a thing"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let theirs = stdout
            .trim()
            .strip_prefix("Created news fragment at ")
            .unwrap()
            .to_owned();
        // Both pick the next free name, so towncrier's follows relman's.
        let ours_name = ours.file_name().unwrap().to_string_lossy().into_owned();
        let theirs_name = Path::new(&theirs)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let expected_next = match ours_name.as_str() {
            "12.feature.md" => "12.feature.1.md",
            "12.feature.2.md" => "12.feature.3.md",
            other => panic!("unexpected name {other}"),
        };
        assert_eq!(theirs_name, expected_next);
        assert_eq!(
            fs_err::read_to_string(&ours).unwrap(),
            fs_err::read_to_string(&theirs).unwrap()
        );
    }
}
