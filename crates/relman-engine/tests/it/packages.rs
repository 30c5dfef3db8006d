//! Which packages a repository holds, as real repositories have them: members that move with the
//! root package (prost's crates, which inherit the version and were once tagged on their own;
//! lerna's package at the root's tagged version), internal crates that are never released alone
//! (ruff's), a workspace without a root package (tracing's, with a moved-out crate's tags), the
//! most specific tag format winning (`grep-cli-0.1.0` is not `grep`'s), `[package.NAME]` tables,
//! and the errors a bad table gets.

use std::path::Path;

use relman_engine::config::Config;
use relman_engine::project::Project;
use relman_git::Repository;
use relman_testkit::TestRepo;

fn resolve(repo: &TestRepo, config: &str) -> Project {
    let config = Config::parse(Path::new("relman.toml"), config).expect("the config is valid");
    let git = Repository::discover(repo.path())
        .unwrap()
        .with_envs(repo.env_vars());
    Project::resolve(git, &config).unwrap()
}

fn names(project: &Project) -> Vec<String> {
    project
        .packages
        .iter()
        .map(|package| {
            format!(
                "{}{} {} {}",
                package.name,
                if package.root { " (root)" } else { "" },
                package.path.display(),
                package.settings.tag_format
            )
        })
        .collect()
}

fn cargo_member(repo: &TestRepo, dir: &str, name: &str, version: &str) {
    repo.write(
        &format!("{dir}/Cargo.toml"),
        format!("[package]\nname = \"{name}\"\n{version}\n"),
    );
}

#[test]
fn members_carrying_the_root_version_move_with_it() {
    // prost: the members inherit the workspace's version; two were tagged on their own once.
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"prost\", \"prost-*\"]\n\n[workspace.package]\nversion = \"0.14.4\"\n",
    );
    cargo_member(&repo, "prost", "prost", "version.workspace = true");
    cargo_member(
        &repo,
        "prost-build",
        "prost-build",
        "version.workspace = true",
    );
    cargo_member(
        &repo,
        "prost-derive",
        "prost-derive",
        "version = \"0.14.4\"",
    );
    repo.commit("feat: start");
    for tag in ["prost-build-0.11.1", "prost-derive-0.11.0", "v0.14.4"] {
        repo.tag(tag);
    }
    let project = resolve(&repo, "");
    assert!(names(&project).is_empty(), "{:?}", names(&project));
    assert_eq!(project.tag_format.to_string(), "v{version}");

    // lerna: the root keeps its version in tags only; its one package carries it.
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\"name\": \"lerna-monorepo\", \"private\": true, \"workspaces\": [\"packages/lerna\"]}",
    );
    repo.write(
        "packages/lerna/package.json",
        "{\"name\": \"lerna\", \"version\": \"10.0.1\"}",
    );
    repo.commit("feat: start");
    repo.tag("v10.0.1");
    let project = resolve(&repo, "");
    assert!(names(&project).is_empty());
    let files: Vec<String> = project
        .version_files
        .iter()
        .map(|spec| spec.path().display().to_string())
        .collect();
    assert_eq!(files, ["packages/lerna/package.json"]);
}

#[test]
fn beside_a_root_package_only_members_with_tags_or_a_changelog_are_released_alone() {
    // ruff: internal crates at 0.0.10, never tagged; one keeps a changelog.
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"ruff\"\nversion = \"0.16.4\"\n\n[workspace]\nmembers = [\"crates/*\"]\n",
    );
    cargo_member(
        &repo,
        "crates/ruff_cache",
        "ruff_cache",
        "version = \"0.0.10\"",
    );
    cargo_member(&repo, "crates/ruff_db", "ruff_db", "version = \"0.0.10\"");
    repo.write("crates/ruff_db/CHANGELOG.md", "# Changelog\n");
    cargo_member(
        &repo,
        "crates/ty",
        "ty",
        "version = \"0.0.0\"\npublish = false",
    );
    repo.commit("feat: start");
    repo.tag("0.16.4");
    let project = resolve(&repo, "");
    assert_eq!(
        names(&project),
        [
            "ruff (root)  {version}",
            "ruff_db crates/ruff_db ruff_db-v{version}"
        ]
    );
}

#[test]
fn without_a_root_package_every_published_member_is_one() {
    // tracing: a virtual workspace; `tracing-opentelemetry` moved out, its tags stayed.
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"tracing\", \"tracing-*\"]\n",
    );
    cargo_member(&repo, "tracing", "tracing", "version = \"0.1.44\"");
    cargo_member(
        &repo,
        "tracing-core",
        "tracing-core",
        "version = \"0.1.36\"",
    );
    cargo_member(
        &repo,
        "tracing-mock",
        "tracing-mock",
        "version = \"0.1.0\"\npublish = false",
    );
    cargo_member(
        &repo,
        "tracing-tower",
        "tracing-tower",
        "version = \"0.1.0\"",
    );
    repo.commit("feat: start");
    for tag in [
        "tracing-0.1.44",
        "tracing-core-0.1.36",
        "tracing-opentelemetry-0.18.0",
        "tracing-opentelemetry-0.17.0",
    ] {
        repo.tag(tag);
    }
    let project = resolve(&repo, "");
    assert_eq!(
        names(&project),
        [
            "tracing tracing tracing-{version}",
            "tracing-core tracing-core tracing-core-{version}",
            "tracing-tower tracing-tower tracing-tower-{version}"
        ]
    );
    assert!(project.root_package().is_none());
    assert_eq!(project.retired.len(), 1);
    assert_eq!(project.retired[0].name, "tracing-opentelemetry");
    assert_eq!(project.retired[0].last, "tracing-opentelemetry-0.18.0");
    let tracing = project.package("tracing").unwrap();
    let (releases, ignored) = tracing.release_tags().unwrap();
    assert_eq!(releases.len(), 1, "tracing-core's tags are not tracing's");
    assert!(ignored.is_empty(), "{ignored:?}");
}

#[test]
fn tables_are_the_packages() {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
    cargo_member(&repo, "crates/globset", "globset", "version = \"0.4.20\"");
    cargo_member(&repo, "crates/grep", "grep", "version = \"0.4.1\"");
    repo.write("docs/VERSION", "2.0.0\n");
    repo.commit("feat: start");
    let project = resolve(
        &repo,
        "[package.globset]\ntag = \"{package}@{version}\"\n\n[package.site]\npath = \"docs\"\nversion-files = [\"docs/VERSION\"]\nchangelog = \"docs/NEWS.md\"\nscheme = \"calver:YYYY.MICRO\"\n",
    );
    assert_eq!(
        names(&project),
        [
            "globset crates/globset globset@{version}",
            "site docs site-v{version}"
        ]
    );
    let site = project.package("site").unwrap();
    assert_eq!(site.changelog.file, Path::new("docs/NEWS.md"));
    assert_eq!(site.scheme.to_string(), "calver:YYYY.MICRO");

    let config = Config::parse(
        Path::new("relman.toml"),
        "[package.orphan]\ntag = \"o-{version}\"\n",
    )
    .unwrap();
    let git = Repository::discover(repo.path()).unwrap();
    let error = Project::resolve(git, &config).unwrap_err();
    assert_eq!(
        error.to_string(),
        "package `orphan`: it has no `path` and no manifest names it"
    );
}

#[test]
fn a_table_naming_a_path_outside_the_repository_is_refused() {
    let errors = Config::parse(
        Path::new("relman.toml"),
        "[package.x]\npath = \"../elsewhere\"\nversion-files = [\"/etc/passwd\"]\ntag = \"x-{version}-{version}\"\nwhat = 1\n",
    )
    .unwrap_err()
    .to_string();
    assert!(errors.contains("unknown key `what`"), "{errors}");
    let errors = Config::parse(
        Path::new("relman.toml"),
        "[package.x]\npath = \"../elsewhere\"\nversion-files = [\"/etc/passwd\"]\ntag = \"x-{version}-{version}\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        errors.contains("relman.toml:2:8")
            && errors.contains("`../elsewhere` is outside the repository"),
        "{errors}"
    );
    assert!(
        errors.contains("version file `/etc/passwd` is outside the repository"),
        "{errors}"
    );
    assert!(
        errors.contains("has `{version}` more than once"),
        "{errors}"
    );
}

#[test]
fn the_most_specific_tag_format_owns_a_tag() {
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
    cargo_member(&repo, "crates/grep", "grep", "version = \"0.4.1\"");
    cargo_member(&repo, "crates/cli", "grep-cli", "version = \"0.1.12\"");
    repo.commit("feat: start");
    repo.tag("grep-0.4.1");
    repo.tag("grep-cli-0.1.12");
    repo.tag("grep-cli-next");
    let project = resolve(&repo, "");
    let grep = project.package("grep").unwrap();
    let (releases, ignored) = grep.release_tags().unwrap();
    assert_eq!(releases.len(), 1);
    assert!(ignored.is_empty(), "{ignored:?}");
    let cli = project.package("grep-cli").unwrap();
    let (releases, ignored) = cli.release_tags().unwrap();
    assert_eq!(releases[0].tag, "grep-cli-0.1.12");
    assert_eq!(ignored, ["grep-cli-next"]);
    // A package answers to its folder too.
    assert_eq!(project.package("crates/cli").unwrap().name, "grep-cli");
}

#[test]
fn a_package_whose_files_lead_outside_through_a_link_is_refused() {
    let repo = TestRepo::new();
    let elsewhere = repo.root().join("elsewhere");
    fs_err::create_dir_all(&elsewhere).unwrap();
    fs_err::write(elsewhere.join("VERSION"), "1.0.0\n").unwrap();
    repo.write("README.md", "a site beside the code\n");
    std::os::unix::fs::symlink(&elsewhere, repo.path().join("site")).unwrap();
    repo.commit("chore: start");
    let config = Config::parse(
        Path::new("relman.toml"),
        "[package.site]\npath = \"site\"\nversion-files = [\"site/VERSION\"]\n",
    )
    .expect("the table reads");
    let git = Repository::discover(repo.path())
        .unwrap()
        .with_envs(repo.env_vars());
    let error = Project::resolve(git, &config).unwrap_err().to_string();
    assert!(
        error.contains("package `site`: the folder `site` is outside the work tree"),
        "{error}"
    );
    // Without the link, the same table is a package.
    fs_err::remove_file(repo.path().join("site")).unwrap();
    repo.write("site/VERSION", "1.0.0\n");
    let project = resolve(
        &repo,
        "[package.site]\npath = \"site\"\nversion-files = [\"site/VERSION\"]\n",
    );
    assert!(
        names(&project).iter().any(|name| name.starts_with("site ")),
        "{:?}",
        names(&project)
    );
}
