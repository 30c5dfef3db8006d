//! towncrier compatibility: every scenario under `tests/data/towncrier/` is built by relman and
//! compared byte for byte with the news file the real `towncrier build` wrote
//! (`scripts/oracles/towncrier-scenarios.sh` regenerates those), and with a live towncrier when
//! one is installed.

mod errors;
mod live;

use std::path::{Path, PathBuf};

use relman_version::changelog::towncrier::{BuildOptions, TowncrierConfig, build};

fn scenarios_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/towncrier")
}

/// Every scenario folder, by name.
fn scenarios() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = fs_err::read_dir(scenarios_root())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("args.toml").is_file())
        .collect();
    folders.sort();
    assert!(folders.len() >= 12, "the towncrier scenarios are missing");
    folders
}

/// The `args.toml` of a scenario: what `towncrier build` was given.
fn build_options(scenario: &Path) -> BuildOptions {
    let text = fs_err::read_to_string(scenario.join("args.toml")).unwrap();
    let document: toml_edit::DocumentMut = text.parse().unwrap();
    let get = |key: &str| {
        document
            .get(key)
            .and_then(|item| item.as_str())
            .map(str::to_owned)
    };
    BuildOptions {
        version: get("version").expect("args.toml has a version"),
        date: get("date").expect("args.toml has a date"),
        name: get("name"),
    }
}

fn config(project: &Path) -> TowncrierConfig {
    TowncrierConfig::discover(project)
        .unwrap()
        .expect("the scenario has a towncrier configuration")
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What a build did, in the form of `expected-effects.txt`: the news file, then each fragment
/// removed, sorted.
fn effects(news_file: &Path, fragments: &[PathBuf], project: &Path) -> String {
    let mut removed: Vec<String> = fragments
        .iter()
        .map(|path| relative(path, project))
        .collect();
    removed.sort();
    let mut lines = vec![format!("news {}", relative(news_file, project))];
    lines.extend(removed.into_iter().map(|path| format!("removed {path}")));
    lines.join("\n") + "\n"
}

/// A line diff of two texts with visible line ends, for mismatch messages.
fn diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.split_inclusive('\n').collect();
    let actual: Vec<&str> = actual.split_inclusive('\n').collect();
    // Longest common subsequence table, fine for news files of a few hundred lines.
    let mut table = vec![vec![0usize; actual.len() + 1]; expected.len() + 1];
    for i in (0..expected.len()).rev() {
        for j in (0..actual.len()).rev() {
            table[i][j] = if expected[i] == actual[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    let show = |line: &str| format!("{line:?}");
    while i < expected.len() || j < actual.len() {
        if i < expected.len() && j < actual.len() && expected[i] == actual[j] {
            out.push_str(&format!("  {}\n", show(expected[i])));
            i += 1;
            j += 1;
        } else if j < actual.len() && (i == expected.len() || table[i][j + 1] >= table[i + 1][j]) {
            out.push_str(&format!("+ {}\n", show(actual[j])));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", show(expected[i])));
            i += 1;
        }
    }
    out
}

/// Copies a folder tree, creating entries in name order.
fn copy_tree(from: &Path, to: &Path) {
    fs_err::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = fs_err::read_dir(from)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for entry in entries {
        let target = to.join(entry.file_name().unwrap());
        if entry.is_dir() {
            copy_tree(&entry, &target);
        } else {
            fs_err::copy(&entry, &target).unwrap();
        }
    }
}

#[test]
fn scenarios_match_the_towncrier_oracle() {
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let name = scenario.file_name().unwrap().to_string_lossy().into_owned();
        let project = scenario.join("project");
        let result = build(&config(&project), &build_options(&scenario));
        let built = match result {
            Ok(built) => built,
            Err(error) => {
                failures.push(format!("{name}: {error}"));
                continue;
            }
        };
        let extension = built
            .news_file
            .extension()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let expected =
            fs_err::read_to_string(scenario.join(format!("expected.{extension}"))).unwrap();
        if built.contents != expected {
            failures.push(format!(
                "{name}: news file differs from towncrier's\n{}",
                diff(&expected, &built.contents)
            ));
        }
        let expected_effects =
            fs_err::read_to_string(scenario.join("expected-effects.txt")).unwrap();
        let actual_effects = effects(&built.news_file, &built.fragment_files(), &project);
        if actual_effects != expected_effects {
            failures.push(format!(
                "{name}: effects differ\n{}",
                diff(&expected_effects, &actual_effects)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn write_puts_the_news_file_in_place_and_leaves_fragments() {
    let scenario = scenarios_root().join("md-new-file-orphans");
    let temp = tempfile::tempdir().unwrap();
    copy_tree(&scenario.join("project"), temp.path());
    let built = build(&config(temp.path()), &build_options(&scenario)).unwrap();
    assert_eq!(built.previous, None);
    built.write().unwrap();
    let expected = fs_err::read_to_string(scenario.join("expected.md")).unwrap();
    assert_eq!(
        fs_err::read_to_string(temp.path().join("docs/CHANGELOG.md")).unwrap(),
        expected
    );
    assert!(
        built.fragment_files().iter().all(|path| path.is_file()),
        "fragments are the caller's to remove"
    );
}
