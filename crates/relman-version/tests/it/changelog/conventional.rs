//! The Conventional Commits parser against the spec's examples and the messages real histories hold.

use std::borrow::Cow;

use relman_version::bump::Impact;
use relman_version::conventional::{Footer, Kind, Separator, fold_impact, parse};

fn footers(message: &str) -> Vec<(String, Separator, String)> {
    parse(message.as_bytes())
        .footers()
        .map(|f| (f.token.to_owned(), f.separator, f.value.into_owned()))
        .collect()
}

#[test]
fn type_scope_and_description() {
    let commit = parse(b"feat(parser): add arrays");
    assert_eq!(commit.kind(), Kind::Conventional);
    assert_eq!(commit.commit_type(), Some("feat"));
    assert_eq!(commit.scope(), Some("parser"));
    assert_eq!(commit.description(), "add arrays");
    assert!(!commit.is_breaking());
    assert_eq!(commit.impact(), Impact::Minor);
    assert_eq!(commit.body(), None);
    assert_eq!(commit.footers().count(), 0);
}

#[test]
fn without_scope() {
    let commit = parse(b"fix: correct minor typos in code");
    assert_eq!(commit.commit_type(), Some("fix"));
    assert_eq!(commit.scope(), None);
    assert_eq!(commit.description(), "correct minor typos in code");
    assert_eq!(commit.impact(), Impact::Patch);
}

#[test]
fn borrows_from_the_message() {
    let message = b"feat(api): add x (#12)\n\nbody text\n\nRefs: #1";
    let commit = parse(message);
    let inside = |text: &str| message.as_ptr_range().contains(&text.as_ptr());
    assert!(inside(commit.subject()));
    assert!(inside(commit.description()));
    assert!(inside(commit.scope().unwrap()));
    assert!(matches!(commit.body(), Some(Cow::Borrowed("body text"))));
    let footer = commit.footers().next().unwrap();
    assert!(matches!(footer.value, Cow::Borrowed("#1")));
}

#[test]
fn bang_marks_a_breaking_change_described_by_the_description() {
    let commit = parse(b"feat(api)!: send an email to the customer when a product is shipped");
    assert!(commit.is_breaking());
    assert_eq!(commit.scope(), Some("api"));
    assert_eq!(
        commit.breaking_description(),
        Some("send an email to the customer when a product is shipped")
    );
    assert_eq!(commit.impact(), Impact::Major);
}

#[test]
fn bang_without_scope() {
    let commit = parse(b"chore!: drop support for Node 6");
    assert!(commit.is_breaking());
    assert_eq!(commit.commit_type(), Some("chore"));
    assert_eq!(commit.impact(), Impact::Major);
}

#[test]
fn breaking_change_footer() {
    let message = "feat: allow provided config object to extend other configs\n\nBREAKING CHANGE: `extends` key in config file is now used for extending other config files\n";
    let commit = parse(message.as_bytes());
    assert!(commit.is_breaking());
    assert_eq!(
        commit.breaking_description(),
        Some("`extends` key in config file is now used for extending other config files")
    );
    assert_eq!(commit.impact(), Impact::Major);
    assert_eq!(commit.body(), None);
}

#[test]
fn breaking_change_hyphen_synonym() {
    let commit = parse(b"fix: x\n\nBREAKING-CHANGE: the y option is gone");
    assert_eq!(commit.breaking_description(), Some("the y option is gone"));
    assert_eq!(commit.impact(), Impact::Major);
}

#[test]
fn bang_and_footer_prefer_the_footer_text() {
    let commit = parse(b"chore!: drop support for Node 6\n\nBREAKING CHANGE: use JavaScript features not available in Node 6.");
    assert_eq!(
        commit.breaking_description(),
        Some("use JavaScript features not available in Node 6.")
    );
}

#[test]
fn breaking_change_must_be_upper_case() {
    let commit = parse(b"fix: x\n\nbreaking change: not really");
    assert!(!commit.is_breaking());
    assert_eq!(commit.impact(), Impact::Patch);
}

#[test]
fn breaking_change_inside_a_sentence_is_not_a_footer() {
    let commit = parse(b"fix: x\n\nThis is not a BREAKING CHANGE: really.");
    assert!(!commit.is_breaking());
    assert_eq!(
        commit.body().as_deref(),
        Some("This is not a BREAKING CHANGE: really.")
    );
}

#[test]
fn breaking_change_right_after_body_text_still_counts() {
    let commit = parse(b"feat: x\n\nSome explanation.\nBREAKING CHANGE: old flag removed");
    assert_eq!(commit.breaking_description(), Some("old flag removed"));
    assert_eq!(commit.body().as_deref(), Some("Some explanation."));
}

#[test]
fn breaking_change_on_a_non_conventional_commit_has_no_impact() {
    let commit = parse(b"Update things\n\nBREAKING CHANGE: something");
    assert_eq!(commit.kind(), Kind::Other);
    assert!(!commit.is_breaking());
    assert_eq!(commit.impact(), Impact::None);
}

#[test]
fn multi_paragraph_body_and_footers() {
    let message = "fix: prevent racing of requests\n\nIntroduce a request id and a reference to latest request. Dismiss\nincoming responses other than from latest request.\n\nRemove timeouts which were used to mitigate the racing issue but are\nobsolete now.\n\nReviewed-by: Z\nRefs: #123\n";
    let commit = parse(message.as_bytes());
    assert_eq!(
        commit.body().as_deref(),
        Some(
            "Introduce a request id and a reference to latest request. Dismiss\nincoming responses other than from latest request.\n\nRemove timeouts which were used to mitigate the racing issue but are\nobsolete now."
        )
    );
    assert_eq!(
        footers(message),
        [
            ("Reviewed-by".into(), Separator::Colon, "Z".into()),
            ("Refs".into(), Separator::Colon, "#123".into()),
        ]
    );
}

#[test]
fn hash_separator_footers() {
    assert_eq!(
        footers("fix: x\n\nCloses #12\nFixes #3"),
        [
            ("Closes".into(), Separator::Hash, "12".into()),
            ("Fixes".into(), Separator::Hash, "3".into()),
        ]
    );
}

#[test]
fn multi_line_footer_values_run_until_the_next_token() {
    let message = "feat: new config\n\nBREAKING CHANGE: the config format changed.\n\nMigrate by running `relman migrate`,\nthen commit the result.\nReviewed-by: Z\n";
    let commit = parse(message.as_bytes());
    assert_eq!(
        commit.breaking_description(),
        Some(
            "the config format changed.\n\nMigrate by running `relman migrate`,\nthen commit the result."
        )
    );
    assert_eq!(footers(message).len(), 2);
    assert_eq!(footers(message)[1].2, "Z");
}

#[test]
fn footer_value_on_the_following_lines() {
    let commit = parse(b"feat: x\n\nBREAKING CHANGE:\n  the API moved");
    assert_eq!(commit.breaking_description(), Some("the API moved"));
}

#[test]
fn body_paragraph_with_a_colon_later_is_not_a_footer() {
    let message =
        "fix: x\n\nWhen the cache is cold: reload it.\n\nSigned-off-by: A <a@example.com>";
    let commit = parse(message.as_bytes());
    assert_eq!(
        commit.body().as_deref(),
        Some("When the cache is cold: reload it.")
    );
    assert_eq!(footers(message)[0].0, "Signed-off-by");
}

#[test]
fn urls_do_not_start_footers() {
    let commit = parse(b"docs: x\n\nhttps://example.com/page explains it");
    assert_eq!(
        commit.body().as_deref(),
        Some("https://example.com/page explains it")
    );
    assert_eq!(commit.footers().count(), 0);
}

#[test]
fn body_without_the_blank_line_after_the_subject() {
    let commit = parse(b"fix: x\nthe body");
    assert_eq!(commit.description(), "x");
    assert_eq!(commit.body().as_deref(), Some("the body"));
}

#[test]
fn footer_helper_knows_breaking_tokens() {
    let commit = parse(b"feat: x\n\nBREAKING-CHANGE: y\nAcked-by: z");
    let found: Vec<bool> = commit
        .footers()
        .map(|f: Footer<'_>| f.is_breaking_change())
        .collect();
    assert_eq!(found, [true, false]);
}

#[test]
fn types_are_case_insensitive() {
    for message in ["FEAT: x", "Feat: x", "feat: x"] {
        let commit = parse(message.as_bytes());
        assert!(commit.is_type("feat"), "{message}");
        assert_eq!(commit.impact(), Impact::Minor, "{message}");
    }
    assert_eq!(parse(b"Fix(Core): y").commit_type(), Some("Fix"));
    assert_eq!(parse(b"PERF: y").impact(), Impact::Patch);
}

#[test]
fn impact_of_each_type() {
    let cases = [
        ("feat: a", Impact::Minor),
        ("fix: a", Impact::Patch),
        ("perf: a", Impact::Patch),
        ("docs: a", Impact::None),
        ("chore(deps): a", Impact::None),
        ("refactor!: a", Impact::Major),
        ("revert: feat: a", Impact::None),
        ("Revert \"feat: a\"", Impact::None),
        ("Merge branch 'x'", Impact::None),
        ("whatever", Impact::None),
    ];
    for (message, impact) in cases {
        assert_eq!(parse(message.as_bytes()).impact(), impact, "{message}");
    }
}

#[test]
fn folding_impacts() {
    let messages = ["docs: a", "fix: b", "feat: c", "chore: d"];
    let commits: Vec<_> = messages.iter().map(|m| parse(m.as_bytes())).collect();
    assert_eq!(fold_impact(&commits), Impact::Minor);
    assert_eq!(fold_impact(&commits[..2]), Impact::Patch);
    assert_eq!(fold_impact(&commits[..1]), Impact::None);
    assert_eq!(fold_impact(&[]), Impact::None);
    let breaking = [parse(b"fix: a"), parse(b"feat!: b"), parse(b"feat: c")];
    assert_eq!(fold_impact(&breaking), Impact::Major);
}

#[test]
fn not_conventional_is_other() {
    for message in [
        "Update README",
        "feat:missing space",
        "feat : space before colon",
        "feat(scope: unclosed",
        "feat (scope): space before scope",
        ": no type",
        "feat: ",
        "fixup! feat: x",
        "wip",
        "",
        "https://example.com",
    ] {
        let commit = parse(message.as_bytes());
        assert_eq!(commit.kind(), Kind::Other, "{message:?}");
        assert_eq!(commit.commit_type(), None, "{message:?}");
        assert_eq!(commit.impact(), Impact::None, "{message:?}");
    }
    assert_eq!(parse(b"Update README").description(), "Update README");
}

#[test]
fn empty_scope_is_no_scope_and_scope_is_trimmed() {
    assert_eq!(parse(b"fix(): x").scope(), None);
    assert_eq!(parse(b"fix( core ): x").scope(), Some("core"));
    assert_eq!(parse(b"fix(a,b): x").scope(), Some("a,b"));
}

#[test]
fn pull_request_suffix() {
    let commit = parse(b"feat(ui): dark mode (#123)");
    assert_eq!(commit.pr_number(), Some(123));
    assert_eq!(commit.description(), "dark mode");
    assert_eq!(commit.subject(), "feat(ui): dark mode (#123)");

    let other = parse(b"Bump lodash from 4.17.20 to 4.17.21 (#77)");
    assert_eq!(other.pr_number(), Some(77));
    assert_eq!(other.description(), "Bump lodash from 4.17.20 to 4.17.21");

    assert_eq!(parse(b"fix: issue (#12) in the middle").pr_number(), None);
    assert_eq!(parse(b"fix: not a number (#x)").pr_number(), None);
    assert_eq!(parse(b"fix: x (#)").pr_number(), None);
    assert_eq!(parse(b"fix: spaced   (#9)  ").description(), "spaced");
    assert_eq!(parse(b"(#5)").pr_number(), None);
}

#[test]
fn merge_commits() {
    let commit = parse(b"Merge pull request #12 from octo/feature\n\nfeat: the feature");
    assert_eq!(commit.kind(), Kind::Merge);
    assert!(commit.is_merge());
    assert_eq!(commit.pr_number(), Some(12));
    assert_eq!(commit.impact(), Impact::None);
    for message in [
        "Merge branch 'main' into feature",
        "Merge remote-tracking branch 'origin/main'",
        "Merge tag 'v1.2.0'",
        "Merge commit 'abc123'",
        "Merged in feature/x (pull request #4)",
    ] {
        assert_eq!(parse(message.as_bytes()).kind(), Kind::Merge, "{message}");
    }
    assert_eq!(parse(b"Merge sort implementation").kind(), Kind::Other);
}

#[test]
fn git_reverts() {
    let message = "Revert \"feat(api): add x\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n";
    let commit = parse(message.as_bytes());
    assert_eq!(commit.kind(), Kind::Revert);
    assert!(commit.is_revert());
    assert_eq!(commit.description(), "feat(api): add x");
    assert_eq!(
        commit.reverted_commit(),
        Some("0123456789abcdef0123456789abcdef01234567")
    );
    assert_eq!(commit.impact(), Impact::None);

    let squashed = parse(b"Revert \"feat: add x (#12)\" (#13)");
    assert_eq!(squashed.kind(), Kind::Revert);
    assert_eq!(squashed.pr_number(), Some(13));
    assert_eq!(squashed.description(), "feat: add x (#12)");

    assert_eq!(parse(b"Revert \"\"").kind(), Kind::Other);
}

#[test]
fn revert_type() {
    let commit =
        parse(b"revert: let us never again speak of the noodle incident\n\nRefs: 676104e, a215868");
    assert_eq!(commit.kind(), Kind::Conventional);
    assert!(commit.is_revert());
    assert_eq!(commit.commit_type(), Some("revert"));
    assert_eq!(
        footers("revert: x\n\nRefs: 676104e, a215868")[0].2,
        "676104e, a215868"
    );
}

#[test]
fn crlf_messages() {
    let message = "feat(api): x (#4)\r\n\r\nfirst line\r\nsecond line\r\n\r\nBREAKING CHANGE: a\r\n  b\r\nRefs: #1\r\n";
    let commit = parse(message.as_bytes());
    assert_eq!(commit.description(), "x");
    assert_eq!(commit.pr_number(), Some(4));
    assert_eq!(commit.body().as_deref(), Some("first line\nsecond line"));
    assert_eq!(commit.breaking_description(), Some("a\n  b"));
    assert_eq!(
        footers(message)[1],
        ("Refs".into(), Separator::Colon, "#1".into())
    );
}

#[test]
fn leading_blank_lines_and_trailing_whitespace() {
    let commit = parse(b"\n\n  \nfix(core):   trailing spaces   \t\n\n\nbody   \n\n\n");
    assert_eq!(commit.scope(), Some("core"));
    assert_eq!(commit.description(), "trailing spaces");
    assert_eq!(commit.body().as_deref(), Some("body"));
}

#[test]
fn non_utf8_bytes_are_decoded_lossily() {
    let commit = parse(b"feat(\xffscope): caf\xe9 (#3)\n\nbody \xfe\n\nBREAKING CHANGE: gone \xff");
    assert_eq!(commit.commit_type(), Some("feat"));
    assert_eq!(commit.scope(), Some("\u{fffd}scope"));
    assert_eq!(commit.description(), "caf\u{fffd}");
    assert_eq!(commit.pr_number(), Some(3));
    assert_eq!(commit.body().as_deref(), Some("body \u{fffd}"));
    assert_eq!(commit.breaking_description(), Some("gone \u{fffd}"));
}

#[test]
fn unicode_text_is_borrowed_intact() {
    let commit = parse("feat(ü): ajoute l’été 🎉 (#8)".as_bytes());
    assert_eq!(commit.scope(), Some("ü"));
    assert_eq!(commit.description(), "ajoute l’été 🎉");
}

#[test]
fn other_commits_keep_their_body_and_footers() {
    let message = "Update README\n\nSome text.\n\nSigned-off-by: A";
    let commit = parse(message.as_bytes());
    assert_eq!(commit.body().as_deref(), Some("Some text."));
    assert_eq!(footers(message)[0].2, "A");
}

#[test]
fn only_footers_after_the_subject() {
    let commit = parse(b"fix: x\n\nCo-authored-by: B <b@example.com>");
    assert_eq!(commit.body(), None);
    assert_eq!(commit.footers().next().unwrap().value, "B <b@example.com>");
}

#[test]
fn huge_pull_request_numbers_are_ignored() {
    let commit = parse(b"fix: x (#99999999999999999999999)");
    assert_eq!(commit.pr_number(), None);
    assert_eq!(commit.description(), "x (#99999999999999999999999)");
}
