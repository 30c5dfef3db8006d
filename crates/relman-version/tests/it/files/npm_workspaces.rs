//! An npm workspace with one version for all (vue's and lerna's shape): when the root
//! `package.json` moves, the members at its version move with it, their requirements that pin
//! that version follow, and so do `package-lock.json`'s entries, so `npm ci --dry-run` accepts
//! the result; a private member at its own version stays. A member released on its own moves
//! alone, with its own lock entry. A member of a uv workspace moves its entry of the workspace's
//! `uv.lock`.

use std::path::Path;

use relman_version::files::{self, VersionFileSpec, VersionFiles};

use super::{project, write};
use crate::files::ecosystems_support::{has, tool};

fn bump(root: &Path, specs: &[VersionFileSpec], version: &str) -> Vec<String> {
    let read = VersionFiles::read(root, specs).unwrap();
    let edits = read.plan(version).unwrap();
    files::apply(&edits).unwrap();
    edits
        .iter()
        .map(|edit| edit.display_path.display().to_string())
        .collect()
}

fn fixed_workspace() -> tempfile::TempDir {
    project(&[
        (
            "package.json",
            "{\n  \"name\": \"vue-monorepo\",\n  \"private\": true,\n  \"version\": \"3.5.41\",\n  \"workspaces\": [\"packages/*\"]\n}\n",
        ),
        (
            "packages/shared/package.json",
            "{\n  \"name\": \"@vue/shared\",\n  \"version\": \"3.5.41\"\n}\n",
        ),
        (
            "packages/core/package.json",
            "{\n  \"name\": \"@vue/core\",\n  \"version\": \"3.5.41\",\n  \"dependencies\": {\n    \"@vue/shared\": \"3.5.41\"\n  },\n  \"peerDependencies\": {\n    \"@vue/shared\": \"^3.5.41\"\n  }\n}\n",
        ),
        (
            "packages/vue/package.json",
            "{\n  \"name\": \"vue\",\n  \"version\": \"3.5.41\",\n  \"dependencies\": {\n    \"@vue/core\": \"^3.0.0\",\n    \"@vue/shared\": \"3.5.41\"\n  }\n}\n",
        ),
        (
            "packages/test/package.json",
            "{\n  \"name\": \"@vue/runtime-test\",\n  \"private\": true,\n  \"version\": \"0.0.0\",\n  \"devDependencies\": {\n    \"vue\": \"3.5.41\"\n  }\n}\n",
        ),
    ])
}

#[test]
fn a_fixed_version_workspace_moves_together_and_npm_accepts_the_lock() {
    if !has("npm") {
        return;
    }
    let root = fixed_workspace();
    let install = [
        "install",
        "--package-lock-only",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
    ];
    tool(root.path(), "npm", &install).unwrap();
    let ci = ["ci", "--dry-run", "--offline", "--ignore-scripts"];
    tool(root.path(), "npm", &ci).unwrap();

    let edited = bump(
        root.path(),
        &[VersionFileSpec::known("package.json").unwrap()],
        "3.6.0",
    );
    assert_eq!(
        edited,
        [
            "package.json",
            "package-lock.json",
            "packages/core/package.json",
            "packages/shared/package.json",
            "packages/test/package.json",
            "packages/vue/package.json"
        ]
    );
    tool(root.path(), "npm", &ci).unwrap();
    let text = |path: &str| fs_err::read_to_string(root.path().join(path)).unwrap();
    assert!(text("packages/core/package.json").contains("\"@vue/shared\": \"3.6.0\""));
    assert!(text("packages/core/package.json").contains("\"@vue/shared\": \"^3.6.0\""));
    assert!(
        text("packages/vue/package.json").contains("\"@vue/core\": \"^3.0.0\""),
        "a range that allows the new version stays"
    );
    assert!(text("packages/test/package.json").contains("\"version\": \"0.0.0\""));
    assert!(text("packages/test/package.json").contains("\"vue\": \"3.6.0\""));
    // Relock from scratch: npm writes what relman wrote.
    let lock = text("package-lock.json");
    fs_err::remove_file(root.path().join("package-lock.json")).unwrap();
    tool(root.path(), "npm", &install).unwrap();
    assert_eq!(text("package-lock.json"), lock);
}

#[test]
fn a_member_released_on_its_own_moves_alone() {
    if !has("npm") {
        return;
    }
    let root = fixed_workspace();
    let install = [
        "install",
        "--package-lock-only",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
    ];
    tool(root.path(), "npm", &install).unwrap();
    let spec = VersionFileSpec::known("packages/core/package.json")
        .unwrap()
        .alone();
    assert_eq!(
        bump(root.path(), &[spec], "3.5.42"),
        ["packages/core/package.json", "package-lock.json"]
    );
    let lock = fs_err::read_to_string(root.path().join("package-lock.json")).unwrap();
    assert!(
        lock.contains(
            "\"packages/core\": {\n      \"name\": \"@vue/core\",\n      \"version\": \"3.5.42\""
        ),
        "{lock}"
    );
    assert_eq!(
        lock.matches("\"version\": \"3.5.41\"").count(),
        4,
        "the root (twice) and the other members stay"
    );
}

#[test]
fn a_uv_workspace_member_moves_its_entry_of_the_workspace_lock() {
    if !has("uv") {
        return;
    }
    let root = project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"1.0.0\"\nrequires-python = \">=3.8\"\ndependencies = [\"my-lib\"]\n\n[tool.uv.workspace]\nmembers = [\"libs/*\"]\n\n[tool.uv.sources]\nmy-lib = { workspace = true }\n",
        ),
        (
            "libs/my-lib/pyproject.toml",
            "[project]\nname = \"my-lib\"\nversion = \"0.2.0\"\nrequires-python = \">=3.8\"\ndependencies = []\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
        ),
    ]);
    write(root.path(), "app/__init__.py", b"");
    write(root.path(), "libs/my-lib/my_lib/__init__.py", b"");
    tool(root.path(), "uv", &["lock", "--offline"]).unwrap();
    let spec = VersionFileSpec::known("libs/my-lib/pyproject.toml")
        .unwrap()
        .alone();
    assert_eq!(
        bump(root.path(), &[spec], "0.3.0"),
        ["libs/my-lib/pyproject.toml", "uv.lock"]
    );
    tool(root.path(), "uv", &["lock", "--check", "--offline"]).unwrap();
}

/// The lock of pnpm itself, which pnpm 10 and later write as a first YAML document before the
/// project's own (with `importers` of its own).
const PNPM_SELF_LOCK: &str = "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies: {}\n    packageManagerDependencies:\n      pnpm:\n        specifier: 3.5.41\n        version: 3.5.41\n\npackages:\n\n  pnpm@3.5.41:\n    resolution: {integrity: sha512-AAAA}\n    hasBin: true\n\nsnapshots:\n\n  pnpm@3.5.41: {}\n\n";

const PNPM_PROJECT_LOCK: &str = "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  excludeLinksFromLockfile: false\n\nimporters:\n\n  .: {}\n\n  packages/core:\n    dependencies:\n      '@acme/shared':\n        specifier: workspace:^3.5.41\n        version: link:../shared\n\n  packages/shared: {}\n";

fn pnpm_workspace(lock: &str) -> tempfile::TempDir {
    project(&[
        (
            "package.json",
            "{\n  \"name\": \"acme\",\n  \"private\": true,\n  \"version\": \"3.5.41\"\n}\n",
        ),
        ("pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n"),
        (
            "packages/shared/package.json",
            "{\n  \"name\": \"@acme/shared\",\n  \"version\": \"3.5.41\"\n}\n",
        ),
        (
            "packages/core/package.json",
            "{\n  \"name\": \"@acme/core\",\n  \"version\": \"3.5.41\",\n  \"dependencies\": {\n    \"@acme/shared\": \"workspace:^3.5.41\"\n  }\n}\n",
        ),
        ("pnpm-lock.yaml", lock),
    ])
}

#[test]
fn a_pnpm_lock_follows_the_workspace_in_its_last_document() {
    for (lock, what) in [
        (PNPM_PROJECT_LOCK.to_owned(), "one document"),
        (
            format!("{PNPM_SELF_LOCK}---\n{PNPM_PROJECT_LOCK}"),
            "pnpm's own lock first",
        ),
    ] {
        let root = pnpm_workspace(&lock);
        let edited = bump(
            root.path(),
            &[VersionFileSpec::known("package.json").unwrap()],
            "3.6.0",
        );
        assert!(
            edited.contains(&"pnpm-lock.yaml".to_owned()),
            "{what}: {edited:?}"
        );
        let after = fs_err::read_to_string(root.path().join("pnpm-lock.yaml")).unwrap();
        assert_eq!(
            after,
            lock.replace(
                "specifier: workspace:^3.5.41",
                "specifier: workspace:^3.6.0"
            ),
            "{what}: only the project's specifier moves, pnpm's own lock stays"
        );
    }
}
