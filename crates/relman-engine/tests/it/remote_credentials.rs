//! `check = "credentials"`: each service is asked whether the credential the workflow's steps
//! will need works, before anything changes; every problem is listed at once, no secret shown.

use relman_testkit::services::{Verdaccio, or_skip};
use relman_testkit::social::FakeSocial;

use crate::remote_support::{Fixture, effects_text, fake_github, header};

fn steps(social: &FakeSocial, npm: &str) -> String {
    format!(
        r#"[[workflow.ship.step]]
check = "credentials"

[[workflow.ship.step]]
tag = "{{tag}}"
sign = true
message = "Release {{version}}"

[[workflow.ship.step]]
release = "publish"

[[workflow.ship.step]]
publish = "npm"
registry = "{npm}"

[[workflow.ship.step]]
mastodon = "{url}"
message = "out"

[[workflow.ship.step]]
discourse = "{url}"
title = "app {{version}} has been released"
message = "Hello all, app {{version}} is out."
"#,
        url = social.url()
    )
}

#[test]
fn every_credential_is_asked_of_its_service_before_anything_changes() {
    let Some(registry) = or_skip(Verdaccio::start()) else {
        return;
    };
    if relman_testkit::find_tool("gpg").is_none() {
        assert!(
            std::env::var_os("RELMAN_TEST_REQUIRE_TOOLS").is_none(),
            "gpg is missing"
        );
        return;
    }
    let social = FakeSocial::start();
    let github = fake_github();
    github.set_token("ghp_good");
    let mut fixture = Fixture::new(&format!(
        "{}\n{}",
        header(&github),
        steps(&social, &registry.url())
    ));
    fixture.repo.enable_gpg_signing();
    fixture.repo.write(
        "package.json",
        "{\"name\": \"relman-e2e-app\", \"version\": \"1.2.3\", \"license\": \"MIT\"}\n",
    );
    fixture.repo.commit("chore: npm package");
    fixture.set_var("GITHUB_TOKEN", "ghp_good");
    fixture.set_var("NPM_TOKEN", registry.token());
    fixture.set_var("MASTODON_TOKEN", FakeSocial::MASTODON_TOKEN);
    fixture.set_var("DISCOURSE_API_KEY", FakeSocial::DISCOURSE_KEY);
    fixture.set_var("DISCOURSE_API_USERNAME", FakeSocial::DISCOURSE_USER);

    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 1);
    for expected in [
        "GitHub: relman-bot, write on `octo/app`",
        "npm: relman-bot on",
        "Mastodon: @relman on",
        "Discourse: release-bot on",
        "signing: openpgp key",
    ] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    assert!(shown.contains("\"passed\": true"), "{shown}");

    // Wrong or missing: every problem at once, at plan time, and the run stops at the check.
    github.set_read_only(true);
    fixture.set_var("MASTODON_TOKEN", "revoked-token");
    // (A token that does not work: a missing one stops `plan` itself, see `check_plan`.)
    fixture.set_var("NPM_TOKEN", "not-an-npm-token");
    fixture.set_var("DISCOURSE_API_KEY", "not-the-key");
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 1);
    assert!(shown.contains("\"passed\": false"), "{shown}");
    assert!(shown.contains("may not write to `octo/app`"), "{shown}");
    assert!(shown.contains("Mastodon at"), "{shown}");
    assert!(shown.contains("npm whoami on"), "{shown}");
    assert!(shown.contains("Discourse at"), "{shown}");
    for secret in ["revoked-token", "not-the-key", "not-an-npm-token"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    // The run refuses a plan whose checks failed: nothing starts.
    let ran = fixture.start(&plan);
    match &ran.finish {
        Err(relman_engine::executor::RunError::ChecksFailed(message)) => {
            assert!(message.contains("may not write"), "{message}");
        }
        other => panic!("the run started: {other:?}"),
    }
    assert!(
        fixture
            .repo
            .git(&["tag", "--list", "v1.2.3"])
            .trim()
            .is_empty()
    );
    assert!(social.statuses().is_empty() && social.topics().is_empty());
    assert!(registry.versions("relman-e2e-app").is_empty());
}

/// A token of the wrong shape for a public registry (a password, another service's token, a
/// label copied with it) is found before anything changes, named by its variable, never shown.
#[test]
fn a_registry_token_of_the_wrong_shape_is_named_before_anything_changes() {
    let mut fixture = Fixture::new(
        r#"[project]
name = "app"
tag = "v{version}"
scheme = "semver"
version-files = ["VERSION"]

[[workflow.ship.step]]
check = "credentials"

[[workflow.ship.step]]
publish = "pypi"
files = ["dist/*"]
"#,
    );
    fixture
        .repo
        .write("dist/app-1.2.3.tar.gz", "not really a tarball\n");
    fixture.set_var("PYPI_TOKEN", "hunter2-password");
    let shown = match fixture.try_plan("ship") {
        Ok(plan) => effects_text(&plan, 1),
        Err(error) => format!("{error} {:?}", error.hint()),
    };
    assert!(
        shown.contains("`PYPI_TOKEN` does not look like a PyPI API token"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    // A label copied with the token.
    fixture.set_var(
        "PYPI_TOKEN",
        &format!("token: pypi-{}", "AgEIcHlwaS5vcmcC".repeat(4)),
    );
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 1);
    assert!(
        shown.contains("`PYPI_TOKEN` holds white space or quotes"),
        "{shown}"
    );
    assert!(!shown.contains("AgEIcHlwaS5vcmcC"), "{shown}");
}
