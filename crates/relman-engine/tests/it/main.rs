//! Integration tests of relman-engine.

mod config;
mod init;
