//! The journal's JSON is a format: a journal written by an earlier relman is read, and written
//! back, field for field. `before-kinds.json` was written by the relman of before step kinds
//! became one module each; its frozen plan names every kind (see the e2e test
//! `journal_compat`, which resumes it).

use relman_engine::journal::Journal;

const BEFORE_KINDS: &str = include_str!("../data/journal/before-kinds.json");

#[test]
fn a_journal_from_before_the_kinds_refactor_reads_and_writes_back_the_same() {
    let written: serde_json::Value = serde_json::from_str(BEFORE_KINDS).unwrap();
    let journal: Journal = serde_json::from_str(BEFORE_KINDS).unwrap();
    let kinds: Vec<&str> = journal
        .plan
        .steps
        .iter()
        .map(|step| step.kind.key())
        .collect();
    for kind in [
        "check",
        "bump",
        "changelog",
        "checksums",
        "run",
        "commit",
        "tag",
        "push",
        "branch",
        "switch",
        "merge",
        "cherry-pick",
        "release",
        "pull-request",
        "merge-pull-request",
        "dispatch",
        "circleci",
        "wait",
        "verify",
        "http",
        "slack",
        "webhook",
        "email",
        "manual",
    ] {
        assert!(kinds.contains(&kind), "the fixture has no `{kind}` step");
    }
    assert_eq!(serde_json::to_value(&journal).unwrap(), written);
    // Byte for byte too: the journal is written pretty-printed, in field order.
    assert_eq!(
        serde_json::to_string_pretty(&journal).unwrap(),
        BEFORE_KINDS.trim_end()
    );
}
