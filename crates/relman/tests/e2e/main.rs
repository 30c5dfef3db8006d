//! End-to-end tests of the `relman` binary: the real executable, run in a sealed repository with
//! a bare remote over `file://` (see `support`), asserted by what a user would check afterwards:
//! file bytes, commits, tags and their signatures, the remote's refs, the journal, exit codes
//! and messages.

mod plain;
mod support;
#[allow(dead_code, reason = "the example tests use the rest of the world")]
mod world;

mod abort;
mod abort_keeps;
mod calendar;
mod changelogs;
mod check_plan;
mod checkouts;
mod commands;
mod confined;
mod consent;
mod crash;
mod errors;
mod examples;
mod faults;
mod gems;
mod help;
mod history_commands;
mod hostile_input;
mod init_docs;
mod journal_compat;
mod lock;
mod masking;
mod output;
mod packages;
mod pause;
mod plan_readonly;
mod publish_logins;
mod publishing;
mod real_ecosystems;
mod real_jvm;
mod real_native;
mod real_python;
mod real_shapes;
mod real_version_files;
mod release;
mod ruby_versions;
mod secrets;
mod shell_values;
mod signing;
mod terminal;
mod timeouts;
mod url_values;
mod worktrees;
