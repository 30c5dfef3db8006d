//! The bad inputs that concern the config and the local steps: each gets its
//! message (what, where, what to do) and its exit code, and a command that exits 2 has changed
//! nothing.

use crate::release::RELEASE;
use crate::support::*;

/// Runs `relman ARGS`, expecting exit 2 with exactly `lines` on stderr and nothing changed.
#[track_caller]
fn refused(fixture: &Fixture, args: &[&str], lines: &[&str]) {
    let before = snapshot(fixture);
    let run = fixture.relman(args);
    run.expect(2);
    assert_eq!(run.stderr, format!("{}\n", lines.join("\n")), "{run}");
    assert_eq!(run.stdout, "");
    assert_unchanged(&before, &snapshot(fixture));
}

#[test]
fn config_errors_point_at_the_file_line_and_column() {
    let fixture = Fixture::new(RELEASE);
    let config = fixture.path().join("relman.toml");
    let path = config.display();
    let cases: &[(&str, Vec<String>)] = &[
        (
            "[project\nname = \"x\"\n",
            vec![
                format!("error: {path}:1:9: unclosed table, expected `]`"),
                "  |".into(),
                "1 | [project".into(),
                "  |         ^".into(),
            ],
        ),
        (
            "[workflow.release]\n[[workflow.release.step]]\ntag = \"{tag}\"\nmesage = \"Release\"\n",
            vec![
                format!("error: {path}:4:1: unknown key `mesage` (did you mean `message`?)"),
                "  |".into(),
                "4 | mesage = \"Release\"".into(),
                "  | ^^^^^^".into(),
                "hint: a step is a table with one kind key (`check`, `bump`, `run`, `tag` …) and that kind's options; `relman schema` lists them".into(),
            ],
        ),
        (
            "[workflow.release]\n[[workflow.release.step]]\npush = \"tag\"\nretries = \"three\"\n",
            vec![
                format!("error: {path}:4:11: invalid type: string \"three\", expected u32"),
                "  |".into(),
                "4 | retries = \"three\"".into(),
                "  |           ^^^^^^^".into(),
            ],
        ),
        (
            "[workflow.release]\n[[workflow.release.step]]\ncheck = \"clen\"\n",
            vec![
                format!("error: {path}:3:9: `check = \"clen\"` is not a known check (did you mean `clean`?)"),
                "  |".into(),
                "3 | check = \"clen\"".into(),
                "  |         ^^^^^^".into(),
                "hint: `check` takes `branch`, `clean`, `up-to-date`, `tag-available`, `version-bumped`, `changelog-entry`, `ci-green`, `milestone-closed`, `no-open-issues`, `credentials`".into(),
            ],
        ),
        (
            "[workflow.release]\n[[workflow.release.step]]\ncommit = \"Release {verison}\"\n[[workflow.release.step]]\npush = \"tag\"\nmessage = \"x\"\n",
            vec![
                "error: 2 problems in the config".into(),
                format!("{path}:3:19: unknown placeholder `{{verison}}` (did you mean `version`?)"),
                "  |".into(),
                "3 | commit = \"Release {verison}\"".into(),
                "  |                   ^".into(),
                String::new(),
                format!("{path}:6:11: `message` is not an option of a `push` step"),
                "  |".into(),
                "6 | message = \"x\"".into(),
                "  |           ^^^".into(),
                "hint: `message` is an option of `slack`, `mastodon`, `bluesky`, `discourse`, `tag`, `merge` steps; a `push` step takes `name`, `id`, `if`, `timeout`, `retries`, `remote`, `refspec`, `force-with-lease`, `dir`, `clone`".into(),
            ],
        ),
    ];
    for (source, expected) in cases {
        fs_err::write(&config, source).unwrap();
        let lines: Vec<&str> = expected.iter().map(String::as_str).collect();
        refused(&fixture, &["plan", "release"], &lines);
        refused(&fixture, &["release"], &lines);
    }
}

#[test]
fn bad_version_files_bump_levels_and_arguments_are_refused() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json", { path = "version.py", pattern = '__version__ = "{version}"' }]

[workflow.release]
args = [{ name = "bump" }]
[[workflow.release.step]]
bump = "{args.bump}"

[[workflow.release.step]]
commit = "Release {version}"
"#,
    );
    let repo = &fixture.repo;
    repo.commit_file(
        "version.py",
        "__version__ = \"1.2.4\"\n",
        "chore: version.py",
    );
    refused(
        &fixture,
        &["release", "minor"],
        &[
            "error: the version files disagree:",
            "  package.json:3: 1.2.3",
            "  version.py:1: 1.2.4",
            "hint: make them hold the same version, then run relman again",
        ],
    );
    repo.commit_file("version.py", "VERSION = '1.2.3'\n", "chore: rename");
    refused(
        &fixture,
        &["release", "minor"],
        &[
            "error: the pattern `__version__ = \"{version}\"` does not match `version.py`",
            "hint: the pattern is matched literally, spaces and quotes included: copy it from the file",
        ],
    );
    repo.commit_file("version.py", "__version__ = \"1.2.3\"\n", "chore: fix");
    repo.commit_file(
        "package.json",
        "{\n  \"name\": \"greeter\"\n}\n",
        "chore: drop",
    );
    refused(
        &fixture,
        &["release", "minor"],
        &[
            "error: `package.json` does not contain a version (looked for a top-level `\"version\"`)",
            "hint: set `version-files` in relman.toml to the file that holds the version",
        ],
    );
    repo.commit_file("package.json", &package_json("1.2.3"), "chore: back");
    refused(
        &fixture,
        &["release", "1.0.0"],
        &[
            "error: step 1 (bump 1.0.0): `1.0.0` is lower than the current version `1.2.3`",
            "hint: give a greater version, or set `allow-downgrade = true` on the bump step to go back on purpose",
        ],
    );
    refused(
        &fixture,
        &["release", "mnor"],
        &[
            "error: step 1 (bump mnor): unknown bump level `mnor`: expected one of major, minor, patch, premajor, preminor, prepatch, prerelease, alpha, beta, rc, release, dev, post, auto, or a version such as `1.2.3`",
            "hint: did you mean `minor`?",
        ],
    );
    refused(
        &fixture,
        &["release"],
        &[
            "error: workflow `release` needs the argument `bump`",
            "hint: `relman plan release` shows what it does; `relman docs` lists its arguments",
        ],
    );
    refused(
        &fixture,
        &["release", "minor", "now"],
        &[
            "error: workflow `release` takes 1 argument (`bump`), but 2 were given",
            "hint: `relman plan release` shows what it does; `relman docs` lists its arguments",
        ],
    );
    refused(
        &fixture,
        &["plan", "relaese"],
        &[
            "error: there is no workflow `relaese` (did you mean `release`?)",
            "hint: workflows: release",
        ],
    );
}

#[test]
fn a_version_a_tag_has_here_or_on_the_remote_is_never_released_again() {
    let fixture = Fixture::new(RELEASE);
    // Someone released 1.3.0 from another clone and pushed only the tag.
    let other = fixture.repo.clone_remote("other", &[]);
    fixture.repo.git_in(&other, &["tag", "v1.3.0"]);
    fixture
        .repo
        .git_in(&other, &["push", "--quiet", "origin", "v1.3.0"]);
    let before = snapshot(&fixture);
    // An explicit version that a tag has is refused, naming the tag and where it is.
    fixture
        .relman(&["release", "1.3.0"])
        .expect(2)
        .stderr_has(
            "error: step 5 (bump 1.3.0): version 1.3.0 exists already: tag `v1.3.0` on `origin`",
        )
        .stderr_has("hint: versions never repeat: release a version no tag has");
    assert_unchanged(&before, &snapshot(&fixture));
    assert!(fixture.journal().is_none());

    fixture.git(&["fetch", "--quiet", "origin", "--tags"]);
    let run = fixture.relman(&["release", "1.3.0"]);
    run.expect(2).stderr_has(
        "error: step 5 (bump 1.3.0): version 1.3.0 exists already: tag `v1.3.0` on branch `main`",
    );
    assert!(!run.stderr.contains("git tag -d"), "{}", run.stderr);

    // A level moves on to the next free version of that level, and says so.
    let plan = fixture.relman(&["plan", "release", "minor"]);
    plan.expect(0);
    assert!(
        plan.stdout
            .contains("Plan: release 1.2.3 → 1.4.0 (tag v1.4.0)"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("warning: 1.3.0 exists already (tag `v1.3.0` on branch `main`): the next free minor version is 1.4.0"),
        "{}",
        plan.stdout
    );

    // Without a check, a tag step whose tag exists at another commit says what to do.
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]
[workflow.release]
[[workflow.release.step]]
bump = "minor"
[[workflow.release.step]]
commit = "Release {version}"
[[workflow.release.step]]
tag = "deployed"
"#,
    );
    fixture.repo.tag("deployed");
    let main7 = fixture.git(&["rev-parse", "--short=7", "main"]);
    let run = fixture.relman(&["release"]);
    let head7 = fixture.git(&["rev-parse", "--short=7", "HEAD"]);
    run.expect(1)
        .stderr_has(&format!(
            "error: step 3 (tag deployed) failed: tag `deployed` already exists at {main7}, not at {head7}"
        ))
        .stderr_has("hint: `deployed` may be someone's release: see what it is with `git show deployed`; to release under another version, `relman abort` and plan again with that version");
    // Nothing tells anyone to delete it, and abort leaves it where it was.
    assert!(!run.stderr.contains("git tag -d"), "{}", run.stderr);
    fixture.relman(&["abort"]).expect(0);
    assert_eq!(fixture.git(&["rev-parse", "--short=7", "deployed"]), main7);
    assert_eq!(fixture.git(&["rev-parse", "--short=7", "HEAD"]), main7);
}

#[test]
fn a_dirty_tree_or_a_detached_head_stops_the_release_before_it_changes_anything() {
    let fixture = Fixture::new(RELEASE);
    fixture.repo.write("greet.txt", "changed\n");
    fixture.repo.write("notes.txt", "draft\n");
    let before = snapshot(&fixture);
    fixture
        .relman(&["release"])
        .expect(1)
        .stderr_has("error: the plan cannot start: step 2 (check: clean): uncommitted changes: modified: greet.txt, untracked: notes.txt")
        .stderr_has("hint: commit or stash them (`git stash -u`), or set `allow-untracked = true` on the check");
    assert_unchanged(&before, &snapshot(&fixture));

    let fixture = Fixture::new(RELEASE);
    fixture.git(&["switch", "--quiet", "--detach", "HEAD"]);
    let before = snapshot(&fixture);
    fixture
        .relman(&["release"])
        .expect(1)
        .stderr_has(
            "error: the plan cannot start: step 1 (check: branch): HEAD is detached, not on `main`",
        )
        .stderr_has("hint: switch to the release branch: `git switch main`");
    assert_unchanged(&before, &snapshot(&fixture));

    // A push of the branch on a detached HEAD names the problem.
    let fixture = Fixture::new(
        r#"
[workflow.publish]
[[workflow.publish.step]]
push = "branch"
"#,
    );
    fixture.git(&["switch", "--quiet", "--detach", "HEAD"]);
    fixture.relman(&["publish"]).expect(1).stderr_has(
        "error: step 1 (push branch) failed: HEAD is detached: there is no branch to push",
    );
}

#[test]
fn a_shallow_clone_says_how_to_get_the_history() {
    let fixture = Fixture::new(RELEASE);
    let shallow = fixture.repo.clone_remote("shallow", &["--depth=1"]);
    let run = fixture.relman(&["-C", shallow.to_str().unwrap(), "plan", "release"]);
    run.expect(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: the repository at `{}` is a shallow clone, so its history is incomplete\n\
             hint: fetch the whole history with `git fetch --unshallow`, or set `fetch-depth: 0` in actions/checkout\n",
            shallow.display()
        )
    );
}

#[test]
fn a_non_version_tag_among_release_tags_is_ignored_with_one_note() {
    let fixture = Fixture::new(RELEASE);
    fixture.repo.tag("vnext");
    let plan = fixture.relman(&["plan", "release"]);
    plan.expect(0);
    let notes: Vec<&str> = plan
        .stdout
        .lines()
        .filter(|line| line.contains("vnext"))
        .collect();
    assert_eq!(
        notes,
        [
            "warning: 1 tag in the form `v{version}` is no release of this project and was ignored (`vnext`); \
          `ignore-tags = [\"vnext\"]` under `[project]` in relman.toml says so and silences this"
        ],
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("Plan: release 1.2.3 → 1.3.0"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("git tag -d") && !plan.stderr.contains("git tag -d"));
    // Data commands stay quiet.
    let version = fixture.relman(&["version", "--next", "auto"]);
    version.expect(0);
    assert_eq!(
        (version.stdout.as_str(), version.stderr.as_str()),
        ("1.3.0\n", "")
    );
}

#[test]
fn a_push_behind_the_remote_is_rejected_with_what_to_do() {
    let fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]
[workflow.release]
[[workflow.release.step]]
bump = "minor"
[[workflow.release.step]]
commit = "Release {version}"
[[workflow.release.step]]
push = "branch"
"#,
    );
    let other = fixture.repo.clone_remote("other", &[]);
    fixture.repo.git_in(
        &other,
        &["commit", "--quiet", "--allow-empty", "-m", "fix: meanwhile"],
    );
    fixture
        .repo
        .git_in(&other, &["push", "--quiet", "origin", "main"]);
    let remote = fixture.remote_refs();
    let run = fixture.relman(&["release"]);
    run.expect(1)
        .stderr_has("error: step 3 (push branch) failed: push to `origin` was rejected:\n  `refs/heads/main`: the remote has commits you do not have")
        .stderr_has("hint: the remote branch has commits you do not have: fetch and integrate them (`git pull --rebase`), then push again");
    assert_eq!(fixture.remote_refs(), remote);

    // The user integrates the remote's commit; resume pushes.
    fixture.git(&["pull", "--quiet", "--rebase", "origin", "main"]);
    fixture.relman(&["resume"]).expect(0);
    assert_eq!(
        fixture.remote_refs()["refs/heads/main"],
        fixture.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn a_corrupt_or_old_journal_is_refused_with_what_to_do() {
    let fixture = Fixture::new(RELEASE);
    let dir = fixture.path().join(".git/relman");
    fs_err::create_dir_all(&dir).unwrap();
    let journal = dir.join("journal.json");
    let path = journal.display();

    fs_err::write(&journal, "{ \"schema\": 1, \"state\": \"runn").unwrap();
    for args in [&["resume"][..], &["release"], &["abort"], &["status"]] {
        let before = snapshot(&fixture);
        let run = fixture.relman(args);
        run.expect(2)
            .stderr_has(&format!("error: the journal `{path}` is corrupt: EOF while parsing a string at line 1 column 29"))
            .stderr_has(&format!("hint: inspect it (it is JSON); to give up on that release, move it away: `mv {path} {path}.broken`, then check the repository by hand"));
        // The only trace is relman's own (empty) lock file.
        let mut after = snapshot(&fixture);
        if !before.files.contains_key(".git/relman/lock") {
            assert_eq!(after.files.remove(".git/relman/lock"), Some(Vec::new()));
        }
        assert_unchanged(&before, &after);
    }

    fs_err::write(
        &journal,
        "{ \"schema\": 0, \"relman_version\": \"0.0.9\", \"steps\": [] }",
    )
    .unwrap();
    for args in [&["resume"][..], &["release"], &["status"]] {
        let run = fixture.relman(args);
        run.expect(2)
            .stderr_has(&format!("error: the journal `{path}` was written by relman 0.0.9 (journal schema 0); this relman reads schemas 1 and 2"))
            .stderr_has("hint: finish or abort that release with relman 0.0.9, or move the journal away to start over");
    }
    // Following the hint gets a working clone back.
    fs_err::rename(&journal, dir.join("journal.json.old")).unwrap();
    fixture.relman(&["release"]).expect(0);
}
