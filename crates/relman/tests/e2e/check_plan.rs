//! `relman check` rejects what `plan` rejects without running a step, and `plan` proves what it
//! can before any effect: a forge step without a forge, `{dev_version}` with no later bump, an
//! `if` that is not a boolean expression or mixes types, an unset `{env.NAME}` or login, a
//! signed tag on a machine that cannot sign, a template in an option that is not one. And `if`
//! sees numbers as numbers.

use crate::support::*;

/// `plan WORKFLOW`, `run WORKFLOW` and `check` all exit 2 naming step `step` and `says`, and
/// change nothing. (The plan titles steps with the release's values; `check`, which knows no
/// release, with the placeholders.)
#[track_caller]
fn both_refuse(fixture: &Fixture, workflow: &str, step: usize, says: &str) {
    let before = snapshot(fixture);
    for args in [&["plan", workflow][..], &["check"], &["run", workflow]] {
        fixture
            .relman(args)
            .expect(2)
            .stderr_has(&format!(
                "workflow `{workflow}` cannot run here:\n  - step {step} ("
            ))
            .stderr_has(says);
    }
    assert_unchanged(&before, &snapshot(fixture));
    assert!(fixture.journal().is_none());
}

#[test]
fn a_forge_step_without_a_forge() {
    let fixture = Fixture::new(
        "[[workflow.ship.step]]\ntag = \"{tag}\"\n\n[[workflow.ship.step]]\nrelease = \"publish\"\n",
    );
    both_refuse(
        &fixture,
        "ship",
        2,
        "): this step talks to GitHub, but the project has no forge: add `[forge]`",
    );
}

#[test]
fn an_announcement_without_its_login() {
    // The login's variables are proven like a forge token: before the tag is made.
    let fixture = Fixture::new(
        "[[workflow.ship.step]]\ntag = \"{tag}\"\n\n[[workflow.ship.step]]\nmastodon = \"https://mastodon.example\"\nmessage = \"out\"\n",
    );
    both_refuse(
        &fixture,
        "ship",
        2,
        "): `MASTODON_TOKEN` is not set (the Mastodon access token): set `MASTODON_TOKEN` before running",
    );
}

#[test]
fn dev_version_without_a_later_bump() {
    let fixture = Fixture::new(
        "[project]\nversion-files = [\"package.json\"]\n\n[[workflow.ship.step]]\nbump = \"minor\"\n\n[[workflow.ship.step]]\nmanual = \"Next is {dev_version}\"\n",
    );
    both_refuse(
        &fixture,
        "ship",
        2,
        "Next is {dev_version}): `{dev_version}` has no value: no `bump` comes after the release's",
    );
}

#[test]
fn an_if_that_is_not_a_boolean_expression() {
    let fixture = Fixture::new("[[workflow.ship.step]]\nmanual = \"Hello\"\nif = \"version\"\n");
    both_refuse(
        &fixture,
        "ship",
        1,
        "`if = \"version\"` is not a boolean expression: it gives a string",
    );
    let fixture =
        Fixture::new("[[workflow.ship.step]]\nmanual = \"Hello\"\nif = \"patch + 'x' == 1\"\n");
    both_refuse(&fixture, "ship", 1, "`if = \"patch + 'x' == 1\"`: ");
    // One that does not parse is refused where it is written.
    let fixture = Fixture::new("[[workflow.ship.step]]\nmanual = \"Hello\"\nif = \"patch ==\"\n");
    for args in [&["plan", "ship"][..], &["check"]] {
        fixture
            .relman(args)
            .expect(2)
            .stderr_has("relman.toml:3:6: `if = \"patch ==\"` is not a valid expression");
    }
}

#[test]
fn an_unset_environment_variable() {
    let mut fixture =
        Fixture::new("[[workflow.ship.step]]\nrun = [\"echo\", \"{env.DEPLOY_KEY}\"]\n");
    both_refuse(
        &fixture,
        "ship",
        1,
        "`DEPLOY_KEY` is not set (the step uses `{env.DEPLOY_KEY}`): set `DEPLOY_KEY` before running",
    );
    fixture.set_env("DEPLOY_KEY", "k");
    fixture.relman(&["check"]).expect(0);
    fixture.relman(&["plan", "ship"]).expect(0);
}

#[test]
fn a_signed_tag_on_a_machine_that_cannot_sign() {
    if !relman_testkit::require_tool("gpg") {
        return;
    }
    let fixture = Fixture::new(
        "[[workflow.ship.step]]\ntag = \"{tag}\"\nmessage = \"Release {version}\"\nsign = true\n",
    );
    both_refuse(
        &fixture,
        "ship",
        1,
        "the step signs, but git cannot sign here: `gpg` could not sign",
    );
}

#[test]
fn a_template_where_the_option_is_not_one() {
    // A step's `remote` is a template: rendered, never used as written.
    let fixture = Fixture::new(
        "[project]\nversion-files = [\"package.json\"]\n\n[workflow.ship]\nargs = [{ name = \"remote\", default = \"origin\" }]\n\n[[workflow.ship.step]]\nbump = \"minor\"\n\n[[workflow.ship.step]]\ncommit = \"Release {version}\"\n\n[[workflow.ship.step]]\ntag = \"{tag}\"\n\n[[workflow.ship.step]]\npush = \"tag\"\nremote = \"{args.remote}\"\n",
    );
    fixture
        .relman(&["plan", "ship"])
        .expect(0)
        .stdout_has("git push origin refs/tags/v1.3.0");
    fixture.relman(&["ship"]).expect(0);
    assert!(fixture.remote_refs().contains_key("refs/tags/v1.3.0"));
    // `[project] remote` and a `token-env` are not templates: refused where they are written.
    let fixture = Fixture::new("[project]\nremote = \"{args.remote}\"\n");
    fixture.relman(&["check"]).expect(2).stderr_has(
        "`[project] remote` is not a template: `{args.remote}` would be used as written",
    );
    let fixture = Fixture::new(
        "[[workflow.ship.step]]\ncircleci = \"pipeline\"\nproject = \"gh/a/b\"\ntoken-env = \"{env.TOKEN}\"\n",
    );
    fixture
        .relman(&["check"])
        .expect(2)
        .stderr_has("`token-env` names an environment variable, and `{env.TOKEN}` is not a name");
}

/// `patch == 0` compares numbers: true for x.y.0, so the step runs.
#[test]
fn conditions_see_numbers_as_numbers() {
    let fixture = Fixture::new(
        "[project]\nversion-files = [\"package.json\"]\n\n[[workflow.ship.step]]\nbump = \"minor\"\n\n[[workflow.ship.step]]\nrun = [\"sh\", \"-c\", \"echo first-of-the-minor > ../ran\"]\nif = \"patch == 0 and minor > 2\"\n\n[[workflow.ship.step]]\nrun = [\"sh\", \"-c\", \"echo never > ../never\"]\nif = \"patch == '0'\"\n",
    );
    fixture.relman(&["ship"]).expect(0);
    assert_eq!(fixture.repo.read("../ran"), "first-of-the-minor\n");
    assert!(!fixture.path().join("../never").exists());
}

/// A second `auto` bump has no commits to decide from: it is refused for what it is, not
/// planned as "nothing to release".
#[test]
fn a_later_auto_bump_is_refused_for_what_it_is() {
    let fixture = Fixture::new(
        "[project]\nversion-files = [\"package.json\"]\n\n[[workflow.ship.step]]\nbump = \"auto\"\n\n[[workflow.ship.step]]\ncommit = \"Release {version}\"\n\n[[workflow.ship.step]]\nbump = \"auto\"\n\n[[workflow.ship.step]]\ncommit = \"Start {dev_version}\"\n",
    );
    both_refuse(
        &fixture,
        "ship",
        3,
        "a later `bump` cannot be `auto`: the commits decide the release's version, and none come after it",
    );
}

#[test]
fn the_plan_names_a_tag_only_when_a_step_makes_one() {
    // pillow's release workflow opens the release's issue and bumps nothing: its header said
    // "release 1.2.3 (tag v1.2.3)", a tag that exists and that nothing makes.
    let fixture = Fixture::new("[[workflow.open.step]]\nrun = \"true\"\n");
    let run = fixture.relman(&["plan", "open"]);
    run.expect(0).stdout_has("Plan: open 1.2.3\n");
    assert!(!run.stdout.contains("(tag"), "{run}");
    let fixture = Fixture::new(
        "[[workflow.ship.step]]\nbump = \"minor\"\n\n[[workflow.ship.step]]\ntag = \"{tag}\"\n",
    );
    fixture
        .relman(&["plan", "ship"])
        .expect(0)
        .stdout_has("Plan: ship 1.2.3 → 1.3.0 (tag v1.3.0)\n");
}
