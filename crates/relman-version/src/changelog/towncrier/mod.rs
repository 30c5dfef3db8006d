//! towncrier-compatible news fragments: the configuration (`[tool.towncrier]` in `pyproject.toml`
//! or `towncrier.toml`), collecting fragments, rendering one release, and inserting it into the
//! news file, with output equal byte for byte to `towncrier build` (checked against towncrier
//! 26.9.0 by the scenarios under `tests/data/towncrier/`); and naming new fragments as
//! `towncrier create` does.
//!
//! The pipeline is [`collect_fragments`] → [`arrange`] → [`render`] → [`insert_release`], or all
//! of it at once with [`build`], which reads files and writes none; [`Build::write`] writes the
//! news file, and the caller removes [`Build::fragment_files`].
//!
//! Where relman departs from towncrier, on purpose: a fragment folder that does not exist is an
//! error (towncrier renders an empty release); values of the wrong type in the configuration are
//! errors with file, line and column (towncrier crashes later or ignores them); templates other
//! than towncrier's two defaults and project files are refused; the project name is never found
//! by importing the Python package (the title-cased `package` is used, as towncrier does for a
//! package without Incremental).

mod config;
mod create;
mod error;
mod fragments;
mod insert;
mod jinja;
mod notes;
mod pytext;
mod render;
mod template;
mod textwrap;

pub use config::{FragmentType, Section, TemplateSource, TitleFormat, TowncrierConfig};
pub use create::{DEFAULT_FRAGMENT_CONTENT, create_fragment, fragment_content, new_fragment_path};
pub use error::{ConfigLocation, TowncrierError};
pub use fragments::{
    Fragment, FragmentName, Fragments, SectionFragments, collect_fragments, parse_fragment_name,
};
pub use insert::{Build, BuildOptions, build, insert_release, news_file_path};
pub use notes::{CategoryNotes, Entry, ReleaseNotes, SectionNotes, arrange};
pub use render::{RenderedRelease, VersionData, render};
