//! Changelogs: release notes from conventional commits or towncrier fragments, rendering, and
//! reading or inserting sections of an existing changelog file.
//!
//! The pieces: [`notes`] is the model of one release's notes, [`markdown`] renders it in the
//! default format without a template engine, [`template`] renders it through a user's minijinja
//! template, [`links`] makes forge URLs, and [`document`] finds and inserts sections in changelog
//! files whatever tool wrote them; [`handwritten`] promotes the unreleased notes of a file a
//! person keeps to a release, in the file's own style.

pub mod changes;
mod dates;
pub mod document;
pub mod handwritten;
mod heading_style;
mod headings;
mod link_refs;
pub mod links;
pub mod markdown;
pub mod notes;
pub mod template;
pub mod towncrier;
