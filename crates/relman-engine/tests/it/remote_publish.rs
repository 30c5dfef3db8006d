//! `publish` and `verify` against real registries: verdaccio for npm, pypiserver for PyPI. One
//! upload each, the plan's dry run writes nothing, and a crash after the upload is done on
//! resume (the registry is asked first), never a second upload.

use relman_testkit::services::{PypiServer, Verdaccio, build_wheel, or_skip};

use crate::remote_support::{Fixture, effects_text, outputs};

const HEADER: &str = r#"[project]
name = "app"
tag = "v{version}"
scheme = "semver"
version-files = ["package.json"]
"#;

fn npm_fixture(registry: &Verdaccio, steps: &str) -> Fixture {
    let mut fixture = Fixture::new(&format!("{HEADER}\n{steps}"));
    fixture.repo.write(
        "package.json",
        "{\n  \"name\": \"relman-e2e-app\",\n  \"version\": \"1.2.3\",\n  \"description\": \"a test package\",\n  \"license\": \"MIT\"\n}\n",
    );
    fixture.repo.write("index.js", "module.exports = 1;\n");
    fixture.repo.commit("chore: npm package");
    fixture.set_var("NPM_TOKEN", registry.token());
    fixture
}

fn npm_steps(registry: &Verdaccio) -> String {
    format!(
        r#"[[workflow.ship.step]]
bump = "minor"

[[workflow.ship.step]]
publish = "npm"
registry = "{url}"

[[workflow.ship.step]]
verify = "npm"
package = "relman-e2e-app"
registry = "{url}"
interval = "100ms"
timeout = "10s"
"#,
        url = registry.url()
    )
}

#[test]
fn npm_publish_once_with_a_dry_run_in_the_plan() {
    let Some(registry) = or_skip(Verdaccio::start()) else {
        return;
    };
    let fixture = npm_fixture(&registry, &npm_steps(&registry));
    let status_before = fixture.repo.git(&["status", "--porcelain", "--ignored"]);
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 2);
    assert!(
        shown.contains("dry run of the package as it is now"),
        "{shown}"
    );
    assert!(shown.contains("publishes relman-e2e-app 1.3.0"), "{shown}");
    assert!(!shown.contains(registry.token()));
    assert!(
        registry.versions("relman-e2e-app").is_empty(),
        "the plan published"
    );
    assert_eq!(
        fixture.repo.git(&["status", "--porcelain", "--ignored"]),
        status_before,
        "the plan's dry run wrote in the repository"
    );

    fixture.start(&plan).assert_done();
    assert_eq!(registry.versions("relman-e2e-app"), ["1.3.0"]);
    assert_eq!(outputs(&fixture, 2)["version"], "1.3.0");
    assert_eq!(outputs(&fixture, 3)["summary"], "found 1.3.0");
    for (_, text) in fixture.journal_files() {
        assert!(
            !text.contains(registry.token()),
            "the token reached the journal"
        );
    }

    // Killed after the upload, before relman recorded it: the registry says it is done.
    fixture.crash_at(2, Some(&["package"]));
    fixture.resume(false).assert_done();
    assert_eq!(registry.versions("relman-e2e-app"), ["1.3.0"]);
    let journal = fixture.journal();
    let tail = &journal.steps[1].output_tail;
    assert_eq!(
        tail.iter()
            .filter(|line| line.contains("+ relman-e2e-app"))
            .count(),
        1,
        "npm ran again: {tail:?}"
    );
    assert!(
        tail.iter()
            .any(|line| line.contains("already: not published again")),
        "{tail:?}"
    );
}

#[test]
fn a_package_outside_the_repository_is_refused() {
    let Some(registry) = or_skip(Verdaccio::start()) else {
        return;
    };
    let fixture = npm_fixture(
        &registry,
        &format!(
            "[[workflow.ship.step]]\npublish = \"npm\"\npath = \"../elsewhere\"\nregistry = \"{}\"\n",
            registry.url()
        ),
    );
    let error = fixture.try_plan("ship").unwrap_err();
    assert!(
        error.to_string().contains("outside the work tree"),
        "{error}"
    );
}

#[test]
fn pypi_upload_once_through_twine() {
    let Some(index) = or_skip(PypiServer::start()) else {
        return;
    };
    let mut fixture = Fixture::new(&format!(
        r#"[project]
name = "app"
tag = "v{{version}}"
scheme = "semver"
version-files = ["VERSION"]

[[workflow.ship.step]]
publish = "pypi"
files = ["dist/*.whl"]
registry = "{url}"
"#,
        url = index.url()
    ));
    fixture.set_var("PYPI_TOKEN", "pypi-AgEIcHlwaS5vcmc-test");
    let dist = fixture.repo.path().join("dist");
    fs_err::create_dir_all(&dist).unwrap();
    build_wheel(&dist, "app", "1.2.3").unwrap();
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains("twine"));
    fixture.start(&plan).assert_done();
    let listed = fs_err::read_dir(index.packages_dir()).unwrap().count();
    assert_eq!(listed, 1);
    assert_eq!(outputs(&fixture, 1)["package"], "app");
    fixture.crash_at(1, Some(&["package"]));
    fixture.resume(false).assert_done();
    assert_eq!(fs_err::read_dir(index.packages_dir()).unwrap().count(), 1);
}

/// A workspace of two crates, `relman-it-app` depending on `relman-it-core`, at 1.2.3.
fn cargo_fixture(registry: &relman_testkit::crates_registry::CratesRegistry) -> Fixture {
    cargo_fixture_with(registry, "")
}

/// [`cargo_fixture`] with more options on its publish step.
fn cargo_fixture_with(
    registry: &relman_testkit::crates_registry::CratesRegistry,
    publish_options: &str,
) -> Fixture {
    let mut fixture = Fixture::new(&format!(
        r#"[project]
name = "app"
tag = "v{{version}}"
scheme = "semver"
version-files = ["Cargo.toml"]

[[workflow.ship.step]]
bump = "minor"

[[workflow.ship.step]]
commit = "Release {{version}}"

[[workflow.ship.step]]
publish = "cargo"
registry = "local"
{publish_options}
[[workflow.ship.step]]
verify = "crates"
package = "relman-it-app"
index = "{{env.CARGO_REGISTRIES_LOCAL_INDEX}}"
interval = "100ms"
timeout = "10s"
"#
    ));
    let repo = &fixture.repo;
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"core\", \"app\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"1.2.3\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
    );
    repo.write(
        "core/Cargo.toml",
        "[package]\nname = \"relman-it-core\"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\ndescription = \"core\"\npublish = [\"local\"]\n",
    );
    repo.write("core/src/lib.rs", "pub fn core() -> u8 { 1 }\n");
    repo.write(
        "app/Cargo.toml",
        "[package]\nname = \"relman-it-app\"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\ndescription = \"app\"\npublish = [\"local\"]\n\n[dependencies]\nrelman-it-core = { path = \"../core\", version = \"1.2\", registry = \"local\" }\n",
    );
    repo.write(
        "app/src/lib.rs",
        "pub fn app() -> u8 { relman_it_core::core() }\n",
    );
    repo.write(".gitignore", "dist/\ntarget/\nCargo.lock\n");
    repo.commit("feat: a cargo workspace");
    let home = repo.root().join("cargo-home");
    let target = repo.root().join("cargo-target");
    fs_err::create_dir_all(&home).unwrap();
    fixture.set_var("CARGO_HOME", &home.display().to_string());
    fixture.set_var("CARGO_TARGET_DIR", &target.display().to_string());
    fixture.set_var("CARGO_REGISTRIES_LOCAL_INDEX", &registry.index_url());
    fixture.set_var("CARGO_HTTP_MULTIPLEXING", "false");
    fixture.set_var(
        "CARGO_REGISTRIES_LOCAL_TOKEN",
        relman_testkit::crates_registry::CratesRegistry::TOKEN,
    );
    fixture
}

#[test]
fn cargo_publishes_a_workspace_in_dependency_order_once() {
    let registry = relman_testkit::crates_registry::CratesRegistry::start();
    let fixture = cargo_fixture(&registry);
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 3);
    assert!(
        shown.contains("relman-it-core, relman-it-app"),
        "dependencies first: {shown}"
    );
    assert!(
        registry.versions("relman-it-core").is_empty(),
        "the plan published"
    );
    fixture.start(&plan).assert_done();
    assert_eq!(registry.versions("relman-it-core"), ["1.3.0"]);
    assert_eq!(registry.versions("relman-it-app"), ["1.3.0"]);
    assert_eq!(outputs(&fixture, 4)["summary"], "found 1.3.0");
    let publishes = |registry: &relman_testkit::crates_registry::CratesRegistry| {
        registry
            .requests()
            .iter()
            .filter(|request| request.method == "PUT")
            .count()
    };
    assert_eq!(publishes(&registry), 2);
    // Killed after the uploads: both are on the index, nothing is published again.
    fixture.crash_at(3, Some(&["package"]));
    fixture.resume(false).assert_done();
    assert_eq!(publishes(&registry), 2);
}

/// `cargo publish` uploads, then waits for the index, which lags (crates.io's does); the step's
/// timeout stops it there. The upload is known from cargo's own words, so the step waits, pauses
/// when the index still does not show it, and the resume only waits: the registry, which refuses
/// a version twice, is asked once.
#[test]
fn cargo_stopped_while_it_waits_for_the_index_uploads_once() {
    let registry = relman_testkit::crates_registry::CratesRegistry::start();
    registry.lag_index("relman-it-core", std::time::Duration::from_secs(14));
    let fixture = cargo_fixture_with(&registry, "timeout = \"6s\"\ninterval = \"250ms\"\n");
    let paused = fixture.run("ship").paused();
    assert!(
        paused.contains("relman-it-core 1.3.0 was published but is not on the index yet"),
        "{paused}"
    );
    let journal = fixture.journal();
    let step = journal.steps.iter().find(|step| step.number == 3).unwrap();
    assert_eq!(
        step.context.get("uploaded").map(String::as_str),
        Some("relman-it-core@1.3.0")
    );
    fixture.resume(false).assert_done();
    let puts: Vec<_> = registry
        .requests()
        .into_iter()
        .filter(|request| request.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 2, "one upload per crate");
    assert_eq!(registry.versions("relman-it-core"), ["1.3.0"]);
    assert_eq!(registry.versions("relman-it-app"), ["1.3.0"]);
}

#[test]
fn cargo_publishes_with_the_token_cargo_login_keeps_and_the_plan_says_so() {
    use relman_testkit::crates_registry::CratesRegistry;

    let registry = CratesRegistry::start();
    let mut fixture = cargo_fixture(&registry);
    // No variable: the token is where `cargo login --registry local` puts it.
    fixture.remove_var("CARGO_REGISTRIES_LOCAL_TOKEN");
    let home = fixture.repo.root().join("cargo-home");
    fs_err::write(
        home.join("credentials.toml"),
        format!(
            "[registries.local]\ntoken = \"{}\"\n",
            CratesRegistry::TOKEN
        ),
    )
    .unwrap();
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 3);
    let expected = format!(
        "credential: the Cargo registry: the token in `{}/credentials.toml`",
        home.display()
    );
    assert!(shown.contains(&expected), "{shown}");
    assert!(!shown.contains(CratesRegistry::TOKEN));
    fixture.start(&plan).assert_done();
    assert_eq!(registry.versions("relman-it-core"), ["1.3.0"]);
    assert_eq!(registry.versions("relman-it-app"), ["1.3.0"]);
}
