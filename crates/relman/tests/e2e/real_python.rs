//! Shapes of real Python and JavaScript repositories, rebuilt small: each test is a defect seen
//! on a public repository (named in docs/real-repositories.md), asserted through the binary.

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stderr, stdout};

/// Runs relman and asserts the exit code; returns stdout and stderr.
#[track_caller]
fn run(repo: &TestRepo, args: &[&str], code: i32) -> (String, String) {
    let output = relman(repo, args);
    assert_exit(&output, code);
    (stdout(&output), stderr(&output))
}

fn version_py(version: &str) -> String {
    format!(
        "# Dev versions have the form \"1.2.3+dev\".\n__version__ = \"{version}\"\nbase_version = __version__\n"
    )
}

/// A package whose `version.py` holds `VERSION`, released as `v{version}` tags.
fn local_label_repo(released: &str, developing: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n\n\
         [tool.setuptools.dynamic]\nversion = {attr = \"pkg.version.__version__\"}\n",
    );
    repo.write("pkg/__init__.py", "");
    repo.write("pkg/version.py", version_py(released));
    repo.commit("Release");
    repo.tag(&format!("v{released}"));
    repo.write("pkg/version.py", version_py(developing));
    repo.commit("Bump version to the next development version");
    repo.commit_file("pkg/a.py", "x = 1\n", "Fix a crash in the parser");
    repo.push(&["main", "--tags"]);
    repo
}

/// mypy: `2.4.0+dev` after 2.3.1 is the version being developed. The release is 2.4.0, written
/// into `version.py` without the label: PyPI refuses a local version, and no tag names one.
#[test]
fn a_local_dev_label_ahead_of_the_last_release_is_released_without_it() {
    let repo = local_label_repo("2.3.1", "2.4.0+dev");
    assert_eq!(run(&repo, &["version"], 0).0, "2.4.0+dev\n");
    for level in ["auto", "minor", "patch"] {
        assert_eq!(
            run(&repo, &["version", "--next", level], 0).0,
            "2.4.0\n",
            "{level}"
        );
    }
    assert_eq!(run(&repo, &["version", "--next", "major"], 0).0, "3.0.0\n");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(repo.read("pkg/version.py"), version_py("2.4.0"));
    assert_eq!(
        repo.git(&["tag", "--list", "--sort=version:refname"]),
        "v2.3.1\nv2.4.0"
    );
}

/// trio: `0.34.0+dev` is written after 0.34.0 is released: the next release moves on from it.
#[test]
fn a_local_dev_label_on_the_last_release_moves_on_from_it() {
    let repo = local_label_repo("0.34.0", "0.34.0+dev");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "0.34.1\n");
    assert_eq!(run(&repo, &["version", "--next", "minor"], 0).0, "0.35.0\n");
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("0.34.0+dev → 0.34.1"), "{plan}");
    assert!(plan.contains("+__version__ = \"0.34.1\""), "{plan}");
}

/// hatch: the root project's version comes from its `app-v` tags (hatch-vcs); `backend/` is a
/// second project no workspace lists, whose version is in `src/engine_lib/__about__.py` and
/// whose releases are tagged `engine-lib-v…`. A project in a folder without tags of its name
/// (an example) is no package.
#[test]
fn a_python_project_in_a_folder_with_tags_of_its_name_is_a_package() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"hatchling\", \"hatch-vcs\"]\nbuild-backend = \"hatchling.build\"\n\n\
         [project]\nname = \"app\"\ndynamic = [\"version\"]\n\n[tool.hatch.version]\nsource = \"vcs\"\n",
    );
    repo.write("src/app/__init__.py", "");
    repo.write(
        "backend/pyproject.toml",
        "[project]\nname = \"engine-lib\"\ndynamic = [\"version\"]\n\n\
         [tool.hatch.version]\npath = \"src/engine_lib/__about__.py\"\n",
    );
    repo.write(
        "backend/src/engine_lib/__about__.py",
        "__version__ = \"2.0.0\"\n",
    );
    repo.write(
        "examples/demo/pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"0.0.1\"\n",
    );
    repo.commit("Initial");
    repo.tag("app-v1.0.0");
    repo.tag("engine-lib-v2.0.0");
    repo.commit_file(
        "backend/src/engine_lib/core.py",
        "x = 1\n",
        "fix: engine rounding",
    );
    repo.push(&["main", "--tags"]);

    let (packages, _) = run(&repo, &["packages"], 0);
    let names: Vec<&str> = packages
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(names, ["app", "engine-lib"], "{packages}");
    assert_eq!(
        run(&repo, &["version", "-p", "engine-lib", "--next", "auto"], 0).0,
        "2.0.1\n"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        repo.read("backend/src/engine_lib/__about__.py"),
        "__version__ = \"2.0.1\"\n"
    );
    assert_eq!(
        repo.git(&["tag", "--list", "--sort=refname"]),
        "app-v1.0.0\nengine-lib-v2.0.0\nengine-lib-v2.0.1"
    );
}

/// pnpm: a new crate named `widget-reporter` (0.0.1) is not the npm package of that name tagged
/// `widget-reporter@0.20.1` years before in another folder: those tags are a former package's,
/// not a release the crate is behind, which stopped every command.
#[test]
fn tags_of_a_former_namesake_are_not_a_new_member_s_releases() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"tool\",\n  \"version\": \"1.0.0\",\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    repo.write(
        "packages/reporter/package.json",
        "{\n  \"name\": \"widget-reporter\",\n  \"version\": \"0.20.1\"\n}\n",
    );
    repo.commit("Initial");
    repo.tag("v1.0.0");
    repo.tag("widget-reporter@0.20.1");
    repo.git(&["rm", "-rq", "packages/reporter"]);
    repo.write(
        "package.json",
        "{\n  \"name\": \"tool\",\n  \"version\": \"1.0.0\",\n  \"workspaces\": [\"crates/*\"]\n}\n",
    );
    repo.write(
        "crates/reporter/package.json",
        "{\n  \"name\": \"widget-reporter\",\n  \"version\": \"0.0.1\",\n  \"private\": true\n}\n",
    );
    repo.commit("fix: rewrite the reporter");
    repo.push(&["main", "--tags"]);

    let (check, _) = run(&repo, &["check"], 0);
    assert!(check.contains("✓ last release v1.0.0"), "{check}");
    assert!(!check.contains("widget-reporter"), "{check}");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "1.0.1\n");
    run(&repo, &["plan", "release"], 0);
}
