//! Real releases of the ecosystems' shapes through the binary, zero-config, against the bare
//! remote: a Rust binary crate (`Cargo.toml` and `Cargo.lock` in one commit), a Rust workspace
//! with a shared version (every member, internal requirement and lock entry), each checked with
//! `cargo metadata --locked --offline`; a tooling `pyproject.toml` beside `Cargo.toml`; and a
//! pre-release the project moved past (httpx's `1.0.0.beta0` before `0.28.1`).

use std::path::Path;
use std::process::Command;

use relman_testkit::{TestRepo, require_tool};

use crate::plain::{assert_exit, relman, stderr, stdout};

#[track_caller]
fn run(repo: &TestRepo, args: &[&str], code: i32) -> (String, String) {
    let output = relman(repo, args);
    assert_exit(&output, code);
    (stdout(&output), stderr(&output))
}

/// `cargo` offline in `dir`; `Ok` or its stderr.
fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let output = Command::new("cargo")
        .args(args)
        .current_dir(dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("run cargo");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn locked(dir: &Path) -> Result<(), String> {
    cargo(
        dir,
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    )
}

/// The files the release commit changed.
fn released_files(repo: &TestRepo) -> Vec<String> {
    let mut files: Vec<String> = repo
        .git(&["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .map(str::to_owned)
        .collect();
    files.sort();
    files
}

#[test]
fn a_rust_binary_crate_releases_cargo_toml_and_cargo_lock_together() {
    if !require_tool("cargo") {
        return;
    }
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"fd-find\"\nversion = \"10.4.2\"\nedition = \"2021\"\n",
    );
    repo.write("src/main.rs", "fn main() {}\n");
    repo.write(".gitignore", "/target\n");
    cargo(repo.path(), &["generate-lockfile", "--offline"]).unwrap();
    repo.commit("feat: start");
    repo.tag("v10.4.2");
    repo.commit_file("src/main.rs", "fn main() { }\n", "fix: exit code");
    repo.push(&["main", "v10.4.2"]);

    run(&repo, &["release", "--yes"], 0);
    assert_eq!(released_files(&repo), ["Cargo.lock", "Cargo.toml"]);
    assert!(
        repo.read("Cargo.lock")
            .contains("name = \"fd-find\"\nversion = \"10.4.3\"\n")
    );
    locked(repo.path()).unwrap();
    assert_eq!(
        repo.git(&["rev-parse", "v10.4.3^{commit}"]),
        repo.head(),
        "the tag is on the release commit"
    );
}

#[test]
fn a_rust_workspace_with_a_shared_version_moves_every_member_requirement_and_lock_entry() {
    if !require_tool("cargo") {
        return;
    }
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"prost\", \"prost-*\"]\nresolver = \"2\"\n\n\
         [workspace.package]\nversion = \"0.14.4\"\nedition = \"2021\"\n",
    );
    repo.write(
        "prost/Cargo.toml",
        "[package]\nname = \"prost\"\nversion.workspace = true\nedition.workspace = true\n\n\
         [dependencies]\nprost-derive = { version = \"0.14.4\", path = \"../prost-derive\", optional = true }\n",
    );
    repo.write(
        "prost-derive/Cargo.toml",
        "[package]\nname = \"prost-derive\"\nversion = \"0.14.4\"\nedition = \"2021\"\n",
    );
    repo.write(
        "prost-build/Cargo.toml",
        "[package]\nname = \"prost-build\"\nversion.workspace = true\nedition.workspace = true\n\n\
         [dependencies]\nprost = { version = \"0.14.4\", path = \"../prost\", default-features = false }\n",
    );
    for member in ["prost", "prost-derive", "prost-build"] {
        repo.write(&format!("{member}/src/lib.rs"), "");
    }
    repo.write(".gitignore", "/target\n");
    cargo(repo.path(), &["generate-lockfile", "--offline"]).unwrap();
    repo.commit("feat: start");
    repo.tag("v0.14.4");
    repo.commit_file("prost/src/lib.rs", "//! prost\n", "feat: encode faster");
    repo.push(&["main", "v0.14.4"]);

    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("0.14.4 → 0.15.0"), "{plan}");
    run(&repo, &["release", "--yes"], 0);
    // No changelog is kept, so none is created.
    assert_eq!(
        released_files(&repo),
        [
            "Cargo.lock",
            "Cargo.toml",
            "prost-build/Cargo.toml",
            "prost-derive/Cargo.toml",
            "prost/Cargo.toml"
        ]
    );
    locked(repo.path()).unwrap();
    assert!(repo.read("Cargo.toml").contains("version = \"0.15.0\"\n"));
    assert!(
        repo.read("prost-derive/Cargo.toml")
            .contains("version = \"0.15.0\"\n")
    );
    assert!(
        repo.read("prost/Cargo.toml")
            .contains("{ version = \"0.15.0\", path = \"../prost-derive\"")
    );
    assert!(
        repo.read("prost-build/Cargo.toml")
            .contains("{ version = \"0.15.0\", path = \"../prost\"")
    );
    assert_eq!(
        repo.read("Cargo.lock")
            .matches("version = \"0.15.0\"")
            .count(),
        3
    );
    let remote_tag = repo.git(&["ls-remote", "--tags", &repo.remote_url(), "v0.15.0^{}"]);
    assert!(remote_tag.starts_with(&repo.head()), "{remote_tag}");
}

#[test]
fn a_tooling_pyproject_beside_cargo_toml_is_no_version_file() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"tool\"\nversion = \"0.23.3\"\nedition = \"2021\"\n",
    );
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"tool-scripts\"\nversion = \"0.1.0\"\n\n[tool.black]\nline-length = 100\n",
    );
    repo.commit("feat: start");
    repo.tag("v0.23.3");
    repo.commit_file("a.txt", "1", "fix: one");
    repo.push(&["main", "v0.23.3"]);

    assert_eq!(run(&repo, &["version"], 0).0, "0.23.3\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(
        check.contains("✓ `pyproject.toml` is not a version file: it holds 0.1.0, behind the last release 0.23.3 (tag `v0.23.3`)"),
        "{check}"
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("0.23.3 → 0.23.4"), "{plan}");
    assert!(!plan.contains("+++ b/pyproject.toml"), "{plan}");

    run(&repo, &["init"], 0);
    let written = repo.read("relman.toml");
    assert!(
        written.contains("version-files = [\"Cargo.toml\"]\n"),
        "{written}"
    );
    assert!(
        written
            .replace("\n#   ", " ")
            .contains("`pyproject.toml` is not a version file: it holds 0.1.0"),
        "init says why: {written}"
    );
}

/// pyo3: a `pyproject.toml` for its tooling (nox, towncrier) with `[project]` and a dynamic
/// version beside the workspace's `Cargo.toml`: versions were PEP 440, and a release candidate
/// `0.29.3rc0`, which Cargo refuses, would have been written into every manifest.
#[test]
fn a_crate_beside_a_python_tooling_project_keeps_semver() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"bind\"\nversion = \"0.29.2\"\nedition = \"2021\"\n",
    );
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"bind\"\ndynamic = [\"version\"]\n\n[tool.towncrier]\nfilename = \"CHANGELOG.md\"\ndirectory = \"newsfragments\"\n",
    );
    repo.write("newsfragments/.gitignore", "!.gitignore\n");
    repo.commit("feat: start");
    repo.tag("v0.29.2");
    repo.commit_file("a.txt", "1", "fix: one");
    repo.push(&["main", "v0.29.2"]);

    assert_eq!(
        run(&repo, &["version", "--next", "rc"], 0).0,
        "0.29.3-rc.0\n"
    );
    let (plan, _) = run(&repo, &["plan", "release", "rc"], 0);
    assert!(plan.contains("+version = \"0.29.3-rc.0\""), "{plan}");
}

#[test]
fn a_pre_release_the_project_moved_past_is_not_the_last_release() {
    let repo = TestRepo::new();
    repo.write("httpx/__init__.py", "");
    repo.write("httpx/__version__.py", "__version__ = \"0.18.0\"\n");
    repo.write("pyproject.toml", "[project]\nname = \"httpx\"\ndynamic = [\"version\"]\n\n[tool.hatch.version]\npath = \"httpx/__version__.py\"\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n");
    repo.commit("feat: start");
    repo.tag("0.18.0");
    repo.commit_file("a.txt", "1", "feat: the 1.0 beta");
    repo.tag("1.0.0.beta0");
    repo.write("httpx/__version__.py", "__version__ = \"0.28.1\"\n");
    repo.commit("fix: back on 0.x");
    repo.tag("0.28.1");
    repo.commit_file("a.txt", "2", "fix: unreleased");
    repo.push(&["main"]);

    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "0.28.2\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(
        check.contains("version 0.28.1 in httpx/__version__.py"),
        "{check}"
    );
    assert!(check.contains("last release 0.28.1 at"), "{check}");
    assert!(!check.contains("not a version file"), "{check}");
}

/// rustls: a virtual workspace whose main crate is named as the project and released under the
/// root's `v/0.23.43` tags, another crate under `NAME-v/0.2.4`, and new crates at `0.1.0-dev.1`
/// with neither tags nor changelogs. The main crate was a package with "no release tag yet" and
/// the other crate's six releases "no release of this project".
#[test]
fn a_workspace_released_under_slash_tags_keeps_its_releases_and_its_crates_in_the_making() {
    if !require_tool("cargo") {
        return;
    }
    let repo = TestRepo::new();
    // The project is named by its folder (the clone of rustls/rustls is `rustls`), and so is
    // its main crate here.
    let main = repo
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    repo.write(
        "Cargo.toml",
        format!(
            "[workspace]\nmembers = [\"{main}\", \"demo-ring\", \"demo-pq\"]\nresolver = \"2\"\n"
        ),
    );
    let krate = |name: &str, version: &str, deps: &str| {
        repo.write(
            &format!("{name}/Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\n\n[dependencies]\n{deps}"
            ),
        );
        repo.write(&format!("{name}/src/lib.rs"), "\n");
    };
    krate(&main, "0.2.0", "");
    krate(
        "demo-pq",
        "0.1.0",
        &format!("{main} = {{ version = \"0.2.0\", path = \"../{main}\" }}\n"),
    );
    krate(
        "demo-ring",
        "0.1.0-dev.1",
        &format!("{main} = {{ version = \"0.2.0\", path = \"../{main}\" }}\n"),
    );
    repo.write(".gitignore", "/target\n");
    cargo(repo.path(), &["generate-lockfile", "--offline"]).unwrap();
    repo.commit("feat: start");
    repo.tag("v/0.2.0");
    repo.tag("demo-pq-v/0.1.0");
    krate(&main, "0.3.0-dev.1", "");
    krate(
        "demo-pq",
        "0.2.0-dev.1",
        &format!("{main} = {{ version = \"0.3.0-dev.1\", path = \"../{main}\" }}\n"),
    );
    krate(
        "demo-ring",
        "0.1.0-dev.1",
        &format!("{main} = {{ version = \"0.3.0-dev.1\", path = \"../{main}\" }}\n"),
    );
    cargo(repo.path(), &["generate-lockfile", "--offline"]).unwrap();
    repo.commit("feat!: a new api");
    repo.push(&["main", "v/0.2.0", "demo-pq-v/0.1.0"]);

    let (listed, _) = run(&repo, &["packages"], 0);
    let row = |name: &str| {
        listed
            .lines()
            .find(|line| line.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name}: {listed}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row(&main)[3], "v/0.2.0", "{listed}");
    assert_eq!(row("demo-pq")[3], "demo-pq-v/0.1.0", "{listed}");
    assert!(row("demo-ring").contains(&"0.1.0-dev.1"), "{listed}");
    let (checked, _) = run(&repo, &["check"], 0);
    assert!(!checked.contains("no release of this project"), "{checked}");

    run(&repo, &["release", "--yes"], 0);
    for tag in ["v/0.3.0", "demo-pq-v/0.2.0", "demo-ring-v/0.1.0"] {
        let remote = repo.git(&["ls-remote", "--tags", &repo.remote_url(), tag]);
        assert!(remote.contains(tag), "{tag} pushed: {remote}");
    }
    assert!(
        repo.read(&format!("{main}/Cargo.toml"))
            .contains("version = \"0.3.0\"")
    );
    assert!(
        repo.read("demo-ring/Cargo.toml")
            .contains("version = \"0.3.0\", path")
    );
    locked(repo.path()).unwrap();
}
