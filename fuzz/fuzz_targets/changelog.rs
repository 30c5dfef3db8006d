//! libFuzzer entry point of the `changelog` target (the target itself is `relman_fuzz::changelog`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::changelog(data));
