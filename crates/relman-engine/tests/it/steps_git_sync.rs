//! The git kinds that sync with a remote: `pull` (fast-forward after a merged release PR),
//! `merge` with `ff-only`, `push` of a `refspec` with `force-with-lease`, `delete-branch`.

use crate::remote_support::{Fixture, effects_text};

const HEADER: &str = r#"[project]
name = "app"
tag = "v{version}"
scheme = "semver"
version-files = ["VERSION"]
"#;

fn fixture(steps: &str) -> Fixture {
    Fixture::new(&format!("{HEADER}\n{steps}"))
}

/// Someone else's commit on the remote's `main`, from another clone; its sha.
fn commit_elsewhere(fixture: &Fixture, file: &str) -> String {
    let other = fixture.repo.root().join("other");
    if !other.exists() {
        fixture.repo.clone_remote("other", &[]);
    }
    fixture
        .repo
        .git_in(&other, &["pull", "--quiet", "--ff-only"]);
    fs_err::write(other.join(file), "merged\n").unwrap();
    fixture.repo.git_in(&other, &["add", file]);
    fixture
        .repo
        .git_in(&other, &["commit", "--quiet", "-m", "merged PR"]);
    fixture
        .repo
        .git_in(&other, &["push", "--quiet", "origin", "HEAD:main"]);
    fixture
        .repo
        .git_in(&other, &["rev-parse", "HEAD"])
        .trim()
        .to_owned()
}

#[test]
fn pull_fast_forwards_and_the_tag_goes_on_the_merged_commit() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
pull = "main"

[[workflow.ship.step]]
tag = "{tag}"

[[workflow.ship.step]]
push = "tag"
"#,
    );
    let merged = commit_elsewhere(&fixture, "merged.txt");
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains("git merge --ff-only origin/main"));
    assert_ne!(fixture.repo.head(), merged, "the plan pulled");
    fixture.start(&plan).assert_done();
    assert_eq!(fixture.repo.head(), merged);
    assert_eq!(fixture.repo.read("merged.txt"), "merged\n");
    let tagged = fixture.repo.git_in(
        fixture.repo.remote_path(),
        &["rev-parse", "refs/tags/v1.2.3^{commit}"],
    );
    assert_eq!(tagged.trim(), merged);
}

#[test]
fn pull_pauses_when_the_branches_diverged_and_resume_goes_on() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
pull = "main"
"#,
    );
    let merged = commit_elsewhere(&fixture, "merged.txt");
    fixture
        .repo
        .commit_file("local.txt", "mine\n", "chore: local work");
    let reason = fixture.run("ship").paused();
    assert!(reason.contains("diverged"), "{reason}");
    fixture
        .repo
        .git(&["pull", "--quiet", "--rebase", "origin", "main"]);
    fixture.resume(false).assert_done();
    let contains = fixture
        .repo
        .git_output(&["merge-base", "--is-ancestor", &merged, "HEAD"]);
    assert!(contains.status.success());
    assert_eq!(fixture.repo.read("local.txt"), "mine\n");
}

#[test]
fn merge_ff_only_fast_forwards_or_pauses() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
merge = "main"
ff-only = true
"#,
    );
    fixture.repo.git(&["switch", "--quiet", "-c", "release"]);
    let release = fixture
        .repo
        .commit_file("r.txt", "r\n", "chore: release prep");
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains("git merge --ff-only release"));
    fixture.start(&plan).assert_done();
    assert_eq!(fixture.repo.git(&["rev-parse", "main"]).trim(), release);
    assert_eq!(
        fixture.repo.git(&["branch", "--show-current"]).trim(),
        "main"
    );

    // Diverged: main has a commit the release branch lacks.
    fixture.repo.commit_file("m.txt", "m\n", "chore: on main");
    fixture.repo.git(&["switch", "--quiet", "release"]);
    fixture
        .repo
        .commit_file("r2.txt", "r\n", "chore: more prep");
    let reason = fixture.run("ship").paused();
    assert!(reason.contains("cannot be fast-forwarded"), "{reason}");
}

#[test]
fn a_refspec_is_pushed_with_a_lease() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
push = "refspec"
refspec = "HEAD:latest"
force-with-lease = true
"#,
    );
    // `latest` on the remote is somewhere HEAD does not descend from.
    fixture
        .repo
        .git(&["switch", "--quiet", "-c", "old", "HEAD~1"]);
    fixture
        .repo
        .commit_file("old.txt", "old\n", "chore: old line");
    fixture
        .repo
        .git(&["push", "--quiet", "origin", "old:latest"]);
    fixture.repo.git(&["switch", "--quiet", "main"]);
    let plan = fixture.plan("ship");
    assert!(
        effects_text(&plan, 1).contains("git push --force-with-lease=latest origin HEAD:latest")
    );
    fixture.start(&plan).assert_done();
    let remote = fixture.repo.git_in(
        fixture.repo.remote_path(),
        &["rev-parse", "refs/heads/latest"],
    );
    assert_eq!(remote.trim(), fixture.repo.head());
}

#[test]
fn a_lease_taken_before_a_crash_refuses_a_ref_someone_moved() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
push = "refspec"
refspec = "HEAD:latest"
force-with-lease = true
"#,
    );
    fixture
        .repo
        .git(&["push", "--quiet", "origin", "HEAD~1:refs/heads/latest"]);
    // Killed after the step recorded what it leases, before the push.
    fixture.run("ship").assert_done();
    fixture.repo.git(&[
        "push",
        "--quiet",
        "--force",
        "origin",
        "HEAD~1:refs/heads/latest",
    ]);
    fixture.crash_at(1, Some(&["refs", "refspec", "lease"]));
    let mut journal = fixture.journal();
    journal.steps[0].context.insert(
        "lease".to_owned(),
        fixture.repo.git(&["rev-parse", "HEAD~2"]).trim().to_owned(),
    );
    relman_engine::journal::StateDir::new(&fixture.repo.path().join(".git"))
        .save(&journal)
        .unwrap();
    let (_, message, hint) = fixture.resume(false).failed();
    assert!(message.contains("latest"), "{message}");
    assert!(
        hint.unwrap_or_default()
            .contains("moved since the step began")
    );
    let remote = fixture.repo.git_in(
        fixture.repo.remote_path(),
        &["rev-parse", "refs/heads/latest"],
    );
    assert_eq!(
        remote.trim(),
        fixture.repo.git(&["rev-parse", "HEAD~1"]).trim()
    );
}

#[test]
fn delete_branch_removes_it_here_and_on_the_remote() {
    let fixture = fixture(
        r#"[[workflow.ship.step]]
delete-branch = "release/{version}"
"#,
    );
    fixture.repo.git(&["branch", "release/1.2.3"]);
    fixture
        .repo
        .git(&["push", "--quiet", "origin", "release/1.2.3"]);
    let plan = fixture.plan("ship");
    assert!(effects_text(&plan, 1).contains("git push origin --delete release/1.2.3"));
    fixture.start(&plan).assert_done();
    assert!(
        fixture
            .repo
            .git(&["branch", "--list", "release/*"])
            .trim()
            .is_empty()
    );
    let remote = fixture.repo.git_in(
        fixture.repo.remote_path(),
        &["branch", "--list", "release/*"],
    );
    assert!(remote.trim().is_empty(), "{remote}");
    // Nothing left to delete: a second run is done at once.
    fixture.run("ship").assert_done();
}
