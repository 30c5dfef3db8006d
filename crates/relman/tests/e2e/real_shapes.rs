//! Shapes of real repositories, rebuilt small: each test is a defect seen on a public repository
//! with years of history (named in docs/real-repositories.md), asserted through the binary with
//! no relman.toml and with the one `init` writes.

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stderr, stdout};

/// Runs relman and asserts the exit code; returns stdout and stderr.
#[track_caller]
fn run(repo: &TestRepo, args: &[&str], code: i32) -> (String, String) {
    let output = relman(repo, args);
    assert_exit(&output, code);
    (stdout(&output), stderr(&output))
}

fn tag_at(repo: &TestRepo, name: &str, rev: &str) {
    repo.git(&["update-ref", &format!("refs/tags/{name}"), rev]);
}

/// ripgrep: the binary's bare tags beside the library crates' `NAME-VERSION` tags, a junk tag.
#[test]
fn other_packages_tags_and_junk_are_ignored_with_one_note() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"ripgrep\"\nversion = \"15.0.0\"\n",
    );
    repo.write("CHANGELOG.md", "# Changelog\n");
    repo.commit("feat: start");
    repo.tag("14.1.0");
    repo.tag("globset-0.4.20");
    repo.commit_file("a.txt", "1", "fix: one");
    repo.tag("15.0.0");
    repo.tag("grep-0.2.1");
    repo.tag("grep-pcre2-0.1.8");
    tag_at(&repo, "-", "HEAD");
    repo.commit_file("a.txt", "2", "feat: two");
    repo.push(&["main"]);

    assert_eq!(
        run(&repo, &["version"], 0),
        ("15.0.0\n".into(), String::new())
    );
    assert_eq!(
        run(&repo, &["version", "--next", "auto"], 0),
        ("15.1.0\n".into(), String::new())
    );
    let (check, _) = run(&repo, &["check"], 0);
    let notes: Vec<&str> = check
        .lines()
        .filter(|line| line.contains("ignored"))
        .collect();
    assert_eq!(
        notes,
        [
            "✓ 4 tags in the form `{version}` are no release of this project and were ignored \
          (`-`, `globset-0.4.20`, `grep-0.2.1`, `grep-pcre2-0.1.8`); `ignore-tags = [\"-\", \
          \"globset-*\", \"grep-*\", \"grep-pcre2-*\"]` under `[project]` in relman.toml says so \
          and silences this"
        ],
        "{check}"
    );
    let (plan, plan_err) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains("Plan: release 15.0.0 → 15.1.0 (tag 15.1.0)"),
        "{plan}"
    );
    assert!(!format!("{plan}{plan_err}").contains("git tag -d"));

    // init writes globs, and its config checks and plans in the same repository, silently.
    let (report, _) = run(&repo, &["init"], 0);
    assert!(report.contains("wrote relman.toml"), "{report}");
    let written = repo.read("relman.toml");
    assert!(
        written.contains("ignore-tags = [\"-\", \"globset-*\", \"grep-*\", \"grep-pcre2-*\"]\n"),
        "{written}"
    );
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    let (check, _) = run(&repo, &["check"], 0);
    assert!(!check.contains("ignored"), "{check}");
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("→ 15.1.0"), "{plan}");
}

/// A four-part tag next to `v1.0.0` must not make the format `v1.{version}`, and old two-part
/// tags (`v1.0`) are releases `1.0.0`.
#[test]
fn four_part_tags_are_ignored_and_two_part_tags_are_releases() {
    let repo = TestRepo::new();
    repo.commit("feat: start");
    repo.tag("v1.0");
    repo.commit_file("a.txt", "1", "fix: one");
    repo.tag("v1.1");
    repo.commit_file("a.txt", "2", "fix: two");
    repo.tag("v1.2.3.4");
    repo.commit_file("a.txt", "3", "fix: three");
    repo.push(&["main"]);
    assert_eq!(run(&repo, &["version"], 0).0, "1.1.0\n");
    assert_eq!(run(&repo, &["version", "--next", "minor"], 0).0, "1.2.0\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(check.contains("tag format `v{version}`"), "{check}");
    assert!(check.contains("last release v1.1 at"), "{check}");
    assert!(check.contains("(`v1.2.3.4`)"), "{check}");
}

/// helm: `v4.2.0` and `v4.2.1` are tagged on `release-4.2`, never merged back; main's last
/// reachable release is `v4.1.0`.
#[test]
fn release_branches_are_neither_repeated_nor_listed_again() {
    let repo = TestRepo::new();
    repo.commit("feat: start");
    repo.tag("v4.1.0");
    repo.commit_file("a.txt", "1", "feat: shipped in 4.2.0");
    repo.git(&["switch", "--quiet", "-c", "release-4.2"]);
    repo.commit_file("b.txt", "1", "fix: only on the release branch");
    repo.tag("v4.2.0");
    repo.commit_file("b.txt", "2", "fix: backport");
    repo.tag("v4.2.1");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit_file("a.txt", "2", "feat: after the branch point");
    repo.push(&["main", "release-4.2", "v4.1.0", "v4.2.0", "v4.2.1"]);

    let (next, note) = run(&repo, &["version", "--next", "auto"], 0);
    assert_eq!(next, "4.3.0\n");
    assert_eq!(
        note,
        "note: 4.2.0 exists already (tag `v4.2.0` on branch `release-4.2`): the next free auto version is 4.3.0\n"
    );
    assert_eq!(run(&repo, &["version", "--next", "patch"], 0).0, "4.1.1\n");
    let (section, _) = run(&repo, &["changelog"], 0);
    assert!(section.contains("after the branch point"), "{section}");
    assert!(
        !section.contains("shipped in 4.2.0"),
        "shipped already: {section}"
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains("Plan: release 4.1.0 → 4.3.0 (tag v4.3.0)"),
        "{plan}"
    );
    let (_, refused) = run(&repo, &["plan", "release", "4.2.1"], 2);
    assert_eq!(
        refused,
        "error: step 5 (bump 4.2.1): version 4.2.1 exists already: tag `v4.2.1` on branch `release-4.2`\n\
         hint: versions never repeat: release a version no tag has (`git tag --list` shows them), or a level such as `patch` to get the next free one\n"
    );
    let (_, refused) = run(&repo, &["plan", "release", "4.0.9"], 2);
    assert!(
        refused.contains("`4.0.9` is lower than the current version `4.1.0`"),
        "{refused}"
    );
}

/// argo-cd: master last reached an old tag (`v0.8.0`), and every release since was tagged on a
/// release branch (`v3.5.1` on `release-3.5`): the release made on master follows `v3.5.1` in
/// `{previous_tag}`, `{previous_version}` and the changelog, whose section has only what master
/// did after the branch point. A patch of master's own line still follows `v0.8.0`.
#[test]
fn a_release_follows_the_newest_release_branch_tag_below_it() {
    let repo = TestRepo::new();
    repo.write(
        "relman.toml",
        "[project]\ntag = \"v{version}\"\n\n[[workflow.release.step]]\nbump = \"{args.level}\"\n\n\
         [[workflow.release.step]]\nrun = [\"echo\", \"follows {previous_tag} {previous_version}\"]\n\n\
         [workflow.release]\nargs = [{ name = \"level\", default = \"minor\" }]\n",
    );
    repo.commit("feat: start");
    repo.tag("v0.8.0");
    repo.commit_file("a.txt", "1", "feat: shipped in 3.5.0");
    repo.git(&["switch", "--quiet", "-c", "release-3.5"]);
    repo.commit_file("b.txt", "1", "fix: only on the release branch");
    repo.tag("v3.5.0");
    repo.commit_file("b.txt", "2", "fix: backport");
    repo.tag("v3.5.1");
    repo.tag("v3.5.2-rc.1");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit_file("a.txt", "2", "feat: after the branch point");
    repo.push(&[
        "main",
        "release-3.5",
        "v0.8.0",
        "v3.5.0",
        "v3.5.1",
        "v3.5.2-rc.1",
    ]);

    let (plan, _) = run(&repo, &["plan", "release", "3.6.0"], 0);
    assert!(plan.contains("echo 'follows v3.5.1 3.5.1'"), "{plan}");
    let (section, _) = run(&repo, &["changelog"], 0);
    assert!(section.contains("after the branch point"), "{section}");
    assert!(!section.contains("shipped in 3.5.0"), "{section}");
    let (plan, _) = run(&repo, &["plan", "release", "patch"], 0);
    assert!(plan.contains("echo 'follows v0.8.0 0.8.0'"), "{plan}");
    // `check` names the release-branch tag beside the one this branch reaches.
    let (check, _) = run(&repo, &["check"], 0);
    assert!(
        check.contains("last release v0.8.0 at ")
            && check.contains(
                "; the newest release, v3.5.1, was tagged on a branch this one does not reach"
            ),
        "{check}"
    );
    // Version files ahead of both: the note names the release this one follows.
    repo.write("VERSION", "3.6.0\n");
    repo.commit("chore: 3.6.0 in VERSION");
    let (_, note) = run(&repo, &["version", "--next", "auto"], 0);
    assert!(
        note.contains("ahead of the last release 3.5.1 and not tagged yet"),
        "{note}"
    );
}

/// vite: a scoped package (`@vitejs/plugin-legacy`) tagged without its scope
/// (`plugin-legacy@8.2.3`): those are its releases, not a retired package's, and a fix since
/// makes 8.2.4, not a "first release" far above. The private root (`@vitejs/vite-monorepo`,
/// no version) releases `packages/vite` under its `v` tags, and is named `vite`.
#[test]
fn a_scoped_npm_package_tagged_without_its_scope_keeps_its_releases() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"@vitejs/vite-monorepo\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    repo.write(
        "packages/vite/package.json",
        "{\n  \"name\": \"vite\",\n  \"version\": \"8.2.2\"\n}\n",
    );
    repo.write(
        "packages/plugin-legacy/package.json",
        "{\n  \"name\": \"@vitejs/plugin-legacy\",\n  \"version\": \"8.2.3\"\n}\n",
    );
    repo.commit("feat: start");
    for tag in ["v8.2.2", "plugin-legacy@8.2.2", "plugin-legacy@8.2.3"] {
        repo.tag(tag);
    }
    repo.commit_file("packages/plugin-legacy/index.js", "1", "fix: legacy chunks");
    repo.push(&[
        "main",
        "v8.2.2",
        "plugin-legacy@8.2.2",
        "plugin-legacy@8.2.3",
    ]);

    let (listed, _) = run(&repo, &["packages"], 0);
    let legacy = listed
        .lines()
        .find(|line| line.starts_with("@vitejs/plugin-legacy"))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(legacy.contains("plugin-legacy@8.2.3"), "{listed}");
    assert!(legacy.trim_end().ends_with("8.2.4"), "{listed}");
    assert!(!listed.contains("retired: plugin-legacy"), "{listed}");
    // The private root has no version: its `v` tags are `packages/vite`'s, which it is.
    assert!(
        listed.lines().any(|line| line.starts_with("vite ")),
        "{listed}"
    );
    assert!(!listed.contains("vite-monorepo"), "{listed}");
}

/// A stale root `setup.cfg` while the tags and `VERSION.txt` moved on: it is no version file,
/// and a release never goes below the last one.
#[test]
fn a_stale_version_file_is_left_out_and_never_released_from() {
    let repo = TestRepo::new();
    repo.write("setup.cfg", "[metadata]\nname = demo\nversion = 1.0.0\n");
    repo.write("VERSION.txt", "2.3.0\n");
    repo.commit("feat: start");
    repo.tag("v2.3.0");
    repo.commit_file("a.txt", "1", "fix: one");
    repo.push(&["main"]);

    assert_eq!(run(&repo, &["version"], 0).0, "2.3.0\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(
        check.contains("✓ `setup.cfg` is not a version file: it holds 1.0.0, behind the last release 2.3.0 (tag `v2.3.0`)"),
        "{check}"
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("2.3.0 → 2.3.1"), "{plan}");
    assert!(
        plan.contains("+++ b/VERSION.txt") && !plan.contains("+++ b/setup.cfg"),
        "{plan}"
    );

    // Configured as the source of truth, the stale file fails `check` and every plan.
    repo.write(
        "relman.toml",
        "[project]\nversion-files = [\"setup.cfg\"]\n",
    );
    let (_, refused) = run(&repo, &["check"], 2);
    assert!(
        refused.contains(
            "error: `setup.cfg` holds 1.0.0, behind the last release 2.3.0 (tag `v2.3.0`)"
        ),
        "{refused}"
    );
    let (_, refused) = run(&repo, &["plan", "release", "patch"], 2);
    assert!(
        refused.contains("version 1.0.1 is below the last release 2.3.0"),
        "{refused}"
    );
    assert!(
        refused.contains("hint: the version files are behind the last release 2.3.0"),
        "{refused}"
    );
}

/// A Go module released by tags alone, with no changelog: the release tags HEAD and pushes.
#[test]
fn a_tags_only_project_tags_head_and_pushes() {
    let repo = TestRepo::new();
    repo.write("go.mod", "module example.com/cli\n\ngo 1.22\n");
    repo.commit("feat: start");
    repo.tag("v1.10.2");
    repo.commit_file("main.go", "package main\n", "fix: exit code");
    repo.push(&["main", "v1.10.2"]);
    let head = repo.head();

    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains(
            "skipped: no earlier step changes a file: nothing to commit, the tag goes on HEAD"
        ),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(repo.head(), head, "no commit");
    assert_eq!(repo.git(&["rev-parse", "v1.10.3^{commit}"]), head);
    let remote = repo.git(&["ls-remote", "--tags", &repo.remote_url(), "v1.10.3^{}"]);
    assert!(remote.starts_with(&head), "pushed: {remote}");
    assert!(
        !repo.path().join("CHANGELOG.md").exists(),
        "no changelog created"
    );
}

/// Nothing releasable since the last tag: `plan` and `run` both say so, exit 0, no hint.
#[test]
fn nothing_to_release_is_exit_zero_from_plan_and_run() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"x\",\n  \"version\": \"15.0.5\"\n}\n",
    );
    repo.commit("feat: start");
    repo.tag("v15.0.5");
    repo.commit_file("README.md", "docs", "docs: typo");
    repo.push(&["main", "v15.0.5"]);
    let (plan, plan_err) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("nothing to release"), "{plan}");
    assert_eq!(plan_err, "");
    let (json, _) = run(&repo, &["--json", "plan", "release"], 0);
    assert!(
        !json.contains("git tag -d") && !json.contains("\"hint\""),
        "{json}"
    );
    // The result of a run is on stdout.
    let (run_out, _) = run(&repo, &["release", "--yes"], 0);
    assert!(run_out.contains("nothing to release"), "{run_out}");
    assert_eq!(repo.git(&["tag", "--list"]), "v15.0.5");
}

/// Commits, no tag, no version file: the first release is `initial-version`.
#[test]
fn the_first_release_is_the_initial_version() {
    let repo = TestRepo::new();
    repo.commit("feat: start");
    repo.commit_file("a.txt", "1", "fix: one");
    repo.push(&["main"]);
    let (version, note) = run(&repo, &["version"], 0);
    assert_eq!(version, "0.0.0\n");
    assert_eq!(note, "note: no release yet: the first is 0.1.0\n");
    assert_eq!(run(&repo, &["version", "--next", "major"], 0).0, "0.1.0\n");
    run(&repo, &["check"], 0);
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.contains("→ 0.1.0 (tag v0.1.0)"), "{plan}");
    assert_eq!(run(&repo, &["version", "--next", "0.5.0"], 0).0, "0.5.0\n");

    repo.write("relman.toml", "[project]\ninitial-version = \"1.0.0\"\n");
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(repo.git(&["tag", "--list"]), "v1.0.0");
}

/// zellij: the files were bumped when the last release was cut (`0.46.0`, untagged) while the
/// tags reached are older: `auto` releases what the files hold.
#[test]
fn version_files_ahead_of_the_last_release_are_the_release() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"z\"\nversion = \"0.44.1\"\n",
    );
    repo.commit("feat: start");
    repo.tag("v0.44.1");
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"z\"\nversion = \"0.46.0\"\n",
    );
    repo.commit("chore: bump development version");
    repo.push(&["main"]);
    let (next, note) = run(&repo, &["version", "--next", "auto"], 0);
    assert_eq!(next, "0.46.0\n");
    assert!(
        note.contains("the version files hold 0.46.0, ahead of the last release 0.44.1"),
        "{note}"
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains("Plan: release 0.46.0 (tag v0.46.0)"),
        "{plan}"
    );
    assert!(
        plan.contains("the version files hold 0.46.0 already"),
        "{plan}"
    );
}

/// `init` checks what it wrote: files that disagree with no tag to decide are a choice it
/// cannot make; it says which and writes nothing.
#[test]
fn init_writes_nothing_it_cannot_stand_behind() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"name\": \"x\",\n  \"version\": \"1.0.0\"\n}\n",
    );
    repo.write("VERSION", "2.0.0\n");
    repo.commit("feat: start");
    repo.push(&["main"]);
    let (_, refused) = run(&repo, &["init"], 2);
    assert!(
        refused.starts_with(
            "error: relman init could not settle the version files: the version files disagree:"
        ),
        "{refused}"
    );
    assert!(!repo.path().join("relman.toml").exists());
}

/// helix: tags spell the month zero-padded (`25.07.1`), `Cargo.toml` the same release `25.7.1`.
/// That tag is the release of 25.7.1: never released again under the tag `25.7.1`.
#[test]
fn a_zero_padded_minor_in_a_tag_is_the_release_of_that_version() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[package]\nname = \"editor\"\nversion = \"25.1.0\"\n",
    );
    repo.commit("Release 25.01");
    repo.tag("25.01");
    repo.commit_file(
        "Cargo.toml",
        "[package]\nname = \"editor\"\nversion = \"25.7.1\"\n",
        "Release 25.07.1",
    );
    repo.tag("25.07.1");
    repo.commit_file("src.rs", "", "fix: cursor");
    repo.push(&["main", "25.01", "25.07.1"]);

    let (check, _) = run(&repo, &["check"], 0);
    assert!(check.contains("last release 25.07.1 at"), "{check}");
    assert!(!check.contains("ignored"), "{check}");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "25.7.2\n");
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(plan.starts_with("Plan: release 25.7.1 → 25.7.2"), "{plan}");
}

/// luafilesystem and curl: tags joining the numbers with `_` (`v1_9_0` after the dotted
/// `v1.5.0`, `curl-8_21_0`). relman read 1.5.0 as the last release (curl: none at all) and
/// would have tagged the next one with dots.
#[test]
fn tags_joining_numbers_with_underscores_are_releases_and_the_next_one_is_spelt_so() {
    let repo = TestRepo::new();
    repo.write("src/lfs.c", "/* lfs */\n");
    repo.commit("Release 1.5.0");
    repo.tag("v1.5.0");
    repo.commit_file("src/lfs.c", "/* lfs 1.9 */\n", "Release 1.9.0");
    repo.tag("v1_9_0");
    repo.tag("v1_7_0_2");
    repo.commit_file("src/lfs.c", "/* lfs 1.9, fixed */\n", "fix: a leak");
    repo.push(&["main", "v1.5.0", "v1_9_0"]);

    let (version, _) = run(&repo, &["version"], 0);
    assert_eq!(version, "1.9.0\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(check.contains("last release v1_9_0 at "), "{check}");
    assert!(check.contains(", 1 commit since"), "{check}");
    run(&repo, &["init"], 0);
    assert!(
        repo.read("relman.toml")
            .contains("tag = \"v{version:_}\"\n")
    );
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.starts_with("Plan: release 1.9.0 → 1.9.1 (tag v1_9_1)\n"),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    let remote = repo.git(&["ls-remote", "--tags", &repo.remote_url(), "v1_9_1"]);
    assert!(remote.ends_with("refs/tags/v1_9_1"), "{remote}");
}

/// cert-manager: `release-1.20` holds the 1.20 patches while main went on to 1.21.0. A feature
/// backported there after v1.20.3 made `auto` 1.21.0, taken, so "the next free" 1.22.0: a
/// release from the maintenance branch would have jumped over main's line.
#[test]
fn a_branch_named_for_a_line_releases_within_it() {
    let repo = TestRepo::new();
    repo.commit("feat: start");
    repo.tag("v1.20.0");
    repo.git(&["switch", "--quiet", "-c", "release-1.20"]);
    repo.commit_file("b.txt", "1", "fix: a backport");
    repo.tag("v1.20.3");
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit_file("a.txt", "1", "feat: the next line");
    repo.tag("v1.21.0");
    repo.git(&["switch", "--quiet", "release-1.20"]);
    repo.commit_file("b.txt", "2", "feat: a backported feature");
    repo.push(&["main", "release-1.20", "v1.20.0", "v1.20.3", "v1.21.0"]);

    let (next, note) = run(&repo, &["version", "--next", "auto"], 0);
    assert_eq!(next, "1.20.4\n");
    assert_eq!(
        note,
        "note: `release-1.20` is the 1.20 line: `auto` releases 1.20.4 there, not 1.21.0\n"
    );
    // (The built-in workflow releases from main: its branch check fails here, as it should.)
    let (plan, _) = run(&repo, &["plan", "release"], 1);
    assert!(
        plan.starts_with("Plan: release 1.20.3 → 1.20.4 (tag v1.20.4)\n"),
        "{plan}"
    );
    // A level said outright is the maintainer's: the next free minor.
    assert_eq!(run(&repo, &["version", "--next", "minor"], 0).0, "1.22.0\n");
    // main is no line: its next feature release is its own.
    repo.git(&["switch", "--quiet", "main"]);
    repo.commit_file("a.txt", "2", "feat: more");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "1.22.0\n");
}

/// ipywidgets once its npm packages' tags were left behind: one project, released by its bare
/// tags, whose top `package.json` is a private workspace root without a name. A `publish =
/// "npm"` step (drafted from its runbook's `yarn publish`) stopped the plan: "`package.json` has
/// no `name`".
#[test]
fn a_private_top_package_json_is_never_published() {
    let repo = TestRepo::new();
    repo.write(
        "package.json",
        "{\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    repo.write("VERSION", "1.0.0\n");
    repo.write(
        "relman.toml",
        "[[workflow.ship.step]]\nbump = \"patch\"\n\n[[workflow.ship.step]]\npublish = \"npm\"\n",
    );
    repo.commit("chore: start");
    repo.tag("v1.0.0");
    repo.commit_file("a.txt", "a", "fix: one");
    repo.push(&["main", "v1.0.0"]);
    let (plan, _) = run(&repo, &["plan", "ship"], 0);
    assert!(
        plan.contains(
            "skipped: the top `package.json` is a private workspace root: it is never published"
        ),
        "{plan}"
    );
}
