//! Ecosystem files move together and stay consistent for the ecosystem's own tool: a Cargo
//! workspace (members, internal requirements, `Cargo.lock`) checked with `cargo metadata --locked
//! --offline`, a binary crate with its `Cargo.lock`, and a `pyproject.toml` with its `uv.lock`
//! checked with `uv lock --check`. The shapes are those of real repositories (prost's shared
//! workspace version, ripgrep's per-crate versions beside the binary's, ruff's maturin crate).

use std::path::Path;
use std::process::Command;

use relman_version::files::{self, VersionFileSpec, VersionFiles};

use super::{project, write};

/// Runs a tool in `dir` offline; `Ok(())` or its stderr.
pub fn tool(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env("UV_OFFLINE", "1")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap_or_else(|error| panic!("{program} did not start: {error}"));
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn cargo_locked(dir: &Path) -> Result<(), String> {
    tool(
        dir,
        "cargo",
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    )
}

/// Plans and applies a bump of the version files `specs` to `version`.
fn bump(root: &Path, specs: &[&str], version: &str) -> Vec<String> {
    let specs: Vec<VersionFileSpec> = specs
        .iter()
        .map(|path| VersionFileSpec::known(*path).unwrap())
        .collect();
    let read = VersionFiles::read(root, &specs).unwrap();
    let edits = read.plan(version).unwrap();
    files::apply(&edits).unwrap();
    edits
        .iter()
        .map(|edit| edit.display_path.display().to_string())
        .collect()
}

/// prost's shape: `[workspace.package] version`, members inheriting it or carrying it, internal
/// requirements through `path`, one member at its own version, and a `Cargo.lock`.
fn workspace() -> tempfile::TempDir {
    project(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/skip\"]\nresolver = \"2\"\n\n\
             [workspace.package]\nversion = \"2.13.1\" # the release\nedition = \"2021\"\n\n\
             [workspace.dependencies]\ncore = { version = \"=2.13.1\", path = \"crates/core\" }\n",
        ),
        (
            "crates/core/Cargo.toml",
            "[package]\nname = \"core\"\nversion.workspace = true\nedition.workspace = true\n",
        ),
        ("crates/core/src/lib.rs", ""),
        (
            "crates/cli/Cargo.toml",
            "[package]\nname = \"cli\"\nversion = \"2.13.1\"\nedition = \"2021\"\n\n\
             [dependencies]\ncore = { workspace = true }\nlib = { path = \"../lib\", version = \"0.4.2\" }\n\n\
             [target.'cfg(unix)'.dev-dependencies]\ncore = { version = \"2.13.1\", path = \"../core\" }\n",
        ),
        ("crates/cli/src/lib.rs", ""),
        (
            "crates/lib/Cargo.toml",
            "[package]\nname = \"lib\"\nversion = \"0.4.2\"\nedition = \"2021\"\n\n\
             [dependencies]\ncore = { version = \"^2.13.1\", path = \"../core\" }\n",
        ),
        ("crates/lib/src/lib.rs", ""),
        (
            "crates/skip/Cargo.toml",
            "[package]\nname = \"skip\"\nversion = \"2.13.1\"\n",
        ),
    ])
}

#[test]
fn a_workspace_moves_together_and_cargo_accepts_the_lock() {
    if !relman_testkit_like::has("cargo") {
        return;
    }
    let root = workspace();
    tool(root.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    cargo_locked(root.path()).unwrap();
    let lock_before = fs_err::read_to_string(root.path().join("Cargo.lock")).unwrap();

    let edited = bump(root.path(), &["Cargo.toml"], "2.14.0");
    assert_eq!(
        edited,
        [
            "Cargo.toml",
            "crates/cli/Cargo.toml",
            "crates/lib/Cargo.toml",
            "Cargo.lock"
        ]
    );
    cargo_locked(root.path()).unwrap();
    let text = |path: &str| fs_err::read_to_string(root.path().join(path)).unwrap();
    assert!(text("Cargo.toml").contains("version = \"2.14.0\" # the release\n"));
    assert!(
        text("Cargo.toml").contains("core = { version = \"=2.14.0\", path = \"crates/core\" }")
    );
    assert!(text("crates/cli/Cargo.toml").contains("version = \"2.14.0\"\nedition"));
    assert!(
        text("crates/cli/Cargo.toml").contains("lib = { path = \"../lib\", version = \"0.4.2\" }"),
        "a member at its own version stays"
    );
    assert!(
        text("crates/cli/Cargo.toml")
            .contains("core = { version = \"2.14.0\", path = \"../core\" }")
    );
    assert!(text("crates/lib/Cargo.toml").contains("version = \"0.4.2\"\nedition"));
    assert!(text("crates/lib/Cargo.toml").contains("core = { version = \"^2.14.0\""));
    assert!(
        text("crates/skip/Cargo.toml").contains("2.13.1"),
        "excluded"
    );
    // The lock changed only in the moving crates' versions.
    let lock = text("Cargo.lock");
    assert_eq!(
        lock.replace("2.14.0", "2.13.1"),
        lock_before,
        "byte-exact: only the versions changed"
    );
    assert_eq!(lock.matches("version = \"2.14.0\"").count(), 2, "{lock}");
}

#[test]
fn editing_only_the_root_would_break_the_lock() {
    // The oracle can fail: the same bump without the companions is refused by cargo.
    if !relman_testkit_like::has("cargo") {
        return;
    }
    let root = workspace();
    tool(root.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    let manifest = root.path().join("Cargo.toml");
    let text = fs_err::read_to_string(&manifest).unwrap();
    fs_err::write(&manifest, text.replace("2.13.1\" # the", "2.14.0\" # the")).unwrap();
    assert!(cargo_locked(root.path()).is_err());
}

#[test]
fn a_binary_crate_moves_its_lock() {
    if !relman_testkit_like::has("cargo") {
        return;
    }
    let root = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"tool\"\nversion = \"15.1.0\"  #:version\nedition = \"2021\"\n",
        ),
        ("src/main.rs", "fn main() {}\n"),
    ]);
    tool(root.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    assert_eq!(
        bump(root.path(), &["Cargo.toml"], "15.2.0"),
        ["Cargo.toml", "Cargo.lock"]
    );
    cargo_locked(root.path()).unwrap();
    let manifest = fs_err::read_to_string(root.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"15.2.0\"  #:version\n"));
}

#[test]
fn a_member_version_file_moves_the_workspace_around_it() {
    // ruff's shape: maturin builds `crates/app`, the workspace root has no version of its own,
    // two other members carry the release version and the root's dependency table names them.
    if !relman_testkit_like::has("cargo") {
        return;
    }
    let root = project(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.dependencies]\n\
             app = { version = \"0.16.4\", path = \"crates/app\" }\nlinter = { version = \"0.16.4\", path = \"crates/linter\" }\n\
             util = { version = \"0.0.10\", path = \"crates/util\" }\n",
        ),
        (
            "crates/app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.16.4\"\nedition = \"2021\"\n\n[dependencies]\nlinter = { workspace = true }\nutil = { workspace = true }\n",
        ),
        ("crates/app/src/lib.rs", ""),
        (
            "crates/linter/Cargo.toml",
            "[package]\nname = \"linter\"\nversion = \"0.16.4\"\nedition = \"2021\"\n",
        ),
        ("crates/linter/src/lib.rs", ""),
        (
            "crates/util/Cargo.toml",
            "[package]\nname = \"util\"\nversion = \"0.0.10\"\nedition = \"2021\"\n",
        ),
        ("crates/util/src/lib.rs", ""),
    ]);
    tool(root.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    let edited = bump(root.path(), &["crates/app/Cargo.toml"], "0.17.0");
    assert_eq!(
        edited,
        [
            "crates/app/Cargo.toml",
            "Cargo.toml",
            "crates/linter/Cargo.toml",
            "Cargo.lock"
        ]
    );
    cargo_locked(root.path()).unwrap();
    let util = fs_err::read_to_string(root.path().join("crates/util/Cargo.toml")).unwrap();
    assert!(util.contains("0.0.10"));
}

#[test]
fn a_pyproject_moves_its_own_uv_lock_entry() {
    if !relman_testkit_like::has("uv") {
        return;
    }
    let root = project(&[(
        "pyproject.toml",
        "[project]\nname = \"My_Tool\"\nversion = \"8.5.0.dev\"\nrequires-python = \">=3.8\"\ndependencies = []\n",
    )]);
    write(root.path(), "my_tool/__init__.py", b"");
    tool(root.path(), "uv", &["lock", "--offline"]).unwrap();
    tool(root.path(), "uv", &["lock", "--check", "--offline"]).unwrap();
    assert_eq!(
        bump(root.path(), &["pyproject.toml"], "8.5.0"),
        ["pyproject.toml", "uv.lock"]
    );
    tool(root.path(), "uv", &["lock", "--check", "--offline"]).unwrap();
}

/// The tool lookup of `relman_testkit`, which this crate does not depend on.
pub mod relman_testkit_like {
    #[allow(clippy::print_stdout, reason = "the skip notice is the test's output")]
    pub fn has(name: &str) -> bool {
        let found = std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()));
        if !found {
            if std::env::var_os("RELMAN_TEST_REQUIRE_TOOLS").is_some_and(|value| value == "1") {
                panic!("{name} is not installed, and RELMAN_TEST_REQUIRE_TOOLS=1 requires it");
            }
            println!("skipped: {name} not installed");
        }
        found
    }
}

/// Rails' shape: `RAILS_VERSION` holds the gem's version and the npm package beside it npm's
/// spelling of it (`8.2.0-alpha`, `8.1.301`). Read, they agree on the gem's version; written,
/// each keeps its spelling, and a package that shows the plain form (`1.2.3`) keeps it.
#[test]
fn an_npm_package_spells_the_gem_s_version_as_npm_reads_it() {
    use relman_version::files::Spelling;
    let manifest = |version: &str| {
        format!("{{\n  \"name\": \"@rails/cable\",\n  \"version\": \"{version}\"\n}}\n")
    };
    let specs = [
        VersionFileSpec::known("RAILS_VERSION").unwrap(),
        VersionFileSpec::known("cable/package.json")
            .unwrap()
            .spelt(Spelling::NpmOfGem),
    ];
    let cases = [
        ("8.2.0.alpha", "8.2.0-alpha", "8.2.0.beta1", "8.2.0-beta1"),
        ("8.1.3.1", "8.1.301", "8.1.3.2", "8.1.302"),
        ("8.1.0", "8.1.0", "8.1.1", "8.1.100"),
        ("8.1.3.1", "8.1.301", "8.1.4", "8.1.400"),
        ("1.2.3", "1.2.3", "1.2.4", "1.2.4"),
        (
            "5.0.0.beta1",
            "5.0.0-beta1",
            "5.0.0.beta1.1",
            "5.0.0-beta1-1",
        ),
    ];
    for (gem, npm, next_gem, next_npm) in cases {
        let root = project(&[
            ("RAILS_VERSION", &format!("{gem}\n")),
            ("cable/package.json", &manifest(npm)),
        ]);
        let read = VersionFiles::read(root.path(), &specs).unwrap();
        assert_eq!(read.agreed().unwrap(), Some(gem), "{gem}");
        assert_eq!(
            read.found()[1].spelt.as_deref(),
            (gem != npm).then_some(npm)
        );
        files::apply(&read.plan(next_gem).unwrap()).unwrap();
        let written = fs_err::read_to_string(root.path().join("cable/package.json")).unwrap();
        assert_eq!(written, manifest(next_npm), "{gem} → {next_gem}");
        let again = VersionFiles::read(root.path(), &specs).unwrap();
        assert_eq!(again.agreed().unwrap(), Some(next_gem));
    }
    // A version npm cannot hold is refused before anything is written.
    let root = project(&[
        ("RAILS_VERSION", "1.2.3\n"),
        ("cable/package.json", &manifest("1.2.3")),
    ]);
    let read = VersionFiles::read(root.path(), &specs).unwrap();
    assert!(matches!(
        read.plan("1.2.3.1"),
        Err(files::FileError::InvalidNewVersion { .. })
    ));
    // A package at another version disagrees, and says what it holds.
    let root = project(&[
        ("RAILS_VERSION", "8.2.0.alpha\n"),
        ("cable/package.json", &manifest("7.0.0")),
    ]);
    let read = VersionFiles::read(root.path(), &specs).unwrap();
    assert!(read.agreed().is_err());
}
