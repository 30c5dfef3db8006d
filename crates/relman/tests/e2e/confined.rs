//! relman.toml arrives with every clone, so nothing it names reaches outside the repository:
//! version files, the changelog, step paths (`checksums` output, release assets, a command's
//! `cwd`) given as absolute paths, with `..` or through a symbolic link that leads out, and a
//! `dir` (where `clone` writes) above the folder holding the repository, are configuration
//! errors (exit 2) from `check`, `plan` and `run` before anything changes. And `plan` writes
//! nothing at all: every example and fixture config is planned with every byte of the
//! repository, its `.git`, its remote, its HOME and a sibling folder hashed before and after.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::support::*;

/// Every file and link under `dir` (the test's whole temp folder), by path: a digest of its
/// bytes, or where the link points.
fn hash_tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in fs_err::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap().display().to_string();
            let meta = fs_err::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs_err::read_link(&path).unwrap();
                out.insert(relative, format!("-> {}", target.display()));
            } else if meta.is_dir() {
                out.insert(format!("{relative}/"), String::new());
                walk(root, &path, out);
            } else {
                let digest = Sha256::digest(fs_err::read(&path).unwrap());
                out.insert(relative, format!("{digest:x} {:o}", meta_mode(&meta)));
            }
        }
    }
    fn meta_mode(meta: &std::fs::Metadata) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        meta.permissions().mode()
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[track_caller]
fn assert_same(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>, what: &str) {
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert!(changed.is_empty(), "{what} changed {changed:?}");
}

/// The usual fixture with a sibling project beside the repository (`../sibling`), which holds
/// a `package.json` and a `package-lock.json` the attacks aim at.
fn fixture_with_sibling(config: &str) -> Fixture {
    let fixture = Fixture::new(config);
    let sibling = fixture.repo.root().join("sibling");
    fs_err::create_dir_all(&sibling).unwrap();
    fs_err::write(sibling.join("package.json"), package_json("7.7.7")).unwrap();
    fs_err::write(
        sibling.join("package-lock.json"),
        "{\n  \"name\": \"sibling\",\n  \"version\": \"7.7.7\",\n  \"lockfileVersion\": 3\n}\n",
    )
    .unwrap();
    fs_err::write(sibling.join("notes.md"), "# Changelog\n").unwrap();
    fixture
}

/// The names of the workflows a config defines.
fn workflows(config: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in config.lines() {
        let line = line.trim();
        let Some(rest) = line
            .strip_prefix("[[workflow.")
            .or_else(|| line.strip_prefix("[workflow."))
        else {
            continue;
        };
        let name = rest.split(['.', ']']).next().unwrap_or_default().to_owned();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Every relman.toml the repository holds: the examples, the drafts of the runbooks under
/// test, and the workflows the end-to-end tests release with.
fn every_config() -> Vec<(String, String)> {
    let top = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut configs = Vec::new();
    for folder in ["examples", "crates/relman-engine/tests/data/runbooks"] {
        let mut entries: Vec<_> = fs_err::read_dir(top.join(folder))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let file = if path.is_dir() {
                path.join("relman.toml")
            } else {
                path.clone()
            };
            if file.to_string_lossy().ends_with("relman.toml") && file.is_file() {
                configs.push((
                    file.display().to_string(),
                    fs_err::read_to_string(&file).unwrap(),
                ));
            }
        }
    }
    for (name, config) in [
        ("crash::WORKFLOW", crate::crash::WORKFLOW),
        ("release::RELEASE", crate::release::RELEASE),
        ("journal_compat::CONFIG", crate::journal_compat::CONFIG),
    ] {
        configs.push((name.to_owned(), config.to_owned()));
    }
    configs
}

/// The project files of an example's fixture (`tests/data/examples/NAME`), when it has one.
fn copy_example_project(config_path: &str, work: &Path) {
    let Some(name) = Path::new(config_path)
        .parent()
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned())
    else {
        return;
    };
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/examples")
        .join(name);
    if source.is_dir() {
        copy_dir(&source, work);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs_err::create_dir_all(to).unwrap();
    for entry in fs_err::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs_err::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn plan_writes_nothing_for_any_config_the_repository_has() {
    let configs = every_config();
    assert!(configs.len() >= 10, "{configs:?}");
    for (name, config) in configs {
        let fixture = fixture_with_sibling(&config);
        copy_example_project(&name, fixture.path());
        fixture.repo.git(&["add", "--all"]);
        fixture
            .repo
            .commit("chore: the project as the example has it");
        // gpg makes its keyring the first time it runs, as on any machine that used it once:
        // that is gpg's, not the plan's (a plan that signs tries a signature).
        let _ = fixture.sealed("gpg").args(["--list-keys"]).output();
        let root = fixture.repo.root().to_owned();
        let names = workflows(&config);
        assert!(!names.is_empty(), "{name} has no workflow");
        let before = hash_tree(&root);
        for workflow in &names {
            for args in [
                &["plan", workflow.as_str()][..],
                &["plan", workflow.as_str(), "--json"],
            ] {
                let run = fixture.relman(args);
                assert!(
                    matches!(run.code(), Some(0..=2)),
                    "{name}: {args:?}: {run:?}"
                );
                assert_same(&before, &hash_tree(&root), &format!("{name}: {args:?}"));
            }
        }
        fixture.relman(&["check"]);
        assert_same(&before, &hash_tree(&root), &format!("{name}: check"));
    }
}

/// `check`, `plan` and `run` refuse `config` (exit 2, saying `says`), and nothing under the
/// test's folder (the repository, `.git`, the remote, the sibling) changed.
#[track_caller]
fn refused_everywhere(fixture: &Fixture, says: &str) {
    let root = fixture.repo.root().to_owned();
    let before = hash_tree(&root);
    for args in [
        &["check"][..],
        &["plan", "release"],
        &["plan", "release", "--json"],
        &["run", "release"],
        &["version"],
    ] {
        let run = fixture.relman(args);
        if args.contains(&"--json") {
            run.expect(2).stdout_has(says);
        } else {
            run.expect(2).stderr_has(says);
        }
        assert_same(&before, &hash_tree(&root), &format!("{args:?}"));
    }
    assert!(fixture.journal().is_none());
}

const BUMP: &str = "\n[[workflow.release.step]]\nbump = \"minor\"\n\n[[workflow.release.step]]\ncommit = \"Release {version}\"\n";

#[test]
fn version_files_outside_the_repository_are_refused() {
    let sibling_lock = "../sibling/package.json";
    for (files, says) in [
        (
            format!("[\"{sibling_lock}\"]"),
            "the version file `../sibling/package.json` is outside the work tree",
        ),
        (
            "[\"/tmp/relman-attack/package.json\"]".to_owned(),
            "the version file `/tmp/relman-attack/package.json` is outside the work tree",
        ),
        (
            "[\"linked/package.json\"]".to_owned(),
            "the version file `linked/package.json` is outside the work tree",
        ),
        (
            "[{ path = \"evil.json\", key = \"version\" }]".to_owned(),
            "the version file `evil.json` is outside the work tree",
        ),
    ] {
        let config = format!("[project]\nversion-files = {files}\n{BUMP}");
        let fixture = fixture_with_sibling(&config);
        std::os::unix::fs::symlink("../sibling", fixture.path().join("linked")).unwrap();
        std::os::unix::fs::symlink("../sibling/package.json", fixture.path().join("evil.json"))
            .unwrap();
        refused_everywhere(&fixture, says);
        let sibling = fixture.repo.root().join("sibling");
        assert!(
            fs_err::read_to_string(sibling.join("package.json"))
                .unwrap()
                .contains("7.7.7")
        );
        assert!(!Path::new("/tmp/relman-attack").exists());
    }
}

#[test]
fn a_lock_file_that_leads_outside_is_refused_with_its_version_file() {
    let fixture = fixture_with_sibling(&format!(
        "[project]\nversion-files = [\"package.json\"]\n{BUMP}"
    ));
    std::os::unix::fs::symlink(
        "../sibling/package-lock.json",
        fixture.path().join("package-lock.json"),
    )
    .unwrap();
    refused_everywhere(&fixture, "`package-lock.json` is outside the work tree");
    let lock = fixture.repo.root().join("sibling/package-lock.json");
    assert!(
        fs_err::read_to_string(lock)
            .unwrap()
            .contains("lockfileVersion")
    );
}

#[test]
fn a_changelog_outside_the_repository_is_refused() {
    for file in [
        "../sibling/notes.md",
        "/tmp/relman-attack.md",
        "linked/notes.md",
    ] {
        let config = format!(
            "[changelog]\nfile = \"{file}\"\n\n[[workflow.release.step]]\nbump = \"minor\"\n\n[[workflow.release.step]]\nchangelog = \"update\"\n"
        );
        let fixture = fixture_with_sibling(&config);
        std::os::unix::fs::symlink("../sibling", fixture.path().join("linked")).unwrap();
        refused_everywhere(
            &fixture,
            &format!("the changelog `{file}` is outside the work tree"),
        );
    }
}

#[test]
fn step_paths_outside_the_repository_are_refused() {
    for (step, says) in [
        (
            "checksums = \"dist/*\"\noutput = \"../sibling/SHA256SUMS\"",
            "`output` `../sibling/SHA256SUMS` is outside the work tree",
        ),
        (
            "checksums = \"/etc/*\"",
            "`checksums` `/etc/*` is outside the work tree",
        ),
        (
            "checksums = \"linked/*\"",
            "`checksums` `linked` is outside the work tree",
        ),
        (
            "run = \"touch pwned\"\ncwd = \"linked\"",
            "`cwd` `linked` is outside the work tree",
        ),
        (
            "run = \"touch pwned\"\ncwd = \"..\"",
            "`cwd` `..` is outside the work tree",
        ),
        (
            "commit = \"x\"\nadd = [\"../sibling/*\"]",
            "`add` `../sibling/*` is outside the work tree",
        ),
        (
            "run = \"touch pwned\"\ndir = \"../..\"",
            "`dir = \"../..\"` is neither inside the repository nor a checkout beside it",
        ),
        (
            "run = \"touch pwned\"\ndir = \"/tmp\"",
            "`dir = \"/tmp\"` is neither inside the repository nor a checkout beside it",
        ),
        (
            "run = \"touch pwned\"\ndir = \"../../elsewhere\"\nclone = \"{remote}\"",
            "`dir = \"../../elsewhere\"` is neither",
        ),
        (
            "run = \"touch pwned\"\ndir = \"linked/../..\"",
            "is neither inside the repository nor a checkout beside it",
        ),
    ] {
        let config = format!("[[workflow.release.step]]\n{step}\n");
        let fixture = fixture_with_sibling(&config);
        std::os::unix::fs::symlink("../sibling", fixture.path().join("linked")).unwrap();
        let root = fixture.repo.root().to_owned();
        let before = hash_tree(&root);
        for args in [&["check"][..], &["plan", "release"], &["run", "release"]] {
            fixture.relman(args).expect(2).stderr_has(says);
            assert_same(&before, &hash_tree(&root), &format!("{step}: {args:?}"));
        }
        assert!(!fixture.path().join("pwned").exists());
        assert!(!root.join("pwned").exists());
    }
}

#[test]
fn a_checkout_beside_the_repository_is_still_allowed() {
    let fixture = fixture_with_sibling(
        "[[workflow.release.step]]\nrun = \"touch made-here\"\ndir = \"../sibling\"\n",
    );
    fixture.git(&["-C", "../sibling", "init", "--quiet"]);
    fixture.git(&["-C", "../sibling", "add", "--all"]);
    fixture.git(&[
        "-C",
        "../sibling",
        "commit",
        "--quiet",
        "--message",
        "start",
    ]);
    fixture.relman(&["plan", "release"]).expect(0);
    fixture.relman(&["run", "release"]).expect(0);
    assert!(fixture.repo.root().join("sibling/made-here").exists());
}

/// A `clone` URL that reads as an option (`--upload-pack=…`) is a URL to git, never an option:
/// nothing runs, and the step fails naming it.
#[test]
fn a_clone_url_is_never_an_option() {
    let fixture = Fixture::new(
        r#"
[workflow.site]
[[workflow.site.step]]
run = "touch made"
dir = "../site"
clone = "--upload-pack=touch ../pwned;false"
"#,
    );
    fixture
        .relman(&["site"])
        .expect(1)
        .stderr_has("cannot clone");
    assert!(!fixture.repo.root().join("pwned").exists());
    assert!(!fixture.path().join("pwned").exists());
    assert!(!fixture.repo.root().join("site/made").exists());
}
