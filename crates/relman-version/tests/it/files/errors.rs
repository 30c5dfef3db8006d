//! What a user sees when a version file is wrong: each message names the file and what was
//! looked for or found, and a hint says what to do where something can be done. Nothing is
//! written when reading or planning fails.

use relman_version::files::{self, FileError, VersionFileSpec};

use super::{project, shown};

fn read_error(files_: &[(&str, &str)], specs: &[VersionFileSpec]) -> FileError {
    let root = project(files_);
    files::read(root.path(), specs).unwrap_err()
}

fn known(path: &str) -> VersionFileSpec {
    VersionFileSpec::known(path).unwrap()
}

#[test]
fn missing_file() {
    let error = read_error(&[], &[known("pkg/__init__.py")]);
    assert_eq!(
        shown(&error),
        "error: version file `pkg/__init__.py` does not exist\n\
         hint: create the file, or remove it from `version-files` in relman.toml"
    );
}

#[test]
fn file_without_a_version() {
    let error = read_error(
        &[("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n")],
        &[known("Cargo.toml")],
    );
    assert_eq!(
        shown(&error),
        "error: `Cargo.toml` does not contain a version (looked for `package.version` or \
         `workspace.package.version`)\n\
         hint: set `version-files` in relman.toml to the file that holds the version"
    );
    let error = read_error(&[("VERSION", "\n")], &[known("VERSION")]);
    assert!(matches!(error, FileError::NoVersion { .. }), "{error}");
    let error = read_error(&[("m.py", "__version__ = get()\n")], &[known("m.py")]);
    assert_eq!(
        error.to_string(),
        "`m.py` does not contain a version (looked for a `__version__ = \"...\"` assignment)"
    );
}

#[test]
fn value_that_is_not_a_version() {
    let error = read_error(&[("VERSION", "latest\n")], &[known("VERSION")]);
    assert_eq!(
        error.to_string(),
        "`VERSION`:1: the whole file holds `latest`, which is not a version"
    );
    let pom = "<project>\n  <version>${revision}</version>\n</project>\n";
    let error = read_error(&[("pom.xml", pom)], &[known("pom.xml")]);
    assert_eq!(
        shown(&error),
        "error: `pom.xml`:2: `project/version` holds `${revision}`, which is not a version\n\
         hint: the version is a property: point a pattern at its definition, e.g. \
         { path = \"pom.xml\", pattern = \"<revision>{version}</revision>\" }"
    );
}

#[test]
fn cargo_member_that_inherits_its_version() {
    let member = "[package]\nname = \"a\"\nversion.workspace = true\n";
    let error = read_error(
        &[("crates/a/Cargo.toml", member)],
        &[known("crates/a/Cargo.toml")],
    );
    assert_eq!(
        shown(&error),
        "error: `crates/a/Cargo.toml` does not hold the version itself: `version.workspace = \
         true` takes the version from the workspace\n\
         hint: list the workspace's root `Cargo.toml` in `version-files` in relman.toml instead"
    );
}

#[test]
fn pyproject_with_a_dynamic_version_says_where_it_is() {
    let pyproject = "[project]\nname = \"x\"\ndynamic = [\"version\"]\n\n\
                     [tool.hatch.version]\npath = \"src/x/__about__.py\"\n";
    let error = read_error(&[("pyproject.toml", pyproject)], &[known("pyproject.toml")]);
    assert_eq!(
        error.hint().unwrap(),
        "list `src/x/__about__.py` in `version-files` in relman.toml instead"
    );
    let scm = "[project]\nname = \"x\"\ndynamic = [\"version\"]\n[tool.setuptools_scm]\n";
    let error = read_error(&[("pyproject.toml", scm)], &[known("pyproject.toml")]);
    assert_eq!(
        shown(&error),
        "error: `pyproject.toml` takes the version from git tags (setuptools-scm)\n\
         hint: set `version-files = []` in relman.toml: relman then reads the version from the \
         newest release tag"
    );
}

#[test]
fn key_missing_names_key_and_file() {
    let chart = "apiVersion: v2\nname: x\nversion: 1.0.0\n";
    let specs = [VersionFileSpec::key("chart/Chart.yaml", "appVersion").unwrap()];
    let error = read_error(&[("chart/Chart.yaml", chart)], &specs);
    assert_eq!(
        shown(&error),
        "error: key `appVersion` not found in `chart/Chart.yaml`\n\
         hint: check the key's spelling and nesting (keys are dotted: `a.b.c`)"
    );
    for (path, content) in [
        ("a.toml", "[tool]\nx = 1\n"),
        ("a.json", "{\"tool\": {}}"),
        ("a.properties", "x=1\n"),
    ] {
        let specs = [VersionFileSpec::key(path, "tool.version").unwrap()];
        let error = read_error(&[(path, content)], &specs);
        assert_eq!(
            error.to_string(),
            format!("key `tool.version` not found in `{path}`")
        );
    }
}

#[test]
fn key_holding_something_else() {
    let specs = [VersionFileSpec::key("a.yaml", "image").unwrap()];
    let error = read_error(&[("a.yaml", "image:\n  tag: 1.0\n")], &specs);
    assert_eq!(
        error.to_string(),
        "`a.yaml`:1: `image` holds a mapping, not a version string"
    );
    let error = read_error(
        &[("package.json", "{\"version\": 1}")],
        &[known("package.json")],
    );
    assert_eq!(
        error.to_string(),
        "`package.json`:1: `version` holds the number `1`, not a version string"
    );
}

#[test]
fn bad_patterns() {
    let error = VersionFileSpec::pattern("v.txt", "version").unwrap_err();
    assert_eq!(
        shown(&error),
        "error: the pattern `version` for `v.txt` must contain `{version}` exactly once, not 0 \
         times\nhint: write `{version}` once where the version stands"
    );
    let error = VersionFileSpec::pattern("v.txt", "{version}-{version}").unwrap_err();
    assert!(matches!(
        error,
        FileError::PatternPlaceholder { count: 2, .. }
    ));

    let spec = VersionFileSpec::pattern("v.txt", "v = \"{version}\"").unwrap();
    let error = read_error(&[("v.txt", "v = '1.0'\n")], std::slice::from_ref(&spec));
    assert_eq!(
        shown(&error),
        "error: the pattern `v = \"{version}\"` does not match `v.txt`\n\
         hint: the pattern is matched literally, spaces and quotes included: copy it from the file"
    );
    let error = read_error(&[("v.txt", "v = \"1.0\"\n\nv = \"1.0\"\n")], &[spec]);
    assert_eq!(
        error.to_string(),
        "the pattern `v = \"{version}\"` matches `v.txt` 2 times (lines 1, 3), expected exactly once"
    );
}

#[test]
fn setup_py_with_zero_or_several_versions() {
    let error = read_error(
        &[("setup.py", "setup(version=v())\n")],
        &[known("setup.py")],
    );
    assert!(matches!(error, FileError::NoVersion { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("`setup.py` does not contain a version")
    );
    let two = "__version__ = '1.0'\nsetup(\n    version=\"1.0\",\n)\n";
    let error = read_error(&[("setup.py", two)], &[known("setup.py")]);
    assert_eq!(
        error.to_string(),
        "`setup.py`: a `version=` keyword or `VERSION`/`__version__` assignment found 2 times \
         (lines 1, 3), expected exactly once"
    );
    assert!(error.hint().is_some());
}

#[test]
fn unparsable_documents_give_line_and_column() {
    let cases = [
        ("Cargo.toml", "[package]\nversion = = \"1.0\"\n", "TOML", 2),
        (
            "package.json",
            "{\n  \"version\": \"1.0\"\n  \"x\": [1,\n}\n",
            "JSON",
            4,
        ),
        (
            "Chart.yaml",
            "apiVersion: v2\nmeta:\n\tversion: 1.0\n",
            "YAML",
            3,
        ),
        ("pom.xml", "<project>\n<version>1.0</project>\n", "XML", 2),
    ];
    for (path, content, format, line) in cases {
        let error = read_error(&[(path, content)], &[known(path)]);
        let FileError::Parse {
            line: got,
            column,
            format: got_format,
            ..
        } = &error
        else {
            panic!("{path}: {error}");
        };
        assert_eq!((*got_format, *got), (format, line), "{path}: {error}");
        assert!(*column >= 1);
        let message = error.to_string();
        let prefix = format!("cannot parse `{path}` as {format} at {line}:{column}: ");
        assert!(message.starts_with(&prefix), "{message}");
    }
}

#[test]
fn non_utf8_file() {
    let root = tempfile::tempdir().unwrap();
    super::write(root.path(), "VERSION", b"1.0\xff\n");
    let error = files::read(root.path(), &[known("VERSION")]).unwrap_err();
    assert_eq!(error.to_string(), "`VERSION` is not UTF-8 text");
}

#[test]
fn unknown_formats_and_key_files() {
    let error = VersionFileSpec::known("chart/values.yaml").unwrap_err();
    assert_eq!(
        shown(&error),
        "error: relman does not know where `chart/values.yaml` holds its version\n\
         hint: describe it in `version-files`: { path = \"chart/values.yaml\", pattern = \
         '...{version}...' } or { path = \"chart/values.yaml\", key = \"dotted.key\" }"
    );
    let error = VersionFileSpec::key("setup.cfg", "metadata.version").unwrap_err();
    assert!(matches!(error, FileError::KeyFormat { .. }), "{error}");
}

#[test]
fn disagreeing_files_are_all_listed_and_nothing_is_written() {
    let files_ = [
        ("setup.py", "setup(version='2.1.3')\n"),
        ("ciso8601/__init__.py", "__version__ = \"2.1.2\"\n"),
        ("VERSION", "2.1.3\n"),
    ];
    let root = project(&files_);
    let specs = [
        known("setup.py"),
        known("ciso8601/__init__.py"),
        known("VERSION"),
    ];
    let error = files::plan_edits(root.path(), &specs, "2.2.0").unwrap_err();
    assert_eq!(
        shown(&error),
        "error: version files disagree:\n  \
           setup.py:1: 2.1.3 (`version=`)\n  \
           ciso8601/__init__.py:1: 2.1.2 (`__version__`)\n  \
           VERSION:1: 2.1.3 (the whole file)\n\
         hint: make every file hold the same version, or remove the stale one from \
         `version-files` in relman.toml"
    );
    let FileError::Disagree { found } = error else {
        unreachable!()
    };
    assert_eq!(found.len(), 3);
    for (path, content) in files_ {
        assert_eq!(
            fs_err::read_to_string(root.path().join(path)).unwrap(),
            content
        );
    }
    // The caller may decide the values agree (compared as parsed versions) and plan anyway.
    let read = files::VersionFiles::read(root.path(), &specs).unwrap();
    assert!(read.agreed().is_err());
    assert_eq!(read.plan("2.2.0").unwrap().len(), 3);
}

#[test]
fn agreement_is_textual_after_trimming() {
    let root = project(&[("VERSION", " 1.0\n"), ("m.py", "__version__ = '1.0'\n")]);
    let specs = [known("VERSION"), known("m.py")];
    let read = files::VersionFiles::read(root.path(), &specs).unwrap();
    assert_eq!(read.agreed().unwrap(), Some("1.0"));
    assert_eq!(files::check_agreement(&[]).unwrap(), None);
}

#[test]
fn new_version_that_cannot_be_written_verbatim() {
    let root = project(&[("VERSION", "1.0\n")]);
    let error = files::plan_edits(root.path(), &[known("VERSION")], "1.1\"; rm").unwrap_err();
    assert!(
        matches!(error, FileError::InvalidNewVersion { .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("`1.1\"; rm` cannot be written as a version")
    );
}

#[test]
fn specs_selecting_overlapping_text() {
    let root = project(&[("v.txt", "a\nx = \"1.2.3\"\n")]);
    let specs = [
        VersionFileSpec::pattern("v.txt", "x = \"{version}\"").unwrap(),
        VersionFileSpec::pattern("v.txt", "\"1.{version}\"").unwrap(),
    ];
    let read = files::VersionFiles::read(root.path(), &specs).unwrap();
    let values: Vec<&str> = read
        .found()
        .iter()
        .map(|found| found.value.as_str())
        .collect();
    assert_eq!(values, ["1.2.3", "2.3"]);
    let error = read.plan("1.2.4").unwrap_err();
    assert_eq!(
        error.to_string(),
        "`v.txt`:2: two version file specs select overlapping text"
    );
}

#[test]
fn unreadable_file() {
    let root = tempfile::tempdir().unwrap();
    fs_err::create_dir_all(root.path().join("VERSION")).unwrap();
    let error = files::read(root.path(), &[known("VERSION")]).unwrap_err();
    assert!(matches!(error, FileError::Read { .. }), "{error}");
    let message = error.to_string();
    assert!(message.starts_with("cannot read `VERSION`: "), "{message}");
    assert!(
        !message.contains(&root.path().display().to_string()),
        "{message}"
    );
}
