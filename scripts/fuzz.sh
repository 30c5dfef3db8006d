#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a bounded time, then replays every kept input (fuzz/seeds,
# fuzz/regressions). With cargo-fuzz and a nightly toolchain it uses libFuzzer (coverage-guided,
# in its own target dir); otherwise the stable mutation loop (fuzz/src/bin/fuzz-stable.rs), built
# like the tests so CI reuses what they compiled. A crash fails the script and leaves its input in
# fuzz/artifacts/TARGET/: fix the bug, keep the input in fuzz/regressions/TARGET/, and add a test to
# the crate where the bug was.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    (20 s per target by default)
#   RELMAN_FUZZ_ENGINE=stable|libfuzzer picks the engine (default: libFuzzer when a nightly
#   toolchain and cargo-fuzz are installed); RELMAN_FUZZ_SEED repeats a stable run.
#
# libFuzzer needs what a fresh machine may lack: `rustup toolchain install nightly --profile
# minimal` and `cargo install cargo-fuzz`. Without them the script says so and runs the stable
# loop instead: fuzzing never fails for want of nightly.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(config versions tag_formats conventional changelog towncrier journal condition)
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/relman/target}"

log() { printf 'fuzz: %s\n' "$*" >&2; }
engine="${RELMAN_FUZZ_ENGINE:-}"
if [ "$engine" != stable ]; then
    missing=()
    rustup run nightly rustc --version >/dev/null 2>&1 ||
        missing+=("a nightly toolchain (rustup toolchain install nightly --profile minimal)")
    cargo fuzz --version >/dev/null 2>&1 || missing+=("cargo-fuzz (cargo install cargo-fuzz)")
    if [ "${#missing[@]}" -eq 0 ]; then
        engine=libfuzzer
    else
        log "libFuzzer skipped, missing $(printf '%s and ' "${missing[@]}" | sed 's/ and $//'); the stable mutation loop runs instead"
        engine=stable
    fi
fi
log "engine: $engine; ${seconds}s per target: ${targets[*]}"

if [ "$engine" = libfuzzer ]; then
    export CARGO_TARGET_DIR="$CARGO_TARGET_DIR-fuzz"
    # Without the release profile's link-time optimisation: each target is a binary of its own,
    # and linking eight of them with LTO took longer than fuzzing them.
    export CARGO_PROFILE_RELEASE_LTO=false
    cd fuzz
    # Every target in one build, linked side by side; `fuzz run` then finds them built.
    build_started=$(date +%s)
    cargo +nightly fuzz build --features libfuzzer -O >&2
    log "built the targets in $(( $(date +%s) - build_started ))s"
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
        took="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$output" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || echo "$seconds")"
        rm -f "$output"
        log "$target: $runs inputs in ${took}s, no crash"
    done
    cd ..
else
    # The whole workspace's tests and binaries, as `cargo test --workspace` builds them: after
    # the tests (CI) nothing is compiled again, since the features resolve the same.
    cargo build --locked --workspace --tests --bins
    for target in "${targets[@]}"; do
        "$CARGO_TARGET_DIR/debug/fuzz-stable" "$target" "$seconds"
    done
fi
# Every kept input replayed (selected in the workspace: nothing is built again after the tests).
cargo test --locked --quiet --workspace --test regressions
log "done"
