//! JVM projects' shapes (named in docs/real-repositories.md): a multi-module Maven build at a
//! `-SNAPSHOT` version tagged `NAME-parent-X.Y.Z` (gson), Gradle builds keeping the version as
//! `VERSION_NAME` in `gradle.properties` (retrofit, okio, moshi) or in a convention plugin
//! (okhttp, tagged `parent-X.Y.Z`), and a CI-friendly `${revision}` (log4j2). Each is asserted
//! through the binary, down to the bytes a release tags and the next development version.

use relman_testkit::TestRepo;

use crate::plain::{assert_exit, relman, stdout};

#[track_caller]
fn run(repo: &TestRepo, args: &[&str], code: i32) -> String {
    let output = relman(repo, args);
    assert_exit(&output, code);
    stdout(&output)
}

/// The text of `path` in the commit `rev` names (without its last newline, as git prints it).
fn file_at(repo: &TestRepo, rev: &str, path: &str) -> String {
    repo.git(&["show", &format!("{rev}:{path}")])
}

/// A release that drops `-SNAPSHOT`, tags, then sets the next development version.
const MAVEN_RELEASE: &str = "[workflow.release]\n[[workflow.release.step]]\nbump = \"auto\"\n\n\
    [[workflow.release.step]]\ncommit = \"[maven-release-plugin] prepare release {tag}\"\n\n\
    [[workflow.release.step]]\ntag = \"{tag}\"\n\n\
    [[workflow.release.step]]\nbump = \"dev\"\n\n\
    [[workflow.release.step]]\ncommit = \"[maven-release-plugin] prepare for next development iteration\"\n\n\
    [[workflow.release.step]]\npush = [\"branch\", \"tag\"]\n";

fn root_pom(version: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  \
         <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example.json</groupId>\n  \
         <artifactId>json-parent</artifactId>\n  <version>{version}</version>\n  \
         <packaging>pom</packaging>\n  <modules>\n    <module>core</module>\n    \
         <module>extras</module>\n  </modules>\n  <dependencyManagement>\n    <dependencies>\n      \
         <dependency>\n        <groupId>junit</groupId>\n        <artifactId>junit</artifactId>\n        \
         <version>4.13.2</version>\n      </dependency>\n      <dependency>\n        \
         <groupId>${{project.groupId}}</groupId>\n        <artifactId>json</artifactId>\n        \
         <version>{version}</version>\n      </dependency>\n    </dependencies>\n  </dependencyManagement>\n\
         </project>\n"
    )
}

fn core_pom(version: &str) -> String {
    format!(
        "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    \
         <groupId>com.example.json</groupId>\n    <artifactId>json-parent</artifactId>\n    \
         <version>{version}</version>\n  </parent>\n  <artifactId>json</artifactId>\n</project>\n"
    )
}

/// A module that states its own version, depends on its sibling at the project's version, and
/// on another project's artifact that happens to share the version text (which must stay).
fn extras_pom(version: &str, other: &str) -> String {
    format!(
        "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    \
         <groupId>com.example.json</groupId>\n    <artifactId>json-parent</artifactId>\n    \
         <version>{version}</version>\n  </parent>\n  <artifactId>json-extras</artifactId>\n  \
         <version>{version}</version>\n  <dependencies>\n    <dependency>\n      \
         <groupId>com.example.json</groupId>\n      <artifactId>json</artifactId>\n      \
         <version>{version}</version>\n    </dependency>\n    <dependency>\n      \
         <groupId>org.other</groupId>\n      <artifactId>lib</artifactId>\n      \
         <version>{other}</version>\n    </dependency>\n  </dependencies>\n</project>\n"
    )
}

fn write_maven(repo: &TestRepo, version: &str) {
    repo.write("pom.xml", root_pom(version));
    repo.write("core/pom.xml", core_pom(version));
    repo.write("extras/pom.xml", extras_pom(version, "1.4.1-SNAPSHOT"));
}

/// gson: `gson-parent` at 2.14.1-SNAPSHOT in the root and every module's `<parent>`, tags
/// `gson-parent-2.14.0`. relman said next `2.15.0-SNAPSHOT.0` and no release yet; a Maven
/// maintainer releases 2.14.1 in every pom, tags `gson-parent-2.14.1` and goes on to
/// 2.14.2-SNAPSHOT.
#[test]
fn a_maven_reactor_releases_its_snapshot_in_every_module_and_goes_on_to_the_next_snapshot() {
    let repo = TestRepo::new();
    write_maven(&repo, "1.4.0");
    repo.commit("[maven-release-plugin] prepare release json-parent-1.4.0");
    repo.tag("json-parent-1.4.0");
    write_maven(&repo, "1.4.1-SNAPSHOT");
    repo.commit("[maven-release-plugin] prepare for next development iteration");
    repo.commit_file(
        "core/Fix.java",
        "class Fix {}\n",
        "fix: escape control characters",
    );
    repo.push(&["main", "json-parent-1.4.0"]);

    assert_eq!(run(&repo, &["version"], 0), "1.4.1-SNAPSHOT\n");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0), "1.4.1\n");
    let check = run(&repo, &["check"], 0);
    assert!(check.contains("last release json-parent-1.4.0"), "{check}");
    assert!(
        check.contains("in pom.xml, core/pom.xml, extras/pom.xml"),
        "{check}"
    );

    repo.write("relman.toml", MAVEN_RELEASE);
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["release", "--yes"], 0);
    let tag = "json-parent-1.4.1";
    assert_eq!(file_at(&repo, tag, "pom.xml"), root_pom("1.4.1").trim_end());
    assert_eq!(
        file_at(&repo, tag, "core/pom.xml"),
        core_pom("1.4.1").trim_end()
    );
    assert_eq!(
        file_at(&repo, tag, "extras/pom.xml"),
        extras_pom("1.4.1", "1.4.1-SNAPSHOT").trim_end()
    );
    assert_eq!(repo.read("pom.xml"), root_pom("1.4.2-SNAPSHOT"));
    assert_eq!(repo.read("core/pom.xml"), core_pom("1.4.2-SNAPSHOT"));
    assert_eq!(
        repo.read("extras/pom.xml"),
        extras_pom("1.4.2-SNAPSHOT", "1.4.1-SNAPSHOT")
    );
    let remote = repo.git(&["ls-remote", &repo.remote_url()]);
    assert!(remote.contains(&format!("refs/tags/{tag}")), "{remote}");
    assert!(remote.starts_with(&repo.head()), "pushed: {remote}");
}

/// okio (and retrofit, timber): `VERSION_NAME=3.18.0-SNAPSHOT` in `gradle.properties`, which
/// the root build script reads in code; tags `parent-3.17.0` after older bare ones. relman read
/// the bare `3.16.2` as the last release and no version file; the release is 3.18.0, tagged
/// `parent-3.18.0`, then `VERSION_NAME=3.18.1-SNAPSHOT`.
#[test]
fn gradle_s_version_name_snapshot_is_released_under_the_parent_tags() {
    let repo = TestRepo::new();
    let properties = |version: &str| {
        format!("org.gradle.jvmargs=-Xmx2g\nGROUP=com.example.io\nVERSION_NAME={version}\n")
    };
    repo.write(
        "build.gradle.kts",
        "allprojects {\n  group = project.property(\"GROUP\") as String\n  \
         version = project.property(\"VERSION_NAME\") as String\n}\n",
    );
    repo.write("gradle.properties", properties("3.16.2"));
    repo.commit("Prepare for release 3.16.2.");
    repo.tag("3.16.2");
    repo.commit_file(
        "gradle.properties",
        &properties("3.17.0"),
        "Prepare for release 3.17.0.",
    );
    repo.tag("parent-3.17.0");
    repo.commit_file(
        "gradle.properties",
        &properties("3.18.0-SNAPSHOT"),
        "Prepare next development version.",
    );
    repo.commit_file(
        "Buffer.kt",
        "class Buffer\n",
        "feat: unsigned number extensions",
    );
    repo.push(&["main", "3.16.2", "parent-3.17.0"]);

    assert_eq!(run(&repo, &["version"], 0), "3.18.0-SNAPSHOT\n");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0), "3.18.0\n");
    let check = run(&repo, &["check"], 0);
    assert!(check.contains("in gradle.properties"), "{check}");
    assert!(check.contains("last release parent-3.17.0"), "{check}");

    repo.write("relman.toml", MAVEN_RELEASE);
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "parent-3.18.0", "gradle.properties"),
        properties("3.18.0").trim_end()
    );
    assert_eq!(
        repo.read("gradle.properties"),
        properties("3.18.1-SNAPSHOT")
    );
}

/// okhttp: `version = "5.5.0-SNAPSHOT"` in a `build-logic` convention plugin every module
/// applies, tags `parent-5.4.0`. relman said "no release yet: the first is 0.1.0".
#[test]
fn a_gradle_convention_plugin_s_version_is_the_project_s() {
    let repo = TestRepo::new();
    let plugin = "build-logic/src/main/kotlin/net.base-conventions.gradle.kts";
    let script = |version: &str| {
        format!(
            "import org.gradle.kotlin.dsl.withType\n\nval libs = extensions.getByType<VersionCatalogsExtension>()\n\n\
             group = \"com.example.net\"\nversion = \"{version}\"\n\nval jvmVersion = \"17\"\n"
        )
    };
    repo.write("settings.gradle.kts", "rootProject.name = \"net-parent\"\n");
    repo.write(
        "build.gradle.kts",
        "plugins {\n  id(\"net.base-conventions\")\n}\n",
    );
    repo.write(plugin, script("5.4.0"));
    repo.commit("Prepare for release 5.4.0.");
    repo.tag("parent-5.4.0");
    repo.commit_file(
        plugin,
        &script("5.5.0-SNAPSHOT"),
        "Prepare next development version.",
    );
    repo.commit_file("Dns.kt", "class Dns\n", "feat: an in-memory DNS cache");
    repo.push(&["main", "parent-5.4.0"]);

    assert_eq!(run(&repo, &["version"], 0), "5.5.0-SNAPSHOT\n");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0), "5.5.0\n");
    let check = run(&repo, &["check"], 0);
    assert!(check.contains("last release parent-5.4.0"), "{check}");

    repo.write("relman.toml", MAVEN_RELEASE);
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "parent-5.5.0", plugin),
        script("5.5.0").trim_end()
    );
    assert_eq!(repo.read(plugin), script("5.5.1-SNAPSHOT"));
}

/// moshi: `VERSION_NAME=2.0.0-SNAPSHOT` after the tag `2.0.0-alpha.1`. semver sorts SNAPSHOT
/// before alpha, so relman called the file behind the last release and `check` failed; the
/// snapshot is the development of 2.0.0, whose alphas come out of it.
#[test]
fn a_snapshot_is_not_behind_its_own_pre_release() {
    let repo = TestRepo::new();
    repo.write("gradle.properties", "VERSION_NAME=2.0.0-alpha.1\n");
    repo.commit("Prepare for release 2.0.0-alpha.1.");
    repo.tag("2.0.0-alpha.1");
    repo.commit_file(
        "gradle.properties",
        "VERSION_NAME=2.0.0-SNAPSHOT\n",
        "Prepare next development version.",
    );
    repo.commit_file("Json.kt", "class Json\n", "fix: long overflow in literals");
    repo.push(&["main", "2.0.0-alpha.1"]);

    assert_eq!(run(&repo, &["version"], 0), "2.0.0-SNAPSHOT\n");
    let check = run(&repo, &["check"], 0);
    assert!(
        check.contains("version 2.0.0-SNAPSHOT in gradle.properties"),
        "{check}"
    );
    assert!(check.contains("last release 2.0.0-alpha.1"), "{check}");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0), "2.0.0\n");
}

/// log4j2: CI-friendly versions, `<version>${revision}</version>` with the value in
/// `<properties>`, modules naming the parent as `${revision}`. Every command stopped (exit 2)
/// with "`${revision}` is not a version"; the release writes the property, modules untouched.
#[test]
fn a_ci_friendly_revision_property_is_the_version() {
    let repo = TestRepo::new();
    let root = |version: &str| {
        format!(
            "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.example.log</groupId>\n  \
             <artifactId>log-bom</artifactId>\n  <version>${{revision}}</version>\n  <packaging>pom</packaging>\n  \
             <modules>\n    <module>api</module>\n  </modules>\n  <properties>\n    \
             <revision>{version}</revision>\n  </properties>\n</project>\n"
        )
    };
    let api = "<project>\n  <parent>\n    <groupId>org.example.log</groupId>\n    \
               <artifactId>log-bom</artifactId>\n    <version>${revision}</version>\n  </parent>\n  \
               <artifactId>log-api</artifactId>\n</project>\n";
    repo.write("api/pom.xml", api);
    repo.write("pom.xml", root("2.26.0"));
    repo.commit("Release 2.26.0");
    repo.tag("rel/2.26.0");
    repo.commit_file(
        "pom.xml",
        &root("2.27.0-SNAPSHOT"),
        "Bump version to 2.27.0-SNAPSHOT",
    );
    repo.commit_file("api/Log.java", "class Log {}\n", "fix: null message");
    repo.push(&["main", "rel/2.26.0"]);

    assert_eq!(run(&repo, &["version"], 0), "2.27.0-SNAPSHOT\n");
    assert_eq!(run(&repo, &["version", "--next", "auto"], 0), "2.27.0\n");
    repo.write("relman.toml", MAVEN_RELEASE);
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "rel/2.27.0", "pom.xml"),
        root("2.27.0").trim_end()
    );
    assert_eq!(repo.read("pom.xml"), root("2.27.1-SNAPSHOT"));
    assert_eq!(repo.read("api/pom.xml"), api);
}

/// `init` on a snapshot project drafts the release a Maven maintainer runs: drop `-SNAPSHOT`,
/// tag, then the next snapshot (before, the files kept the released version after the tag).
#[test]
fn init_drafts_the_next_snapshot_after_the_release_tag() {
    let repo = TestRepo::new();
    repo.write("gradle.properties", "VERSION_NAME=1.0.0\n");
    repo.commit("Prepare for release 1.0.0.");
    repo.tag("parent-1.0.0");
    repo.commit_file(
        "gradle.properties",
        "VERSION_NAME=1.1.0-SNAPSHOT\n",
        "Prepare next development version.",
    );
    repo.commit_file("Log.kt", "class Log\n", "feat: tree tags");
    repo.push(&["main", "parent-1.0.0"]);

    run(&repo, &["init"], 0);
    let config = repo.read("relman.toml");
    assert!(config.contains("bump = \"dev\""), "{config}");
    repo.commit("chore: relman.toml");
    repo.push(&["main"]);
    run(&repo, &["release", "--yes"], 0);
    assert_eq!(
        file_at(&repo, "parent-1.1.0", "gradle.properties"),
        "VERSION_NAME=1.1.0"
    );
    assert_eq!(
        repo.read("gradle.properties"),
        "VERSION_NAME=1.1.1-SNAPSHOT\n"
    );
    let remote = repo.git(&["ls-remote", &repo.remote_url(), "refs/heads/main"]);
    assert!(remote.starts_with(&repo.head()), "pushed: {remote}");
}
