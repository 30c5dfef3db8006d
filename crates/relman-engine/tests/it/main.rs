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
mod remote_credentials;
mod remote_dispatch;
mod remote_email;
mod remote_faults;
mod remote_leak;
mod remote_publish;
mod remote_pull_request;
mod remote_release;
mod remote_social;
mod remote_support;
mod remote_verify;
mod steps_edit;
mod steps_file_template;
mod steps_git_sync;
mod towncrier_name;
mod versions_property;
