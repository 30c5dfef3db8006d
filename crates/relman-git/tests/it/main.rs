//! Integration tests of relman-git against real repositories built by the test kit, in a sealed
//! environment (temp HOME, no global or system config, fixed identity and dates).

mod discovery;
mod families;
mod history;
mod merges;
mod reads;
mod refs;
mod release;
mod remotes;
mod signing;
mod writes;

use std::fmt::Write as _;
use std::path::Path;

use relman_git::{Repository, TagKind};
use relman_testkit::TestRepo;

/// A handle on the test repository that runs git in the test's sealed environment.
pub fn open(repo: &TestRepo) -> Repository {
    open_at(repo, repo.path())
}

pub fn open_at(repo: &TestRepo, dir: &Path) -> Repository {
    Repository::discover(dir)
        .expect("discover the test repository")
        .with_envs(repo.env_vars())
}

/// Release tags are `vSEMVER` (pre-releases told apart); a `v` tag that does not parse is malformed; others are unrelated.
pub fn semver_tag(name: &str) -> TagKind<semver::Version> {
    match name.strip_prefix('v') {
        Some(version) => match semver::Version::parse(version) {
            Ok(version) if !version.pre.is_empty() => TagKind::PreRelease(version),
            Ok(version) => TagKind::Release(version),
            Err(_) => TagKind::Malformed,
        },
        None => TagKind::Unrelated,
    }
}

/// Appends `count` linear commits to `main` quickly with `git fast-import`, each touching
/// `file.txt`, with conventional messages `feat: change N`; the work tree is reset to the result.
pub fn import_linear(repo: &TestRepo, count: usize) {
    let mut stream = String::new();
    for index in 1..=count {
        let message = format!("feat: change {index}\n\nbody of {index}\n");
        let content = format!("{index}\n");
        write!(
            stream,
            "commit refs/heads/main\ncommitter T <t@example.com> {} +0000\ndata {}\n{message}\
             M 644 inline file.txt\ndata {}\n{content}\n",
            1_700_000_000 + index,
            message.len(),
            content.len()
        )
        .unwrap();
    }
    let mut child = repo
        .command("git")
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["reset", "--quiet", "--hard", "main"]);
}

/// `git rev-list RANGE`, sorted, to compare sets of commits.
pub fn rev_list_sorted(repo: &TestRepo, range: &str) -> Vec<String> {
    let mut shas: Vec<String> = repo
        .git(&["rev-list", range])
        .lines()
        .map(str::to_owned)
        .collect();
    shas.sort();
    shas
}
