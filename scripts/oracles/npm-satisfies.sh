#!/usr/bin/env bash
# Regenerates crates/relman-version/tests/data/npm-satisfies.json: what npm's
# `semver.satisfies(version, range)` and `semver.validRange(range)` answer for the ranges
# workspace requirements use. relman's npm ranges (relman_version::workspace::npm_range) must
# give exactly these answers (tests/it/workspace.rs reads the file).
#
# Needs node and npm; installs the `semver` package into a temporary prefix.
# Usage: scripts/oracles/npm-satisfies.sh [SEMVER_PACKAGE_VERSION]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/crates/relman-version/tests/data/npm-satisfies.json"
semver_version="${1:-7.8.6}"

prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT

npm install --silent --no-audit --no-fund --prefix "$prefix" "semver@$semver_version" >/dev/null
NODE_PATH="$prefix/node_modules" node "$here/npm-satisfies.js" >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(grep -c '"range"' "$out") cases to $out" >&2
