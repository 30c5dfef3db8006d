//! Signed commits and tags with the user's signing config: a GPG key in a temp GNUPGHOME and an
//! SSH key with `gpg.format=ssh`. Skipped when the tool is missing, unless
//! RELMAN_TEST_REQUIRE_TOOLS=1.

use relman_git::Annotation;
use relman_testkit::{TestRepo, require_tool};

use crate::open;

#[test]
fn gpg_signed_tag_and_commit() {
    if !require_tool("gpg") || !require_tool("gpgconf") {
        return;
    }
    let mut repo = TestRepo::new();
    let fingerprint = repo.enable_gpg_signing().fingerprint().to_owned();
    repo.commit("one");
    let git = open(&repo);
    git.tag(
        "v1.0.0",
        "HEAD",
        &Annotation::Signed {
            message: "Release 1.0.0".to_owned(),
        },
    )
    .unwrap();
    let verify = repo.git_output(&["tag", "-v", "v1.0.0"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(String::from_utf8_lossy(&verify.stderr).contains("Good signature"));

    repo.write("a.txt", "a");
    git.add(&["a.txt"]).unwrap();
    git.commit("feat: signed", Some(true)).unwrap();
    let signer = repo.git(&["log", "-1", "--format=%G? %GF"]);
    assert_eq!(signer, format!("G {fingerprint}"));
}

#[test]
fn ssh_signed_tag() {
    if !require_tool("ssh-keygen") {
        return;
    }
    let mut repo = TestRepo::new();
    repo.enable_ssh_signing();
    repo.commit("one");
    let git = open(&repo);
    git.tag(
        "v1.0.0",
        "HEAD",
        &Annotation::Signed {
            message: "Release 1.0.0".to_owned(),
        },
    )
    .unwrap();
    let raw = repo.git(&["cat-file", "tag", "v1.0.0"]);
    assert!(raw.contains("-----BEGIN SSH SIGNATURE-----"), "{raw}");
    let verify = repo.git_output(&["tag", "-v", "v1.0.0"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(String::from_utf8_lossy(&verify.stderr).contains("Good \"git\" signature"));
}

#[test]
fn signing_failure_has_a_hint() {
    if !require_tool("gpg") {
        return;
    }
    let repo = TestRepo::new();
    repo.commit("one");
    repo.set_config("user.signingkey", "0000000000000000DEAD");
    let gnupg = repo.root().join("empty-gnupg");
    fs_err::create_dir_all(&gnupg).unwrap();
    let git = open(&repo).with_env("GNUPGHOME", &gnupg);
    let error = git
        .tag(
            "v1.0.0",
            "HEAD",
            &Annotation::Signed {
                message: "x".to_owned(),
            },
        )
        .unwrap_err();
    assert!(error.hint().unwrap().contains("user.signingkey"), "{error}");
    let _ = std::process::Command::new("gpgconf")
        .args(["--kill", "gpg-agent"])
        .env("GNUPGHOME", &gnupg)
        .output();
}
