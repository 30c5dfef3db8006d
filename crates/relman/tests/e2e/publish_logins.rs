//! `publish` says in `plan` which login it will use (a token variable, an npm config's login,
//! cargo's credentials, twine's keyring) and, when this machine has none, `plan`, `check` and
//! `run` refuse before the first effect, naming what they looked for. HOME is the test's own
//! empty folder, so nothing of the machine's own logins counts.

use relman_testkit::services::{Verdaccio, or_skip};

use crate::support::{Fixture, assert_unchanged, snapshot};

/// A tag, then `publish`: refused before the tag is made.
fn refused(publish: &str, says: &str) {
    let fixture = Fixture::new(&format!(
        "[[workflow.ship.step]]\ntag = \"{{tag}}\"\n\n[[workflow.ship.step]]\n{publish}\n"
    ));
    let before = snapshot(&fixture);
    for args in [&["plan", "ship"][..], &["check"], &["run", "ship"]] {
        fixture
            .relman(args)
            .expect(2)
            .stderr_has("workflow `ship` cannot run here:\n  - step 2 (")
            .stderr_has(says);
    }
    assert_unchanged(&before, &snapshot(&fixture));
    assert!(fixture.journal().is_none());
}

#[test]
fn npm_without_a_token_or_an_npmrc_login() {
    refused(
        "publish = \"npm\"",
        "): no npm login for https://registry.npmjs.org/: `NPM_TOKEN` or `NODE_AUTH_TOKEN` is not set, and no npm config (.npmrc, ~/.npmrc) has a login for //registry.npmjs.org/: export `NPM_TOKEN` or `NODE_AUTH_TOKEN`, or `npm login --registry https://registry.npmjs.org/`",
    );
}

#[test]
fn cargo_without_a_token_or_cargo_login() {
    refused(
        "publish = \"cargo\"\nregistry = \"local\"",
        "): no token for the registry `local`: `CARGO_REGISTRIES_LOCAL_TOKEN` is not set, and cargo's config (~/.cargo/credentials.toml, .cargo/config.toml) has none: export `CARGO_REGISTRIES_LOCAL_TOKEN`, or `cargo login --registry local`",
    );
}

#[test]
fn pypi_without_a_token_or_a_keyring_user() {
    refused(
        "publish = \"pypi\"\nfiles = [\"dist/*\"]",
        "): no PyPI login: `PYPI_TOKEN` or `TWINE_PASSWORD` is not set, and twine has no `TWINE_USERNAME` to look up in its keyring: export `PYPI_TOKEN` (an API token); twine does not read `.pypirc` when given the upload URL",
    );
}

#[test]
fn gem_without_a_key_or_gem_credentials() {
    refused(
        "publish = \"gem\"\npackage = \"greeter\"",
        "): no RubyGems key for https://rubygems.org: `GEM_HOST_API_KEY` is not set, and gem's credentials (`~/.local/share/gem/credentials`) have none for it: export `GEM_HOST_API_KEY` (an API key with the push scope), or `gem signin --host https://rubygems.org`",
    );
}

#[test]
fn pypi_plans_with_the_keyring_of_twine_username() {
    let mut fixture =
        Fixture::new("[[workflow.ship.step]]\npublish = \"pypi\"\nfiles = [\"dist/*\"]\n");
    fixture.set_env("TWINE_USERNAME", "__token__");
    fixture
        .relman(&["plan", "ship"])
        .expect(0)
        .stdout_has("credential: PyPI: the password of `TWINE_USERNAME` in twine's keyring");
}

#[test]
fn npm_publishes_with_the_login_of_the_users_npmrc() {
    let Some(registry) = or_skip(Verdaccio::start()) else {
        return;
    };
    let config = format!(
        "[project]\ntag = \"v{{version}}\"\nversion-files = [\"package.json\"]\n\n[[workflow.ship.step]]\npublish = \"npm\"\nregistry = \"{}\"\n",
        registry.url()
    );
    let fixture = Fixture::new(&config);
    fixture.repo.write(
        "package.json",
        "{\"name\": \"relman-e2e-npmrc\", \"version\": \"1.2.3\", \"license\": \"MIT\"}\n",
    );
    fixture.repo.commit("feat: a package");
    // What `npm login` leaves: a token for this registry in ~/.npmrc, and no variable.
    let dart = format!(
        "//{}/",
        registry
            .url()
            .split_once("://")
            .unwrap()
            .1
            .trim_end_matches('/')
    );
    fs_err::write(
        fixture.repo.home().join(".npmrc"),
        format!("{dart}:_authToken={}\n", registry.token()),
    )
    .unwrap();
    fixture
        .relman(&["plan", "ship"])
        .expect(0)
        .stdout_has(&format!(
            "credential: npm: the login in `~/.npmrc` for {dart}"
        ));
    let run = fixture.relman(&["run", "ship"]);
    run.expect(0);
    assert!(!run.stderr.contains(registry.token()));
    assert_eq!(registry.versions("relman-e2e-npmrc"), ["1.2.3"]);
}
