//! Steps that act in another checkout (`dir`), cloned from `clone` when it is missing: the docs
//! of a release regenerated into a sibling repository, committed on a branch and pushed there,
//! while the project's own repository is left alone.

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stderr, stdout};

/// A bare `docs.git` with one commit, next to the test repository.
fn docs_remote(repo: &TestRepo) -> String {
    let root = repo.root();
    repo.git_in(root, &["init", "--quiet", "--bare", "docs.git"]);
    repo.git_in(root, &["clone", "--quiet", "docs.git", "docs-seed"]);
    let seed = root.join("docs-seed");
    fs_err::write(seed.join("README.md"), "# Docs\n").unwrap();
    repo.git_in(&seed, &["add", "."]);
    repo.git_in(&seed, &["commit", "--quiet", "-m", "docs: start"]);
    repo.git_in(&seed, &["push", "--quiet", "origin", "HEAD:main"]);
    format!("file://{}", root.join("docs.git").display())
}

const CONFIG: &str = r#"
[project]
version-files = ["VERSION"]

[workflow.docs]
[[workflow.docs.step]]
branch = "docs/{version}"
dir = "../site"
clone = "{env.DOCS_REMOTE}"

[[workflow.docs.step]]
run = ["sh", "-c", "mkdir -p generated && echo \"help for $0\" > generated/help.md", "{version}"]
dir = "../site"

[[workflow.docs.step]]
commit = "docs: regenerate for {version}"
add = ["generated/*"]
dir = "../site"

[[workflow.docs.step]]
push = "branch"
dir = "../site"
"#;

#[test]
fn steps_with_dir_act_in_a_sibling_clone() {
    let repo = TestRepo::new();
    let url = docs_remote(&repo);
    repo.write("VERSION", "2.4.0\n");
    repo.write("relman.toml", CONFIG);
    repo.commit("chore: start");
    let mut command = repo.command(crate::plain::relman_path());
    let plan = command
        .args(["plan", "docs"])
        .env("DOCS_REMOTE", &url)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_exit(&plan, 0);
    let text = stdout(&plan);
    assert!(
        text.contains(&format!("in `../site` (cloned from {url} when missing)")),
        "{text}"
    );
    assert!(
        !repo.root().join("site").exists(),
        "the plan clones nothing"
    );

    let mut command = repo.command(crate::plain::relman_path());
    let run = command
        .args(["run", "docs", "--yes"])
        .env("DOCS_REMOTE", &url)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_exit(&run, 0);
    // The sibling repository's remote has the branch with the generated file, committed once.
    let site_remote = repo.root().join("docs.git");
    let log = repo.git_in(&site_remote, &["log", "--format=%s", "docs/2.4.0"]);
    assert_eq!(log, "docs: regenerate for 2.4.0\ndocs: start");
    let file = repo.git_in(&site_remote, &["show", "docs/2.4.0:generated/help.md"]);
    assert_eq!(file, "help for 2.4.0");
    // The project itself is untouched: no new commit, no branch.
    assert_eq!(repo.git(&["log", "--format=%s"]), "chore: start");
    assert_eq!(repo.git(&["branch", "--format=%(refname:short)"]), "main");
    let _ = relman(&repo, &["status"]);
}

#[test]
fn a_missing_checkout_without_clone_says_how_to_get_it() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.write(
        "relman.toml",
        "[[workflow.w.step]]\nrun = \"true\"\ndir = \"../nowhere\"\n",
    );
    repo.commit("chore: start");
    let output = relman(&repo, &["run", "w", "--yes"]);
    assert_exit(&output, 1);
    let message = stderr(&output);
    assert!(
        message.contains("the checkout `../nowhere` does not exist"),
        "{message}"
    );
    assert!(message.contains("clone = \"URL\""), "{message}");
}

/// `abort` takes back what the release did in the other checkout, there: its commit and its
/// branch, while the project's own repository is left alone.
#[test]
fn abort_undoes_a_commit_and_a_branch_made_in_another_checkout() {
    let repo = TestRepo::new();
    let url = docs_remote(&repo);
    repo.write("VERSION", "2.4.0\n");
    let paused = CONFIG.replace(
        "[[workflow.docs.step]]\npush = \"branch\"\ndir = \"../site\"\n",
        "[[workflow.docs.step]]\nmanual = \"Read the docs\"\n",
    );
    repo.write("relman.toml", &paused);
    repo.commit("chore: start");
    let run = |args: &[&str]| {
        let mut command = repo.command(crate::plain::relman_path());
        command
            .args(args)
            .env("DOCS_REMOTE", &url)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    assert_exit(&run(&["run", "docs", "--yes"]), 3);
    let site = repo.root().join("site");
    assert_eq!(
        repo.git_in(&site, &["log", "--format=%s"]),
        "docs: regenerate for 2.4.0\ndocs: start"
    );

    let abort = run(&["abort"]);
    assert_exit(&abort, 0);
    let text = stdout(&abort);
    assert!(text.contains("↺ deleted branch `docs/2.4.0`"), "{text}");
    assert_eq!(repo.git_in(&site, &["branch", "--show-current"]), "main");
    assert_eq!(
        repo.git_in(&site, &["branch", "--format=%(refname:short)"]),
        "main"
    );
    assert_eq!(repo.git_in(&site, &["log", "--format=%s"]), "docs: start");
    // The generated file stays (its `run` step has no `undo`), untracked, as before the commit.
    assert_eq!(
        repo.git_in(&site, &["status", "--porcelain"]),
        "?? generated/"
    );
    assert_eq!(repo.git(&["log", "--format=%s"]), "chore: start");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

/// The plan of steps in another checkout shows that checkout's branch, the files its steps
/// change there and its remote, as the run then acts; the project's own steps keep theirs.
#[test]
fn the_plan_of_a_step_in_another_checkout_shows_that_checkout() {
    let repo = TestRepo::new();
    let url = docs_remote(&repo);
    repo.git_in(repo.root(), &["clone", "--quiet", &url, "site"]);
    let site = repo.root().join("site");
    repo.git_in(&site, &["switch", "--quiet", "--create", "pages"]);
    repo.git_in(
        &site,
        &["push", "--quiet", "--set-upstream", "origin", "pages"],
    );
    repo.write("VERSION", "2.4.0\n");
    repo.write(
        "relman.toml",
        r#"
[project]
version-files = ["VERSION"]

[workflow.docs]
[[workflow.docs.step]]
bump = "minor"

[[workflow.docs.step]]
run = ["sh", "-c", "echo $0 > built-from", "{branch}"]
dir = "../site"

[[workflow.docs.step]]
commit = "docs for {version}"
add = ["built-from"]
dir = "../site"

[[workflow.docs.step]]
push = "branch"
dir = "../site"

[[workflow.docs.step]]
commit = "Release {version}"

[[workflow.docs.step]]
push = "branch"
"#,
    );
    repo.commit("chore: start");
    repo.push(&["--set-upstream", "main"]);

    let plan = relman(&repo, &["plan", "docs"]);
    assert_exit(&plan, 0);
    let text = stdout(&plan);
    for expected in [
        "$ sh -c 'echo $0 > built-from' pages",
        "commit built-from: only these",
        "push refs/heads/pages to `origin`",
        "commit VERSION: only these",
        "push refs/heads/main to `origin`",
    ] {
        assert!(text.contains(expected), "`{expected}` is not in:\n{text}");
    }
    assert!(!text.contains("commit VERSION, built-from"), "{text}");

    assert_exit(&relman(&repo, &["run", "docs", "--yes"]), 0);
    let site_remote = repo.root().join("docs.git");
    assert_eq!(
        repo.git_in(&site_remote, &["show", "pages:built-from"]),
        "pages"
    );
    assert_eq!(
        repo.git_in(&site_remote, &["log", "-1", "--format=%s", "pages"]),
        "docs for 2.5.0"
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s", "origin/main"]),
        "Release 2.5.0"
    );
}
