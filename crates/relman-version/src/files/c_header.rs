//! A C header that keeps the version in `#define`s, part by part, as libraries do for their
//! users' `#if`s: libgit2's `include/git2/version.h` (`LIBGIT2_VERSION "1.9.0"`,
//! `LIBGIT2_VERSION_MAJOR 1`, `_MINOR 9`, `_REVISION 0`, `_PRERELEASE NULL`) and SDL's
//! `include/SDL3/SDL_version.h` (`SDL_MAJOR_VERSION 3`, `SDL_MINOR_VERSION`,
//! `SDL_MICRO_VERSION`).
//!
//! One prefix (`LIBGIT2`, `SDL`) must name exactly one major, one minor and one third number
//! (`MICRO`, `REVISION`, `TINY`, `PATCHLEVEL`, else `PATCH`: libgit2's `PATCH` beside its
//! `REVISION` is a distributor's fourth number, left alone); a quoted whole version
//! (`PREFIX_VERSION`, `PREFIX_VERSION_STRING`) and a pre-release string or `NULL`
//! (`PREFIX_VERSION_PRERELEASE`) go with them when the header has them. The version read is
//! the numbers with the pre-release after a `-` (`1.8.0-alpha`), which the whole string must
//! agree with. A pre-release is written only where the header has a place for it: SDL's
//! numbers alone cannot hold `3.6.0-rc.1`, which is refused naming the file and line, as CMake's
//! `project(VERSION)` is. A header with no such set of defines holds no version.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::FileError;
use super::gem_constants::Part;
use super::text::{Location, line_of, looks_like_version};

pub(super) const LOOKED_FOR: &str =
    "`#define`s of one prefix's major, minor and patch numbers (`NAME_VERSION_MAJOR 1` …)";

/// `#define NAME 12`, `#define NAME "1.2.0"`, `#define NAME NULL`, a comment may follow.
static DEFINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^[ \t]*#[ \t]*define[ \t]+(?P<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]+(?P<value>[0-9]+|"[^"\\\r\n]*"|NULL)[ \t]*(?:/\*[^\r\n]*\*/|//[^\r\n]*)?\r?$"#,
    )
    .expect("the #define expression is valid")
});

/// The words that name the third number, the most specific first.
const THIRD: [&str; 5] = ["MICRO", "REVISION", "TINY", "PATCHLEVEL", "PATCH"];

/// The role a define's name gives it, and the prefix it belongs to: `SDL_MAJOR_VERSION` is
/// (`SDL`, `MAJOR`), `LIBGIT2_VERSION_MAJOR` and `LIBGIT2_VER_MAJOR` (`LIBGIT2`, `MAJOR`),
/// `SDL_PATCHLEVEL` (`SDL`, `PATCHLEVEL`), `LIBGIT2_VERSION` (`LIBGIT2`, `VERSION`).
fn role(name: &str) -> Option<(&str, &'static str)> {
    const WORDS: [&str; 9] = [
        "MAJOR",
        "MINOR",
        "MICRO",
        "REVISION",
        "TINY",
        "PATCHLEVEL",
        "PATCH",
        "PRERELEASE",
        "STRING",
    ];
    for word in WORDS {
        for ending in [
            format!("_VERSION_{word}"),
            format!("_VER_{word}"),
            format!("_{word}_VERSION"),
            format!("_{word}"),
        ] {
            // `FOO_STRING` alone is no version; `FOO_VERSION_STRING` is.
            if word == "STRING" && !ending.contains("_VER") {
                continue;
            }
            if let Some(prefix) = name.strip_suffix(ending.as_str())
                && !prefix.is_empty()
            {
                return Some((prefix, word));
            }
        }
    }
    name.strip_suffix("_VERSION")
        .filter(|prefix| !prefix.is_empty())
        .map(|prefix| (prefix, "VERSION"))
}

/// One define: its name, role, prefix and the span of its value (inside quotes for a string).
struct Define<'t> {
    name: &'t str,
    prefix: &'t str,
    role: &'static str,
    value: &'t str,
    span: std::ops::Range<usize>,
}

/// The places of the version (see the module documentation); empty when the header has none.
pub(super) fn locate(path: &Path, text: &str) -> Result<Vec<Location>, FileError> {
    let defines: Vec<Define<'_>> = DEFINE
        .captures_iter(text)
        .filter_map(|captures| {
            let name = captures.name("name")?.as_str();
            let value = captures.name("value")?;
            let (prefix, role) = role(name)?;
            Some(Define {
                name,
                prefix,
                role,
                value: value.as_str(),
                span: value.range(),
            })
        })
        .collect();
    let numeric = |define: &&Define<'_>| define.value.bytes().all(|b| b.is_ascii_digit());
    // The prefixes that have a major, a minor and a third number.
    let mut prefixes: Vec<&str> = defines
        .iter()
        .filter(|define| define.role == "MAJOR")
        .filter(numeric)
        .map(|define| define.prefix)
        .collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    let mut sets = Vec::new();
    for prefix in prefixes {
        let of = |role: &str| -> Vec<&Define<'_>> {
            defines
                .iter()
                .filter(|define| define.prefix == prefix && define.role == role)
                .collect()
        };
        let (major, minor) = (of("MAJOR"), of("MINOR"));
        let Some(third) = THIRD
            .iter()
            .map(|word| of(word))
            .find(|found| !found.is_empty())
        else {
            continue;
        };
        for found in [&major, &minor, &third] {
            if found.len() > 1 || !found.iter().all(numeric) {
                return Err(FileError::Ambiguous {
                    path: path.to_owned(),
                    looked_for: format!("`{}`", found[0].name),
                    lines: found
                        .iter()
                        .map(|define| line_of(text, define.span.start))
                        .collect(),
                });
            }
        }
        if minor.is_empty() {
            continue;
        }
        let mut places = vec![
            Location::part(major[0].span.clone(), major[0].name, Part::Major),
            Location::part(minor[0].span.clone(), minor[0].name, Part::Minor),
            Location::part(third[0].span.clone(), third[0].name, Part::Tiny),
        ];
        if let [pre] = of("PRERELEASE").as_slice()
            && !numeric(pre)
        {
            places.push(Location::part(pre.span.clone(), pre.name, Part::Prerelease));
        }
        let whole = of("VERSION")
            .into_iter()
            .chain(of("STRING"))
            .filter(|define| define.value.starts_with('"'))
            .map(|define| {
                let inner = define.span.start + 1..define.span.end - 1;
                (define.name, inner)
            })
            .find(|(_, span)| looks_like_version(&text[span.clone()]));
        if let Some((name, span)) = whole {
            places.insert(0, Location::part(span, name, Part::Whole));
        }
        sets.push(places);
    }
    match sets.len() {
        0 => Ok(Vec::new()),
        1 => Ok(sets.remove(0)),
        _ => Err(FileError::Ambiguous {
            path: path.to_owned(),
            looked_for: LOOKED_FOR.to_owned(),
            lines: sets
                .iter()
                .map(|places| line_of(text, places[0].span.start))
                .collect(),
        }),
    }
}

/// The version the defines make: `MAJOR.MINOR.THIRD`, `-PRERELEASE` when it is a string; the
/// whole string, when there is one, must say the same.
pub(super) fn compose(
    path: &Path,
    text: &str,
    locations: &[Location],
) -> Result<String, FileError> {
    let value = |part: Part| {
        locations
            .iter()
            .find(|location| location.part == Some(part))
            .map(|location| &text[location.span.clone()])
    };
    let numbers = [Part::Major, Part::Minor, Part::Tiny]
        .map(|part| value(part).unwrap_or_default())
        .join(".");
    let version = match value(Part::Prerelease) {
        Some(quoted) if quoted.starts_with('"') => {
            format!("{numbers}-{}", quoted.trim_matches('"'))
        }
        _ => numbers,
    };
    if let Some(whole) = locations
        .iter()
        .find(|location| location.part == Some(Part::Whole))
    {
        let written = &text[whole.span.clone()];
        if written != version {
            return Err(FileError::Unsupported {
                path: path.to_owned(),
                line: line_of(text, whole.span.start),
                message: format!(
                    "`{}` is `{written}` but the numbers below make `{version}`",
                    whole.label
                ),
            });
        }
    }
    Ok(version)
}

/// What `part` becomes for `version` (semver's shape: `1.10.0`, `1.10.0-alpha`); `old` is the
/// part's current text. `None` for a version of another shape.
pub(super) fn replacement(part: Part, version: &str, old: &str) -> Option<String> {
    let version = version.split_once('+').map_or(version, |(core, _)| core);
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    if numbers.len() != 3
        || numbers
            .iter()
            .any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(match part {
        Part::Major => numbers[0].to_owned(),
        Part::Minor => numbers[1].to_owned(),
        Part::Tiny => numbers[2].to_owned(),
        Part::Whole => version.to_owned(),
        Part::Prerelease | Part::Pre => match pre {
            Some(pre) => format!("\"{pre}\""),
            None if old.starts_with('"') && old != "\"\"" => "NULL".to_owned(),
            None => old.to_owned(),
        },
    })
}

/// Folders a header is looked for in, below the root: where a library installs its public
/// headers from (`include/git2/`, `include/SDL3/`) and its own sources.
const HEADER_FOLDERS: [&str; 2] = ["include", "src"];

/// Path components that hold someone else's code: a vendored dependency's header is never the
/// project's version.
const VENDORED: [&str; 10] = [
    "deps",
    "vendor",
    "vendored",
    "third_party",
    "thirdparty",
    "3rdparty",
    "external",
    "extern",
    "node_modules",
    "subprojects",
];

/// The headers named like a version header (`version.h`, `SDL_version.h`) at the top or up to
/// four folders into `include/` or `src/` (vendored folders left out) that hold a version in defines, and
/// agree with the first of the version files found before (`existing`) when there is one: a
/// header at another version (a protocol's, a bundled library's) is not the project's. Without
/// one, a header is proposed only when it is the only one.
pub(super) fn version_files(
    root: &Path,
    existing: &[super::VersionFileSpec],
) -> Vec<super::VersionFileSpec> {
    let mut candidates = Vec::new();
    collect(root, Path::new(""), 0, &mut candidates);
    candidates.sort();
    let version_of = |spec: &super::VersionFileSpec| {
        super::VersionFiles::read(root, std::slice::from_ref(spec))
            .ok()
            .and_then(|files| files.found().first().map(|found| found.value.clone()))
    };
    let first = existing.first().and_then(version_of);
    let headers: Vec<super::VersionFileSpec> = candidates
        .into_iter()
        .map(|path| super::VersionFileSpec::new(path, super::KnownFormat::CHeader))
        .filter(|spec| {
            version_of(spec).is_some_and(|value| first.as_ref().is_none_or(|first| *first == value))
        })
        .collect();
    // With no other version file to agree with, which of several headers is the project's
    // is not guessed.
    if first.is_none() && headers.len() > 1 {
        return Vec::new();
    }
    headers
}

fn collect(root: &Path, folder: &Path, depth: usize, found: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs_err::read_dir(root.join(folder)) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let path = folder.join(&name);
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let allowed = if depth == 0 {
                HEADER_FOLDERS.contains(&name.as_str())
            } else {
                depth < 4
                    && !name.starts_with('.')
                    && !VENDORED.contains(&name.to_ascii_lowercase().as_str())
            };
            if allowed {
                collect(root, &path, depth + 1, found);
            }
        } else if name.ends_with(".h")
            && name.to_ascii_lowercase().contains("version")
            && super::maven::within(root, &path)
        {
            found.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBGIT2: &str = "#ifndef INCLUDE_git_version_h__\n#define INCLUDE_git_version_h__\n\n/** The version string. */\n#define LIBGIT2_VERSION           \"1.9.0\"\n#define LIBGIT2_VERSION_MAJOR      1\n#define LIBGIT2_VERSION_MINOR      9\n#define LIBGIT2_VERSION_REVISION   0\n#define LIBGIT2_VERSION_PATCH      0\n#define LIBGIT2_VERSION_PRERELEASE NULL\n#define LIBGIT2_SOVERSION         \"1.9\"\n#endif\n";
    const SDL: &str = "#define SDL_MAJOR_VERSION   3\n\n/* minor */\n#define SDL_MINOR_VERSION   5\n#define SDL_MICRO_VERSION   0\n#define SDL_VERSIONNUM(major, minor, patch) ((major) * 1000000)\n";

    fn read(text: &str) -> Result<String, FileError> {
        let path = Path::new("version.h");
        let found = locate(path, text)?;
        compose(path, text, &found)
    }

    #[test]
    fn the_defines_make_the_version() {
        assert_eq!(read(LIBGIT2).unwrap(), "1.9.0");
        assert_eq!(read(SDL).unwrap(), "3.5.0");
        let alpha = LIBGIT2
            .replace("\"1.9.0\"", "\"1.10.0-alpha\"")
            .replace("MINOR      9", "MINOR      10")
            .replace("PRERELEASE NULL", "PRERELEASE \"alpha\"");
        assert_eq!(read(&alpha).unwrap(), "1.10.0-alpha");
        let sdl2 = "#define SDL_MAJOR_VERSION   2\n#define SDL_MINOR_VERSION   30\n#define SDL_PATCHLEVEL      9\n";
        assert_eq!(read(sdl2).unwrap(), "2.30.9");
        let disagree = LIBGIT2.replace("\"1.9.0\"", "\"1.8.0\"");
        assert!(matches!(
            read(&disagree),
            Err(FileError::Unsupported { line: 5, .. })
        ));
    }

    #[test]
    fn other_defines_are_no_version() {
        let unrelated = "#define BUFFER_SIZE 4096\n#define MAX_DEPTH 3\n#define FOO_VERSION 2\n";
        assert!(locate(Path::new("a.h"), unrelated).unwrap().is_empty());
        // A major and a minor without a third number is no version either.
        let two = "#define ABI_MAJOR 1\n#define ABI_MINOR 2\n";
        assert!(locate(Path::new("a.h"), two).unwrap().is_empty());
        // Two prefixes each with a full set: which one is the project's is not guessed.
        let both = format!(
            "{SDL}#define ZLIB_VER_MAJOR 1\n#define ZLIB_VER_MINOR 3\n#define ZLIB_VER_REVISION 1\n"
        );
        assert!(matches!(
            locate(Path::new("a.h"), &both),
            Err(FileError::Ambiguous { .. })
        ));
    }

    #[test]
    fn a_version_splits_into_the_defines() {
        let parts = |version: &str, pre: &str| {
            [
                Part::Whole,
                Part::Major,
                Part::Minor,
                Part::Tiny,
                Part::Prerelease,
            ]
            .map(|part| replacement(part, version, pre).unwrap())
        };
        assert_eq!(parts("1.10.0", "NULL"), ["1.10.0", "1", "10", "0", "NULL"]);
        assert_eq!(
            parts("1.10.0-alpha", "NULL"),
            ["1.10.0-alpha", "1", "10", "0", "\"alpha\""]
        );
        assert_eq!(parts("1.10.0", "\"alpha\"")[4], "NULL");
        assert_eq!(replacement(Part::Major, "1.10", "1"), None);
    }

    #[test]
    fn only_the_project_s_own_header_is_detected() {
        let root = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let full = root.path().join(path);
            fs_err::create_dir_all(full.parent().unwrap()).unwrap();
            fs_err::write(full, text).unwrap();
        };
        write("VERSION", "1.9.0\n");
        write("include/git2/version.h", LIBGIT2);
        // A vendored library's header, a header at another version, one with other defines.
        write(
            "include/deps/zlib/zlib_version.h",
            "#define ZLIB_VER_MAJOR 1\n#define ZLIB_VER_MINOR 9\n#define ZLIB_VER_REVISION 0\n",
        );
        write(
            "src/proto_version.h",
            "#define PROTO_VERSION_MAJOR 2\n#define PROTO_VERSION_MINOR 0\n#define PROTO_VERSION_PATCH 0\n",
        );
        write("src/version_limits.h", "#define MAX_VERSION_LEN 32\n");
        write("deps/sdl/include/SDL_version.h", SDL);
        let existing = [super::super::VersionFileSpec::known("VERSION").unwrap()];
        let found: Vec<_> = version_files(root.path(), &existing)
            .into_iter()
            .map(|spec| spec.path().to_owned())
            .collect();
        assert_eq!(found, [Path::new("include/git2/version.h")]);
        // Alone, the one header is the version file; of two, neither is guessed.
        assert!(version_files(root.path(), &[]).is_empty());
        fs_err::remove_file(root.path().join("src/proto_version.h")).unwrap();
        assert_eq!(version_files(root.path(), &[]).len(), 1);
    }
}
