//! Every input kept for a target — the seeds, and each crash found and fixed — runs through it
//! again without a panic.

use std::path::Path;

#[test]
fn every_kept_input_runs_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for (name, target) in relman_fuzz::TARGETS {
        for folder in ["seeds", "regressions"] {
            let Ok(entries) = fs_err::read_dir(root.join(folder).join(name)) else {
                continue;
            };
            for entry in entries.flatten() {
                let input = fs_err::read(entry.path()).unwrap();
                let result = std::panic::catch_unwind(|| target(&input));
                assert!(result.is_ok(), "{name}: {} panics", entry.path().display());
                ran += 1;
            }
        }
    }
    assert!(ran > 0, "no kept input found");
}
