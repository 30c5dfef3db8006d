//! `build`: the ecosystem's own tool (npm pack, cargo package, python -m build) writes the
//! release's artifacts; the plan names them and writes nothing; a package whose manifest the
//! bump left at the old version fails, naming what the tool wrote instead.

use crate::remote_support::{Fixture, effects_text, outputs};

fn config(version_files: &str, steps: &str) -> String {
    format!(
        "[project]\nname = \"app\"\ntag = \"v{{version}}\"\nscheme = \"semver\"\nversion-files = {version_files}\n\n[[workflow.ship.step]]\nbump = \"minor\"\n\n{steps}"
    )
}

fn npm_fixture(version_files: &str) -> Fixture {
    let fixture = Fixture::new(&config(
        version_files,
        "[[workflow.ship.step]]\nbuild = \"npm\"\npath = \"web\"\n",
    ));
    fixture.repo.write(
        "web/package.json",
        "{\n  \"name\": \"@acme/widget\",\n  \"version\": \"1.2.3\",\n  \"files\": [\"index.js\"]\n}\n",
    );
    fixture.repo.write("web/index.js", "module.exports = 1;\n");
    fixture.repo.commit("feat: the widget");
    fixture
}

#[test]
fn npm_pack_writes_the_release_tarball_and_the_plan_writes_nothing() {
    if !relman_testkit::require_tool("npm") {
        return;
    }
    let fixture = npm_fixture("[\"VERSION\", \"web/package.json\"]");
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 2);
    assert!(shown.contains("--pack-destination="), "{shown}");
    assert!(
        shown.contains("expects `web/dist/acme-widget-1.3.0.tgz`"),
        "{shown}"
    );
    assert!(
        !fixture.repo.path().join("web/dist").exists(),
        "the plan built"
    );
    fixture.start(&plan).assert_done();
    let tarball = fixture.repo.path().join("web/dist/acme-widget-1.3.0.tgz");
    assert!(tarball.is_file(), "no tarball");
    assert_eq!(
        outputs(&fixture, 2)["files"],
        "web/dist/acme-widget-1.3.0.tgz"
    );
    // What npm packed is the bumped manifest.
    let listing = std::process::Command::new("tar")
        .args(["-xzOf"])
        .arg(&tarball)
        .arg("package/package.json")
        .output()
        .unwrap();
    let manifest = String::from_utf8_lossy(&listing.stdout);
    assert!(manifest.contains("\"version\": \"1.3.0\""), "{manifest}");
}

#[test]
fn a_manifest_the_bump_left_behind_fails_the_build_naming_what_was_built() {
    if !relman_testkit::require_tool("npm") {
        return;
    }
    // `web/package.json` is not a version file: it stays at 1.2.3.
    let fixture = npm_fixture("[\"VERSION\"]");
    let ran = fixture.run("ship");
    let (step, message, hint) = ran.failed();
    assert_eq!(step, 2);
    assert!(
        message.contains("did not write web/dist/acme-widget-1.3.0.tgz"),
        "{message}"
    );
    assert!(
        message.contains("the folder holds web/dist/acme-widget-1.2.3.tgz"),
        "{message}"
    );
    assert!(hint.unwrap().contains("version-files"));
}

#[test]
fn cargo_package_writes_the_crate_of_the_release() {
    if !relman_testkit::require_tool("cargo") {
        return;
    }
    let mut fixture = Fixture::new(&config(
        "[\"Cargo.toml\"]",
        "[[workflow.ship.step]]\nbuild = \"cargo\"\n",
    ));
    fixture.repo.write(
        "Cargo.toml",
        "[package]\nname = \"relman-it-tool\"\nversion = \"1.2.3\"\nedition = \"2021\"\nlicense = \"MIT\"\ndescription = \"a tool\"\n",
    );
    fixture
        .repo
        .write("src/lib.rs", "pub fn tool() -> u8 { 1 }\n");
    fixture
        .repo
        .write(".gitignore", "dist/\ntarget/\nCargo.lock\n");
    fixture.repo.commit("feat: a crate");
    let target = fixture.repo.path().join("cargo-target");
    fixture.set_var("CARGO_TARGET_DIR", &target.display().to_string());
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 2);
    assert!(
        shown.contains("cargo-target/package/relman-it-tool-1.3.0.crate"),
        "{shown}"
    );
    assert!(
        !fixture.repo.path().join("Cargo.lock").exists(),
        "the plan wrote a lock file"
    );
    fixture.start(&plan).assert_done();
    assert!(target.join("package/relman-it-tool-1.3.0.crate").is_file());
}

#[test]
fn python_build_writes_the_sdist_and_wheel_named_as_pep_625_and_440_say() {
    if !relman_testkit::require_tool("pyproject-build") {
        return;
    }
    let fixture = Fixture::new(
        "[project]\nname = \"app\"\ntag = \"v{version}\"\nscheme = \"pep440\"\nversion-files = [\"pyproject.toml\"]\n\n[[workflow.ship.step]]\nbump = \"minor\"\n\n[[workflow.ship.step]]\nbuild = \"python\"\nisolation = false\n",
    );
    fixture.repo.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"flit_core>=3.4\"]\nbuild-backend = \"flit_core.buildapi\"\n\n[project]\nname = \"Acme-Week_Dates\"\nversion = \"1.2.3\"\ndescription = \"week dates\"\n",
    );
    fixture
        .repo
        .write("Acme_Week_Dates/__init__.py", "\"\"\"Week dates.\"\"\"\n");
    fixture.repo.commit("feat: a Python package");
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 2);
    assert!(
        shown.contains("dist/acme_week_dates-1.3.0.tar.gz"),
        "{shown}"
    );
    assert!(
        shown.contains("dist/acme_week_dates-1.3.0-*.whl"),
        "{shown}"
    );
    fixture.start(&plan).assert_done();
    let files = outputs(&fixture, 2)["files"].clone();
    assert_eq!(
        files,
        "dist/acme_week_dates-1.3.0.tar.gz dist/acme_week_dates-1.3.0-py2.py3-none-any.whl"
    );
}

#[test]
fn gem_build_writes_the_gem_of_the_bumped_version_rb() {
    if !relman_testkit::require_tool("gem") {
        return;
    }
    let fixture = Fixture::new(&config(
        "[\"lib/acme_widget/version.rb\"]",
        "[[workflow.ship.step]]\nbuild = \"gem\"\n",
    ));
    fixture.repo.write(
        "acme_widget.gemspec",
        "require_relative \"lib/acme_widget/version\"\n\nGem::Specification.new do |spec|\n  spec.name = \"acme_widget\"\n  spec.version = AcmeWidget::VERSION\n  spec.summary = \"A widget\"\n  spec.authors = [\"Acme\"]\n  spec.license = \"MIT\"\n  spec.files = [\"lib/acme_widget.rb\", \"lib/acme_widget/version.rb\"]\nend\n",
    );
    fixture.repo.write(
        "lib/acme_widget/version.rb",
        "module AcmeWidget\n  VERSION = \"1.2.3\".freeze\nend\n",
    );
    fixture
        .repo
        .write("lib/acme_widget.rb", "require \"acme_widget/version\"\n");
    fixture.repo.write(".gitignore", "*.gem\n");
    fixture.repo.commit("feat: a gem");
    let plan = fixture.plan("ship");
    let shown = effects_text(&plan, 2);
    assert!(shown.contains("expects `acme_widget-1.3.0.gem`"), "{shown}");
    fixture.start(&plan).assert_done();
    assert!(fixture.repo.path().join("acme_widget-1.3.0.gem").is_file());
    assert_eq!(outputs(&fixture, 2)["files"], "acme_widget-1.3.0.gem");
}
