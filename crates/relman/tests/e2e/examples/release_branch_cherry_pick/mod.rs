//! `examples/release-branch-cherry-pick`: a Go project whose version is only its tags, with a
//! Helm chart. The test runs the runbook's whole cycle: the feature freeze (release/0.4 cut from
//! master and pushed, its build awaited, a person's docs commit on the branch), a fix
//! cherry-picked from master, the final 0.4.0 (draft notes edited by a person, the tag pipeline
//! and the build dispatched and awaited, every artifact verified, the release published, the
//! promotion to alpha verified, the announcements), then the patch 0.4.1 on the branch.
//! CI is played by the test ([`ci`]): the fake GitHub's run hooks tag in the bare remote and
//! publish to the real registry and a static site.

mod ci;

use relman_testkit::http_server::RecordedRequest;
use serde_json::{Value, json};

use super::fixture::{
    assert_runbook_current, copy_fixture, remote_ref_names, remote_refs, run, run_paused_at,
    subjects,
};
use crate::plain::{assert_exit, stderr};
use crate::world::World;
use ci::{BOT, Ci, IMAGES};

const EXAMPLE: &str = "release-branch-cherry-pick";
const SLUG: &str = "cortexlabs/cortex";

/// Cortex at v0.3.0 with a feature and a fix since, on master, pushed; the milestone of 0.4.0
/// closed; CI installed.
pub(super) fn world() -> Option<(World, Ci)> {
    let mut world = World::new(SLUG).with_registry()?;
    let ci = Ci::install(&mut world);
    let repo = &world.repo;
    repo.git(&["symbolic-ref", "HEAD", "refs/heads/master"]);
    copy_fixture(&world, EXAMPLE);
    world.install_example(EXAMPLE);
    repo.commit("chore: start cortex");
    repo.tag_annotated("v0.3.0", "Release v0.3.0");
    repo.commit_file(
        "pkg/operator/autoscaler.go",
        "package operator\n\n// Autoscale sets replicas from the queue length.\nfunc Autoscale(queued int) int { return queued/10 + 1 }\n",
        "feat(operator): autoscale replicas on the queue length",
    );
    repo.commit_file(
        "cmd/cortex/config.go",
        "package main\n\nconst missingConfig = \"no cluster configured: run `cortex cluster up`\"\n",
        "fix(cli): say how to configure a missing cluster",
    );
    repo.commit_file(
        "docs/autoscaling.md",
        "# Autoscaling\n\nReplicas follow the queue length.\n",
        "docs: describe autoscaling",
    );
    repo.push(&["--set-upstream", "master", "--tags"]);
    let github = &world.github;
    github.add_milestone(SLUG, "v0.4.0", false);
    for title in ["Autoscaling", "Missing cluster config message"] {
        github.add_issue(SLUG, title, &[], Some("v0.4.0"), false, false);
    }
    Some((world, ci))
}

/// The build of a commit is green (the checks CI reports on it).
fn build_is_green(world: &World, sha: &str) {
    world
        .github
        .add_check_run(SLUG, sha, "build", "completed", Some("success"));
}

#[test]
fn freeze_cherry_pick_release_and_patch_on_the_release_branch() {
    let Some((world, ci)) = world() else { return };
    let repo = &world.repo;
    let github = &world.github;
    let frozen = repo.head();
    build_is_green(&world, &frozen);

    // --- feature freeze --------------------------------------------------------------------
    run_paused_at(
        &world,
        &["freeze"],
        7,
        "Master is ready for the feature freeze",
    );
    assert_eq!(
        remote_ref_names(repo),
        ["refs/heads/master", "refs/tags/v0.3.0"]
    );
    run_paused_at(
        &world,
        &["resume", "--confirm"],
        11,
        "Update the example yamls and docs on the release branch",
    );
    assert_eq!(
        repo.git(&["symbolic-ref", "--short", "HEAD"]),
        "release/0.4"
    );
    assert_eq!(remote_refs(repo)["refs/heads/release/0.4"], frozen);
    assert_eq!(
        repo.git(&["rev-parse", "--abbrev-ref", "release/0.4@{upstream}"]),
        "origin/release/0.4"
    );
    // The person pins the examples to the release on the branch only, and pushes.
    let example = repo.read("examples/iris/cortex.yaml");
    repo.write(
        "examples/iris/cortex.yaml",
        example.replace("python-predictor-cpu:master", "python-predictor-cpu:0.4.0"),
    );
    repo.commit("docs: pin the examples to 0.4.0");
    repo.push(&["release/0.4"]);
    run(&world, &["resume", "--confirm"], 0);

    // --- master moves on; a fix goes to the branch -----------------------------------------
    repo.git(&["switch", "--quiet", "master"]);
    repo.commit_file(
        "pkg/operator/batch.go",
        "package operator\n\n// Batch runs a job over a dataset.\nfunc Batch() {}\n",
        "feat(operator): batch jobs",
    );
    let fix = repo.commit_file(
        "pkg/operator/queue.go",
        "package operator\n\n// QueueURL survives restarts.\nvar QueueURL = \"\"\n",
        "fix(operator): keep the queue URL across restarts",
    );
    repo.push(&["master"]);
    repo.git(&["switch", "--quiet", "release/0.4"]);
    run(&world, &["cherry-pick", &fix], 0);
    let picked = repo.head();
    assert_eq!(
        repo.git(&["log", "-1", "--format=%B"]),
        format!(
            "fix(operator): keep the queue URL across restarts\n\n(cherry picked from commit {fix})"
        )
    );
    assert_eq!(
        subjects(repo, "v0.3.0..release/0.4"),
        [
            "fix(operator): keep the queue URL across restarts",
            "docs: pin the examples to 0.4.0",
            "docs: describe autoscaling",
            "fix(cli): say how to configure a missing cluster",
            "feat(operator): autoscale replicas on the queue length",
        ],
        "the feature of master after the freeze stays off the branch"
    );
    assert_eq!(remote_refs(repo)["refs/heads/release/0.4"], picked);

    // --- the release of 0.4.0 --------------------------------------------------------------
    build_is_green(&world, &picked);
    run_paused_at(
        &world,
        &["release"],
        8,
        "Collect feedback on the draft release notes",
    );
    let releases = github.releases(SLUG);
    assert_eq!(releases.len(), 1);
    let draft = &releases[0];
    assert_eq!(
        (draft.tag.as_str(), draft.draft, draft.prerelease),
        ("v0.4.0", true, false)
    );
    assert_eq!(draft.target, picked);
    let notes = draft.body.clone().unwrap_or_default();
    assert_eq!(notes, expected_notes(&world, "v0.3.0", "release/0.4"));
    assert!(
        github.dispatches(SLUG).is_empty(),
        "nothing goes out before the feedback"
    );
    // A person improves the notes on GitHub while relman waits.
    let edited = format!("{notes}\n\nThanks to everyone who tested the release branch!");
    github.set_release_body(SLUG, draft.id, &edited);
    run_paused_at(&world, &["resume", "--confirm"], 21, "Tweet the release");

    // The tag pipeline tagged the commit, the build and the promotion ran on the tag.
    assert_eq!(
        github.dispatches(SLUG),
        [
            dispatch(
                "tag.yml",
                "release/0.4",
                json!({"version": "v0.4.0", "commit": picked})
            ),
            dispatch("build.yml", "v0.4.0", json!({})),
            dispatch(
                "promote.yml",
                "v0.4.0",
                json!({"version": "0.4.0", "channel": "alpha"})
            ),
        ]
    );
    let refs = remote_refs(repo);
    assert_eq!(refs["refs/tags/v0.4.0^{}"], picked);
    let tag = repo.git_in(repo.remote_path(), &["cat-file", "tag", "v0.4.0"]);
    assert!(tag.contains(&format!("\ntagger {BOT} ")), "{tag}");
    assert!(tag.ends_with("\n\nRelease v0.4.0"), "{tag}");
    // Published with the notes people edited, once.
    let releases = github.releases(SLUG);
    assert_eq!(releases.len(), 1);
    assert!(!releases[0].draft);
    assert_eq!(releases[0].body.as_deref(), Some(edited.as_str()));
    assert_published(&world, &ci, &["0.3.0", "0.4.0"], "0.4.0");
    assert!(slack_messages(&world).is_empty(), "the tweet comes first");

    run_paused_at(
        &world,
        &["resume", "--confirm"],
        24,
        "Post the release on reddit",
    );
    let announcement =
        "Cortex 0.4.0 is out! https://github.fake.invalid/cortexlabs/cortex/releases/tag/v0.4.0";
    assert_eq!(
        slack_messages(&world),
        [
            json!({"text": announcement, "channel": "#announcements"}),
            json!({"text": announcement, "channel": "#general"}),
        ]
    );
    run(&world, &["resume", "--confirm"], 0);
    assert_eq!(slack_messages(&world).len(), 2, "each message sent once");

    // --- the patch release 0.4.1 on the branch ------------------------------------------------
    repo.git(&["switch", "--quiet", "master"]);
    let fix = repo.commit_file(
        "cmd/cortex/retry.go",
        "package main\n\n// Retries when the cluster is busy.\nconst retries = 3\n",
        "fix(cli): retry when the cluster is busy",
    );
    repo.push(&["master"]);
    repo.git(&["switch", "--quiet", "release/0.4"]);
    run(&world, &["cherry-pick", &fix], 0);
    let patched = repo.head();
    build_is_green(&world, &patched);
    // This clone has not seen the tag CI pushed: the version would be 0.3.1, not this branch's.
    let before = remote_refs(repo);
    let refused = world.relman(&["patch"]);
    assert_exit(&refused, 1);
    assert!(
        stderr(&refused).contains("on branch `release/0.4`, not `release/0.3`"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(remote_refs(repo), before, "nothing was pushed");
    repo.git(&["fetch", "--quiet", "--tags", "origin"]);
    run(&world, &["patch"], 0);
    let refs = remote_refs(repo);
    assert_eq!(refs["refs/tags/v0.4.1^{}"], patched);
    assert_eq!(refs["refs/heads/release/0.4"], patched);
    assert_eq!(
        repo.git_in(
            repo.remote_path(),
            &["tag", "--list", "--format=%(contents)", "v0.4.1"]
        ),
        "Release 0.4.1"
    );
    assert_eq!(
        remote_ref_names(repo),
        [
            "refs/heads/master",
            "refs/heads/release/0.4",
            "refs/tags/v0.3.0",
            "refs/tags/v0.4.0",
            "refs/tags/v0.4.1",
        ]
    );
    assert_eq!(
        github.dispatches(SLUG)[3..],
        [
            dispatch("build.yml", "v0.4.1", json!({})),
            dispatch(
                "promote.yml",
                "v0.4.1",
                json!({"version": "0.4.1", "channel": "alpha"})
            ),
        ]
    );
    assert_eq!(github.dispatches(SLUG).len(), 5);
    assert_published(&world, &ci, &["0.3.0", "0.4.0", "0.4.1"], "0.4.1");
    assert_eq!(github.releases(SLUG).len(), 1, "patches publish no notes");
    assert_eq!(slack_messages(&world).len(), 2, "nor announce");
}

fn dispatch(workflow: &str, git_ref: &str, inputs: Value) -> (String, String, Value) {
    (workflow.to_owned(), git_ref.to_owned(), inputs)
}

/// The Slack payloads received, oldest first.
fn slack_messages(world: &World) -> Vec<Value> {
    world
        .recorder
        .requests_to("/services/")
        .iter()
        .map(RecordedRequest::json)
        .collect()
}

/// The release notes of the commits in `since..until`: the changelog section without its
/// heading, with links to the commits on the (fake) GitHub.
fn expected_notes(world: &World, since: &str, until: &str) -> String {
    let web = world.github.api_url().replace("/api/v3", "");
    let line = |subject: &str| {
        let sha = world.repo.git(&[
            "log",
            "--format=%H",
            "--fixed-strings",
            &format!("--grep={subject}"),
            &format!("{since}..{until}"),
        ]);
        (sha.clone(), format!("{web}/{SLUG}/commit/{sha}"))
    };
    let (feature, feature_url) = line("autoscale replicas");
    let (queue, queue_url) = line("keep the queue URL");
    let (cli, cli_url) = line("missing cluster");
    format!(
        "### Features\n\n- **operator:** autoscale replicas on the queue length ([{}]({feature_url}))\n\n### Bug fixes\n\n- **operator:** keep the queue URL across restarts ([{}]({queue_url}))\n- **cli:** say how to configure a missing cluster ([{}]({cli_url}))",
        &feature[..7],
        &queue[..7],
        &cli[..7]
    )
}

/// Every artifact of the releases `versions` is published, and the alpha channel is `alpha`.
fn assert_published(world: &World, ci: &Ci, versions: &[&str], alpha: &str) {
    let registry = world.registry.as_ref().expect("the registry runs");
    for image in IMAGES {
        let mut tags: Vec<String> = versions.iter().map(|v| (*v).to_owned()).collect();
        tags.push("alpha".to_owned());
        tags.sort();
        assert_eq!(registry.tags(image).unwrap(), tags, "{image}");
        assert_eq!(
            registry.manifest_digest(image, "alpha").unwrap(),
            registry.manifest_digest(image, alpha).unwrap(),
            "{image}:alpha is {alpha}"
        );
    }
    assert_eq!(ci.charts("stable"), versions);
    let mut alpha_charts = vec!["0.3.0"];
    alpha_charts.extend(versions.iter().skip(1));
    assert_eq!(ci.charts("alpha"), alpha_charts);
    let files = ci.files();
    for version in versions {
        assert_eq!(
            files.get(&format!("/bucket/{version}/cli/linux/cortex")),
            Some(format!("cortex CLI {version} for linux\n").into_bytes())
        );
    }
}

#[test]
fn runbook_is_current() {
    assert_runbook_current(EXAMPLE);
}
