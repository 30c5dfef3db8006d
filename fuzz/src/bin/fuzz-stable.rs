//! The fuzz targets on stable Rust, for a bounded time: `fuzz-stable TARGET SECONDS`. No coverage
//! guidance (that is libFuzzer's, with `cargo +nightly fuzz`): random mutations (bit flips, byte
//! insertions and deletions, cuts, splices of two inputs, tokens of the target's language) of
//! the inputs in `seeds/TARGET/` and `regressions/TARGET/`, each run under `catch_unwind`. An
//! input that panics is written to `artifacts/TARGET/crash-HASH` and the run fails; keep it in
//! `regressions/TARGET/` once fixed.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool: its report is its output"
)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Fragments of what the targets read, spliced into inputs.
const TOKENS: &[&str] = &[
    "[workflow.w]\n",
    "[[workflow.w.step]]\n",
    "[project]\n",
    "version-files = [\"VERSION\"]\n",
    "run = \"",
    "\"\n",
    "{version}",
    "{steps.a.stdout}",
    "{{",
    "}}",
    "if = \"",
    "id = \"a\"\n",
    "timeout = \"",
    "\"\"\"",
    "'''",
    "[",
    "]",
    "{",
    "}",
    "=",
    ".",
    "-",
    "+",
    "!",
    "rc",
    "a",
    "b",
    "post",
    "dev",
    "alpha.",
    "v",
    "0",
    "9999999999999999999999",
    "YYYY",
    "0M",
    "MICRO",
    "WW",
    "feat",
    "fix",
    "(scope)",
    "!:",
    ": ",
    "\n\nBREAKING CHANGE: ",
    "Refs: #12\n",
    "## ",
    "# ",
    "\n=====\n",
    "\n-----\n",
    "[Unreleased]",
    "## [1.2.3] - 2024-01-01\n",
    "{% for x in y %}",
    "{% endfor %}",
    "{{ version }}",
    "{\"schema\": 2",
    "\"steps\": []",
    "null",
    "true",
    "\u{0}",
    "\u{1b}[",
    "é",
    "\r\n",
    "\t",
    " and ",
    " or ",
    " not ",
    "is_prerelease",
    "args.",
    "~",
    "*",
    "range(",
    ")",
    "(",
    "|length",
    "[tool.towncrier]\n",
    "directory = \"",
    "\u{0}",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(name), Some(seconds)) = (args.next(), args.next()) else {
        eprintln!("usage: fuzz-stable TARGET SECONDS (targets: {})", names());
        std::process::exit(2);
    };
    let Some(target) = relman_fuzz::target(&name) else {
        eprintln!("unknown target `{name}` (targets: {})", names());
        std::process::exit(2);
    };
    let seconds: u64 = seconds.parse().expect("SECONDS is a number");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = inputs(&root.join("seeds").join(&name));
    corpus.extend(inputs(&root.join("regressions").join(&name)));
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    // Panics are caught and reported once, with the input; keep the default hook quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let seed = std::env::var("RELMAN_FUZZ_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);
    let started = Instant::now();
    let limit = Duration::from_secs(seconds);
    let mut runs: u64 = 0;
    for input in corpus.clone() {
        check(&name, target, &input, root);
    }
    while started.elapsed() < limit {
        let base = &corpus[rng.usize(0..corpus.len())];
        let other = &corpus[rng.usize(0..corpus.len())];
        let input = mutate(&mut rng, base, other);
        check(&name, target, &input, root);
        runs += 1;
        // Keep some mutants as new bases, so mutations compound.
        if runs.is_multiple_of(64) && corpus.len() < 4096 {
            corpus.push(input);
        }
    }
    println!(
        "{name}: {runs} inputs in {}s (seed {seed}), no crash",
        started.elapsed().as_secs()
    );
}

fn names() -> String {
    relman_fuzz::TARGETS
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn inputs(dir: &Path) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = fs_err::read_dir(dir)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| fs_err::read(path).ok())
        .collect()
}

fn check(name: &str, target: relman_fuzz::Target, input: &[u8], root: &Path) {
    if catch_unwind(AssertUnwindSafe(|| target(input))).is_ok() {
        return;
    }
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let dir = root.join("artifacts").join(name);
    fs_err::create_dir_all(&dir).expect("create the artifacts folder");
    let path = dir.join(format!("crash-{hash:016x}"));
    fs_err::write(&path, input).expect("write the crashing input");
    // Run it once more with the default hook, to show the panic.
    let _ = std::panic::take_hook();
    let _ = catch_unwind(AssertUnwindSafe(|| target(input)));
    eprintln!(
        "{name}: crash, input kept in {} ({:?})",
        path.display(),
        String::from_utf8_lossy(input)
    );
    std::process::exit(1);
}

fn mutate(rng: &mut fastrand::Rng, base: &[u8], other: &[u8]) -> Vec<u8> {
    let mut input = base.to_vec();
    for _ in 0..rng.usize(1..6) {
        let at = rng.usize(0..=input.len());
        match rng.u8(0..8) {
            0 if !input.is_empty() => {
                let index = rng.usize(0..input.len());
                input[index] ^= 1 << rng.u8(0..8);
            }
            1 => input.insert(at, rng.u8(..)),
            2 if at < input.len() => {
                let end = (at + rng.usize(1..16)).min(input.len());
                input.drain(at..end);
            }
            3 => input.truncate(at),
            4 if !other.is_empty() => {
                let start = rng.usize(0..other.len());
                let end = (start + rng.usize(1..64)).min(other.len());
                input.splice(at..at, other[start..end].iter().copied());
            }
            5 if at < input.len() => {
                // Repeat a piece: long runs, deep nesting.
                let end = (at + rng.usize(1..8)).min(input.len());
                let piece = input[at..end].to_vec();
                for _ in 0..rng.usize(1..64) {
                    input.splice(at..at, piece.iter().copied());
                }
            }
            _ => {
                let token = TOKENS[rng.usize(0..TOKENS.len())].as_bytes();
                input.splice(at..at, token.iter().copied());
            }
        }
    }
    input.truncate(64 * 1024);
    input
}
