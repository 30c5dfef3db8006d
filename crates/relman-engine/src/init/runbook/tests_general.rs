//! Drafting small runbooks, sixth round: readings meant to carry over to runbooks the drafter has
//! not met. An instruction read by its verb and its object rather than by a phrase, commands read
//! by their program (an editor on a file, a placeholder for the branch or the tag), and a branch
//! to move to at the start. The runbooks here are made up.

use super::tests::drafted;

/// The kinds of the steps drafted for each line of `lines`, one runbook item each.
fn kind_of(line: &str) -> String {
    let toml = drafted(&format!("# Release\n\n1. Tag the release.\n2. {line}\n"));
    let at = toml
        .find("RELEASE.md:4:")
        .unwrap_or_else(|| panic!("{line}: not cited\n{toml}"));
    let header = toml[at..].find("[[workflow.").map(|found| at + found);
    let Some(header) = header else {
        return "comment".to_owned();
    };
    let body = &toml[header..];
    let kind_line = body.lines().nth(1).unwrap_or_default();
    kind_line.split(" = ").next().unwrap_or_default().to_owned()
        + "="
        + kind_line.split(" = ").nth(1).unwrap_or_default()
}

#[test]
fn an_instruction_is_read_by_its_verb_and_the_head_of_its_object() {
    for (line, want) in [
        (
            "Make a new branch for the update.",
            "branch=\"release/{version}\"",
        ),
        (
            "Create a `Release Tracking` issue to follow the work.",
            "http=\"POST https://api.github.com/repos/acme/demo/issues\"",
        ),
        (
            "Open a pinned issue inviting users to try the beta.",
            "http=\"POST https://api.github.com/repos/acme/demo/issues\"",
        ),
        (
            "Create a milestone named after the release.",
            "http=\"POST https://api.github.com/repos/acme/demo/milestones\"",
        ),
        (
            "Finally create a Release for the new tag on GitHub.",
            "release=\"publish\"",
        ),
        ("Draft a release named `v1.0.0`.", "release=\"draft\""),
        (
            "Close the just shipped milestone.",
            "check=\"milestone-closed\"",
        ),
    ] {
        assert_eq!(kind_of(line), want, "{line}");
    }
}

#[test]
fn an_object_that_is_no_forge_thing_stays_a_persons_task() {
    for line in [
        // A milestone added somewhere, the next one (whose name is not known), a release as the
        // whole process, release notes: no request to send.
        "Add the new version milestone to the tracker's categories.",
        "Open a new milestone for the next release.",
        "Create a release checklist for the team.",
        "Create the release notes summary.",
        "Make two new branches off `main`.",
    ] {
        assert!(kind_of(line).starts_with("manual="), "{line}");
    }
}

#[test]
fn waiting_is_read_by_what_is_waited_for() {
    for (line, want) in [
        (
            "Waiting up to a day for approval before merging the PR.",
            "wait=\"pr-approved\"",
        ),
        ("Get approval for it.", "wait=\"pr-approved\""),
        (
            "Wait until all required PRs have been merged.",
            "wait=\"pr-merged\"",
        ),
        (
            "On the build server: wait until the nightly configuration passes its tests.",
            "wait=\"checks\"",
        ),
        (
            "Wait until the corresponding deploy build finishes.",
            "wait=\"checks\"",
        ),
        ("Make sure it builds on CI.", "check=\"ci-green\""),
        (
            "Validate that the docs linting job is successful.",
            "check=\"ci-green\"",
        ),
    ] {
        assert_eq!(kind_of(line).replace("\npr", ""), want, "{line}");
    }
    // Waiting for a person, or for nothing the forge shows, is no wait step.
    for line in [
        "Wait a week for feedback from users.",
        "Wait for the mirrors to sync.",
        "Check it builds.",
    ] {
        assert!(kind_of(line).starts_with("manual="), "{line}");
    }
}

#[test]
fn an_editor_opened_on_a_file_is_the_step_that_file_asks_for() {
    let toml = drafted(
        "# Release\n\n```\n$ vim pyproject.toml\n$ gvim docs/release/1.4.0-notes.rst\n$ nano site/index.html +/'insert here'\n$ vi site/content/news.md\n```\n",
    );
    assert!(toml.contains("bump = \"{args.bump}\""), "{toml}");
    assert!(
        toml.contains("changelog = \"update\"\nedit = true"),
        "{toml}"
    );
    assert!(
        toml.contains("manual = \"Edit `site/index.html`\""),
        "{toml}"
    );
    // A site's news page is no changelog.
    assert!(
        toml.contains("manual = \"Edit `site/content/news.md`\""),
        "{toml}"
    );
    assert!(!toml.contains("run = "), "{toml}");
}

#[test]
fn placeholders_for_the_branch_worked_on_and_the_new_tag_are_pushed_by_kind() {
    let toml = drafted(
        "# Release\n\n```\ngit tag v1.0.0\ngit push upstream <new tag>\ngit push origin $BRANCH\ngit push origin $BASE_BRANCH\n```\n",
    );
    assert!(
        toml.contains("push = \"tag\"\nremote = \"upstream\""),
        "{toml}"
    );
    assert!(toml.contains("push = \"branch\"\n"), "{toml}");
    // Another branch than the one worked on stays the shell's.
    assert!(
        toml.contains("run = \"git push origin $BASE_BRANCH\""),
        "{toml}"
    );
}

#[test]
fn a_linked_workflow_page_to_visit_is_a_dispatch_and_one_to_look_at_is_not() {
    let toml = drafted(
        "# Release\n\n1. Visit the [Release action](https://github.com/acme/demo/actions/workflows/release.yml)\n2. Open the [publish workflow](https://github.com/acme/demo/actions/workflows/publish.yml) and check its logs.\n",
    );
    assert!(toml.contains("dispatch = \"release.yml\""), "{toml}");
    assert!(!toml.contains("dispatch = \"publish.yml\""), "{toml}");
}

#[test]
fn a_hyphenated_pull_request_is_a_pull_request() {
    let toml = drafted(
        "# Release\n\n1. Create a Pull-Request on GitHub from the `release-next` branch into `main`.\n",
    );
    assert!(toml.contains("pull-request = \"open\""), "{toml}");
}

#[test]
fn checking_out_another_branch_than_the_projects_at_the_start_moves_there() {
    let toml = drafted("# Release\n\n1. Check out the `develop` branch.\n2. Tag the release.\n");
    assert!(toml.contains("switch = \"develop\""), "{toml}");
    assert!(!toml.contains("check = \"branch\""), "{toml}");
    let toml = drafted("# Release\n\n1. Check out the `main` branch.\n2. Tag the release.\n");
    assert!(toml.contains("check = \"branch\""), "{toml}");
}

#[test]
fn publishing_and_checking_a_registry_are_read_by_the_registry_named() {
    for (line, want) in [
        ("Upload the package to PyPI.", "publish=\"pypi\""),
        ("Publish the crate to crates.io.", "publish=\"cargo\""),
        ("Push the gem to RubyGems.", "publish=\"gem\""),
        ("Publish the new version on npm.", "publish=\"npm\""),
        (
            "Check that the new version is on crates.io.",
            "verify=\"crates\"",
        ),
        (
            "Verify the package shows up on npmjs.com.",
            "verify=\"npm\"",
        ),
    ] {
        assert_eq!(kind_of(line), want, "{line}");
    }
    // What git moves, or automation publishes, is no publish step.
    assert_eq!(
        kind_of("Push the tag to trigger the PyPI upload."),
        "push=\"tag\""
    );
    assert!(kind_of("Ship it to production.").starts_with("manual="));
    let toml = drafted(
        "# Release\n\nThis kicks off a workflow that will build the gem and then, at last, push the new gem to RubyGems.\n",
    );
    assert!(!toml.contains("publish = "), "{toml}");
}

#[test]
fn the_issue_a_workflow_opened_is_the_one_it_closes() {
    let toml = drafted(
        "# Release\n\n1. Open an issue to track the release.\n2. Tag the release.\n3. Once every box in it is ticked, close the issue.\n",
    );
    assert!(
        toml.contains("id = \"issue\"") && toml.contains("save = { number = \"/number\" }"),
        "{toml}"
    );
    assert!(
        toml.contains(
            "http = \"PATCH https://api.github.com/repos/acme/demo/issues/{steps.issue.number}\""
        ),
        "{toml}"
    );
    let toml = drafted(
        "# Release\n\n1. Open an issue to track the release.\n2. Tag the release.\n3. Paste the release's link in that issue and close the issue.\n",
    );
    assert!(toml.contains("PATCH"), "{toml}");
    // With no issue opened before, which one is closed is not known: a person's task.
    let toml = drafted("# Release\n\n1. Tag the release.\n2. Close the issue.\n");
    assert!(!toml.contains("PATCH"), "{toml}");
}
