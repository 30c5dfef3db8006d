//! Integration tests of relman-engine.

mod changelog_sources;
mod config;
mod crash_git;
mod init;
mod init_project;
mod journal_format;
mod journal_integrity;
mod remote_announce;
mod remote_checks;
mod remote_circleci;
mod remote_dispatch;
mod remote_email;
mod remote_faults;
mod remote_leak;
mod remote_pull_request;
mod remote_release;
mod remote_support;
mod remote_verify;
mod towncrier_name;
mod versions_property;
