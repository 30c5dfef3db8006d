//! libFuzzer entry point of the `towncrier` target (the target itself is `relman_fuzz::towncrier`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::towncrier(data));
