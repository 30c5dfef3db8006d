#!/usr/bin/env bash
# Builds the synthetic benchmark repositories in bench/work/ (git-ignored) with git fast-import:
# 10k, 100k and 1M linear commits, an annotated tag every 100 commits, the last 100 unreleased.
# Deterministic (SEED); a repository is rebuilt only when the generator or its parameters changed.
#
#   bench/generate.sh                 # all sizes
#   SIZES="10000" bench/generate.sh   # one size
#   FORCE=1 bench/generate.sh         # rebuild even when up to date
#   COMMIT_GRAPH=1 bench/generate.sh  # also write a commit-graph (as `git gc` would)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$here/work"
sizes="${SIZES:-10000 100000 1000000}"
seed="${SEED:-42}"
mkdir -p "$work"

name_for() {
  case "$1" in
    *000000) echo "$(( $1 / 1000000 ))m" ;;
    *000) echo "$(( $1 / 1000 ))k" ;;
    *) echo "$1" ;;
  esac
}

for count in $sizes; do
  repo="$work/$(name_for "$count")"
  stamp="$(sha256sum "$here/generate.py" | cut -c1-16) count=$count seed=$seed graph=${COMMIT_GRAPH:-0}"
  if [[ -z "${FORCE:-}" && -f "$repo/.git/bench-stamp" && "$(cat "$repo/.git/bench-stamp")" == "$stamp" ]]; then
    echo "$repo: up to date"
    continue
  fi
  rm -rf "$repo"
  git init --quiet --initial-branch=main "$repo"
  start=$(date +%s)
  python3 "$here/generate.py" "$count" --seed "$seed" \
    | git -C "$repo" -c gc.auto=0 fast-import --quiet --done
  # A clone has its refs packed; the work tree is checked out so `relman -C` works as in a checkout.
  git -C "$repo" pack-refs --all
  git -C "$repo" reset --quiet --hard main
  if [[ "${COMMIT_GRAPH:-0}" == 1 ]]; then
    git -C "$repo" commit-graph write --reachable
  fi
  echo "$stamp" > "$repo/.git/bench-stamp"
  tags=$(git -C "$repo" for-each-ref refs/tags | wc -l)
  size=$(du -sh "$repo/.git" | cut -f1)
  echo "$repo: $count commits, $tags tags, $size, built in $(( $(date +%s) - start )) s"
done
