//! The release engine: `relman.toml`, templates, plans, the journal, execution, resume and abort.
//!
//! The engine never prints, reads the process environment or talks to a terminal: the binary
//! hands it an [`environment::Environment`] and implements [`report::Reporter`] and
//! [`report::Prompter`].

mod clients;
pub mod config;
pub mod core;
pub mod docs;
pub mod environment;
pub mod executor;
pub mod init;
pub mod journal;
pub mod kinds;
pub mod lock;
pub mod plan;
pub mod project;
pub mod template;

pub use crate::core::report;
