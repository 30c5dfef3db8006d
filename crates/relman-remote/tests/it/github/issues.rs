//! Milestones and labelled issues: what `milestone-closed` and `no-open-issues` read.

use super::setup;

#[test]
fn a_milestone_is_found_by_title_with_its_open_items() {
    let s = setup();
    for minor in 0..5 {
        s.fake
            .add_milestone("octo/app", &format!("1.{minor}"), minor != 4);
    }
    s.fake.add_issue(
        "octo/app",
        "crash on start",
        &["bug"],
        Some("1.4"),
        true,
        false,
    );
    s.fake
        .add_issue("octo/app", "docs", &[], Some("1.4"), false, false);
    let milestone = s
        .github
        .milestone_by_title(&s.repo, "1.4")
        .unwrap()
        .unwrap();
    assert_eq!(milestone.state, "closed");
    assert_eq!((milestone.open_issues, milestone.closed_issues), (1, 1));
    let open = s
        .github
        .open_issues_in_milestone(&s.repo, milestone.number)
        .unwrap();
    assert_eq!(
        open.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(),
        ["crash on start"]
    );
    assert_eq!(s.github.milestone_by_title(&s.repo, "9.9").unwrap(), None);
}

#[test]
fn open_issues_and_pull_requests_with_a_label() {
    let s = setup();
    s.fake.add_issue(
        "octo/app",
        "blocker one",
        &["release blocker"],
        None,
        true,
        false,
    );
    s.fake.add_issue(
        "octo/app",
        "blocker pr",
        &["release blocker", "bug"],
        None,
        true,
        true,
    );
    s.fake.add_issue(
        "octo/app",
        "fixed blocker",
        &["release blocker"],
        None,
        false,
        false,
    );
    s.fake
        .add_issue("octo/app", "other", &["bug"], None, true, false);
    for index in 0..4 {
        s.fake.add_issue(
            "octo/app",
            &format!("more {index}"),
            &["release blocker"],
            None,
            true,
            false,
        );
    }
    let open = s
        .github
        .open_issues_with_label(&s.repo, "release blocker")
        .unwrap();
    assert_eq!(open.len(), 6);
    assert_eq!(open.iter().filter(|i| i.is_pull_request()).count(), 1);
    let repository = s.github.repository(&s.repo).unwrap();
    assert_eq!(repository.full_name, "octo/app");
    assert_eq!(repository.default_branch, "main");
}
