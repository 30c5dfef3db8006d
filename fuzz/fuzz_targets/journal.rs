//! libFuzzer entry point of the `journal` target (the target itself is `relman_fuzz::journal`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::journal(data));
