//! A release from start to end, and the options of the local steps: what lands in the files,
//! the history, the tags and the remote.

use crate::support::*;

pub const RELEASE: &str = r#"
[project]
version-files = ["package.json"]

[changelog]
file = "CHANGELOG.md"

[workflow.release]
help = "Cut a release from main"
args = [{ name = "bump", default = "auto" }]

[[workflow.release.step]]
check = "branch"

[[workflow.release.step]]
check = "clean"

[[workflow.release.step]]
check = "up-to-date"

[[workflow.release.step]]
check = "tag-available"

[[workflow.release.step]]
bump = "{args.bump}"

[[workflow.release.step]]
changelog = "update"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"

[[workflow.release.step]]
push = ["branch", "tag"]
"#;

#[test]
fn a_release_bumps_writes_the_changelog_commits_tags_and_pushes() {
    let fixture = Fixture::new(RELEASE);
    let feature = fixture.git(&["rev-parse", "--short=7", "HEAD"]);
    let run = fixture.relman(&["release"]);
    // Progress on stderr; the result on stdout.
    run.expect(0).stdout_has("Released: 1.3.0 (v1.3.0)");
    assert_eq!(run.stdout, "Released: 1.3.0 (v1.3.0)\n");

    assert_eq!(fixture.read("package.json"), package_json("1.3.0"));
    assert_eq!(
        fixture.read("CHANGELOG.md"),
        format!(
            "{CHANGELOG}\n## 1.3.0 - 2024-01-01\n\n### Features\n\n- greet people ({feature})\n"
        )
    );
    assert_eq!(
        fixture.subjects("main"),
        [
            "Release 1.3.0",
            "feat: greet people",
            "chore: start the project"
        ]
    );
    assert_eq!(
        fixture.git(&["show", "--name-only", "--format=", "HEAD"]),
        "CHANGELOG.md\npackage.json"
    );
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");
    // An annotated tag with the message, at the release commit.
    let head = fixture.git(&["rev-parse", "HEAD"]);
    assert_eq!(fixture.git(&["cat-file", "-t", "v1.3.0"]), "tag");
    assert_eq!(
        fixture.git(&["tag", "--list", "--format=%(contents)", "v1.3.0"]),
        "Release 1.3.0"
    );
    assert_eq!(fixture.git(&["rev-parse", "v1.3.0^{commit}"]), head);
    // Both refs reached the remote, and `main` tracks it.
    let remote = fixture.remote_refs();
    assert_eq!(remote["refs/heads/main"], head);
    assert_eq!(remote["refs/tags/v1.3.0^{}"], head);
    assert_eq!(
        remote["refs/tags/v1.3.0"],
        fixture.git(&["rev-parse", "v1.3.0"])
    );
    assert_eq!(
        fixture.git(&["rev-parse", "--abbrev-ref", "main@{upstream}"]),
        "origin/main"
    );
    // The journal is archived as done; nothing is left in progress.
    assert!(fixture.journal().is_none());
    let history = fixture.history();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["state"], "done");
    assert_eq!(step_states(&history[0]), vec!["done"; 9]);
    assert_eq!(history[0]["plan"]["version"], "1.3.0");
    assert_eq!(history[0]["steps"][6]["outputs"]["sha"], head.as_str());
    let status = fixture.status();
    assert_eq!(status["state"], "done");
    assert_eq!(status["plan"]["tag"], "v1.3.0");
}

/// A release branch: created and pushed with its upstream set, a lightweight tag pushed on its
/// own, `main` left alone on the remote.
#[test]
fn a_new_branch_is_pushed_with_its_upstream_and_a_lightweight_tag_alone() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.cut]
[[workflow.cut.step]]
branch = "release/{major}.{minor}"
from = "main"

[[workflow.cut.step]]
bump = "minor"

[[workflow.cut.step]]
commit = "Release {version}"

[[workflow.cut.step]]
tag = "{tag}"

[[workflow.cut.step]]
push = "tag"

[[workflow.cut.step]]
push = "branch"
"#,
    );
    let main = fixture.git(&["rev-parse", "main"]);
    fixture.relman(&["cut"]).expect(0);

    assert_eq!(fixture.git(&["branch", "--show-current"]), "release/1.3");
    let head = fixture.git(&["rev-parse", "HEAD"]);
    assert_eq!(fixture.git(&["rev-parse", "HEAD^"]), main);
    assert_eq!(fixture.git(&["cat-file", "-t", "v1.3.0"]), "commit");
    let remote = fixture.remote_refs();
    assert_eq!(remote["refs/tags/v1.3.0"], head);
    assert!(!remote.contains_key("refs/tags/v1.3.0^{}"), "lightweight");
    assert_eq!(remote["refs/heads/release/1.3"], head);
    assert_eq!(remote["refs/heads/main"], main, "main is not pushed");
    assert_eq!(
        fixture.git(&["rev-parse", "--abbrev-ref", "release/1.3@{upstream}"]),
        "origin/release/1.3"
    );
    assert_eq!(fixture.git(&["rev-parse", "main"]), main);
}

/// The release-branch flow of the seeds: a fix cherry-picked with `-x`, the branch merged back
/// into main with a merge commit, then back on the release branch.
#[test]
fn cherry_pick_merge_and_switch() {
    let fixture = Fixture::new(
        r#"
[workflow.backport]
args = [{ name = "commits" }]

[[workflow.backport.step]]
branch = "release/1.2"
from = "v1.2.3"

[[workflow.backport.step]]
cherry-pick = "{args.commits}"

[[workflow.backport.step]]
merge = "main"
message = "Merge the 1.2 fixes"

[[workflow.backport.step]]
switch = "release/1.2"
"#,
    );
    let repo = &fixture.repo;
    repo.git(&["switch", "--quiet", "--create", "topic"]);
    let one = repo.commit_file("one.txt", "1\n", "fix: one");
    let two = repo.commit_file("two.txt", "2\n", "fix: two");
    repo.git(&["switch", "--quiet", "main"]);
    let main = fixture.git(&["rev-parse", "main"]);

    let run = fixture.relman(&["backport", &format!("{one}, {}", &two[..10])]);
    run.expect(0);

    assert_eq!(fixture.git(&["branch", "--show-current"]), "release/1.2");
    assert_eq!(
        fixture.subjects("v1.2.3..release/1.2"),
        ["fix: two", "fix: one"]
    );
    let bodies = fixture.git(&["log", "--format=%b", "v1.2.3..release/1.2"]);
    assert!(
        bodies.contains(&format!("(cherry picked from commit {one})")),
        "{bodies}"
    );
    assert!(
        bodies.contains(&format!("(cherry picked from commit {two})")),
        "{bodies}"
    );
    let release = fixture.git(&["rev-parse", "release/1.2"]);
    assert_eq!(
        fixture.git(&["rev-list", "--parents", "-1", "main"]),
        format!("{} {main} {release}", fixture.git(&["rev-parse", "main"]))
    );
    assert_eq!(
        fixture.git(&["log", "-1", "--format=%s", "main"]),
        "Merge the 1.2 fixes"
    );
    let history = fixture.history();
    assert_eq!(
        history[0]["steps"][1]["outputs"]["shas"],
        format!("{one} {two}").as_str()
    );
}

/// `add` globs stage what git sees: changed and new files, never ignored ones; a plain path is
/// taken as written.
#[test]
fn commit_add_globs_skip_ignored_files() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
run = ["sh", "-c", "printf '{{\"name\": \"greeter\", \"version\": \"{version}\"}}\\n' > package-lock.json && mkdir -p docs node_modules/dep && echo v > docs/api.lock && echo x > node_modules/dep/package-lock.json"]

[[workflow.release.step]]
commit = "Release {version}"
add = ["**/*.json", "**/*.lock"]

[workflow.vendor]
[[workflow.vendor.step]]
commit = "Vendor the lock file"
add = ["node_modules/dep/package-lock.json"]
"#,
    );
    fixture
        .repo
        .commit_file(".gitignore", "node_modules/\n", "chore: ignore deps");
    fixture.relman(&["release"]).expect(0);
    assert_eq!(
        fixture.git(&["show", "--name-only", "--format=", "HEAD"]),
        "docs/api.lock\npackage-lock.json\npackage.json"
    );
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");

    // Named as a plain path, an ignored file is not skipped in silence: git says why it refuses.
    fixture.relman(&["vendor"]).expect(1).stderr_has(
        "The following paths are ignored by one of your .gitignore files:\nnode_modules",
    );
}
