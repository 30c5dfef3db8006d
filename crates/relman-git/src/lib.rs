//! A concrete handle over the `git` command line: repository discovery and refs read from files,
//! streaming history with an early stop, the previous release found in one walk, status, remotes,
//! and every write (through the CLI, so hooks, signing and credential helpers apply).
//!
//! This crate knows nothing about versions: callers pass closures that classify tag names.

mod command;
mod error;
mod families;
mod index;
mod locks;
mod log;
mod merge;
mod read;
mod redact;
mod refs;
mod release;
mod remote;
mod repository;
mod status;
mod sync;
mod write;

pub use error::GitError;
pub use families::{FamilySet, FamilyWalk, KeptCommit};
pub use index::IndexEntry;
pub use log::{Commit, CommitRef, LOG_FORMAT, LogOptions, Revisions, log_arguments};
pub use merge::{MergeOutcome, PickOutcome};
pub use read::Describe;
pub use refs::Head;
pub use release::{Release, TagKind};
pub use remote::{PushRejection, RejectReason, RejectedRef, RemoteRef};
pub use repository::Repository;
pub use status::Status;
pub use write::Annotation;
