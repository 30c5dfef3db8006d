//! Every example, with each variable, token and key it needs missing in turn: `relman plan`
//! names the missing thing before any effect (and `relman run` stops there, having changed
//! nothing), and `relman check` says the same, step for step. With everything there, `check`
//! passes and every workflow plans (a check may fail on the state of the repository: the
//! release branch of a release is not there yet).

use std::collections::BTreeSet;

use crate::plain::{assert_exit, stderr};
use crate::world::World;

/// One thing an example needs, and the workflows that need it.
struct Need {
    /// The environment variable taken away, or `None` for the signing key.
    variable: Option<&'static str>,
    /// What the problem says.
    says: &'static str,
    workflows: &'static [&'static str],
}

const fn variable(
    name: &'static str,
    says: &'static str,
    workflows: &'static [&'static str],
) -> Need {
    Need {
        variable: Some(name),
        says,
        workflows,
    }
}

const GITHUB_TOKEN: &str = "no forge token: `GITHUB_TOKEN` or `GH_TOKEN` is not set";

/// `(step number, what it says)` of each problem line (`  - step N (title): …`) about
/// `workflow` in relman's error.
fn problems(text: &str, workflow: &str) -> BTreeSet<(usize, String)> {
    let mut found = BTreeSet::new();
    let mut current = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("error: ").or(Some(line))
            && rest.starts_with("workflow `")
        {
            current = rest.starts_with(&format!("workflow `{workflow}` "));
            continue;
        }
        let Some(rest) = line.strip_prefix("  - step ") else {
            continue;
        };
        if !current {
            continue;
        }
        let (number, rest) = rest.split_once(' ').expect("a step number");
        let (_, said) = rest.split_once("): ").expect("a step title");
        found.insert((number.parse().expect("a step number"), said.to_owned()));
    }
    found
}

/// Runs the checks of one example: `workflows` with the arguments each needs to plan.
fn assert_each_need_is_named(mut world: World, workflows: &[(&str, &[&str])], needs: &[Need]) {
    let everything = world.relman(&["check"]);
    assert_exit(&everything, 0);
    let plan = |world: &World, workflow: &str, args: &[&str]| {
        let mut command = vec!["plan", workflow];
        command.extend(args);
        world.relman(&command)
    };
    for (workflow, args) in workflows {
        // It plans; a check that fails on this repository's state (not on the release branch
        // yet) is not what this is about.
        let output = plan(&world, workflow, args);
        assert!(
            matches!(output.status.code(), Some(0 | 1))
                && !stderr(&output).contains("cannot run here"),
            "plan {workflow} with everything there:\n{}",
            stderr(&output)
        );
    }
    let keyring = tempfile::tempdir().unwrap();
    for need in needs {
        let taken = match need.variable {
            Some(name) => {
                world.set_env(name, "");
                name.to_owned()
            }
            None => {
                // A keyring with no key: git has nothing to sign with.
                let empty = keyring.path().display().to_string();
                world.set_env("GNUPGHOME", &empty);
                "the signing key".to_owned()
            }
        };
        let check = world.relman(&["check"]);
        assert_exit(&check, 2);
        let check_text = stderr(&check);
        for (workflow, args) in workflows {
            let output = plan(&world, workflow, args);
            let text = stderr(&output);
            if !need.workflows.contains(workflow) {
                assert!(
                    !text.contains(need.says),
                    "{workflow} without {taken}:\n{text}"
                );
                continue;
            }
            assert_exit(&output, 2);
            let planned = problems(&text, workflow);
            assert!(
                planned.iter().any(|(_, said)| said.contains(need.says)),
                "plan {workflow} without {taken} does not say `{}`:\n{text}",
                need.says
            );
            assert_eq!(
                problems(&check_text, workflow),
                planned,
                "check and plan {workflow} without {taken} differ:\n{check_text}\n---\n{text}"
            );
        }
        // A run stops at the same place, before any effect.
        let (workflow, args) = workflows
            .iter()
            .find(|(workflow, _)| need.workflows.contains(workflow))
            .expect("a workflow needs it");
        let refs = world.repo.git(&["for-each-ref"]);
        let remote = world
            .repo
            .git_in(world.repo.remote_path(), &["for-each-ref"]);
        let status = world.repo.git(&["status", "--porcelain"]);
        let mut command = vec!["run", workflow];
        command.extend(*args);
        let run = world.relman(&command);
        assert_exit(&run, 2);
        assert!(stderr(&run).contains(need.says), "{}", stderr(&run));
        assert_eq!(world.repo.git(&["for-each-ref"]), refs);
        assert_eq!(
            world
                .repo
                .git_in(world.repo.remote_path(), &["for-each-ref"]),
            remote
        );
        assert_eq!(world.repo.git(&["status", "--porcelain"]), status);
        assert!(world.journal().is_none(), "a journal was written");
        // Put it back for the next one.
        world.unset_env(need.variable.unwrap_or("GNUPGHOME"));
    }
    // The agent gpg may have started for the empty keyring.
    let _ = std::process::Command::new("gpgconf")
        .args(["--kill", "gpg-agent"])
        .env("GNUPGHOME", keyring.path())
        .output();
}

#[test]
fn python_circleci_wheels() {
    let Some(world) = super::python_circleci_wheels::world() else {
        return;
    };
    assert_each_need_is_named(
        world,
        &[("release", &[])],
        &[
            variable(
                "CIRCLE_TOKEN",
                "`CIRCLE_TOKEN` is not set (the CircleCI token)",
                &["release"],
            ),
            variable("GITHUB_TOKEN", GITHUB_TOKEN, &["release"]),
            variable(
                "RELMAN_SMTP_URL",
                "`RELMAN_SMTP_URL` is not set (the SMTP server's URL)",
                &["release"],
            ),
        ],
    );
}

#[test]
fn signed_release_branch() {
    let Some((world, _)) = super::signed_release_branch::world() else {
        return;
    };
    assert_each_need_is_named(
        world,
        &[("release", &[])],
        &[
            variable("GITHUB_TOKEN", GITHUB_TOKEN, &["release"]),
            variable(
                "BUGZILLA_API_KEY",
                "`BUGZILLA_API_KEY` is not set (the step uses `{env.BUGZILLA_API_KEY}`)",
                &["release"],
            ),
            Need {
                variable: None,
                says: "the step signs, but git cannot sign here",
                workflows: &["release"],
            },
        ],
    );
}

#[test]
fn towncrier_pypi() {
    let Some((world, _)) = super::towncrier_pypi::world() else {
        return;
    };
    assert_each_need_is_named(
        world,
        &[("release", &[])],
        &[
            variable("GITHUB_TOKEN", GITHUB_TOKEN, &["release"]),
            variable(
                "RELMAN_SMTP_URL",
                "`RELMAN_SMTP_URL` is not set (the SMTP server's URL)",
                &["release"],
            ),
            variable(
                "SLACK_WEBHOOK_URL",
                "`SLACK_WEBHOOK_URL` is not set (the Slack webhook URL)",
                &["release"],
            ),
        ],
    );
}

#[test]
fn release_branch_cherry_pick() {
    let Some((world, _ci)) = super::release_branch_cherry_pick::world() else {
        return;
    };
    assert_each_need_is_named(
        world,
        &[
            ("freeze", &[]),
            ("cherry-pick", &["0123abc"]),
            ("release", &[]),
            ("patch", &[]),
        ],
        &[
            variable("GITHUB_TOKEN", GITHUB_TOKEN, &["release", "patch"]),
            variable(
                "SLACK_WEBHOOK_URL",
                "`SLACK_WEBHOOK_URL` is not set (the Slack webhook URL)",
                &["release"],
            ),
        ],
    );
}

/// Its publishing is the project's own `make` targets, whose credentials relman does not see:
/// nothing it needs can be missing, and everything plans.
#[test]
fn poetry_prerelease_docker() {
    let Some(world) = super::poetry_prerelease_docker::world() else {
        return;
    };
    assert_each_need_is_named(world, &[("prerelease", &[]), ("release", &[])], &[]);
}
