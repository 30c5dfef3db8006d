//! What arrives with a clone, made hostile: a relman.toml with a workflow named like a path, one
//! that is not UTF-8, one far larger than any real config; version files, changelogs and
//! fragments that are devices or FIFOs; a journal edited by hand. Each is refused with a clear
//! error (exit 2, nothing changed), quickly, and never read without end.

use std::os::unix::fs::FileTypeExt as _;
use std::time::Duration;

use crate::release::RELEASE;
use crate::support::*;

#[test]
fn a_workflow_named_like_a_path_is_a_config_error() {
    let config = r#"
[workflow."../../../escape"]
[[workflow."../../../escape".step]]
run = ["true"]
"#;
    let fixture = Fixture::new(config);
    let before = snapshot(&fixture);
    for args in [
        &["check"][..],
        &["run", "../../../escape"],
        &["plan", "../../../escape"],
    ] {
        let run = fixture.relman(args);
        run.expect(2)
            .stderr_has("relman.toml:2:12: workflow name `../../../escape` is not valid")
            .stderr_has("hint: a workflow name is letters, digits, `-` and `_`");
    }
    assert_unchanged(&before, &snapshot(&fixture));
    // The journal's archive, named after the workflow, was written outside `.git/relman`.
    let outside: Vec<_> = fs_err::read_dir(fixture.path())
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("escape"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn invalid_utf8_in_the_config_is_reported_at_its_line_and_column() {
    let fixture = Fixture::new(RELEASE);
    let mut bytes = b"[project]\nname = \"gr\xc3\xa9eter\"\nbranch = \"ma\xffin\"\n".to_vec();
    bytes.extend_from_slice(RELEASE.split_once("[changelog]").unwrap().1.as_bytes());
    fixture.repo.write("relman.toml", &bytes);
    let run = fixture.relman(&["check"]);
    let path = fixture.path().join("relman.toml");
    run.expect(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: {}:3:13: the config is not valid UTF-8: an invalid byte sequence starts here\n  |\n3 | branch = \"ma\u{fffd}in\"\n  |             ^\nhint: save relman.toml as UTF-8 (TOML files must be UTF-8)\n",
            path.display()
        ),
        "{run}"
    );
}

#[test]
fn a_config_past_the_caps_is_refused_at_once() {
    let fixture = Fixture::new(RELEASE);
    let mut config = String::from("[workflow.huge]\n");
    for number in 0..1001 {
        config.push_str(&format!(
            "[[workflow.huge.step]]\nrun = [\"echo\", \"{number}\"]\n"
        ));
    }
    fixture.repo.write("relman.toml", &config);
    fixture
        .run_within(&["check"], Duration::from_secs(20))
        .expect(2)
        .stderr_has("the config has 1001 steps in all; relman reads at most 1000")
        .stderr_has("hint: a real release needs far fewer");

    // Past 1 MiB, it is not even parsed (a million steps took ten minutes and 3.5 GB).
    let step = "[[workflow.huge.step]]\nrun = \"true\"\n";
    fixture
        .repo
        .write("relman.toml", step.repeat(1024 * 1024 / step.len() + 1));
    fixture.run_within(&["check"], Duration::from_secs(20))
        .expect(2)
        .stderr_has("relman.toml: cannot read the config: it is larger than 1 MiB, more than relman reads from one file");
}

#[test]
fn files_that_are_devices_or_fifos_are_refused_without_reading_them() {
    let fixture = Fixture::new(RELEASE);
    let limit = Duration::from_secs(20);
    let link = |relative: &str, target: &str| {
        let path = fixture.path().join(relative);
        let _ = fs_err::remove_file(&path);
        std::os::unix::fs::symlink(target, &path).unwrap();
    };

    // The config itself.
    link("relman.toml", "/dev/zero");
    fixture.run_within(&["check"], limit).expect(2).stderr_has(
        "relman.toml: cannot read the config: it is a character device, not a regular file",
    );
    fs_err::remove_file(fixture.path().join("relman.toml")).unwrap();
    fixture.repo.write("relman.toml", RELEASE);

    // The changelog (`/dev/zero` grew until relman was killed): a link out of the repository is
    // refused as such, before anything reads it.
    link("CHANGELOG.md", "/dev/zero");
    fixture
        .run_within(&["plan", "release"], limit)
        .expect(2)
        .stderr_has("the changelog `CHANGELOG.md` is outside the work tree");
    // A FIFO in its place is inside, and is not read: opening it would block for ever.
    mkfifo(&fixture.path().join("CHANGELOG.md"));
    fixture
        .run_within(&["plan", "release"], limit)
        .expect(2)
        .stderr_has("CHANGELOG.md`: it is a named pipe (FIFO), not a regular file");
    fs_err::remove_file(fixture.path().join("CHANGELOG.md")).unwrap();
    fixture.git(&["checkout", "--", "CHANGELOG.md"]);

    // A version file that is a FIFO: opening it would block until a writer came.
    mkfifo(&fixture.path().join("package.json"));
    fixture
        .run_within(&["plan", "release"], limit)
        .expect(2)
        .stderr_has("package.json")
        .stderr_has("cannot read `package.json`: it is a named pipe (FIFO), not a regular file");
}

#[test]
fn a_journal_edited_into_inconsistency_is_refused_not_resumed() {
    let config = RELEASE.replace(
        "[[workflow.release.step]]\ncommit",
        "[[workflow.release.step]]\nmanual = \"Read the notes\"\n\n[[workflow.release.step]]\ncommit",
    );
    let fixture = Fixture::new(&config);
    fixture.repo.commit("chore: read the notes first");
    fixture.repo.push(&["main"]);
    fixture.relman(&["release"]).expect(3);
    let path = fixture.path().join(".git/relman/journal.json");
    let text = fs_err::read_to_string(&path).unwrap();
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    let shown = path.display();

    // A step record removed: relman panicked (exit 101).
    let mut edited = original.clone();
    edited["steps"].as_array_mut().unwrap().pop();
    fs_err::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    let before = snapshot(&fixture);
    fixture
        .relman(&["resume", "--confirm"])
        .expect(2)
        .stderr_has(&format!(
            "error: the journal `{shown}` does not hold together: the plan has 10 steps but 9 are recorded"
        ))
        .stderr_has("hint: it was changed or damaged outside relman, and relman will not guess which steps ran");
    assert_unchanged(&before, &snapshot(&fixture));

    // The plan cut after the pause: relman said "Release done." with nothing committed.
    let mut edited = original.clone();
    edited["plan"]["steps"].as_array_mut().unwrap().truncate(7);
    edited["steps"].as_array_mut().unwrap().truncate(7);
    fs_err::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    for args in [&["resume", "--confirm"][..], &["status"], &["abort"]] {
        fixture.relman(args).expect(2).stderr_has(
            "its frozen plan no longer matches the checksum recorded when the release started",
        );
    }

    fs_err::write(&path, &text).unwrap();
    fixture.relman(&["resume", "--confirm"]).expect(0);
    assert_eq!(fixture.git(&["tag", "--list", "v1.3.0"]), "v1.3.0");
}

#[test]
fn an_artifact_that_is_a_device_is_not_hashed_for_ever() {
    let fixture = Fixture::new("[workflow.sums]\n[[workflow.sums.step]]\nchecksums = \"dist/*\"\n");
    fs_err::create_dir_all(fixture.path().join("dist")).unwrap();
    fixture.repo.write("dist/app-1.2.3.tar.gz", "an archive");
    std::os::unix::fs::symlink("/dev/zero", fixture.path().join("dist/zzz")).unwrap();
    fixture
        .run_within(&["sums"], Duration::from_secs(20))
        .expect(1)
        .stderr_has("zzz`: it is a character device, not a regular file");
}

/// Replaces `path` with a named pipe nobody writes to.
fn mkfifo(path: &std::path::Path) {
    let _ = fs_err::remove_file(path);
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn abort_does_not_read_a_fifo_put_where_relman_wrote_a_file() {
    // Abort compares each file relman wrote with relman's bytes before putting it back: a FIFO
    // put there since blocked it for ever (a link out of the repository is refused earlier).
    let config = RELEASE.replace(
        "[[workflow.release.step]]\ncommit",
        "[[workflow.release.step]]\nmanual = \"Read the notes\"\n\n[[workflow.release.step]]\ncommit",
    );
    let fixture = Fixture::new(&config);
    fixture.repo.commit("chore: read the notes first");
    fixture.repo.push(&["main"]);
    fixture.relman(&["release"]).expect(3);
    let version_file = fixture.path().join("package.json");
    mkfifo(&version_file);
    let run = fixture.run_within(&["abort"], Duration::from_secs(20));
    assert_ne!(run.status.code(), Some(0), "{run}");
    run.stderr_has("package.json")
        .stderr_has("it is a named pipe (FIFO), not a regular file");
    assert!(
        fs_err::symlink_metadata(&version_file)
            .unwrap()
            .file_type()
            .is_fifo(),
        "abort changed nothing"
    );
    assert!(fixture.path().join(".git/relman/journal.json").exists());
}
