//! Build files of other ecosystems that hold the project's version as one literal:
//! Elixir's `mix.exs` (`@version "2.5.2-dev"` or `version: "2.5.1"`), Dart's `pubspec.yaml`
//! (`version: 1.2.3+4`), .NET's `Directory.Build.props`/`Directory.Version.props`, a root
//! or `src/NAME/` `*.csproj` (`<VersionPrefix>`/`<Version>`), CMake's `project(NAME VERSION "3.5.0")`, meson's
//! `project('x', version: '1.2.3')` and autoconf's `AC_INIT([name], [1.2.3])`.
//!
//! Each becomes a pattern version file spelt as the file spells the line up to the value
//! (`project(SDL3 LANGUAGES C VERSION "{version}")`), proposed only when the pattern finds
//! exactly that one value and it reads as a version (never `@version` or `m4_esyscmd(...)`).
//! The value reaches a file only through the pattern's splice, never a shell.

use regex::Regex;
use std::ops::Range;
use std::path::Path;

use super::text::looks_like_version;
use super::{FileError, VersionFileKind, VersionFileSpec};

/// One ecosystem: its files and the expressions whose group 1 is the version, tried in turn.
struct Format {
    files: &'static [&'static str],
    expressions: &'static [&'static str],
}

/// .NET's project properties, also read in `*.csproj` files.
const DOTNET: &[&str] = &[
    r"(?m)^[ \t]*<VersionPrefix>([^<\r\n]*)</VersionPrefix>",
    r"(?m)^[ \t]*<Version>([^<\r\n]*)</Version>",
];

/// autoconf's scripts, where the version may also sit in an `m4_define`.
const AUTOCONF: &[&str] = &["configure.ac", "configure.in"];

const FORMATS: &[Format] = &[
    // Elixir: the module attribute most projects keep, else the keyword in `project/0`.
    Format {
        files: &["mix.exs"],
        expressions: &[
            r#"(?m)^[ \t]*@version[ \t]+"([^"\\\r\n]*)""#,
            r#"(?m)^[ \t]*version:[ \t]*"([^"\\\r\n]*)""#,
        ],
    },
    // Dart and Flutter: the top-level key, bare or quoted.
    Format {
        files: &["pubspec.yaml"],
        expressions: &[r##"(?m)^version:[ \t]*['"]?([0-9][^ \t\r\n'"#]*)"##],
    },
    // .NET: the SDK builds `Version` from `VersionPrefix` (and `VersionSuffix`).
    Format {
        files: &[
            "Directory.Build.props",
            "Directory.Version.props",
            "version.props",
        ],
        expressions: DOTNET,
    },
    // CMake: `VERSION` inside the top-level `project(...)` call, quoted or not.
    Format {
        files: &["CMakeLists.txt"],
        expressions: &[
            r#"(?ims)^[ \t]*project[ \t]*\([^)]*?\bVERSION[ \t\r\n]+"?([0-9][0-9A-Za-z.+\-]*)"#,
        ],
    },
    // meson: the `version:` keyword of `project(...)` (`meson_version:` is another word).
    Format {
        files: &["meson.build"],
        expressions: &[
            r"(?ims)^[ \t]*project[ \t]*\([^)]*?\bversion[ \t]*:[ \t\r\n]*'([^'\r\n]*)'",
        ],
    },
    // autoconf: the second argument of `AC_INIT`, bracketed or bare.
    Format {
        files: AUTOCONF,
        expressions: &[
            r"(?m)^[ \t]*AC_INIT\([ \t]*\[?[^\],()\r\n]*\]?[ \t]*,[ \t]*\[?([^\],()\r\n]*?)\]?[ \t]*[,)]",
        ],
    },
];

/// The files of these ecosystems at `root` holding one literal version, as patterns.
pub(super) fn version_files(root: &Path) -> Vec<VersionFileSpec> {
    let mut found = Vec::new();
    for format in FORMATS {
        for name in format.files {
            if let Some(spec) = file_spec(root, name, format.expressions) {
                found.push(spec);
            }
        }
    }
    found.extend(csproj_files(root));
    found
}

/// The `*.csproj` files at the root holding a version (a single-project repository), else the
/// one `src/NAME/*.csproj` that does (the usual layout of a NuGet library; several projects each
/// stating a version are left to `version-files`, since which one leads is not written down).
fn csproj_files(root: &Path) -> Vec<VersionFileSpec> {
    let expressions = DOTNET;
    let at_root: Vec<VersionFileSpec> = csproj_names(root, "")
        .iter()
        .filter_map(|name| file_spec(root, name, expressions))
        .collect();
    if !at_root.is_empty() {
        return at_root;
    }
    let Ok(entries) = fs_err::read_dir(root.join("src")) else {
        return Vec::new();
    };
    let mut folders: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    folders.sort();
    let in_src: Vec<VersionFileSpec> = folders
        .iter()
        .flat_map(|folder| csproj_names(root, &format!("src/{folder}/")))
        .filter_map(|name| file_spec(root, &name, expressions))
        .collect();
    if in_src.len() == 1 {
        in_src
    } else {
        Vec::new()
    }
}

/// The `*.csproj` names in `folder` (relative, ending in `/`, or empty for the root), sorted.
fn csproj_names(root: &Path, folder: &str) -> Vec<String> {
    let Ok(entries) = fs_err::read_dir(root.join(folder)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(".csproj"))
        .map(|name| format!("{folder}{name}"))
        .collect();
    names.sort();
    names
}

fn file_spec(root: &Path, name: &str, expressions: &[&str]) -> Option<VersionFileSpec> {
    let full = root.join(name);
    // A symbolic link leading out of the repository is not read.
    if !full.is_file() || !super::maven::within(root, Path::new(name)) {
        return None;
    }
    let text = super::read_text_bounded(&full, super::bounded::MAX_VERSION_FILE).ok()?;
    let pattern = expressions
        .iter()
        .find_map(|expression| version_pattern(&text, expression))
        .or_else(|| AUTOCONF.contains(&name).then(|| m4_pattern(&text))?)?;
    VersionFileSpec::pattern(name, &pattern).ok()
}

/// autoconf's version kept in a macro that `AC_INIT` reads (htop's `m4_define([htop_release_version],
/// [3.6.0-dev])`, joined there with a `git describe`): the one literal definition of a macro
/// named on the `AC_INIT` line.
fn m4_pattern(text: &str) -> Option<String> {
    let init = text
        .lines()
        .find(|line| line.trim_start().starts_with("AC_INIT("))?;
    let definition = Regex::new(
        r"(?m)^[ \t]*m4_define\(\[?([A-Za-z_][A-Za-z0-9_]*)\]?,[ \t]*\[([^\]\r\n]*)\]\)",
    )
    .ok()?;
    let mut found = definition
        .captures_iter(text)
        .filter(|captures| init.contains(&format!("[{}]", &captures[1])));
    let value = found.next()?.get(2)?.range();
    if found.next().is_some() || !looks_like_version(&text[value.clone()]) {
        return None;
    }
    let pattern = pattern_around(text, value.clone());
    finds_only(text, &pattern, value).then_some(pattern)
}

/// The pattern of `text`'s one version matched by `expression`: the value's line up to it,
/// `{version}`, and the quote or bracket closing it. `None` when the expression matches no or
/// several times, the value is no version, or the pattern would not find exactly that value.
fn version_pattern(text: &str, expression: &str) -> Option<String> {
    let regex = Regex::new(expression).ok()?;
    let mut found = regex.captures_iter(text);
    let value = found.next()?.get(1)?.range();
    if found.next().is_some() || !looks_like_version(&text[value.clone()]) {
        return None;
    }
    let pattern = pattern_around(text, value.clone());
    finds_only(text, &pattern, value).then_some(pattern)
}

/// Whether `pattern` finds `value` in `text`, and nothing else.
fn finds_only(text: &str, pattern: &str, value: Range<usize>) -> bool {
    let Ok(spec) = VersionFileSpec::pattern("f", pattern) else {
        return false;
    };
    let VersionFileKind::Pattern(compiled) = spec.kind() else {
        return false;
    };
    super::pattern::locate(Path::new("f"), text, compiled)
        .is_ok_and(|located| located.len() == 1 && located[0].span == value)
}

/// `{version}` in the value's line: the text before it on its line and the character after it
/// when it closes a quote or bracket.
fn pattern_around(text: &str, value: Range<usize>) -> String {
    let line_start = text[..value.start].rfind('\n').map_or(0, |at| at + 1);
    let prefix = &text[line_start..value.start];
    let suffix = text[value.end..]
        .chars()
        .next()
        .filter(|close| matches!(close, '"' | '\'' | ']' | '<' | ')'))
        .map(String::from)
        .unwrap_or_default();
    format!("{prefix}{{version}}{suffix}")
}

/// CMake's `project(VERSION)` takes numbers only (`major[.minor[.patch[.tweak]]]`): writing a
/// pre-release there would break the build, so it is refused, naming the file. `before` is the
/// file's text before the version: only a value following a `VERSION` keyword is concerned, not
/// a pattern the maintainer pointed at a `set(APP_VERSION_STRING "...")`.
pub(super) fn check_cmake(
    path: &Path,
    before: &[u8],
    line: usize,
    new_version: &str,
) -> Result<(), FileError> {
    let is_cmake = path
        .file_name()
        .is_some_and(|name| name == "CMakeLists.txt");
    let head = before.trim_ascii_end();
    let head = head.strip_suffix(b"\"").unwrap_or(head).trim_ascii_end();
    let keyword = head.strip_suffix(b"VERSION").is_some_and(|rest| {
        rest.last()
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'(')
    });
    if !is_cmake || !keyword || new_version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Ok(());
    }
    Err(FileError::NumbersOnly {
        path: path.to_owned(),
        line,
        version: new_version.to_owned(),
        holder: "CMake's project(VERSION) takes",
    })
}

#[cfg(test)]
#[path = "literal_tests.rs"]
mod tests;
