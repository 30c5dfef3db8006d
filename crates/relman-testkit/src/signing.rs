//! Throwaway signing keys: a GPG key in its own `GNUPGHOME` (its agent killed on drop) and an SSH
//! key with an allowed-signers file, so signed commits and tags can be made and verified without
//! touching the user's keys.

use std::path::{Path, PathBuf};
use std::process::Command;

/// An ed25519 GPG key without passphrase, in a private `GNUPGHOME`.
#[derive(Debug)]
pub struct GpgKey {
    home: PathBuf,
    fingerprint: String,
}

impl GpgKey {
    /// Generates a key for `name <email>` in `home` (created, mode 700).
    pub fn generate(home: &Path, name: &str, email: &str) -> GpgKey {
        fs_err::create_dir_all(home).expect("create GNUPGHOME");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs_err::set_permissions(home, std::fs::Permissions::from_mode(0o700))
                .expect("restrict GNUPGHOME");
        }
        let user_id = format!("{name} <{email}>");
        gpg(
            home,
            &[
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--quick-gen-key",
                &user_id,
                "ed25519",
                "sign",
                "never",
            ],
        );
        let listing = gpg(home, &["--batch", "--with-colons", "--list-secret-keys"]);
        let fingerprint = listing
            .lines()
            .find_map(|line| line.strip_prefix("fpr:"))
            .map(|rest| rest.trim_matches(':').to_owned())
            .expect("gpg lists the fingerprint of the key it made");
        GpgKey {
            home: home.to_owned(),
            fingerprint,
        }
    }

    /// The `GNUPGHOME` holding the key.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The key's fingerprint, as `user.signingkey` takes it.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

impl Drop for GpgKey {
    fn drop(&mut self) {
        // The agent gpg started for this home would outlive the test and its directory.
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", &self.home)
            .output();
    }
}

fn gpg(home: &Path, args: &[&str]) -> String {
    let output = Command::new("gpg")
        .args(args)
        .env("GNUPGHOME", home)
        .output()
        .unwrap_or_else(|error| panic!("could not run gpg: {error}"));
    assert!(
        output.status.success(),
        "`gpg {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// An ed25519 SSH key without passphrase, and an allowed-signers file that trusts it.
#[derive(Debug)]
pub struct SshKey {
    private_key: PathBuf,
    allowed_signers: PathBuf,
}

impl SshKey {
    /// Generates `dir/id_ed25519` for `email` and `dir/allowed_signers`.
    pub fn generate(dir: &Path, email: &str) -> SshKey {
        fs_err::create_dir_all(dir).expect("create the ssh key directory");
        let private_key = dir.join("id_ed25519");
        let output = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", email, "-f"])
            .arg(&private_key)
            .output()
            .unwrap_or_else(|error| panic!("could not run ssh-keygen: {error}"));
        assert!(
            output.status.success(),
            "ssh-keygen failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let public =
            fs_err::read_to_string(dir.join("id_ed25519.pub")).expect("read the public key");
        let allowed_signers = dir.join("allowed_signers");
        fs_err::write(
            &allowed_signers,
            format!("{email} namespaces=\"git\" {}\n", public.trim()),
        )
        .expect("write allowed_signers");
        SshKey {
            private_key,
            allowed_signers,
        }
    }

    /// The private key file, as `user.signingkey` takes it with `gpg.format=ssh`.
    pub fn private_key(&self) -> &Path {
        &self.private_key
    }

    /// The file for `gpg.ssh.allowedSignersFile`.
    pub fn allowed_signers(&self) -> &Path {
        &self.allowed_signers
    }
}
