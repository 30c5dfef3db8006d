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

/// A Flutter app (mangayomi's shape: `version: 0.8.7+115`, tags `v0.8.7`): the build number
/// after `+` is counted up with each release, as Flutter's stores need and as the apps do
/// (`0.8.8+116`). Before, a release wrote `0.8.8` and dropped the build number.
#[test]
fn a_flutter_release_counts_its_build_number_up() {
    let pubspec =
        |version: &str| format!("name: app\nversion: {version}\n\nenvironment:\n  sdk: ^3.5.0\n");
    let repo = TestRepo::new();
    repo.write("pubspec.yaml", pubspec("0.8.7+115"));
    repo.commit("Release 0.8.7");
    repo.tag("v0.8.7");
    repo.commit_file("lib/fix.dart", "// fix\n", "fix: keep the reader's page");
    repo.write("relman.toml", RELEASE.replace("{bump}", "auto"));
    repo.commit("chore: relman.toml");
    repo.push(&["main", "v0.8.7"]);
    assert_eq!(run(&repo, &["version"], 0), "0.8.7\n");
    let plan = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("+version: 0.8.8+116"), "{plan}");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v0.8.8", "pubspec.yaml"),
        pubspec("0.8.8+116").trim_end()
    );
}

/// What a C program including `header` prints for `expression` (a `%s` or `%d` value).
fn compiled(repo: &TestRepo, header: &str, format: &str, expression: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("main.c");
    fs_err::write(
        &source,
        format!(
            "#include <stdio.h>\n#include \"{}\"\nint main(void) {{ printf(\"{format}\\n\", {expression}); return 0; }}\n",
            repo.path().join(header).display()
        ),
    )
    .unwrap();
    let program = dir.path().join("main");
    let status = std::process::Command::new("cc")
        .arg(&source)
        .arg("-o")
        .arg(&program)
        .status()
        .expect("run cc");
    assert!(status.success(), "cc failed on {header}");
    let output = std::process::Command::new(&program).output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// libgit2's shape: `include/NAME/version.h` keeps the version in `#define`s (a string, the
/// three numbers, a `PRERELEASE` string or `NULL`) beside CMake's `project(VERSION)`, and a
/// vendored library's header under `deps/` keeps its own. relman left the header to a pattern
/// per define; it is now a version file, written part by part, which the C compiler reads back.
/// SDL's shape (numbers only, listed in one line): a pre-release is refused, naming the line.
#[test]
fn a_c_header_s_version_defines_are_written_part_by_part() {
    if !relman_testkit::require_tool("cc") {
        return;
    }
    let header = |version: &str, minor: u32, pre: &str| {
        format!(
            "#ifndef GITLIB_VERSION_H\n#define GITLIB_VERSION_H\n\n\
             /* The library's version, for `#if`s. */\n\
             #define GITLIB_VERSION \"{version}\"\n#define GITLIB_VERSION_MAJOR 1\n\
             #define GITLIB_VERSION_MINOR {minor}\n#define GITLIB_VERSION_REVISION 0\n\
             #define GITLIB_VERSION_PATCH 0\n#define GITLIB_VERSION_PRERELEASE {pre}\n\
             #define GITLIB_SOVERSION \"1.{minor}\"\n\n#endif\n"
        )
    };
    let cmake = |version: &str| {
        format!(
            "cmake_minimum_required(VERSION 3.10)\nproject(gitlib VERSION \"{version}\" LANGUAGES C)\n"
        )
    };
    let vendored =
        "#define ZLIB_VER_MAJOR 1\n#define ZLIB_VER_MINOR 9\n#define ZLIB_VER_REVISION 0\n";
    let repo = TestRepo::new();
    repo.write("CMakeLists.txt", cmake("1.9.0"));
    repo.write("include/gitlib/version.h", header("1.9.0", 9, "NULL"));
    repo.write("include/gitlib/deps/zlib_version.h", vendored);
    repo.write("src/util/version.h", "#define MAX_VERSION_LENGTH 64\n");
    repo.commit("Release 1.9.0");
    repo.tag("v1.9.0");
    repo.commit_file("src/fix.c", "int x;\n", "feat: shallow clones");
    repo.write("relman.toml", RELEASE.replace("{bump}", "minor"));
    repo.commit("chore: relman.toml");
    repo.push(&["main", "v1.9.0"]);

    let check = run(&repo, &["check"], 0);
    assert!(
        check.contains("version 1.9.0 in CMakeLists.txt, include/gitlib/version.h (semver)"),
        "{check}"
    );
    let plan = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("+#define GITLIB_VERSION_MINOR 10"), "{plan}");
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v1.10.0", "include/gitlib/version.h"),
        header("1.10.0", 10, "NULL")
            .replace("SOVERSION \"1.10\"", "SOVERSION \"1.9\"")
            .trim_end()
    );
    assert_eq!(repo.read("include/gitlib/deps/zlib_version.h"), vendored);
    let printed = compiled(
        &repo,
        "include/gitlib/version.h",
        "%s %d.%d.%d",
        "GITLIB_VERSION, GITLIB_VERSION_MAJOR, GITLIB_VERSION_MINOR, GITLIB_VERSION_REVISION",
    );
    assert_eq!(printed, "1.10.0 1.10.0\n");

    // SDL's shape: the numbers alone, the header named in one line of relman.toml.
    let sdl = |minor: u32| {
        format!(
            "#define TOY_MAJOR_VERSION   3\n#define TOY_MINOR_VERSION   {minor}\n#define TOY_MICRO_VERSION   0\n"
        )
    };
    let repo = TestRepo::new();
    repo.write("include/TOY/TOY_version.h", sdl(4));
    repo.commit("Release 3.4.0");
    repo.tag("release-3.4.0");
    repo.commit_file("src/fix.c", "int x;\n", "feat: gamepads");
    repo.write(
        "relman.toml",
        format!(
            "[project]\nversion-files = [\"include/TOY/TOY_version.h\"]\n\n{}",
            RELEASE.replace("{bump}", "minor")
        ),
    );
    repo.commit("chore: relman.toml");
    repo.push(&["main", "release-3.4.0"]);
    let output = relman(&repo, &["plan", "release", "preminor"]);
    assert_exit(&output, 2);
    let error = crate::plain::stderr(&output);
    assert!(
        error.contains("`include/TOY/TOY_version.h`:1: the header's version `#define`s take numbers only, not the pre-release `3.5.0-alpha.0`"),
        "{error}"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "release-3.5.0", "include/TOY/TOY_version.h"),
        sdl(5).trim_end()
    );
    let printed = compiled(
        &repo,
        "include/TOY/TOY_version.h",
        "%d",
        "TOY_MINOR_VERSION",
    );
    assert_eq!(printed, "5\n");
}
