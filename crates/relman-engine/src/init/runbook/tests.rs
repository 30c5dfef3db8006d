//! Drafting small runbooks: what each kind of line becomes. The five real runbooks are drafted
//! in `tests/it/init.rs`.

use super::{ProjectFacts, draft};
use crate::config::Config;

fn facts() -> ProjectFacts {
    ProjectFacts {
        name: "demo".to_owned(),
        branch: "main".to_owned(),
        remote: "origin".to_owned(),
        tag_format: None,
        repo: Some("acme/demo".to_owned()),
        bump_default: "patch".to_owned(),
        current_released: false,
    }
}

fn drafted(text: &str) -> String {
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
