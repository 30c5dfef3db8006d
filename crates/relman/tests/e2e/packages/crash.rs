//! A run of five packages killed (SIGKILL) right after it created the second of its five tags:
//! `relman resume` finds that tag by its probe and goes on with the third, so each tag is made
//! once, pushed once, and the journal ends done. The kill comes from a `git` wrapper first on
//! PATH, as in the crash tests of a single package: relman has no test hook.

use relman_testkit::{TestRepo, write_executable};

use super::remote_tags;
use crate::plain::{relman, stderr, stdout};

/// Kills relman (its parent) right after the `KILL_AT`-th `git tag` that creates a tag, and logs
/// every tag creation.
fn wrapper(real_git: &std::path::Path, state: &std::path::Path) -> String {
    format!(
        r#"#!/bin/sh
real='{real}'
state='{state}'
if [ "$(cat /proc/$PPID/comm 2>/dev/null)" != relman ]; then exec "$real" "$@"; fi
"$real" "$@"
status=$?
case " $* " in
  *" tag --annotate "*)
    n=$(( $(cat "$state/tags" 2>/dev/null || echo 0) + 1 ))
    echo $n > "$state/tags"
    echo "$*" >> "$state/log"
    if [ "$(cat "$state/kill-at" 2>/dev/null)" = "$n" ]; then rm "$state/kill-at"; kill -9 $PPID; fi
    ;;
esac
exit $status
"#,
        real = real_git.display(),
        state = state.display(),
    )
}

#[test]
fn a_crash_after_the_second_of_five_tags_resumes_at_the_third() {
    let repo = TestRepo::new();
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"p1\", \"p2\", \"p3\", \"p4\", \"p5\"]\n",
    );
    for name in ["p1", "p2", "p3", "p4", "p5"] {
        repo.write(
            &format!("{name}/Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"1.0.0\"\n"),
        );
    }
    repo.commit("feat: start");
    let tags: Vec<String> = ["p1", "p2", "p3", "p4", "p5"]
        .iter()
        .map(|name| format!("{name}-v1.0.0"))
        .collect();
    for tag in &tags {
        repo.tag(tag);
    }
    for name in ["p1", "p2", "p3", "p4", "p5"] {
        repo.commit_file(
            &format!("{name}/src.rs"),
            "x\n",
            &format!("feat({name}): more"),
        );
    }
    let mut pushed: Vec<&str> = vec!["main"];
    pushed.extend(tags.iter().map(String::as_str));
    repo.push(&pushed);

    let real_git = relman_testkit::find_tool("git").expect("git is on PATH");
    let bin = repo.root().join("bin");
    let state = repo.root().join("crash");
    fs_err::create_dir_all(&state).unwrap();
    write_executable(&bin.join("git"), &wrapper(&real_git, &state));
    fs_err::write(state.join("kill-at"), "2").unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());

    let mut command = repo.command(crate::plain::relman_path());
    command
        .current_dir(repo.path())
        .args(["release", "--yes"])
        .env("PATH", &path)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1767225600");
    let first = command.output().unwrap();
    assert_eq!(
        first.status.code(),
        None,
        "killed\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let created = fs_err::read_to_string(state.join("log")).unwrap();
    assert_eq!(created.lines().count(), 2, "{created}");
    assert!(remote_tags(&repo).iter().all(|tag| tag.ends_with("1.0.0")));

    let mut resume = repo.command(crate::plain::relman_path());
    resume
        .current_dir(repo.path())
        .args(["resume"])
        .env("PATH", &path)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1767225600");
    let resumed = resume.output().unwrap();
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&resumed.stdout),
        String::from_utf8_lossy(&resumed.stderr)
    );
    let created = fs_err::read_to_string(state.join("log")).unwrap();
    let created: Vec<&str> = created.lines().collect();
    assert_eq!(created.len(), 5, "each tag made once: {created:?}");
    for (line, name) in created.iter().zip(["p1", "p2", "p3", "p4", "p5"]) {
        assert!(line.contains(&format!(" {name}-v1.1.0 ")), "{line}");
    }
    let resumed_err = String::from_utf8_lossy(&resumed.stderr);
    assert!(
        resumed_err.contains("found done (checked on resume)")
            || resumed_err.contains("tag p2-v1.1.0"),
        "{resumed_err}"
    );
    let new: Vec<String> = remote_tags(&repo)
        .into_iter()
        .filter(|tag| tag.ends_with("1.1.0"))
        .collect();
    assert_eq!(
        new,
        [
            "p1-v1.1.0",
            "p2-v1.1.0",
            "p3-v1.1.0",
            "p4-v1.1.0",
            "p5-v1.1.0"
        ]
    );
    assert_eq!(
        repo.git(&["rev-list", "--count", "HEAD"]),
        "7",
        "one release commit"
    );
    let status = relman(&repo, &["--json", "status"]);
    let status: serde_json::Value =
        serde_json::from_str(&stdout(&status)).unwrap_or_else(|_| panic!("{}", stderr(&status)));
    assert_eq!(status["state"], "done");
}
