//! Changelogs: release notes from conventional commits or towncrier fragments, rendering, and
//! reading or inserting sections of an existing changelog file.

pub mod towncrier;
