//! Streaming history: fields, decorations, ranges and options, non-UTF-8 messages, and an early
//! stop that kills and reaps git.

use std::ops::ControlFlow;
use std::path::PathBuf;

use relman_git::{LogOptions, Revisions};
use relman_testkit::{TestRepo, find_tool, write_executable};

use crate::{import_linear, open};

#[test]
fn streams_fields_and_tag_decorations() {
    let repo = TestRepo::new();
    let first = repo.commit_file("a.txt", "a", "feat(cli): first\n\nbody line\n\nRefs: #12\n");
    repo.tag("v0.1.0");
    repo.tag_annotated("v0.1.1", "annotated");
    let second = repo.commit("fix: second");
    repo.git(&["branch", "not-a-tag"]);

    let git = open(&repo);
    let mut seen = Vec::new();
    git.history(|commit| {
        seen.push((
            commit.sha().to_owned(),
            commit.parents().map(str::to_owned).collect::<Vec<_>>(),
            commit.tags().map(str::to_owned).collect::<Vec<_>>(),
            commit.subject().into_owned(),
            commit.message().into_owned(),
            commit.author_name().into_owned(),
            commit.author_email().into_owned(),
            commit.author_date().to_owned(),
        ));
        ControlFlow::<()>::Continue(())
    })
    .unwrap();
    assert_eq!(seen.len(), 2);
    let (sha, parents, tags, subject, _, name, email, _) = &seen[0];
    assert_eq!(sha, &second);
    assert_eq!(parents, std::slice::from_ref(&first));
    assert!(tags.is_empty(), "branches are not decorations: {tags:?}");
    assert_eq!(subject, "fix: second");
    assert_eq!(
        (name.as_str(), email.as_str()),
        ("Test User", "test@example.com")
    );
    let (sha, parents, tags, subject, message, _, _, date) = &seen[1];
    assert_eq!(sha, &first);
    assert!(parents.is_empty());
    let mut tags = tags.clone();
    tags.sort();
    assert_eq!(tags, ["v0.1.0", "v0.1.1"]);
    assert_eq!(subject, "feat(cli): first");
    assert_eq!(message, "feat(cli): first\n\nbody line\n\nRefs: #12\n");
    assert_eq!(
        date,
        &repo.git(&["log", "-1", "--format=%aI", &first]),
        "strict ISO author date"
    );
}

#[test]
fn ranges_paths_first_parent_and_max_count() {
    let repo = TestRepo::new();
    let base = repo.commit_file("a.txt", "1", "feat: a");
    repo.git(&["switch", "--quiet", "-c", "side"]);
    let side = repo.commit_file("b.txt", "1", "feat: b on side");
    repo.git(&["switch", "--quiet", "main"]);
    let main = repo.commit_file("a.txt", "2", "fix: a again");
    repo.git(&["merge", "--quiet", "--no-ff", "--no-edit", "side"]);
    let merge = repo.head();

    let git = open(&repo);
    let collect = |revisions: Revisions<'_>, options: &LogOptions| {
        let mut shas = Vec::new();
        git.walk(revisions, options, |commit| {
            shas.push(commit.sha().to_owned());
            ControlFlow::<()>::Continue(())
        })
        .unwrap();
        shas
    };
    let all = collect(Revisions::Head, &LogOptions::default());
    assert_eq!(all.len(), 4);
    assert_eq!(all[0], merge);

    let range = collect(
        Revisions::Range {
            since: &base,
            until: "HEAD",
        },
        &LogOptions::default(),
    );
    assert_eq!(range.len(), 3);
    assert!(!range.contains(&base));

    let first_parent = LogOptions {
        first_parent: true,
        ..LogOptions::default()
    };
    assert_eq!(
        collect(Revisions::Head, &first_parent),
        [merge.clone(), main.clone(), base.clone()]
    );

    let only_b = LogOptions {
        paths: vec![PathBuf::from("b.txt")],
        ..LogOptions::default()
    };
    assert_eq!(
        collect(Revisions::Head, &only_b),
        std::slice::from_ref(&side)
    );

    let two = LogOptions {
        max_count: Some(2),
        ..LogOptions::default()
    };
    assert_eq!(collect(Revisions::Rev(&side), &two), [side, base]);
    assert_eq!(collect(Revisions::AllRefs, &LogOptions::default()).len(), 4);
}

#[test]
fn non_utf8_messages_are_kept_as_bytes() {
    let repo = TestRepo::new();
    // `git commit` repairs invalid UTF-8 itself, but other tools (fast-import, old gits) store
    // raw Latin-1 bytes without an encoding header: they come through unchanged.
    let message: &[u8] = b"fix: caf\xe9 cr\xe8me\n";
    let mut stream =
        b"commit refs/heads/main\ncommitter T <t@example.com> 1700000000 +0000\n".to_vec();
    stream.extend_from_slice(format!("data {}\n", message.len()).as_bytes());
    stream.extend_from_slice(message);
    stream.extend_from_slice(b"\n");
    import(&repo, &stream);
    // Declared Latin-1: git re-encodes it to UTF-8 for us.
    let message = repo.root().join("latin1.txt");
    fs_err::write(&message, b"feat: na\xefve\n").unwrap();
    repo.git(&[
        "-c",
        "i18n.commitEncoding=ISO-8859-1",
        "commit",
        "--quiet",
        "--allow-empty",
        "-F",
        &message.to_string_lossy(),
    ]);

    let git = open(&repo);
    let mut messages = Vec::new();
    git.history(|commit| {
        messages.push((
            commit.message_bytes().to_vec(),
            commit.message().into_owned(),
        ));
        ControlFlow::<()>::Continue(())
    })
    .unwrap();
    assert_eq!(messages[0].0, "feat: naïve\n".as_bytes());
    assert_eq!(messages[1].0, b"fix: caf\xe9 cr\xe8me\n");
    assert_eq!(messages[1].1, "fix: caf\u{fffd} cr\u{fffd}me\n");
}

fn import(repo: &TestRepo, stream: &[u8]) {
    use std::io::Write as _;
    let mut child = repo
        .command("git")
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stream).unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["reset", "--quiet", "--hard", "main"]);
}

#[test]
fn early_stop_kills_and_reaps_git_without_error() {
    let repo = TestRepo::new();
    // Enough output to fill the pipe, so git is blocked writing when the walk stops.
    import_linear(&repo, 3000);

    // A `git` wrapper first on PATH records the pid of every git it starts.
    let real_git = find_tool("git").expect("git on PATH");
    let bin = repo.root().join("bin");
    let pids = repo.root().join("pids");
    write_executable(
        &bin.join("git"),
        &format!(
            "#!/bin/sh\necho $$ >> '{}'\nexec '{}' \"$@\"\n",
            pids.display(),
            real_git.display()
        ),
    );
    let path = std::env::join_paths(
        std::iter::once(bin.clone())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let git = open(&repo).with_env("PATH", path);

    let mut count = 0;
    let stopped = git
        .history(|commit| {
            count += 1;
            if count == 5 {
                ControlFlow::Break(commit.sha().to_owned())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(count, 5);
    assert_eq!(stopped, Some(repo.git(&["rev-parse", "HEAD~4"])));

    let pids = fs_err::read_to_string(&pids).unwrap();
    let pids: Vec<&str> = pids.lines().collect();
    assert_eq!(pids.len(), 1, "one git process for the walk");
    // Reaped: no /proc entry left (a zombie would still have one).
    if PathBuf::from("/proc/self").exists() {
        assert!(
            !PathBuf::from(format!("/proc/{}", pids[0])).exists(),
            "git process {} was not reaped",
            pids[0]
        );
    }
}

#[test]
fn a_failing_walk_reports_the_command_and_stderr() {
    let repo = TestRepo::new();
    repo.commit("first");
    let git = open(&repo);
    let error = git
        .walk(
            Revisions::Rev("no-such-branch"),
            &LogOptions::default(),
            |_| ControlFlow::<()>::Continue(()),
        )
        .unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("`git log -z"), "{text}");
    assert!(text.contains("no-such-branch"), "{text}");
    assert!(text.contains("exit status: 128"), "{text}");
    assert!(
        text.ends_with("fatal: bad revision 'no-such-branch'"),
        "{text}"
    );
    // An option is never taken for a revision.
    assert!(
        git.walk(Revisions::Rev("--all"), &LogOptions::default(), |_| {
            ControlFlow::<()>::Continue(())
        })
        .is_err()
    );
}
