//! libFuzzer entry point of the `conventional` target (the target itself is `relman_fuzz::conventional`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::conventional(data));
