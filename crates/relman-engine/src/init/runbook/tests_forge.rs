//! Drafting small runbooks: prose that asks for git and forge steps (branches, pull requests,
//! releases, waits, announcements) and what stays a comment.

use super::tests::{drafted, step_of};

#[test]
fn being_on_a_branch_committed_changes_green_builds_github_releases_and_announcements() {
    let toml = drafted(
        "# Release\n\n1. Make sure you are on the `main` branch.\n2. Make sure all relevant changes are committed.\n3. Check the build for main is green.\n4. Tag it: `git tag -s vVERSION`\n5. Create a [GitHub release](https://example.org/releases) for the new version.\n6. Make sure the fix is on the `stable` branch.\n7. Announce the release on `demo-announce@lists.example.org`.\n",
    );
    for expected in [
        "check = \"branch\"\n",
        "check = \"clean\"\n",
        "wait = \"checks\"\n",
        "tag = \"{tag}\"\nmessage = \"Release {version}\"\nsign = true\n",
        "release = \"publish\"\n",
        "email = \"demo-announce@lists.example.org\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
    // Only where the release starts is checked; where a fix landed is a person's look.
    assert!(
        toml.contains("manual = \"Make sure the fix is on the `stable` branch.\""),
        "{toml}"
    );
    assert!(!toml.contains("branch = \"stable\""), "{toml}");
    assert!(!toml.contains("vVERSION\""), "{toml}");
}

#[test]
fn github_cli_commands_and_a_maintenance_branch_become_forge_and_branch_steps() {
    let toml = drafted(
        "# Release\n\nCut the maintenance branch:\n\n```\ngit fetch upstream\ngit branch 2.4.x upstream/main\ngit push upstream 2.4.x\ngh workflow run prepare.yml -f branch=2.4.x -f major=no -f prerelease=\n```\n\n```\ngh workflow run deploy.yml -R acme/demo --ref=release-{VERSION} -f version={VERSION}\ngh pr create --head release-next --base main --title \"Release 2.4.0\"\ngh pr checks --watch\ngh pr merge --squash\ngh run list\n```\n",
    );
    for expected in [
        "branch = \"{major}.{minor}.x\"\nfrom = \"main\"\nswitch = false\n",
        "push = \"refspec\"\nrefspec = \"{major}.{minor}.x:{major}.{minor}.x\"\nremote = \"upstream\"\n",
        "dispatch = \"prepare.yml\"\ninputs = { branch = \"{major}.{minor}.x\", major = \"no\", prerelease = \"\" }\n",
        "dispatch = \"deploy.yml\"\nref = \"release-{version}\"\ninputs = { version = \"{version}\" }\n",
        "pull-request = \"open\"\nid = \"pr\"\nhead = \"release-next\"\n",
        "base = \"main\"\ntitle = \"Release {version}\"\n",
        "wait = \"checks\"\n",
        "merge-pull-request = \"{steps.pr.number}\"\nmethod = \"squash\"\n",
        "run = \"gh run list\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
    // `-R` naming the project's own repository adds nothing.
    assert!(!toml.contains("repo = \"acme/demo\""), "{toml}");
}

#[test]
fn an_item_that_asks_for_steps_keeps_them_over_its_children() {
    let toml = drafted(
        "# Release\n\n1. Commit: `git commit -m 'release: vM.N.P'`\n2. Push the branch and create a pull request with your changes.\n   - Add the `release` label to the PR.\n3. Once the release PR is merged, wait until all CI passes\n   - If CI does not pass, stop and look into it\n4. Create a GPG-signed tag named `vM.N.P` on the merge commit.\n",
    );
    for expected in [
        "commit = \"release: v{version}\"\n",
        "push = \"branch\"\n",
        "labels = [\"release\"]\n",
        "wait = \"pr-merged\"\npr = \"{steps.pr.number}\"\n",
        "wait = \"checks\"\n",
        "tag = \"{tag}\"\nmessage = \"Release {version}\"\nsign = true\n",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
    assert!(!toml.contains("checklist"), "{toml}");
    assert!(!toml.contains("M.N.P\""), "{toml}");
}

#[test]
fn shell_variables_for_the_tag_and_blocks_of_data_are_no_commands() {
    let toml = drafted(
        "# Release\n\n```bash\ntag=\"v$(< VERSION)\"\ngit tag -s \"${tag}\" -m \"${tag}\"\ngit tag -s \"api/${tag}\" -m \"api/${tag}\"\n```\n\n```ini\n[alias]\n  release = \"!f() { git tag -s ${tag}; }; f\"\n```\n\n```diff\n-release: 1.1.0\n+release: 1.2.0\n```\n\n```txt\ngit remote set-url origin file:///tmp/x\n```\n",
    );
    for expected in [
        "tag = \"{tag}\"\nmessage = \"{tag}\"\nsign = true\n",
        "tag = \"api/{tag}\"\n",
        "# RELEASE.md:9: (note) 2 lines of `ini`",
        "# RELEASE.md:14: (note) 2 lines of `diff`",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
    // A `txt` block may hold commands (kept from a highlighter): it stays code.
    assert_eq!(toml.matches("run =").count(), 1, "{toml}");
    assert!(
        !toml.contains("tag = \"${tag}") && !toml.contains("message = \"${tag}"),
        "{toml}"
    );
}

#[test]
fn what_ci_does_or_a_line_says_not_to_do_is_no_step_and_a_restated_version_is_no_dev_bump() {
    let toml = drafted(
        "# Release\n\n1. Bump the version in `Cargo.toml`.\n2. Create a GitHub release for the new version.\n3. Update version references in:\n   - `README.md`\n   - `GUIDE.md`\n4. CI will automatically create a GitHub release.\n5. Don't worry about creating a GitHub release either.\n6. Update the version in `docs/index.md`.\n7. Bump the version to the next development version.\n",
    );
    assert_eq!(toml.matches("release = \"publish\"").count(), 1, "{toml}");
    assert_eq!(toml.matches("bump = ").count(), 2, "{toml}");
    assert_eq!(toml.matches("bump = \"dev\"").count(), 1, "{toml}");
    assert!(
        toml.contains("manual = \"Update version references in:\"\nchecklist"),
        "{toml}"
    );
}

#[test]
fn branches_named_before_the_word_and_a_pull_request_merged_and_pulled_back() {
    let toml = drafted(
        "# Release\n\n1. Check out the `main` branch.\n2. Fetch, then check out a new `release-next` branch from that base.\n3. Check out the `main` branch.\n4. Create a new `release/YY.N` branch off `main` and switch to it.\n5. Run `make prepare VERSION=YY.N`.\n6. Submit the `release/YY.N` branch as a pull request and ensure CI passes.\n   Merge the changes back into `main` and pull them back locally.\n7. For a patch we create a `release-M.N` branch with the fixes, and tell the YY.N+1 series.\n",
    );
    for expected in [
        "check = \"branch\"\n",
        "branch = \"release-next\"\n",
        "switch = \"main\"\n",
        "branch = \"release/{version}\"\nfrom = \"main\"\n",
        "run = \"make prepare VERSION={version}\"\n",
        "pull-request = \"open\"\nid = \"pr\"\nhead = \"release/{version}\"\n",
        "wait = \"checks\"\n",
        "merge-pull-request = \"{steps.pr.number}\"\n",
        "pull = \"main\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
    assert!(!toml.contains("release-M.N\""), "{toml}");
    assert!(toml.contains("the YY.N+1 series"), "{toml}");
}

#[test]
fn link_definitions_and_attribute_lists_are_no_tasks() {
    let toml = drafted(
        "# Release\n\n{: .note .info}\n\n1. Publish the release.\n\n[release page]: https://example.org/releases\n[ci]:\n  https://example.org/ci\n",
    );
    assert!(!toml.contains("manual ="), "{toml}");
    assert!(toml.contains("# RELEASE.md:7: [release page]"), "{toml}");
}

#[test]
fn a_list_of_what_happens_is_no_tasks() {
    let toml = drafted(
        "# Release\n\nMerge the release pull request. Doing so will:\n\n1. Create a new GitHub release\n2. Publish the package\n\nThen:\n\n1. Create a new GitHub release\n",
    );
    assert_eq!(toml.matches("release = \"publish\"").count(), 1, "{toml}");
    assert!(
        toml.contains("# RELEASE.md:5: Create a new GitHub release\n# RELEASE.md:6"),
        "{toml}"
    );
}

#[test]
fn descriptions_policies_and_schedules_stay_comments() {
    let toml = drafted(
        "# Release\n\nRelease cadence of first candidates is 6 weeks.\n\n3 months later.\n\n\
         Example: `--use-feature=x`\n\nCI will automatically push the tag to the mirror.\n\n\
         What this does is:\n\n- Release candidate one ships on a Saturday.\n\
         - During the first 10 days we are in cool down.\n- Release automation runs on every tag.\n\n\
         1. Ask QA to sign off\n2. Once CI passes, push the tag.\n3. Optional: test the new flags.\n\n\
         Take a breath. You're done releasing.\n",
    );
    // Each of them is cited in a comment, none became a step.
    for line in [3, 5, 7, 9, 11, 13, 14, 15, 21] {
        assert!(
            toml.contains(&format!("# RELEASE.md:{line}: ")),
            "{line}: {toml}"
        );
    }
    assert_eq!(toml.matches("manual =").count(), 2, "{toml}");
    assert!(toml.contains("manual = \"Ask QA to sign off\"\n"), "{toml}");
    assert!(
        toml.contains("manual = \"Optional: test the new flags.\"\n"),
        "{toml}"
    );
    assert_eq!(toml.matches("push = ").count(), 1, "{toml}");
    assert!(
        step_of(&toml, "push = \"tag\"").contains("RELEASE.md:18:"),
        "{toml}"
    );
}

#[test]
fn the_changelog_edited_by_hand_is_one_changelog_step_and_the_next_section_is_relmans() {
    let toml = drafted(
        "# Release\n\n1. Bump the version in `VERSION`\n2. Update `NEWS.md` to reflect the changes.\n\
         \x20  1. Add a heading with the version number and date\n\
         3. Edit `RELEASE-NOTES` to be accurate\n4. Commit and tag the repo.\n\n\
         ## After the release\n\n- Prepare a new \"unreleased\" section at the top of `CHANGELOG.md`.\n",
    );
    assert_eq!(
        toml.matches("\nchangelog = \"update\"").count(),
        1,
        "{toml}"
    );
    let changelog = step_of(&toml, "\nchangelog = \"update\"");
    for line in [4, 5, 6] {
        assert!(
            changelog.contains(&format!("RELEASE.md:{line}")),
            "{line}: {toml}"
        );
    }
    assert!(
        toml.contains("changelog = \"update\"\nedit = true\n"),
        "{toml}"
    );
    assert!(toml.contains("tag = \"{tag}\"\n"), "{toml}");
    // No step for the next release's section: a comment says what relman does instead.
    assert!(!toml.contains("unreleased\\\" section"), "{toml}");
    assert!(toml.contains("keeps an unreleased section"), "{toml}");
    let bump = toml.find("bump = ").expect("a bump");
    let changelog = toml.find("changelog = ").expect("a changelog");
    let tag = toml.find("tag = ").expect("a tag");
    assert!(bump < changelog && changelog < tag, "{toml}");
}

#[test]
fn the_forge_release_form_becomes_the_release_steps_options() {
    let toml = drafted(
        "# Release\n\n- [ ] Create a tag and push it: `git tag vX.Y.Z; git push origin tag vX.Y.Z`.\n\
         - [ ] Go to https://github.com/acme/demo/releases/new to create the new\n\
         \x20     release. Select the new tag and also use it as the release title. For the\n\
         \x20     release notes, copy the corresponding section from `CHANGELOG.md`.\n\
         \x20     Publish the release.\n",
    );
    let tag = toml.find("\ntag = ").expect("the tag");
    let push = toml.find("\npush = ").expect("the push");
    assert!(tag < push, "a push before its tag: {toml}");
    assert!(toml.contains("name = \"{tag}\""), "{toml}");
    assert!(toml.contains("release = \"publish\""), "{toml}");
    assert!(!toml.contains("manual ="), "{toml}");
}

#[test]
fn branches_merged_back_approvals_and_announcements_on_named_services() {
    let toml = drafted(
        "# Release\n\n- [ ] Create a new branch for the required changes for this release.\n\
         - [ ] Bump the version.\n- [ ] Merge your release branch (should be a fast-forward merge).\n\
         - [ ] Create a Pull Request, get it reviewed, and merge it once approved.\n\
         - [ ] Announce it on `Fosstodon <https://fosstodon.org>`_ and the Discourse forum https://discuss.acme.org\n\
         - [ ] Announce it on Bluesky\n",
    );
    for expected in [
        "branch = \"release/{version}\"\n",
        "merge = \"main\"\nff-only = true\n",
        "pull-request = \"open\"",
        "wait = \"pr-approved\"\n",
        "merge-pull-request = \"{steps.pr.number}\"\n",
        "mastodon = \"https://fosstodon.org\"\n",
        "discourse = \"https://discuss.acme.org\"\n",
        "manual = \"Announce it on Bluesky\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
    let approved = toml.find("wait = \"pr-approved\"").unwrap_or_default();
    let merged = toml.find("merge-pull-request = ").unwrap_or_default();
    assert!(approved < merged, "{toml}");
}

#[test]
fn a_github_issue_to_open_is_an_http_request_and_other_trackers_stay_a_persons_task() {
    let toml = drafted(
        "# Release\n\n1. Open a new issue to track the release checklist.\n\
         2. File a ticket in the Jira board for the packagers.\n\
         3. In the `other/site` repository, create an issue for the release page.\n\
         4. If the build fails, create an issue or a pull request for later follow-up.\n",
    );
    let issue = step_of(
        &toml,
        "http = \"POST https://api.github.com/repos/acme/demo/issues\"",
    );
    assert!(issue.contains("RELEASE.md:3:"), "{toml}");
    assert!(
        toml.contains("headers = { Authorization = \"Bearer {env.GITHUB_TOKEN}\""),
        "{toml}"
    );
    assert!(
        toml.contains("json = { title = \"Release {project} {version}\" }"),
        "{toml}"
    );
    assert_eq!(toml.matches("http = ").count(), 1, "{toml}");
    for manual in [
        "manual = \"File a ticket in the Jira board for the packagers.\"",
        "manual = \"In the `other/site` repository, create an issue for the release page.\"",
    ] {
        assert!(toml.contains(manual), "{manual}: {toml}");
    }
}

#[test]
fn one_word_checklist_items_and_pull_requests_named_by_what_they_change() {
    let toml = drafted(
        "# Release\n\n- [ ] Bump the versions in the manifest (`package.json`)\n- [ ] Tag\n\
         - [ ] Open and merge the docs-refresh PR\n- [ ] Pull the latest changes\n\
         - [ ] Tag the issue with the `done` label\n\
         - [ ] Submit two PRs that drop the old docs\n\
         - [ ] Update the dependencies to their newest versions\n",
    );
    let kinds: Vec<&str> = toml
        .lines()
        .filter(|line| !line.starts_with('#') && line.contains(" = "))
        .filter_map(|line| line.split(" = ").next())
        .filter(|key| {
            [
                "bump",
                "tag",
                "pull-request",
                "merge-pull-request",
                "pull",
                "manual",
            ]
            .contains(key)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "bump",
            "tag",
            "pull-request",
            "merge-pull-request",
            "pull",
            "manual",
            "pull-request",
            "manual"
        ],
        "{toml}"
    );
    assert!(toml.contains("pull = \"main\"\n"), "{toml}");
}

#[test]
fn a_reference_style_link_reads_as_its_text() {
    let toml = drafted(
        "# Release\n\n1. Wait for [GitHub Actions][actions] to build the release.\n\n\
         [actions]: https://github.com/acme/demo/actions\n",
    );
    assert!(toml.contains("wait = \"checks\"\n"), "{toml}");
    assert!(!toml.contains("manual ="), "{toml}");
}

#[test]
fn pull_requests_others_submit_are_no_step() {
    let toml = drafted(
        "# Release\n\n- To get a fix into a release, contributors submit backport PRs against the release branch.\n",
    );
    assert!(!toml.contains("pull-request ="), "{toml}");
}

#[test]
fn a_complete_milestone_a_merged_pull_request_and_the_pypi_page_checked() {
    let toml = drafted(
        "# Release\n\n- Ensure the release milestone on GitHub is complete.\n\
         - Create a pull request.\n- After merging the PR, tag the merge commit.\n\
         - Open https://pypi.org/project/demo-lib/ and check the page for errors.\n",
    );
    for expected in [
        "check = \"milestone-closed\"\n",
        "wait = \"pr-merged\"\npr = \"{steps.pr.number}\"\n",
        "verify = \"pypi\"\npackage = \"demo-lib\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
}

#[test]
fn being_logged_in_is_the_credentials_check() {
    let toml = drafted(
        "# Release\n\n- Make sure you are logged in to npm.\n- Check that you have push access to the repository.\n\
         - Run `gh auth status`.\n",
    );
    // One check asks every service; the three lines cite it.
    let check = step_of(&toml, "check = \"credentials\"");
    for line in ["RELEASE.md:3:", "RELEASE.md:4:", "RELEASE.md:5:"] {
        assert!(check.contains(line), "{line}: {toml}");
    }
}

#[test]
fn advice_to_verify_that_the_workflows_pass_is_a_wait() {
    let toml = drafted(
        "# Release\n\n1. Create a GitHub release.\n\
         2. It's good practice to watch and verify that all the release workflows pass.\n",
    );
    assert!(toml.contains("wait = \"checks\""), "{toml}");
    assert!(!toml.contains("manual ="), "{toml}");
}

#[test]
fn what_a_command_pushes_is_described_not_asked() {
    let toml = drafted(
        "# Release\n\nRun `make site`.\n\nThis builds the site, and pushes the docs to the mirror.\n",
    );
    assert!(!toml.contains("push ="), "{toml}");
}

#[test]
fn pulling_the_latest_changes_at_the_start_checks_the_clone_is_current() {
    let toml = drafted("# Release\n\n1. Pull the latest changes.\n2. Tag the release.\n");
    assert!(toml.contains("check = \"up-to-date\""), "{toml}");
    assert!(!toml.contains("pull ="), "{toml}");
}

#[test]
fn waiting_for_a_named_workflow_or_job_is_a_wait_for_the_checks() {
    for line in [
        "Wait until the publish workflow is complete.",
        "Wait for the release jobs to finish.",
        "Wait for green CI on the tag.",
    ] {
        let toml = drafted(&format!("# Release\n\n1. Tag the release.\n2. {line}\n"));
        assert!(toml.contains("wait = \"checks\""), "{line}: {toml}");
    }
}

#[test]
fn a_role_before_a_circumstance_keeps_it_a_circumstance() {
    let toml = drafted(
        "# Release\n\n1. Tag the release.\n2. [maint] While you wait for green CI, proofread the notes.\n",
    );
    assert!(!toml.contains("wait = "), "{toml}");
}
