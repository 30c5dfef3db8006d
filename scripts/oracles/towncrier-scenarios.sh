#!/usr/bin/env bash
# Regenerates the expected news files of the towncrier scenarios under
# crates/relman-version/tests/data/towncrier/ with the real `towncrier build` (see
# towncrier-scenarios.py for what each scenario holds and what is stored). relman's towncrier
# output must equal these files byte for byte (tests/it/towncrier.rs compares).
#
# Installs towncrier into a virtual environment (TOWNCRIER_ORACLE_VENV, default
# /work/venvs/towncrier) at the pinned version unless it is already there.
# Usage: scripts/oracles/towncrier-scenarios.sh [SCENARIO...]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
towncrier_version="${TOWNCRIER_VERSION:-26.9.0}"
venv="${TOWNCRIER_ORACLE_VENV:-/work/venvs/towncrier}"

if [ ! -x "$venv/bin/towncrier" ] || ! "$venv/bin/towncrier" --version | grep -q "version $towncrier_version\$"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "towncrier==$towncrier_version"
fi

TOWNCRIER="$venv/bin/towncrier" "$venv/bin/python" "$here/towncrier-scenarios.py" "$@"
