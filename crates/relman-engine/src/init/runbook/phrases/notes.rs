//! Recognisers for the notes of a release and the people around it: the changelog edited by
//! hand ("edit `RELEASE-NOTES` to be accurate", "add a heading with the version number and
//! date"), the forge release's form ("use the tag as the release title", "copy the CHANGELOG
//! section to the release notes"), a release branch merged back, an approval waited for, and
//! announcements on a named service.

use super::Item;
use super::patterns::regex;
use crate::init::runbook::actions::{Action, Scope, step};
use crate::init::runbook::text::literal;
use std::sync::LazyLock;

use regex::Regex;

macro_rules! phrase {
    ($name:ident, $pattern:literal) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| regex($pattern));
    };
}

phrase!(
    CHANGELOG_EDIT,
    r"^(?:then |and |also |please )?(?:updat|edit|adjust|amend|fill|finali[sz]|curat|tidy|clean)\w* (?:up |in |out )?(?:the |your )?(?:[\w.-]+/)*(?:changelog|change ?log|news|history|release[- _]?notes|changes)(?:\.[a-z]+)?\b"
);
phrase!(
    BY_HAND,
    r"^(?:then |and |also |please )?(?:edit|adjust|amend|fill|curat|tidy|clean)|\b(?:accurate|reflect|by hand|manually|paste)"
);
phrase!(
    NEW_SECTION,
    r#"^(?:then |and |also )?(?:add|introduce|insert|create|write|prepare|start)\w* (?:a |an |the )?(?:new )?(?:["'*]*[\w-]+(?: [\w-]+)?["'*]* )?(?:heading|section|entry|header|title)\b"#
);
phrase!(
    HEADING_TO_VERSION,
    r"^(?:then |and )?(?:replace|rename|change|turn)\w* (?:the )?(?:first |top |topmost )?[^,;]{0,30}?\b(?:header|heading)\b.*\b(?:version|release|milestone)\b"
);
phrase!(
    EMPTY_SECTIONS,
    r"^(?:then |and )?(?:remove|delete|drop)\w* (?:any |all |the )?empty (?:sections|headings|headers|groups)\b"
);
phrase!(
    ENTRY_ADDED,
    r"\b(?:an |the |a )?(?:entry|section|heading)\b.*\b(?:can|should|must|is to) be (?:added|written) (?:to|in) (?:the )?(?:changelog|change ?log|news|history|changes)(?:\.[a-z]+)?\b"
);
phrase!(
    HEADING_LINKS,
    r"^(?:then |and )?add\w* (?:a |the )?(?:compare )?link(?: url| definition)?s?\b.*\b(?:header|heading)\b"
);
phrase!(
    LISTED_LATEST,
    r"\b(?:edit|mark|set|make)\w* (?:the )?(?:newly (?:made|created) |new )?release(?: tag)?\b.*\blatest\b"
);
phrase!(
    FUTURE_SECTION,
    r#"\b(?:unreleased|upcoming|tbd|head|next release|next version|dev)\b"#
);
phrase!(
    SECTION_CONTEXT,
    r"\b(?:version|release|date|changelog|change log|news|history)\b"
);
phrase!(
    RELEASE_TITLE,
    r"\brelease title\b|\btitle (?:is |to )?(?:set to )?the (?:version|tag)\b"
);
phrase!(
    NOTES_FROM_CHANGELOG,
    r"\b(?:copy|paste|use|insert|add)\w*\b.*\b(?:changelog|change log|news|history|release-notes)\b"
);
phrase!(
    NOTES_CONTEXT,
    r"\brelease notes\b|\brelease description\b|\brelease body\b|\bas the content\b|\bgithub release\b"
);
phrase!(
    ADD_RELEASE,
    r"^(?:then |and |also )?(?:add|create|make|cut)\w* (?:a |the )?(?:new )?(?:github |gitlab )?release\b"
);
phrase!(GENERATE_NOTES, r"\bgenerat\w* (?:the )?release notes\b");
phrase!(
    NEW_BRANCH,
    r"^(?:then |and |also )?(?:create|make|cut|start|check ?out)\w* (?:a )?(?:new )?(?:local )?branch\b"
);
phrase!(
    MERGE_BRANCH,
    r"^(?:then |and )?merge (?:your |the )?release branch\b"
);
phrase!(
    APPROVAL,
    r"\b(?:get|obtain|wait for|await)\w* (?:it |an? |the )?(?:[\w-]+ to )?(?:lgtm|approv\w*|reviewed|review|sign-?off)\b|\bonce approved\b"
);
phrase!(NAMES_PR, r"\bpull request\b|\bpr\b");
phrase!(MERGE_IT, r"^(?:and |then )?merge it\b");
phrase!(
    TAG_REPO,
    r"(?:^|\band |\bthen )tag (?:the )?(?:repo|repository|release commit|latest commit|commit|new version|version)\b"
);
phrase!(FOSSTODON, r"\bfosstodon\b");
phrase!(
    DISCOURSE,
    r"\b(?:discourse|forum)\b.*?(https?://[a-z0-9.-]+)|(https?://(?:discuss|discourse|forum)[a-z0-9.-]*)"
);

/// What relman's changelog step does with a section for the next release.
const KEEPS_UNRELEASED: &str = "relman's `changelog = \"update\"` keeps an unreleased section (`Unreleased`, `TBD`, `HEAD` …) at the top of the file, emptied, above each new release's; it adds none to a file that has none: add it once by hand and every release keeps it";

/// The recognisers of this module, on one clause.
pub(super) fn actions(
    clause: &str,
    offset: usize,
    item: &Item,
    scope: &Scope<'_>,
    found: &mut Vec<(usize, Action)>,
) {
    if super::patterns::EXPLAINING.is_match(clause) {
        return;
    }
    let mut push = |at: usize, action: Action| found.push((offset + at, action));
    let item_plain = item.plain.as_str();
    // The changelog, edited by hand.
    if let Some(at) = CHANGELOG_EDIT.find(clause) {
        let mut changelog = step("changelog", "update");
        if BY_HAND.is_match(clause) {
            changelog.set("edit", true);
        }
        push(at.start(), Action::Step(changelog));
    } else if let Some(at) = HEADING_TO_VERSION
        .find(clause)
        .or_else(|| EMPTY_SECTIONS.find(clause))
        .or_else(|| ENTRY_ADDED.find(clause))
    {
        // "Replace the `Unreleased` header with the version", "remove any empty sections": what
        // the changelog step does to the section it promotes.
        push(at.start(), Action::Step(step("changelog", "update")));
    } else if let Some(at) = HEADING_LINKS.find(clause).filter(|_| scope.has_changelog) {
        push(
            at.start(),
            Action::Amend {
                kind: "changelog",
                value: None,
                set: Vec::new(),
                what: "the changelog step writes the new heading's link definition like the newest release's".to_owned(),
            },
        );
    } else if let Some(at) = NEW_SECTION.find(clause) {
        if FUTURE_SECTION.is_match(clause) && scope.has_changelog {
            push(
                at.start(),
                Action::Amend {
                    kind: "changelog",
                    value: None,
                    set: Vec::new(),
                    what: KEEPS_UNRELEASED.to_owned(),
                },
            );
        } else if FUTURE_SECTION.is_match(clause) {
            push(at.start(), Action::Covered(KEEPS_UNRELEASED.to_owned()));
        } else if SECTION_CONTEXT.is_match(clause) && !clause.contains("release notes") {
            push(at.start(), Action::Step(step("changelog", "update")));
        }
    }
    // The forge release's form.
    if let Some(at) = RELEASE_TITLE.find(clause) {
        let title = if clause[at.start()..].contains("version") {
            "{version}"
        } else {
            "{tag}"
        };
        push(
            at.start(),
            Action::Amend {
                kind: "release",
                value: None,
                set: vec![("name", title.into())],
                what: format!("the release's title is `{title}` (`name`)"),
            },
        );
    }
    if let Some(at) = NOTES_FROM_CHANGELOG.find(clause)
        && NOTES_CONTEXT.is_match(item_plain)
        && !item_plain.contains("updating")
    {
        push(at.start(), release_or_amend(scope, "the release's notes are this version's changelog section (the `release` step's default)".to_owned()));
    }
    if let Some(at) = ADD_RELEASE.find(clause)
        && (item_plain.contains("github") || item_plain.contains("/releases"))
        && !clause[at.end()..].starts_with(" branch")
        && !clause[at.end()..].starts_with(" candidate")
        && !clause.contains("release notes")
    {
        push(at.start(), Action::Step(step("release", "publish")));
    }
    // "Edit the new release so that it is listed as the latest": a published release that is
    // no pre-release is the latest on GitHub.
    if let Some(at) = LISTED_LATEST.find(clause) {
        push(
            at.start(),
            release_or_amend(
                scope,
                "a published release that is no pre-release is the forge's latest".to_owned(),
            ),
        );
    }
    if let Some(at) = GENERATE_NOTES.find(clause)
        && item_plain.contains("github")
    {
        push(
            at.start(),
            Action::Step(step("release", "draft").with("notes", "generate")),
        );
    }
    // Branches and approvals.
    if let Some(at) = NEW_BRANCH.find(clause)
        && (clause.contains("release")
            || clause[at.end()..]
                .trim_end_matches(['.', '!'])
                .trim()
                .is_empty())
        && item.spans.is_empty()
        && scope.last_branch.is_none()
    {
        push(
            at.start(),
            Action::Step(
                step("branch", "release/{version}")
                    .comment("the runbook names no branch: relman named it `release/{version}`"),
            ),
        );
    }
    if let Some(at) = MERGE_BRANCH.find(clause)
        && scope.last_branch.is_some()
        && !scope.last_branch_aside
    {
        let mut merge = step("merge", literal(&scope.facts.branch));
        if item_plain.contains("fast-forward") || item_plain.contains("fast forward") {
            merge.set("ff-only", true);
        }
        push(at.start(), Action::Step(merge));
    }
    if let Some(at) = APPROVAL.find(clause)
        && (scope.last_pull_request.is_some() || NAMES_PR.is_match(item_plain))
    {
        push(at.start(), Action::Step(step("wait", "pr-approved")));
    }
    if let Some(at) = MERGE_IT.find(clause)
        && (scope.last_pull_request.is_some() || item_plain.contains("pull request"))
    {
        push(
            at.start(),
            Action::Step(step("merge-pull-request", "{pr_number}").with("method", "merge")),
        );
    }
    if let Some(at) = TAG_REPO.find(clause) {
        push(at.start(), Action::Step(step("tag", "{tag}")));
    }
    // Announcements on a named service.
    if let Some(at) = FOSSTODON.find(clause) {
        push(
            at.start(),
            Action::Step(
                step("mastodon", "https://fosstodon.org")
                    .with("message", "{project} {version} is released: {release_url}"),
            ),
        );
    }
    if let Some(captures) = DISCOURSE.captures(clause) {
        let url = captures
            .get(1)
            .or_else(|| captures.get(2))
            .map_or("", |m| m.as_str());
        push(
            captures.get(0).map_or(0, |m| m.start()),
            Action::Step(
                step("discourse", url.to_owned())
                    .with("title", "{project} {version} released")
                    .with("message", "{changelog}"),
            ),
        );
    }
}

/// The release step, or what a later line adds to the one the workflow has (`what` says so).
fn release_or_amend(scope: &Scope<'_>, what: String) -> Action {
    if scope.has_release {
        Action::Amend {
            kind: "release",
            value: None,
            set: Vec::new(),
            what,
        }
    } else {
        Action::Step(step("release", "publish"))
    }
}
