//! Masking holds where escaping or naming would hide a secret from it, and never reaches the
//! values steps hand each other: a secret with `"` and `\` in a plan's HTTP body (JSON-escaped),
//! the values of variables the config names in `token-env`, `webhook-env` and `password-env`
//! whatever they are called, a token given as the user name of an HTTPS URL; and
//! `{steps.ID.stdout}` holding a secret reaches the next step as it was, while the journal keeps
//! it masked; a release resumed in a new process rebuilds it from the variable it came from, and
//! a step never runs with `****` in its place.

use crate::support::*;

const QUOTED: &str = "pa\"ss\\word-42";
const NAMED: &str = "hook-value-1234";
const PASS: &str = "registry-pass-5678";
const USER_TOKEN: &str = "ghp_usertoken987";

#[test]
fn a_secret_with_quotes_and_backslashes_is_masked_in_a_plan_body() {
    let mut fixture = Fixture::new(
        r#"
[[workflow.notify.step]]
http = "POST https://hooks.example.org/release"
json = { token = "{env.API_TOKEN}", text = "released" }
"#,
    );
    fixture.set_env("API_TOKEN", QUOTED);
    let escaped = serde_json::to_string(QUOTED).unwrap();
    let escaped = escaped.trim_matches('"');
    for args in [&["plan", "notify"][..], &["plan", "notify", "--json"]] {
        let run = fixture.relman(args);
        run.expect(0);
        let text = run.to_string();
        assert!(text.contains("released"), "{text}");
        assert!(!text.contains(QUOTED), "{text}");
        assert!(!text.contains(escaped), "{text}");
        assert!(!text.contains("word-42"), "{text}");
    }
}

#[test]
fn variables_named_as_credentials_and_url_user_tokens_are_masked() {
    let mut fixture = Fixture::new(
        r##"
[workflow.ship]
[[workflow.ship.step]]
run = ["sh", "-c", "echo hook $CHAT_HOOK; echo pass $REG_KEYS; echo cloning https://$UPLOADER@github.com/o/r.git"]

[[workflow.ship.step]]
slack = "#releases"
message = "Released"
webhook-env = "CHAT_HOOK"
if = "false"

[[workflow.ship.step]]
verify = "oci"
image = "registry.example.org/app"
password-env = "REG_KEYS"
username-env = "REG_NAME"
if = "false"
"##,
    );
    // A variable not named like a secret: only the URL rule can mask it.
    fixture.set_env("UPLOADER", USER_TOKEN);
    fixture.set_env("CHAT_HOOK", NAMED);
    fixture.set_env("REG_KEYS", PASS);
    fixture.set_env("REG_NAME", "someone");
    let run = fixture.relman(&["ship"]);
    run.expect(0);
    let journal = fixture.history()[0].to_string();
    for (what, text) in [("run", run.to_string()), ("journal", journal.clone())] {
        for secret in [NAMED, PASS, USER_TOKEN] {
            assert!(!text.contains(secret), "the {what} shows {secret}:\n{text}");
        }
    }
    assert!(journal.contains("hook ****"), "{journal}");
    assert!(journal.contains("pass ****"), "{journal}");
    assert!(
        journal.contains("https://****@github.com/o/r.git"),
        "{journal}"
    );
}

#[test]
fn a_step_output_holding_a_secret_reaches_the_next_step_unmasked() {
    let mut fixture = Fixture::new(
        r#"
[workflow.login]
[[workflow.login.step]]
id = "token"
run = ["printf", "%s", "session-{env.DEPLOY_TOKEN}"]

[[workflow.login.step]]
id = "use"
run = ["sh", "-c", "printf %s \"$0\" > ../received.txt", "{steps.token.stdout}"]
"#,
    );
    let secret = "deploy-secret-31415";
    fixture.set_env("DEPLOY_TOKEN", secret);
    fixture.relman(&["login"]).expect(0);
    let received = fs_err::read_to_string(fixture.repo.root().join("received.txt")).unwrap();
    assert_eq!(received, format!("session-{secret}"));
    let journal = fixture.history()[0].to_string();
    assert!(!journal.contains(secret), "{journal}");
    assert_eq!(
        fixture.history()[0]["steps"][0]["outputs"]["stdout"],
        "session-****"
    );
}

/// `token` makes a value out of a secret, a person's step pauses the release, `use` hands the
/// value to a command after the pause.
const PAUSED_BETWEEN: &str = r#"
[workflow.login]
[[workflow.login.step]]
id = "token"
run = ["printf", "%s", "session-{env.DEPLOY_TOKEN}"]

[[workflow.login.step]]
manual = "Look at the session"

[[workflow.login.step]]
id = "use"
run = ["sh", "-c", "printf %s \"$0\" > ../received.txt", "{steps.token.stdout}"]
"#;

#[test]
fn a_resumed_release_hands_the_next_step_the_secret_value_not_its_mask() {
    let mut fixture = Fixture::new(PAUSED_BETWEEN);
    let secret = "deploy-secret-27182";
    fixture.set_env("DEPLOY_TOKEN", secret);
    fixture.relman(&["login"]).expect(3);
    let journal = fixture.journal().expect("paused").to_string();
    assert!(!journal.contains(secret), "{journal}");
    assert!(
        journal.contains("DEPLOY_TOKEN"),
        "the seal names the variable: {journal}"
    );
    let resumed = fixture.relman(&["resume", "--confirm"]);
    resumed.expect(0);
    assert!(!resumed.to_string().contains(secret), "{resumed}");
    let received = fs_err::read_to_string(fixture.repo.root().join("received.txt")).unwrap();
    assert_eq!(received, format!("session-{secret}"));
    assert!(!fixture.history()[0].to_string().contains(secret));
}

#[test]
fn a_release_resumed_without_the_variable_stops_before_the_step_and_says_which() {
    let mut fixture = Fixture::new(PAUSED_BETWEEN);
    let secret = "deploy-secret-16180";
    fixture.set_env("DEPLOY_TOKEN", secret);
    fixture.relman(&["login"]).expect(3);
    fixture.set_env("DEPLOY_TOKEN", "");
    let stopped = fixture.relman(&["resume", "--confirm"]);
    stopped.expect(1);
    stopped
        .stderr_has("{steps.token.stdout}")
        .stderr_has("DEPLOY_TOKEN is not set now");
    let received = fixture.repo.root().join("received.txt");
    assert!(!received.exists(), "the step ran with the mask");
    fixture.set_env("DEPLOY_TOKEN", secret);
    fixture.relman(&["resume"]).expect(0);
    assert_eq!(
        fs_err::read_to_string(received).unwrap(),
        format!("session-{secret}")
    );
}

#[test]
fn a_password_no_variable_holds_is_never_stored_and_the_resumed_step_stops() {
    let mut fixture = Fixture::new(
        r#"
[workflow.login]
[[workflow.login.step]]
id = "url"
run = ["printf", "%s", "https://me:{env.REGISTRY_PASS}@registry.example.org/"]

[[workflow.login.step]]
manual = "Look at the registry"

[[workflow.login.step]]
run = ["sh", "-c", "printf %s \"$0\" > ../received.txt", "{steps.url.stdout}"]
"#,
    );
    // Not named like a secret: only the URL rule masks it, so no variable is known to hold it.
    fixture.set_env("REGISTRY_PASS", "hunter2-hunter2");
    fixture.relman(&["login"]).expect(3);
    let journal = fixture.journal().expect("paused").to_string();
    assert!(!journal.contains("hunter2"), "{journal}");
    let stopped = fixture.relman(&["resume", "--confirm"]);
    stopped.expect(1).stderr_has("a password in a URL");
    assert!(!fixture.repo.root().join("received.txt").exists());
}
