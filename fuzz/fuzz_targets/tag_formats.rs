//! libFuzzer entry point of the `tag_formats` target (the target itself is `relman_fuzz::tag_formats`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| relman_fuzz::tag_formats(data));
