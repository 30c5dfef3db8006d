//! A Go repository of several modules: the root module (tags `vX.Y.Z`), `sub` (tags
//! `sub/vX.Y.Z`) requiring the root, and `tools/gen` (tags `tools/gen/vX.Y.Z`) requiring `sub`.
//! A feature in the root releases it; the sibling `require` lines on it are rewritten and the
//! modules holding them released too, each tag on the release commit and pushed.

use relman_testkit::TestRepo;

use super::{released_files, remote_tags, run};

#[test]
fn a_go_repository_of_several_modules_tags_each_and_rewrites_sibling_requires() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/m\n\ngo 1.22\n");
    repo.write("m.go", "package m\n");
    repo.write(
        "sub/go.mod",
        "module example.com/m/sub\n\ngo 1.22\n\nrequire example.com/m v1.0.0\n\nreplace example.com/m => ../\n",
    );
    repo.write("sub/sub.go", "package sub\n");
    repo.write(
        "tools/gen/go.mod",
        "module example.com/m/tools/gen\n\ngo 1.22\n\nrequire (\n\texample.com/m/sub v0.1.0 // the generator's input\n\tgolang.org/x/text v0.3.0\n)\n",
    );
    repo.write("tools/gen/gen.go", "package gen\n");
    repo.commit("feat: start");
    for tag in ["v1.0.0", "sub/v0.1.0", "tools/gen/v0.1.0"] {
        repo.tag(tag);
    }
    repo.commit_file("m.go", "package m\n\nfunc New() {}\n", "feat: New");
    repo.push(&["main", "v1.0.0", "sub/v0.1.0", "tools/gen/v0.1.0"]);

    let (listed, _) = run(&repo, &["packages"], 0);
    assert!(
        listed.contains("m          .          1.0.0    v1.0.0            1      1.1.0"),
        "{listed}"
    );
    assert!(
        listed.contains("sub        sub        0.1.0    sub/v0.1.0        0      -"),
        "{listed}"
    );
    let (released, _) = run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        released.trim(),
        "Released: m 1.1.0 (v1.1.0), sub 0.1.1 (sub/v0.1.1), tools/gen 0.1.1 (tools/gen/v0.1.1)"
    );
    assert_eq!(released_files(&repo), ["sub/go.mod", "tools/gen/go.mod"]);
    assert!(
        repo.read("sub/go.mod")
            .contains("require example.com/m v1.1.0\n")
    );
    assert!(repo.read("tools/gen/go.mod").contains(
        "\texample.com/m/sub v0.1.1 // the generator's input\n\tgolang.org/x/text v0.3.0\n"
    ));
    assert_eq!(
        remote_tags(&repo),
        [
            "sub/v0.1.0",
            "sub/v0.1.1",
            "tools/gen/v0.1.0",
            "tools/gen/v0.1.1",
            "v1.0.0",
            "v1.1.0"
        ]
    );
    for tag in ["v1.1.0", "sub/v0.1.1", "tools/gen/v0.1.1"] {
        assert_eq!(
            repo.git(&["rev-parse", &format!("{tag}^{{commit}}")]),
            repo.head()
        );
    }
}

/// argo-cd's shape: the root module carries a major version suffix (`…/app/v3`) and is named
/// above it; `lib` has tags of its own and is a package; `hack/gen`, a tool with a `go.mod` and
/// no tag, is no package and no "first release 0.1.0".
#[test]
fn a_nested_module_without_tags_is_no_package_and_a_major_suffix_is_no_name() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/acme/app/v3\n\ngo 1.22\n");
    repo.write("app.go", "package app\n");
    repo.write("lib/go.mod", "module example.com/acme/app/lib\n\ngo 1.22\n");
    repo.write("lib/lib.go", "package lib\n");
    repo.write(
        "hack/gen/go.mod",
        "module example.com/acme/app/hack/gen\n\ngo 1.22\n",
    );
    repo.write("hack/gen/main.go", "package main\n");
    repo.commit("feat: start");
    for tag in ["v3.4.0", "lib/v0.4.0"] {
        repo.tag(tag);
    }
    repo.commit_file("app.go", "package app\n\nfunc New() {}\n", "feat: New");
    repo.push(&["main", "v3.4.0", "lib/v0.4.0"]);

    let (listed, _) = run(&repo, &["packages"], 0);
    assert!(listed.contains("app "), "named above `v3`: {listed}");
    assert!(listed.contains("lib "), "{listed}");
    assert!(!listed.contains("hack/gen"), "{listed}");
    assert!(!listed.contains("v3 "), "{listed}");
    let (released, _) = run(&repo, &["release", "--yes"], 0);
    // `lib` has nothing new, `hack/gen` is no package: the root alone is released.
    assert_eq!(released.trim(), "Released: 3.5.0 (v3.5.0)");
    assert_eq!(remote_tags(&repo), ["lib/v0.4.0", "v3.4.0", "v3.5.0"]);
}

/// kustomize: no module at the root, whose `v3.3.1` tags stopped in 2019; the modules below
/// release since as `tool/v5.8.1`, `api/v0.21.1`. The root's tags are history: the release is
/// the modules', never a root `3.4.0`. A root tagged within the year stays a package.
#[test]
fn a_root_whose_tags_stopped_a_year_before_its_modules_is_no_package() {
    let repo = TestRepo::new();
    repo.write("README.md", "tool\n");
    repo.git(&["add", "--all"]);
    let old = repo
        .command("git")
        .args(["commit", "--quiet", "--message", "Release 3.3.1"])
        .env("GIT_COMMITTER_DATE", "1570000000 +0000")
        .env("GIT_AUTHOR_DATE", "1570000000 +0000")
        .status()
        .unwrap();
    assert!(old.success());
    repo.tag("v3.3.1");
    repo.write("api/go.mod", "module example.com/tool/api\n\ngo 1.22\n");
    repo.write("tool/go.mod", "module example.com/tool/tool\n\ngo 1.22\n");
    repo.write("go.work", "go 1.22\n\nuse (\n\t./api\n\t./tool\n)\n");
    repo.commit("feat: modules");
    repo.tag("api/v0.21.1");
    repo.tag("tool/v5.8.1");
    repo.commit_file("api/api.go", "package api\n", "fix: api");
    repo.commit_file("README.md", "tool, docs\n", "fix: docs at the root");
    repo.push(&["main", "v3.3.1", "api/v0.21.1", "tool/v5.8.1"]);

    let (listed, _) = run(&repo, &["packages"], 0);
    assert!(!listed.contains("3.3.1"), "{listed}");
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.starts_with("Plan: release api 0.21.1 → 0.21.2 (tag api/v0.21.2)\n"),
        "{plan}"
    );

    repo.tag("v3.4.0");
    repo.commit_file("README.md", "tool, more docs\n", "fix: more docs");
    repo.push(&["main", "v3.4.0"]);
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("3.4.1") && plan.contains("v3.4.1"), "{plan}");
}
