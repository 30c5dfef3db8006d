//! The release flows of real runbooks, end to end with the real binary: an npm package bumped,
//! tagged, pushed, published to a real registry (verdaccio) and verified, with relman killed
//! inside `npm publish`; a release pull request merged on the forge, pulled, and the tag put on
//! the merged commit; announcements on Mastodon and Discourse sent once.

use relman_testkit::github::FakeGitHub;
use relman_testkit::services::{Verdaccio, or_skip};
use relman_testkit::social::FakeSocial;

use crate::support::{Fixture, count};

/// A publishable package whose `postpublish` script kills relman (npm's parent) once, when the
/// file named by `$KILL_MARK` exists: a crash after the upload, inside `npm publish`.
const PACKAGE: &str = r#"{
  "name": "relman-e2e-greeter",
  "version": "1.2.3",
  "description": "greets",
  "license": "MIT",
  "scripts": {
    "postpublish": "if [ -e \"$KILL_MARK\" ]; then rm \"$KILL_MARK\"; kill -9 $(awk '/^PPid:/ {print $2}' /proc/$PPID/status); sleep 5; fi"
  }
}
"#;

#[test]
fn an_npm_package_is_published_once_though_relman_is_killed_inside_npm_publish() {
    let Some(registry) = or_skip(Verdaccio::start()) else {
        return;
    };
    let config = format!(
        r#"[project]
tag = "v{{version}}"
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {{version}}"

[[workflow.release.step]]
tag = "{{tag}}"
message = "Release {{version}}"

[[workflow.release.step]]
push = ["branch", "tag"]

[[workflow.release.step]]
publish = "npm"
registry = "{url}"

[[workflow.release.step]]
verify = "npm"
package = "relman-e2e-greeter"
registry = "{url}"
interval = "200ms"
timeout = "20s"
"#,
        url = registry.url()
    );
    let mut fixture = Fixture::new(&config);
    fixture.repo.write("package.json", PACKAGE);
    fixture.repo.write("relman.toml", &config);
    fixture.repo.commit("feat: a publishable package");
    fixture.repo.push(&["main"]);
    let mark = fixture.repo.root().join("kill-mark");
    fs_err::write(&mark, "").unwrap();
    fixture.set_env("KILL_MARK", &mark);
    fixture.set_env("NPM_TOKEN", registry.token());

    let plan = fixture.relman(&["plan", "release"]);
    // Every value glued to its option (`--registry=URL`): nothing from relman.toml reads as
    // another option.
    plan.expect(0)
        .stdout_has(&format!("$ npm publish '--registry={}'", registry.url()));
    assert!(registry.versions("relman-e2e-greeter").is_empty());

    let killed = fixture.relman(&["release"]);
    assert!(killed.killed(), "relman was not killed: {killed:?}");
    assert!(!mark.exists(), "the postpublish script did not run");
    assert_eq!(registry.versions("relman-e2e-greeter"), ["1.3.0"]);

    let resumed = fixture.relman(&["resume"]);
    resumed.expect(0);
    assert_eq!(registry.versions("relman-e2e-greeter"), ["1.3.0"]);
    assert_eq!(
        count(&resumed.stderr, "Publishing to"),
        0,
        "npm published again: {resumed:?}"
    );
    assert!(!resumed.stderr.contains(registry.token()));
    let refs = fixture.remote_refs();
    assert_eq!(
        refs.get("refs/heads/main"),
        Some(&fixture.git(&["rev-parse", "HEAD"]).trim().to_owned())
    );
    assert!(refs.contains_key("refs/tags/v1.3.0"));
    assert!(
        fixture
            .read("package.json")
            .contains("\"version\": \"1.3.0\"")
    );
}

#[test]
fn a_release_pull_request_is_merged_pulled_and_the_merged_commit_tagged() {
    let github = FakeGitHub::start();
    github.add_repo("octo/greeter");
    github.set_token("ghp_e2etoken0000000000000000000000000000");
    let config = format!(
        r#"[project]
tag = "v{{version}}"
version-files = ["package.json"]

[forge]
repo = "octo/greeter"
api = "{api}"

[workflow.release]
[[workflow.release.step]]
branch = "release/{{version}}"

[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {{version}}"

[[workflow.release.step]]
push = "branch"

[[workflow.release.step]]
pull-request = "open"
head = "release/{{version}}"
base = "main"
title = "Release {{version}}"

[[workflow.release.step]]
wait = "pr-merged"
interval = "100ms"
timeout = "1s"

[[workflow.release.step]]
switch = "main"

[[workflow.release.step]]
pull = "main"

[[workflow.release.step]]
tag = "{{tag}}"
message = "Release {{version}}"

[[workflow.release.step]]
push = "tag"
"#,
        api = github.api_url()
    );
    let mut fixture = Fixture::new(&config);
    fixture
        .repo
        .commit_file("relman.toml", &config, "chore: release through a PR");
    fixture.repo.push(&["main"]);
    github.link_git("octo/greeter", fixture.repo.remote_path());
    fixture.set_env("GITHUB_TOKEN", "ghp_e2etoken0000000000000000000000000000");

    // Nobody merged it yet: the release pauses on the wait.
    let paused = fixture.relman(&["release"]);
    paused.expect(3);
    let pulls = github.pull_requests("octo/greeter");
    assert_eq!(pulls.len(), 1);

    // A person merges the pull request on the forge (a merge commit on the remote's main).
    let other = fixture.repo.clone_remote("merger", &[]);
    fixture.repo.git_in(
        &other,
        &[
            "merge",
            "--quiet",
            "--no-ff",
            "-m",
            "Merge pull request #1",
            "origin/release/1.3.0",
        ],
    );
    fixture
        .repo
        .git_in(&other, &["push", "--quiet", "origin", "main"]);
    let merged = fixture
        .repo
        .git_in(&other, &["rev-parse", "HEAD"])
        .trim()
        .to_owned();
    github.merge_pull_request("octo/greeter", pulls[0].number);

    fixture.relman(&["resume"]).expect(0);
    assert_eq!(fixture.git(&["rev-parse", "HEAD"]).trim(), merged);
    let tagged = fixture.repo.git_in(
        fixture.repo.remote_path(),
        &["rev-parse", "refs/tags/v1.3.0^{commit}"],
    );
    assert_eq!(tagged.trim(), merged, "the tag is not on the merged commit");
    assert!(
        fixture
            .read("package.json")
            .contains("\"version\": \"1.3.0\"")
    );
}

#[test]
fn mastodon_and_discourse_posts_are_sent_once() {
    let social = FakeSocial::start();
    let config = format!(
        r#"[project]
tag = "v{{version}}"
version-files = ["package.json"]

[workflow.announce]
[[workflow.announce.step]]
mastodon = "{url}"
message = "greeter {{version}} is out"

[[workflow.announce.step]]
discourse = "{url}"
title = "greeter {{version}} has been released"
message = "Hello all, greeter {{version}} is out with these changes:\n\n{{changelog}}"
"#,
        url = social.url()
    );
    let mut fixture = Fixture::new(&config);
    fixture
        .repo
        .commit_file("relman.toml", &config, "chore: announce");
    fixture.set_env("MASTODON_TOKEN", FakeSocial::MASTODON_TOKEN);
    fixture.set_env("DISCOURSE_API_KEY", FakeSocial::DISCOURSE_KEY);
    fixture.set_env("DISCOURSE_API_USERNAME", FakeSocial::DISCOURSE_USER);
    let run = fixture.relman(&["announce"]);
    run.expect(0);
    assert!(!run.stderr.contains(FakeSocial::MASTODON_TOKEN));
    assert!(!run.stderr.contains(FakeSocial::DISCOURSE_KEY));
    assert_eq!(social.statuses().len(), 1);
    assert_eq!(social.statuses()[0]["text"], "greeter 1.2.3 is out");
    assert_eq!(social.topics().len(), 1);
    assert_eq!(
        social.topics()[0]["title"],
        "greeter 1.2.3 has been released"
    );
    // Run again: the topic is found by its title; the status is a new release's business.
    fixture.relman(&["announce"]).expect(0);
    assert_eq!(social.topics().len(), 1, "a second topic was opened");
}

#[test]
fn a_homebrew_tap_is_updated_in_a_second_checkout_with_the_tarballs_real_sha256() {
    use sha2::{Digest, Sha256};

    let site = relman_testkit::static_site::StaticSite::start();
    let fixture = Fixture::new("");
    let root = fixture.repo.root().to_owned();
    // The tap: its own repository with a formula at the last release.
    fixture
        .repo
        .git_in(&root, &["init", "--quiet", "--bare", "homebrew-tap.git"]);
    fixture
        .repo
        .git_in(&root, &["clone", "--quiet", "homebrew-tap.git", "tap-seed"]);
    let formula = "class Greeter < Formula\n  desc \"Greets\"\n  homepage \"https://example.org\"\n  url \"https://example.org/greeter/archive/v1.2.3.tar.gz\"\n  sha256 \"0000000000000000000000000000000000000000000000000000000000000000\"\n  license \"MIT\"\n\n  bottle do\n    sha256 cellar: :any_skip_relocation, arm64_sonoma: \"1111111111111111111111111111111111111111111111111111111111111111\"\n  end\nend\n";
    fs_err::create_dir_all(root.join("tap-seed/Formula")).unwrap();
    fs_err::write(root.join("tap-seed/Formula/greeter.rb"), formula).unwrap();
    fixture.repo.git_in(&root.join("tap-seed"), &["add", "."]);
    fixture.repo.git_in(
        &root.join("tap-seed"),
        &["commit", "--quiet", "-m", "greeter 1.2.3"],
    );
    fixture.repo.git_in(
        &root.join("tap-seed"),
        &["push", "--quiet", "origin", "HEAD:main"],
    );

    let config = format!(
        r#"[project]
tag = "v{{version}}"
version-files = ["package.json"]

[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {{version}}"

[[workflow.release.step]]
tag = "{{tag}}"

[[workflow.release.step]]
push = ["branch", "tag"]

[[workflow.release.step]]
homebrew = "Formula/greeter.rb"
url = "{site}/greeter/archive/{{tag}}.tar.gz"
dir = "../tap"
clone = "file://{root}/homebrew-tap.git"

[[workflow.release.step]]
commit = "greeter {{version}}"
dir = "../tap"

[[workflow.release.step]]
push = "branch"
dir = "../tap"
"#,
        site = site.url(),
        root = root.display()
    );
    fixture
        .repo
        .commit_file("relman.toml", &config, "chore: update the tap");
    fixture.repo.push(&["main"]);
    // What the forge serves for the tag: a tarball made when the tag exists (here, ahead).
    let tarball = b"the release tarball of greeter 1.3.0\n".to_vec();
    let expected: String = Sha256::digest(&tarball)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    site.files().put(
        "/greeter/archive/v1.3.0.tar.gz",
        "application/gzip",
        tarball,
    );

    fixture.relman(&["release"]).expect(0);
    let pushed = fixture.repo.git_in(
        &root.join("homebrew-tap.git"),
        &["show", "main:Formula/greeter.rb"],
    );
    assert_eq!(
        pushed.trim_end(),
        formula
            .replace(
                "https://example.org/greeter/archive/v1.2.3.tar.gz",
                &format!("{}/greeter/archive/v1.3.0.tar.gz", site.url())
            )
            .replacen(&"0".repeat(64), &expected, 1)
            .trim_end()
    );
    let subject = fixture.repo.git_in(
        &root.join("homebrew-tap.git"),
        &["log", "-1", "--format=%s", "main"],
    );
    assert_eq!(subject.trim(), "greeter 1.3.0");
}
