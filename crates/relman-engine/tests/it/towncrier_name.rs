//! The heading of a section built from towncrier fragments names the project as
//! `towncrier build` does: towncrier's own `name` first, else its package's (title-cased, as
//! towncrier does without importing it), else nothing; never relman's project name, which may
//! be the folder's.

use crate::remote_support::{Fixture, outputs};

fn fragments_fixture(towncrier_name: Option<&str>) -> Fixture {
    let fixture = Fixture::new(
        "[project]\nname = \"app\"\ntag = \"v{version}\"\nscheme = \"semver\"\nversion-files = [\"VERSION\"]\n\n[[workflow.ship.step]]\nchangelog = \"update\"\n",
    );
    let name = towncrier_name.map_or_else(String::new, |name| format!("name = \"{name}\"\n"));
    fixture.repo.write(
        "pyproject.toml",
        format!("[tool.towncrier]\npackage = \"app\"\n{name}filename = \"CHANGELOG.md\"\ndirectory = \"changes/\"\n"),
    );
    fixture
        .repo
        .write("changes/7.feature", "Parse week dates.\n");
    fixture.repo.commit("chore: towncrier");
    fixture
}

#[test]
fn towncrier_s_own_name_heads_the_section() {
    let fixture = fragments_fixture(Some("The App"));
    fixture.run("ship").assert_done();
    let section = outputs(&fixture, 1)["changelog"].clone();
    assert!(section.starts_with("# The App 1.2.3 ("), "{section}");
}

#[test]
fn without_it_the_package_s_name_does() {
    let fixture = fragments_fixture(None);
    fixture.run("ship").assert_done();
    let section = outputs(&fixture, 1)["changelog"].clone();
    assert!(section.starts_with("# App 1.2.3 ("), "{section}");
}

#[test]
fn without_a_name_or_package_the_title_has_none_not_the_folder_s() {
    let fixture = Fixture::new(
        "[project]\ntag = \"v{version}\"\nscheme = \"semver\"\nversion-files = [\"VERSION\"]\n\n[[workflow.ship.step]]\nchangelog = \"update\"\n",
    );
    fixture.repo.write(
        "towncrier.toml",
        "[tool.towncrier]\nfilename = \"CHANGELOG.md\"\ndirectory = \"changes/\"\n",
    );
    fixture
        .repo
        .write("changes/7.feature", "Parse week dates.\n");
    fixture.repo.commit("chore: towncrier");
    fixture.run("ship").assert_done();
    let section = outputs(&fixture, 1)["changelog"].clone();
    assert!(section.starts_with("# 1.2.3 ("), "{section}");
}
