#!/usr/bin/env bash
# The monorepo benchmark: `relman packages` (every package's last release, commits since and
# next version) on a synthetic Cargo workspace of 100 crates over 1M commits, each crate released
# about every 10k commits, against its floor: `git log --format=%H --name-only OLDEST..HEAD`,
# where OLDEST is the oldest of the crates' last releases (the commits any package has not
# released, with the paths they changed). Peers (release-plz, knope, cog) run beside it when
# installed. Prints the medians and the ratio.
#
#   bench/packages.sh                          # builds bench/work/packages-1m once, then times
#   COUNT=100000 bench/packages.sh             # a smaller repository
#   RELMAN=path/to/relman RUNS=5 bench/packages.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
RELMAN="${RELMAN:-$root/target/release/relman}"
COUNT="${COUNT:-1000000}"
PACKAGES="${PACKAGES:-100}"
EVERY="${EVERY:-10000}"
RUNS="${RUNS:-5}"
repo="$here/work/packages-$((COUNT / 1000))k"
mkdir -p "$here/work"

stamp="$(sha256sum "$here/generate_packages.py" "$here/generate.py" | sha256sum | cut -c1-16) $COUNT $PACKAGES $EVERY"
if [[ ! -f "$repo/.git/bench-stamp" || "$(cat "$repo/.git/bench-stamp")" != "$stamp" ]]; then
  rm -rf "$repo"
  git init --quiet --initial-branch=main "$repo"
  start=$(date +%s)
  (cd "$here" && python3 generate_packages.py "$COUNT" --packages "$PACKAGES" --release-every "$EVERY") \
    | git -C "$repo" -c gc.auto=0 fast-import --quiet --done
  git -C "$repo" pack-refs --all
  git -C "$repo" reset --quiet --hard main
  echo "$stamp" > "$repo/.git/bench-stamp"
  echo "$repo: built in $(( $(date +%s) - start )) s" >&2
fi

# The oldest last release: each crate's newest tag, the oldest of those.
oldest=$(git -C "$repo" for-each-ref --sort=-creatordate --format='%(refname:short)' refs/tags \
  | awk -F-v '!seen[$1]++ {print}' | tail -n 1)
echo "$repo: $(git -C "$repo" rev-list --count HEAD) commits, $(git -C "$repo" tag | wc -l) tags, oldest last release $oldest ($(git -C "$repo" rev-list --count "$oldest..HEAD") commits since)" >&2

median() {
  local runs="$1"
  shift
  "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  local times=() start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    times+=("$(( end - start ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]/1e9}'
}

floor=$(median "$RUNS" git -C "$repo" log --format=%H --name-only "$oldest..HEAD")
echo "floor (git log --format=%H --name-only $oldest..HEAD): $floor s"
if [[ -x "$RELMAN" ]]; then
  relman=$(median "$RUNS" "$RELMAN" -C "$repo" packages)
  echo "relman packages: $relman s, $(awk -v a="$relman" -v b="$floor" 'BEGIN {printf "%.2f", a/b}')x the floor"
  json=$(median "$RUNS" "$RELMAN" -C "$repo" --json packages)
  echo "relman --json packages: $json s, $(awk -v a="$json" -v b="$floor" 'BEGIN {printf "%.2f", a/b}')x the floor"
else
  echo "relman: $RELMAN not built (cargo build --release -p relman)" >&2
fi
for peer in release-plz knope cog; do
  if ! command -v "$peer" > /dev/null; then
    echo "$peer: not installed, skipped" >&2
  fi
done
if command -v release-plz > /dev/null; then
  echo "release-plz update --dry-run: $(median 1 sh -c "cd '$repo' && release-plz update --dry-run") s"
fi
if command -v cog > /dev/null; then
  echo "cog bump --auto --dry-run: $(median 1 sh -c "cd '$repo' && cog bump --auto --dry-run") s"
fi
