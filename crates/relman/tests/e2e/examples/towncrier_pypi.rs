//! `examples/towncrier-pypi`: neuromation's runbook. The version goes from the alpha to the
//! release, `make format` runs, towncrier fragments become the CHANGELOG section, the CLI
//! reference is regenerated in a sibling clone of platform-web (cloned by relman, checked by a
//! person, committed, pushed, its pull request opened for @astaff, who is emailed), the release
//! is committed and pushed, CircleCI's flaky test is re-run until green, the tag is pushed and its
//! build (flaky too) publishes to PyPI, the docs are merged, the next alpha starts, and Slack
//! hears about it.

use std::path::{Path, PathBuf};

use relman_testkit::circleci::{FakeCircleCi, PushJob, PushWorkflow};
use relman_testkit::services::{build_sdist, build_wheel, twine_upload};
use relman_testkit::{TestRepo, require_tool};

use super::{assert_all_done, assert_paused_on, assert_runbook_current, mail_text};
use crate::plain::{assert_exit, stdout};
use crate::world::World;

const EXAMPLE: &str = "towncrier-pypi";
const SLUG: &str = "neuromation/neuromation";
const DOCS_SLUG: &str = "neuromation/platform-web";

/// Steps, numbered as in the example's relman.toml.
const VERIFY_DOCS: usize = 9;

const PYPROJECT: &str = r#"[build-system]
requires = ["setuptools>=42", "wheel"]
build-backend = "setuptools.build_meta"

[tool.towncrier]
package = "neuromation"
name = "Neuromation"
filename = "CHANGELOG.md"
directory = "CHANGELOG.D/"
start_string = "[comment]: # (towncrier release notes start)\n"
issue_format = "[#{issue}](https://github.com/neuromation/neuromation/issues/{issue})"
"#;

const SETUP_PY: &str = r#"import re

from setuptools import find_packages, setup

with open("neuromation/__init__.py") as f:
    version = re.search(r'__version__ = "([^"]+)"', f.read()).group(1)

setup(
    name="neuromation",
    version=version,
    description="Neuromation Platform API client",
    url="https://github.com/neuromation/neuromation",
    packages=find_packages(),
    python_requires=">=3.6.0",
    entry_points={"console_scripts": ["neuro=neuromation.cli:main"]},
)
"#;

/// The CLI, with trailing spaces `make format` removes.
const CLI_PY: &str = "\"\"\"The `neuro` command line.\"\"\"   \n\nCOMMANDS = {\n    \"ps\": \"List the running jobs.\",\n    \"image tags\": \"List the tags of an image.\",  \n}\n\n\ndef main():\n    print(\"neuro\", sorted(COMMANDS))\n";

const MAKEFILE: &str = ".PHONY: format\n\n# isort and black in the real project\nformat:\n\tpython3 build-tools/format.py neuromation\n";

const FORMAT_PY: &str = r#"#!/usr/bin/env python3
"""Formats Python files: no trailing whitespace, one final newline."""
import pathlib
import sys

for root in sys.argv[1:]:
    for path in sorted(pathlib.Path(root).rglob("*.py")):
        text = path.read_text()
        formatted = "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n") + "\n"
        if formatted != text:
            path.write_text(formatted)
            print("reformatted", path)
"#;

const GENERATOR_PY: &str = r###"#!/usr/bin/env python3
"""Regenerates the CLI reference in the sibling platform-web clone."""
import ast
import pathlib
import re

here = pathlib.Path(__file__).resolve().parent.parent
version = re.search(r'__version__ = "([^"]+)"', (here / "neuromation/__init__.py").read_text()).group(1)
tree = ast.parse((here / "neuromation/cli.py").read_text())
commands = next(
    ast.literal_eval(node.value)
    for node in tree.body
    if isinstance(node, ast.Assign) and node.targets[0].id == "COMMANDS"
)
lines = ["# neuro CLI reference", "", f"Generated for neuromation {version}.", ""]
for name, help_text in sorted(commands.items()):
    lines += [f"## neuro {name}", "", help_text, ""]
target = here.parent / "platform-web" / "docs" / "cli.md"
target.parent.mkdir(parents=True, exist_ok=True)
target.write_text("\n".join(lines))
print("wrote", target)
"###;

const CHANGELOG_122: &str = "[comment]: # (towncrier release notes start)

# Neuromation 1.2.2 (2020-01-15)

## Bugfixes

- Fix the output of `neuro ps` on narrow terminals. ([#1201](https://github.com/neuromation/neuromation/issues/1201))
";

/// The section towncrier (and relman) write for 1.3.0 from the two fragments.
const SECTION_130: &str = "# Neuromation 1.3.0 (2026-01-01)

## Features

- Add `neuro image tags` to list the tags of an image. ([#1234](https://github.com/neuromation/neuromation/issues/1234))

## Bugfixes

- Retry `neuro cp` uploads when the storage answers 502. ([#1240](https://github.com/neuromation/neuromation/issues/1240))";

/// neuromation released as 1.2.2, the version bumped to the next alpha since, two news
/// fragments; on `master`, pushed, CI green on HEAD.
fn neuromation(world: &World) {
    let repo = &world.repo;
    repo.git(&["symbolic-ref", "HEAD", "refs/heads/master"]);
    repo.write("pyproject.toml", PYPROJECT);
    repo.write("setup.py", SETUP_PY);
    repo.write("neuromation/__init__.py", "__version__ = \"1.2.2\"\n");
    repo.write(
        "neuromation/cli.py",
        "COMMANDS = {\"ps\": \"List the running jobs.\"}\n",
    );
    repo.write("Makefile", MAKEFILE);
    repo.write("build-tools/format.py", FORMAT_PY);
    repo.write("build-tools/site-help-generator.py", GENERATOR_PY);
    repo.write("CHANGELOG.md", CHANGELOG_122);
    repo.write(".gitignore", "__pycache__/\n*.egg-info/\ndist/\n");
    repo.commit("Release 1.2.2");
    repo.tag_annotated("v1.2.2", "Release 1.2.2");
    repo.write("neuromation/__init__.py", "__version__ = \"1.3.0a0\"\n");
    repo.commit("Bump version to 1.3.0a0");
    repo.write("neuromation/cli.py", CLI_PY);
    repo.write(
        "CHANGELOG.D/1234.feature",
        "Add `neuro image tags` to list the tags of an image.\n",
    );
    repo.commit("Add neuro image tags (#1234)");
    repo.write(
        "CHANGELOG.D/1240.bugfix",
        "Retry `neuro cp` uploads when the storage answers 502.\n",
    );
    repo.commit("Retry storage uploads on 502 (#1240)");
    world.install_example(EXAMPLE);
    repo.commit("Release with relman");
    repo.push(&["master", "--tags"]);
    world
        .github
        .add_status(SLUG, &repo.head(), "ci/circleci: test", "success");
}

/// platform-web: a bare repository next to the work tree with last release's reference, known
/// to the fake GitHub (whose CI passes every commit), and reached through the URL the example
/// names, as `url.<base>.insteadOf` maps it for this test's git.
fn platform_web(world: &World) -> PathBuf {
    let repo = &world.repo;
    let root = repo.root();
    repo.git_in(
        root,
        &[
            "init",
            "--quiet",
            "--bare",
            "--initial-branch=master",
            "platform-web.git",
        ],
    );
    repo.git_in(
        root,
        &["clone", "--quiet", "platform-web.git", "platform-web-seed"],
    );
    let seed = root.join("platform-web-seed");
    fs_err::create_dir_all(seed.join("docs")).unwrap();
    fs_err::write(seed.join("README.md"), "# platform-web\n").unwrap();
    fs_err::write(
        seed.join("docs/cli.md"),
        "# neuro CLI reference\n\nGenerated for neuromation 1.2.2.\n\n## neuro ps\n\nList the running jobs.\n",
    )
    .unwrap();
    repo.git_in(&seed, &["add", "."]);
    repo.git_in(&seed, &["commit", "--quiet", "-m", "Docs for 1.2.2"]);
    repo.git_in(&seed, &["push", "--quiet", "origin", "master"]);
    let bare = root.join("platform-web.git");
    world.github.add_repo(DOCS_SLUG);
    world.github.mirror_git(DOCS_SLUG, &bare);
    world
        .github
        .set_checks_for_every_commit(DOCS_SLUG, &[("build-docs", "success")]);
    repo.git(&[
        "config",
        "--global",
        &format!("url.file://{}.insteadOf", bare.display()),
        "https://github.com/neuromation/platform-web.git",
    ]);
    bare
}

/// neuromation's CircleCI: on branches, lint and a flaky test; on tags, the flaky test again
/// and a deploy job that builds the wheel and sdist and uploads them to the index.
fn circleci(world: &World) {
    world.circleci.run_on_push(vec![
        PushWorkflow {
            name: "test".to_owned(),
            on_tags: false,
            jobs: vec![
                PushJob::new("lint", &["success"]),
                PushJob::new("test", &["failed", "success"]),
            ],
        },
        PushWorkflow {
            name: "release".to_owned(),
            on_tags: true,
            jobs: vec![
                PushJob::new("test", &["failed", "success"]),
                PushJob::new("deploy", &["success"]),
            ],
        },
    ]);
    let index = world.pypi.as_ref().unwrap().url();
    world.circleci.on_job_success("deploy", move |ran| {
        let version = ran.git_ref.trim_start_matches("refs/tags/v");
        let out = tempfile::tempdir().unwrap();
        let files = vec![
            build_wheel(out.path(), "neuromation", version).unwrap(),
            build_sdist(out.path(), "neuromation", version).unwrap(),
        ];
        twine_upload(&index, &files).unwrap();
    });
    world.build_pushes_on_circleci();
}

pub(super) fn world() -> Option<(World, PathBuf)> {
    if !require_tool("make") || !require_tool("python3") {
        return None;
    }
    let world = World::new(SLUG).with_pypi()?.with_smtp()?;
    neuromation(&world);
    let docs = platform_web(&world);
    circleci(&world);
    Some((world, docs))
}

fn show(git_dir: &Path, repo: &TestRepo, rev: &str) -> String {
    let output = repo.git_output(&["--git-dir", &git_dir.to_string_lossy(), "show", rev]);
    assert!(output.status.success(), "git show {rev}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn runbook_is_current() {
    assert_runbook_current(EXAMPLE);
}

#[test]
fn fragments_docs_flaky_circleci_pypi_next_alpha_and_slack() {
    let Some((world, docs_remote)) = world() else {
        return;
    };
    let repo = &world.repo;
    let remote = repo.remote_path().to_owned();
    let before = repo.head();

    let output = world.relman(&["plan", "release"]);
    assert_exit(&output, 0);
    let plan = stdout(&output);
    assert!(
        plan.contains("Plan: release 1.3.0a0 → 1.3.0 (tag v1.3.0)"),
        "{plan}"
    );
    assert!(
        plan.contains("in `../platform-web` (cloned from https://github.com/neuromation/platform-web.git when missing)"),
        "{plan}"
    );
    assert!(
        !repo.root().join("platform-web").exists(),
        "the plan clones nothing"
    );
    assert!(world.circleci.workflow_reruns().is_empty());

    // Up to the docs a person checks: relman cloned platform-web and generated them.
    let output = world.relman(&["release"]);
    assert_paused_on(&world, &output, VERIFY_DOCS);
    let clone = repo.root().join("platform-web");
    let generated = fs_err::read_to_string(clone.join("docs/cli.md")).unwrap();
    assert_eq!(
        generated,
        "# neuro CLI reference\n\nGenerated for neuromation 1.3.0.\n\n## neuro image tags\n\nList the tags of an image.\n\n## neuro ps\n\nList the running jobs.\n"
    );
    assert_eq!(
        repo.git_in(&clone, &["rev-parse", "--abbrev-ref", "HEAD"]),
        "cli-docs/1.3.0"
    );
    // The person edits what reads badly, then confirms.
    let edited = generated.replace(
        "List the tags of an image.",
        "List the tags of an image in the registry.",
    );
    fs_err::write(clone.join("docs/cli.md"), &edited).unwrap();
    let output = world.relman(&["resume", "--confirm"]);
    assert_all_done(&world, &output);

    // The release commit: version, formatted code, the changelog, the fragments gone.
    let release = repo.git_in(&remote, &["rev-parse", "refs/tags/v1.3.0^{commit}"]);
    assert_eq!(
        repo.git_in(&remote, &["rev-parse", &format!("{release}^")]),
        before
    );
    assert_eq!(
        repo.git_in(
            &remote,
            &["log", "--format=%s", &format!("{before}..master")]
        ),
        "Bump version to 1.4.0a0\nRelease 1.3.0"
    );
    assert_eq!(
        repo.git_in(&remote, &["diff", "--name-status", &before, &release]),
        "D\tCHANGELOG.D/1234.feature\nD\tCHANGELOG.D/1240.bugfix\nM\tCHANGELOG.md\nM\tneuromation/__init__.py\nM\tneuromation/cli.py"
    );
    assert_eq!(
        show(&remote, repo, &format!("{release}:neuromation/__init__.py")),
        "__version__ = \"1.3.0\"\n"
    );
    assert_eq!(
        show(&remote, repo, &format!("{release}:neuromation/cli.py")),
        CLI_PY.replace("   \n", "\n").replace(",  \n", ",\n")
    );
    // What `towncrier build` writes, byte for byte (its two blank lines above a start marker
    // on the first line included).
    assert_eq!(
        show(&remote, repo, &format!("{release}:CHANGELOG.md")),
        format!(
            "\n\n{}",
            CHANGELOG_122.replace(
                "(towncrier release notes start)\n",
                &format!("(towncrier release notes start)\n\n{SECTION_130}\n\n"),
            )
        )
    );
    // The annotated tag, and the next alpha on master.
    assert_eq!(repo.git_in(&remote, &["cat-file", "-t", "v1.3.0"]), "tag");
    assert_eq!(
        repo.git_in(
            &remote,
            &["tag", "-l", "--format=%(contents:subject)", "v1.3.0"]
        ),
        "Release 1.3.0"
    );
    assert_eq!(
        show(&remote, repo, "master:neuromation/__init__.py"),
        "__version__ = \"1.4.0a0\"\n"
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    // platform-web: the docs branch with the generated and edited reference, one PR, merged.
    assert_eq!(
        show(&docs_remote, repo, "cli-docs/1.3.0:docs/cli.md"),
        edited
    );
    assert_eq!(
        repo.git_in(
            &docs_remote,
            &["log", "--format=%s", "master..cli-docs/1.3.0"]
        ),
        "Update CLI reference for neuromation 1.3.0"
    );
    let pulls = world.github.pull_requests(DOCS_SLUG);
    assert_eq!(pulls.len(), 1, "{pulls:#?}");
    let pull = &pulls[0];
    assert_eq!(pull.title, "CLI reference for neuromation 1.3.0");
    assert_eq!(pull.head, "neuromation:cli-docs/1.3.0");
    assert_eq!(pull.base, "master");
    assert_eq!(pull.reviewers, ["astaff"]);
    assert_eq!(pull.assignees, ["astaff"]);
    assert!(pull.merged);
    assert_eq!(pull.merge_method.as_deref(), Some("merge"));
    assert!(world.github.pull_requests(SLUG).is_empty());
    assert!(world.github.releases(SLUG).is_empty());

    // Artyom was emailed the pull request.
    let mails = world.smtp.as_ref().unwrap().messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].rcpt_to, ["astaff@neuromation.io"]);
    assert_eq!(
        mails[0].header("subject").as_deref(),
        Some("Please review the CLI reference for neuromation 1.3.0")
    );
    assert_eq!(
        mail_text(mails[0].body()),
        format!(
            "Hi Artyom,\n\nthe CLI reference for neuromation 1.3.0 is ready for review: https://github.fake.invalid/{DOCS_SLUG}/pull/{}\n\nIt is merged once 1.3.0 is on PyPI.\n",
            pull.number
        )
    );

    // CircleCI: the flaky test failed once on the release commit and once on the tag, and was
    // re-run from failed each time; the tag's deploy ran once.
    assert_eq!(world.circleci.workflow_reruns().len(), 2);
    let jobs: Vec<(String, String, String)> = world
        .circleci
        .push_jobs()
        .into_iter()
        .map(|(_, git_ref, job, status)| (git_ref, job, status))
        .collect();
    let job = |git_ref: &str, name: &str, status: &str| {
        (git_ref.to_owned(), name.to_owned(), status.to_owned())
    };
    assert_eq!(
        jobs,
        [
            job("refs/heads/master", "lint", "success"),
            job("refs/heads/master", "test", "failed"),
            job("refs/heads/master", "test", "success"),
            job("refs/tags/v1.3.0", "test", "failed"),
            job("refs/tags/v1.3.0", "test", "success"),
            job("refs/tags/v1.3.0", "deploy", "success"),
            // The next alpha's push builds too; nothing waits for it.
            job("refs/heads/master", "lint", "success"),
            job("refs/heads/master", "test", "failed"),
        ]
    );
    assert!(
        world
            .circleci
            .api_requests()
            .iter()
            .filter(|request| request.path.starts_with("/api/"))
            .all(|request| request.header("circle-token") == Some(FakeCircleCi::TOKEN)),
        "relman sends its token with every API request"
    );

    // PyPI has the release's files, uploaded once by the tag's deploy job.
    let mut on_pypi: Vec<String> = fs_err::read_dir(world.pypi.as_ref().unwrap().packages_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_pypi.sort();
    assert_eq!(
        on_pypi,
        [
            "neuromation-1.3.0-py3-none-any.whl",
            "neuromation-1.3.0.tar.gz"
        ]
    );

    // The announcement, once in each channel.
    let slack = world.recorder.requests_to("/services/");
    let channels: Vec<String> = slack
        .iter()
        .map(|request| request.json()["channel"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(channels, ["#platform-development", "#platform-feedback"]);
    for message in &slack {
        assert_eq!(
            message.json()["text"].as_str().unwrap(),
            format!(
                "neuromation 1.3.0 is out: https://pypi.org/project/neuromation/1.3.0/\n\n{SECTION_130}"
            )
        );
    }
}
