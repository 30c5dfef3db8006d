//! `relman plan` writes nothing: after it, `git status`, every ref, and every byte of the work
//! tree and of `.git` are as they were, for a workflow that uses every local step kind, as text
//! and as JSON, and when a check fails.

use crate::support::*;

#[test]
fn plan_leaves_the_repository_byte_for_byte_unchanged() {
    let fixture = Fixture::new(crate::crash::WORKFLOW);
    let repo = &fixture.repo;
    repo.git(&["switch", "--quiet", "--create", "hotfix"]);
    let fix = repo.commit_file("fix.txt", "fixed\n", "fix: repair the greeting");
    repo.git(&["switch", "--quiet", "main"]);
    // A tracked file whose stat data no longer matches the index (a build tool touched it): a
    // `git status` that may take the index lock would refresh the index and rewrite it.
    let touched = std::process::Command::new("touch")
        .args(["-d", "2030-01-01T00:00:00Z", "greet.txt"])
        .current_dir(fixture.path())
        .status()
        .unwrap();
    assert!(touched.success());
    let before = snapshot(&fixture);

    let run = fixture.relman(&["plan", "release", &fix]);
    run.expect(0)
        .stdout_has("Plan: release 1.2.3 → 1.3.0 (tag v1.3.0)")
        .stdout_has("$ git cherry-pick -x")
        .stdout_has("✓ tag `v1.3.0` is free locally and on the remote")
        .stdout_has("+  \"version\": \"1.3.0\",")
        .stdout_has("you: Install dist/greeter-1.3.0.tar on a clean machine");
    assert_unchanged(&before, &snapshot(&fixture));

    let run = fixture.relman(&["plan", "release", &fix, "--json"]);
    run.expect(0);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(plan["version"], "1.3.0");
    assert_eq!(plan["steps"].as_array().unwrap().len(), 17);
    assert_unchanged(&before, &snapshot(&fixture));
    assert!(!fixture.path().join(".git/relman").exists());
}

#[test]
fn a_plan_whose_check_fails_changes_nothing_either() {
    let fixture = Fixture::new(crate::release::RELEASE);
    fixture.repo.write("greet.txt", "hello, world\n");
    let before = snapshot(&fixture);
    let run = fixture.relman(&["plan", "release"]);
    run.expect(1)
        .stdout_has("✗ no uncommitted changes")
        .stdout_has("uncommitted changes: modified: greet.txt")
        .stderr_has("error: step 2 (check: clean) fails: the release would stop there");
    assert_unchanged(&before, &snapshot(&fixture));
}
