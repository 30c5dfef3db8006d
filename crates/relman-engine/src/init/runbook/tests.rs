//! Drafting small runbooks: what each kind of line becomes, and how a runbook is read (blocks,
//! lists, placeholders, descriptions). Prose that asks for git and forge steps is tested in
//! `tests_forge`, commands in `tests_commands`, prose between code blocks in `tests_prose`.
//! The five real runbooks are drafted in `tests/it/init.rs`.

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
        versions: Vec::new(),
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

pub(super) fn released() -> ProjectFacts {
    ProjectFacts {
        current_released: true,
        ..facts()
    }
}

pub(super) fn drafted_with(text: &str, facts: &ProjectFacts) -> String {
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

/// The step whose kind line is `kind_line`, with the comments above it: the citations.
pub(super) fn step_of<'t>(toml: &'t str, kind_line: &str) -> &'t str {
    let end = toml
        .find(kind_line)
        .unwrap_or_else(|| panic!("no `{kind_line}`: {toml}"));
    let start = toml[..end].rfind("\n\n").map_or(0, |at| at + 2);
    &toml[start..end + kind_line.len()]
}

#[test]
fn a_heading_written_as_an_instruction_is_its_step_and_a_topic_heading_is_not() {
    let toml = drafted(
        "# Release\n\n## Set the new version in the `VERSION` file.\n\nAdd a suffix for a pre-release.\n\n\
         ## Tag the release\n\nRun `./scripts/sign.sh`.\n",
    );
    let bump = step_of(&toml, "bump = \"{args.bump}\"");
    assert!(bump.contains("RELEASE.md:3:"), "{toml}");
    assert!(!toml.contains("tag = "), "{toml}");
}

#[test]
fn a_version_bump_named_as_a_noun_after_a_role_is_the_dev_bump() {
    let toml = drafted(
        "# Release\n\n1. Bump the version.\n2. Create a GitHub release.\n\
         3. [maint] Immediately perform the version bump for the next release.\n",
    );
    assert!(toml.contains("bump = \"dev\"\n"), "{toml}");
}

#[test]
fn a_section_of_one_time_setup_is_notes_not_steps() {
    let toml = drafted(
        "# Release\n\n## Prerequisites\n\n1. Install `gh` and run `gh auth login`.\n2. Generate a GPG key.\n\n\
         ```\npip install twine\n```\n\n## Steps\n\n1. Run `gh auth login`.\n2. Tag the release.\n",
    );
    let check = step_of(&toml, "check = \"credentials\"");
    assert!(check.contains("RELEASE.md:14:"), "{toml}");
    assert!(
        toml.contains("# RELEASE.md:5: (one-time setup) Install `gh` and run `gh auth login`."),
        "{toml}"
    );
    assert!(!toml.contains("manual ="), "{toml}");
    assert!(!toml.contains("run ="), "{toml}");
}

#[test]
fn people_with_handles_paths_alone_and_duties_are_no_tasks() {
    let toml = drafted(
        "# Release\n\nThe release team:\n\n- Ada Lovelace [@ada](https://github.com/ada)\n- Grace Hopper (@grace)\n\n\
         Set the version in these files:\n\n- `include/demo/version.h`\n- package.json\n\n\
         The release manager is responsible for:\n\n1. Deciding when to release.\n\n- Tag the release\n\
         - `./scripts/upload.sh`\n",
    );
    assert!(toml.contains("run = \"./scripts/upload.sh\""), "{toml}");
    for text in ["Ada", "Grace", "include/demo", "package.json", "Deciding"] {
        assert!(
            !toml.contains(&format!("manual = \"{text}")),
            "{text}: {toml}"
        );
    }
    assert!(toml.contains("tag = \"{tag}\""), "{toml}");
}

#[test]
fn prerequisites_that_are_a_releases_preconditions_stay_steps() {
    let toml = drafted(
        "# Release\n\n## Prerequisites\n\n- Confirm that the version has been changed\n\
         - Confirm that the changelog has an entry for the version\n\n## Tag\n\n1. Tag the release.\n",
    );
    for expected in [
        "check = \"version-bumped\"",
        "check = \"changelog-entry\"",
        "tag = \"{tag}\"",
    ] {
        assert!(toml.contains(expected), "{expected}: {toml}");
    }
}
