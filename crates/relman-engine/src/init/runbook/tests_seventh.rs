//! Drafting small runbooks, seventh round: general readings of what a line is (a list that
//! describes, a description of automation) rather than phrases. The runbooks here are made up.

use super::tests::drafted;

/// How many steps a draft holds.
fn step_count(toml: &str) -> usize {
    toml.matches("[[workflow.").count()
}

#[test]
fn a_list_a_description_introduces_is_no_task_and_a_list_of_tasks_stays() {
    for intro in [
        "A finished release of the widget results in:",
        "This includes, among other things:",
        "The scripts assume the following folders exist:",
        "We ship three archives per release. They are:",
        "Each nightly bundle contains:",
    ] {
        let toml = drafted(&format!(
            "# Release\n\n1. Tag the release.\n\n{intro}\n\n- A signed archive on the mirror\n- Packages uploaded for every platform\n"
        ));
        assert_eq!(step_count(&toml), 1, "{intro}\n{toml}");
    }
    for intro in [
        "On the morning of the release:",
        "There are two small steps for this:",
        "These files will need editing:",
        "To publish the widget:",
        "After that, when the mirrors have it:",
    ] {
        let toml = drafted(&format!(
            "# Release\n\n1. Tag the release.\n\n{intro}\n\n- Announce the release on the forum\n- Update the download page\n"
        ));
        assert_eq!(step_count(&toml), 3, "{intro}\n{toml}");
    }
}

#[test]
fn a_container_registry_named_is_where_the_image_is_checked() {
    for (line, host) in [
        (
            "Check that the image has been published on Quay.io.",
            "quay.io",
        ),
        ("Verify the new image is listed on ghcr.io.", "ghcr.io"),
        (
            "Make sure the container image is on Docker Hub.",
            "docker.io",
        ),
    ] {
        let toml = drafted(&format!("# Release\n\n1. Tag the release.\n2. {line}\n"));
        assert!(toml.contains("verify = \"oci\"\n"), "{line}\n{toml}");
        assert!(
            toml.contains(&format!("image = \"{host}/")),
            "{line}\n{toml}"
        );
    }
}

#[test]
fn commands_an_item_joins_with_line_breaks_are_cited_on_their_own_lines() {
    let toml = drafted(
        "# Release\n\n1. Bring the release branch into `trunk`:<br>\n   `git checkout trunk`<br>\n   `git pull`<br>\n   `git push`\n",
    );
    // The first command belongs to the item's line, the others to theirs.
    assert!(
        toml.contains("# RELEASE.md:3: Bring the release branch"),
        "{toml}"
    );
    assert!(
        toml.contains("# RELEASE.md:5: `git pull`\n[[workflow.release.step]]\n"),
        "{toml}"
    );
    assert!(
        toml.contains("# RELEASE.md:6: `git push`\n[[workflow.release.step]]\npush"),
        "{toml}"
    );
}

#[test]
fn a_code_block_an_example_introduces_is_no_step() {
    for intro in [
        "Example:",
        "For example,",
        "Example command to list the archives:",
    ] {
        let toml = drafted(&format!(
            "# Release\n\n1. Tag the release.\n\n{intro}\n\n```sh\n./scripts/cut.sh 2.0.0 origin\n```\n"
        ));
        assert_eq!(step_count(&toml), 1, "{intro}\n{toml}");
        assert!(toml.contains("(example) ./scripts/cut.sh"), "{toml}");
    }
    // A line that mentions examples, or whose example is the only place the commands are
    // given, still introduces its commands.
    for intro in [
        "Run the script (see the examples below):",
        "For example, release 2.0.0 is cut with:",
    ] {
        let toml = drafted(&format!(
            "# Release\n\n1. Tag the release.\n\n{intro}\n\n```sh\n./scripts/cut.sh 2.0.0 origin\n```\n"
        ));
        assert_eq!(step_count(&toml), 2, "{intro}\n{toml}");
    }
}
