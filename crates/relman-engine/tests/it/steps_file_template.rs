//! `{file:PATH}`: a file's contents when the step runs, from inside the repository only.

use crate::remote_support::Fixture;

const HEADER: &str = r#"[project]
name = "app"
tag = "v{version}"
scheme = "semver"
version-files = ["VERSION"]
"#;

#[test]
fn the_file_is_read_when_the_step_runs_not_when_planned() {
    let fixture = Fixture::new(&format!(
        r#"{HEADER}
[[workflow.ship.step]]
run = ["sh", "-c", "echo fresh > NOTES.txt"]

[[workflow.ship.step]]
id = "echo"
run = ["echo", "notes: {{file:NOTES.txt}}"]
"#
    ));
    fixture.repo.write("NOTES.txt", "stale\n");
    fixture.run("ship").assert_done();
    let out = crate::remote_support::outputs(&fixture, 2);
    assert_eq!(out["stdout"], "notes: fresh");
}

#[test]
fn a_file_outside_the_repository_is_refused() {
    let config = format!(
        r#"{HEADER}
[[workflow.ship.step]]
run = ["echo", "{{file:../secret}}"]
"#
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relman.toml");
    fs_err::write(&path, &config).unwrap();
    let error = relman_engine::config::Config::load(&path).unwrap_err();
    assert!(
        error.to_string().contains("outside the repository"),
        "{error}"
    );

    // Through a symbolic link: refused when the step runs, before the command.
    let fixture = Fixture::new(&format!(
        r#"{HEADER}
[[workflow.ship.step]]
run = ["touch", "ran"]

[[workflow.ship.step]]
run = ["echo", "{{file:link/secret}}"]
"#
    ));
    fs_err::write(fixture.repo.root().join("secret"), "token\n").unwrap();
    std::os::unix::fs::symlink(fixture.repo.root(), fixture.repo.path().join("link")).unwrap();
    let (step, message, _) = fixture.run("ship").failed();
    assert_eq!(step, 2);
    assert!(message.contains("outside the work tree"), "{message}");
}
