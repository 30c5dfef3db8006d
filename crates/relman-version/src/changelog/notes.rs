//! One release's notes from conventional commits: the model every renderer (the default Markdown,
//! a user's minijinja template) works from.
//!
//! Notes are built incrementally: a history walk calls [`ReleaseNotes::push`] for each commit as it
//! streams by, and the notes copy out of the borrowed [`Commit`] only what they render. Entries are
//! grouped in a fixed order ([`Group::ALL`]); within a group they keep the order they were pushed
//! in, which for `git log` is newest first.
//!
//! What goes where: a breaking conventional commit goes to "Breaking changes" only (whatever its
//! type); `feat`, `fix`, `perf` to their groups; `revert:` commits and git's `Revert "…"` to
//! "Reverts". Other conventional types (docs, chore, ci…) and non-conventional messages go to
//! "Other" when [`NotesOptions::include_other`] is set, and are left out otherwise. Merge commits
//! are always left out: the commits they merge are in the history themselves.
//!
//! A release whose commits are mostly not Conventional Commits gets the list of its changes
//! instead ([`super::changes`]): pull request titles, commit subjects, dependency updates last.

use std::borrow::Cow;

use super::changes::ChangeList;
use crate::conventional::{Commit, Kind};

/// The groups of a release's notes, in the order they are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    Breaking,
    Features,
    BugFixes,
    Performance,
    Reverts,
    Other,
}

impl Group {
    pub const ALL: [Group; 6] = [
        Group::Breaking,
        Group::Features,
        Group::BugFixes,
        Group::Performance,
        Group::Reverts,
        Group::Other,
    ];

    /// The section title of the default Markdown.
    pub fn title(self) -> &'static str {
        match self {
            Group::Breaking => "Breaking changes",
            Group::Features => "Features",
            Group::BugFixes => "Bug fixes",
            Group::Performance => "Performance",
            Group::Reverts => "Reverts",
            Group::Other => "Other",
        }
    }

    /// A stable identifier, for templates.
    pub fn key(self) -> &'static str {
        match self {
            Group::Breaking => "breaking",
            Group::Features => "features",
            Group::BugFixes => "fixes",
            Group::Performance => "performance",
            Group::Reverts => "reverts",
            Group::Other => "other",
        }
    }

    /// The group `commit` belongs to, or `None` when the notes leave it out.
    pub fn of(commit: &Commit<'_>, include_other: bool) -> Option<Group> {
        let group = match commit.kind() {
            Kind::Merge => return None,
            Kind::Revert => Group::Reverts,
            Kind::Other => Group::Other,
            Kind::Conventional if commit.is_breaking() => Group::Breaking,
            Kind::Conventional if commit.is_type("feat") => Group::Features,
            Kind::Conventional if commit.is_type("fix") => Group::BugFixes,
            Kind::Conventional if commit.is_type("perf") => Group::Performance,
            Kind::Conventional if commit.is_type("revert") => Group::Reverts,
            Kind::Conventional => Group::Other,
        };
        (group != Group::Other || include_other).then_some(group)
    }
}

/// Choices that shape the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesOptions {
    /// Keep non-releasable conventional types and non-conventional commits, in "Other".
    pub include_other: bool,
    /// Length of the short commit id shown in entries.
    pub short_sha_len: usize,
    /// Conventional Commits types the project uses besides the standard ones.
    pub extra_types: Vec<String>,
}

impl Default for NotesOptions {
    fn default() -> NotesOptions {
        NotesOptions {
            include_other: false,
            short_sha_len: 7,
            extra_types: Vec::new(),
        }
    }
}

/// Where a piece of an entry's text is in the notes' text buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: usize,
    end: usize,
}

/// An entry as stored: spans into [`ReleaseNotes`]' one text buffer, so that pushing a commit
/// allocates nothing once the buffer has grown (the full-history changelog reuses one
/// `ReleaseNotes` for every release).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    sha: Span,
    short_sha: Span,
    /// Lower-cased; empty for non-conventional commits.
    commit_type: Span,
    scope: Option<Span>,
    description: Span,
    breaking: Option<Span>,
    pr_number: Option<u64>,
    /// The subject without its `(#123)`, kept for "Other" entries only.
    subject: Option<Span>,
}

/// One line of the notes: what a commit contributed. A view into its [`ReleaseNotes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'n> {
    sha: &'n str,
    short_sha: &'n str,
    commit_type: Option<&'n str>,
    scope: Option<&'n str>,
    description: &'n str,
    breaking: Option<&'n str>,
    pr_number: Option<u64>,
    subject: Option<&'n str>,
}

impl<'n> Entry<'n> {
    fn view(text: &'n str, stored: &Stored) -> Entry<'n> {
        let get = |span: Span| &text[span.start..span.end];
        Entry {
            sha: get(stored.sha),
            short_sha: get(stored.short_sha),
            commit_type: Some(get(stored.commit_type)).filter(|t| !t.is_empty()),
            scope: stored.scope.map(get),
            description: get(stored.description),
            breaking: stored.breaking.map(get),
            pr_number: stored.pr_number,
            subject: stored.subject.map(get),
        }
    }

    pub fn sha(self) -> &'n str {
        self.sha
    }

    pub fn short_sha(self) -> &'n str {
        self.short_sha
    }

    /// The conventional type, lower-cased (`feat`); `None` for other messages.
    pub fn commit_type(self) -> Option<&'n str> {
        self.commit_type
    }

    pub fn scope(self) -> Option<&'n str> {
        self.scope
    }

    /// The description (for git reverts: the reverted subject), without `(#123)`.
    pub fn description(self) -> &'n str {
        self.description
    }

    /// What breaks, for breaking changes: the `BREAKING CHANGE` footer or the description.
    pub fn breaking_description(self) -> Option<&'n str> {
        self.breaking
    }

    pub fn is_breaking(self) -> bool {
        self.breaking.is_some()
    }

    pub fn pr_number(self) -> Option<u64> {
        self.pr_number
    }

    /// The subject line without its `(#123)`. Kept as written for "Other" entries; for the others,
    /// rebuilt from type, scope and description.
    pub fn subject(self) -> Cow<'n, str> {
        if let Some(subject) = self.subject {
            return subject.into();
        }
        let Some(commit_type) = self.commit_type else {
            return self.description.into();
        };
        let scope = self.scope.map(|s| format!("({s})")).unwrap_or_default();
        let bang = if self.is_breaking() { "!" } else { "" };
        format!("{commit_type}{scope}{bang}: {}", self.description).into()
    }
}

/// The entries of one group, in push order.
#[derive(Debug, Clone)]
pub struct Entries<'n> {
    text: &'n str,
    stored: std::slice::Iter<'n, Stored>,
}

impl<'n> Iterator for Entries<'n> {
    type Item = Entry<'n>;

    fn next(&mut self) -> Option<Entry<'n>> {
        self.stored
            .next()
            .map(|stored| Entry::view(self.text, stored))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.stored.size_hint()
    }
}

impl ExactSizeIterator for Entries<'_> {}

/// The subject without a trailing `(#123)`.
fn subject_without_pr<'c>(commit: &'c Commit<'_>) -> &'c str {
    let subject = commit.subject();
    let Some(number) = commit.pr_number().filter(|_| !commit.is_merge()) else {
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

/// One release's notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseNotes {
    /// The version being released, as shown (`1.1.0`).
    pub version: String,
    /// Its tag (`v1.1.0`).
    pub tag: String,
    pub previous_version: Option<String>,
    /// The previous release's tag; compare links need it. A history walk learns it last.
    pub previous_tag: Option<String>,
    /// `YYYY-MM-DD`, chosen by the caller (SOURCE_DATE_EPOCH, the tag's date…).
    pub date: String,
    options: NotesOptions,
    /// The text of every entry, one after the other.
    text: String,
    groups: [Vec<Stored>; 6],
    /// Every change, for releases whose commits are mostly not conventional.
    changes: ChangeList,
}

impl ReleaseNotes {
    pub fn new(
        version: impl Into<String>,
        tag: impl Into<String>,
        date: impl Into<String>,
        options: NotesOptions,
    ) -> ReleaseNotes {
        ReleaseNotes {
            version: version.into(),
            tag: tag.into(),
            previous_version: None,
            previous_tag: None,
            date: date.into(),
            options,
            text: String::new(),
            groups: Default::default(),
            changes: ChangeList::default(),
        }
    }

    /// Sets the previous release, for compare links.
    pub fn with_previous(mut self, version: impl Into<String>, tag: impl Into<String>) -> Self {
        self.previous_version = Some(version.into());
        self.previous_tag = Some(tag.into());
        self
    }

    pub fn options(&self) -> &NotesOptions {
        &self.options
    }

    /// Adds one commit without its parents and author (each commit is then its own change);
    /// returns the group it went to, or `None` when the grouped notes leave it out.
    pub fn push(&mut self, sha: &str, commit: &Commit<'_>) -> Option<Group> {
        self.push_commit(sha, std::iter::empty(), "", commit)
    }

    /// Adds one commit as a history walk meets it (newest first), with its parents (in order)
    /// and its author's name, which tell merged branches and dependency bots apart in the list
    /// of changes; returns the group it went to, or `None` when the grouped notes leave it out.
    pub fn push_commit<'p>(
        &mut self,
        sha: &str,
        parents: impl Iterator<Item = &'p str>,
        author: &str,
        commit: &Commit<'_>,
    ) -> Option<Group> {
        self.changes
            .push(sha, parents, author, commit, &self.options.extra_types);
        let group = Group::of(commit, self.options.include_other)?;
        let sha_span = self.append(sha);
        let mut short_len = self.options.short_sha_len.min(sha.len());
        while !sha.is_char_boundary(short_len) {
            short_len -= 1;
        }
        let type_start = self.text.len();
        for byte in commit.commit_type().unwrap_or_default().chars() {
            self.text.push(byte.to_ascii_lowercase());
        }
        let commit_type = self.span_from(type_start);
        let scope = commit.scope().map(|scope| self.append(scope));
        let description = self.append(commit.description());
        let breaking = match commit.breaking_description() {
            // A `!` commit's breaking description is its description: store it once.
            Some(text) if text == commit.description() => Some(description),
            Some(text) => Some(self.append(text)),
            None => None,
        };
        let subject = (group == Group::Other).then(|| self.append(subject_without_pr(commit)));
        self.groups[group as usize].push(Stored {
            sha: sha_span,
            short_sha: Span {
                start: sha_span.start,
                end: sha_span.start + short_len,
            },
            commit_type,
            scope,
            description,
            breaking,
            pr_number: commit.pr_number(),
            subject,
        });
        Some(group)
    }

    fn append(&mut self, piece: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(piece);
        self.span_from(start)
    }

    fn span_from(&self, start: usize) -> Span {
        Span {
            start,
            end: self.text.len(),
        }
    }

    pub fn entries(&self, group: Group) -> Entries<'_> {
        Entries {
            text: &self.text,
            stored: self.groups[group as usize].iter(),
        }
    }

    /// The groups that have entries, in order.
    pub fn groups(&self) -> impl Iterator<Item = (Group, Entries<'_>)> {
        Group::ALL
            .into_iter()
            .filter(|&group| !self.groups[group as usize].is_empty())
            .map(|group| (group, self.entries(group)))
    }

    /// Nothing notable: the renderers say so rather than print an empty section. A release
    /// with commits that are mostly not conventional is never empty: it lists its changes.
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(Vec::is_empty) && !self.lists_changes()
    }

    /// Whether the notes are the list of changes rather than groups by type: the release's
    /// commits are mostly not Conventional Commits ([`ChangeList::is_conventional`]).
    pub fn lists_changes(&self) -> bool {
        !self.changes.is_conventional() && !self.changes.is_empty()
    }

    /// Every change of the release, pull requests by their titles, dependency updates last.
    pub fn changes(&self) -> &ChangeList {
        &self.changes
    }

    pub fn len(&self) -> usize {
        self.groups.iter().map(Vec::len).sum()
    }

    /// Starts over for another release, keeping the options and the memory.
    pub fn reset(&mut self, version: &str, tag: &str, date: &str) {
        for group in &mut self.groups {
            group.clear();
        }
        self.text.clear();
        self.changes.reset();
        set(&mut self.version, version);
        set(&mut self.tag, tag);
        set(&mut self.date, date);
        self.previous_version = None;
        self.previous_tag = None;
    }
}

fn set(field: &mut String, value: &str) {
    field.clear();
    field.push_str(value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conventional::parse;

    fn notes(include_other: bool, messages: &[&str]) -> ReleaseNotes {
        let options = NotesOptions {
            include_other,
            ..NotesOptions::default()
        };
        let mut notes = ReleaseNotes::new("1.1.0", "v1.1.0", "2026-11-23", options);
        for (index, message) in messages.iter().enumerate() {
            notes.push(&format!("{index:040x}"), &parse(message.as_bytes()));
        }
        notes
    }

    fn summary(notes: &ReleaseNotes) -> Vec<(Group, Vec<String>)> {
        notes
            .groups()
            .map(|(group, entries)| (group, entries.map(|e| e.subject().into_owned()).collect()))
            .collect()
    }

    const HISTORY: &[&str] = &[
        "feat(api): add x (#3)",
        "fix: y",
        "docs: z",
        "Merge pull request #4 from o/b",
        "perf(db)!: faster, different results",
        "Revert \"feat: w\"",
        "revert: fix: v",
        "Update README (#5)",
        "feat: second feature",
        "chore(deps): bump",
    ];

    #[test]
    fn groups_in_fixed_order_entries_in_push_order() {
        let notes = notes(false, HISTORY);
        assert_eq!(
            summary(&notes),
            [
                (
                    Group::Breaking,
                    vec!["perf(db)!: faster, different results".to_owned()]
                ),
                (
                    Group::Features,
                    vec![
                        "feat(api): add x".to_owned(),
                        "feat: second feature".to_owned()
                    ]
                ),
                (Group::BugFixes, vec!["fix: y".to_owned()]),
                (
                    Group::Reverts,
                    vec!["feat: w".to_owned(), "revert: fix: v".to_owned()]
                ),
            ]
        );
        assert_eq!(notes.len(), 6);
    }

    #[test]
    fn include_other_keeps_chores_and_free_form_messages_but_not_merges() {
        let notes = notes(true, HISTORY);
        assert_eq!(
            notes
                .entries(Group::Other)
                .map(|e| e.subject().into_owned())
                .collect::<Vec<_>>(),
            ["docs: z", "Update README", "chore(deps): bump"]
        );
        assert_eq!(notes.len(), 9);
    }

    #[test]
    fn entries_keep_what_renderers_need() {
        let notes = notes(true, HISTORY);
        let feature = notes.entries(Group::Features).next().unwrap();
        assert_eq!(feature.sha(), format!("{:040x}", 0));
        assert_eq!(feature.short_sha(), "0000000");
        assert_eq!(feature.commit_type(), Some("feat"));
        assert_eq!(feature.scope(), Some("api"));
        assert_eq!(feature.description(), "add x");
        assert_eq!(feature.pr_number(), Some(3));
        assert!(!feature.is_breaking());
        let breaking = notes.entries(Group::Breaking).next().unwrap();
        assert_eq!(
            breaking.breaking_description(),
            Some("faster, different results")
        );
        let other = notes.entries(Group::Other).nth(1).unwrap();
        assert_eq!((other.commit_type(), other.pr_number()), (None, Some(5)));
    }

    #[test]
    fn short_sha_length_and_odd_shas() {
        let options = NotesOptions {
            short_sha_len: 10,
            ..NotesOptions::default()
        };
        let mut notes = ReleaseNotes::new("1", "v1", "2026-01-01", options);
        notes.push("0123456789abcdef", &parse(b"fix: a"));
        notes.push("abc", &parse(b"fix: b"));
        let shorts: Vec<_> = notes
            .entries(Group::BugFixes)
            .map(Entry::short_sha)
            .collect();
        assert_eq!(shorts, ["0123456789", "abc"]);
    }

    #[test]
    fn reset_starts_a_new_release() {
        let mut notes = notes(false, HISTORY).with_previous("1.0.0", "v1.0.0");
        notes.reset("1.0.0", "v1.0.0", "2026-01-01");
        assert!(notes.is_empty());
        assert_eq!(
            (notes.version.as_str(), notes.previous_tag.as_deref()),
            ("1.0.0", None)
        );
    }
}
