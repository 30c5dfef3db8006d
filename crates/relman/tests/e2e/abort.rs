//! `relman abort`: the local effects that were not pushed are taken back newest first (files
//! restored, the release commit dropped, the local tag and branch deleted, a command's `undo`
//! run); what was pushed stays, listed with the command that undoes it.

use crate::support::*;

#[test]
fn abort_before_the_push_takes_back_every_local_effect() {
    let fixture = Fixture::new(crate::crash::WORKFLOW);
    let repo = &fixture.repo;
    repo.git(&["switch", "--quiet", "--create", "hotfix"]);
    let fix = repo.commit_file("fix.txt", "fixed\n", "fix: repair the greeting");
    repo.git(&["switch", "--quiet", "main"]);
    let main = repo.head();
    let refs_before = fixture.git(&["for-each-ref", "--format=%(refname) %(objectname)"]);

    // Paused at the manual step, after branch, cherry-pick, bump, changelog, build, checksums,
    // commit and tag.
    fixture.relman(&["release", &fix]).expect(3);
    assert_eq!(fixture.git(&["branch", "--show-current"]), "release/1.3");

    let run = fixture.relman(&["abort"]);
    run.expect(0);
    assert_eq!(
        run.stdout,
        format!(
            "Release aborted.\n  \
             ↺ deleted tag `v1.3.0`\n  \
             ↺ moved `release/1.3` back to {cherry}\n  \
             ↺ restored dist/SHA256SUMS\n  \
             ↺ restored CHANGELOG.md\n  \
             ↺ restored package.json\n  \
             ↺ moved `release/1.3` back to {main7}\n  \
             ↺ deleted branch `release/1.3`\n",
            cherry = &fixture.history()[0]["steps"][10]["context"]["head_before"]
                .as_str()
                .unwrap()[..7],
            main7 = &main[..7],
        )
    );
    assert_eq!(fixture.git(&["branch", "--show-current"]), "main");
    assert_eq!(repo.head(), main);
    assert_eq!(
        fixture.git(&["for-each-ref", "--format=%(refname) %(objectname)"]),
        refs_before,
        "no release branch, no tag"
    );
    assert_eq!(fixture.read("package.json"), package_json("1.2.3"));
    assert_eq!(fixture.read("CHANGELOG.md"), CHANGELOG);
    // The build's artifact stays (the step has no `undo`), nothing else.
    assert_eq!(
        fixture.git(&["status", "--porcelain", "--untracked-files=all"]),
        "?? dist/greeter-1.3.0.tar"
    );
    assert!(fixture.journal().is_none());
    let history = fixture.history();
    assert_eq!(history[0]["state"], "aborted");
    assert_eq!(fixture.status()["state"], "aborted");
    fixture
        .relman(&["resume"])
        .expect(2)
        .stderr_has("error: there is no release in progress");
}

#[test]
fn abort_after_the_push_keeps_what_was_pushed_and_says_how_to_undo_it() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[changelog]
file = "CHANGELOG.md"

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
changelog = "update"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"

[[workflow.release.step]]
push = ["branch", "tag"]

[[workflow.release.step]]
name = "publish"
run = ["sh", "-c", "echo published >> ../published"]
undo = ["sh", "-c", "echo unpublished >> ../published"]

[[workflow.release.step]]
manual = "Announce {version}"
"#,
    );
    fixture.relman(&["release"]).expect(3);
    let head = fixture.git(&["rev-parse", "HEAD"]);
    let changelog = fixture.read("CHANGELOG.md");

    let run = fixture.relman(&["abort"]);
    run.expect(0);
    assert_eq!(
        run.stdout,
        format!(
            "Release aborted.\n  \
             ↺ ran `sh -c 'echo unpublished >> ../published'`\n  \
             ! tag `v1.3.0` was pushed: kept here too\n  \
             ! commit {short} on `main` is on the remote: kept (to take it back, `git revert {short}` and push)\n  \
             ! CHANGELOG.md: kept as committed in {short}\n  \
             ! package.json: kept as committed in {short}\n\
             \n\
             Still out there (relman does not undo these):\n  \
             - branch `main` pushed to `origin` at {short}\n      \
             undo: git revert the release commit on `main` and push, or force-push `main` back if nobody has pulled it\n  \
             - tag `v1.3.0` pushed to `origin`\n      \
             undo: git push origin :refs/tags/v1.3.0\n",
            short = &head[..7]
        )
    );
    assert_eq!(
        fixture.repo.read("../published"),
        "published\nunpublished\n"
    );
    // Nothing local was taken back behind the remote's back.
    assert_eq!(fixture.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(fixture.git(&["tag", "--list", "v1.3.0"]), "v1.3.0");
    assert_eq!(fixture.read("package.json"), package_json("1.3.0"));
    assert_eq!(fixture.read("CHANGELOG.md"), changelog);
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");

    // With `--json` the error is a JSON object on stdout too.
    let run = fixture.relman(&["abort", "--json"]);
    run.expect(2).stdout_has("there is no release in progress");
    let error: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(error["event"], "error");
    assert_eq!(error["exit_code"], 2);
}

#[test]
fn abort_in_the_middle_of_a_conflicting_cherry_pick() {
    let fixture = Fixture::new(
        r#"
[workflow.pick]
args = [{ name = "commit" }]
[[workflow.pick.step]]
cherry-pick = "{args.commit}"
"#,
    );
    let repo = &fixture.repo;
    repo.git(&["switch", "--quiet", "--create", "topic"]);
    let clash = repo.commit_file("greet.txt", "hi\n", "fix: say hi");
    repo.git(&["switch", "--quiet", "main"]);
    let main = repo.commit_file("greet.txt", "hey\n", "fix: say hey");
    fixture.relman(&["pick", &clash]).expect(3);
    assert!(fixture.path().join(".git/CHERRY_PICK_HEAD").exists());

    fixture.relman(&["abort"]).expect(0);
    assert!(!fixture.path().join(".git/CHERRY_PICK_HEAD").exists());
    assert_eq!(repo.head(), main);
    assert_eq!(fixture.read("greet.txt"), "hey\n");
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");
}

/// Two releases of the same version started in the same second (abort, try again) are both kept
/// in the history.
#[test]
fn every_ended_release_stays_in_the_history() {
    let fixture = Fixture::new(
        r#"
[workflow.announce]
[[workflow.announce.step]]
manual = "Email the team"
"#,
    );
    for _ in 0..3 {
        fixture.relman(&["announce"]).expect(3);
        fixture.relman(&["abort"]).expect(0);
    }
    fixture.relman(&["announce"]).expect(3);
    fixture.relman(&["resume", "--confirm"]).expect(0);
    let history = fixture.history();
    assert_eq!(history.len(), 4, "{history:#?}");
    let aborted = history
        .iter()
        .filter(|journal| journal["state"] == "aborted")
        .count();
    assert_eq!(aborted, 3);
    // `status` shows the last one, even when all four ended within the same second.
    assert_eq!(fixture.status()["state"], "done");
}

/// A changelog built from news fragments: the release removes them in its commit; abort puts
/// them back along with the changelog.
#[test]
fn news_fragments_are_committed_as_removed_and_restored_by_abort() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[changelog]
file = "CHANGELOG.md"
from = "fragments"
fragments = "changes"

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
changelog = "update"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
manual = "Read the notes"
"#,
    );
    let repo = &fixture.repo;
    repo.write("changes/12.feature.md", "Greet people.\n");
    repo.write("changes/13.bugfix.md", "Fix the greeting.\n");
    repo.commit("docs: news");
    let before = repo.head();

    fixture.relman(&["release"]).expect(3);
    assert_eq!(
        fixture.git(&["show", "--name-status", "--format=", "HEAD"]),
        "M\tCHANGELOG.md\nD\tchanges/12.feature.md\nD\tchanges/13.bugfix.md\nM\tpackage.json"
    );
    let changelog = fixture.read("CHANGELOG.md");
    assert!(
        changelog.contains(
            "## Features\n\n- Greet people. (#12)\n\n## Bugfixes\n\n- Fix the greeting. (#13)\n"
        ),
        "{changelog}"
    );

    fixture.relman(&["abort"]).expect(0);
    assert_eq!(repo.head(), before);
    assert_eq!(fixture.read("changes/12.feature.md"), "Greet people.\n");
    assert_eq!(fixture.read("changes/13.bugfix.md"), "Fix the greeting.\n");
    assert_eq!(fixture.read("CHANGELOG.md"), CHANGELOG);
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");
}

/// A release branch merged back into main and not pushed: abort moves main back, switches
/// back, drops the release commit and deletes the branch.
#[test]
fn abort_after_a_local_merge_puts_both_branches_back() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.cut]
[[workflow.cut.step]]
branch = "release/{major}.{minor}"

[[workflow.cut.step]]
bump = "minor"

[[workflow.cut.step]]
commit = "Release {version}"

[[workflow.cut.step]]
merge = "main"

[[workflow.cut.step]]
switch = "release/{major}.{minor}"

[[workflow.cut.step]]
manual = "Look at both branches"
"#,
    );
    let main = fixture.repo.head();
    fixture.relman(&["cut"]).expect(3);
    assert_eq!(
        fixture.git(&["rev-list", "--count", &format!("{main}..main")]),
        "2"
    );

    let run = fixture.relman(&["abort"]);
    run.expect(0);
    let short = &main[..7];
    assert_eq!(
        run.stdout,
        format!(
            "Release aborted.\n  \
             ↺ switched back to `main`\n  \
             ↺ moved `main` back to {short}\n  \
             ↺ switched back to `release/1.3`\n  \
             ↺ moved `release/1.3` back to {short}\n  \
             ↺ restored package.json\n  \
             ↺ deleted branch `release/1.3`\n"
        )
    );
    assert_eq!(
        fixture.git(&["branch", "--format=%(refname:short)"]),
        "main"
    );
    assert_eq!(fixture.repo.head(), main);
    assert_eq!(fixture.git(&["status", "--porcelain"]), "");
}
