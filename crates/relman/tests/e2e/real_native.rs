//! Ecosystems whose build file holds the version as one literal (named in
//! docs/real-repositories.md): Elixir's `mix.exs` at a `-dev` version (hex), .NET's
//! `Directory.Version.props` bumped after the release (serilog), CMake's `project(VERSION)`
//! tagged `release-X.Y.Z` (SDL), meson's `project(version:)` (json-glib), Dart's `pubspec.yaml`
//! and autoconf's `AC_INIT` fed by an `m4_define` (htop). Before, relman saw none of these files:
//! it read the version from tags and released a tag whose build file kept the old version.

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stdout};

#[track_caller]
fn run(repo: &TestRepo, args: &[&str], code: i32) -> String {
    let output = relman(repo, args);
    assert_exit(&output, code);
    stdout(&output)
}

/// Bumps, commits, tags and pushes: the release every one of these projects makes.
const RELEASE: &str = "[workflow.release]\nargs = [{ name = \"bump\", default = \"{bump}\" }]\n\n\
    [[workflow.release.step]]\nbump = \"{args.bump}\"\n\n\
    [[workflow.release.step]]\ncommit = \"Release {version}\"\n\n\
    [[workflow.release.step]]\ntag = \"{tag}\"\n\n\
    [[workflow.release.step]]\npush = [\"branch\", \"tag\"]\n";

/// A repository holding `file` at `released` (tagged `tag_prefix` + it), then at `current`
/// with a commit after it; relman.toml releases with `bump`.
fn project(
    file: &str,
    text: impl Fn(&str) -> String,
    released: &str,
    current: &str,
    tag: &str,
    bump: &str,
) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(file, text(released));
    repo.commit(&format!("Release {released}"));
    repo.tag(&format!("{tag}{released}"));
    if current != released {
        repo.commit_file(file, &text(current), "Bump the version");
    }
    repo.commit_file("src/fix.txt", "fix\n", "fix: escape control characters");
    repo.write("relman.toml", RELEASE.replace("{bump}", bump));
    repo.commit("chore: relman.toml");
    repo.push(&["main", &format!("{tag}{released}")]);
    repo
}

fn file_at(repo: &TestRepo, rev: &str, path: &str) -> String {
    repo.git(&["show", &format!("{rev}:{path}")])
}

/// hex: `@version "2.5.2-dev"` read by `project/0`, tags `v2.5.1`. relman said 2.5.1 and
/// released a tag whose `mix.exs` still said `-dev`.
#[test]
fn mix_exs_dev_version_is_released_into_the_module_attribute() {
    let mix = |version: &str| {
        format!(
            "defmodule Hex.MixProject do\n  use Mix.Project\n\n  @version \"{version}\"\n\n  \
             def project do\n    [app: :hex, version: @version, elixir: \"~> 1.12\", deps: [{{:jason, \"~> 1.4\"}}]]\n  end\nend\n"
        )
    };
    let repo = project("mix.exs", mix, "2.5.1", "2.5.2-dev", "v", "auto");
    assert_eq!(run(&repo, &["version"], 0), "2.5.2-dev\n");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0), "2.5.2\n");
    let check = run(&repo, &["check"], 0);
    assert!(check.contains("in mix.exs"), "{check}");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(file_at(&repo, "v2.5.2", "mix.exs"), mix("2.5.2").trim_end());
}

/// serilog: `<VersionPrefix>4.3.2</VersionPrefix>` in `Directory.Version.props`, set right after
/// tagging `v4.3.1`. relman planned 4.3.2 → no file; the release is 4.3.2 as the file says.
#[test]
fn dotnet_version_prefix_already_bumped_is_the_release() {
    let props = |version: &str| {
        format!(
            "<Project>\n  <PropertyGroup>\n    <VersionPrefix>{version}</VersionPrefix>\n  </PropertyGroup>\n</Project>\n"
        )
    };
    let repo = project(
        "Directory.Version.props",
        props,
        "4.3.1",
        "4.3.2",
        "v",
        "auto",
    );
    assert_eq!(run(&repo, &["version"], 0), "4.3.2\n");
    let plan = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains("the version files hold 4.3.2 already"),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v4.3.2", "Directory.Version.props"),
        props("4.3.2").trim_end()
    );
}

/// SDL: `project(SDL3 LANGUAGES C VERSION "3.5.0")`, tags `release-3.4.0`. relman read 3.4.0;
/// a pre-release cannot go into CMake's numeric VERSION, so it is refused, naming the file,
/// and nothing changes; a numeric release is written.
#[test]
fn cmake_project_version_is_written_and_a_pre_release_is_refused() {
    let cmake = |version: &str| {
        format!(
            "cmake_minimum_required(VERSION 3.16)\n\nproject(SDL3 LANGUAGES C VERSION \"{version}\")\n"
        )
    };
    let repo = project(
        "CMakeLists.txt",
        cmake,
        "3.4.0",
        "3.4.0",
        "release-",
        "minor",
    );
    assert_eq!(run(&repo, &["version"], 0), "3.4.0\n");
    let output = relman(&repo, &["plan", "release", "rc"]);
    assert_exit(&output, 2);
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("`CMakeLists.txt`:3: CMake's project(VERSION) takes numbers only"),
        "{error}"
    );
    let head = repo.head();
    run(&repo, &["release", "--yes"], 0);
    assert_ne!(repo.head(), head);
    assert_eq!(
        file_at(&repo, "release-3.5.0", "CMakeLists.txt"),
        cmake("3.5.0").trim_end()
    );
}

/// json-glib (meson), a Flutter package (pubspec with a build number) and htop (autoconf, the
/// version in an `m4_define` that `AC_INIT` joins with `git describe`).
#[test]
fn meson_pubspec_and_autoconf_versions_are_read_and_written() {
    let meson = |version: &str| {
        format!(
            "project('json-glib', 'c',\n  version: '{version}',\n  meson_version: '>= 1.2.0',\n)\n"
        )
    };
    let repo = project("meson.build", meson, "1.10.8", "1.10.9", "", "auto");
    assert_eq!(run(&repo, &["version"], 0), "1.10.9\n");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "1.10.9", "meson.build"),
        meson("1.10.9").trim_end()
    );

    let pubspec =
        |version: &str| format!("name: app\nversion: {version}\n\nenvironment:\n  sdk: ^3.5.0\n");
    let repo = project("pubspec.yaml", pubspec, "1.2.0", "1.2.0", "v", "minor");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v1.3.0", "pubspec.yaml"),
        pubspec("1.3.0").trim_end()
    );

    let configure = |version: &str| {
        format!(
            "m4_define([htop_git_version], m4_normalize(m4_esyscmd([git describe --tags])))\n\
             m4_define([htop_release_version], [{version}])\n\
             AC_INIT([htop], [m4_join([-],m4_defn([htop_release_version]),m4_defn([htop_git_version]))])\n"
        )
    };
    let repo = project("configure.ac", configure, "3.5.3", "3.6.0-dev", "", "auto");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0), "3.6.0\n");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "3.6.0", "configure.ac"),
        configure("3.6.0").trim_end()
    );
}

/// Crystal's shards keeps `VERSION` and `shard.yml` at `0.21.0-dev` together; Julia's
/// DataFrames.jl its `Project.toml`; Nim's nimble its `nimble.nimble`. relman read only
/// `VERSION` (shards released a `shard.yml` still saying `-dev`) or the tags alone.
#[test]
fn shard_yml_project_toml_and_nimble_versions_are_released() {
    let shard = |version: &str| {
        format!(
            "name: shards\nversion: {version}\n\ndependencies:\n  molinillo:\n    github: x/molinillo\n    version: 0.2.0\n"
        )
    };
    let repo = project("shard.yml", shard, "0.20.0", "0.21.0-dev", "v", "auto");
    repo.commit_file("VERSION", "0.21.0-dev\n", "chore: VERSION");
    repo.push(&["main"]);
    assert_eq!(run(&repo, &["version"], 0), "0.21.0-dev\n");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v0.21.0", "shard.yml"),
        shard("0.21.0").trim_end()
    );
    assert_eq!(file_at(&repo, "v0.21.0", "VERSION"), "0.21.0");

    let julia = |version: &str| {
        format!(
            "name = \"Frames\"\nuuid = \"a93c6f00-e57d-5684-b7b6-d8193f3e46c0\"\nversion = \"{version}\"\n\n[compat]\njulia = \"1.10\"\n"
        )
    };
    let repo = project("Project.toml", julia, "1.8.2", "1.8.2", "v", "auto");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v1.8.3", "Project.toml"),
        julia("1.8.3").trim_end()
    );

    let nimble = |version: &str| {
        format!("# Package\n\nversion       = \"{version}\"\nauthor        = \"x\"\n")
    };
    let repo = project("tool.nimble", nimble, "0.24.1", "0.24.1", "v", "minor");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v0.25.0", "tool.nimble"),
        nimble("0.25.0").trim_end()
    );
}
