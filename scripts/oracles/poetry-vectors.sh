#!/usr/bin/env bash
# Regenerates crates/relman-version/tests/data/poetry-version.json: what the real `poetry version
# RULE` command answers for a grid of PEP 440 versions. relman's pep440 bumps of the same name must
# give exactly these results (tests/it/versions.rs reads the file).
#
# Installs Poetry into a virtual environment (POETRY_ORACLE_VENV, default /work/venvs/poetry-oracle)
# and runs `poetry version RULE --short --dry-run` in a throwaway project per case: slow (about half
# a second a case, two at a time), but it is the command users run, not a re-implementation.
# Usage: scripts/oracles/poetry-vectors.sh [POETRY_VERSION]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/crates/relman-version/tests/data/poetry-version.json"
poetry_version="${1:-2.5.1}"
venv="${POETRY_ORACLE_VENV:-/work/venvs/poetry-oracle}"

if [ ! -x "$venv/bin/poetry" ] || ! "$venv/bin/poetry" --version | grep -q "version $poetry_version)"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "poetry==$poetry_version"
fi

"$venv/bin/python" "$here/poetry-vectors.py" "$venv/bin/poetry" >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(grep -c '"rule"' "$out") cases to $out" >&2
