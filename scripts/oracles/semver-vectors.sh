#!/usr/bin/env bash
# Regenerates crates/relman-version/tests/data/semver-inc.json: what npm's `semver.inc(version, level,
# label)` answers for a broad grid of versions, levels and labels. relman's semver bumps of the same
# name must give exactly these results (tests/it/versions.rs reads the file).
#
# Needs node and npm; installs the `semver` package into a temporary prefix, so nothing global changes.
# Usage: scripts/oracles/semver-vectors.sh [SEMVER_PACKAGE_VERSION]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/crates/relman-version/tests/data/semver-inc.json"
semver_version="${1:-7.8.6}"

prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT

npm install --silent --no-audit --no-fund --prefix "$prefix" "semver@$semver_version" >/dev/null
NODE_PATH="$prefix/node_modules" node "$here/semver-vectors.js" >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(grep -c '"level"' "$out") cases to $out" >&2
