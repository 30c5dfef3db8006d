//! A Ruby gem released end to end with the real binary and the real `gem` client: bumped in
//! `version.rb`, built with `gem build`, tagged, pushed with `gem push` to a local RubyGems host
//! (the fake follows RubyGems.org's API; RubyGems.org cannot run here) and verified there. relman
//! killed while the host holds the push's answer resumes without a second push; a run whose
//! version the host lists already pushes nothing; a login is found (or refused) before any
//! effect, and the key is never shown.

use std::time::{Duration, Instant};

use relman_testkit::rubygems::FakeRubyGems;

use crate::support::{Fixture, Run, count};

const GEMSPEC: &str = "require_relative \"lib/greeter/version\"\n\nGem::Specification.new do |spec|\n  spec.name = \"greeter\"\n  spec.version = Greeter::VERSION\n  spec.summary = \"Greets\"\n  spec.authors = [\"Relman\"]\n  spec.license = \"MIT\"\n  spec.files = [\"lib/greeter.rb\", \"lib/greeter/version.rb\"]\nend\n";

/// The release workflow, and `ship` (build and push the version there is).
fn config(host: &str) -> String {
    format!(
        r#"[project]
tag = "v{{version}}"
version-files = ["lib/greeter/version.rb"]

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
build = "gem"

[[workflow.release.step]]
publish = "gem"
registry = "{host}"

[[workflow.release.step]]
verify = "gem"
package = "greeter"
registry = "{host}"
interval = "200ms"
timeout = "20s"

[workflow.ship]
[[workflow.ship.step]]
build = "gem"

[[workflow.ship.step]]
publish = "gem"
registry = "{host}"
"#
    )
}

/// The usual fixture with a gem at 1.2.3 in it (committed, pushed), released to `host`.
fn gem_project(host: &str) -> Fixture {
    let config = config(host);
    let fixture = Fixture::new(&config);
    fixture.repo.write("relman.toml", &config);
    fixture.repo.write("greeter.gemspec", GEMSPEC);
    fixture.repo.write(
        "lib/greeter/version.rb",
        "module Greeter\n  VERSION = \"1.2.3\"\nend\n",
    );
    fixture
        .repo
        .write("lib/greeter.rb", "require \"greeter/version\"\n");
    fixture.repo.write(".gitignore", "*.gem\n");
    fixture.repo.commit("feat: a gem");
    fixture.repo.push(&["main"]);
    fixture
}

/// Runs `relman ARGS` and kills it (SIGKILL) once the host has taken a gem.
fn killed_after_the_push(fixture: &Fixture, host: &FakeRubyGems, args: &[&str]) -> Run {
    let mut child = fixture
        .command(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start relman");
    let started = Instant::now();
    while host.pushed().is_empty() && started.elapsed() < Duration::from_secs(120) {
        if child.try_wait().expect("wait for relman").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    Run::from_output(args, child.wait_with_output().expect("relman's output"))
}

#[test]
fn a_gem_is_pushed_once_though_relman_is_killed_before_the_host_answers() {
    if !relman_testkit::require_tool("gem") {
        return;
    }
    let host = FakeRubyGems::start();
    let mut fixture = gem_project(host.url());
    fixture.set_env("GEM_HOST_API_KEY", FakeRubyGems::KEY);

    let plan = fixture.relman(&["plan", "release"]);
    plan.expect(0)
        .stdout_has(&format!(
            "$ gem push '--host={}' ./greeter-1.3.0.gem",
            host.url()
        ))
        .stdout_has("credential: RubyGems: the key in `GEM_HOST_API_KEY`");
    assert!(
        host.requests()
            .iter()
            .all(|request| request.method == "GET")
    );

    // The host takes the gem, and holds its answer while relman is killed.
    host.answer_next_push_after(Duration::from_secs(3));
    let killed = killed_after_the_push(&fixture, &host, &["release"]);
    assert!(killed.killed(), "relman was not killed: {killed}");
    assert_eq!(host.versions("greeter"), ["1.3.0"]);

    let resumed = fixture.relman(&["resume"]);
    resumed.expect(0).stderr_has("verify gem: greeter 1.3.0");
    let pushes = host.push_requests();
    assert_eq!(pushes.len(), 1, "pushed again: {resumed}");
    // What the host received: this release's gem, with the key gem sends.
    let pushed = host.pushed();
    assert_eq!(
        (pushed[0].name.as_str(), pushed[0].version.as_str()),
        ("greeter", "1.3.0")
    );
    assert_eq!(pushes[0].header("authorization"), Some(FakeRubyGems::KEY));
    for run in [&plan, &killed, &resumed] {
        assert!(!run.stdout.contains(FakeRubyGems::KEY), "{run}");
        assert!(!run.stderr.contains(FakeRubyGems::KEY), "{run}");
    }
    let journal = fs_err::read_dir(fixture.path().join(".git/relman/history"))
        .unwrap()
        .map(|entry| fs_err::read_to_string(entry.unwrap().path()).unwrap())
        .collect::<String>();
    assert!(!journal.contains(FakeRubyGems::KEY));
    assert!(fixture.remote_refs().contains_key("refs/tags/v1.3.0"));

    // Shipping the same version again: the host lists it, nothing is pushed.
    let again = fixture.relman(&["ship"]);
    again.expect(0).stderr_has(&format!(
        "greeter 1.3.0 is on {} already: not published again",
        host.url()
    ));
    assert_eq!(host.push_requests().len(), 1);
    assert_eq!(count(&again.stderr, "Pushing gem"), 0, "{again}");
}

#[test]
fn a_key_the_host_refuses_fails_the_step_without_showing_it() {
    if !relman_testkit::require_tool("gem") {
        return;
    }
    let host = FakeRubyGems::start();
    let mut fixture = gem_project(host.url());
    let wrong = format!("rubygems_{}", "f".repeat(48));
    fixture.set_env("GEM_HOST_API_KEY", &wrong);
    let run = fixture.relman(&["ship"]);
    assert_ne!(run.code(), Some(0), "{run}");
    run.stderr_has("Access Denied");
    assert!(!run.stderr.contains(&wrong) && !run.stdout.contains(&wrong));
    assert!(host.pushed().is_empty());
    assert_eq!(host.push_requests().len(), 1);
}

#[test]
fn the_key_gem_signin_left_for_the_host_is_used_and_named() {
    if !relman_testkit::require_tool("gem") {
        return;
    }
    let host = FakeRubyGems::start();
    let fixture = gem_project(host.url());
    let credentials = fixture.repo.home().join(".gem/credentials");
    fs_err::create_dir_all(credentials.parent().unwrap()).unwrap();
    fs_err::write(
        &credentials,
        format!("---\n{}: {}\n", host.url(), FakeRubyGems::KEY),
    )
    .unwrap();
    set_mode(&credentials, 0o600);
    fixture
        .relman(&["plan", "ship"])
        .expect(0)
        .stdout_has(&format!(
            "credential: RubyGems: the key for {} in `~/.gem/credentials`",
            host.url()
        ));
    let run = fixture.relman(&["ship"]);
    run.expect(0);
    assert!(!run.stderr.contains(FakeRubyGems::KEY));
    assert_eq!(host.versions("greeter"), ["1.2.3"]);
}

#[test]
fn rubygems_orgs_key_is_not_sent_to_another_host() {
    let fixture = gem_project("http://127.0.0.1:9");
    let credentials = fixture.repo.home().join(".gem/credentials");
    fs_err::create_dir_all(credentials.parent().unwrap()).unwrap();
    fs_err::write(
        &credentials,
        format!("---\n:rubygems_api_key: {}\n", FakeRubyGems::KEY),
    )
    .unwrap();
    set_mode(&credentials, 0o600);
    let before = crate::support::snapshot(&fixture);
    fixture
        .relman(&["run", "ship"])
        .expect(2)
        .stderr_has("no RubyGems key for http://127.0.0.1:9: `GEM_HOST_API_KEY` is not set, and `~/.gem/credentials` has a key for RubyGems.org only, which gem would send to http://127.0.0.1:9");
    crate::support::assert_unchanged(&before, &crate::support::snapshot(&fixture));
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs_err::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn check_credentials_names_a_rubygems_key_of_the_wrong_shape_without_showing_it() {
    let fixture = Fixture::new(
        "[[workflow.ship.step]]\ncheck = \"credentials\"\n\n[[workflow.ship.step]]\ntag = \"{tag}\"\n\n[[workflow.ship.step]]\npublish = \"gem\"\npackage = \"greeter\"\n",
    );
    let before = crate::support::snapshot(&fixture);
    let mut fixture = fixture;
    // A password, and a key with a label copied with it.
    for wrong in [
        "hunter2-password".to_owned(),
        format!("key: rubygems_{}", "0a".repeat(24)),
    ] {
        fixture.set_env("GEM_HOST_API_KEY", &wrong);
        let run = fixture.relman(&["run", "ship"]);
        assert_ne!(run.code(), Some(0), "{run}");
        let shown = format!("{}{}", run.stdout, run.stderr);
        assert!(
            shown.contains("`GEM_HOST_API_KEY` does not look like a RubyGems.org API key")
                || shown.contains("`GEM_HOST_API_KEY` holds white space or quotes"),
            "{run}"
        );
        assert!(
            !shown.contains(&wrong) && !shown.contains("hunter2"),
            "{run}"
        );
    }
    crate::support::assert_unchanged(&before, &crate::support::snapshot(&fixture));
}

/// A gem at `1.3.0.beta1` is read with RubyGems' rules: the next pre-release is `1.3.0.beta2`,
/// written so in `version.rb`, the tag, the gem's file name and on the host, with no second
/// spelling to configure.
#[test]
fn a_pre_release_gem_is_bumped_built_and_pushed_in_its_own_spelling() {
    if !relman_testkit::require_tool("gem") {
        return;
    }
    let host = FakeRubyGems::start();
    let mut fixture = gem_project(host.url());
    let config = config(host.url()).replace("bump = \"minor\"", "bump = \"prerelease\"");
    fixture.repo.write("relman.toml", &config);
    fixture.repo.write(
        "lib/greeter/version.rb",
        "module Greeter\n  VERSION = \"1.3.0.beta1\"\nend\n",
    );
    fixture.repo.commit("feat: a beta");
    fixture.repo.push(&["main"]);
    fixture.set_env("GEM_HOST_API_KEY", FakeRubyGems::KEY);
    fixture
        .relman(&["plan", "release"])
        .expect(0)
        .stdout_has("./greeter-1.3.0.beta2.gem");
    fixture.relman(&["release"]).expect(0);
    assert_eq!(
        fixture.repo.read("lib/greeter/version.rb"),
        "module Greeter\n  VERSION = \"1.3.0.beta2\"\nend\n"
    );
    assert_eq!(host.versions("greeter"), ["1.3.0.beta2"]);
    assert!(fixture.remote_refs().contains_key("refs/tags/v1.3.0.beta2"));
}
