//! A Cargo workspace of three crates, `a` → `b` → `c` (`a` requires `b = "0.1.0"`, `b` requires
//! `c = "0.1"`), each with its own tags: a feature in `c` releases `c` 0.2.0, which `b`'s `0.1`
//! no longer allows, so `b` follows (its requirement becomes `0.2`, a patch release) and so does
//! `a` (its `0.1.0` becomes `0.1.1`, as `cargo set-version` writes it). The manifests are
//! compared byte for byte with what `cargo set-version` makes of the same workspace, and the
//! lock file must satisfy `cargo metadata --locked`.

use relman_testkit::{TestRepo, require_tool};

use super::{released_files, remote_tags, run, tool};

const MANIFESTS: [&str; 4] = [
    "Cargo.toml",
    "crates/a/Cargo.toml",
    "crates/b/Cargo.toml",
    "crates/c/Cargo.toml",
];

fn workspace(repo: &TestRepo) {
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.dependencies]\nc = { version = \"0.1.0\", path = \"crates/c\" }\n",
    );
    repo.write(
        "crates/a/Cargo.toml",
        "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nb = { version = \"0.1.0\", path = \"../b\" } # the middle crate\n",
    );
    repo.write(
        "crates/b/Cargo.toml",
        "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nc = { version = \"0.1\", path = \"../c\" }\n\n[dev-dependencies]\nc = { workspace = true }\n",
    );
    repo.write(
        "crates/c/Cargo.toml",
        "[package]\nname = \"c\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    for name in ["a", "b", "c"] {
        repo.write(&format!("crates/{name}/src/lib.rs"), "");
    }
    repo.write(".gitignore", "/target\n");
}

#[test]
fn a_workspace_releases_in_dependency_order_and_dependents_follow_as_cargo_set_version() {
    if !require_tool("cargo") {
        return;
    }
    let repo = TestRepo::new();
    workspace(&repo);
    tool(repo.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    repo.commit("feat: start");
    for tag in ["a-v0.1.0", "b-v0.1.0", "c-v0.1.0"] {
        repo.tag(tag);
    }
    repo.commit_file("crates/c/src/lib.rs", "pub fn c() {}\n", "feat(c): c()");
    repo.push(&["main", "a-v0.1.0", "b-v0.1.0", "c-v0.1.0"]);
    let before = repo.head();

    let (listed, _) = run(&repo, &["packages"], 0);
    assert!(
        listed.contains("c        crates/c  0.1.0    c-v0.1.0      1      0.2.0"),
        "{listed}"
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains("Plan: release c 0.2.0 (c-v0.2.0), b 0.1.1 (b-v0.1.1), a 0.1.1 (a-v0.1.1)"),
        "dependency order: {plan}"
    );
    let (released, _) = run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        released.trim(),
        "Released: c 0.2.0 (c-v0.2.0), b 0.1.1 (b-v0.1.1), a 0.1.1 (a-v0.1.1)"
    );
    assert_eq!(
        remote_tags(&repo),
        [
            "a-v0.1.0", "a-v0.1.1", "b-v0.1.0", "b-v0.1.1", "c-v0.1.0", "c-v0.2.0"
        ]
    );
    assert_eq!(
        released_files(&repo),
        [
            "Cargo.lock",
            "Cargo.toml",
            "crates/a/Cargo.toml",
            "crates/b/Cargo.toml",
            "crates/c/Cargo.toml"
        ]
    );
    for tag in ["a-v0.1.1", "b-v0.1.1", "c-v0.2.0"] {
        assert_eq!(
            repo.git(&["rev-parse", &format!("{tag}^{{commit}}")]),
            repo.head()
        );
    }
    tool(
        repo.path(),
        "cargo",
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    )
    .unwrap();

    // The oracle: the same versions set with cargo-edit on the workspace before the release.
    if !require_tool("cargo-set-version") {
        return;
    }
    let oracle = repo.root().join("oracle");
    repo.git(&[
        "worktree",
        "add",
        "--quiet",
        oracle.to_str().unwrap(),
        &before,
    ]);
    for (crate_name, version) in [("c", "0.2.0"), ("b", "0.1.1"), ("a", "0.1.1")] {
        tool(
            &oracle,
            "cargo",
            &["set-version", "--offline", "-p", crate_name, version],
        )
        .unwrap();
    }
    for manifest in MANIFESTS {
        assert_eq!(
            repo.read(manifest),
            fs_err::read_to_string(oracle.join(manifest)).unwrap(),
            "{manifest} as cargo set-version writes it"
        );
    }
    let versions = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| line.starts_with("name = ") || line.starts_with("version = "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        versions(&repo.read("Cargo.lock")),
        versions(&fs_err::read_to_string(oracle.join("Cargo.lock")).unwrap())
    );
}

#[test]
fn one_package_named_with_p_releases_alone_and_changelog_p_lists_its_commits() {
    let repo = TestRepo::new();
    workspace(&repo);
    repo.commit("feat: start");
    for tag in ["a-v0.1.0", "b-v0.1.0", "c-v0.1.0"] {
        repo.tag(tag);
    }
    repo.commit_file("crates/a/src/lib.rs", "pub fn a() {}\n", "feat(a): a()");
    repo.commit_file("crates/c/src/lib.rs", "pub fn c() {}\n", "fix(c): c()");
    repo.commit_file("README.md", "x\n", "docs: readme");
    repo.push(&["main", "a-v0.1.0", "b-v0.1.0", "c-v0.1.0"]);

    let (section, _) = run(&repo, &["changelog", "-p", "a"], 0);
    assert!(section.contains("a()"), "{section}");
    assert!(!section.contains("c()"), "only a's commits: {section}");
    assert_eq!(
        run(&repo, &["version", "-p", "a", "--next", "auto"], 0).0,
        "0.2.0\n"
    );
    assert_eq!(
        run(&repo, &["version", "-p", "a", "-p", "c"], 0).0,
        "a 0.1.0\nc 0.1.0\n"
    );
    // No package at the root: every package.
    assert_eq!(run(&repo, &["version"], 0).0, "a 0.1.0\nb 0.1.0\nc 0.1.0\n");
    let unknown = relman_error(&repo, &["version", "-p", "d"]);
    assert!(unknown.contains("there is no package `d`"), "{unknown}");

    run(&repo, &["release", "-p", "a", "--yes"], 0);
    assert_eq!(released_files(&repo), ["crates/a/Cargo.toml"]);
    assert!(remote_tags(&repo).contains(&"a-v0.2.0".to_owned()));
    assert!(!remote_tags(&repo).iter().any(|tag| tag == "c-v0.1.1"));
    // c is still to be released, and nothing of a's.
    let (listed, _) = run(&repo, &["packages"], 0);
    assert!(
        listed.contains("a        crates/a  0.2.0    a-v0.2.0      0      -"),
        "{listed}"
    );
    assert!(
        listed.contains("c        crates/c  0.1.0    c-v0.1.0      1      0.1.1"),
        "{listed}"
    );
}

fn relman_error(repo: &TestRepo, args: &[&str]) -> String {
    let output = crate::plain::relman(repo, args);
    crate::plain::assert_exit(&output, 2);
    crate::plain::stderr(&output)
}

/// Commits everything at a fixed date, as `git commit` on that day would.
fn commit_at(repo: &TestRepo, message: &str, seconds: u64) {
    repo.git(&["add", "--all"]);
    let date = format!("{seconds} +0000");
    let status = repo
        .command("git")
        .args(["commit", "--quiet", "--message", message])
        .env("GIT_COMMITTER_DATE", &date)
        .env("GIT_AUTHOR_DATE", &date)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn crates_reached_through_paths_move_and_tags_a_crate_left_behind_release_nothing() {
    // wasmtime's shape: `members` lists one crate; the root package reaches the others through
    // `[workspace.dependencies]` paths with exact requirements (Cargo makes them members, so
    // they and their lock entries must move), and `cranelift`, tagged on its own in 2021
    // (`cranelift-v0.69.0`), has gone on untagged to 0.136.0-dev: no package to tag again.
    if !require_tool("cargo") {
        return;
    }
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"cli\"\nversion.workspace = true\nedition = \"2021\"\n\n\
         [dependencies]\nengine = { workspace = true }\ncranelift = { workspace = true }\n\n\
         [workspace]\nmembers = [\"tools/bench\"]\n\n\
         [workspace.package]\nversion = \"49.0.0-dev\"\n\n\
         [workspace.dependencies]\nengine = { path = \"crates/engine\", version = \"=49.0.0-dev\" }\n\
         cranelift = { path = \"cranelift/umbrella\", version = \"0.136.0-dev\" }\n",
    );
    repo.write(
        "crates/engine/Cargo.toml",
        "[package]\nname = \"engine\"\nversion.workspace = true\nedition = \"2021\"\n",
    );
    repo.write(
        "cranelift/umbrella/Cargo.toml",
        "[package]\nname = \"cranelift\"\nversion = \"0.69.0\"\nedition = \"2021\"\n",
    );
    repo.write(
        "tools/bench/Cargo.toml",
        "[package]\nname = \"bench\"\nversion.workspace = true\nedition = \"2021\"\npublish = false\n",
    );
    for dir in [".", "crates/engine", "cranelift/umbrella", "tools/bench"] {
        repo.write(&format!("{dir}/src/lib.rs"), "");
    }
    repo.write(".gitignore", "/target\n");
    let manifest = repo.read("Cargo.toml").replace("0.136.0-dev", "0.69.0");
    repo.write("Cargo.toml", &manifest);
    tool(repo.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    commit_at(&repo, "cranelift 0.69.0", 1_610_000_000);
    repo.tag("cranelift-v0.69.0");
    repo.write("Cargo.toml", manifest.replace("0.69.0", "0.136.0-dev"));
    repo.write(
        "cranelift/umbrella/Cargo.toml",
        repo.read("cranelift/umbrella/Cargo.toml")
            .replace("0.69.0", "0.136.0-dev"),
    );
    tool(repo.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    repo.commit("chore: wasmtime 48.0.0");
    repo.tag("v48.0.0");
    repo.commit_file("crates/engine/src/lib.rs", "pub fn run() {}\n", "feat: run");
    repo.push(&["main", "v48.0.0", "cranelift-v0.69.0"]);

    let (listed, _) = run(&repo, &["packages"], 0);
    assert!(!listed.contains("cranelift"), "{listed}");
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.starts_with("Plan: release 49.0.0-dev → 49.0.0 (tag v49.0.0)\n"),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        remote_tags(&repo),
        ["cranelift-v0.69.0", "v48.0.0", "v49.0.0"]
    );
    assert_eq!(released_files(&repo), ["Cargo.lock", "Cargo.toml"]);
    let root = repo.read("Cargo.toml");
    assert!(
        root.contains("engine = { path = \"crates/engine\", version = \"=49.0.0\" }"),
        "{root}"
    );
    assert!(root.contains("version = \"0.136.0-dev\" }"), "{root}");
    tool(
        repo.path(),
        "cargo",
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    )
    .unwrap();
}

#[test]
fn crates_tagged_on_their_own_at_the_root_s_version_do_not_move_with_it() {
    // wgpu's shape: `[workspace.package] version = "22.0.0"` tagged `v22.0.0`, and crates at
    // the same version tagged on their own (`wgpu-types-v22.0.0`, `naga-v22.0.0`), required
    // through `[workspace.dependencies]` by the `wgpu` crate, which moves with the root, and by
    // a private `naga-fuzz`. The root's release moved them to its 23.0.0 and their own
    // releases back to 22.0.1, leaving `version = "23.0.0"` requiring 22.0.1; without that,
    // nobody moved the `wgpu` crate's or `naga-fuzz`'s requirement on a breaking `naga`.
    if !require_tool("cargo") {
        return;
    }
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"wgpu\", \"wgpu-types\", \"naga\", \"naga/fuzz\"]\nresolver = \"2\"\n\n\
         [workspace.package]\nversion = \"22.0.0\"\nedition = \"2021\"\n\n\
         [workspace.dependencies.wgt]\npackage = \"wgpu-types\"\npath = \"./wgpu-types\"\nversion = \"22.0.0\"\n\n\
         [workspace.dependencies]\nnaga = { version = \"22.0.0\", path = \"./naga\" }\n",
    );
    repo.write(
        "wgpu/Cargo.toml",
        "[package]\nname = \"wgpu\"\nversion.workspace = true\nedition.workspace = true\n\n\
         [dependencies]\nwgt.workspace = true\nnaga.workspace = true\n",
    );
    for name in ["wgpu-types", "naga"] {
        repo.write(
            &format!("{name}/Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"22.0.0\"\nedition = \"2021\"\n"),
        );
    }
    repo.write(
        "naga/fuzz/Cargo.toml",
        "[package]\nname = \"naga-fuzz\"\nversion = \"0.0.0\"\npublish = false\nedition = \"2021\"\n\n\
         [dependencies.naga]\npath = \"..\"\nversion = \"22.0.0\"\n",
    );
    for dir in ["wgpu", "wgpu-types", "naga", "naga/fuzz"] {
        repo.write(&format!("{dir}/src/lib.rs"), "");
    }
    repo.write(".gitignore", "/target\n");
    tool(repo.path(), "cargo", &["generate-lockfile", "--offline"]).unwrap();
    repo.commit("Release 22.0.0");
    for tag in ["v22.0.0", "wgpu-types-v22.0.0", "naga-v22.0.0"] {
        repo.tag(tag);
    }
    repo.commit_file(
        "naga/src/lib.rs",
        "pub fn parse() {}\n",
        "feat(naga)!: a new parser",
    );
    repo.commit_file("wgpu-types/src/lib.rs", "//! types\n", "fix: a doc link");
    repo.push(&["main", "v22.0.0", "wgpu-types-v22.0.0", "naga-v22.0.0"]);

    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.starts_with(
            "Plan: release wgpu-types 22.0.1 (wgpu-types-v22.0.1), naga 23.0.0 (naga-v23.0.0), work 22.0.1 (v22.0.1)\n"
        ),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    tool(
        repo.path(),
        "cargo",
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    )
    .unwrap();
    let manifest = repo.read("Cargo.toml");
    assert!(
        manifest.contains("[workspace.package]\nversion = \"22.0.1\"\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("naga = { version = \"23.0.0\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("path = \"./wgpu-types\"\nversion = \"22.0.1\"\n"),
        "{manifest}"
    );
    assert!(
        repo.read("naga/Cargo.toml")
            .contains("version = \"23.0.0\"")
    );
    assert!(
        repo.read("wgpu-types/Cargo.toml")
            .contains("version = \"22.0.1\"")
    );
    let fuzz = repo.read("naga/fuzz/Cargo.toml");
    assert!(
        fuzz.contains("version = \"0.0.0\"")
            && fuzz.contains("path = \"..\"\nversion = \"23.0.0\"\n"),
        "{fuzz}"
    );
    assert_eq!(
        remote_tags(&repo),
        [
            "naga-v22.0.0",
            "naga-v23.0.0",
            "v22.0.0",
            "v22.0.1",
            "wgpu-types-v22.0.0",
            "wgpu-types-v22.0.1"
        ]
    );
}
