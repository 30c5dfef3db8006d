//! libFuzzer entry point of the `versions` target (the target itself is `relman_fuzz::versions`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::versions(data));
