//! Hermetic git repositories for tests: a temp directory holding a work repository on `main`, a
//! bare `origin` reached over `file://`, and a temp HOME whose config is the only one git reads.
//! Identity is fixed and every git call gets the next date of a fixed clock, so commit ids are the
//! same on every run. Helpers panic with git's stderr: a failing helper is a broken test.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};

use tempfile::TempDir;

use crate::signing::{GpgKey, SshKey};

/// 2024-01-01T00:00:00Z: the date of the first git call of every test repository.
const EPOCH: u64 = 1_704_067_200;
/// Each git call happens one minute after the previous one.
const TICK: u64 = 60;

pub const TEST_NAME: &str = "Test User";
pub const TEST_EMAIL: &str = "test@example.com";

const GLOBAL_CONFIG: &str = "\
[user]
\tname = Test User
\temail = test@example.com
[init]
\tdefaultBranch = main
[advice]
\tdetachedHead = false
\tskippedCherryPicks = false
[gc]
\tauto = 0
[maintenance]
\tauto = false
[protocol \"file\"]
\tallow = always
";

/// A work repository with a bare remote, in a sealed environment, removed on drop.
#[derive(Debug)]
pub struct TestRepo {
    // Declared before the temp dir: a key's gpg-agent must stop before its directory is removed.
    gpg: Option<GpgKey>,
    ssh: Option<SshKey>,
    /// Held for its `Drop`, which removes everything below.
    _temp_dir: TempDir,
    work: PathBuf,
    remote: PathBuf,
    home: PathBuf,
    clock: AtomicU64,
    extra_env: Vec<(OsString, OsString)>,
}

impl Default for TestRepo {
    fn default() -> Self {
        Self::new()
    }
}

impl TestRepo {
    /// A fresh repository on `main` with no commits, and `origin` pointing at an empty bare
    /// repository.
    pub fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("relman-test-")
            .tempdir()
            .expect("create a temp directory for the test repository");
        let base = fs_err::canonicalize(root.path()).expect("canonicalize the temp directory");
        let home = base.join("home");
        fs_err::create_dir_all(home.join(".config")).expect("create the test HOME");
        fs_err::write(home.join(".gitconfig"), GLOBAL_CONFIG).expect("write the test git config");
        let repo = TestRepo {
            gpg: None,
            ssh: None,
            _temp_dir: root,
            work: base.join("work"),
            remote: base.join("remote.git"),
            home,
            clock: AtomicU64::new(EPOCH),
            extra_env: Vec::new(),
        };
        repo.git_in(&base, &["init", "--quiet", "work"]);
        repo.git_in(&base, &["init", "--quiet", "--bare", "remote.git"]);
        repo.git(&["remote", "add", "origin", &repo.remote_url()]);
        repo
    }

    /// The top of the work tree.
    pub fn path(&self) -> &Path {
        &self.work
    }

    /// The temp directory holding everything; free for a test's own files and clones.
    pub fn root(&self) -> &Path {
        self.work
            .parent()
            .expect("invariant: the work tree is inside the root")
    }

    /// The sealed HOME (its `.gitconfig` is the only config git reads besides the repository's).
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The bare repository `origin` points at.
    pub fn remote_path(&self) -> &Path {
        &self.remote
    }

    /// `file://` URL of the bare remote.
    pub fn remote_url(&self) -> String {
        format!("file://{}", self.remote.display())
    }

    /// The sealed environment, with the next date of the clock: pass it to any process that
    /// must see this repository as the tests do (the `relman` binary, a `Repository` handle).
    pub fn env_vars(&self) -> Vec<(OsString, OsString)> {
        let now = self.clock.fetch_add(TICK, Ordering::SeqCst);
        let date = format!("{now} +0000");
        let config = self.home.join(".gitconfig");
        let mut vars: Vec<(OsString, OsString)> = [
            ("HOME", self.home.as_os_str()),
            ("XDG_CONFIG_HOME", self.home.join(".config").as_os_str()),
            ("GIT_CONFIG_NOSYSTEM", OsStr::new("1")),
            ("GIT_CONFIG_GLOBAL", config.as_os_str()),
            ("GIT_AUTHOR_NAME", OsStr::new(TEST_NAME)),
            ("GIT_AUTHOR_EMAIL", OsStr::new(TEST_EMAIL)),
            ("GIT_AUTHOR_DATE", OsStr::new(&date)),
            ("GIT_COMMITTER_NAME", OsStr::new(TEST_NAME)),
            ("GIT_COMMITTER_EMAIL", OsStr::new(TEST_EMAIL)),
            ("GIT_COMMITTER_DATE", OsStr::new(&date)),
            ("GIT_TERMINAL_PROMPT", OsStr::new("0")),
            // An editor opening in a test is a bug: make it fail instead of hanging.
            ("GIT_EDITOR", OsStr::new("false")),
            ("GIT_PAGER", OsStr::new("cat")),
            ("PAGER", OsStr::new("cat")),
            ("TZ", OsStr::new("UTC")),
            ("LANG", OsStr::new("C.UTF-8")),
            ("LC_ALL", OsStr::new("C.UTF-8")),
        ]
        .into_iter()
        .map(|(key, value)| (OsString::from(key), value.to_owned()))
        .collect();
        vars.extend(self.extra_env.iter().cloned());
        vars
    }

    /// `program` ready to run in the work tree with nothing but PATH and the sealed environment.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.work).env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        command.envs(self.env_vars());
        command
    }

    /// Runs git in the work tree; panics with its stderr when it fails. Returns trimmed stdout.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.work, args)
    }

    /// Runs git in `dir`; panics with its stderr when it fails. Returns trimmed stdout.
    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let output = self.git_output_in(dir, args);
        assert!(
            output.status.success(),
            "`git {}` failed in {} ({}):\n{}",
            args.join(" "),
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_owned()
    }

    /// Runs git in the work tree and returns whatever happened.
    pub fn git_output(&self, args: &[&str]) -> Output {
        self.git_output_in(&self.work, args)
    }

    fn git_output_in(&self, dir: &Path, args: &[&str]) -> Output {
        let mut command = self.command("git");
        command.current_dir(dir).args(args);
        command
            .output()
            .unwrap_or_else(|error| panic!("could not run `git {}`: {error}", args.join(" ")))
    }

    /// Writes `contents` to `relative` in the work tree (parents created); returns the path.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.work.join(relative);
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent).expect("create the file's directory");
        }
        fs_err::write(&path, contents).expect("write a test file");
        path
    }

    /// The text of `relative` in the work tree.
    pub fn read(&self, relative: &str) -> String {
        fs_err::read_to_string(self.work.join(relative)).expect("read a test file")
    }

    /// Stages everything and commits with `message` (empty commits allowed); returns the id.
    pub fn commit(&self, message: &str) -> String {
        self.commit_bytes(message.as_bytes())
    }

    /// Like [`commit`](Self::commit) with a message of arbitrary bytes (non-UTF-8 tests).
    pub fn commit_bytes(&self, message: &[u8]) -> String {
        let message_file = self.root().join(".commit-message");
        fs_err::write(&message_file, message).expect("write the commit message");
        self.git(&["add", "--all"]);
        let file = message_file.to_string_lossy();
        self.git(&[
            "commit",
            "--quiet",
            "--allow-empty",
            "--allow-empty-message",
            "--cleanup=verbatim",
            "--no-gpg-sign",
            "--file",
            &file,
        ]);
        self.head()
    }

    /// Writes one file and commits it; returns the commit id.
    pub fn commit_file(&self, relative: &str, contents: &str, message: &str) -> String {
        self.write(relative, contents);
        self.commit(message)
    }

    /// The id of HEAD.
    /// Moves the clock: the next git call happens on `day` (`2026-05-16`) at noon UTC, and each
    /// one after a minute later, as before. For tests of what the dates of commits and tags mean.
    pub fn set_date(&self, day: &str) {
        let output = Command::new("date")
            .args(["-u", "-d", &format!("{day} 12:00:00"), "+%s"])
            .output()
            .expect("run date");
        let seconds: u64 = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("`{day}` is no day `date -d` reads"));
        self.clock.store(seconds, Ordering::SeqCst);
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    /// A lightweight tag at HEAD.
    pub fn tag(&self, name: &str) {
        self.git(&["tag", "--no-sign", name]);
    }

    /// An annotated tag at HEAD.
    pub fn tag_annotated(&self, name: &str, message: &str) {
        self.git(&["tag", "--no-sign", "--annotate", "--message", message, name]);
    }

    /// `git push origin ARGS...`.
    pub fn push(&self, args: &[&str]) {
        let mut all = vec!["push", "--quiet", "origin"];
        all.extend_from_slice(args);
        self.git(&all);
    }

    /// Sets `key` in the work repository's own config.
    pub fn set_config(&self, key: &str, value: &str) {
        self.git(&["config", key, value]);
    }

    /// Makes the remote refuse every push, printing `message` as its reason (a `pre-receive` hook).
    pub fn reject_pushes(&self, message: &str) {
        let script = format!(
            "#!/bin/sh\necho '{}' >&2\nexit 1\n",
            message.replace('\'', r"'\''")
        );
        write_executable(&self.remote.join("hooks").join("pre-receive"), &script);
    }

    /// Clones the remote into `root/NAME` with extra `args` (`--depth=1` for a shallow clone).
    pub fn clone_remote(&self, name: &str, args: &[&str]) -> PathBuf {
        let mut all = vec!["clone", "--quiet"];
        all.extend_from_slice(args);
        let url = self.remote_url();
        all.extend_from_slice(&[&url, name]);
        self.git_in(self.root(), &all);
        self.root().join(name)
    }

    /// Creates a GPG key (ed25519, no passphrase) in a temp `GNUPGHOME` and configures the work
    /// repository to sign with it. Check `require_tool("gpg")` first.
    pub fn enable_gpg_signing(&mut self) -> &GpgKey {
        let key = GpgKey::generate(&self.root().join("gnupg"), TEST_NAME, TEST_EMAIL);
        self.extra_env.push((
            OsString::from("GNUPGHOME"),
            key.home().as_os_str().to_owned(),
        ));
        self.set_config("gpg.format", "openpgp");
        self.set_config("user.signingkey", key.fingerprint());
        self.gpg.insert(key)
    }

    /// Creates an SSH key (ed25519, no passphrase) and configures the work repository to sign
    /// with it (`gpg.format=ssh`) and to verify it (`gpg.ssh.allowedSignersFile`). Check
    /// `require_tool("ssh-keygen")` first.
    pub fn enable_ssh_signing(&mut self) -> &SshKey {
        let key = SshKey::generate(&self.root().join("ssh"), TEST_EMAIL);
        self.set_config("gpg.format", "ssh");
        self.set_config("user.signingkey", &key.private_key().to_string_lossy());
        self.set_config(
            "gpg.ssh.allowedSignersFile",
            &key.allowed_signers().to_string_lossy(),
        );
        self.ssh.insert(key)
    }
}

/// Writes a script and makes it executable.
pub fn write_executable(path: &Path, script: &str) {
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent).expect("create the script's directory");
    }
    fs_err::write(path, script).expect("write a script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs_err::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .expect("make a script executable");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_are_reproducible() {
        let build = || {
            let repo = TestRepo::new();
            repo.commit_file("a.txt", "a\n", "feat: a");
            repo.commit("fix: b")
        };
        assert_eq!(build(), build());
    }

    #[test]
    fn dates_advance_and_identity_is_fixed() {
        let repo = TestRepo::new();
        repo.commit("one");
        repo.commit("two");
        let log = repo.git(&["log", "--format=%an <%ae> %at %ct"]);
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines
                .iter()
                .all(|line| line.starts_with("Test User <test@example.com> "))
        );
        assert_ne!(lines[0], lines[1]);
    }

    #[test]
    fn only_the_sealed_config_is_read() {
        let repo = TestRepo::new();
        let origins = repo.git(&["config", "--list", "--show-origin"]);
        for line in origins.lines() {
            let origin = line.split('\t').next().unwrap();
            assert!(
                origin.contains(&*repo.root().to_string_lossy()) || origin == "file:.git/config",
                "config read from outside the test: {line}"
            );
        }
        assert_eq!(repo.git(&["config", "init.defaultBranch"]), "main");
        assert_eq!(repo.git(&["symbolic-ref", "--short", "HEAD"]), "main");
    }

    #[test]
    fn pushes_reach_the_remote_until_rejected() {
        let repo = TestRepo::new();
        let sha = repo.commit("one");
        repo.push(&["main"]);
        let remote_main = repo.git_in(repo.remote_path(), &["rev-parse", "main"]);
        assert_eq!(remote_main, sha);

        repo.reject_pushes("frozen");
        repo.commit("two");
        let output = repo.git_output(&["push", "origin", "main"]);
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("remote: frozen"));
    }
}
