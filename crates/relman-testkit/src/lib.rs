//! Test support for every relman crate: hermetic git repositories with bare remotes, fixed clock
//! and identity ([`TestRepo`]), throwaway signing keys, launchers for real services, local fakes
//! of the services that cannot run here (GitHub, CircleCI, social networks, a RubyGems host), and
//! the rule for tests that need an outside tool ([`require_tool`]). A dev-dependency only; it
//! depends on no other relman crate.

mod repo;
mod signing;

pub mod circleci;
pub mod crates_registry;
pub mod github;
pub mod http_server;
pub mod lagging_registry;
pub mod recorder;
pub mod rubygems;
pub mod services;
pub mod silent_server;
pub mod social;
pub mod static_site;

pub use repo::{TEST_EMAIL, TEST_NAME, TestRepo, write_executable};
pub use signing::{GpgKey, SshKey};

use std::path::PathBuf;

/// The executable `name` found on PATH.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Whether a test may use the outside tool `name`. When it is missing the test should return at
/// once: this prints `skipped: NAME not installed`, or panics when `RELMAN_TEST_REQUIRE_TOOLS=1`
/// (CI), where a missing tool is a broken setup rather than a reason to skip.
#[allow(clippy::print_stdout, reason = "the skip notice is the test's output")]
pub fn require_tool(name: &str) -> bool {
    if find_tool(name).is_some() {
        return true;
    }
    if std::env::var_os("RELMAN_TEST_REQUIRE_TOOLS").is_some_and(|value| value == "1") {
        panic!("{name} is not installed, and RELMAN_TEST_REQUIRE_TOOLS=1 requires it");
    }
    println!("skipped: {name} not installed");
    false
}

/// Whether a test may run a command in a private mount namespace (`unshare --mount
/// --map-root-user`), to put a tiny tmpfs or a read-only bind mount under it: real faults (a full
/// disk, a read-only `.git`) that vanish with the command and touch nothing else on the machine.
/// Missing (no `unshare`, or user namespaces disabled), it skips or panics as [`require_tool`].
#[allow(clippy::print_stdout, reason = "the skip notice is the test's output")]
pub fn require_mount_namespace() -> bool {
    let works = std::process::Command::new("unshare")
        .args(["--mount", "--map-root-user", "true"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if works {
        return true;
    }
    if std::env::var_os("RELMAN_TEST_REQUIRE_TOOLS").is_some_and(|value| value == "1") {
        panic!(
            "`unshare --mount --map-root-user` does not work here (util-linux missing, or user namespaces disabled), and RELMAN_TEST_REQUIRE_TOOLS=1 requires it"
        );
    }
    println!("skipped: mount namespaces not available");
    false
}

fn is_executable(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}
