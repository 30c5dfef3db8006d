//! The packages manifests declare: Cargo workspace members named from their manifests, npm and
//! pnpm workspaces (globs, negations, scoped names, private packages), uv workspaces and Go
//! modules with their sibling `require` lines, each with its dependencies on the others.

use std::path::PathBuf;

use relman_version::workspace::{self, DependencyKind, Ecosystem, Member};

use crate::files::project;

fn summary(members: &[Member]) -> Vec<String> {
    members
        .iter()
        .map(|member| {
            let dependencies: Vec<String> = member
                .dependencies
                .iter()
                .map(|dependency| {
                    format!(
                        "{}{}",
                        dependency.name,
                        dependency
                            .requirement
                            .as_ref()
                            .map(|requirement| format!(" {requirement}"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            format!(
                "{} {} {} {}{}{} [{}]",
                member.ecosystem.as_str(),
                member.name,
                member.path.display(),
                member.version.as_deref().unwrap_or("-"),
                if member.inherits_version {
                    " inherited"
                } else {
                    ""
                },
                if member.private { " private" } else { "" },
                dependencies.join(", ")
            )
        })
        .collect()
}

#[test]
fn cargo_members_are_named_by_their_manifests() {
    let root = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"ripgrep\"\nversion = \"15.2.0\"\n\n[dependencies]\ngrep = { version = \"0.4.1\", path = \"crates/grep\" }\nserde = \"1\"\n\n[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/old\"]\n\n[workspace.package]\nversion = \"9.9.9\"\n\n[workspace.dependencies]\ngrep-searcher = { version = \"0.1.16\", path = \"crates/searcher\" }\n",
        ),
        (
            "crates/grep/Cargo.toml",
            "[package]\nname = \"grep\"\nversion = \"0.4.1\"\n\n[dependencies]\ngrep-searcher.workspace = true\n\n[dev-dependencies]\nsearcher2 = { package = \"grep-searcher\", path = \"../searcher\", version = \"=0.1.16\" }\n",
        ),
        (
            "crates/searcher/Cargo.toml",
            "[package]\nname = \"grep-searcher\"\nversion = \"0.1.16\"\n",
        ),
        (
            "crates/xtask/Cargo.toml",
            "[package]\nname = \"xtask\"\nversion.workspace = true\npublish = false\n",
        ),
        (
            "crates/old/Cargo.toml",
            "[package]\nname = \"old\"\nversion = \"1.0.0\"\n",
        ),
    ]);
    let found = workspace::discover(root.path());
    assert_eq!(
        summary(&found.members),
        [
            "cargo ripgrep  15.2.0 [grep 0.4.1]",
            "cargo grep crates/grep 0.4.1 [grep-searcher 0.1.16, grep-searcher =0.1.16]",
            "cargo grep-searcher crates/searcher 0.1.16 []",
            "cargo xtask crates/xtask 9.9.9 inherited private []",
        ]
    );
    assert_eq!(
        found.member("grep").unwrap().dependencies[1].kind,
        DependencyKind::Development
    );
    assert_eq!(
        found.member("grep-searcher").unwrap().manifest,
        PathBuf::from("crates/searcher/Cargo.toml")
    );
}

#[test]
fn npm_and_pnpm_workspaces() {
    let root = project(&[
        (
            "package.json",
            r#"{"name": "monorepo", "private": true, "workspaces": ["packages/*", "!packages/skip", "tools/**"]}"#,
        ),
        (
            "packages/core/package.json",
            r#"{"name": "@acme/core", "version": "1.2.0"}"#,
        ),
        (
            "packages/ui/package.json",
            r#"{"name": "@acme/ui", "version": "0.3.0", "dependencies": {"@acme/core": "1.2.0", "react": "^18"}, "peerDependencies": {"@acme/core": "^1.0.0"}}"#,
        ),
        (
            "packages/skip/package.json",
            r#"{"name": "skip", "version": "1.0.0"}"#,
        ),
        (
            "tools/deep/cli/package.json",
            r#"{"name": "cli", "private": true, "version": "0.0.0", "devDependencies": {"@acme/ui": "workspace:*"}}"#,
        ),
        (
            "tools/deep/cli/node_modules/x/package.json",
            r#"{"name": "x"}"#,
        ),
    ]);
    let found = workspace::discover(root.path());
    assert_eq!(
        summary(&found.members),
        [
            "npm monorepo  - private []",
            "npm @acme/core packages/core 1.2.0 []",
            "npm @acme/ui packages/ui 0.3.0 [@acme/core 1.2.0, @acme/core ^1.0.0]",
            "npm cli tools/deep/cli 0.0.0 private [@acme/ui workspace:*]",
        ]
    );

    let pnpm = project(&[
        (
            "package.json",
            r#"{"name": "vue-monorepo", "private": true, "version": "3.5.41"}"#,
        ),
        (
            "pnpm-workspace.yaml",
            "packages:\n  - 'packages/*'\n  - \"packages-private/*\" # tools\n\ncatalog:\n  'vite': ^8.2.0\n",
        ),
        (
            "packages/shared/package.json",
            r#"{"name": "@vue/shared", "version": "3.5.41"}"#,
        ),
        (
            "packages-private/sfc/package.json",
            r#"{"name": "sfc", "private": true, "version": "0.0.0"}"#,
        ),
    ]);
    let found = workspace::discover(pnpm.path());
    assert_eq!(
        summary(&found.members),
        [
            "npm vue-monorepo  3.5.41 private []",
            "npm @vue/shared packages/shared 3.5.41 []",
            "npm sfc packages-private/sfc 0.0.0 private []",
        ]
    );
}

#[test]
fn uv_workspaces_and_go_modules() {
    let root = project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"1.0.0\"\ndependencies = [\"My_Lib>=0.2\", \"httpx\"]\n\n[tool.uv.workspace]\nmembers = [\"libs/*\"]\nexclude = [\"libs/scratch\"]\n",
        ),
        (
            "libs/my-lib/pyproject.toml",
            "[project]\nname = \"my-lib\"\nversion = \"0.2.0\"\n",
        ),
        (
            "libs/scratch/pyproject.toml",
            "[project]\nname = \"scratch\"\nversion = \"0.0.1\"\n",
        ),
    ]);
    assert_eq!(
        summary(&workspace::discover(root.path()).members),
        [
            "python app  1.0.0 [my-lib >=0.2]",
            "python my-lib libs/my-lib 0.2.0 []",
        ]
    );

    let go = project(&[
        ("go.mod", "module example.com/m\n\ngo 1.22\n"),
        (
            "sub/go.mod",
            "module example.com/m/sub\n\nrequire (\n\texample.com/m v1.2.0\n\tgolang.org/x/text v0.3.0\n)\n",
        ),
        (
            "tools/gen/go.mod",
            "module example.com/m/tools/gen\n\nrequire example.com/m/sub v0.1.0\n",
        ),
        ("testdata/x/go.mod", "module example.com/ignored\n"),
        ("vendor/y/go.mod", "module example.com/vendored\n"),
    ]);
    let found = workspace::discover(go.path());
    assert_eq!(
        summary(&found.members),
        [
            "go m  - []",
            "go sub sub - [m v1.2.0]",
            "go tools/gen tools/gen - [sub v0.1.0]",
        ]
    );
    assert_eq!(
        found.member("tools/gen").unwrap().module.as_deref(),
        Some("example.com/m/tools/gen")
    );
    assert_eq!(found.members[1].ecosystem, Ecosystem::Go);
}

/// npm's `satisfies` and `validRange` over the ranges workspace requirements use, as node-semver
/// itself answered (`scripts/oracles/npm-satisfies.sh` wrote the file).
#[test]
fn npm_ranges_answer_as_node_semver() {
    use relman_version::workspace::npm_range;

    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/npm-satisfies.json");
    let vectors: serde_json::Value =
        serde_json::from_str(&fs_err::read_to_string(path).unwrap()).unwrap();
    let mut wrong = Vec::new();
    for case in vectors["cases"].as_array().unwrap() {
        let range = case["range"].as_str().unwrap();
        let version = semver::Version::parse(case["version"].as_str().unwrap()).unwrap();
        if npm_range::valid_range(range) != case["valid"].as_bool().unwrap() {
            wrong.push(format!("validRange({range:?})"));
        }
        if npm_range::satisfies(&version, range) != case["satisfies"].as_bool().unwrap() {
            wrong.push(format!("satisfies({version}, {range:?})"));
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "{} differ: {wrong:#?}", wrong.len());
}

#[test]
fn cargo_path_dependencies_inside_the_workspace_are_members() {
    // As Cargo decides: what the root package or a member reaches through a `path` (its own or
    // a `[workspace.dependencies]` one), transitively, unless excluded or outside the folder.
    let root = project(&[
        (
            "Cargo.toml",
            "[package]\nname = \"cli\"\nversion = \"1.0.0\"\n\n[dependencies]\nengine.workspace = true\n\
             outside = { path = \"../outside\" }\n\n\
             [workspace]\nmembers = [\"tools/bench\"]\nexclude = [\"vendor\"]\n\n\
             [workspace.dependencies]\nengine = { path = \"crates/engine\", version = \"=1.0.0\" }\n\
             unused = { path = \"crates/unused\", version = \"1.0.0\" }\n",
        ),
        (
            "crates/engine/Cargo.toml",
            "[package]\nname = \"engine\"\nversion = \"1.0.0\"\n\n\
             [target.'cfg(unix)'.dependencies]\nshared = { path = \"../shared\", version = \"1.0.0\" }\n\
             patched = { path = \"../../vendor/patched\" }\n",
        ),
        (
            "crates/shared/Cargo.toml",
            "[package]\nname = \"shared\"\nversion = \"1.0.0\"\n",
        ),
        (
            "crates/unused/Cargo.toml",
            "[package]\nname = \"unused\"\nversion = \"1.0.0\"\n",
        ),
        (
            "vendor/patched/Cargo.toml",
            "[package]\nname = \"patched\"\nversion = \"0.1.0\"\n",
        ),
        (
            "tools/bench/Cargo.toml",
            "[package]\nname = \"bench\"\nversion = \"0.0.0\"\npublish = false\n\n\
             [dev-dependencies]\nshared = { path = \"../../crates/shared\" }\n",
        ),
    ]);
    assert_eq!(
        summary(&workspace::discover(root.path()).members),
        [
            "cargo cli  1.0.0 [engine =1.0.0]",
            "cargo bench tools/bench 0.0.0 private [shared]",
            "cargo engine crates/engine 1.0.0 [shared 1.0.0]",
            "cargo shared crates/shared 1.0.0 []",
        ]
    );
}
