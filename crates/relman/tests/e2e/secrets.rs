//! Secrets stay secret: the value of a secret environment variable never appears in the plan,
//! the live output, the JSON events, an error, the journal or the step summary, even when a
//! command prints it or a template uses it.

use crate::support::*;

const SECRET: &str = "s3cr3t-value-42";

#[test]
fn a_secret_is_masked_in_every_output_and_never_stored() {
    let mut fixture = Fixture::new(
        r#"
[project]
secrets = ["DEPLOY_PASS"]

[workflow.deploy]
[[workflow.deploy.step]]
id = "login"
run = ["sh", "-c", "echo logging in with $DEPLOY_PASS; echo \"token $0\"", "{env.UPLOAD_TOKEN}"]
undo = ["sh", "-c", "echo logout $0", "{env.UPLOAD_TOKEN}"]

[[workflow.deploy.step]]
run = ["sh", "-c", "echo 'failed for' \"$0\" >&2; exit 1", "{env.DEPLOY_PASS}"]
"#,
    );
    fixture.set_env("DEPLOY_PASS", SECRET);
    fixture.set_env("UPLOAD_TOKEN", format!("{SECRET}-token"));
    let summary = fixture.repo.root().join("summary.md");
    fixture.set_env("GITHUB_STEP_SUMMARY", summary.as_os_str());

    let plan = fixture.relman(&["plan", "deploy"]);
    plan.expect(0);
    let run = fixture.relman(&["deploy"]);
    run.expect(1).stderr_has("failed for");
    let json = fixture.relman(&["--json", "resume"]);
    json.expect(1);
    let status = fixture.relman(&["status", "--json"]);
    let journal = fs_err::read_to_string(fixture.path().join(".git/relman/journal.json")).unwrap();
    let abort = fixture.relman(&["abort"]);
    abort.expect(0).stdout_has("ran `sh -c 'echo logout $0'");
    let archived = fixture.history()[0].to_string();
    let summary = fs_err::read_to_string(&summary).unwrap();

    for (what, text) in [
        ("plan", plan.to_string()),
        ("run", run.to_string()),
        ("json events", json.to_string()),
        ("status", status.to_string()),
        ("journal", journal.clone()),
        ("abort", abort.to_string()),
        ("archived journal", archived),
        ("step summary", summary),
    ] {
        assert!(
            !text.contains(SECRET),
            "the {what} shows the secret:\n{text}"
        );
    }
    assert!(run.stderr.contains("logging in with ****"), "{run}");
    assert!(journal.contains("token ****"), "{journal}");
}
