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
