//! `relman plan` writes nothing: after it, `git status`, every ref, and every byte of the work
//! tree and of `.git` are as they were, for a workflow that uses every local step kind, as text
//! and as JSON, and when a check fails. Nor does it run a program the clone chooses: a
//! `rust-toolchain.toml` naming any program as cargo is never started by `publish = "cargo"`'s
//! plan (the workspace is read by relman, the dry run packages with the machine's toolchain).

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

#[test]
fn a_cargo_publish_plan_never_runs_the_toolchain_the_clone_names() {
    let Some(rustup_home) = std::env::var_os("RUSTUP_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".rustup"))
        })
        .filter(|home| home.is_dir())
    else {
        // Without rustup, cargo reads no toolchain file.
        return;
    };
    for one in [true, false] {
        let mut fixture = Fixture::new(
            "[project]\nversion-files = [\"Cargo.toml\"]\n\n[[workflow.ship.step]]\npublish = \"cargo\"\nregistry = \"local\"\n",
        );
        let root = fixture.path().to_owned();
        let members = if one {
            ""
        } else {
            "[workspace]\nmembers = [\"more\"]\n"
        };
        fixture.repo.write(
            "Cargo.toml",
            format!("[package]\nname = \"tool\"\nversion = \"1.2.3\"\nedition = \"2021\"\nlicense = \"MIT\"\ndescription = \"t\"\n{members}"),
        );
        fixture.repo.write("src/lib.rs", "");
        fixture.repo.write(
            "more/Cargo.toml",
            "[package]\nname = \"more\"\nversion = \"1.2.3\"\nedition = \"2021\"\nlicense = \"MIT\"\ndescription = \"m\"\n",
        );
        fixture.repo.write("more/src/lib.rs", "");
        let marker = root.join("../toolchain-ran");
        let toolchain = root.join("evil");
        for program in ["cargo", "rustc"] {
            fixture.repo.write(
                &format!("evil/bin/{program}"),
                format!(
                    "#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n",
                    marker.display()
                ),
            );
            let path = toolchain.join("bin").join(program);
            let mut permissions = fs_err::metadata(&path).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
            fs_err::set_permissions(&path, permissions).unwrap();
        }
        fixture.repo.write(
            "rust-toolchain.toml",
            format!("[toolchain]\npath = \"{}\"\n", toolchain.display()),
        );
        fixture.repo.commit("build: a crate with its own toolchain");
        fixture.set_env("RUSTUP_HOME", &rustup_home);
        fixture.set_env(
            "CARGO_REGISTRIES_LOCAL_INDEX",
            "sparse+http://127.0.0.1:9/index/",
        );
        fixture.set_env("CARGO_REGISTRIES_LOCAL_TOKEN", "not-used-by-a-plan");
        let before = snapshot(&fixture);
        fixture.relman(&["plan", "ship"]).expect(0);
        assert!(
            !marker.exists(),
            "the plan ran the clone's toolchain: {}",
            fs_err::read_to_string(&marker).unwrap_or_default()
        );
        assert_unchanged(&before, &snapshot(&fixture));
    }
}
