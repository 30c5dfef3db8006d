//! Integration tests of relman-engine.

mod config;
mod init;
mod init_project;
