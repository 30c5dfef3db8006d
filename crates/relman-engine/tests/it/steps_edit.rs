//! `edit`: one value set in a file, byte-exact, in the repository or in another checkout; the
//! plan shows the diff and writes nothing; a path that leaves the work tree is refused.

use relman_engine::journal::StepState;

use crate::remote_support::{Fixture, effects_text};

const HEADER: &str = r#"[project]
name = "app"
tag = "v{version}"
scheme = "semver"
version-files = ["VERSION"]
"#;

fn fixture(steps: &str) -> Fixture {
    let fixture = Fixture::new(&format!("{HEADER}\n{steps}"));
    fixture.repo.write(
        "deploy/values.yaml",
        "image:\n  repository: app\n  tag: \"v1.1.0\" # pinned\r\n",
    );
    fixture
        .repo
        .write("site/data.txt", "latest = 1.1.0;\nlatest-url = x\n");
    fixture.repo.commit("chore: deploy files");
    fixture
}

#[test]
fn a_key_and_a_pattern_are_set_and_nothing_else_changes() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
edit = "deploy/values.yaml"
key = "image.tag"
value = "v{version}"

[[workflow.ship.step]]
edit = "site/data.txt"
pattern = "latest = {value};"
value = "{version}"
"#,
    );
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 1);
    assert!(shown.contains("-  tag: \\\"v1.1.0\\\""), "{shown}");
    assert!(shown.contains("+  tag: \\\"v1.2.3\\\""), "{shown}");
    assert_eq!(
        fixture.repo.read("deploy/values.yaml"),
        "image:\n  repository: app\n  tag: \"v1.1.0\" # pinned\r\n",
        "the plan wrote the file"
    );
    fixture.start(&plan).assert_done();
    assert_eq!(
        fixture.repo.read("deploy/values.yaml"),
        "image:\n  repository: app\n  tag: \"v1.2.3\" # pinned\r\n"
    );
    assert_eq!(
        fixture.repo.read("site/data.txt"),
        "latest = 1.2.3;\nlatest-url = x\n"
    );
    let previous = crate::remote_support::outputs(&fixture, 1);
    assert_eq!(previous["previous"], "v1.1.0");
}

#[test]
fn a_crash_after_the_write_is_done_on_resume_and_abort_restores_the_file() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
edit = "site/data.txt"
pattern = "latest = {value};"
value = "{version}"

[[workflow.ship.step]]
manual = "Check the site"
"#,
    );
    fixture.run("ship").paused();
    fixture.crash_at(1, None);
    fixture.resume(false).paused();
    let journal = fixture.journal();
    assert_eq!(journal.steps[0].state, StepState::Done);
    assert_eq!(
        fixture.repo.read("site/data.txt"),
        "latest = 1.2.3;\nlatest-url = x\n"
    );
    fixture.abort();
    assert_eq!(
        fixture.repo.read("site/data.txt"),
        "latest = 1.1.0;\nlatest-url = x\n"
    );
}

#[test]
fn a_path_out_of_the_work_tree_stops_the_plan() {
    for path in ["../outside.txt", "/etc/hostname", "link/secret.txt"] {
        let fixture = fixture(&format!(
            r#"[[workflow.ship.step]]
edit = "{path}"
pattern = "a={{value}}"
value = "{{version}}"
"#
        ));
        fs_err::write(fixture.repo.root().join("outside.txt"), "a=1\n").unwrap();
        std::os::unix::fs::symlink(fixture.repo.root(), fixture.repo.path().join("link")).unwrap();
        let error = fixture.try_plan("ship").expect_err(path);
        assert!(
            error.to_string().contains("outside the work tree"),
            "{path}: {error}"
        );
    }
}

#[test]
fn in_another_checkout_cloned_when_missing() {
    let fixture = fixture("");
    let root = fixture.repo.root().to_owned();
    // A second repository: a chart repository with its own remote.
    fixture
        .repo
        .git_in(&root, &["init", "--quiet", "--bare", "charts.git"]);
    fixture
        .repo
        .git_in(&root, &["clone", "--quiet", "charts.git", "seed"]);
    fs_err::write(
        root.join("seed/Chart.yaml"),
        "name: app\nappVersion: \"1.1.0\"\n",
    )
    .unwrap();
    fixture.repo.git_in(&root.join("seed"), &["add", "."]);
    fixture
        .repo
        .git_in(&root.join("seed"), &["commit", "--quiet", "-m", "chart"]);
    fixture
        .repo
        .git_in(&root.join("seed"), &["push", "--quiet", "origin", "HEAD"]);
    let config = format!(
        r#"{HEADER}
[[workflow.ship.step]]
edit = "Chart.yaml"
key = "appVersion"
value = "{{version}}"
dir = "../charts"
clone = "file://{}/charts.git"

[[workflow.ship.step]]
commit = "app {{version}}"
dir = "../charts"
"#,
        root.display()
    );
    fixture.repo.write("relman.toml", &config);
    fixture.repo.commit("chore: edit the chart");
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains("appVersion"));
    fixture.start(&plan).assert_done();
    assert_eq!(
        fs_err::read_to_string(root.join("charts/Chart.yaml")).unwrap(),
        "name: app\nappVersion: \"1.2.3\"\n"
    );
    let log = fixture.repo.git_in(
        &root.join("charts"),
        &["log", "-1", "--format=%s", "--name-only"],
    );
    assert_eq!(log.trim(), "app 1.2.3\n\nChart.yaml");
}

/// A formula kept in the project itself: the commit after `homebrew` has the formula to commit,
/// so the plan keeps it and the run commits it.
#[test]
fn a_formula_in_the_repository_is_committed_after_homebrew() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
homebrew = "Formula/app.rb"
url = "https://example.org/app-{version}.tar.gz"
file = "dist-src/app.tar.gz"

[[workflow.ship.step]]
commit = "app {version}"
"#,
    );
    fixture.repo.write(
        "Formula/app.rb",
        "class App < Formula\n  url \"https://example.org/app-1.1.0.tar.gz\"\n  sha256 \"aaaa\"\nend\n",
    );
    fixture.repo.write("dist-src/app.tar.gz", "the tarball\n");
    fixture.repo.commit("chore: the formula");
    let plan = fixture.plan("ship");
    let commit = plan.steps.iter().find(|step| step.number == 2).unwrap();
    assert_eq!(commit.skipped, None, "the commit was left out");
    fixture.start(&plan).assert_done();
    let log = fixture
        .repo
        .git(&["log", "-1", "--format=%s", "--name-only"]);
    assert_eq!(log.trim(), "app 1.2.3\n\nFormula/app.rb");
}
