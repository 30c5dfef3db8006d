//! A uv workspace of two packages, `b` requiring `a`, built by a `run` step per package into one
//! `dist/` and uploaded for real to pypiserver by one `publish = "pypi"` step with
//! `files = ["dist/*"]`: each package's step uploads its own file only, `a` first, and `b` only
//! once the index lists `a`'s new file (a proxy in front of pypiserver hides it from the reads
//! that follow its upload, as a CDN in front of PyPI's simple index does).

use relman_testkit::TestRepo;
use relman_testkit::lagging_registry::{Flavor, LaggingRegistry};
use relman_testkit::services::{PypiServer, dist_builder, or_skip};

use crate::plain::{relman_path, stderr, stdout};

const A: &str = "relman-order-a";
const B: &str = "relman-order-b";

#[test]
fn each_package_uploads_its_own_files_and_a_dependent_waits_for_its_dependency_on_the_index() {
    let Some(index) = or_skip(PypiServer::start()) else {
        return;
    };
    let tools = tempfile::tempdir().unwrap();
    let Some((python, script)) = or_skip(dist_builder(tools.path())) else {
        return;
    };
    let registry = LaggingRegistry::start(Flavor::Pypi, &index.url(), A, 3);
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
    );
    repo.write(
        "packages/a/pyproject.toml",
        format!("[project]\nname = \"{A}\"\nversion = \"1.0.0\"\n"),
    );
    repo.write(
        "packages/b/pyproject.toml",
        format!(
            "[project]\nname = \"{B}\"\nversion = \"1.0.0\"\ndependencies = [\"{A}>=1.0.0\"]\n\n[tool.uv.sources]\n{A} = {{ workspace = true }}\n"
        ),
    );
    repo.write(".gitignore", "/dist/\n");
    repo.write(
        "relman.toml",
        format!(
            r#"[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {{version}}"

[[workflow.release.step]]
tag = "{{tag}}"

[[workflow.release.step]]
run = "{{env.DIST_PYTHON}} {{env.DIST_SCRIPT}} sdist dist {{package}} {{version}}"

[[workflow.release.step]]
publish = "pypi"
files = ["dist/*"]
registry = "{registry}"
interval = "100ms"
timeout = "60s"
"#,
            registry = registry.url()
        ),
    );
    repo.commit("feat: start");
    let tags = [format!("{A}-v1.0.0"), format!("{B}-v1.0.0")];
    for tag in &tags {
        repo.tag(tag);
    }
    repo.commit_file("packages/a/a.py", "A = 1\n", "feat(a): a");
    repo.commit_file("packages/b/b.py", "B = 1\n", "feat(b): b");
    repo.push(&["main", &tags[0], &tags[1]]);
    // Where the builds go (ignored by git).
    fs_err::create_dir_all(repo.path().join("dist")).unwrap();

    let released = repo
        .command(relman_path())
        .current_dir(repo.path())
        .args(["release", "--yes"])
        .env("DIST_PYTHON", &python)
        .env("DIST_SCRIPT", &script)
        .env("PYPI_TOKEN", "pypi-test")
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    assert_eq!(
        released.status.code(),
        Some(0),
        "{}{}",
        stdout(&released),
        stderr(&released)
    );
    let mut files: Vec<String> = fs_err::read_dir(index.packages_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["relman_order_a-1.1.0.tar.gz", "relman_order_b-1.1.0.tar.gz"]
    );
    let seen = registry.seen();
    let upload = |package: &str| {
        seen.iter()
            .position(|seen| seen.publish() && seen.package == package)
            .unwrap_or_else(|| panic!("{package} was not uploaded: {seen:?}"))
    };
    let (a_upload, b_upload) = (upload(A), upload(B));
    let hidden = seen[a_upload..b_upload]
        .iter()
        .filter(|seen| seen.package == A && seen.hidden)
        .count();
    assert_eq!(hidden, 3, "relman looked while a was hidden: {seen:?}");
    assert!(
        seen[a_upload..b_upload]
            .iter()
            .any(|seen| seen.method == "GET" && seen.package == A && !seen.hidden),
        "b was uploaded before the index showed a: {seen:?}"
    );
    assert_eq!((registry.publishes(A), registry.publishes(B)), (1, 1));
}
