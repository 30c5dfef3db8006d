#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a bounded time, then replays every kept input (fuzz/seeds,
# fuzz/regressions). With cargo-fuzz and a nightly toolchain it uses libFuzzer (coverage-guided,
# in its own target dir); otherwise the stable mutation loop (fuzz/src/bin/fuzz-stable.rs), built
# like the tests so CI reuses what they compiled. A crash fails the script and leaves its input in
# fuzz/artifacts/TARGET/: fix the bug, keep the input in fuzz/regressions/TARGET/, and add a test to
# the crate where the bug was.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    (20 s per target by default)
#   RELMAN_FUZZ_ENGINE=stable|libfuzzer picks the engine; RELMAN_FUZZ_SEED repeats a stable run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(config versions tag_formats conventional changelog towncrier journal condition)
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/relman/target}"

engine="${RELMAN_FUZZ_ENGINE:-}"
if [ -z "$engine" ]; then
    if cargo fuzz --version >/dev/null 2>&1 && rustup run nightly rustc --version >/dev/null 2>&1; then
        engine=libfuzzer
    else
        engine=stable
    fi
fi
log() { printf 'fuzz: %s\n' "$*" >&2; }
log "engine: $engine; ${seconds}s per target: ${targets[*]}"

if [ "$engine" = libfuzzer ]; then
    export CARGO_TARGET_DIR="$CARGO_TARGET_DIR-fuzz"
    cd fuzz
    for target in "${targets[@]}"; do
        # Absolute: cargo-fuzz runs the target from another folder.
        mkdir -p "$PWD/corpus/$target"
        dirs=("$PWD/corpus/$target" "$PWD/seeds/$target")
        [ -d "regressions/$target" ] && dirs+=("$PWD/regressions/$target")
        output="$(mktemp)"
        if ! cargo +nightly fuzz run --features libfuzzer -O "$target" "${dirs[@]}" -- \
            -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 >"$output" 2>&1; then
            tail -n 40 "$output" >&2
            log "$target: crash (input in fuzz/artifacts/$target/)"
            exit 1
        fi
        runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$output" | grep -o '[0-9]*$' || echo '?')"
        rm -f "$output"
        log "$target: $runs inputs in ${seconds}s, no crash"
    done
    cd ..
else
    cargo build --locked -p relman-fuzz --bin fuzz-stable
    for target in "${targets[@]}"; do
        "$CARGO_TARGET_DIR/debug/fuzz-stable" "$target" "$seconds"
    done
fi
cargo test --locked --quiet -p relman-fuzz
log "done"
