//! `examples/python-circleci-wheels`: ciso8601's runbook. A person has bumped `VERSION` and
//! written the CHANGELOG entry; relman checks that, has CircleCI build the wheels and downloads
//! them, tags, drafts the GitHub release with the wheels, emails the Close engineering team, waits
//! until PyPI serves the files (the team uploads them from the draft release, as a person would,
//! while relman waits), and publishes the release.

use std::path::{Path, PathBuf};
use std::time::Duration;

use relman_testkit::TestRepo;
use relman_testkit::circleci::FakeCircleCi;
use relman_testkit::github::FakeGitHub;
use relman_testkit::services::{build_sdist, build_wheel_tagged};

use super::{assert_all_done, assert_runbook_current, mail_text, wait_until};
use crate::plain::{assert_exit, stdout};
use crate::world::World;

const EXAMPLE: &str = "python-circleci-wheels";
const SLUG: &str = "closeio/ciso8601";

const SETUP_PY: &str = r#"import os

from setuptools import Extension, setup

VERSION = "2.1.2"
CISO8601_CACHING_ENABLED = int(os.environ.get("CISO8601_CACHING_ENABLED", "1") == "1")

with open("README.rst", encoding="utf-8") as readme:
    long_description = readme.read()

setup(
    name="ciso8601",
    version=VERSION,
    description="Fast ISO8601 date time parser for Python written in C",
    long_description=long_description,
    url="https://github.com/closeio/ciso8601",
    license="MIT",
    ext_modules=[
        Extension(
            "ciso8601._ciso8601",
            sources=["module.c"],
            define_macros=[
                ("CISO8601_VERSION", VERSION),
                ("CISO8601_CACHING_ENABLED", CISO8601_CACHING_ENABLED),
            ],
        )
    ],
    packages=["ciso8601"],
    package_data={"ciso8601": ["__init__.pyi", "py.typed"]},
)
"#;

const INIT_PY: &str = r#"from ciso8601._ciso8601 import parse_datetime, parse_datetime_as_naive, parse_rfc3339

__version__ = "2.1.2"
__all__ = ["parse_datetime", "parse_datetime_as_naive", "parse_rfc3339"]
"#;

const CHANGELOG_212: &str = "<!-- omit in toc -->
# Changelog

- [Unreleased](#unreleased)
- [Version 2.1.2](#version-212)
- [Version 2.1.1](#version-211)

# Unreleased

# Version 2.1.2

* Fixed a problem where non-ASCII characters would give bad error messages (#84). Thanks @olliemath.

# Version 2.1.1

* Fixed a problem with the `.pyi` stubs (#79).
";

/// What the maintainer wrote for 2.1.3, and what the release notes must be.
const ENTRY_213: &str =
    "* Fixed a memory leak in `parse_datetime` with invalid timezone offsets (#98).
* Added wheels for Python 3.11 (#99). Thanks @hugovk.";

const CIRCLECI_CONFIG: &str = "version: 2.1

parameters:
  build_wheels:
    type: boolean
    default: false

workflows:
  test:
    unless: << pipeline.parameters.build_wheels >>
    jobs: [test-python]
  build_wheels:
    when: << pipeline.parameters.build_wheels >>
    jobs: [build-linux-wheels, build-macos-wheels, build-sdist]
";

/// ciso8601 at 2.1.2 (tagged `v2.1.2`, as the runbook tags), then the merged pull request that
/// bumps `VERSION` to 2.1.3 with its CHANGELOG entry: the state the runbook starts from. On
/// `master`, pushed.
fn ciso8601(repo: &TestRepo) {
    repo.git(&["symbolic-ref", "HEAD", "refs/heads/master"]);
    repo.write("setup.py", SETUP_PY);
    repo.write("ciso8601/__init__.py", INIT_PY);
    repo.write("ciso8601/py.typed", "");
    repo.write(
        "module.c",
        "#include <Python.h>\n/* the parser; not built by these tests */\n",
    );
    repo.write(
        "README.rst",
        "ciso8601\n========\n\nciso8601 converts ISO 8601 or RFC 3339 date time strings into Python datetime objects.\n",
    );
    repo.write("CHANGELOG.md", CHANGELOG_212);
    repo.write(".circleci/config.yml", CIRCLECI_CONFIG);
    repo.write(".gitignore", "build/\ndist/\n*.egg-info/\n*.so\n");
    repo.commit("Version 2.1.2");
    repo.tag("v2.1.2");
    repo.write(
        "module.c",
        "#include <Python.h>\n/* the parser; frees the offset on error (#98) */\n",
    );
    repo.commit("Fix memory leak with invalid timezone offsets (#98)");
    repo.write("setup.py", SETUP_PY.replace("2.1.2", "2.1.3"));
    repo.write("ciso8601/__init__.py", INIT_PY.replace("2.1.2", "2.1.3"));
    repo.write("CHANGELOG.md", changelog_213());
    repo.commit("Bump version to 2.1.3 (#100)");
}

fn changelog_213() -> String {
    CHANGELOG_212
        .replace(
            "- [Version 2.1.2]",
            "- [Version 2.1.3](#version-213)\n- [Version 2.1.2]",
        )
        .replace(
            "# Unreleased\n\n",
            &format!("# Unreleased\n\n# Version 2.1.3\n\n{ENTRY_213}\n\n"),
        )
}

/// The files the `build_wheels` workflow stores as artifacts: CircleCI path, local file.
fn build_artifacts(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut artifacts = Vec::new();
    for tag in [
        "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
        "cp311-cp311-macosx_10_9_x86_64",
    ] {
        let wheel = build_wheel_tagged(dir, "ciso8601", "2.1.3", tag).expect("build a wheel");
        artifacts.push((format!("wheelhouse/{}", file_name(&wheel)), wheel));
    }
    let sdist = build_sdist(dir, "ciso8601", "2.1.3").expect("build the sdist");
    artifacts.push((format!("dist/{}", file_name(&sdist)), sdist));
    artifacts
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The world of the runbook: ciso8601 with its version bumped and its entry written, pushed,
/// the example's relman.toml committed.
pub(super) fn world() -> Option<World> {
    let world = World::new(SLUG).with_pypi().and_then(World::with_smtp)?;
    ciso8601(&world.repo);
    world.install_example(EXAMPLE);
    world.repo.commit("Release with relman (relman.toml)");
    world.repo.push(&["master", "--tags"]);
    Some(world)
}

#[test]
fn runbook_is_current() {
    assert_runbook_current(EXAMPLE);
}

#[test]
fn wheels_are_built_tagged_drafted_mailed_verified_on_pypi_and_published() {
    let Some(world) = world() else {
        return;
    };
    let release_commit = world.repo.head();
    let files_before: Vec<(String, String)> = ["setup.py", "ciso8601/__init__.py", "CHANGELOG.md"]
        .iter()
        .map(|file| ((*file).to_owned(), world.repo.read(file)))
        .collect();

    // CircleCI's `build_wheels` workflow stores the wheels and the sdist.
    let built = tempfile::tempdir().unwrap();
    let artifacts = build_artifacts(built.path());
    world.circleci.set_workflows(&[("build_wheels", "success")]);
    for (path, file) in &artifacts {
        world
            .circleci
            .add_artifact("build_wheels", path, &fs_err::read(file).unwrap());
    }

    // The maintainer looks at the plan first: it sends nothing.
    let output = world.relman(&["plan", "release"]);
    assert_exit(&output, 0);
    let plan = stdout(&output);
    assert!(plan.contains("Plan: release 2.1.3 (tag v2.1.3)"), "{plan}");
    assert!(
        plan.contains(&format!(
            "POST {}/project/gh/closeio/ciso8601/pipeline",
            world.circleci.api_url()
        )),
        "{plan}"
    );
    assert!(plan.contains(&format!("\"body\": {ENTRY_213:?}")), "{plan}");
    assert!(!plan.contains(FakeCircleCi::TOKEN) && !plan.contains(FakeGitHub::TOKEN));
    assert!(world.circleci.pipelines().is_empty());
    assert!(world.github.releases(SLUG).is_empty());
    assert!(world.smtp.as_ref().unwrap().messages().is_empty());

    // The Close engineering team, once the email arrives: they take the files from the draft
    // release and upload them to PyPI, while relman waits for PyPI to have them.
    let (output, draft_when_mailed) = std::thread::scope(|scope| {
        let team = scope.spawn(|| {
            let smtp = world.smtp.as_ref().unwrap();
            wait_until(
                "the email to the Close team",
                Duration::from_secs(120),
                || (!smtp.messages().is_empty()).then_some(()),
            );
            let release = world.github.releases(SLUG).remove(0);
            let downloads = tempfile::tempdir().unwrap();
            let files: Vec<PathBuf> = release
                .assets
                .iter()
                .map(|(name, _, bytes)| {
                    let path = downloads.path().join(name);
                    fs_err::write(&path, bytes).unwrap();
                    path
                })
                .collect();
            world.pypi.as_ref().unwrap().upload(&files).unwrap();
            release
        });
        let output = world.relman(&["release"]);
        (output, team.join().unwrap())
    });
    assert_all_done(&world, &output);

    // One pipeline, on master, with the parameter, with the token.
    let pipelines = world.circleci.pipelines();
    assert_eq!(pipelines.len(), 1, "{pipelines:?}");
    assert_eq!(pipelines[0].1.as_deref(), Some("master"));
    assert_eq!(pipelines[0].2, None);
    assert_eq!(pipelines[0].3, serde_json::json!({"build_wheels": true}));
    let triggers: Vec<_> = world
        .circleci
        .api_requests()
        .into_iter()
        .filter(|request| request.method == "POST")
        .collect();
    assert_eq!(triggers.len(), 1);
    assert_eq!(
        triggers[0].path,
        "/api/v2/project/gh/closeio/ciso8601/pipeline"
    );
    assert_eq!(
        triggers[0].header("circle-token"),
        Some(FakeCircleCi::TOKEN)
    );

    // The artifacts were downloaded, byte for byte, into the ignored dist/.
    for (_, file) in &artifacts {
        let name = file_name(file);
        assert_eq!(
            fs_err::read(world.repo.path().join("dist").join(&name)).unwrap(),
            fs_err::read(file).unwrap(),
            "{name}"
        );
    }
    assert_eq!(world.repo.git(&["status", "--porcelain"]), "");

    // No commit; the files are as the maintainer left them.
    assert_eq!(world.repo.head(), release_commit);
    for (file, text) in &files_before {
        assert_eq!(&world.repo.read(file), text, "{file}");
    }

    // The lightweight tag `v2.1.3` on the release commit, on the remote.
    let remote = world.repo.git(&["ls-remote", "--tags", "origin"]);
    assert_eq!(
        remote,
        format!(
            "{}\trefs/tags/v2.1.2\n{release_commit}\trefs/tags/v2.1.3",
            world.repo.git(&["rev-parse", "v2.1.2"])
        )
    );
    assert_eq!(
        world.repo.git_in(
            world.repo.remote_path(),
            &["cat-file", "-t", "refs/tags/v2.1.3"]
        ),
        "commit"
    );

    // The release: a draft with the entry as notes and the files when the team was mailed, then
    // published; one release, each asset once.
    assert!(draft_when_mailed.draft);
    let releases = world.github.releases(SLUG);
    assert_eq!(releases.len(), 1, "{releases:#?}");
    let release = &releases[0];
    assert_eq!(release.tag, "v2.1.3");
    assert_eq!(release.name.as_deref(), Some("ciso8601 2.1.3"));
    assert_eq!(release.body.as_deref(), Some(ENTRY_213));
    assert!(!release.draft && !release.prerelease);
    let mut expected_assets: Vec<(String, Vec<u8>)> = artifacts
        .iter()
        .map(|(_, file)| (file_name(file), fs_err::read(file).unwrap()))
        .collect();
    expected_assets.sort();
    let mut assets: Vec<(String, Vec<u8>)> = release
        .assets
        .iter()
        .map(|(name, _, bytes)| (name.clone(), bytes.clone()))
        .collect();
    assets.sort();
    assert_eq!(assets, expected_assets);
    assert_eq!(draft_when_mailed.assets, release.assets);

    // One email to the team, saying where the files are and what changed.
    let mails = world.smtp.as_ref().unwrap().messages();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, ["engineering@close.com"]);
    assert_eq!(mail.mail_from, "releases@example.org");
    assert_eq!(
        mail.header("subject").as_deref(),
        Some("ciso8601 2.1.3 is ready for PyPI")
    );
    // A draft's page is `untagged-ID` on GitHub until it is published.
    let release_url = format!(
        "https://github.fake.invalid/{SLUG}/releases/tag/untagged-{}",
        release.id
    );
    assert_eq!(
        mail_text(mail.body()),
        format!(
            "Hi Close engineering team,\n\nciso8601 2.1.3 is tagged (v2.1.3) and its wheels are built. Could you upload them to PyPI?\n\nThe files are attached to the draft release {release_url}\nand are the artifacts of CircleCI pipeline 100:\n\n    twine upload dist/*\n\nWhat changed:\n\n# Version 2.1.3\n\n{ENTRY_213}\n\nThanks!\n"
        )
    );

    // PyPI has exactly the release's files.
    let mut on_pypi: Vec<String> = fs_err::read_dir(world.pypi.as_ref().unwrap().packages_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_pypi.sort();
    let mut names: Vec<String> = expected_assets.into_iter().map(|(name, _)| name).collect();
    names.sort();
    assert_eq!(on_pypi, names);

    // Nothing went to the other services.
    assert!(world.recorder.requests().is_empty());
}
