//! Drafting small runbooks, fourth round: prose that sits between code blocks and still asks
//! for typed steps (approvals, waits, bumps, changelog headings, commit messages).

use super::tests::drafted;

/// The kinds of the drafted steps, in order, each with the runbook lines its comments cite.
fn steps(toml: &str) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    let mut cites = Vec::new();
    let mut lines = toml.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("# RELEASE.md:") {
            let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
            cites.extend(number.parse::<usize>());
        } else if line.starts_with("[[workflow.") {
            let kind = lines
                .peek()
                .and_then(|next| next.split(" = ").next())
                .unwrap_or_default()
                .to_owned();
            out.push((kind, std::mem::take(&mut cites)));
        } else if !line.starts_with('#') {
            cites.clear();
        }
    }
    out
}

fn kinds(toml: &str) -> Vec<String> {
    steps(toml).into_iter().map(|(kind, _)| kind).collect()
}

#[test]
fn prose_that_asks_for_steps_before_a_code_block_is_drafted_as_them() {
    let toml = drafted(
        "## Prepare\n\nRaise the version in the `VERSION` file.\n\nSome generated files need refreshing with this target:\n\n```\nmake regen\n```\n\nTag the release with:\n\n```\ngit tag v1.0.0\n```\n\nOpen the PR:\n\n```\nopenPr\n```\n",
    );
    let steps = steps(&toml);
    // The bump is its own step, before the command; the lines that introduce a command (even
    // one naming a step, like "Open the PR:" over a script) stay its introduction.
    assert_eq!(steps[0], ("bump".to_owned(), vec![3]), "{toml}");
    assert_eq!(steps[1], ("run".to_owned(), vec![5, 8]), "{toml}");
    assert_eq!(steps[2], ("tag".to_owned(), vec![11, 14]), "{toml}");
    assert_eq!(steps[3], ("run".to_owned(), vec![17, 20]), "{toml}");
    assert_eq!(steps.len(), 4, "{toml}");
}

#[test]
fn approvals_waits_and_merges_of_a_pull_request_a_command_opened() {
    let toml = drafted(
        "```\nopenPr\n```\n\nReview the fresh PR, then get a maintainer to LGTM it. Wait for CI to go green.\n\nOnce the PR merges, switch back to main and smoke test:\n\n```\nsmokeTest\n```\n\nWhile you're waiting for the tests, read the log:\n\n```\nshowLog\n```\n",
    );
    assert_eq!(
        kinds(&toml),
        ["run", "wait", "wait", "wait", "run", "run"],
        "{toml}"
    );
    assert!(
        toml.contains("wait = \"pr-approved\"\n") && toml.contains("wait = \"pr-merged\"\n"),
        "{toml}"
    );
    // One wait for the checks: "while you're waiting for the tests" is a circumstance.
    assert_eq!(toml.matches("wait = \"checks\"").count(), 1, "{toml}");
    assert!(
        toml.contains("# no step opens this pull request (a command does): set `pr` to its number"),
        "{toml}"
    );
}

#[test]
fn an_undrafted_release_a_succeeding_ci_workflow_and_a_branch_sent_to_ci() {
    let toml = drafted(
        "1. Undraft the release on the releases page.\n2. Confirm that the CI workflow job succeeds.\n3. Send it to CI and if it passes, merge.\n",
    );
    assert_eq!(kinds(&toml), ["release", "wait", "push", "wait"], "{toml}");
    assert!(toml.contains("release = \"publish\"\n"), "{toml}");
    assert!(toml.contains("push = \"branch\"\n"), "{toml}");
}

#[test]
fn a_changelog_heading_turned_into_the_version_and_empty_sections_dropped_are_the_changelog_step() {
    let toml = drafted(
        "1. Rename the `## Unreleased` heading to the version number.\n2. Drop any empty sections of this release.\n\nWith the versions in place, a section for the release should be added to `HISTORY.md`.\n",
    );
    assert_eq!(
        steps(&toml),
        [("changelog".to_owned(), vec![1, 2, 4])],
        "{toml}"
    );
}

#[test]
fn a_commit_message_in_the_block_after_the_line_is_the_commits() {
    let toml = drafted(
        "Commit with a message like:\n\n```text\ndeps: refresh vendored code for X.Y.Z\n```\n",
    );
    assert!(
        toml.contains("commit = \"deps: refresh vendored code for {version}\"\n"),
        "{toml}"
    );
    assert_eq!(kinds(&toml), ["commit"], "{toml}");
}

#[test]
fn choosing_the_version_is_what_the_bump_argument_decides() {
    let toml = drafted(
        "1. Decide the release's version number\n   - we use calendar versions\n2. Raise the version in `VERSION`\n",
    );
    let steps = steps(&toml);
    assert_eq!(steps, [("bump".to_owned(), vec![1, 2, 3])], "{toml}");
    assert!(
        toml.contains("→ the `bump` argument (a level or a version) decides the version"),
        "{toml}"
    );
    assert!(
        toml.contains("# RELEASE.md:2: we use calendar versions\n"),
        "{toml}"
    );
    assert!(!toml.contains("manual"), "{toml}");
}

#[test]
fn a_cherry_pick_spelt_as_two_words_and_a_new_branch_with_no_name() {
    let toml = drafted("Check out a new branch.\n\nCherry pick the fixes from main.\n");
    assert!(toml.contains("branch = \"release/{version}\"\n"), "{toml}");
    assert!(
        toml.contains("cherry-pick = \"{args.commits}\"\n"),
        "{toml}"
    );
    assert_eq!(kinds(&toml), ["branch", "cherry-pick"], "{toml}");
}

#[test]
fn the_changelog_is_written_after_the_command_that_prints_its_notes() {
    let toml = drafted(
        "Raise the version in `VERSION` and update `CHANGELOG.md`.\n\nPrint a first draft of the notes:\n\n```\nscripts/notes.sh\n```\n\nReview the output before adding it to the changelog.\n",
    );
    assert_eq!(kinds(&toml), ["bump", "run", "changelog"], "{toml}");
    assert!(
        toml.contains("changelog = \"update\"\nedit = true\n"),
        "{toml}"
    );
}

#[test]
fn the_next_unreleased_section_and_the_headings_link_fold_into_the_changelog_step() {
    let toml = drafted(
        "1. Update `CHANGES.md`:\n   1. Turn the `Unreleased` heading into the new version.\n   2. Add the compare link so the new heading links.\n   3. Add a fresh `Unreleased` section above it.\n",
    );
    // One changelog step citing all four lines, and no bump: the heading is the changelog's.
    assert_eq!(
        steps(&toml),
        [("changelog".to_owned(), vec![1, 2, 3, 4])],
        "{toml}"
    );
    assert!(
        toml.contains("→ the changelog step writes the new heading's link definition"),
        "{toml}"
    );
}

#[test]
fn a_release_made_the_latest_is_the_release_step() {
    let toml = drafted("- Mark the new release so that GitHub lists it as the latest one.\n");
    assert_eq!(kinds(&toml), ["release"], "{toml}");
    assert!(toml.contains("release = \"publish\"\n"), "{toml}");
    let toml = drafted(
        "1. Publish the GitHub release.\n2. Mark the new release so that GitHub lists it as the latest one.\n",
    );
    assert_eq!(steps(&toml), [("release".to_owned(), vec![1, 2])], "{toml}");
}

#[test]
fn a_linked_actions_workflow_to_start_is_a_dispatch() {
    let toml = drafted(
        "1. Trigger the [publishing workflow](https://github.com/acme/demo/actions/workflows/publish.yml) by hand.\n2. Run the [docs workflow](https://github.com/acme/site/actions/workflows/docs.yaml).\n3. Read the [workflow docs](https://github.com/acme/demo/actions/workflows/publish.yml).\n",
    );
    assert!(toml.contains("dispatch = \"publish.yml\"\n\n"), "{toml}");
    assert!(
        toml.contains("dispatch = \"docs.yaml\"\nrepo = \"acme/site\"\n"),
        "{toml}"
    );
    assert_eq!(kinds(&toml), ["dispatch", "dispatch", "manual"], "{toml}");
}

#[test]
fn a_pull_requests_branch_merged_into_its_base_is_its_merge_and_the_base_is_a_branch() {
    let toml = drafted(
        "1. Create a new branch for this release.\n2. Push it and open a PR against the `main` branch and wait for the checks to complete.\n3. After that, merge the `release/X.Y.Z` branch into `main`.\n",
    );
    assert!(
        toml.contains("base = \"main\"\ntitle = \"Release {version}\"\n"),
        "{toml}"
    );
    assert!(
        toml.contains("merge-pull-request = \"{steps.pr.number}\"\n"),
        "{toml}"
    );
    // Without a pull request it is no merge of one.
    let toml = drafted("1. Merge the `release/X.Y.Z` branch into `main`.\n");
    assert!(!toml.contains("merge-pull-request"), "{toml}");
}

#[test]
fn a_list_after_the_order_entries_are_meant_to_be_in_is_no_tasks() {
    let toml = drafted(
        "Notes in `CHANGES.md` are meant to be in this order:\n\n* `[SECURITY]`\n* `[FIX]`\n\n1. Tag the repo.\n",
    );
    assert_eq!(kinds(&toml), ["tag"], "{toml}");
    assert!(toml.contains("# RELEASE.md:4: `[FIX]`\n"), "{toml}");
}
