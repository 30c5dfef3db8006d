//! A `shell = true` step never runs a placeholder's value as code: values reach `sh -c` as
//! positional parameters the script refers to, wherever the placeholder stands (bare, inside
//! double quotes, inside single quotes). The attacks: a commit subject `$(touch pwned)` that
//! reaches `{changelog}`, and a branch named to break out of quotes.

use crate::support::*;

const ECHO: &str = r#"
[project]
version-files = ["package.json"]

[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
changelog = "update"

[[workflow.release.step]]
id = "double"
run = "printf '%s' \"{changelog}\" > ../double.txt"
shell = true

[[workflow.release.step]]
id = "single"
run = "printf '%s' '{changelog}' > ../single.txt"
shell = true

[[workflow.release.step]]
id = "bare"
run = "printf '[%s]' {branch} '{branch}' \"on {branch}\" | tr -d '\\n'"
shell = true
"#;

#[test]
fn a_commit_subject_and_a_branch_name_stay_text_in_a_shell_step() {
    let fixture = Fixture::new(ECHO);
    let repo = &fixture.repo;
    let subject =
        "feat: greet $(touch pwned) `touch pwned2` \"; touch pwned3; \" '; touch pwned4; '";
    repo.commit_file("more.txt", "more\n", subject);
    let branch = "x'$(touch${IFS}pwned5)\"`touch${IFS}pwned6`";
    repo.git(&["switch", "--quiet", "--create", branch]);

    // The plan shows the script and the values apart.
    fixture
        .relman(&["plan", "release"])
        .expect(0)
        .stdout_has("placeholders reach the shell as parameters, never as code");
    fixture.relman(&["run", "release"]).expect(0);

    for name in ["pwned", "pwned2", "pwned3", "pwned4", "pwned5", "pwned6"] {
        assert!(!fixture.path().join(name).exists(), "{name} was created");
    }
    let outside = fixture.repo.root();
    let double = fs_err::read_to_string(outside.join("double.txt")).unwrap();
    let single = fs_err::read_to_string(outside.join("single.txt")).unwrap();
    assert!(
        double.contains("greet $(touch pwned) `touch pwned2`"),
        "{double}"
    );
    assert!(
        double.contains("\"; touch pwned3; \" '; touch pwned4; '"),
        "{double}"
    );
    assert_eq!(double, single);
    let journal = &fixture.history()[0];
    assert_eq!(
        journal["steps"][4]["outputs"]["stdout"],
        format!("[{branch}][{branch}][on {branch}]")
    );
}

const ARITHMETIC: &str = r#"
[project]
version-files = ["package.json"]

[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
run = "echo $(( {major} + 1 ))"
shell = true
"#;

/// Where bash evaluates a value as arithmetic, a subscript in it runs commands
/// (`a[$(touch pwned)]`): a placeholder there is a config error before anything happens.
#[test]
fn a_placeholder_in_shell_arithmetic_is_refused_before_any_effect() {
    let fixture = Fixture::new(ARITHMETIC);
    let before = snapshot(&fixture);
    for args in [
        &["check"][..],
        &["plan", "release"][..],
        &["run", "release"][..],
    ] {
        let run = fixture.relman(args);
        run.expect(2)
            .stderr_has("relman.toml:9:7: in the `shell = true` command `echo $(( {major} + 1 ))`, `{major}` stands in `$(( ))`, which is arithmetic")
            .stderr_has("hint: a value there is evaluated by bash")
            .stderr_has("`if = \"patch == 0\"`");
        assert_unchanged(&before, &snapshot(&fixture));
    }
    assert!(fixture.journal().is_none());
}
