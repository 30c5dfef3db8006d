//! What the engine promises of any release, in a run of several packages: a step of each
//! package that needs what this machine lacks is refused before any effect, `abort` takes back
//! each package's `run` step with that package's own values, and a step of each package in
//! another checkout is planned with that package's version.

use relman_testkit::TestRepo;

use super::{remote_tags, run};

/// A Cargo workspace of two crates tagged `NAME-vX.Y.Z`, a feature in `a` and a fix in `b`
/// since, with `workflow` as its relman.toml.
fn two_crates(workflow: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
    );
    for name in ["a", "b"] {
        repo.write(
            &format!("crates/{name}/Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        );
        repo.write(&format!("crates/{name}/src/lib.rs"), "");
    }
    repo.write("relman.toml", workflow);
    repo.commit("chore: start");
    for tag in ["a-v0.1.0", "b-v0.1.0"] {
        repo.tag(tag);
    }
    repo.commit_file("crates/a/src/lib.rs", "pub fn a() {}\n", "feat(a): a()");
    repo.commit_file("crates/b/src/lib.rs", "pub fn b() { }\n", "fix(b): b()");
    repo.push(&["main", "a-v0.1.0", "b-v0.1.0"]);
    repo
}

const RELEASE: &str = r#"[[workflow.release.step]]
bump = "auto"

[[workflow.release.step]]
commit = "Release {packages}"

[[workflow.release.step]]
tag = "{tag}"
"#;

#[test]
fn a_step_of_each_package_that_needs_a_token_is_refused_before_any_effect() {
    let workflow = format!(
        "{RELEASE}\n[[workflow.release.step]]\nname = \"publish {{package}}\"\nrun = [\"sh\", \"-c\", \"echo $0\", \"{{env.CRATES_TOKEN}}\"]\n"
    );
    let repo = two_crates(&workflow);
    let head = repo.head();
    for args in [&["plan", "release"][..], &["release", "--yes"]] {
        let (_, stderr) = run(&repo, args, 2);
        assert!(
            stderr.contains("workflow `release` cannot run here"),
            "{stderr}"
        );
        // Each package's step is named, with what it lacks.
        for step in ["step 6 (publish a)", "step 7 (publish b)"] {
            assert!(
                stderr.contains(&format!(
                    "{step}: `CRATES_TOKEN` is not set (the step uses `{{env.CRATES_TOKEN}}`)"
                )),
                "{step}: {stderr}"
            );
        }
    }
    assert_eq!(repo.head(), head);
    assert_eq!(repo.git(&["tag", "--list"]), "a-v0.1.0\nb-v0.1.0");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn abort_undoes_each_package_s_run_step_with_its_own_version() {
    let workflow = format!(
        "{RELEASE}\n[[workflow.release.step]]\nname = \"publish {{package}}\"\nrun = [\"sh\", \"-c\", \"echo published $0 $1 >> ../published\", \"{{package}}\", \"{{version}}\"]\nundo = [\"sh\", \"-c\", \"echo unpublished $0 $1 >> ../published\", \"{{package}}\", \"{{version}}\"]\n\n[[workflow.release.step]]\nmanual = \"Announce {{packages}}\"\n"
    );
    let repo = two_crates(&workflow);
    let head = repo.head();
    run(&repo, &["release", "--yes"], 3);
    assert_eq!(
        repo.read("../published"),
        "published a 0.2.0\npublished b 0.1.1\n"
    );
    let (aborted, _) = run(&repo, &["abort"], 0);
    assert!(aborted.starts_with("Release aborted."), "{aborted}");
    // The last step is taken back first, each with its package's name and version.
    assert_eq!(
        repo.read("../published"),
        "published a 0.2.0\npublished b 0.1.1\nunpublished b 0.1.1\nunpublished a 0.2.0\n"
    );
    assert_eq!(repo.head(), head);
    assert_eq!(repo.git(&["tag", "--list"]), "a-v0.1.0\nb-v0.1.0");
    assert_eq!(
        repo.read("crates/a/Cargo.toml").lines().nth(2),
        Some("version = \"0.1.0\"")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(remote_tags(&repo), ["a-v0.1.0", "b-v0.1.0"]);
}

#[test]
fn a_step_of_each_package_in_another_checkout_is_planned_with_its_version() {
    let workflow = format!(
        "{RELEASE}\n[[workflow.release.step]]\nname = \"docs {{package}}\"\nrun = [\"sh\", \"-c\", \"echo $0 > VERSION\", \"{{version}}\"]\ndir = \"../site\"\n"
    );
    let repo = two_crates(&workflow);
    let site = repo.root().join("site");
    fs_err::create_dir_all(&site).unwrap();
    repo.git_in(&site, &["init", "--quiet", "--initial-branch=pages"]);
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    let step = |title: &str| -> String {
        let start = plan
            .find(title)
            .unwrap_or_else(|| panic!("{title}: {plan}"));
        plan[start..].lines().take(4).collect::<Vec<_>>().join("\n")
    };
    let a = step("docs a");
    let b = step("docs b");
    assert!(a.contains("0.2.0") && !a.contains("0.1.1"), "{a}");
    assert!(b.contains("0.1.1") && !b.contains("0.2.0"), "{b}");
}

#[test]
fn package_variables_in_a_project_of_one_are_refused_by_plan_and_check() {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.0.0\n");
    repo.write(
        "relman.toml",
        "[[workflow.w.step]]\nrun = [\"echo\", \"{package}\", \"{released}\"]\n",
    );
    repo.commit("chore: start");
    for args in [&["plan", "w"][..], &["check"]] {
        let (_, stderr) = run(&repo, args, 2);
        for name in ["package", "released"] {
            assert!(
                stderr.contains(&format!(
                    "`{{{name}}}` has no value: this repository holds one project, not several packages"
                )),
                "{args:?}: {stderr}"
            );
        }
    }
}
