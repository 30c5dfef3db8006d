//! `examples/poetry-prerelease-docker`: a Poetry project (`lab`) at 1.3.0a0 cuts the pre-release
//! 1.3.0a1 from master, then the final 1.3.0 on a new `release/1.3` branch. Its Makefile builds
//! for real (wheel and sdist, reproducible), twine uploads to a real pypiserver, and three images
//! are pushed to a real docker-registry; the test checks every effect there and in git. The
//! pre-release also runs with relman killed after every step, and must end in the same state.

use std::collections::BTreeMap;

use relman_testkit::TestRepo;
use relman_testkit::services::find_tool;

use super::crash::run_crashing_after_each_step;
use super::fixture::{
    assert_runbook_current, copy_fixture, fixture_dir, remote_ref_names, remote_refs, run, subjects,
};
use crate::world::World;

const EXAMPLE: &str = "poetry-prerelease-docker";
/// The three images of the runbook, as runtimes of `lab runtimes` and registry repositories.
const IMAGES: [(&str, &str); 3] = [
    ("all", "lab-project/lab-all"),
    ("client-gpu", "lab-project/lab-client-gpu"),
    ("client", "lab-project/lab-client"),
];

/// The project at 1.3.0a0 (tagged), one commit since, pushed; pypiserver and a registry running,
/// and the environment a CI job would give the Makefile: twine on PATH and pointed at the local
/// index, the image targets pointed at the local registry.
pub(super) fn world() -> Option<World> {
    if !relman_testkit::require_tool("make") {
        return None;
    }
    let mut world = World::new("lab-project/lab").with_pypi()?.with_registry()?;
    let Some(twine) = find_tool("twine") else {
        relman_testkit::require_tool("twine");
        return None;
    };
    let tools = twine.parent().expect("twine is in a folder").to_owned();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![tools];
    dirs.extend(std::env::split_paths(&path));
    let path = std::env::join_paths(dirs).expect("a PATH");
    world.set_env("PATH", &path.to_string_lossy());
    let pypi_url = world.pypi.as_ref().expect("started").url();
    let registry_host = world.registry.as_ref().expect("started").host().to_owned();
    let simple_url = world.pypi.as_ref().expect("started").simple_url();
    world.set_env("TWINE_REPOSITORY_URL", &pypi_url);
    world.set_env("PYPI_SIMPLE_URL", &simple_url);
    world.set_env("TWINE_USERNAME", "ci");
    world.set_env("TWINE_PASSWORD", "pypi-test-password");
    world.set_env("DOCKER_REGISTRY", &registry_host);

    let repo = &world.repo;
    repo.git(&["symbolic-ref", "HEAD", "refs/heads/master"]);
    copy_fixture(&world, EXAMPLE);
    world.install_example(EXAMPLE);
    repo.commit("chore: start lab");
    repo.tag_annotated("v1.3.0a0", "Prerelease 1.3.0a0");
    repo.commit_file(
        "docs/runtimes.md",
        "# Runtimes\n\n`lab runtimes` lists the images: all, client-gpu, client.\n",
        "docs: list the runtimes",
    );
    repo.push(&["--set-upstream", "master", "--tags"]);
    Some(world)
}

/// A fixture file with one version replaced by another, exactly once.
fn fixture_with(path: &str, from: &str, to: &str) -> String {
    let text = fs_err::read_to_string(fixture_dir(EXAMPLE).join(path)).expect("fixture file");
    assert_eq!(text.matches(from).count(), 1, "{path} holds `{from}` once");
    text.replace(from, to)
}

/// The files of the release commit, with their exact bytes for `version`.
fn assert_version_files(repo: &TestRepo, version: &str) {
    assert_eq!(
        repo.read("pyproject.toml"),
        fixture_with(
            "pyproject.toml",
            "version = \"1.3.0a0\"",
            &format!("version = \"{version}\"")
        )
    );
    assert_eq!(
        repo.read("lab/__version__.py"),
        format!(
            "# Kept in step with pyproject.toml by the release (relman's version files).\n__version__ = \"{version}\"\n"
        )
    );
    assert_eq!(
        repo.read("setup.py"),
        fixture_with(
            "setup.py",
            "version='1.3.0a0'",
            &format!("version='{version}'")
        )
    );
    assert_eq!(
        repo.read("requirements/requirements.txt"),
        "click>=8.1,<9.0\nrequests>=2.31,<3.0\n"
    );
}

/// What a release leaves in the world, in a form two runs can be compared by: commit ids differ
/// with the time of each git call, and trees with the service ports in relman.toml, while
/// messages, changed files and published bytes do not.
#[derive(Debug, PartialEq, Eq)]
struct Effects {
    branch: String,
    /// Subject and changed files of each commit of the current branch, newest first.
    history: Vec<(String, String)>,
    /// Each tag: its annotation's message and the subject of the commit it points at.
    tags: BTreeMap<String, (String, String)>,
    remote: Vec<String>,
    /// Whether the remote's branch and tags are where the local ones are.
    remote_in_step: bool,
    pypi: BTreeMap<String, Bytes>,
    images: BTreeMap<String, Vec<(String, Option<String>)>>,
    status: String,
}

fn effects(world: &World) -> Effects {
    let repo = &world.repo;
    let branch = repo.git(&["symbolic-ref", "--short", "HEAD"]);
    let history = repo
        .git(&["log", "--format=%H"])
        .lines()
        .map(|sha| {
            (
                repo.git(&["show", "--no-patch", "--format=%s", sha]),
                repo.git(&["show", "--format=", "--name-status", sha]),
            )
        })
        .collect();
    let tags = repo
        .git(&["tag", "--list"])
        .lines()
        .map(|tag| {
            let message = repo.git(&["tag", "--list", "--format=%(contents)", tag]);
            let commit = repo.git(&["show", "--no-patch", "--format=%s", &format!("{tag}^{{}}")]);
            (tag.to_owned(), (message, commit))
        })
        .collect();
    let refs = remote_refs(repo);
    let remote_in_step = refs.iter().all(|(name, sha)| {
        let local = repo.git(&["rev-parse", name]);
        &local == sha
    });
    let packages = world.pypi.as_ref().expect("pypi").packages_dir();
    let mut pypi = BTreeMap::new();
    for entry in fs_err::read_dir(packages).expect("read the index's packages") {
        let entry = entry.expect("an entry");
        pypi.insert(
            entry.file_name().to_string_lossy().into_owned(),
            Bytes(fs_err::read(entry.path()).expect("a package")),
        );
    }
    let registry = world.registry.as_ref().expect("registry");
    let images = IMAGES
        .iter()
        .map(|(_, image)| {
            let tags = registry
                .tags(image)
                .expect("list the tags")
                .into_iter()
                .map(|tag| {
                    let digest = registry.manifest_digest(image, &tag).expect("a digest");
                    (tag, digest)
                })
                .collect();
            ((*image).to_owned(), tags)
        })
        .collect();
    Effects {
        branch,
        history,
        tags,
        remote: remote_ref_names(repo),
        remote_in_step,
        pypi,
        images,
        status: repo.git(&["status", "--porcelain"]),
    }
}

/// The digest of the image `make docker-RUNTIME` built (its OCI layout's manifest).
fn built_digest(repo: &TestRepo, runtime: &str) -> String {
    let index = repo.read(&format!("build/images/{runtime}/index.json"));
    let index: serde_json::Value = serde_json::from_str(&index).expect("an OCI index");
    index["manifests"][0]["digest"]
        .as_str()
        .expect("a digest")
        .to_owned()
}

/// A file's bytes, shown by size and a checksum rather than byte by byte.
#[derive(Clone, PartialEq, Eq)]
struct Bytes(Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // FNV-1a: enough to tell two files apart in a failure message.
        let hash = self.0.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        });
        write!(f, "{} bytes, fnv {hash:016x}", self.0.len())
    }
}

fn dist(repo: &TestRepo) -> BTreeMap<String, Bytes> {
    let mut files = BTreeMap::new();
    for entry in fs_err::read_dir(repo.path().join("dist")).expect("dist/") {
        let entry = entry.expect("an entry");
        files.insert(
            entry.file_name().to_string_lossy().into_owned(),
            Bytes(fs_err::read(entry.path()).expect("a built file")),
        );
    }
    files
}

#[test]
fn prerelease_then_final_release_on_a_release_branch() {
    let Some(world) = world() else { return };
    let repo = &world.repo;
    let start = repo.head();

    let plan = run(&world, &["plan", "prerelease"], 0);
    let plan = String::from_utf8_lossy(&plan.stdout).into_owned();
    assert!(
        plan.starts_with("Plan: prerelease 1.3.0a0 → 1.3.0a1 (tag v1.3.0a1)\n"),
        "{plan}"
    );
    assert!(!plan.contains("pypi-test-password"), "{plan}");

    // --- the pre-release -----------------------------------------------------------------
    run(&world, &["prerelease"], 0);
    assert_version_files(repo, "1.3.0a1");
    let prerelease = effects(&world);
    assert_eq!(prerelease.branch, "master");
    assert_eq!(
        subjects(repo, "master"),
        [
            "Prerelease 1.3.0a1",
            "docs: list the runtimes",
            "chore: start lab"
        ]
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD^"]), start);
    assert_eq!(
        repo.git(&["show", "--format=", "--name-only", "HEAD"]),
        "lab/__version__.py\npyproject.toml\nsetup.py"
    );
    let head = repo.head();
    assert_eq!(
        repo.git(&["cat-file", "-t", "v1.3.0a1"]),
        "tag",
        "the tag is annotated"
    );
    assert_eq!(
        prerelease.tags["v1.3.0a1"].0, "Prerelease 1.3.0a1",
        "the tag's message"
    );
    let refs = remote_refs(repo);
    assert_eq!(refs["refs/heads/master"], head);
    assert_eq!(refs["refs/tags/v1.3.0a1^{}"], head);
    assert!(prerelease.remote_in_step);
    assert_eq!(prerelease.status, "", "nothing left uncommitted");
    // The index holds exactly what `make build` built, once.
    let built = dist(repo);
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        ["lab-1.3.0a1-py3-none-any.whl", "lab-1.3.0a1.tar.gz"]
    );
    assert_eq!(prerelease.pypi, built);
    // Each image was pushed under the version, and is the image that was built.
    for (runtime, image) in IMAGES {
        assert_eq!(
            prerelease.images[image],
            [("1.3.0a1".to_owned(), Some(built_digest(repo, runtime)))],
            "{image}"
        );
    }

    // --- the final release on release/1.3 ----------------------------------------------------
    run(&world, &["release"], 0);
    assert_version_files(repo, "1.3.0");
    let release = effects(&world);
    assert_eq!(release.branch, "release/1.3");
    assert_eq!(
        subjects(repo, "release/1.3")[..2],
        ["Release 1.3.0", "Prerelease 1.3.0a1"]
    );
    assert_eq!(repo.git(&["rev-parse", "master"]), head, "master stays");
    let release_head = repo.head();
    assert_eq!(repo.git(&["rev-parse", "HEAD^"]), head);
    let refs = remote_refs(repo);
    assert_eq!(refs["refs/heads/master"], head);
    assert_eq!(refs["refs/heads/release/1.3"], release_head);
    assert_eq!(refs["refs/tags/v1.3.0^{}"], release_head);
    assert_eq!(release.tags["v1.3.0"].0, "Release 1.3.0");
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "release/1.3@{upstream}"]),
        "origin/release/1.3",
        "the new branch tracks its remote"
    );
    assert_eq!(
        release.remote,
        [
            "refs/heads/master",
            "refs/heads/release/1.3",
            "refs/tags/v1.3.0",
            "refs/tags/v1.3.0a0",
            "refs/tags/v1.3.0a1"
        ]
    );
    let mut published = prerelease.pypi.clone();
    published.extend(dist(repo));
    assert_eq!(published.len(), 4);
    assert_eq!(release.pypi, published);
    for (runtime, image) in IMAGES {
        assert_eq!(
            release.images[image],
            [
                ("1.3.0".to_owned(), Some(built_digest(repo, runtime))),
                prerelease.images[image][0].clone()
            ],
            "{image}"
        );
    }
    assert!(
        world.recorder.requests().is_empty(),
        "this runbook messages no one"
    );
}

#[test]
fn prerelease_killed_after_every_step_ends_as_a_clean_run() {
    let Some(clean) = world() else { return };
    run(&clean, &["prerelease"], 0);
    let expected = effects(&clean);
    drop(clean);

    let Some(world) = world() else { return };
    let kills = run_crashing_after_each_step(&world, &["prerelease"], 0);
    // 21 steps: every one of them was followed by a kill, unless relman had finished the next
    // one too before the watcher saw the journal (checks take milliseconds).
    assert!(
        kills.len() >= 12,
        "relman was killed only {} times: {kills:?}",
        kills.len()
    );
    let status = run(&world, &["--json", "status"], 0);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).expect("status JSON");
    assert_eq!(status["state"], "done", "the release finished: {status}");
    assert_version_files(&world.repo, "1.3.0a1");
    assert_eq!(effects(&world), expected);
}

#[test]
fn runbook_is_current() {
    assert_runbook_current(EXAMPLE);
}
