//! libFuzzer entry point of the `config` target (the target itself is `relman_fuzz::config`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::config(data));
