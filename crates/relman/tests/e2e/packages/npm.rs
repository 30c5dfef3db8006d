//! An npm workspace with changesets (scoped names, an exact pin, a development dependency, two
//! changesets in two commits), released for real: `auto` takes the changesets' levels, `@acme/ui`
//! follows `@acme/core` because its exact pin `1.0.0` no longer allows `1.1.0`, ranges are
//! rewritten, the changesets are removed, each package gets its `CHANGELOG.md` entry and its
//! `NAME@VERSION` tag. Every `package.json`, changelog and the `.changeset` folder are compared
//! byte for byte with what `changeset version` (@changesets/cli 3) makes of the same commit, and
//! `package-lock.json` must satisfy `npm ci --dry-run`. Then the same in pre mode, and an abort
//! that puts every changeset and changelog back (unless a person changed one since).

use std::path::Path;

use relman_testkit::{TestRepo, require_tool};

use super::{released_files, remote_tags, run, tool};

const CONFIG: &str = r#"{
  "$schema": "https://unpkg.com/@changesets/config@3.0.0/schema.json",
  "changelog": "@changesets/cli/changelog",
  "commit": false,
  "fixed": [],
  "linked": [],
  "access": "restricted",
  "baseBranch": "main",
  "updateInternalDependencies": "patch",
  "ignore": []
}
"#;

/// The files `changeset version` writes or removes, compared between relman and the oracle.
const COMPARED: &[&str] = &[
    "packages/core/package.json",
    "packages/ui/package.json",
    "packages/cli/package.json",
    "packages/core/CHANGELOG.md",
    "packages/ui/CHANGELOG.md",
    "packages/cli/CHANGELOG.md",
];

fn workspace(repo: &TestRepo, pre: bool, config: &str) {
    repo.write(
        "package.json",
        "{\n  \"name\": \"acme\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    repo.write(
        "packages/core/package.json",
        "{\n  \"name\": \"@acme/core\",\n  \"version\": \"1.0.0\"\n}\n",
    );
    repo.write(
        "packages/ui/package.json",
        "{\n  \"name\": \"@acme/ui\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"@acme/core\": \"1.0.0\"\n  }\n}\n",
    );
    repo.write(
        "packages/cli/package.json",
        "{\n  \"name\": \"@acme/cli\",\n  \"version\": \"0.3.0\",\n  \"dependencies\": {\n    \"@acme/ui\": \"^1.0.0\"\n  },\n  \"devDependencies\": {\n    \"@acme/core\": \"^1.0.0\"\n  }\n}\n",
    );
    repo.write(
        "packages/cli/CHANGELOG.md",
        "# @acme/cli\n\n## 0.3.0\n\n- Older.\n",
    );
    repo.write(".changeset/config.json", config);
    repo.write(".changeset/README.md", "Changesets live here.\n");
    if pre {
        repo.write(
            ".changeset/pre.json",
            "{\n  \"mode\": \"pre\",\n  \"tag\": \"beta\"\n}\n",
        );
    }
}

fn npm(dir: &Path, args: &[&str]) -> Result<String, String> {
    tool(dir, "npm", args)
}

/// The workspace with its lock, tagged, then two changesets in two commits.
fn released_workspace(pre: bool) -> Option<TestRepo> {
    released_workspace_with(pre, CONFIG)
}

fn released_workspace_with(pre: bool, config: &str) -> Option<TestRepo> {
    if !require_tool("npm") {
        return None;
    }
    let repo = TestRepo::new();
    workspace(&repo, pre, config);
    npm(
        repo.path(),
        &[
            "install",
            "--package-lock-only",
            "--offline",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
        ],
    )
    .unwrap();
    repo.commit("chore: start");
    for tag in ["@acme/core@1.0.0", "@acme/ui@1.0.0", "@acme/cli@0.3.0"] {
        repo.tag(tag);
    }
    repo.write(
        ".changeset/brave-lions.md",
        "---\n\"@acme/core\": minor\n---\n\nAdd a parser.\n\nIt reads things.\n",
    );
    repo.commit_file("packages/core/index.js", "export {}\n", "core: a parser");
    repo.write(
        ".changeset/calm-owls.md",
        "---\n'@acme/cli': patch\n---\n\nFix the flag.\n",
    );
    repo.commit_file("packages/cli/index.js", "export {}\n", "cli: the flag");
    repo.push(&[
        "main",
        "@acme/core@1.0.0",
        "@acme/ui@1.0.0",
        "@acme/cli@0.3.0",
    ]);
    Some(repo)
}

/// `changeset version` on a worktree of `rev`; returns its folder.
fn oracle(repo: &TestRepo, rev: &str) -> Option<std::path::PathBuf> {
    if !require_tool("changeset") {
        return None;
    }
    let dir = repo.root().join("oracle");
    repo.git(&["worktree", "add", "--quiet", dir.to_str().unwrap(), rev]);
    tool(&dir, "changeset", &["version"]).unwrap();
    Some(dir)
}

fn changeset_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for sub in ["", "pre"] {
        let Ok(entries) = fs_err::read_dir(dir.join(".changeset").join(sub)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                files.push(format!("{sub}/{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    files.sort();
    files
}

fn compare_with_oracle(repo: &TestRepo, oracle: &Path) {
    for file in COMPARED {
        assert_eq!(
            repo.read(file),
            fs_err::read_to_string(oracle.join(file)).unwrap_or_default(),
            "{file} as changeset version writes it"
        );
    }
    assert_eq!(changeset_files(repo.path()), changeset_files(oracle));
    if oracle.join(".changeset/pre.json").exists() {
        assert_eq!(
            repo.read(".changeset/pre.json"),
            fs_err::read_to_string(oracle.join(".changeset/pre.json")).unwrap()
        );
    }
}

#[test]
fn changesets_release_an_npm_workspace_as_changeset_version_does() {
    let Some(repo) = released_workspace(false) else {
        return;
    };
    let before = repo.head();
    let (listed, _) = run(&repo, &["packages"], 0);
    assert!(
        listed.contains("@acme/core  packages/core  1.0.0    @acme/core@1.0.0"),
        "{listed}"
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains(
            "Plan: release @acme/core 1.1.0 (@acme/core@1.1.0), @acme/ui 1.0.1 (@acme/ui@1.0.1), @acme/cli 0.3.1 (@acme/cli@0.3.1)"
        ),
        "{plan}"
    );
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        remote_tags(&repo),
        [
            "@acme/cli@0.3.0",
            "@acme/cli@0.3.1",
            "@acme/core@1.0.0",
            "@acme/core@1.1.0",
            "@acme/ui@1.0.0",
            "@acme/ui@1.0.1"
        ]
    );
    let files = released_files(&repo);
    assert!(
        files.contains(&".changeset/brave-lions.md".to_owned()),
        "{files:?}"
    );
    assert!(files.contains(&"package-lock.json".to_owned()), "{files:?}");
    assert!(
        repo.read("packages/ui/package.json")
            .contains("\"@acme/core\": \"1.1.0\"")
    );
    npm(
        repo.path(),
        &["ci", "--dry-run", "--offline", "--ignore-scripts"],
    )
    .unwrap();
    let sha = repo.git(&["log", "--format=%h", "-n1", "--abbrev=7", "HEAD~2"]);
    assert!(
        repo.read("packages/core/CHANGELOG.md")
            .contains(&format!("- {sha}: Add a parser.\n  \n  It reads things.")),
        "{}",
        repo.read("packages/core/CHANGELOG.md")
    );
    if let Some(oracle) = oracle(&repo, &before) {
        compare_with_oracle(&repo, &oracle);
    }
}

#[test]
fn pre_mode_releases_pre_releases_and_keeps_the_changesets_in_pre() {
    let Some(repo) = released_workspace(true) else {
        return;
    };
    let before = repo.head();
    let (released, _) = run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        released.trim(),
        "Released: @acme/core 1.1.0-beta.0 (@acme/core@1.1.0-beta.0), @acme/ui 1.0.1-beta.0 (@acme/ui@1.0.1-beta.0), @acme/cli 0.3.1-beta.0 (@acme/cli@0.3.1-beta.0)"
    );
    assert!(repo.path().join(".changeset/pre/brave-lions.md").is_file());
    npm(
        repo.path(),
        &["ci", "--dry-run", "--offline", "--ignore-scripts"],
    )
    .unwrap();
    if let Some(oracle) = oracle(&repo, &before) {
        compare_with_oracle(&repo, &oracle);
    }
}

#[test]
fn fixed_and_linked_groups_release_as_changeset_version_does() {
    let config = CONFIG
        .replace(
            "\"fixed\": []",
            "\"fixed\": [[\"@acme/core\", \"@acme/ui\"]]",
        )
        .replace(
            "\"linked\": []",
            "\"linked\": [[\"@acme/cli\", \"@acme/t*\"]]",
        );
    let Some(repo) = released_workspace_with(false, &config) else {
        return;
    };
    let before = repo.head();
    let (released, _) = run(&repo, &["release", "--yes"], 0);
    // The fixed group releases together at its highest level: ui at 1.1.0 with core.
    assert!(
        released.contains("@acme/core 1.1.0 (@acme/core@1.1.0), @acme/ui 1.1.0 (@acme/ui@1.1.0)"),
        "{released}"
    );
    npm(
        repo.path(),
        &["ci", "--dry-run", "--offline", "--ignore-scripts"],
    )
    .unwrap();
    if let Some(oracle) = oracle(&repo, &before) {
        compare_with_oracle(&repo, &oracle);
    }
}

#[test]
fn abort_after_the_changelogs_puts_back_every_changeset_and_changelog() {
    let Some(repo) = released_workspace(false) else {
        return;
    };
    repo.write(
        "relman.toml",
        "[[workflow.release.step]]\nbump = \"auto\"\n\n[[workflow.release.step]]\nchangelog = \"update\"\n\n[[workflow.release.step]]\nmanual = \"Read the changelogs of {packages}\"\n",
    );
    repo.commit("chore: a release that stops to read");
    repo.push(&["main"]);
    let head = repo.head();
    let before: Vec<(String, String)> = COMPARED
        .iter()
        .chain(&[
            ".changeset/brave-lions.md",
            ".changeset/calm-owls.md",
            "package-lock.json",
        ])
        .map(|file| {
            let content = fs_err::read_to_string(repo.path().join(file)).unwrap_or_default();
            ((*file).to_owned(), content)
        })
        .collect();
    run(&repo, &["release", "--yes"], 3);
    assert!(!repo.path().join(".changeset/brave-lions.md").exists());
    assert!(repo.read("packages/core/CHANGELOG.md").contains("## 1.1.0"));
    // A person edits one changelog while the release waits: abort would lose that, so it
    // changes nothing; with the file as relman left it, abort takes everything back.
    let released = repo.read("packages/ui/CHANGELOG.md");
    repo.write(
        "packages/ui/CHANGELOG.md",
        format!("{released}\n- A note by hand.\n"),
    );
    let (_, refused) = run(&repo, &["abort"], 2);
    assert!(
        refused.contains("`packages/ui/CHANGELOG.md` changed since relman wrote it"),
        "{refused}"
    );
    assert!(!repo.path().join(".changeset/brave-lions.md").exists());
    repo.write("packages/ui/CHANGELOG.md", &released);
    run(&repo, &["abort"], 0);
    for (file, content) in before {
        assert_eq!(
            fs_err::read_to_string(repo.path().join(&file)).unwrap_or_default(),
            content,
            "{file}"
        );
    }
    assert_eq!(repo.head(), head);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}
