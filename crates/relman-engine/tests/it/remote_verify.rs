//! `verify = "pypi" | "oci" | "helm" | "url"` and `wait = "url"` against real services
//! (pypiserver with twine uploads, Debian's docker-registry) and local servers: a wait that times
//! out pauses with what it saw, and resuming after the thing appeared finishes the step.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use relman_testkit::http_server::{FakeResponse, FakeServer};
use relman_testkit::services::{DockerRegistry, PypiServer, build_sdist, build_wheel, or_skip};

use crate::remote_support::{Fixture, effects_text, fake_github, header, http_effects, outputs};

fn fixture(steps: &str) -> Fixture {
    let github = fake_github();
    Fixture::new(&format!("{}\n{steps}", header(&github)))
}

#[test]
fn pypi_files_are_awaited_until_twine_uploaded_them() {
    let Some(server) = or_skip(PypiServer::start()) else {
        return;
    };
    let fixture = fixture(&format!(
        r#"[[workflow.ship.step]]
verify = "pypi"
package = "{{project}}"
index = "{}"
files = ["*-py3-none-any.whl", "*.tar.gz"]
timeout = "2s"
interval = "200ms"
"#,
        server.simple_url()
    ));
    let plan = fixture.plan("ship");
    assert_eq!(
        http_effects(&plan, 1)[0].1,
        format!("{}app/", server.simple_url())
    );
    assert!(effects_text(&plan, 1).contains("up to 2s, looking every 200ms"));
    assert_eq!(plan.steps[0].title, "verify pypi: app 1.2.3");

    let out = tempfile::tempdir().unwrap();
    let wheel = build_wheel(out.path(), "app", "1.2.3").unwrap();
    server.upload(&[wheel]).unwrap();
    let reason = fixture.start(&plan).paused();
    assert!(
        reason.contains("gave up after 2s waiting for verify app 1.2.3"),
        "{reason}"
    );
    assert!(reason.contains("*.tar.gz"), "{reason}");

    let sdist = build_sdist(out.path(), "app", "1.2.3").unwrap();
    server.upload(&[sdist]).unwrap();
    fixture.resume(false).assert_done();
    let summary = &outputs(&fixture, 1)["summary"];
    assert!(summary.contains("app-1.2.3-py3-none-any.whl"), "{summary}");
    assert!(summary.contains("app-1.2.3.tar.gz"), "{summary}");
}

#[test]
fn image_tags_and_platforms_are_verified_on_a_registry() {
    let Some(registry) = or_skip(DockerRegistry::start()) else {
        return;
    };
    let fixture = fixture(&format!(
        r#"[[workflow.ship.step]]
verify = "oci"
image = "{}/team/app"
tags = ["{{version}}", "latest"]
platforms = ["linux/amd64", "linux/arm64"]
timeout = "1s"
interval = "200ms"
"#,
        registry.host()
    ));
    registry
        .push_index("team/app", "1.2.3", &["linux/amd64", "linux/arm64"])
        .unwrap();
    let plan = fixture.plan("ship");
    let urls: Vec<String> = http_effects(&plan, 1)
        .into_iter()
        .map(|(_, url, _)| url)
        .collect();
    assert_eq!(
        urls,
        [
            format!("{}/v2/team/app/manifests/1.2.3", registry.url()),
            format!("{}/v2/team/app/manifests/latest", registry.url())
        ]
    );
    let reason = fixture.start(&plan).paused();
    assert!(reason.contains("latest"), "{reason}");

    registry
        .push_index("team/app", "latest", &["linux/amd64", "linux/arm64"])
        .unwrap();
    fixture.resume(false).assert_done();
    let summary = &outputs(&fixture, 1)["summary"];
    assert!(summary.contains("`1.2.3` (sha256:"), "{summary}");
    assert!(summary.contains("linux/arm64"), "{summary}");
}

#[test]
fn a_promoted_tag_is_verified_to_name_the_release_s_image() {
    let Some(registry) = or_skip(DockerRegistry::start()) else {
        return;
    };
    let fixture = fixture(&format!(
        r#"[[workflow.ship.step]]
verify = "oci"
image = "{}/team/app"
tags = ["alpha"]
same-as = "{{version}}"
timeout = "1s"
interval = "200ms"

[[workflow.ship.step]]
name = "Promoted {{version}} ({{tag}}) to alpha"
manual = "Tell the team"
"#,
        registry.host()
    ));
    registry
        .push_image("team/app", "1.2.2", "linux/amd64")
        .unwrap();
    let release = registry
        .push_image("team/app", "1.2.3", "linux/amd64")
        .unwrap();
    registry
        .client()
        .retag("team/app", "1.2.2", "alpha")
        .unwrap();
    let plan = fixture.plan("ship");
    assert_eq!(
        plan.steps[0].title,
        format!("verify oci: {}/team/app:alpha = 1.2.3", registry.host())
    );
    assert_eq!(
        plan.steps[1].title, "Promoted 1.2.3 (v1.2.3) to alpha",
        "a name's placeholders are filled"
    );
    let urls: Vec<String> = http_effects(&plan, 1)
        .into_iter()
        .map(|(_, url, _)| url)
        .collect();
    assert_eq!(
        urls,
        [
            format!("{}/v2/team/app/manifests/alpha", registry.url()),
            format!("{}/v2/team/app/manifests/1.2.3", registry.url())
        ]
    );
    // `alpha` exists, but still names the last release: not promoted yet.
    let reason = fixture.start(&plan).paused();
    assert!(reason.contains("not the image of `1.2.3`"), "{reason}");

    registry
        .client()
        .retag("team/app", "1.2.3", "alpha")
        .unwrap();
    fixture.resume(false).paused();
    fixture.resume(true).assert_done();
    let summary = &outputs(&fixture, 1)["summary"];
    assert!(
        summary.contains(&format!("`alpha` ({})", release.digest)),
        "{summary}"
    );
}

/// A server whose handler answers `ready` only once the flag is set.
fn switchable(ready: FakeResponse, not_yet: FakeResponse) -> (FakeServer, Arc<AtomicBool>) {
    let flag = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&flag);
    let server = FakeServer::start(move |_| {
        if seen.load(Ordering::SeqCst) {
            ready.clone()
        } else {
            not_yet.clone()
        }
    });
    (server, flag)
}

#[test]
fn a_helm_chart_is_verified_in_the_repository_index() {
    let index = "apiVersion: v1\nentries:\n  app:\n    - name: app\n      version: 1.2.3\n      urls: [app-1.2.3.tgz]\n    - name: app\n      version: 1.1.0\n";
    let old = "apiVersion: v1\nentries:\n  app:\n    - name: app\n      version: 1.1.0\n";
    let (server, published) =
        switchable(FakeResponse::text(200, index), FakeResponse::text(200, old));
    let fixture = fixture(&format!(
        "[[workflow.ship.step]]\nverify = \"helm\"\nrepo = \"{}/charts\"\nchart = \"app\"\ntimeout = \"3s\"\ninterval = \"100ms\"\n",
        server.url()
    ));
    let reason = fixture.run("ship").paused();
    assert!(reason.contains("1.1.0"), "{reason}");
    published.store(true, Ordering::SeqCst);
    fixture.resume(false).assert_done();
    assert!(outputs(&fixture, 1)["summary"].contains("lists version 1.2.3"));
    assert!(
        server
            .requests()
            .iter()
            .all(|request| request.path == "/charts/index.yaml")
    );
}

#[test]
fn a_url_is_awaited_for_its_status_and_text() {
    let (server, deployed) = switchable(
        FakeResponse::text(200, "<h1>app 1.2.3</h1>"),
        FakeResponse::text(404, "not yet"),
    );
    let fixture = fixture(&format!(
        "[[workflow.ship.step]]\nwait = \"url\"\nurl = \"{}/docs/\"\ncontains = \"app {{version}}\"\ntimeout = \"3s\"\ninterval = \"100ms\"\n",
        server.url()
    ));
    let plan = fixture.plan("ship");
    assert_eq!(
        plan.steps[0].title,
        format!("wait until {}/docs/ answers", server.url())
    );
    assert_eq!(server.request_count(), 0);
    let reason = fixture.start(&plan).paused();
    assert!(reason.contains("answered 404"), "{reason}");
    deployed.store(true, Ordering::SeqCst);
    // The probe finds it there: done without waiting.
    fixture.resume(false).assert_done();
    assert!(outputs(&fixture, 1)["summary"].contains("answered 200"));
}

#[test]
fn a_look_made_as_the_time_runs_out_reports_the_answer_not_its_own_cut() {
    // The first look answers at once; the second starts 200 ms before the timeout and its answer
    // takes 400 ms. The pause must report that answer, not a request cut at the timeout.
    let looks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = Arc::clone(&looks);
    let server = FakeServer::start(move |_| {
        if counted.fetch_add(1, Ordering::SeqCst) > 0 {
            std::thread::sleep(std::time::Duration::from_millis(400));
        }
        FakeResponse::text(404, "not yet")
    });
    let fixture = fixture(&format!(
        "[[workflow.ship.step]]\nwait = \"url\"\nurl = \"{}/docs/\"\ntimeout = \"1s\"\ninterval = \"800ms\"\n",
        server.url()
    ));
    let reason = fixture.run("ship").paused();
    assert!(reason.contains("answered 404"), "{reason}");
    assert!(!reason.contains("timeout"), "{reason}");
    assert_eq!(looks.load(Ordering::SeqCst), 2);
}

#[test]
fn a_private_image_is_verified_with_the_login_from_the_environment() {
    let Some(registry) = or_skip(DockerRegistry::start_with_basic_auth(
        "ci",
        "LEAKCHECKregistry",
    )) else {
        return;
    };
    registry
        .push_image("team/app", "1.2.3", "linux/amd64")
        .unwrap();
    let mut fixture = fixture(&format!(
        "[[workflow.ship.step]]\nverify = \"oci\"\nimage = \"{}/team/app\"\nusername-env = \"REGISTRY_USER\"\npassword-env = \"REGISTRY_PASSWORD\"\ntimeout = \"1s\"\ninterval = \"200ms\"\n",
        registry.host()
    ));
    // The plan names the login it lacks before anything runs.
    let error = fixture.try_plan("ship").unwrap_err().to_string();
    assert!(
        error.contains("`REGISTRY_USER` is not set (the registry user name)")
            && error.contains("`REGISTRY_PASSWORD` is not set (the registry password)"),
        "{error}"
    );
    // A login gone between the plan and the run: the step says so.
    fixture.set_var("REGISTRY_USER", "ci");
    fixture.set_var("REGISTRY_PASSWORD", "LEAKCHECKregistry");
    let plan = fixture.plan("ship");
    fixture.set_var("REGISTRY_USER", "");
    fixture.set_var("REGISTRY_PASSWORD", "");
    let (_, message, hint) = fixture.start(&plan).failed();
    assert!(
        message.contains("`REGISTRY_USER` and `REGISTRY_PASSWORD`"),
        "{message}"
    );
    assert!(hint.unwrap().contains("export"));

    fixture.set_var("REGISTRY_USER", "ci");
    fixture.set_var("REGISTRY_PASSWORD", "LEAKCHECKregistry");
    let ran = fixture.resume(false);
    ran.assert_done();
    assert!(outputs(&fixture, 1)["summary"].contains("`1.2.3` (sha256:"));
    for (path, text) in fixture.journal_files() {
        assert!(!text.contains("LEAKCHECKregistry"), "{}", path.display());
    }
}
