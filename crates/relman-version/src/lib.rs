//! Pure, fast building blocks of a release: version schemes and bumps, tag formats, the files that
//! hold a version, conventional commits, changelogs and towncrier news fragments.
//!
//! Nothing here spawns a process or touches the network; file access is limited to reading and
//! atomically rewriting the files a caller names.

pub mod bump;
pub mod calendar;
pub mod changelog;
pub mod changesets;
pub mod conventional;
pub mod date;
pub mod files;
pub mod scheme;
pub mod tag_format;
pub mod version;
pub mod words;
pub mod workspace;
