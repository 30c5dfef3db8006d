//! End-to-end tests of the `relman` binary, run in the sealed environment of a
//! `relman_testkit::TestRepo` (temp HOME, no global config, fixed identity and dates).

mod examples;
mod history_commands;
mod support;
#[allow(dead_code, reason = "the example tests use the rest of the world")]
mod world;
