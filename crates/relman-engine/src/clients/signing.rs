//! Whether git can sign here, asked the way git would sign: its config (`gpg.format`,
//! `user.signingkey`, the program settings) and the signing program itself, signing a few bytes
//! of test data on stdin, without a prompt (no pinentry, no passphrase question) and without
//! writing anything into the repository. `plan` asks it before it promises a signed tag or
//! commit.

use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use relman_git::Repository;

use crate::environment::Environment;

/// What is signed to find out.
const TEST_DATA: &[u8] = b"relman checks that it can sign\n";

/// How long the signing program may take: a program waiting for a passphrase, a smartcard or an
/// agent that never answers is stopped, and the plan says so instead of hanging.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// Why git could not sign here, or `None` when it can.
pub(crate) fn signing_problem(repo: &Repository, env: &Environment) -> Option<String> {
    try_sign(repo, env).err()
}

/// Whether git's config `key` holds a true boolean (`true`, `yes`, `on`, `1`).
pub(crate) fn config_true(repo: &Repository, key: &str) -> bool {
    repo.config_get(key).ok().flatten().is_some_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "on" | "1"
        )
    })
}

fn config(repo: &Repository, key: &str) -> Option<String> {
    repo.config_get(key)
        .ok()
        .flatten()
        .filter(|value| !value.is_empty())
}

fn try_sign(repo: &Repository, env: &Environment) -> Result<(), String> {
    try_sign_within(repo, env, PROBE_TIMEOUT)
}

fn try_sign_within(repo: &Repository, env: &Environment, limit: Duration) -> Result<(), String> {
    let format = config(repo, "gpg.format").unwrap_or_else(|| "openpgp".to_owned());
    let key = config(repo, "user.signingkey");
    let mut command = match format.as_str() {
        "ssh" => {
            let key = key.ok_or_else(|| {
                "`gpg.format` is `ssh` but `user.signingkey` is not set".to_owned()
            })?;
            if key.starts_with("key::") {
                // A literal public key: its private half is in an agent, which relman does not
                // ask (it would take a temporary file); git will.
                return Ok(());
            }
            let program = config(repo, "gpg.ssh.program").unwrap_or_else(|| "ssh-keygen".into());
            let path = match key.strip_prefix("~/") {
                Some(rest) => env
                    .var("HOME")
                    .map(|home| std::path::Path::new(home).join(rest).display().to_string())
                    .unwrap_or(key),
                None => key,
            };
            let mut command = Command::new(&program);
            command.args(["-Y", "sign", "-n", "git", "-f", &path]);
            // A key with a passphrase is asked for through a program that always says no,
            // never on the terminal.
            command
                .env("SSH_ASKPASS_REQUIRE", "force")
                .env("SSH_ASKPASS", "false");
            command
        }
        other => {
            let (program_key, default) = if other == "x509" {
                ("gpg.x509.program", "gpgsm")
            } else {
                ("gpg.openpgp.program", "gpg")
            };
            let program = config(repo, program_key)
                .or_else(|| {
                    (other != "x509")
                        .then(|| config(repo, "gpg.program"))
                        .flatten()
                })
                .unwrap_or_else(|| default.to_owned());
            let key = match key {
                Some(key) => key,
                None => committer(repo)?,
            };
            let mut command = Command::new(&program);
            command.args([
                "--batch",
                "--no-tty",
                "--pinentry-mode",
                "error",
                "--detach-sign",
                "--armor",
                "--local-user",
                &key,
            ]);
            command
        }
    };
    let program = command.get_program().to_string_lossy().into_owned();
    // The environment git signs in (a `GNUPGHOME` the repository is opened with).
    command.envs(repo.extra_env_strings());
    let mut child = command
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run `{program}`: {error}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(TEST_DATA);
    }
    // stderr is read aside, so that a chatty program cannot block on a full pipe while relman
    // waits for it to exit.
    let stderr = child.stderr.take().map(|mut stderr| {
        std::thread::spawn(move || {
            let mut said = Vec::new();
            let _ = stderr.by_ref().take(64 * 1024).read_to_end(&mut said);
            said
        })
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{program}` did not sign a test text within {} (waiting for a passphrase, \
                     a card or an agent?)",
                    super::polling::human(limit)
                ));
            }
            Err(error) => return Err(format!("cannot run `{program}`: {error}")),
        }
    };
    if status.success() {
        return Ok(());
    }
    let said = stderr
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    let said = String::from_utf8_lossy(&said);
    let said = said
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty() && !line.starts_with("[GNUPG:]"))
        .unwrap_or("no message");
    Err(format!("`{program}` could not sign: {said}"))
}

/// `Name <email>` of the committer: the key git asks gpg for when `user.signingkey` is unset.
fn committer(repo: &Repository) -> Result<String, String> {
    let ident = repo
        .var("GIT_COMMITTER_IDENT")
        .map_err(|error| error.to_string())?;
    // `Name <email> 1700000000 +0000`: the time is not part of the identity.
    Ok(match ident.rfind('>') {
        Some(end) => ident[..=end].to_owned(),
        None => ident,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &std::path::Path, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn a_signing_program_that_never_answers_is_stopped_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("hanging-gpg");
        fs_err::write(&program, "#!/bin/sh\nexec sleep 60\n").unwrap();
        fs_err::set_permissions(
            &program,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        let work = dir.path().join("repo");
        fs_err::create_dir(&work).unwrap();
        git(&work, &["init", "-q"]);
        git(&work, &["config", "user.signingkey", "ABC"]);
        git(
            &work,
            &["config", "gpg.program", &program.display().to_string()],
        );
        let repo = Repository::discover(&work).unwrap();
        let env = Environment::new(Vec::new(), 0);
        let started = Instant::now();
        let problem = try_sign_within(&repo, &env, Duration::from_millis(300)).unwrap_err();
        assert!(
            problem.contains("did not sign a test text within 300ms"),
            "{problem}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
