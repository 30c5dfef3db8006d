//! libFuzzer entry point of the `condition` target (the target itself is `relman_fuzz::condition`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::condition(data));
