//! A step's `timeout` holds against what used to defeat it: a server that accepts and never
//! answers (`wait` and `verify` ran past 300 s with `timeout = "5s"`), a command whose grandchild
//! left the process group holding its output (2 s became 30 s). A request that never left (the
//! host does not resolve) is a failure to retry, not "sent, but no answer came". And a command
//! that outlived a killed relman is not started a second time by `resume`.

use std::process::Stdio;
use std::time::{Duration, Instant};

use relman_testkit::silent_server::SilentServer;

use crate::support::*;

/// Far above what the timeouts below allow, far below what they used to take.
const BOUND: Duration = Duration::from_secs(60);

fn workflow(steps: &str) -> String {
    format!("[project]\nversion-files = [\"package.json\"]\n\n[workflow.ship]\n{steps}")
}

#[test]
fn waits_and_verifies_on_a_silent_server_pause_at_their_timeout() {
    let server = SilentServer::start();
    for step in [
        format!("wait = \"url\"\nurl = \"{}/docs/\"\n", server.url()),
        format!(
            "verify = \"pypi\"\npackage = \"greeter\"\nindex = \"{}/simple/\"\n",
            server.url()
        ),
        format!("verify = \"url\"\nurl = \"{}/download\"\n", server.url()),
    ] {
        let fixture = Fixture::new(&workflow(&format!(
            "[[workflow.ship.step]]\n{step}timeout = \"2s\"\n"
        )));
        fixture
            .run_within(&["ship"], BOUND)
            .expect(3)
            .stderr_has("gave up after 2s waiting for");
        assert_eq!(fixture.status()["steps"][0]["state"], "paused");
    }
    assert!(server.accepted() >= 3, "every step did reach the server");
}

#[test]
fn a_run_timeout_holds_when_a_grandchild_left_the_group_holding_stdout() {
    let fixture = Fixture::new(&workflow(
        "[[workflow.ship.step]]\nrun = \"setsid sleep 120 & sleep 120\"\nshell = true\ntimeout = \"2s\"\n",
    ));
    fixture
        .run_within(&["ship"], BOUND)
        .expect(1)
        .stderr_has("did not finish within 2s and was stopped");
}

#[test]
fn a_post_to_a_host_that_does_not_resolve_fails_as_not_sent() {
    let fixture = Fixture::new(&workflow(
        "[[workflow.ship.step]]\nhttp = \"POST http://relman-test.invalid/hook\"\njson = { version = \"{version}\" }\ntimeout = \"3s\"\n",
    ));
    let run = fixture.run_within(&["ship"], BOUND);
    run.expect(1)
        .stderr_has(
            "POST http://relman-test.invalid/hook failed: cannot resolve `relman-test.invalid`",
        )
        .stderr_has("hint: check the URL and the network connection");
    assert!(!run.stderr.contains("was sent"), "{run}");
    assert_eq!(fixture.status()["steps"][0]["state"], "failed");
}

#[test]
fn resume_does_not_start_a_command_while_the_killed_relmans_one_still_runs() {
    let fixture = Fixture::new(&workflow(
        r#"[[workflow.ship.step]]
name = "upload"
# Waits for the test to release it, a minute at most (so that it never outlives the test).
run = ["sh", "-c", "echo started >> ../starts; i=0; while [ ! -e ../release-it ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done"]
idempotent = true
"#,
    ));
    let starts = fixture.repo.root().join("starts");
    let mut first = fixture
        .command(&["ship"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let began = Instant::now();
    // Until the command runs and relman has recorded it in the journal.
    let recorded = || {
        fixture.journal().is_some_and(|journal| {
            journal["steps"][0]["context"]
                .get("child_process")
                .is_some()
        })
    };
    while !starts.exists() || !recorded() {
        assert!(began.elapsed() < BOUND, "the command never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // relman dies; its command lives on.
    first.kill().unwrap();
    first.wait().unwrap();

    let run = fixture.run_within(&["resume"], BOUND);
    run.expect(3)
        .stderr_has("the command this step started before relman stopped (pid ");
    assert_eq!(fs_err::read_to_string(&starts).unwrap(), "started\n");

    // Once it ended, resume runs the idempotent step again.
    fs_err::write(fixture.repo.root().join("release-it"), "").unwrap();
    let began = Instant::now();
    let run = loop {
        let run = fixture.run_within(&["resume"], BOUND);
        if run.code() != Some(3) || began.elapsed() > BOUND {
            break run;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    run.expect(0);
    assert_eq!(
        fs_err::read_to_string(&starts).unwrap(),
        "started\nstarted\n"
    );
}
