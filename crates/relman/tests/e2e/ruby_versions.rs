//! Ruby projects whose versions are RubyGems' and not semver's, rebuilt small from Rails' shape
//! (docs/real-repositories.md): four-part follow-up releases (`v8.1.3.1`), pre-releases as a word
//! (`v8.1.0.beta1`), a development version `8.2.0.alpha` kept in a bare `RAILS_VERSION` file and
//! in the `MAJOR`/`MINOR`/`TINY`/`PRE` constants of the gems below.
//! Read as semver, every one of those tags was ignored and an ancient `v2.3.2` was the version.

use relman_testkit::{TestRepo, require_tool};

use crate::plain::{assert_exit, relman, stderr, stdout};

#[track_caller]
fn run(repo: &TestRepo, args: &[&str], code: i32) -> (String, String) {
    let output = relman(repo, args);
    assert_exit(&output, code);
    (stdout(&output), stderr(&output))
}

const GEMSPEC: &str = "version = File.read(File.join(__dir__, \"RAILS_VERSION\")).strip\n\n\
                       Gem::Specification.new do |s|\n  s.name = \"rails\"\n  s.version = version\nend\n";

/// A gem below the root that keeps the shared version in constants, as each Rails gem does.
fn gem_version_rb(minor: u32, pre: &str) -> String {
    format!(
        "# frozen_string_literal: true\n\nmodule Railties\n  module VERSION\n    MAJOR = 8\n    \
         MINOR = {minor}\n    TINY  = 0\n    PRE   = {pre}\n\n    \
         STRING = [MAJOR, MINOR, TINY, PRE].compact.join(\".\")\n  end\nend\n"
    )
}

/// main carries `8.2.0.alpha`; `8-1-stable` released 8.1.0 … 8.1.3.1 after main's last tag,
/// `v8.1.0.beta1`; an old `v2.3.2` and a `v1.2.0_RC1` that is no gem version sit in the past.
fn rails_shape() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("rails.gemspec", GEMSPEC);
    repo.write("RAILS_VERSION", "1.2.0\n");
    repo.commit("feat: start");
    repo.tag("v1.2.0_RC1");
    repo.commit_file("RAILS_VERSION", "2.3.2\n", "feat: old");
    repo.tag("v2.3.2");
    repo.commit_file("RAILS_VERSION", "8.1.0.beta1\n", "feat: eight one");
    repo.tag("v8.1.0.beta1");
    repo.git(&["switch", "--quiet", "-c", "8-1-stable"]);
    for version in ["8.1.0.rc1", "8.1.0", "8.1.3", "8.1.3.1"] {
        repo.commit_file("RAILS_VERSION", &format!("{version}\n"), "fix: stable");
        repo.tag(&format!("v{version}"));
    }
    repo.git(&["switch", "--quiet", "main"]);
    repo.write("railties/railties.gemspec", "Gem::Specification.new\n");
    repo.write(
        "railties/lib/railties/gem_version.rb",
        gem_version_rb(2, "\"alpha\""),
    );
    repo.commit_file("RAILS_VERSION", "8.2.0.alpha\n", "chore: start 8.2");
    repo.commit_file("a.rb", "1", "feat: something new");
    repo.push(&[
        "main",
        "8-1-stable",
        "v1.2.0_RC1",
        "v2.3.2",
        "v8.1.0.beta1",
        "v8.1.0.rc1",
        "v8.1.0",
        "v8.1.3",
        "v8.1.3.1",
    ]);
    repo
}

#[test]
fn rails_versions_follow_rubygems_rules_and_release_writes_them_back() {
    let repo = rails_shape();
    assert_eq!(run(&repo, &["version"], 0).0, "8.2.0.alpha\n");
    let (check, _) = run(&repo, &["check"], 0);
    assert!(check.contains("last release v8.1.0.beta1 at"), "{check}");
    assert!(!check.contains("v2.3.2"), "{check}");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0).0, "8.2.0\n");
    assert_eq!(
        run(&repo, &["version", "--next", "prerelease"], 0).0,
        "8.2.0.beta1\n"
    );
    let (plan, _) = run(&repo, &["plan", "release"], 0);
    assert!(
        plan.contains("Plan: release 8.2.0.alpha → 8.2.0 (tag v8.2.0)"),
        "{plan}"
    );

    // The maintenance branch: its last release is the follow-up, and `post` is the next one.
    repo.git(&["switch", "--quiet", "8-1-stable"]);
    assert_eq!(run(&repo, &["version"], 0).0, "8.1.3.1\n");
    assert_eq!(run(&repo, &["version", "--next", "post"], 0).0, "8.1.3.2\n");
    assert_eq!(run(&repo, &["version", "--next", "patch"], 0).0, "8.1.4\n");
    repo.git(&["switch", "--quiet", "main"]);

    // init names the scheme; the release writes the gem's spelling into RAILS_VERSION.
    let (report, _) = run(&repo, &["init"], 0);
    assert!(report.contains("wrote relman.toml"), "{report}");
    let written = repo.read("relman.toml");
    assert!(written.contains("scheme = \"rubygems\"\n"), "{written}");
    assert!(
        written.contains("\"railties/lib/railties/gem_version.rb\""),
        "{written}"
    );
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["run", "release", "--yes"], 0);
    assert_eq!(repo.read("RAILS_VERSION"), "8.2.0\n");
    assert_eq!(
        repo.read("railties/lib/railties/gem_version.rb"),
        gem_version_rb(2, "nil")
    );
    assert_eq!(repo.read("rails.gemspec"), GEMSPEC);
    let tags = repo.git(&["ls-remote", "--tags", "origin", "v8.2.0"]);
    assert!(tags.contains("refs/tags/v8.2.0"), "{tags}");
}

/// jekyll and factory_bot: `lib/NAME/version.rb` holds a pre-release the gem's way.
#[test]
fn a_gem_pre_release_in_version_rb_counts_up_in_its_own_spelling() {
    let repo = TestRepo::new();
    repo.write(
        "jewel.gemspec",
        "require_relative \"lib/jewel/version\"\nGem::Specification.new do |s|\n  s.name = \"jewel\"\n  s.version = Jewel::VERSION\nend\n",
    );
    repo.write(
        "lib/jewel/version.rb",
        "# frozen_string_literal: true\n\nmodule Jewel\n  VERSION = \"4.4.0.beta1\"\nend\n",
    );
    repo.commit("feat: start");
    repo.tag("v4.3.4");
    repo.commit_file("a.rb", "1", "fix: one");
    repo.push(&["main", "v4.3.4"]);
    assert_eq!(run(&repo, &["version"], 0).0, "4.4.0.beta1\n");
    assert_eq!(
        run(&repo, &["version", "--next", "auto"], 0).0,
        "4.4.0.beta2\n"
    );
    assert_eq!(run(&repo, &["version", "--next", "rc"], 0).0, "4.4.0.rc1\n");
    assert_eq!(
        run(&repo, &["version", "--next", "release"], 0).0,
        "4.4.0\n"
    );
    // A gem whose versions are all semver keeps semver.
    repo.commit_file(
        "lib/jewel/version.rb",
        "module Jewel\n  VERSION = \"4.4.0\"\nend\n",
        "chore: release",
    );
    assert_eq!(
        run(&repo, &["version", "--next", "prerelease"], 0).0,
        "4.4.1-alpha.0\n"
    );
}

/// The version npm reads from `dir/package.json`, and whether npm's own semver takes it.
fn npm_reads(repo: &TestRepo, dir: &str) -> (String, bool) {
    let npm = |args: &[&str]| {
        let output = std::process::Command::new("npm")
            .args(args)
            .current_dir(repo.path().join(dir))
            .output()
            .expect("run npm");
        assert!(output.status.success(), "npm {args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("npm prints UTF-8")
    };
    // Inside a workspace npm names the package: `{"@rails/cable": "8.2.0-beta1"}`.
    let printed: serde_json::Value =
        serde_json::from_str(npm(&["pkg", "get", "version"]).trim()).expect("npm prints JSON");
    let version = printed
        .as_object()
        .and_then(|named| named.values().next())
        .unwrap_or(&printed)
        .as_str()
        .expect("npm pkg get prints the version as a string")
        .to_owned();
    let semver = std::path::Path::new(npm(&["root", "-g"]).trim()).join("npm/node_modules/semver");
    let valid = std::process::Command::new("node")
        .args([
            "-e",
            "process.exit(require(process.argv[1]).valid(process.argv[2]) ? 0 : 1)",
        ])
        .arg(&semver)
        .arg(&version)
        .status()
        .expect("run node");
    (version, valid.success())
}

/// Rails' npm packages (`actioncable/package.json` `@rails/actioncable` in an npm workspace)
/// carry the gem's version in npm's spelling: `8.2.0-alpha` beside `RAILS_VERSION` `8.2.0.alpha`,
/// `8.1.301` for `8.1.3.1`, as Rails' release task writes them. relman took them for packages of
/// their own and planned `8.2.0-alpha.0`; they are version files of the gem, written in npm's
/// spelling, and npm reads every version written.
#[test]
fn rails_npm_packages_move_with_the_gem_in_npm_s_spelling() {
    if !require_tool("npm") || !require_tool("node") {
        return;
    }
    let repo = rails_shape();
    repo.write(
        "package.json",
        "{\n  \"private\": true,\n  \"workspaces\": [\n    \"cable\"\n  ]\n}\n",
    );
    let manifest = |version: &str| {
        format!(
            "{{\n  \"name\": \"@rails/cable\",\n  \"version\": \"{version}\",\n  \"main\": \"cable.js\"\n}}\n"
        )
    };
    repo.write("cable/package.json", manifest("8.2.0-alpha"));
    repo.write("cable/CHANGELOG.md", "# Changelog\n");
    repo.commit("feat: the cable package");
    repo.push(&["main"]);

    let (packages, _) = run(&repo, &["packages"], 0);
    assert!(!packages.contains("@rails/cable"), "{packages}");
    let (plan, _) = run(&repo, &["plan", "release", "prerelease"], 0);
    assert!(
        plan.contains("Plan: release 8.2.0.alpha → 8.2.0.beta1 (tag v8.2.0.beta1)"),
        "{plan}"
    );
    assert!(plan.contains("+  \"version\": \"8.2.0-beta1\","), "{plan}");
    run(&repo, &["release", "--yes", "prerelease"], 0);
    assert_eq!(repo.read("RAILS_VERSION"), "8.2.0.beta1\n");
    assert_eq!(repo.read("cable/package.json"), manifest("8.2.0-beta1"));
    assert_eq!(npm_reads(&repo, "cable"), ("8.2.0-beta1".to_owned(), true));
    let (version, _) = run(&repo, &["version"], 0);
    assert_eq!(version, "8.2.0.beta1\n");

    // A security release of a maintenance branch: the fourth number goes into the third.
    repo.git(&["switch", "--quiet", "8-1-stable"]);
    repo.write("cable/package.json", manifest("8.1.301"));
    repo.write(
        "package.json",
        "{\n  \"private\": true,\n  \"workspaces\": [\n    \"cable\"\n  ]\n}\n",
    );
    repo.commit("fix: the cable package");
    repo.push(&["8-1-stable"]);
    repo.write("relman.toml", "[project]\nbranch = \"8-1-stable\"\n");
    repo.commit("chore: release from the branch");
    repo.push(&["8-1-stable"]);
    let (plan, _) = run(&repo, &["plan", "release", "patch"], 0);
    assert!(plan.contains("+  \"version\": \"8.1.400\","), "{plan}");
    run(&repo, &["release", "--yes", "post"], 0);
    assert_eq!(repo.read("RAILS_VERSION"), "8.1.3.2\n");
    assert_eq!(npm_reads(&repo, "cable"), ("8.1.302".to_owned(), true));
}
