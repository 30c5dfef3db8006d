//! Drafting small runbooks: what each kind of line becomes. The five real runbooks are drafted
//! in `tests/it/init.rs`.

use super::{ProjectFacts, draft};
use crate::config::Config;

pub(super) fn facts() -> ProjectFacts {
    ProjectFacts {
        name: "demo".to_owned(),
        branch: "main".to_owned(),
        remote: "origin".to_owned(),
        tag_format: None,
        repo: Some("acme/demo".to_owned()),
        bump_default: "patch".to_owned(),
        current_released: false,
        version_files: Vec::new(),
        root: None,
        several_packages: false,
    }
}

pub(super) fn drafted(text: &str) -> String {
    let draft = draft("RELEASE.md", text, &facts());
    let toml = draft.workflows_toml();
    if let Err(errors) = Config::parse(std::path::Path::new("relman.toml"), &toml) {
        panic!("{errors}\n---\n{toml}");
    }
    toml
}

#[test]
fn commands_in_a_code_block_become_git_steps() {
    let toml = drafted(
        "# Release\n\n```\ngit checkout main\ngit pull\ngit tag -a v1.2.3 -m \"Release 1.2.3\"\ngit push origin v1.2.3\n```\n",
    );
    assert!(toml.contains("check = \"branch\"\n"), "{toml}");
    assert!(toml.contains("check = \"up-to-date\"\n"), "{toml}");
    assert!(
        toml.contains("tag = \"{tag}\"\nmessage = \"Release {version}\"\n"),
        "{toml}"
    );
    assert!(toml.contains("push = \"tag\"\n"), "{toml}");
    assert!(
        toml.contains("# RELEASE.md:6: git tag -a v1.2.3 -m \"Release 1.2.3\"\n"),
        "{toml}"
    );
}

#[test]
fn unrecognised_lines_are_manual_steps_in_their_own_words() {
    let toml = drafted("1. Ask QA to sign off on {staging}\n2. Run `make dist`\n");
    assert!(
        toml.contains("manual = \"Ask QA to sign off on {{staging}}\"\n"),
        "{toml}"
    );
    assert!(toml.contains("run = \"make dist\"\n"), "{toml}");
}

#[test]
fn explanations_are_comments_not_steps() {
    let toml = drafted("The release is cut on Fridays.\n\n* Bump the version\n");
    assert!(
        toml.contains("# RELEASE.md:1: The release is cut on Fridays.\n"),
        "{toml}"
    );
    assert!(toml.contains("bump = \"{args.bump}\"\n"), "{toml}");
    assert!(
        toml.contains("args = [{ name = \"bump\", default = \"patch\""),
        "{toml}"
    );
}

// Lessons of real runbooks (`docs/runbook-import.md`), each as a small synthetic runbook.

fn released() -> ProjectFacts {
    ProjectFacts {
        current_released: true,
        ..facts()
    }
}

fn drafted_with(text: &str, facts: &ProjectFacts) -> String {
    let toml = draft("RELEASE.md", text, facts).workflows_toml();
    if let Err(errors) = Config::parse(std::path::Path::new("relman.toml"), &toml) {
        panic!("{errors}\n---\n{toml}");
    }
    toml
}

#[test]
fn placeholders_in_commands_and_tasks_become_templates() {
    let toml = drafted(
        "## Release\n\n```\nmake release VERSION=$VERSION\n```\n\n1. Run `./scripts/build.sh X.Y.Z`\n2. Upload `dist/demo-<version>.tar.gz` to the mirror\n",
    );
    assert!(
        toml.contains("run = \"./scripts/build.sh {version}\""),
        "{toml}"
    );
    assert!(toml.contains("dist/demo-{version}.tar.gz"), "{toml}");
    assert!(toml.contains("VERSION={version}"), "{toml}");
    assert!(
        !toml.contains("X.Y.Z\"") && !toml.contains("= \"make release VERSION=$VERSION"),
        "{toml}"
    );
}

#[test]
fn a_fenced_block_is_commands_never_headings_or_prose() {
    let toml = drafted("# Release\n\n```\nmake dist\n===\nThe output\n---\n```\n\nThen tag it.\n");
    assert!(toml.contains("run = \"make dist\""), "{toml}");
    assert!(
        !toml.contains("──  The output") && !toml.contains("manual = \"The output\""),
        "{toml}"
    );
    assert!(!toml.contains("\"===\""), "{toml}");
}

#[test]
fn task_boxes_and_term_definitions_are_not_tasks() {
    let toml = drafted("- [ ] Review the `man` page\n- `upstream`: the official repository.\n");
    assert!(
        toml.contains("manual = \"Review the `man` page\""),
        "{toml}"
    );
    assert!(!toml.contains("manual = \"`upstream`"), "{toml}");
    assert!(
        toml.contains("# RELEASE.md:2: `upstream`: the official repository."),
        "{toml}"
    );
}

#[test]
fn the_version_is_bumped_once_and_the_next_snapshot_is_a_dev_bump_after_the_release() {
    let toml = drafted(
        "1. Update the version in `Cargo.toml`\n2. Run `make docs`\n3. Update the version in `README.md`\n4. `git tag vX.Y.Z`\n5. Bump the version to the next snapshot version\n",
    );
    assert_eq!(toml.matches("bump = ").count(), 2, "{toml}");
    let release = toml.find("bump = \"{args.bump}\"").expect(&toml);
    let tag = toml.find("tag = \"{tag}\"").expect(&toml);
    let dev = toml.find("bump = \"dev\"").expect(&toml);
    assert!(release < tag && tag < dev, "{toml}");
    assert!(
        toml.contains("the `bump` above writes the version"),
        "{toml}"
    );
}

#[test]
fn a_released_version_is_bumped_before_a_workflow_acts() {
    // The runbook bumps in a release PR made elsewhere; the project is at a released version.
    let toml = drafted_with(
        "1. Run `gh workflow run release.yml`\n2. `git tag vX.Y.Z`\n",
        &released(),
    );
    let bump = toml.find("bump = \"{args.bump}\"").expect(&toml);
    assert!(bump < toml.find("dispatch = ").expect(&toml), "{toml}");
    // Not when nothing would be released.
    let toml = drafted_with("1. Run `gh workflow run release.yml`\n", &facts());
    assert!(!toml.contains("bump ="), "{toml}");
}

#[test]
fn rst_auto_numbered_lists_and_wrapped_paragraphs() {
    let toml = drafted(
        "Release\n=======\n\nOur policy is to aim for a bug-fix release every few weeks and a minor one\nevery few months, so that fixes reach users quickly instead of waiting\nfor the big release.\n\n#. Create a branch ``release-MAJOR.MINOR.PATCH`` from the ``MAJOR.MINOR.x`` branch.\n",
    );
    assert!(!toml.contains("manual = \"every few months"), "{toml}");
    assert!(!toml.contains("manual = \"for the big release"), "{toml}");
    assert!(
        toml.contains("branch = \"release-{version}\"\nfrom = \"{major}.{minor}.x\""),
        "{toml}"
    );
}

#[test]
fn a_section_that_only_describes_a_kind_of_release_is_no_workflow() {
    let toml = drafted(
        "# Release\n\n1. `git tag vX.Y.Z`\n\n## Major releases\n\n- Even versions only update dependencies\n- Odd versions can break things\n",
    );
    assert!(!toml.contains("[workflow.major]"), "{toml}");
    assert!(
        toml.contains("Even versions only update dependencies"),
        "{toml}"
    );
}

#[test]
fn publishing_and_syncing_commands_become_their_kinds() {
    let toml = drafted(
        "```\nnpm publish --access public\ntwine upload dist/*\n```\n\n1. Wait for the release PR to be merged\n2. `git pull origin main`\n3. `git push origin --delete release/X.Y.Z`\n",
    );
    assert!(
        toml.contains("publish = \"npm\"\naccess = \"public\""),
        "{toml}"
    );
    assert!(
        toml.contains("publish = \"pypi\"\nfiles = [\"dist/*\"]"),
        "{toml}"
    );
    assert!(toml.contains("pull = \"main\""), "{toml}");
    assert!(
        toml.contains("delete-branch = \"release/{version}\""),
        "{toml}"
    );
}

#[test]
fn tables_quotes_questions_dates_and_fragments_are_no_tasks() {
    let toml = drafted(
        "# Release\n\n| series | date |\n|---|---|\n| v2.4 | 2018-09-06 |\n\n> Important: keep the dot.\n\nWhat feedback is valuable?\n\nDecember 23, 2026\n\nRun the benchmark for three days on the candidate, then compare it with the last\nrelease.\n\n- Publish the release\n",
    );
    for text in [
        "| v2.4",
        "> Important",
        "What feedback",
        "December 23",
        "release.\"",
    ] {
        assert!(
            !toml.contains(&format!("manual = \"{text}")),
            "{text}: {toml}"
        );
    }
    assert!(
        toml.contains("# RELEASE.md:5: | v2.4 | 2018-09-06 |"),
        "{toml}"
    );
}

#[test]
fn list_items_that_are_bare_commands_are_read_as_commands() {
    let toml = drafted(
        "# Release\n\n- git checkout main\n- git pull # do not skip\n- git status - make sure everything is checked in\n- make docs\n- git commit -a -m \"Version v2.XX.0\"\n- git push origin # branch first\n- git push --follow-tags origin\n- git checkout v2.1-stable docs/changes.md\n- git commit -a -m \"Notes of ${NEW_TAG}\"\n- \\# Wait for the GitHub builds to finish then...\n- make sure the site looks right\n- go to the forum and say thanks\n",
    );
    for expected in [
        "# RELEASE.md:3: git checkout main\n[[workflow.release.step]]\ncheck = \"branch\"\n",
        "# RELEASE.md:4: git pull # do not skip\n[[workflow.release.step]]\ncheck = \"up-to-date\"\n",
        "check = \"clean\"\n",
        "run = \"make docs\"\n",
        "commit = \"Version v{version}\"\n",
        "push = \"branch\"\n",
        "push = \"tag\"\n",
        "wait = \"checks\"\n",
        "run = \"git checkout v2.1-stable docs/changes.md\"\n",
        "commit = \"Notes of {tag}\"\n",
        "manual = \"make sure the site looks right\"\n",
        "manual = \"go to the forum and say thanks\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
}

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

/// The step whose kind line is `kind_line`, with the comments above it: the citations.
fn step_of<'t>(toml: &'t str, kind_line: &str) -> &'t str {
    let end = toml
        .find(kind_line)
        .unwrap_or_else(|| panic!("no `{kind_line}`: {toml}"));
    let start = toml[..end].rfind("\n\n").map_or(0, |at| at + 2);
    &toml[start..end + kind_line.len()]
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

// Commands of real runbooks (`docs/runbook-import.md`, "Commands").

fn with_version_file(path: &str) -> ProjectFacts {
    ProjectFacts {
        version_files: vec![path.to_owned()],
        ..facts()
    }
}

#[test]
fn a_sed_that_writes_the_version_is_an_edit_or_the_bump() {
    let text = "# Release\n\n```bash\nsed -i \"\" \\\n  \"s/APP_VERSION=.*/APP_VERSION=$RELEASE_VERSION/g\" \\\n  app.properties\nsed -i 's|image: acme/demo:[^\"]*\"|image: acme/demo:v$VERSION\"|' chart/values.yaml deploy/values.yaml\nsed -i \"s/^version = .*/version = $RELEASE_VERSION/\" setup.cfg\ngit tag vX.Y.Z\nsed -i \"\" \"s/APP_VERSION=.*/APP_VERSION=$NEXT_VERSION/g\" setup.cfg\nsed -i \"s/\\(demo:\\)[0-9.]*/\\1$RELEASE_VERSION/g\" `find . -name README.md`\n```\n";
    let toml = drafted_with(text, &with_version_file("setup.cfg"));
    for expected in [
        // BSD's `-i ""`, continued over lines.
        "edit = \"app.properties\"\npattern = \"APP_VERSION={value}\"\nvalue = \"{version}\"\n",
        // Several files, another delimiter, a literal text after the value.
        "edit = \"chart/values.yaml\"\npattern = 'image: acme/demo:{value}\"'\nvalue = \"v{version}\"\n",
        "edit = \"deploy/values.yaml\"\npattern = 'image: acme/demo:{value}\"'\n",
        // A version file: the bump writes it (and its next version after the release is the
        // dev bump).
        "bump = \"{args.bump}\"\n",
        "bump = \"dev\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    // Groups and files from `find`: more than one place, left to the shell.
    assert!(
        toml.contains("run = 'sed -i \"s/\\(demo:\\)[0-9.]*/\\1{version}/g\" `find"),
        "{toml}"
    );
    assert_eq!(toml.matches("run =").count(), 1, "{toml}");
}

#[test]
fn a_sed_edit_is_drafted_only_for_a_file_that_holds_its_place_once() {
    let root = tempfile::tempdir().unwrap();
    fs_err::write(root.path().join("Makefile"), "LATEST=v1.0.0\nall:\n").unwrap();
    fs_err::write(root.path().join("twice.env"), "LATEST=1\nLATEST=2\n").unwrap();
    let facts = ProjectFacts {
        root: Some(root.path().to_owned()),
        ..facts()
    };
    let toml = drafted_with(
        "# Release\n\n```\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' Makefile\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' twice.env\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' missing.txt\n```\n",
        &facts,
    );
    assert!(
        toml.contains(
            "edit = \"Makefile\"\npattern = \"LATEST={value}\"\nvalue = \"v{version}\"\n"
        ),
        "{toml}"
    );
    assert_eq!(toml.matches("edit =").count(), 1, "{toml}");
    assert_eq!(toml.matches("run =").count(), 2, "{toml}");
}

#[test]
fn short_flags_together_and_and_lists_keep_each_command_right() {
    let toml = drafted(
        "# Release\n\n```\ngit commit -am \"Prepare version $RELEASE_VERSION.\"\ngit tag -am \"Version $RELEASE_VERSION\" $RELEASE_VERSION\ngit push && git push --tags\nmake test && make dist\n```\n",
    );
    for expected in [
        "commit = \"Prepare version {version}.\"\n",
        "tag = \"{tag}\"\nmessage = \"Version {version}\"\n",
        "push = \"branch\"\n",
        "push = \"tag\"\n",
        "run = \"make test && make dist\"\nshell = true\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("remote = \"&&\""), "{toml}");
    assert!(!toml.contains("tag = \"Version"), "{toml}");
}

#[test]
fn commands_that_show_something_and_output_in_a_block_are_no_steps() {
    let toml = drafted(
        "# Release\n\n```\n$ git show -q --pretty=%s%n%b HEAD\nMerge pull request #12 from acme/release-next\n$ git describe HEAD\nv1.2.3\n$ ls bin/releases\n$ git log --oneline v1.2.2..main\n```\n\nAdd this to the changelog:\n\n```\nTBD\n===\nUnreleased changes. Release notes have not yet been written.\n-----BEGIN PGP SIGNATURE-----\n<div class=\"banner\">\ntitle: \"Demo\"\n- uses: actions/upload-artifact@v4\n```\n",
    );
    assert!(!toml.contains("run ="), "{toml}");
    assert!(
        toml.contains("→ this only shows something to a person: no release step"),
        "{toml}"
    );
}

#[test]
fn the_version_file_read_by_the_shell_is_the_version_and_own_go_modules_follow_the_bump() {
    let toml = drafted(
        "# Release\n\n```\ngo mod edit -require \"github.com/acme/demo/pkg/api@v$(< VERSION)\" pkg/client/go.mod\ngo mod edit -require \"github.com/other/lib@v1.4.0\"\ngit tag -s v$(cat VERSION) -m v$(cat VERSION)\n```\n",
    );
    assert!(
        toml.contains("→ relman's `bump` rewrites a sibling module's `require` line"),
        "{toml}"
    );
    assert!(
        toml.contains("run = 'go mod edit -require \"github.com/other/lib@v1.4.0\"'"),
        "{toml}"
    );
    assert_eq!(toml.matches("run =").count(), 1, "{toml}");
    assert!(
        toml.contains("tag = \"{tag}\"\nmessage = \"v{version}\"\nsign = true\n"),
        "{toml}"
    );
}

#[test]
fn a_diff_that_puts_the_version_in_a_file_is_an_edit() {
    let toml = drafted_with(
        "# Release\n\n1. Update the site's config:\n\n   ```diff\n   --- a/site/_config.yml\n   +++ b/site/_config.yml\n   @@ -1,3 +1,3 @@\n    title: Demo\n   -latest-release: 1.2.2\n   +latest-release: 1.2.3\n   -download: \"https://example.org/demo-1.2.2.tar.gz\"\n   +download: \"https://example.org/demo-1.2.3.tar.gz\"\n   -image: acme/demo:1.2.0\n   +image: acme/demo:1.3.0\n   ```\n\n2. Update the changelog:\n\n   ```diff\n   --- CHANGES.md\n   +++ CHANGES.md\n   -## HEAD\n   +## 1.2.3 / 2018-01-25\n   ```\n\n   ```diff\n   --- VERSION\n   +++ VERSION\n   -demo 1.2.2\n   +demo 1.2.3\n   ```\n",
        &with_version_file("VERSION"),
    );
    for expected in [
        "# RELEASE.md:11: +latest-release: 1.2.3\n[[workflow.release.step]]\nedit = \"site/_config.yml\"\npattern = \"latest-release: {value}\"\nvalue = \"{version}\"\n",
        "edit = \"site/_config.yml\"\npattern = 'download: \"https://example.org/demo-{value}.tar.gz\"'\nvalue = \"{version}\"\n",
        "edit = \"site/_config.yml\"\npattern = \"image: acme/demo:{value}\"\nvalue = \"{version}\"\n",
        // The version file: the bump writes it.
        "# RELEASE.md:31: +demo 1.2.3\n[[workflow.release.step]]\nbump = \"{args.bump}\"\n",
        // A heading renamed with a date is no version's place: a note.
        "# RELEASE.md:20: (note) 4 lines of `diff`",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert_eq!(toml.matches("edit =").count(), 3, "{toml}");
}

#[test]
fn a_publish_dry_run_before_the_publish_is_its_plan_and_gh_release_options_are_read() {
    let toml = drafted(
        "# Release\n\n- Run `cargo publish --dry-run` to make sure it works.\n- Run `cargo package`.\n- Run `npm publish --dry-run`.\n\n```\ngh auth login\ngit co -b release-X.Y.Z\ngh release create vX.Y.Z dist/demo-X.Y.Z.tar.gz --notes-file NOTES.md --prerelease -R acme/other\ngh release edit vX.Y.Z --draft=false\ncargo publish\n```\n\n```text\ngo 1.22.0\n```\n\nMail the announcement in:\n\n```\ndoc/announce/release-<VERSION>.rst\n```\n",
    );
    for expected in [
        "→ the `publish = \"cargo\"` step below runs its dry run in `relman plan`, before any step",
        "→ relman uses the token in `GITHUB_TOKEN`",
        "branch = \"release-{version}\"\n",
        // The edit that publishes it adds to the release made just before (one of each kind),
        // and keeps no notes: the step writes its own.
        "release = \"publish\"\nnotes = \"{file:NOTES.md}\"\nprerelease = true\nrepo = \"acme/other\"\nassets = [\"dist/demo-{version}.tar.gz\"]\n\n",
        "publish = \"cargo\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    // The npm dry run has no npm publish after it: it stays.
    assert_eq!(toml.matches("run =").count(), 1, "{toml}");
    assert!(toml.contains("run = \"npm publish --dry-run\"\n"), "{toml}");
}

#[test]
fn shell_named_branches_amends_and_edits_of_several_packages_stay_with_the_shell() {
    let text = "# Release\n\n```\ngit checkout -b hotfix upstream/main\ngit checkout upstream/main -b picks\ngit checkout -b release-M.N vM.N.0\ngit co -b ${BASE_TAG}-stable ${BASE_TAG}.0\ngit checkout -b 1.2-stable v1.2.0\ngit commit -a -v --amend\nsed -i 's/LATEST=.*/LATEST=v1.2.3/' Makefile\n```\n";
    let toml = drafted(text);
    assert!(
        toml.contains("branch = \"hotfix\"\nfrom = \"main\"\n"),
        "{toml}"
    );
    for expected in [
        "branch = \"picks\"\nfrom = \"main\"\n",
        "run = \"git checkout -b release-M.N vM.N.0\"\n",
        "run = \"git co -b ${{BASE_TAG}}-stable ${{BASE_TAG}}.0\"\nshell = true\n",
        "run = \"git checkout -b 1.2-stable v1.2.0\"\n",
        "run = \"git commit -a -v --amend\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("commit = "), "{toml}");
    assert!(toml.contains("edit = \"Makefile\""), "{toml}");
    let several = ProjectFacts {
        several_packages: true,
        ..facts()
    };
    let toml = drafted_with(text, &several);
    assert!(!toml.contains("edit ="), "{toml}");
    assert!(
        toml.contains("run = \"sed -i 's/LATEST=.*/LATEST=v1.2.3/' Makefile\"\n"),
        "{toml}"
    );
}

#[test]
fn a_merge_into_the_current_branch_is_a_switch_and_a_merge_back() {
    let toml = drafted(
        "# Release\n\n```\ngit checkout main\ngit checkout -b release-X.Y.Z\ngit commit -m \"Release X.Y.Z\"\ngit checkout main\ngit merge --ff-only release-X.Y.Z\ngit merge --no-ff -S -m \"Merge\" fix-branch\ngit merge upstream/main\n```\n",
    );
    assert!(
        toml.contains("switch = \"release-{version}\"\n\n# RELEASE.md:8 (same line)\n[[workflow.release.step]]\nmerge = \"main\"\nff-only = true\n"),
        "{toml}"
    );
    // Signed, or a remote's branch: the shell's.
    assert!(
        toml.contains("run = 'git merge --no-ff -S -m \"Merge\" fix-branch'"),
        "{toml}"
    );
    assert!(
        toml.contains("run = \"git merge upstream/main\"\n"),
        "{toml}"
    );
    // Where the steps do not say which branch is checked out, the merge is not guessed.
    let toml = drafted("# Release\n\n```\ngit merge --ff-only release\n```\n");
    assert!(
        toml.contains("run = \"git merge --ff-only release\"\n"),
        "{toml}"
    );
}

#[test]
fn a_pushed_release_branch_is_no_tag_and_names_a_person_works_out_stay_run() {
    let toml = drafted(
        "# Release\n\n```\ngit checkout -b release-x.x.x\ngit push origin release-<major>.<minor>\ngit push origin \"v1.2.3\" \"pkg/api/v1.2.3\"\ngit tag MAJOR.{MINOR+1}.0.dev0\ngit push upstream MAJOR.{MINOR+1}.0.dev0\n```\n",
    );
    for expected in [
        "branch = \"release-{version}\"\n",
        "# RELEASE.md:5: git push origin release-<major>.<minor>\n[[workflow.release.step]]\npush = \"branch\"\n",
        "# RELEASE.md:6: git push origin \"v1.2.3\" \"pkg/api/v1.2.3\"\n[[workflow.release.step]]\npush = \"tag\"\n",
        "run = \"git tag MAJOR.{{MINOR+1}}.0.dev0\"\n",
        "run = \"git push upstream MAJOR.{{MINOR+1}}.0.dev0\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
}

#[test]
fn commands_after_one_another_on_a_line_are_each_read() {
    let toml = drafted(
        "# Release\n\n1. Create a tag and push it: `git tag vX.Y.Z; git push origin tag vX.Y.Z`.\n2. Build:\n\n   ```\n   for f in a b; do make $f; done\n   ```\n",
    );
    let tag = toml.find("tag = \"{tag}\"\n").expect(&toml);
    let push = toml.find("push = \"tag\"\n").expect(&toml);
    assert!(tag < push, "{toml}");
    assert!(!toml.contains(";\""), "{toml}");
    assert!(!toml.contains("push = [\"branch\""), "{toml}");
    assert!(
        toml.contains("run = \"for f in a b; do make $f; done\"\nshell = true\n"),
        "{toml}"
    );
}

#[test]
fn a_message_to_a_slack_webhook_is_a_slack_or_http_step_and_its_url_stays_secret() {
    let toml = drafted(
        "# Release\n\n```\ncurl -X POST -H 'Content-type: application/json' --data '{\"text\":\"Released X.Y.Z\"}' $SLACK_WEBHOOK_URL\ncurl -d '{\"channel\":\"#dev\",\"text\":\"demo X.Y.Z is out\"}' \"${RELEASE_HOOK_SLACK}\"\ncurl --data '{\"text\":\"Released X.Y.Z\"}' https://hooks.slack.com/services/T000/B000/XXXX\n```\n",
    );
    for expected in [
        "http = \"POST {env.SLACK_WEBHOOK_URL}\"\njson = { text = \"Released {version}\" }\n",
        "slack = \"#dev\"\nmessage = \"demo {version} is out\"\nwebhook-env = \"RELEASE_HOOK_SLACK\"\n",
        "# the webhook's URL is a secret: relman reads it from `SLACK_WEBHOOK_URL`, set it there\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("T000/B000"), "{toml}");
    assert!(!toml.contains("run ="), "{toml}");
}

#[test]
fn a_secret_placeholder_before_a_command_is_left_to_the_environment_and_addresses_are_no_commands()
{
    let toml = drafted(
        "# Release\n\n```\nGITHUB_TOKEN=<token> scripts/notes.sh X.Y.Z\nPACKAGECLOUD_TOKEN=\"<token>\" script/packagecloud.rb\nscm:git:file:///tmp/remote/git-repo\n```\n",
    );
    for expected in [
        "run = \"scripts/notes.sh {version}\"\n",
        "run = \"script/packagecloud.rb\"\n",
        "→ the command reads `GITHUB_TOKEN` from the environment relman runs in",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(
        !toml.contains("run = 'PACKAGECLOUD") && !toml.contains("run = \"GITHUB"),
        "{toml}"
    );
    assert_eq!(toml.matches("run =").count(), 2, "{toml}");
}

#[test]
fn building_the_artifacts_with_the_ecosystems_tool_is_a_build_step() {
    let toml = drafted(
        "# Release\n\n```sh\npython3 -m build --no-isolation --outdir wheelhouse\ntwine upload wheelhouse/*\nnpm pack\ngem build acme.gemspec\ncargo package\ncargo package -p acme-core\n```\n",
    );
    for expected in [
        "build = \"python\"\nout = \"wheelhouse\"\nisolation = false\n",
        "publish = \"pypi\"\nfiles = [\"wheelhouse/*\"]\n",
        "build = \"npm\"\n",
        "build = \"gem\"\n",
        "build = \"cargo\"\n",
        // A crate of the workspace named by `-p`: which folder is not known here.
        "run = \"cargo package -p acme-core\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
}

#[test]
fn gem_push_is_a_gem_publish_step() {
    let toml = drafted(
        "# Release\n\n```sh\ngem build acme.gemspec\ngem push acme-X.Y.Z.gem\n```\n\nOr, from Bundler's folder, to our own host:\n\n```sh\ngem push --host https://gems.acme.test pkg/acme-<version>.gem\n```\n",
    );
    for expected in [
        // The gem `build = "gem"` writes: the step's default, named nowhere.
        "# RELEASE.md:5: gem push acme-X.Y.Z.gem\n[[workflow.release.step]]\npublish = \"gem\"\n\n",
        "publish = \"gem\"\nregistry = \"https://gems.acme.test\"\nfiles = [\"pkg/acme-{version}.gem\"]\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
    assert!(!toml.contains("run = \"gem push"), "{toml}");
}

#[test]
fn a_build_whose_manifest_is_not_at_the_top_stays_a_command() {
    let root = tempfile::tempdir().unwrap();
    fs_err::write(root.path().join("package.json"), "{\"name\": \"acme\"}\n").unwrap();
    let facts = ProjectFacts {
        root: Some(root.path().to_owned()),
        ..facts()
    };
    let draft = draft(
        "RELEASE.md",
        "# Release\n\n```sh\npython -m build\nnpm pack\ngem build acme.gemspec\n```\n",
        &facts,
    );
    let toml = draft.workflows_toml();
    for expected in [
        "run = \"python -m build\"\n",
        "build = \"npm\"\n",
        "run = \"gem build acme.gemspec\"\n",
    ] {
        assert!(toml.contains(expected), "{expected}\n---\n{toml}");
    }
}
