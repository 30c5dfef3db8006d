//! End-to-end tests of the `relman` binary: the real executable, run in a sealed repository with
//! a bare remote over `file://` (see `support`), asserted by what a user would check afterwards:
//! file bytes, commits, tags and their signatures, the remote's refs, the journal, exit codes
//! and messages.

mod plain;
mod support;
#[allow(dead_code, reason = "the example tests use the rest of the world")]
mod world;

mod abort;
mod checkouts;
mod commands;
mod crash;
mod errors;
mod examples;
mod faults;
mod history_commands;
mod hostile_input;
mod init_docs;
mod lock;
mod output;
mod pause;
mod plan_readonly;
mod release;
mod secrets;
mod signing;
mod terminal;
mod timeouts;
mod worktrees;
