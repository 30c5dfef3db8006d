//! Reading each ecosystem's literal into a pattern, and writing through it byte for byte.

use super::*;

fn pattern_of(name: &str, text: &str) -> Option<String> {
    let format = FORMATS
        .iter()
        .find(|format| format.files.contains(&name))
        .expect("a known file");
    format
        .expressions
        .iter()
        .find_map(|expression| version_pattern(text, expression))
}

/// Writes `new` through the pattern detected in `text`, as a release would.
fn written(name: &str, text: &str, new: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs_err::write(dir.path().join(name), text).unwrap();
    let specs = version_files(dir.path());
    assert_eq!(specs.len(), 1, "{name}: {specs:?}");
    let read = super::super::VersionFiles::read(dir.path(), &specs).unwrap();
    super::super::atomic::apply(&read.plan(new).unwrap()).unwrap();
    fs_err::read_to_string(dir.path().join(name)).unwrap()
}

#[test]
fn mix_exs_attribute_or_keyword() {
    let hex = "defmodule Hex.MixProject do\n  use Mix.Project\n\n  @version \"2.5.2-dev\"\n\n  def project do\n    [app: :hex, version: @version, elixir: \"~> 1.12\"]\n  end\nend\n";
    assert_eq!(
        pattern_of("mix.exs", hex).as_deref(),
        Some("  @version \"{version}\"")
    );
    assert_eq!(
        written("mix.exs", hex, "2.5.2"),
        hex.replace("2.5.2-dev", "2.5.2")
    );
    let keyword = "  def project do\n    [\n      app: :x,\n      version: \"0.4.1\",\n      deps: [{:jason, \"~> 1.0\"}]\n    ]\n  end\n";
    assert_eq!(
        pattern_of("mix.exs", keyword).as_deref(),
        Some("      version: \"{version}\"")
    );
    assert_eq!(pattern_of("mix.exs", "  version: @version,\n"), None);
}

#[test]
fn pubspec_version_with_build_number() {
    let text =
        "name: app\ndescription: x\nversion: 1.2.3+4\n\nenvironment:\n  sdk: '>=3.0.0 <4.0.0'\n";
    assert_eq!(
        pattern_of("pubspec.yaml", text).as_deref(),
        Some("version: {version}")
    );
    // Flutter's build number counts up with each release (mangayomi's `0.8.7+115` →
    // `0.8.8+116`); an explicit one is written as given.
    assert_eq!(
        written("pubspec.yaml", text, "1.3.0"),
        text.replace("1.2.3+4", "1.3.0+5")
    );
    assert_eq!(
        written("pubspec.yaml", text, "1.3.0+40"),
        text.replace("1.2.3+4", "1.3.0+40")
    );
    assert_eq!(
        written("pubspec.yaml", &text.replace("+4", ""), "1.3.0"),
        text.replace("1.2.3+4", "1.3.0")
    );
    assert_eq!(
        pattern_of("pubspec.yaml", "name: x\npublish_to: none\n"),
        None
    );
}

#[test]
fn dotnet_version_prefix() {
    let text = "<Project>\n  <PropertyGroup>\n    <VersionPrefix>4.3.2</VersionPrefix>\n  </PropertyGroup>\n</Project>\n";
    assert_eq!(
        pattern_of("Directory.Version.props", text).as_deref(),
        Some("    <VersionPrefix>{version}<")
    );
    assert_eq!(
        written("Directory.Version.props", text, "4.4.0"),
        text.replace("4.3.2", "4.4.0")
    );
    let computed = "    <Version>$(VersionPrefix)-ci</Version>\n";
    assert_eq!(pattern_of("Directory.Build.props", computed), None);
    // A package reference's `Version="..."` attribute is no project version.
    let refs = "  <PackageReference Include=\"A\" Version=\"8.0.1\" />\n";
    assert_eq!(pattern_of("Directory.Build.props", refs), None);
}

#[test]
fn the_one_csproj_stating_a_version_under_src() {
    let csproj = |version: &str| {
        format!(
            "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <VersionPrefix>{version}</VersionPrefix>\n    <TargetFrameworks>net8.0</TargetFrameworks>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"A\" Version=\"8.0.1\" />\n  </ItemGroup>\n</Project>\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let full = dir.path().join(path);
        fs_err::create_dir_all(full.parent().unwrap()).unwrap();
        fs_err::write(full, text).unwrap();
    };
    write("src/Json/Json.csproj", &csproj("13.0.4"));
    write(
        "src/Json.Tests/Json.Tests.csproj",
        "<Project>\n  <PropertyGroup>\n    <IsPackable>false</IsPackable>\n  </PropertyGroup>\n</Project>\n",
    );
    let found = version_files(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path(), Path::new("src/Json/Json.csproj"));
    let read = super::super::VersionFiles::read(dir.path(), &found).unwrap();
    super::super::atomic::apply(&read.plan("13.1.0").unwrap()).unwrap();
    assert_eq!(
        fs_err::read_to_string(dir.path().join("src/Json/Json.csproj")).unwrap(),
        csproj("13.1.0")
    );
    // Two libraries each stating their own version: which leads is not written down.
    write("src/Json.Bson/Json.Bson.csproj", &csproj("1.0.2"));
    assert!(version_files(dir.path()).is_empty());
}

#[test]
fn cmake_project_version_not_the_minimum_required() {
    let sdl =
        "cmake_minimum_required(VERSION 3.16)\n\nproject(SDL3 LANGUAGES C VERSION \"3.5.0\")\n";
    assert_eq!(
        pattern_of("CMakeLists.txt", sdl).as_deref(),
        Some("project(SDL3 LANGUAGES C VERSION \"{version}\"")
    );
    assert_eq!(
        written("CMakeLists.txt", sdl, "3.6.0"),
        sdl.replace("3.5.0", "3.6.0")
    );
    let split = "project(fmt\n  VERSION 11.2.0\n  LANGUAGES CXX)\n";
    assert_eq!(
        pattern_of("CMakeLists.txt", split).as_deref(),
        Some("  VERSION {version}")
    );
    assert_eq!(
        pattern_of("CMakeLists.txt", "project(x LANGUAGES C)\n"),
        None
    );
}

#[test]
fn cmake_refuses_a_pre_release_naming_the_file() {
    let sdl = "project(SDL3 LANGUAGES C VERSION \"3.5.0\")\n";
    let dir = tempfile::tempdir().unwrap();
    fs_err::write(dir.path().join("CMakeLists.txt"), sdl).unwrap();
    let read = super::super::VersionFiles::read(dir.path(), &version_files(dir.path())).unwrap();
    assert!(read.plan("3.6.0").is_ok());
    let error = read.plan("3.6.0-rc.1").unwrap_err();
    assert_eq!(
        error.to_string(),
        "`CMakeLists.txt`:1: CMake's project(VERSION) takes numbers only, not the pre-release `3.6.0-rc.1`"
    );
    assert!(
        error
            .hint()
            .unwrap()
            .contains("`CMakeLists.txt` out of `version-files`")
    );
    // A maintainer's pattern on a string variable may hold a pre-release.
    let set = b"set(APP_VERSION_STRING \"";
    assert!(check_cmake(Path::new("CMakeLists.txt"), set, 1, "1.0.0-rc.1").is_ok());
    let split = b"project(x\n  VERSION ";
    assert!(check_cmake(Path::new("CMakeLists.txt"), split, 2, "1.0.0-rc.1").is_err());
    assert!(check_cmake(Path::new("meson.build"), split, 2, "1.0.0-rc.1").is_ok());
}

#[test]
fn meson_project_version_not_meson_version() {
    let text = "project('json-glib', 'c',\n  version: '1.10.9',\n  meson_version: '>= 1.2.0',\n)\n\ndep = dependency('glib-2.0', version: '>= 2.72')\n";
    assert_eq!(
        pattern_of("meson.build", text).as_deref(),
        Some("  version: '{version}'")
    );
    assert_eq!(
        written("meson.build", text, "1.11.0"),
        text.replace("1.10.9", "1.11.0")
    );
    let one_line = "project('x', 'c', version : '0.3.0', license : 'MIT')\n";
    assert_eq!(
        pattern_of("meson.build", one_line).as_deref(),
        Some("project('x', 'c', version : '{version}'")
    );
}

#[test]
fn autoconf_literal_not_computed() {
    let text = "AC_PREREQ([2.69])\nAC_INIT([libffi],[3.8.0],[http://example.invalid/issues])\n";
    assert_eq!(
        pattern_of("configure.ac", text).as_deref(),
        Some("AC_INIT([libffi],[{version}]")
    );
    assert_eq!(
        written("configure.ac", text, "3.9.0-rc0"),
        text.replace("3.8.0", "3.9.0-rc0")
    );
    assert_eq!(
        pattern_of("configure.ac", "AC_INIT(hello, 2.12)\n").as_deref(),
        Some("AC_INIT(hello, {version})")
    );
    let htop = "AC_INIT([htop], [m4_join([-],m4_defn([v]),m4_defn([g]))], [x@y])\n";
    assert_eq!(pattern_of("configure.ac", htop), None);
    assert_eq!(m4_pattern(htop), None);
    let git = "AC_INIT([jq], [m4_esyscmd([git describe])])\n";
    assert_eq!(pattern_of("configure.ac", git), None);
}

#[test]
fn autoconf_version_in_a_macro_ac_init_reads() {
    let htop = "m4_define([htop_git_version],\n   m4_normalize(m4_esyscmd([git describe --tags])))\nm4_define([htop_release_version], [3.6.0-dev])\n\nAC_PREREQ([2.69])\nAC_INIT([htop], [m4_join([-],m4_defn([htop_release_version]),m4_defn([htop_git_version]))], [x@y])\n";
    assert_eq!(
        written("configure.ac", htop, "3.6.0"),
        htop.replace("[3.6.0-dev]", "[3.6.0]")
    );
    // Parts defined apart (major, minor, micro) are no one version.
    let parts =
        "m4_define([x_major], [2])\nm4_define([x_minor], [4])\nAC_INIT([x], [x_major.x_minor])\n";
    assert_eq!(m4_pattern(parts), None);
    let unrelated = "m4_define([lt_version], [1.0])\nAC_INIT([x], [2.0])\n";
    assert_eq!(m4_pattern(unrelated), None);
}

#[cfg(unix)]
#[test]
fn a_link_leading_out_of_the_repository_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    fs_err::write(outside.path().join("mix.exs"), "@version \"1.0.0\"\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path().join("mix.exs"), dir.path().join("mix.exs")).unwrap();
    assert!(version_files(dir.path()).is_empty());
}
