//! Every format, edited byte for byte: each case under `tests/data/files/CASE/` has a `before/`
//! project and an `after/` folder with the files the edit must produce, exactly. Each case runs
//! four times: as written, with CRLF line endings, without a final newline, and with a BOM.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use relman_version::files::{self, VersionFileSpec};

use super::data;

#[derive(Debug, Clone, Copy)]
enum Variant {
    AsWritten,
    Crlf,
    NoFinalNewline,
    Bom,
}

impl Variant {
    const ALL: [Self; 4] = [Self::AsWritten, Self::Crlf, Self::NoFinalNewline, Self::Bom];

    fn apply(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Self::AsWritten => bytes.to_vec(),
            Self::Crlf => {
                let text = String::from_utf8(bytes.to_vec()).unwrap();
                assert!(!text.contains('\r'), "fixtures are written with LF");
                text.replace('\n', "\r\n").into_bytes()
            }
            Self::NoFinalNewline => {
                let mut bytes = bytes.to_vec();
                while bytes.last() == Some(&b'\n') {
                    bytes.pop();
                }
                bytes
            }
            Self::Bom => [b"\xEF\xBB\xBF".as_slice(), bytes].concat(),
        }
    }
}

/// Every file under `dir`, by path relative to it.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in fs_err::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_owned();
                files.insert(relative, fs_err::read(&path).unwrap());
            }
        }
    }
    files
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs one case in every variant: read, agree, plan, apply, read again.
fn check(case: &str, specs: &[VersionFileSpec], old: &str, new: &str) {
    let before = tree(&data(case).join("before"));
    let after = tree(&data(case).join("after"));
    for variant in Variant::ALL {
        let root = tempfile::tempdir().unwrap();
        for (path, bytes) in &before {
            super::write(root.path(), path.to_str().unwrap(), &variant.apply(bytes));
        }

        let found = files::read(root.path(), specs).unwrap();
        assert!(!found.is_empty(), "{case} {variant:?}: nothing found");
        for item in &found {
            assert_eq!(item.value, old, "{case} {variant:?}: {item}");
        }
        assert_eq!(files::check_agreement(&found).unwrap(), Some(old));

        let edits = files::plan_edits(root.path(), specs, new).unwrap();
        let edited: Vec<&Path> = edits
            .iter()
            .map(|edit| edit.display_path.as_path())
            .collect();
        let expected: Vec<&Path> = after.keys().map(PathBuf::as_path).collect();
        let mut sorted = edited.clone();
        sorted.sort();
        assert_eq!(sorted, expected, "{case} {variant:?}: edited files");
        for edit in &edits {
            let want = variant.apply(&after[&edit.display_path]);
            assert!(
                edit.after == want,
                "{case} {variant:?}: {} differs\n--- expected\n{}\n--- actual\n{}\n---",
                edit.display_path.display(),
                text(&want),
                text(&edit.after)
            );
            assert_eq!(edit.before, variant.apply(&before[&edit.display_path]));
        }
        // Planning wrote nothing.
        for (path, bytes) in &before {
            assert_eq!(
                fs_err::read(root.path().join(path)).unwrap(),
                variant.apply(bytes)
            );
        }

        files::apply(&edits).unwrap();
        let written = tree(root.path());
        let want: BTreeMap<PathBuf, Vec<u8>> = before
            .iter()
            .map(|(path, bytes)| {
                let bytes = after.get(path).unwrap_or(bytes);
                (path.clone(), variant.apply(bytes))
            })
            .collect();
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{case} {variant:?}: a temporary file was left behind"
        );
        assert!(written == want, "{case} {variant:?}: files on disk differ");

        let again = files::read(root.path(), specs).unwrap();
        assert_eq!(again.len(), found.len());
        assert!(
            again.iter().all(|item| item.value == new),
            "{case} {variant:?}: {again:?}"
        );
        // Applying the same edits again finds them done and changes nothing.
        files::apply(&edits).unwrap();
        assert!(tree(root.path()) == want);
    }
}

fn known(paths: &[&str]) -> Vec<VersionFileSpec> {
    paths
        .iter()
        .map(|path| VersionFileSpec::known(*path).unwrap())
        .collect()
}

#[test]
fn cargo_package_keeps_the_comment_on_the_version_line() {
    check("cargo-package", &known(&["Cargo.toml"]), "0.4.1", "0.5.0");
}

#[test]
fn cargo_workspace_edits_workspace_package_version() {
    check("cargo-workspace", &known(&["Cargo.toml"]), "2.3.0", "2.4.0");
}

#[test]
fn pyproject_project_version() {
    check(
        "pyproject-project",
        &known(&["pyproject.toml"]),
        "1.2.3",
        "1.3.0a0",
    );
}

#[test]
fn pyproject_poetry_version_in_single_quotes() {
    check(
        "pyproject-poetry",
        &known(&["pyproject.toml"]),
        "0.9.0",
        "0.10.0",
    );
}

#[test]
fn pyproject_poetry_version_as_a_key_file() {
    let specs = [VersionFileSpec::key("pyproject.toml", "tool.poetry.version").unwrap()];
    check("pyproject-poetry", &specs, "0.9.0", "0.10.0");
}

#[test]
fn setup_py_keyword() {
    check("setup-py-keyword", &known(&["setup.py"]), "1.2.3", "1.2.4");
}

#[test]
fn setup_py_assignment_and_package_module() {
    let specs = known(&["setup.py", "ciso8601/__init__.py"]);
    check("setup-py-and-module", &specs, "2.1.3", "2.2.0");
}

#[test]
fn setup_cfg_metadata_version() {
    check("setup-cfg", &known(&["setup.cfg"]), "1.2.3", "1.2.4.dev0");
}

#[test]
fn package_json_with_its_lock_in_two_places() {
    check("package-json", &known(&["package.json"]), "1.2.3", "2.0.0");
}

#[test]
fn package_lock_listed_explicitly_is_read_once() {
    check(
        "package-json",
        &known(&["package.json", "package-lock.json"]),
        "1.2.3",
        "2.0.0",
    );
    // `./package-lock.json` is the companion file itself: it is not read a second time.
    let root = data("package-json").join("before");
    let found = files::read(&root, &known(&["package.json", "./package-lock.json"])).unwrap();
    let places: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        places,
        [
            "package.json:3: 1.2.3 (`version`)",
            "./package-lock.json:3: 1.2.3 (`version`)",
            "./package-lock.json:9: 1.2.3 (`packages[\"\"].version`)",
        ]
    );
}

#[test]
fn chart_version() {
    check("chart", &known(&["Chart.yaml"]), "0.1.9", "0.1.10");
}

#[test]
fn chart_app_version_stays_a_quoted_string() {
    let specs = [VersionFileSpec::key("chart/Chart.yaml", "appVersion").unwrap()];
    check("chart-app-version", &specs, "1.10", "1.11");
}

#[test]
fn pom_project_version_not_parent_or_dependency() {
    check("pom", &known(&["pom.xml"]), "1.2.3", "1.3.0-SNAPSHOT");
}

#[test]
fn gradle_properties_version() {
    check(
        "gradle-properties",
        &known(&["gradle.properties"]),
        "1.2.3",
        "1.2.4",
    );
}

#[test]
fn plain_version_file() {
    check("plain-version", &known(&["VERSION"]), "1.2.3", "1.2.4");
}

#[test]
fn pattern_files_replace_only_the_placeholder() {
    let specs = [
        VersionFileSpec::pattern("version.go", "const Version = \"{version}\"").unwrap(),
        VersionFileSpec::pattern("docs/conf.txt", "release = ({version})*").unwrap(),
    ];
    check("pattern", &specs, "1.2.3", "1.2.4");
}

#[test]
fn key_files_in_toml_json_and_yaml() {
    let specs = [
        VersionFileSpec::key("tool.toml", "tool.bumpversion.current_version").unwrap(),
        VersionFileSpec::key("app.json", "expo.version").unwrap(),
        VersionFileSpec::key("values.yaml", "image.tag").unwrap(),
        VersionFileSpec::key("values.yaml", "version").unwrap(),
    ];
    check("key-files", &specs, "1.2.3", "1.3.0");
}

#[test]
fn two_specs_on_one_place_edit_it_once() {
    let specs = [
        VersionFileSpec::known("Chart.yaml").unwrap(),
        VersionFileSpec::key("Chart.yaml", "version").unwrap(),
    ];
    check("chart", &specs, "0.1.9", "0.1.10");
}

#[test]
fn unchanged_version_plans_no_edit() {
    let root = data("cargo-package").join("before");
    let edits = files::plan_edits(&root, &known(&["Cargo.toml"]), "0.4.1").unwrap();
    assert!(edits.is_empty(), "{edits:?}");
}
