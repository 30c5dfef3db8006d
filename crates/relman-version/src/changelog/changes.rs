//! What changed in a release, for projects that do not write Conventional Commits: one entry per
//! change, the way a maintainer would list them.
//!
//! - A merged pull request is one entry with its title (the merge commit's first body line, as
//!   GitHub writes it: `Merge pull request #12 from o/branch` then the title); the commits of its
//!   branch are not listed again. A squashed pull request is its commit, whose `(#12)` suffix
//!   links to it.
//! - Dependency updates (by Dependabot, Renovate and their kin, or subjects such as `Bump x from
//!   1.0 to 1.1`) are kept apart, so the changes people made come first.
//! - Merges without a title (`Merge branch 'x'`) and git's own reverts of nothing are left out;
//!   the commits they merged are listed.
//!
//! The same walk counts how many commits are conventional, with the real type list
//! ([`STANDARD_TYPES`] and the project's own): a subject like `doc: …` or `ignore: …` is not.
//! [`ChangeList::is_conventional`] decides which notes a release gets.

use std::collections::HashSet;

use crate::conventional::{Commit, Kind};

/// The Conventional Commits types in common use (the specification's and Angular's).
pub const STANDARD_TYPES: &[&str] = &[
    "feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore", "revert",
];

/// Whether `commit` is conventional with a type from [`STANDARD_TYPES`] or `extra`.
pub fn is_conventional(commit: &Commit<'_>, extra: &[String]) -> bool {
    commit.kind() == Kind::Conventional
        && (STANDARD_TYPES.iter().any(|name| commit.is_type(name))
            || extra.iter().any(|name| commit.is_type(name)))
}

/// Bots whose commits update dependencies.
const DEPENDENCY_BOTS: &[&str] = &[
    "dependabot",
    "renovate",
    "greenkeeper",
    "pyup",
    "snyk",
    "depfu",
    "pre-commit-ci",
];

/// Whether a commit updates dependencies: made by a dependency bot, or saying so in its subject.
/// Allocates nothing: it runs on every commit of a history walk.
pub fn is_dependency_update(author: &str, commit: &Commit<'_>) -> bool {
    if DEPENDENCY_BOTS
        .iter()
        .any(|bot| contains_ignore_case(author, bot))
    {
        return true;
    }
    if matches!(commit.scope(), Some(scope) if scope.eq_ignore_ascii_case("deps") || scope.eq_ignore_ascii_case("deps-dev"))
    {
        return true;
    }
    let subject = commit.description();
    (starts_with_ignore_case(subject, "bump ")
        && contains_ignore_case(subject, " from ")
        && contains_ignore_case(subject, " to "))
        || starts_with_ignore_case(subject, "update dependency ")
        || starts_with_ignore_case(subject, "[pre-commit.ci]")
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    sha: Span,
    title: Span,
    pr_number: Option<u64>,
    dependency: bool,
}

/// One change, viewed from its [`ChangeList`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change<'n> {
    pub sha: &'n str,
    /// The commit's subject or the pull request's title, without a `(#12)` suffix.
    pub title: &'n str,
    pub pr_number: Option<u64>,
    pub dependency: bool,
}

/// The changes of one release, in the order of the history walk (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeList {
    text: String,
    entries: Vec<Stored>,
    /// Commits a person wrote (no merge).
    commits: usize,
    /// Of those, the conventional ones.
    conventional: usize,
    /// Commits on the branches of titled merges, not listed again.
    inside: HashSet<String>,
    /// The next commit of the first-parent line from the walk's start (a buffer reused from
    /// commit to commit); empty when the line ended.
    mainline: String,
    started: bool,
}

impl ChangeList {
    /// Adds a commit as the walk meets it (newest first). `parents` are its parents in order.
    pub fn push<'p>(
        &mut self,
        sha: &str,
        mut parents: impl Iterator<Item = &'p str>,
        author: &str,
        commit: &Commit<'_>,
        extra_types: &[String],
    ) {
        let first_parent = parents.next();
        // Merge parents: no allocation for the usual commit, which has none.
        let merged: Vec<&str> = parents.collect();
        let on_mainline = !self.started || (!self.mainline.is_empty() && self.mainline == sha);
        self.started = true;
        if on_mainline {
            self.mainline.clear();
            self.mainline.push_str(first_parent.unwrap_or_default());
        }
        let inside = !on_mainline && !self.inside.is_empty() && self.inside.remove(sha);
        if inside {
            // Its parents are on the same branch, up to where it forked.
            self.inside.extend(first_parent.map(str::to_owned));
            self.inside
                .extend(merged.iter().map(|&parent| parent.to_owned()));
        }
        match commit.kind() {
            Kind::Merge => {
                let title = commit.body().and_then(|body| {
                    body.lines()
                        .map(str::trim)
                        .find(|line| !line.is_empty())
                        .map(str::to_owned)
                });
                if let Some(title) = title {
                    // The branch it merged is this entry.
                    self.inside
                        .extend(merged.iter().map(|&parent| parent.to_owned()));
                    if !inside {
                        self.store(sha, &title, commit.pr_number(), false);
                    }
                }
            }
            _ => {
                self.commits += 1;
                if is_conventional(commit, extra_types) {
                    self.conventional += 1;
                }
                if !inside && !is_release_marker(commit.subject()) {
                    let title = without_pr_suffix(commit.subject(), commit.pr_number());
                    let dependency = is_dependency_update(author, commit);
                    self.store(sha, title, commit.pr_number(), dependency);
                }
            }
        }
    }

    fn store(&mut self, sha: &str, title: &str, pr_number: Option<u64>, dependency: bool) {
        let sha = self.append(sha);
        let title = self.append(title);
        self.entries.push(Stored {
            sha,
            title,
            pr_number,
            dependency,
        });
    }

    fn append(&mut self, piece: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(piece);
        Span {
            start,
            end: self.text.len(),
        }
    }

    /// Whether most commits are Conventional Commits, so the notes group them by type; a release
    /// with no commit counts as conventional (it has nothing to list).
    pub fn is_conventional(&self) -> bool {
        self.commits == 0 || self.conventional * 2 >= self.commits
    }

    /// How many commits (merges aside) the release has.
    pub fn commits(&self) -> usize {
        self.commits
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every change, people's first, then dependency updates.
    pub fn changes(&self) -> impl Iterator<Item = Change<'_>> {
        let people = self.entries.iter().filter(|entry| !entry.dependency);
        let bots = self.entries.iter().filter(|entry| entry.dependency);
        people.chain(bots).map(|stored| self.view(stored))
    }

    fn view(&self, stored: &Stored) -> Change<'_> {
        let get = |span: Span| &self.text[span.start..span.end];
        Change {
            sha: get(stored.sha),
            title: get(stored.title),
            pr_number: stored.pr_number,
            dependency: stored.dependency,
        }
    }

    /// Starts over for another release, keeping the memory.
    pub fn reset(&mut self) {
        self.text.clear();
        self.entries.clear();
        self.commits = 0;
        self.conventional = 0;
        self.inside.clear();
        self.mainline.clear();
        self.started = false;
    }
}

/// A commit that only marks a release (`Release 1.2.0`, `Bump version to 1.2.0`, `v1.2.0`,
/// another package's `globset-0.4.20`): not a change of its own. Allocates nothing.
fn is_release_marker(subject: &str) -> bool {
    let subject = subject.trim();
    // Split at the last whitespace, which may be wider than a byte (a no-break space).
    let (lead, last) = match subject.rsplit_once(char::is_whitespace) {
        Some((lead, last)) => (lead.trim_end(), last),
        None => ("", subject),
    };
    let version = |word: &str| {
        let word = word.trim_start_matches(['v', 'V']);
        word.starts_with(|c: char| c.is_ascii_digit())
            && word.contains('.')
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
    };
    if lead.is_empty()
        && last
            .rsplit_once('-')
            .is_some_and(|(name, tail)| !name.is_empty() && version(tail))
    {
        return true;
    }
    const LEADS: &[&str] = &[
        "",
        "release",
        "released",
        "releasing",
        "version",
        "bump version",
        "bump version to",
        "bump to",
        "prepare release",
        "release version",
    ];
    version(last) && LEADS.iter().any(|known| lead.eq_ignore_ascii_case(known))
}

/// `subject` without a trailing `(#number)`.
fn without_pr_suffix(subject: &str, number: Option<u64>) -> &str {
    let Some(number) = number else {
        return subject;
    };
    let Some(rest) = subject.strip_suffix(')') else {
        return subject;
    };
    let digits = rest.len() - rest.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    match rest[..rest.len() - digits].strip_suffix("(#") {
        Some(before) if rest[rest.len() - digits..].parse() == Ok(number) => before.trim_end(),
        _ => subject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conventional::parse;

    /// (sha, parents, author, message), newest first.
    fn list(commits: &[(&str, &[&str], &str, &str)]) -> ChangeList {
        let mut list = ChangeList::default();
        for (sha, parents, author, message) in commits {
            list.push(
                sha,
                parents.iter().copied(),
                author,
                &parse(message.as_bytes()),
                &[],
            );
        }
        list
    }

    fn titles(list: &ChangeList) -> Vec<(String, Option<u64>, bool)> {
        list.changes()
            .map(|change| (change.title.to_owned(), change.pr_number, change.dependency))
            .collect()
    }

    #[test]
    fn merged_pull_requests_are_their_titles_and_their_commits_are_not_listed_again() {
        // m2 merges b2←b1 (forked at a), then a squashed commit, then m1 merges c1.
        let list = list(&[
            (
                "m2",
                &["s", "b2"],
                "Ann",
                "Merge pull request #7 from o/feature\n\nAdd the frobnicator",
            ),
            ("b2", &["b1"], "Bob", "address review"),
            ("s", &["m1"], "Ann", "Fix the parser on empty input (#6)"),
            ("b1", &["a"], "Bob", "WIP frobnicator"),
            (
                "m1",
                &["a", "c1"],
                "Ann",
                "Merge pull request #5 from o/docs\n\nDocument the parser",
            ),
            ("c1", &["a"], "Cy", "typo"),
            ("a", &[], "Ann", "Start"),
        ]);
        assert_eq!(
            titles(&list),
            [
                ("Add the frobnicator".to_owned(), Some(7), false),
                ("Fix the parser on empty input".to_owned(), Some(6), false),
                ("Document the parser".to_owned(), Some(5), false),
                ("Start".to_owned(), None, false),
            ]
        );
        assert_eq!(list.commits(), 5);
        assert!(!list.is_conventional());
    }

    #[test]
    fn untitled_merges_list_what_they_merged() {
        let list = list(&[
            ("m", &["a", "b"], "Ann", "Merge branch 'topic'"),
            ("b", &["a"], "Bob", "Topic work"),
            ("a", &[], "Ann", "Base"),
        ]);
        let listed: Vec<String> = titles(&list).into_iter().map(|t| t.0).collect();
        assert_eq!(listed, ["Topic work", "Base"]);
    }

    #[test]
    fn release_markers_are_no_changes() {
        for subject in [
            "Release 1.2.0",
            "Bump version to 2.0.0",
            "v1.2.0",
            "1.2.0",
            "globset-0.4.20",
            "release 3.1.0rc1",
        ] {
            assert!(is_release_marker(subject), "{subject}");
        }
        for subject in [
            "Release the GIL in parse()",
            "Support Python 3.14",
            "Drop 3.9",
            "Fix 1.2.0 regression",
            "ignore,globset: increase pool",
        ] {
            assert!(!is_release_marker(subject), "{subject}");
        }
    }

    #[test]
    fn a_subject_split_at_a_wide_space_is_read_not_sliced_mid_character() {
        // The fuzzer's input: the last whitespace is a no-break space (two bytes), and the
        // subject was sliced one byte after it (a panic).
        assert!(!is_release_marker("\u{ab}\u{a0}\u{a0}\u{a0}____"));
        assert!(is_release_marker("Release\u{a0}1.2.0"));
        assert!(is_release_marker("Release\u{2003}1.2.0"));
    }

    #[test]
    fn dependency_updates_come_last() {
        let list = list(&[
            (
                "d",
                &["c"],
                "dependabot[bot]",
                "Bump requests from 2.31.0 to 2.32.0 (#9)",
            ),
            ("c", &["b"], "Ann", "Support Python 3.14"),
            (
                "b",
                &["a"],
                "renovate[bot]",
                "Update actions/checkout action to v5",
            ),
            ("a", &[], "Ann", "Bump pytest from 8 to 9"),
        ]);
        assert_eq!(
            titles(&list),
            [
                ("Support Python 3.14".to_owned(), None, false),
                (
                    "Bump requests from 2.31.0 to 2.32.0".to_owned(),
                    Some(9),
                    true
                ),
                (
                    "Update actions/checkout action to v5".to_owned(),
                    None,
                    true
                ),
                ("Bump pytest from 8 to 9".to_owned(), None, true),
            ]
        );
    }

    #[test]
    fn only_real_types_are_conventional() {
        let conventional =
            |message: &str, extra: &[String]| is_conventional(&parse(message.as_bytes()), extra);
        assert!(conventional("feat: x", &[]));
        assert!(conventional("Fix(parser)!: x", &[]));
        assert!(conventional("chore(deps): bump", &[]));
        assert!(!conventional("doc: x", &[]));
        assert!(!conventional("ignore: whitespace", &[]));
        assert!(!conventional("Note: x", &[]));
        assert!(conventional("doc: x", &["doc".to_owned()]));
    }

    #[test]
    fn share_of_conventional_commits() {
        let half = list(&[
            ("b", &["a"], "Ann", "feat: x"),
            ("a", &[], "Ann", "Update README"),
        ]);
        assert!(half.is_conventional());
        let few = list(&[
            ("c", &["b"], "Ann", "fix: y"),
            ("b", &["a"], "Ann", "doc: x"),
            ("a", &[], "Ann", "Update README"),
        ]);
        assert!(!few.is_conventional());
        assert!(ChangeList::default().is_conventional());
    }
}
