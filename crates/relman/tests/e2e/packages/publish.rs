//! An npm workspace of two packages, `b` depending on `a`, published for real to verdaccio by a
//! `publish = "npm"` step of a run that releases both: `a` goes first, and `b` only once the
//! registry shows `a`'s new version. The registry is made slow to show it (a proxy in front of
//! verdaccio hides a new version of `a` from the reads that follow its publish, as a CDN does),
//! and the order of the requests the registry received is the proof. Then relman killed inside
//! `a`'s publish (after the upload): `relman resume` publishes `b` once and `a` not again.

use relman_testkit::TestRepo;
use relman_testkit::lagging_registry::{Flavor, LaggingRegistry};
use relman_testkit::services::{Verdaccio, or_skip};

use super::remote_tags;
use crate::plain::{relman_path, stderr, stdout};

const A: &str = "relman-order-a";
const B: &str = "relman-order-b";

/// `a` kills relman (npm's parent) in its `postpublish`, once, when `$KILL_MARK` exists.
fn workspace(repo: &TestRepo, registry: &str) {
    repo.write(
        "package.json",
        "{\n  \"name\": \"order\",\n  \"private\": true,\n  \"workspaces\": [\"packages/*\"]\n}\n",
    );
    repo.write(
        "packages/a/package.json",
        format!(
            r#"{{
  "name": "{A}",
  "version": "1.0.0",
  "license": "MIT",
  "scripts": {{
    "postpublish": "if [ -e \"$KILL_MARK\" ]; then rm \"$KILL_MARK\"; kill -9 $(awk '/^PPid:/ {{print $2}}' /proc/$PPID/status); sleep 5; fi"
  }}
}}
"#
        ),
    );
    repo.write(
        "packages/b/package.json",
        format!(
            "{{\n  \"name\": \"{B}\",\n  \"version\": \"1.0.0\",\n  \"license\": \"MIT\",\n  \"dependencies\": {{\n    \"{A}\": \"^1.0.0\"\n  }}\n}}\n"
        ),
    );
    repo.write(
        "relman.toml",
        format!(
            r#"[workflow.release]
[[workflow.release.step]]
bump = "minor"

[[workflow.release.step]]
commit = "Release {{version}}"

[[workflow.release.step]]
tag = "{{tag}}"

[[workflow.release.step]]
push = ["branch", "tag"]

[[workflow.release.step]]
publish = "npm"
registry = "{registry}"
interval = "100ms"
timeout = "60s"
"#
        ),
    );
    repo.commit("feat: start");
    for tag in [format!("{A}@1.0.0"), format!("{B}@1.0.0")] {
        repo.tag(&tag);
    }
    repo.commit_file("packages/a/index.js", "exports.a = 1;\n", "feat(a): a");
    repo.commit_file("packages/b/index.js", "exports.b = 1;\n", "feat(b): b");
    repo.push(&["main", &format!("{A}@1.0.0"), &format!("{B}@1.0.0")]);
}

fn relman(repo: &TestRepo, registry: &Verdaccio, args: &[&str]) -> std::process::Output {
    let mut command = repo.command(relman_path());
    command
        .current_dir(repo.path())
        .args(args)
        .env("NPM_TOKEN", registry.token())
        .env("KILL_MARK", repo.root().join("kill-mark"))
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1767225600");
    command.output().expect("run relman")
}

#[test]
fn a_dependent_is_published_only_once_its_dependency_shows_on_the_registry() {
    let Some(verdaccio) = or_skip(Verdaccio::start()) else {
        return;
    };
    // The registry hides `a` 1.1.0 from the three reads after its publish.
    let registry = LaggingRegistry::start(Flavor::Npm, &verdaccio.url(), A, 3);
    let repo = TestRepo::new();
    workspace(&repo, &registry.url());

    let plan = relman(&repo, &verdaccio, &["plan", "release"]);
    let plan_out = stdout(&plan);
    assert_eq!(plan.status.code(), Some(0), "{plan_out}{}", stderr(&plan));
    let a_step = plan_out
        .find(&format!("publish 1.1.0 to npm ({A})"))
        .unwrap_or_else(|| panic!("{plan_out}"));
    let b_step = plan_out
        .find(&format!("publish 1.1.0 to npm ({B})"))
        .unwrap_or_else(|| panic!("{plan_out}"));
    assert!(a_step < b_step, "a is published first: {plan_out}");
    assert!(
        plan_out.contains("a package of this release depends on it"),
        "{plan_out}"
    );

    let released = relman(&repo, &verdaccio, &["release", "--yes"]);
    assert_eq!(
        released.status.code(),
        Some(0),
        "{}{}",
        stdout(&released),
        stderr(&released)
    );
    assert_eq!(verdaccio.versions(A), ["1.1.0"]);
    assert_eq!(verdaccio.versions(B), ["1.1.0"]);
    let seen = registry.seen();
    let put = |package: &str| {
        seen.iter()
            .position(|seen| seen.method == "PUT" && seen.package == package)
            .unwrap_or_else(|| panic!("{package} was not published: {seen:?}"))
    };
    let (a_put, b_put) = (put(A), put(B));
    let shown = seen
        .iter()
        .enumerate()
        .skip(a_put)
        .find(|(_, seen)| seen.method == "GET" && seen.package == A && !seen.hidden)
        .map(|(index, _)| index)
        .unwrap_or_else(|| panic!("a was never seen after its publish: {seen:?}"));
    let hidden = seen[a_put..b_put]
        .iter()
        .filter(|seen| seen.package == A && seen.hidden)
        .count();
    assert_eq!(hidden, 3, "relman looked while a was hidden: {seen:?}");
    assert!(
        shown < b_put,
        "b was published before the registry showed a: {seen:?}"
    );
    assert_eq!((registry.publishes(A), registry.publishes(B)), (1, 1));
    assert!(remote_tags(&repo).contains(&format!("{B}@1.1.0")));
    assert!(!stderr(&released).contains(verdaccio.token()));
}

#[test]
fn a_crash_inside_the_first_publish_resumes_to_publish_the_second_once() {
    let Some(verdaccio) = or_skip(Verdaccio::start()) else {
        return;
    };
    let registry = LaggingRegistry::start(Flavor::Npm, &verdaccio.url(), A, 0);
    let repo = TestRepo::new();
    workspace(&repo, &registry.url());
    let mark = repo.root().join("kill-mark");
    fs_err::write(&mark, "").unwrap();

    let killed = relman(&repo, &verdaccio, &["release", "--yes"]);
    assert_eq!(killed.status.code(), None, "killed: {}", stderr(&killed));
    assert!(!mark.exists(), "a's postpublish did not run");
    assert_eq!(verdaccio.versions(A), ["1.1.0"]);
    assert!(verdaccio.versions(B).is_empty());

    let resumed = relman(&repo, &verdaccio, &["resume"]);
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}{}",
        stdout(&resumed),
        stderr(&resumed)
    );
    assert_eq!(verdaccio.versions(B), ["1.1.0"]);
    assert_eq!(
        (registry.publishes(A), registry.publishes(B)),
        (1, 1),
        "a once, b once: {:?}",
        registry.seen()
    );
}

#[test]
fn a_publish_step_leaves_out_the_packages_of_another_ecosystem() {
    // The plan's dry run asks the registry: one that knows no package.
    let empty = relman_testkit::http_server::FakeServer::start(|_| {
        relman_testkit::http_server::FakeResponse::json(404, &serde_json::json!({}))
    });
    let repo = TestRepo::new();
    repo.write("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
    repo.write(
        "crates/c/Cargo.toml",
        "[package]\nname = \"c\"\nversion = \"1.0.0\"\nedition = \"2021\"\n",
    );
    repo.write("crates/c/src/lib.rs", "");
    repo.write(
        "package.json",
        "{\n  \"name\": \"mixed\",\n  \"private\": true,\n  \"workspaces\": [\"web\"]\n}\n",
    );
    repo.write(
        "web/package.json",
        "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"license\": \"MIT\"\n}\n",
    );
    repo.write(
        "relman.toml",
        format!(
            "[workflow.release]\n[[workflow.release.step]]\nbump = \"minor\"\n\n[[workflow.release.step]]\npublish = \"npm\"\nregistry = \"{}/\"\n",
            empty.url()
        ),
    );
    repo.commit("feat: start");
    repo.tag("c-v1.0.0");
    repo.tag("web@1.0.0");
    repo.commit_file("crates/c/src/lib.rs", "pub fn c() {}\n", "feat(c): c");
    repo.commit_file("web/index.js", "exports.w = 1;\n", "feat(web): w");
    repo.push(&["main", "c-v1.0.0", "web@1.0.0"]);
    // A login for the registry, as `npm login` leaves it: a publish step with none is refused.
    let dart = empty
        .url()
        .split_once("://")
        .unwrap()
        .1
        .trim_end_matches('/')
        .to_owned();
    fs_err::write(
        repo.home().join(".npmrc"),
        format!("//{dart}/:_authToken=npm-test-token\n"),
    )
    .unwrap();

    let plan = crate::plain::relman(&repo, &["plan", "release"]);
    let text = stdout(&plan);
    assert_eq!(plan.status.code(), Some(0), "{text}{}", stderr(&plan));
    assert!(
        text.contains("c is a Cargo package, not an npm package"),
        "{text}"
    );
    assert!(text.contains("$ npm publish"), "web is published: {text}");
    assert_eq!(text.matches("$ npm publish").count(), 1, "{text}");
}
