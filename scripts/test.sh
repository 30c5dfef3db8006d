#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs the whole suite with
# every outside tool required (a missing tool fails a test instead of skipping it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-tools.sh
VENV="${RELMAN_TEST_VENV:-$HOME/.cache/relman/test-services-venv}"
export PATH="$VENV/bin:$PATH"
export RELMAN_TEST_REQUIRE_TOOLS=1
cargo test --workspace --locked "$@"
