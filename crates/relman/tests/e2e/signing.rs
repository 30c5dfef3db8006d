//! Signed releases with throwaway keys: GPG-signed commit, tag and checksums, SSH-signed tag and
//! commit (`gpg.format = ssh`), and the user's own `tag.gpgSign` honoured; every signature is
//! verified with git or gpg as a user would.

use crate::support::*;

const SIGNED: &str = r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
run = ["sh", "-c", "mkdir -p dist && echo 'wheel {version}' > dist/greeter-{version}.whl"]

[[workflow.release.step]]
checksums = "dist/*"
sign = true

[[workflow.release.step]]
commit = "Release {version}"
sign = true

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"
sign = true

[[workflow.release.step]]
push = ["branch", "tag"]
"#;

#[track_caller]
fn succeeds(fixture: &Fixture, program: &str, args: &[&str]) -> String {
    let output = fixture.repo.command(program).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "`{program} {}` failed:\n{stderr}",
        args.join(" ")
    );
    stderr
}

#[test]
fn gpg_signs_the_commit_the_tag_and_the_checksums() {
    if !relman_testkit::require_tool("gpg") {
        return;
    }
    let mut fixture = Fixture::new(SIGNED);
    fixture.repo.enable_gpg_signing();
    fixture.relman(&["release"]).expect(0);

    let tag = succeeds(&fixture, "git", &["tag", "-v", "v1.3.0"]);
    assert!(
        tag.contains("Good signature from \"Test User <test@example.com>\""),
        "{tag}"
    );
    let commit = succeeds(&fixture, "git", &["verify-commit", "HEAD"]);
    assert!(commit.contains("Good signature"), "{commit}");
    assert_eq!(
        fixture.git(&["tag", "--list", "--format=%(contents:subject)", "v1.3.0"]),
        "Release 1.3.0"
    );
    assert!(
        fixture
            .read("dist/SHA256SUMS.asc")
            .starts_with("-----BEGIN PGP SIGNATURE-----")
    );
    let sums = succeeds(
        &fixture,
        "gpg",
        &["--verify", "dist/SHA256SUMS.asc", "dist/SHA256SUMS"],
    );
    assert!(sums.contains("Good signature"), "{sums}");
    // The signed tag object is what reached the remote.
    assert_eq!(
        fixture.remote_refs()["refs/tags/v1.3.0"],
        fixture.git(&["rev-parse", "v1.3.0"])
    );
}

#[test]
fn ssh_signs_the_tag_and_commit_when_the_user_signs_with_ssh() {
    if !relman_testkit::require_tool("ssh-keygen") {
        return;
    }
    let mut fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {version}"
sign = true

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"
sign = true
"#,
    );
    fixture.repo.enable_ssh_signing();
    fixture.relman(&["release"]).expect(0);

    let tag = succeeds(&fixture, "git", &["verify-tag", "v1.3.0"]);
    assert!(
        tag.contains("Good \"git\" signature for test@example.com with ED25519 key"),
        "{tag}"
    );
    succeeds(&fixture, "git", &["verify-commit", "HEAD"]);
    assert!(
        fixture
            .git(&["cat-file", "-p", "v1.3.0"])
            .contains("-----BEGIN SSH SIGNATURE-----")
    );
}

/// A user who signs every tag (`tag.gpgSign`) gets a signed annotated tag without asking relman;
/// a lightweight tag stays lightweight (it cannot carry a signature).
#[test]
fn the_users_tag_gpgsign_is_honoured() {
    if !relman_testkit::require_tool("gpg") {
        return;
    }
    let mut fixture = Fixture::new(
        r#"
[project]
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {version}"

[[workflow.release.step]]
tag = "{tag}"
message = "Release {version}"

[[workflow.release.step]]
tag = "latest"
"#,
    );
    fixture.repo.enable_gpg_signing();
    fixture.repo.set_config("tag.gpgSign", "true");
    fixture.relman(&["release"]).expect(0);

    let tag = succeeds(&fixture, "git", &["tag", "-v", "v1.3.0"]);
    assert!(tag.contains("Good signature"), "{tag}");
    assert_eq!(fixture.git(&["cat-file", "-t", "latest"]), "commit");
    assert_eq!(
        fixture.git(&["rev-parse", "latest"]),
        fixture.git(&["rev-parse", "HEAD"])
    );
}

/// The checksums are signed with the key git signs with (`user.signingkey`), not whatever key
/// gpg would pick by default.
#[test]
fn checksums_are_signed_with_the_users_git_signing_key() {
    if !relman_testkit::require_tool("gpg") {
        return;
    }
    let mut fixture = Fixture::new(SIGNED);
    let signing = fixture.repo.enable_gpg_signing().fingerprint().to_owned();
    // A second key, which the user made gpg's default for everything else.
    let gpg = |args: &[&str]| {
        let output = fixture.repo.command("gpg").args(args).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    gpg(&[
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-gen-key",
        "Other Person <other@example.com>",
        "ed25519",
        "sign",
        "never",
    ]);
    let listing = gpg(&["--with-colons", "--list-secret-keys", "other@example.com"]);
    let other = listing
        .lines()
        .find_map(|line| line.strip_prefix("fpr:"))
        .unwrap()
        .trim_matches(':')
        .to_owned();
    assert_ne!(other, signing);
    fs_err::write(
        fixture.repo.root().join("gnupg/gpg.conf"),
        format!("default-key {other}\n"),
    )
    .unwrap();
    fixture.relman(&["release"]).expect(0);

    let output = fixture
        .repo
        .command("gpg")
        .args([
            "--status-fd",
            "1",
            "--verify",
            "dist/SHA256SUMS.asc",
            "dist/SHA256SUMS",
        ])
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&output.stdout);
    assert!(status.contains(&format!("VALIDSIG {signing}")), "{status}");
}
