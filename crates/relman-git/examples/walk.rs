//! Times relman-git's history reading with nothing else, so benchmarks can tell parsing from
//! rendering: `walk REPO full` streams every commit from HEAD through the callback; `walk REPO
//! unreleased` finds the previous `vMAJOR.MINOR.PATCH` release and streams the commits since it.
//! Prints one line: what was found, how many commits, and the wall time.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool"
)]

use std::ops::ControlFlow;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use relman_git::{Repository, TagKind};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [repo, mode] = args.as_slice() else {
        eprintln!("usage: walk REPO full|unreleased");
        return ExitCode::from(2);
    };
    match run(Path::new(repo), mode) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(repo: &Path, mode: &str) -> Result<String, relman_git::GitError> {
    let start = Instant::now();
    let git = Repository::discover(repo)?;
    let mut commits = 0_u64;
    let mut message_bytes = 0_u64;
    let mut tagged = 0_u64;
    let mut count = |commit: relman_git::CommitRef<'_>| {
        commits += 1;
        message_bytes += commit.message_bytes().len() as u64;
        tagged += u64::from(commit.tags().next().is_some());
    };
    let found = match mode {
        "full" => {
            git.history(|commit| {
                count(commit);
                ControlFlow::<()>::Continue(())
            })?;
            format!("{tagged} tagged commits")
        }
        "unreleased" => {
            let release = git.commits_since_release("HEAD", classify, |_| {}, &mut count)?;
            match release {
                Some(release) => format!("previous release {}", release.tag),
                None => "no previous release".to_owned(),
            }
        }
        other => return Ok(format!("unknown mode `{other}`")),
    };
    let elapsed = start.elapsed();
    Ok(format!(
        "{mode}: {found}, {commits} commits, {message_bytes} message bytes, {:.3} s",
        elapsed.as_secs_f64()
    ))
}

/// `vMAJOR.MINOR.PATCH` as a comparable tuple; other `v` tags are malformed.
fn classify(name: &str) -> TagKind<(u64, u64, u64)> {
    let Some(version) = name.strip_prefix('v') else {
        return TagKind::Unrelated;
    };
    let parts: Vec<Option<u64>> = version.split('.').map(|part| part.parse().ok()).collect();
    match parts.as_slice() {
        [Some(major), Some(minor), Some(patch)] => TagKind::Release((*major, *minor, *patch)),
        _ => TagKind::Malformed,
    }
}
