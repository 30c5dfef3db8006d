#!/usr/bin/env bash
# Times relman's history reading against its floors (git log over the same range with the same
# format, process start included) and against peers, on the repositories of bench/generate.sh.
#
#   bench/run.sh                     # every repository in bench/work/
#   REPOS="10k 100k" bench/run.sh    # some of them
#   RELMAN=path/to/relman            # default: target/release/relman
#   WALK=path/to/walk                # relman-git alone (cargo build --release -p relman-git --example walk)
#   RUNS=10 FULL_RUNS=3              # runs per measurement (unreleased / full history)
#   PEER_TIMEOUT=300                 # seconds before a peer run is abandoned
#   PEER_FULL_MAX=100000             # largest repository on which peers render the full history
#
# Uses hyperfine when installed (apt-get install hyperfine), else a loop of `date +%s%N` runs;
# medians throughout. Peak memory comes from GNU time (apt-get install time).
# Targets: unreleased within 1.5x of the floor and no slower than git-cliff; full history within
# 1.5x of git log with peak memory under 200 MB; `relman --version` under 5 ms.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
RELMAN="${RELMAN:-$root/target/release/relman}"
WALK="${WALK:-$root/target/release/examples/walk}"
RUNS="${RUNS:-10}"
FULL_RUNS="${FULL_RUNS:-3}"
PEER_TIMEOUT="${PEER_TIMEOUT:-300}"
PEER_FULL_MAX="${PEER_FULL_MAX:-100000}"
GIT_CLIFF="${GIT_CLIFF:-$(command -v git-cliff || true)}"
COG="${COG:-$(command -v cog || true)}"
TIME_BIN=/usr/bin/time

# The format and options relman-git reads history with (relman_git::log_arguments; keep in sync).
LOG_ARGS=(log -z --no-color --no-show-signature --encoding=UTF-8 --decorate-refs=refs/tags/
  '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%D%x00%B')
# The release walk leaves decorations to git only for loose tags; with packed tags (a clone) it
# reads this format, which spares git a read of every tag object.
PLAIN_LOG_ARGS=(log -z --no-color --no-show-signature --encoding=UTF-8
  '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%x00%B')

results="$(mktemp)"
notes="$(mktemp)"
trap 'rm -f "$results" "$notes" "$results".*' EXIT

note() { echo "$*" | tee -a "$notes" >&2; }

# median_seconds RUNS CMD...: the median wall time of RUNS runs of CMD, stdout discarded;
# prints nothing when the command fails.
median_seconds() {
  local runs="$1"
  shift
  "$@" > /dev/null 2>&1 || return 1
  if command -v hyperfine > /dev/null; then
    local quoted=""
    for arg in "$@"; do quoted+=" $(printf '%q' "$arg")"; done
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$results.json" \
      -- "$quoted" > /dev/null 2>&1 || return 1
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' \
      "$results.json"
  else
    local times=() start end
    for _ in $(seq "$runs"); do
      start=$(date +%s%N)
      "$@" > /dev/null 2>&1 || return 1
      end=$(date +%s%N)
      times+=("$(( end - start ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.6f\n", m/1e9}'
  fi
}

# peak_mb CMD...: the maximum resident set size of one run, in MB.
peak_mb() {
  [[ -x "$TIME_BIN" ]] || return 1
  "$TIME_BIN" -f '%M' -o "$results.rss" "$@" > /dev/null 2>&1 || return 1
  awk '{kb=$1} END {printf "%.1f\n", kb/1024}' "$results.rss"
}

# own_peak_mb CMD...: the peak resident set of CMD's own process, children excluded (relman's
# memory, not that of the git it runs, whose mmapped pack dominates the tree's peak). Polled from
# /proc every 5 ms, so meaningful for runs of a second or more.
own_peak_mb() {
  [[ -d /proc/self ]] || return 1
  python3 - "$@" << 'EOF_PY'
import subprocess, sys, time
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while child.poll() is None:
    try:
        with open(f"/proc/{child.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.005)
print(f"{peak / 1024:.1f}" if peak else "-")
EOF_PY
}

# record REPO KEY RUNS CMD...: time CMD and store "REPO KEY SECONDS TREE_MB OWN_MB"; the process's
# own peak is measured for relman over the full history, where the memory target applies.
record() {
  local repo="$1" key="$2" runs="$3"
  shift 3
  local seconds mb own="-"
  if ! seconds=$(median_seconds "$runs" "$@"); then
    note "$repo: $key failed: $*"
    return
  fi
  mb=$(peak_mb "$@" || echo "-")
  case "$key" in
    full.relman | full.walk) own=$(own_peak_mb "$@" || echo "-") ;;
  esac
  echo "$repo $key $seconds $mb $own" >> "$results"
}

have_relman=0
if [[ -x "$RELMAN" ]]; then have_relman=1; else note "relman: $RELMAN not built (cargo build --release -p relman): relman rows skipped"; fi
[[ -n "$GIT_CLIFF" ]] || note "git-cliff: not installed (pip install git-cliff): peer rows skipped"
[[ -n "$COG" ]] || note "cog: not installed (cargo install cocogitto): peer rows skipped"
[[ -x "$WALK" ]] || note "walk: $WALK not built (cargo build --release -p relman-git --example walk): relman-git rows skipped"
command -v hyperfine > /dev/null || note "hyperfine: not installed, timing with a date loop"
[[ -x "$TIME_BIN" ]] || note "time: $TIME_BIN missing (apt-get install time): no peak memory"

repos="${REPOS:-$(ls "$here/work" 2> /dev/null)}"
[[ -n "$repos" ]] || { echo "no repositories: run bench/generate.sh first" >&2; exit 2; }

for name in $repos; do
  repo="$here/work/$name"
  [[ -d "$repo/.git" ]] || { note "$name: not a repository"; continue; }
  commits=$(git -C "$repo" rev-list --count HEAD)
  last_tag=$(git -C "$repo" describe --tags --abbrev=0)
  echo "== $name: $commits commits, last tag $last_tag" >&2

  record "$name" unreleased.floor "$RUNS" git -C "$repo" "${LOG_ARGS[@]}" "$last_tag..HEAD" --
  record "$name" unreleased.plain "$RUNS" git -C "$repo" "${PLAIN_LOG_ARGS[@]}" "$last_tag..HEAD" --
  [[ -x "$WALK" ]] && record "$name" unreleased.walk "$RUNS" "$WALK" "$repo" unreleased
  ((have_relman)) && record "$name" unreleased.relman "$RUNS" "$RELMAN" -C "$repo" changelog --unreleased
  if [[ -n "$GIT_CLIFF" ]]; then
    record "$name" unreleased.git-cliff "$RUNS" timeout "$PEER_TIMEOUT" "$GIT_CLIFF" -r "$repo" --unreleased --bump
  fi
  if [[ -n "$COG" ]]; then
    record "$name" unreleased.cog-bump "$RUNS" timeout "$PEER_TIMEOUT" sh -c "cd '$repo' && '$COG' bump --auto --dry-run"
  fi

  record "$name" full.floor "$FULL_RUNS" git -C "$repo" "${LOG_ARGS[@]}" HEAD --
  [[ -x "$WALK" ]] && record "$name" full.walk "$FULL_RUNS" "$WALK" "$repo" full
  ((have_relman)) && record "$name" full.relman "$FULL_RUNS" "$RELMAN" -C "$repo" changelog --all
  if (( commits <= PEER_FULL_MAX )); then
    [[ -n "$GIT_CLIFF" ]] && record "$name" full.git-cliff "$FULL_RUNS" timeout "$PEER_TIMEOUT" "$GIT_CLIFF" -r "$repo"
    [[ -n "$COG" ]] && record "$name" full.cog-changelog "$FULL_RUNS" timeout "$PEER_TIMEOUT" sh -c "cd '$repo' && '$COG' changelog"
  elif [[ -n "$GIT_CLIFF$COG" ]]; then
    note "$name: peers skipped for the full history above PEER_FULL_MAX=$PEER_FULL_MAX commits"
  fi
done

if ((have_relman)); then
  record "-" version.relman 50 "$RELMAN" --version
fi

python3 - "$results" "$notes" << 'EOF'
import sys
from collections import defaultdict

rows = defaultdict(dict)
for line in open(sys.argv[1]):
    repo, key, seconds, mb, own = line.split()
    rows[repo][key] = (
        float(seconds),
        None if mb == "-" else float(mb),
        None if own == "-" else float(own),
    )

LABELS = {
    "unreleased.floor": "floor: git log LAST_TAG..HEAD",
    "unreleased.plain": "  same, without decorations",
    "unreleased.walk": "relman-git: find tag + stream since",
    "unreleased.relman": "relman changelog --unreleased",
    "unreleased.git-cliff": "git cliff --unreleased --bump",
    "unreleased.cog-bump": "cog bump --auto --dry-run",
    "full.floor": "floor: git log HEAD",
    "full.walk": "relman-git: stream all of HEAD",
    "full.relman": "relman changelog --all",
    "full.git-cliff": "git cliff (whole history)",
    "full.cog-changelog": "cog changelog",
    "version.relman": "relman --version",
}

def fmt_time(seconds):
    return f"{seconds * 1000:9.1f} ms" if seconds < 10 else f"{seconds:9.2f} s "

def verdict(ok):
    return "ok" if ok else "MISSED"

print(f"{'repo':6} {'measure':40} {'median':>12} {'tree MB':>8} {'own MB':>7}  comparison")
for repo in sorted(rows, key=lambda r: (r == "-", len(r), r)):
    data = rows[repo]
    for key, label in LABELS.items():
        if key not in data:
            continue
        seconds, mb, own = data[key]
        section = key.split(".")[0]
        floor = data.get(f"{section}.floor", (None,))[0]
        parts = []
        if key.endswith(".relman") or key.endswith(".walk"):
            if floor:
                ratio = seconds / floor
                target = "" if key.endswith(".walk") else f" (target <= 1.5x: {verdict(ratio <= 1.5)})"
                parts.append(f"{ratio:.2f}x floor{target}")
            plain = data.get(f"{section}.plain", (None,))[0]
            if plain:
                parts.append(f"{seconds / plain:.2f}x undecorated floor")
            if key.endswith(".relman"):
                for peer in ("git-cliff", "cog-bump", "cog-changelog"):
                    if f"{section}.{peer}" in data:
                        peer_seconds = data[f"{section}.{peer}"][0]
                        target = f" (target <= 1x: {verdict(seconds <= peer_seconds)})" if section == "unreleased" and peer == "git-cliff" else ""
                        parts.append(f"{seconds / peer_seconds:.3f}x {peer}{target}")
                if section == "full" and own is not None:
                    parts.append(f"own memory < 200 MB: {verdict(own < 200)}")
        if key == "version.relman":
            parts.append(f"target < 5 ms: {verdict(seconds < 0.005)}")
        mb_text = "-" if mb is None else f"{mb:.1f}"
        own_text = "-" if own is None else f"{own:.1f}"
        print(f"{repo:6} {label:40} {fmt_time(seconds):>12} {mb_text:>8} {own_text:>7}  {'; '.join(parts)}")
print("\ntree MB: peak resident set of the largest process (GNU time), git's mmapped pack included;")
print("own MB: the measured process alone, children excluded (relman and relman-git rows, full history)")
notes = open(sys.argv[2]).read().strip()
if notes:
    print("\nnotes:\n" + "\n".join("  " + line for line in notes.splitlines()))
EOF
