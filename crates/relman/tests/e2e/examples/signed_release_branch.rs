//! `examples/signed-release-branch`: tokenserver's runbook. From a green `master`: local tests,
//! a release branch with the bump and the changelog, a GPG-signed tag `1.3.0`, the branch and tag
//! pushed, a pull request back to master, a draft release; relman pauses until a person merges
//! the pull request, then publishes the release, files the stage deployment bug, and pauses for
//! the QA handoff. Run once cleanly, and once killed (SIGKILL) after every step.

use relman_testkit::github::FakeGitHub;
use relman_testkit::recorder::Recorder;
use relman_testkit::require_tool;

use super::{
    Ended, assert_all_done, assert_paused_on, assert_runbook_current, last_log,
    run_killed_after_next_step, step_states,
};
use crate::plain::{assert_exit, stdout};
use crate::world::World;

const EXAMPLE: &str = "signed-release-branch";
const SLUG: &str = "mozilla-services/tokenserver";

/// Steps, numbered as in the example's relman.toml.
const RUN_TESTS: usize = 6;
const WAIT_MERGED: usize = 15;
const BUG: usize = 17;
const QA: usize = 18;

const SETUP_PY: &str = r#"import os

from setuptools import find_packages, setup

here = os.path.abspath(os.path.dirname(__file__))

with open(os.path.join(here, "README.md")) as f:
    README = f.read()

requires = ["cornice", "mozsvc", "pyramid", "SQLAlchemy", "tokenlib", "PyBrowserID", "hawkauthlib"]

setup(
    name="tokenserver",
    version="1.2.27",
    description="Token Server for Firefox Sync",
    long_description=README,
    license="MPLv2.0",
    author="Mozilla Services",
    author_email="services-dev@mozilla.org",
    url="https://github.com/mozilla-services/tokenserver",
    packages=find_packages(),
    include_package_data=True,
    zip_safe=False,
    install_requires=requires,
    test_suite="tokenserver",
)
"#;

const CHANGELOG_1227: &str = r#"<a name="1.2.27"></a>
## 1.2.27 (2017-09-19)


#### Bug Fixes

* **purge:** don't purge users with a generation of zero ([0c8a1d5e](https://github.com/mozilla-services/tokenserver/commit/0c8a1d5e))

"#;

const TEST_PY: &str = r#"import re
import unittest


class TestPackaging(unittest.TestCase):
    def test_setup_declares_a_semver_version(self):
        with open("setup.py") as f:
            version = re.search(r'version="([^"]+)"', f.read()).group(1)
        self.assertRegex(version, r"^\d+\.\d+\.\d+$")
"#;

/// tokenserver at 1.2.27 (tagged `1.2.27`, signed), then a feature and a fix: the state the
/// runbook starts from, on `master`, pushed, with CI green on HEAD.
fn tokenserver(world: &World) -> Expected {
    let repo = &world.repo;
    repo.git(&["symbolic-ref", "HEAD", "refs/heads/master"]);
    repo.write("setup.py", SETUP_PY);
    repo.write("README.md", "# Firefox Sync Token Server\n");
    repo.write("CHANGELOG.md", CHANGELOG_1227);
    repo.write(
        "tokenserver/__init__.py",
        "\"\"\"The Firefox Sync token server.\"\"\"\n",
    );
    repo.write("tokenserver/tests/__init__.py", "");
    repo.write("tokenserver/tests/test_packaging.py", TEST_PY);
    repo.write(
        "Makefile",
        ".PHONY: test\n\ntest:\n\tpython3 -B -m unittest discover -s tokenserver/tests -t .\n",
    );
    repo.write(".gitignore", "*.pyc\n__pycache__/\n*.egg-info/\n");
    repo.commit("chore: tag 1.2.27");
    repo.git(&["tag", "--sign", "--message", "chore: tag 1.2.27", "1.2.27"]);
    repo.write("tokenserver/scripts.py", "DRY_RUN = False\n");
    let feature = repo.commit("feat(scripts): purge_old_records takes --dry-run (#112)");
    repo.write("tokenserver/assignment.py", "KEEP_NODE = True\n");
    let fix = repo.commit("fix(assignment): keep a user's node when it is full (#115)");
    world.install_example(EXAMPLE);
    repo.commit("chore: release with relman");
    repo.push(&["master", "--tags"]);
    let head = repo.head();
    world
        .github
        .add_check_run(SLUG, &head, "tests", "completed", Some("success"));
    world.github.add_status(
        SLUG,
        &head,
        "continuous-integration/travis-ci/push",
        "success",
    );
    Expected::new(world, &feature, &fix)
}

/// What relman writes for 1.3.0, from the feature and the fix since 1.2.27. Links go to the
/// forge's web pages, which for the fake GitHub (a GitHub Enterprise at `/api/v3`) is its origin.
pub(super) struct Expected {
    /// This release's section, as `{changelog}` holds it (no final newline).
    section: String,
    /// The release notes: the section without the heading that repeats the version.
    notes: String,
}

impl Expected {
    fn new(world: &World, feature: &str, fix: &str) -> Expected {
        let web = format!(
            "{}/{SLUG}",
            world.github.api_url().trim_end_matches("/api/v3")
        );
        let heading = format!("## [1.3.0]({web}/compare/1.2.27...1.3.0) - 2026-01-01");
        let notes = format!(
            "### Features\n\n\
             - **scripts:** purge_old_records takes --dry-run ([#112]({web}/pull/112)) ([{}]({web}/commit/{feature}))\n\n\
             ### Bug fixes\n\n\
             - **assignment:** keep a user's node when it is full ([#115]({web}/pull/115)) ([{}]({web}/commit/{fix}))",
            &feature[..7],
            &fix[..7],
        );
        Expected {
            section: format!("{heading}\n\n{notes}"),
            notes,
        }
    }
}

/// The world with GPG signing, or `None` (skipped) without gpg.
pub(super) fn world() -> Option<(World, Expected)> {
    if !require_tool("gpg") || !require_tool("make") {
        return None;
    }
    let mut world = World::new(SLUG);
    world.repo.enable_gpg_signing();
    world.set_env("BUGZILLA_API_KEY", Recorder::BUGZILLA_KEY);
    let expected = tokenserver(&world);
    Some((world, expected))
}

/// A person merges the release pull request on GitHub: the merge commit lands on `master`.
fn merge_release_pull_request(world: &World, number: u64) {
    let clone = world.repo.root().join("maintainer");
    if !clone.exists() {
        world.repo.clone_remote("maintainer", &[]);
    }
    let git = |args: &[&str]| world.repo.git_in(&clone, args);
    git(&["fetch", "--quiet", "origin"]);
    git(&["checkout", "--quiet", "master"]);
    git(&["reset", "--quiet", "--hard", "origin/master"]);
    git(&[
        "merge",
        "--quiet",
        "--no-ff",
        "--no-gpg-sign",
        "-m",
        &format!("Merge pull request #{number} from mozilla-services/release/1.3"),
        "origin/release/1.3",
    ]);
    git(&["push", "--quiet", "origin", "master"]);
    world.github.merge_pull_request(SLUG, number);
}

/// Everything the release leaves behind, the same after a clean run and after crashes.
fn assert_final_state(world: &World, expected: &Expected, master_before: &str) {
    let repo = &world.repo;
    let remote = repo.remote_path();
    let git_remote = |args: &[&str]| repo.git_in(remote, args);

    // The release branch: one commit on master's tip, with the bump and the changelog.
    let release = git_remote(&["rev-parse", "refs/heads/release/1.3"]);
    assert_eq!(
        git_remote(&[
            "rev-list",
            "--count",
            &format!("{master_before}..{release}")
        ]),
        "1"
    );
    assert_eq!(
        git_remote(&["log", "-1", "--format=%s%n%b", &release]),
        "chore: tag 1.3.0"
    );
    assert_eq!(
        git_remote(&["diff", "--name-status", &format!("{release}^"), &release]),
        "M\tCHANGELOG.md\nM\tsetup.py"
    );
    // The bytes of a file in the release commit (`git_in` trims its output).
    let show = |path: &str| {
        let output = repo.git_output(&[
            "--git-dir",
            &remote.to_string_lossy(),
            "show",
            &format!("{release}:{path}"),
        ]);
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        show("setup.py"),
        SETUP_PY.replace("version=\"1.2.27\"", "version=\"1.3.0\"")
    );
    assert_eq!(
        show("CHANGELOG.md"),
        format!("{}\n\n{CHANGELOG_1227}", expected.section)
    );

    // The tag `1.3.0`: signed by the maintainer's key, on the release commit, on the remote.
    assert_eq!(
        git_remote(&["rev-parse", "refs/tags/1.3.0^{commit}"]),
        release
    );
    assert_eq!(git_remote(&["cat-file", "-t", "refs/tags/1.3.0"]), "tag");
    let verify = repo.git_output(&["-C", &remote.to_string_lossy(), "tag", "-v", "1.3.0"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(String::from_utf8_lossy(&verify.stderr).contains("Good signature from \"Test User"));
    assert_eq!(
        git_remote(&["tag", "--list"]),
        "1.2.27\n1.3.0",
        "one new tag"
    );
    assert_eq!(
        git_remote(&["for-each-ref", "--format=%(refname)", "refs/heads/"]),
        "refs/heads/master\nrefs/heads/release/1.3"
    );
    // The work tree is on the release branch, clean, tracking the remote's.
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), release);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "release/1.3@{upstream}"]),
        "origin/release/1.3"
    );

    // One pull request, merged.
    let pulls = world.github.pull_requests(SLUG);
    assert_eq!(pulls.len(), 1, "{pulls:#?}");
    let pull = &pulls[0];
    assert_eq!(pull.title, "chore: tag 1.3.0");
    assert_eq!(pull.head, "mozilla-services:release/1.3");
    assert_eq!(pull.base, "master");
    assert!(pull.merged);
    assert_eq!(
        pull.body.as_deref(),
        Some(
            format!(
                "Release 1.3.0: merge the release branch back to master. The tag `1.3.0` is signed and\npushed; the draft release is published once this is merged.\n\n{}\n",
                expected.section
            )
            .as_str()
        )
    );

    // One release, published, with the changelog section as notes.
    let releases = world.github.releases(SLUG);
    assert_eq!(releases.len(), 1, "{releases:#?}");
    let published = &releases[0];
    assert_eq!(published.tag, "1.3.0");
    assert_eq!(published.name.as_deref(), Some("1.3.0"));
    assert!(!published.draft && !published.prerelease);
    assert_eq!(published.body.as_deref(), Some(expected.notes.as_str()));

    // One stage deployment bug, with the changelog.
    let posts: Vec<_> = world
        .recorder
        .requests_to("/rest/bug")
        .into_iter()
        .filter(|request| request.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let bug = posts[0].json();
    assert_eq!(bug["product"], "Cloud Services");
    assert_eq!(bug["component"], "Operations: Deployment Requests");
    assert_eq!(bug["version"], "unspecified");
    assert_eq!(bug["summary"], "Please deploy tokenserver 1.3.0 to STAGE");
    assert_eq!(bug["description"].as_str(), Some(expected.section.as_str()));
    assert_eq!(
        posts[0].header("x-bugzilla-api-key"),
        Some(Recorder::BUGZILLA_KEY)
    );
    assert!(world.recorder.requests_to("/services/").is_empty());

    // The release is done, and QA got the bug's address.
    let journal = world.journal().unwrap();
    assert_eq!(journal["state"], "done");
    assert_eq!(
        journal["steps"][BUG - 1]["outputs"]["bug"],
        Recorder::FIRST_BUG.to_string()
    );
    assert_eq!(
        journal["steps"][QA - 1]["title"].as_str(),
        Some("Hand over to QA")
    );
}

#[test]
fn runbook_is_current() {
    assert_runbook_current(EXAMPLE);
}

#[test]
fn a_signed_release_branch_is_merged_published_and_handed_to_qa() {
    let Some((world, expected)) = world() else {
        return;
    };
    let master_before = world.repo.head();

    let output = world.relman(&["plan", "release"]);
    assert_exit(&output, 0);
    let plan = stdout(&output);
    assert!(
        plan.contains("Plan: release 1.2.27 → 1.3.0 (tag 1.3.0)"),
        "{plan}"
    );
    assert!(
        plan.contains("$ git tag -s -m 'chore: tag 1.3.0' 1.3.0"),
        "{plan}"
    );
    assert!(!plan.contains(Recorder::BUGZILLA_KEY) && !plan.contains(FakeGitHub::TOKEN));
    assert!(world.recorder.requests().is_empty());
    assert!(world.github.pull_requests(SLUG).is_empty());

    // Up to the pull request's merge, which people do.
    let output = world.relman(&["release"]);
    assert_paused_on(&world, &output, WAIT_MERGED);
    let journal = world.journal().unwrap();
    let tests = journal["steps"][RUN_TESTS - 1]["output_tail"].to_string();
    assert!(
        tests.contains("Ran 1 test") && tests.contains("OK"),
        "{tests}"
    );
    let releases = world.github.releases(SLUG);
    assert_eq!(releases.len(), 1);
    assert!(
        releases[0].draft,
        "a draft until the pull request is merged"
    );
    assert_eq!(releases[0].body.as_deref(), Some(expected.notes.as_str()));
    let pulls = world.github.pull_requests(SLUG);
    assert_eq!((pulls.len(), pulls[0].state.as_str()), (1, "open"));
    assert!(
        world.recorder.requests().is_empty(),
        "no bug before the merge"
    );

    // Resuming before the merge looks again and pauses again.
    let output = world.relman(&["resume"]);
    assert_paused_on(&world, &output, WAIT_MERGED);

    merge_release_pull_request(&world, pulls[0].number);
    let output = world.relman(&["resume"]);
    assert_paused_on(&world, &output, QA);
    assert!(!world.github.releases(SLUG)[0].draft);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let shown = format!("{}{stderr}", stdout(&output));
    assert!(
        shown.contains("QA takes over tokenserver 1.3.0: stage deployment bug")
            && shown.contains("show_bug.cgi?id=1001"),
        "{shown}"
    );

    let output = world.relman(&["resume", "--confirm"]);
    assert_all_done(&world, &output);
    assert_final_state(&world, &expected, &master_before);
}

#[test]
fn killed_after_every_step_the_release_ends_the_same_with_nothing_twice() {
    let Some((world, expected)) = world() else {
        return;
    };
    let master_before = world.repo.head();
    let mut args: Vec<&str> = vec!["release"];
    let mut kills = 0;
    let mut merged = false;
    for _ in 0..200 {
        let ended = run_killed_after_next_step(&world, &args);
        let journal = world.journal().expect("a journal from the first step on");
        if journal["state"] == "done" {
            break;
        }
        args = vec!["resume"];
        match ended {
            Ended::Killed => kills += 1,
            Ended::Exited(3) => {
                let states = step_states(&journal);
                let paused = states.iter().position(|state| state == "paused").unwrap() + 1;
                match paused {
                    WAIT_MERGED if !merged => {
                        let number = world.github.pull_requests(SLUG)[0].number;
                        merge_release_pull_request(&world, number);
                        merged = true;
                    }
                    QA => args = vec!["resume", "--confirm"],
                    // A crash in the middle of the wait, before the merge was seen.
                    WAIT_MERGED => {}
                    other => panic!(
                        "paused on step {other}: {}\n{}",
                        journal["steps"][other - 1]["message"],
                        last_log(&world)
                    ),
                }
            }
            Ended::Exited(code) => panic!("relman exited {code}:\n{}", last_log(&world)),
        }
    }
    // Under load relman may finish a few steps before the kill lands; most steps are crossed
    // by a kill all the same.
    assert!(
        kills >= QA / 2,
        "relman was killed {kills} times in a release of {QA} steps"
    );
    assert!(merged);
    assert_final_state(&world, &expected, &master_before);
    // Nothing was created twice on GitHub either.
    let creates = world
        .github
        .api()
        .requests()
        .into_iter()
        .filter(|request| {
            request.method == "POST"
                && (request.path.ends_with("/releases") || request.path.ends_with("/pulls"))
        })
        .count();
    assert_eq!(creates, 2, "one release and one pull request created");
}
