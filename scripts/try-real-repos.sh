#!/usr/bin/env bash
# Runs relman's read-only commands over local clones of real repositories and prints one table
# row per clone: what relman says the version, the last release and the next versions are,
# whether `check` and `plan release` pass, and the exit code of each command. Nothing is written
# in the clones: `init` writes its relman.toml to a temporary folder, and `check` and
# `plan release` are run a second time with that file.
#
#   scripts/try-real-repos.sh ~/src/ripgrep ~/src/helm ...     # a clone per argument
#   RELMAN=target/release/relman scripts/try-real-repos.sh DIR  # default: target/debug/relman
#   LOG=DIR scripts/try-real-repos.sh ...                       # keep every command's output
#
# docs/real-repositories.md says what the maintainers of such repositories expect.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
RELMAN="${RELMAN:-$root/target/debug/relman}"
[[ -x "$RELMAN" ]] || { echo "relman: $RELMAN not built (cargo build -p relman)" >&2; exit 2; }
[[ $# -gt 0 ]] || { echo "usage: $0 CLONE..." >&2; exit 2; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
LOG="${LOG:-$scratch/log}"
mkdir -p "$LOG"

# first_line FILE: the first line of a command's stdout, or `-`.
first_line() { local line; line="$(head -n 1 "$1")"; echo "${line:--}"; }

# relman_in DIR NAME ARGS...: runs relman, stdout to LOG/NAME.out, stderr to LOG/NAME.err;
# prints the exit code.
relman_in() {
  local dir="$1" name="$2"
  shift 2
  timeout 300 "$RELMAN" -C "$dir" --no-input "$@" > "$LOG/$name.out" 2> "$LOG/$name.err"
  echo $?
}

printf '| repository | version | last release | next auto | next minor | check | plan release | init → check, plan | exit codes (version, auto, minor, changelog, check, init, plan) |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for dir in "$@"; do
  name="$(basename "$(cd "$dir" && pwd)")"
  [[ -d "$dir/.git" || -f "$dir/.git" ]] || { echo "| $name | not a clone |||||||" ; continue; }
  v=$(relman_in "$dir" "$name.version" version)
  a=$(relman_in "$dir" "$name.auto" version --next auto)
  m=$(relman_in "$dir" "$name.minor" version --next minor)
  c=$(relman_in "$dir" "$name.changelog" changelog)
  k=$(relman_in "$dir" "$name.check" check)
  p=$(relman_in "$dir" "$name.plan" plan release)
  config="$scratch/$name.toml"
  i=$(relman_in "$dir" "$name.init" --config "$config" init)
  if [[ -f "$config" ]]; then
    ik=$(relman_in "$dir" "$name.init-check" --config "$config" check)
    ip=$(relman_in "$dir" "$name.init-plan" --config "$config" plan release)
    with_init="$ik, $ip"
  else
    with_init="not written"
  fi
  last="$(grep -o 'last release [^ ]*' "$LOG/$name.check.out" | head -n 1 | cut -d' ' -f3)"
  auto="$(first_line "$LOG/$name.auto.out")"
  [[ "$auto" == "-" ]] && grep -q 'nothing to release' "$LOG/$name.auto.err" && auto="nothing to release"
  plan="$(grep -m1 '^Plan' "$LOG/$name.plan.out" | sed 's/ (tag .*//; s/: none of the .*//' | cut -c1-70)"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$name" "$(first_line "$LOG/$name.version.out")" "${last:--}" "$auto" \
    "$(first_line "$LOG/$name.minor.out")" "$([[ $k == 0 ]] && echo ok || echo "exit $k")" \
    "${plan:-exit $p}" "$with_init" "$v, $a, $m, $c, $k, $i, $p"
done
