//! Version files below the root, where real projects' builds read them (named in
//! docs/real-repositories.md): a `version/VERSION` a Go package embeds, and a Go module's
//! `Version` constant. Each is asserted through the binary, down to the bytes a release tags.

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stderr, stdout};

#[track_caller]
fn run(repo: &TestRepo, args: &[&str], code: i32) -> (String, String) {
    let output = relman(repo, args);
    assert_exit(&output, code);
    (stdout(&output), stderr(&output))
}

/// The text of `path` in the commit `rev` names (without its last newline, as git prints it).
fn file_at(repo: &TestRepo, rev: &str, path: &str) -> String {
    repo.git(&["show", &format!("{rev}:{path}")])
}

/// terraform: `version/VERSION` holds `1.17.0-dev`, which `version/version.go` embeds; the
/// release writes `1.17.0` there and the next development version is spelt `1.17.1-dev`.
#[test]
fn a_version_folder_s_version_file_is_released_and_the_next_dev_keeps_its_spelling() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/infra\n\ngo 1.22\n");
    repo.write(
        "version/version.go",
        "package version\n\nimport _ \"embed\"\n\n//go:embed VERSION\nvar rawVersion string\n\n// Version is filled from rawVersion.\nvar Version string\n",
    );
    repo.write("version/VERSION", "1.16.0\n");
    repo.commit("Prepare before 1.16.0 release");
    repo.tag("v1.16.0");
    repo.commit_file(
        "version/VERSION",
        "1.17.0-dev\n",
        "Cleanup after 1.16.0 release",
    );
    repo.commit_file("main.go", "package main\n", "fix: plan output");
    repo.push(&["main", "v1.16.0"]);

    assert_eq!(run(&repo, &["version"], 0).0, "1.17.0-dev\n");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "1.17.0\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(
        check.contains("version 1.17.0-dev in version/VERSION"),
        "{check}"
    );

    repo.write(
        "relman.toml",
        "[workflow.release]\n[[workflow.release.step]]\nbump = \"auto\"\n\n\
         [[workflow.release.step]]\ncommit = \"Prepare before {version} release\"\n\n\
         [[workflow.release.step]]\ntag = \"{tag}\"\n\n\
         [[workflow.release.step]]\nbump = \"dev\"\n\n\
         [[workflow.release.step]]\ncommit = \"Cleanup after {version} release\"\n\n\
         [[workflow.release.step]]\npush = [\"branch\", \"tag\"]\n",
    );
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(file_at(&repo, "v1.17.0", "version/VERSION"), "1.17.0");
    assert_eq!(repo.read("version/VERSION"), "1.17.1-dev\n");
    let remote = repo.git(&["ls-remote", &repo.remote_url(), "refs/heads/main"]);
    assert!(remote.starts_with(&repo.head()), "pushed: {remote}");
}

/// grpc-go: the root module's `version.go` holds `const Version = "1.85.0-dev"`, which the
/// library reports; a release from no relman.toml writes `1.85.0` into it before tagging.
#[test]
fn a_go_module_s_version_constant_is_a_version_file() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/rpc\n\ngo 1.22\n");
    let constant = |version: &str| {
        format!(
            "package rpc\n\n// MinVersion must stay below Version.\nconst MinVersion = \"1.0.0\"\n\n// Version is the current version.\nconst Version = \"{version}\"\n"
        )
    };
    repo.write("version.go", constant("1.84.0"));
    repo.commit("Release 1.84.0");
    repo.tag("v1.84.0");
    repo.commit_file(
        "version.go",
        &constant("1.85.0-dev"),
        "Change version to 1.85.0-dev",
    );
    repo.commit_file("server.go", "package rpc\n", "fix: close streams");
    repo.push(&["main", "v1.84.0"]);

    assert_eq!(run(&repo, &["version"], 0).0, "1.85.0-dev\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(
        check.contains("version 1.85.0-dev in version.go"),
        "{check}"
    );
    run(&repo, &["init"], 0);
    let written = repo.read("relman.toml");
    assert!(written.contains("version.go"), "{written}");
    fs_err::remove_file(repo.path().join("relman.toml")).unwrap();

    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v1.85.0", "version.go"),
        constant("1.85.0").trim_end()
    );
}

/// containerd's release branches: `version/version.go` holds `2.2.7+unknown` (a build replaces
/// it), tagged `v2.2.7`. relman took the build metadata for a newer version, "ahead of the
/// last release and not tagged yet", and planned the tag `v2.2.7+unknown`. The release writes
/// the version alone (runc's `1.2.0+dev` is dropped the same way; which projects want the word
/// back is theirs to say with a `dev` bump).
#[test]
fn build_metadata_in_a_version_file_is_no_newer_release() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/ctr/v2\n\ngo 1.22\n");
    let constant = |version: &str| {
        format!(
            "package version\n\nvar (\n\tPackage = \"example.com/ctr\"\n\tVersion = \"{version}\"\n)\n"
        )
    };
    repo.write("version/version.go", constant("2.2.7+unknown"));
    repo.commit("Prepare release notes for v2.2.7");
    repo.tag("v2.2.7");
    repo.commit_file("server.go", "package ctr\n", "Fix a leak");
    repo.push(&["main", "v2.2.7"]);

    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "2.2.8\n");
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.starts_with("Plan: release 2.2.7+unknown → 2.2.8 (tag v2.2.8)\n"),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "v2.2.8", "version/version.go"),
        constant("2.2.8").trim_end()
    );
}
