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

/// The journal seeds that are whole journals (`*.json`: one paused by today's relman, one of
/// relman 0.1.0) load, so the fuzzer starts from journals that get past the checks.
#[test]
fn the_whole_journal_seeds_load() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/journal");
    let mut loaded = 0;
    for entry in fs_err::read_dir(&seeds).unwrap().flatten() {
        let path = entry.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            let text = fs_err::read_to_string(&path).unwrap();
            if let Err(error) = relman_engine::journal::parse(&path, &text) {
                panic!("{}: {error}", path.display());
            }
            loaded += 1;
        }
    }
    assert_eq!(loaded, 2);
}
