//! Detection of a project's version files when nothing is configured.

use std::path::Path;

use relman_version::files::{self, Detection, VersionFileSpec};

use super::project;

fn paths(detection: &Detection) -> Vec<String> {
    detection
        .files
        .iter()
        .map(|spec| spec.path().display().to_string())
        .collect()
}

fn detect(files_: &[(&str, &str)]) -> Detection {
    let root = project(files_);
    let detection = files::detect(root.path());
    // Whatever is detected can be read.
    for spec in &detection.files {
        let result = files::read(root.path(), std::slice::from_ref(spec));
        assert!(result.is_ok(), "{}: {:?}", spec.path().display(), result);
    }
    detection
}

#[test]
fn setuptools_project_with_its_package_module() {
    let detection = detect(&[
        (
            "setup.py",
            "setup(\n    name='ciso8601',\n    version='2.1.3',\n)\n",
        ),
        ("ciso8601/__init__.py", "__version__ = '2.1.3'\n"),
        ("tests/__init__.py", "__version__ = '0.0.0'\n"),
    ]);
    assert_eq!(paths(&detection), ["setup.py", "ciso8601/__init__.py"]);
    assert!(detection.python);
    assert_eq!(detection.version_from_tags, None);
}

#[test]
fn source_of_truth_order() {
    let detection = detect(&[
        ("VERSION", "1.0.0\n"),
        ("src/my_pkg/_version.py", "__version__ = \"1.0.0\"\n"),
        (
            "src/my_pkg/__init__.py",
            "from ._version import __version__\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"my-pkg\"\nversion = \"1.0.0\"\n",
        ),
    ]);
    assert_eq!(
        paths(&detection),
        ["pyproject.toml", "src/my_pkg/_version.py", "VERSION"]
    );
}

#[test]
fn dynamic_version_follows_the_build_backend() {
    let hatch = "[project]\nname = \"x\"\ndynamic = [\"version\"]\n\
                 [tool.hatch.version]\npath = \"src/x/__about__.py\"\n";
    let detection = detect(&[
        ("pyproject.toml", hatch),
        ("src/x/__about__.py", "__version__ = \"0.3.0\"\n"),
    ]);
    assert_eq!(paths(&detection), ["src/x/__about__.py"]);

    let setuptools = "[project]\nname = \"x\"\ndynamic = [\"version\"]\n\
                      [tool.setuptools.dynamic]\nversion = { attr = \"x.meta.RELEASE\" }\n";
    let detection = detect(&[
        ("pyproject.toml", setuptools),
        ("src/x/meta.py", "RELEASE = '0.3.0'\n"),
    ]);
    assert_eq!(paths(&detection), ["src/x/meta.py"]);
    let files::VersionFileKind::Pattern(pattern) = detection.files[0].kind() else {
        panic!("{detection:?}");
    };
    assert_eq!(pattern.as_str(), "RELEASE = '{version}'");
}

/// SQLAlchemy's shape: setuptools finds the packages under `lib/`, and the version is the
/// `__version__` of `lib/NAME/__init__.py` (also when `package-dir` says so). A folder that
/// leads out of the repository is never a package root.
#[test]
fn setuptools_packages_under_a_declared_folder_hold_the_attr() {
    for (tool, folder) in [
        (
            "[tool.setuptools.packages.find]\nwhere = [\"lib\"]\n",
            "lib",
        ),
        (
            "[tool.setuptools]\npackage-dir = { \"\" = \"code\" }\n",
            "code",
        ),
    ] {
        let pyproject = format!(
            "[project]\nname = \"gadget\"\ndynamic = [\"version\"]\n{tool}\
             [tool.setuptools.dynamic]\nversion = {{ attr = \"gadget.__version__\" }}\n"
        );
        let module = format!("{folder}/gadget/__init__.py");
        let detection = detect(&[
            ("pyproject.toml", &pyproject),
            (&module, "__version__ = \"2.1.0b4\"\n"),
        ]);
        assert_eq!(paths(&detection), [module.as_str()], "{tool}");
    }
    let outside = "[project]\nname = \"gadget\"\ndynamic = [\"version\"]\n\
                   [tool.setuptools.packages.find]\nwhere = [\"../lib\", \"/lib\"]\n\
                   [tool.setuptools.dynamic]\nversion = { attr = \"gadget.__version__\" }\n";
    let detection = detect(&[("pyproject.toml", outside)]);
    assert!(detection.files.is_empty(), "{detection:?}");
}

/// IPython's shape: the build takes `__version__` from a module that joins it from parts.
#[test]
fn a_version_the_named_module_builds_in_code_is_no_version_file_and_is_said() {
    let pyproject = "[project]\nname = \"shell\"\ndynamic = [\"version\"]\n\
                     [tool.setuptools.dynamic]\nversion = { attr = \"Shell.core.release.__version__\" }\n";
    let module = "_major = 9\n_minor = 17\n_ver = [_major, _minor, 0]\n\
                  __version__ = '.'.join(map(str, _ver))\nif _extra:\n    __version__ = __version__ + _extra\n";
    let detection = detect(&[
        ("pyproject.toml", pyproject),
        ("Shell/__init__.py", ""),
        ("Shell/core/__init__.py", ""),
        ("Shell/core/release.py", module),
    ]);
    assert!(detection.files.is_empty(), "{detection:?}");
    assert_eq!(
        detection.version_in_code.as_deref(),
        Some("Shell/core/release.py")
    );
}

#[test]
fn setup_cfg_attr_points_at_the_module() {
    let detection = detect(&[
        (
            "setup.cfg",
            "[metadata]\nname = pkg\nversion = attr: pkg.__version__\n",
        ),
        ("setup.py", "from setuptools import setup\nsetup()\n"),
        ("pkg/__init__.py", "__version__ = '4.0.0'\n"),
    ]);
    assert_eq!(paths(&detection), ["pkg/__init__.py"]);
}

#[test]
fn version_from_git_tags() {
    let detection = detect(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\ndynamic = [\"version\"]\n[tool.setuptools_scm]\n",
        ),
        (
            "x/_version.py",
            "__version__ = version = '0.1.dev3+g1234567'\n",
        ),
    ]);
    assert!(detection.files.is_empty(), "{detection:?}");
    assert!(detection.python);
    assert_eq!(
        detection.version_from_tags.as_deref(),
        Some("setuptools-scm")
    );
}

#[test]
fn the_single_package_with_a_version() {
    let detection = detect(&[
        (
            "pyproject.toml",
            "[project]\nname = \"distribution-name\"\ndynamic = [\"version\"]\n",
        ),
        ("importname/__init__.py", "__version__ = '1.1.0'\n"),
        ("helpers/__init__.py", "\n"),
        ("docs/__init__.py", "__version__ = '9'\n"),
    ]);
    assert_eq!(paths(&detection), ["importname/__init__.py"]);

    let detection = detect(&[
        ("setup.py", "setup(version=read())\n"),
        ("one/__init__.py", "__version__ = '1.1.0'\n"),
        ("two/__init__.py", "__version__ = '2.0.0'\n"),
    ]);
    assert!(
        detection.files.is_empty(),
        "two candidates, no guess: {detection:?}"
    );
}

#[test]
fn rust_and_node_projects() {
    let detection = detect(&[("Cargo.toml", "[workspace.package]\nversion = \"0.1.0\"\n")]);
    assert_eq!(paths(&detection), ["Cargo.toml"]);
    assert!(!detection.python);

    let detection = detect(&[("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n")]);
    assert!(detection.files.is_empty());

    let detection = detect(&[
        ("package.json", "{\"version\": \"1.0.0\"}"),
        (
            "package-lock.json",
            "{\"version\": \"1.0.0\", \"lockfileVersion\": 3}",
        ),
    ]);
    // The lock file comes along with package.json.
    assert_eq!(paths(&detection), ["package.json"]);
    assert!(!detection.python);
}

#[test]
fn other_ecosystems() {
    let detection = detect(&[
        ("pom.xml", "<project><version>1.0</version></project>"),
        ("gradle.properties", "version=1.0\n"),
        ("Chart.yaml", "version: 1.0\n"),
        ("version.txt", "1.0\n"),
    ]);
    assert_eq!(
        paths(&detection),
        ["Chart.yaml", "pom.xml", "gradle.properties", "version.txt"]
    );
}

#[test]
fn a_broken_manifest_is_proposed_so_its_error_is_seen() {
    let root = project(&[("pyproject.toml", "[project\nversion = \"1.0\"\n")]);
    let detection = files::detect(root.path());
    assert_eq!(paths(&detection), ["pyproject.toml"]);
    let error = files::read(root.path(), &detection.files).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot parse `pyproject.toml` as TOML at 1:"),
        "{error}"
    );
}

#[test]
fn empty_project() {
    let root = tempfile::tempdir().unwrap();
    assert_eq!(files::detect(root.path()), Detection::default());
    assert_eq!(
        files::detect(Path::new("/nonexistent/relman")),
        Detection::default()
    );
    let _ = VersionFileSpec::known("VERSION").unwrap();
}

#[test]
fn placeholder_version_of_poetry_dynamic_versioning_is_not_proposed() {
    let pyproject = "[tool.poetry]\nname = \"x\"\nversion = \"0.0.0\"\n\n\
                     [tool.poetry-dynamic-versioning]\nenable = true\n";
    let detection = detect(&[
        ("pyproject.toml", pyproject),
        ("x/__init__.py", "__version__ = '0.0.0'\n"),
    ]);
    assert!(detection.files.is_empty(), "{detection:?}");
    assert_eq!(
        detection.version_from_tags.as_deref(),
        Some("poetry-dynamic-versioning")
    );
}

#[test]
fn maturin_takes_the_version_from_cargo_toml() {
    let detection = detect(&[
        (
            "pyproject.toml",
            "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"fast\"\n\
             dynamic = [\"version\"]\n",
        ),
        (
            "Cargo.toml",
            "[package]\nname = \"fast\"\nversion = \"0.2.0\"\n",
        ),
        ("python/fast/__init__.py", "from .fast import *\n"),
        ("fast/__init__.py", "__version__ = '0.0.1'  # stale\n"),
    ]);
    assert_eq!(paths(&detection), ["Cargo.toml"]);
    assert!(detection.python);
}

#[test]
fn a_gem_may_keep_its_version_in_a_bare_name_version_file() {
    // Rails' shape: `rails.gemspec` reads `RAILS_VERSION`; a `VERSION` file would come after.
    let detection = detect(&[
        (
            "rails.gemspec",
            "version = File.read(\"RAILS_VERSION\").strip\n",
        ),
        ("RAILS_VERSION", "8.2.0.alpha\n"),
        ("OTHER_VERSION", "1.0.0\n"),
    ]);
    assert_eq!(paths(&detection), ["RAILS_VERSION"]);
    assert!(detection.ruby);
    // The gems below that share it keep it in `MAJOR`/`MINOR`/`TINY`/`PRE` constants.
    let railtie = "module Rails\n  module VERSION\n    MAJOR = 8\n    MINOR = 2\n    TINY  = 0\n    PRE   = \"alpha\"\n\n    STRING = [MAJOR, MINOR, TINY, PRE].compact.join(\".\")\n  end\nend\n";
    let detection = detect(&[
        (
            "rails.gemspec",
            "version = File.read(\"RAILS_VERSION\").strip\n",
        ),
        ("RAILS_VERSION", "8.2.0.alpha\n"),
        ("railties/railties.gemspec", "Gem::Specification.new\n"),
        ("railties/lib/rails/gem_version.rb", railtie),
        ("activejob/activejob.gemspec", "Gem::Specification.new\n"),
        (
            "activejob/lib/active_job/gem_version.rb",
            &railtie.replace("Rails", "ActiveJob"),
        ),
        // No gemspec beside it: not a gem of the project.
        ("tools/lib/x/gem_version.rb", railtie),
    ]);
    assert_eq!(
        paths(&detection),
        [
            "RAILS_VERSION",
            "activejob/lib/active_job/gem_version.rb",
            "railties/lib/rails/gem_version.rb"
        ]
    );
    let root = project(&[
        ("RAILS_VERSION", "8.2.0.alpha\n"),
        ("railties/lib/rails/gem_version.rb", railtie),
    ]);
    let read = files::VersionFiles::read(
        root.path(),
        &detection.files[..1]
            .iter()
            .cloned()
            .chain([VersionFileSpec::new(
                "railties/lib/rails/gem_version.rb",
                files::KnownFormat::RubyGemVersion,
            )])
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(read.agreed().unwrap(), Some("8.2.0.alpha"));
    let edits = read.plan("8.1.3.1").unwrap();
    assert_eq!(
        String::from_utf8(edits[1].after.clone()).unwrap(),
        railtie
            .replace("MINOR = 2", "MINOR = 1")
            .replace("TINY  = 0", "TINY  = 3")
            .replace("\"alpha\"", "\"1\"")
    );
    let edits = read.plan("8.2.0").unwrap();
    assert_eq!(
        String::from_utf8(edits[1].after.clone()).unwrap(),
        railtie.replace("\"alpha\"", "nil")
    );
    assert!(read.plan("8.2.0-rc.1").is_err());
    assert!(!detect(&[("RAILS_VERSION", "8.2.0.alpha\n")]).ruby);
    assert!(paths(&detect(&[("RAILS_VERSION", "8.2.0.alpha\n")])).is_empty());
}

#[test]
fn a_gem_keeps_its_version_in_lib_name_version_rb() {
    let detection = detect(&[
        (
            "acme_widget.gemspec",
            "require_relative \"lib/acme_widget/version\"\nGem::Specification.new do |s|\n  s.name = \"acme_widget\"\n  s.version = AcmeWidget::VERSION\nend\n",
        ),
        (
            "lib/acme_widget/version.rb",
            "module AcmeWidget\n  VERSION = \"6.6.0\".freeze\nend\n",
        ),
        // A dashed gem name is a nested folder.
        ("rack-lint.gemspec", "Gem::Specification.new\n"),
        (
            "lib/rack/lint/version.rb",
            "module Rack; module Lint\n  VERSION = '1.2.0'\nend; end\n",
        ),
        // A version.rb no gemspec names is left alone.
        ("lib/vendored/version.rb", "VERSION = \"0.1.0\"\n"),
    ]);
    assert_eq!(
        paths(&detection),
        ["lib/acme_widget/version.rb", "lib/rack/lint/version.rb"]
    );
    assert!(!detection.python);
    assert!(detection.ruby);
    // Bumped byte-exact: only the version's characters change.
    let root = project(&[(
        "lib/acme_widget/version.rb",
        "module AcmeWidget\n  VERSION = \"6.6.0\".freeze\nend\n",
    )]);
    let spec = VersionFileSpec::new(
        "lib/acme_widget/version.rb",
        files::KnownFormat::RubyVersion,
    );
    let found = files::read(root.path(), std::slice::from_ref(&spec)).unwrap();
    assert_eq!(found[0].value, "6.6.0");
    let edits = files::plan_edits(root.path(), std::slice::from_ref(&spec), "6.7.0").unwrap();
    assert_eq!(
        String::from_utf8(edits[0].after.clone()).unwrap(),
        "module AcmeWidget\n  VERSION = \"6.7.0\".freeze\nend\n"
    );
}

/// A `VERSION` or `version/VERSION` that is a link leading out of the repository is not
/// detected (every command stopped on "outside the work tree" before); a link that stays inside
/// is the file it names.
#[test]
fn a_version_file_linked_out_of_the_repository_is_not_detected() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs_err::write(outside.path().join("VERSION"), "9.9.9\n").unwrap();
    let root = project(&[(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"1.2.0\"\n",
    )]);
    fs_err::create_dir_all(root.path().join("version")).unwrap();
    symlink(outside.path().join("VERSION"), root.path().join("VERSION")).unwrap();
    symlink(
        outside.path().join("VERSION"),
        root.path().join("version/VERSION"),
    )
    .unwrap();
    assert_eq!(paths(&files::detect(root.path())), ["Cargo.toml"]);

    fs_err::remove_file(root.path().join("VERSION")).unwrap();
    fs_err::write(root.path().join("VERSION.txt"), "1.2.0\n").unwrap();
    symlink("VERSION.txt", root.path().join("VERSION")).unwrap();
    assert_eq!(
        paths(&files::detect(root.path())),
        ["Cargo.toml", "VERSION", "VERSION.txt"]
    );
}
