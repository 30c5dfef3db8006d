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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotesOptions {
    /// Keep non-releasable conventional types and non-conventional commits, in "Other".
    pub include_other: bool,
    /// Length of the short commit id shown in entries.
    pub short_sha_len: usize,
}

impl Default for NotesOptions {
    fn default() -> NotesOptions {
        NotesOptions {
            include_other: false,
            short_sha_len: 7,
        }
    }
}

/// One line of the notes: what a commit contributed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    sha: String,
    short_len: usize,
    /// Lower-cased; empty for non-conventional commits.
    commit_type: String,
    scope: Option<String>,
    description: String,
    breaking: Option<String>,
    pr_number: Option<u64>,
    /// The subject without its `(#123)`, kept for "Other" entries only.
    subject: Option<String>,
}

impl Entry {
    fn new(sha: &str, commit: &Commit<'_>, group: Group, short_sha_len: usize) -> Entry {
        let short_len = short_sha_len.min(sha.len());
        let short_len = (0..=short_len)
            .rev()
            .find(|&len| sha.is_char_boundary(len))
            .unwrap_or(0);
        let commit_type = commit
            .commit_type()
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let subject = (group == Group::Other).then(|| subject_without_pr(commit));
        Entry {
            sha: sha.to_owned(),
            short_len,
            commit_type,
            scope: commit.scope().map(str::to_owned),
            description: commit.description().to_owned(),
            breaking: commit.breaking_description().map(str::to_owned),
            pr_number: commit.pr_number(),
            subject,
        }
    }

    pub fn sha(&self) -> &str {
        &self.sha
    }

    pub fn short_sha(&self) -> &str {
        &self.sha[..self.short_len]
    }

    /// The conventional type, lower-cased (`feat`); `None` for other messages.
    pub fn commit_type(&self) -> Option<&str> {
        (!self.commit_type.is_empty()).then_some(self.commit_type.as_str())
    }

    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// The description (for git reverts: the reverted subject), without `(#123)`.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// What breaks, for breaking changes: the `BREAKING CHANGE` footer or the description.
    pub fn breaking_description(&self) -> Option<&str> {
        self.breaking.as_deref()
    }

    pub fn is_breaking(&self) -> bool {
        self.breaking.is_some()
    }

    pub fn pr_number(&self) -> Option<u64> {
        self.pr_number
    }

    /// The subject line without its `(#123)`. Kept as written for "Other" entries; for the others,
    /// rebuilt from type, scope and description.
    pub fn subject(&self) -> std::borrow::Cow<'_, str> {
        if let Some(subject) = &self.subject {
            return subject.into();
        }
        let Some(commit_type) = self.commit_type() else {
            return self.description.as_str().into();
        };
        let scope = self
            .scope
            .as_ref()
            .map(|s| format!("({s})"))
            .unwrap_or_default();
        let bang = if self.is_breaking() { "!" } else { "" };
        format!("{commit_type}{scope}{bang}: {}", self.description).into()
    }
}

fn subject_without_pr(commit: &Commit<'_>) -> String {
    let subject = commit.subject();
    match commit.pr_number() {
        Some(number) if !commit.is_merge() => {
            let suffix = format!("(#{number})");
            subject
                .strip_suffix(&suffix)
                .map_or(subject, str::trim_end)
                .to_owned()
        }
        _ => subject.to_owned(),
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
    groups: [Vec<Entry>; 6],
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
            groups: Default::default(),
        }
    }

    /// Sets the previous release, for compare links.
    pub fn with_previous(mut self, version: impl Into<String>, tag: impl Into<String>) -> Self {
        self.previous_version = Some(version.into());
        self.previous_tag = Some(tag.into());
        self
    }

    pub fn options(&self) -> NotesOptions {
        self.options
    }

    /// Adds one commit; returns the group it went to, or `None` when the notes leave it out.
    pub fn push(&mut self, sha: &str, commit: &Commit<'_>) -> Option<Group> {
        let group = Group::of(commit, self.options.include_other)?;
        let entry = Entry::new(sha, commit, group, self.options.short_sha_len);
        self.groups[group as usize].push(entry);
        Some(group)
    }

    pub fn entries(&self, group: Group) -> &[Entry] {
        &self.groups[group as usize]
    }

    /// The groups that have entries, in order.
    pub fn groups(&self) -> impl Iterator<Item = (Group, &[Entry])> {
        Group::ALL
            .into_iter()
            .map(|group| (group, self.entries(group)))
            .filter(|(_, entries)| !entries.is_empty())
    }

    /// Nothing notable: the renderers say so rather than print an empty section.
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(Vec::is_empty)
    }

    pub fn len(&self) -> usize {
        self.groups.iter().map(Vec::len).sum()
    }

    /// Starts over for another release, keeping the options and the groups' memory.
    pub fn reset(&mut self, version: &str, tag: &str, date: &str) {
        for group in &mut self.groups {
            group.clear();
        }
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
            .map(|(group, entries)| {
                (
                    group,
                    entries.iter().map(|e| e.subject().into_owned()).collect(),
                )
            })
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
                .iter()
                .map(|e| e.subject().into_owned())
                .collect::<Vec<_>>(),
            ["docs: z", "Update README", "chore(deps): bump"]
        );
        assert_eq!(notes.len(), 9);
    }

    #[test]
    fn entries_keep_what_renderers_need() {
        let notes = notes(true, HISTORY);
        let feature = &notes.entries(Group::Features)[0];
        assert_eq!(feature.sha(), format!("{:040x}", 0));
        assert_eq!(feature.short_sha(), "0000000");
        assert_eq!(feature.commit_type(), Some("feat"));
        assert_eq!(feature.scope(), Some("api"));
        assert_eq!(feature.description(), "add x");
        assert_eq!(feature.pr_number(), Some(3));
        assert!(!feature.is_breaking());
        let breaking = &notes.entries(Group::Breaking)[0];
        assert_eq!(
            breaking.breaking_description(),
            Some("faster, different results")
        );
        let other = &notes.entries(Group::Other)[1];
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
            .iter()
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
