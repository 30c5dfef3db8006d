//! One release per clone: while a relman acts on a release, a second one (run, resume, abort)
//! exits 4 naming the holder, `status` still answers; a paused release blocks a new one until it
//! is resumed or aborted.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;

use crate::support::*;

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_second_relman_during_a_release_exits_4() {
    let fixture = Fixture::new(
        r#"
[workflow.slow]
[[workflow.slow.step]]
name = "wait for the test"
run = ["sh", "-c", "echo started > ../ready; cat ../go"]
"#,
    );
    let ready = fixture.repo.root().join("ready");
    let go = fixture.repo.root().join("go");
    mkfifo(&ready);
    mkfifo(&go);
    let first = fixture
        .command(&["slow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Returns once the step runs, that is while the first relman holds the lock.
    let mut started = String::new();
    fs_err::File::open(&ready)
        .unwrap()
        .read_to_string(&mut started)
        .unwrap();
    assert_eq!(started, "started\n");

    let lock = fixture.path().join(".git/relman/lock");
    for args in [&["resume"][..], &["slow"], &["abort"]] {
        let run = fixture.relman(args);
        run.expect(4);
        assert_eq!(
            run.stderr,
            format!(
                "error: another relman (pid {}) is running a release in this clone\n\
                 hint: wait for it to finish, or see what it is doing with `relman status`; the lock is `{}`\n",
                first.id(),
                lock.display()
            ),
            "{run}"
        );
    }
    let status = fixture.relman(&["status"]);
    status
        .expect(0)
        .stdout_has("slow 1.2.3 (v1.2.3): running (or interrupted: `relman resume`)")
        .stdout_has("… 1. wait for the test");

    fs_err::OpenOptions::new()
        .write(true)
        .open(&go)
        .unwrap()
        .write_all(b"go\n")
        .unwrap();
    let output = first.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(fixture.history()[0]["state"], "done");
}

#[test]
fn a_paused_release_blocks_a_new_one_until_it_ends() {
    let fixture = Fixture::new(
        r#"
[workflow.announce]
[[workflow.announce.step]]
manual = "Email the team"
"#,
    );
    fixture.relman(&["announce"]).expect(3);
    let run = fixture.relman(&["announce"]);
    run.expect(4);
    assert_eq!(
        run.stderr,
        "error: a release is already in progress: `announce` 1.2.3 is paused at step 1 (manual: Email the team)\n\
         hint: finish it with `relman resume`, see it with `relman status`, or end it with `relman abort`\n"
    );
    fixture.relman(&["abort"]).expect(0);
    fixture.relman(&["announce"]).expect(3);
}
