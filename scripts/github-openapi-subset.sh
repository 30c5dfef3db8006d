#!/usr/bin/env bash
# Regenerates crates/relman-testkit/openapi/github-subset.json, the part of GitHub's published
# OpenAPI description that the fake GitHub is checked against. Installs npm `@octokit/openapi`
# into a temporary prefix (nothing global), extracts the operations relman uses, and cleans up.
#
# usage: scripts/github-openapi-subset.sh [VERSION]   (default: the version pinned below)
set -euo pipefail
version="${1:-23.0.2}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
npm install --silent --no-audit --no-fund --prefix "$prefix" "@octokit/openapi@$version" >/dev/null
node "$root/scripts/github-openapi-subset.js" \
  "$prefix/node_modules/@octokit/openapi/generated/api.github.com.json" \
  "$version" \
  "$root/crates/relman-testkit/openapi/github-subset.json"
