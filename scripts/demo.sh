#!/usr/bin/env bash
# relman's main job, end to end on a fresh machine: builds relman, creates a throwaway Python
# project with a bare `origin` remote in a temp folder, shows the plan of the built-in `release`
# workflow, runs it (checks, bump, changelog, commit, annotated tag, atomic push), then shows the
# journal and what the remote received. Leaves the temp folder for you to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/relman/target}"
cargo build --release --locked -p relman
relman="$CARGO_TARGET_DIR/release/relman"

demo="$(mktemp -d "${TMPDIR:-/tmp}/relman-demo.XXXXXX")"
export GIT_CONFIG_GLOBAL="$demo/gitconfig" GIT_CONFIG_NOSYSTEM=1
git config --file "$GIT_CONFIG_GLOBAL" user.name "Demo Maintainer"
git config --file "$GIT_CONFIG_GLOBAL" user.email "maintainer@example.org"
git config --file "$GIT_CONFIG_GLOBAL" init.defaultBranch main

git init --quiet --bare "$demo/origin.git"
git init --quiet "$demo/ciso"
cd "$demo/ciso"
git remote add origin "$demo/origin.git"
mkdir ciso
printf 'from setuptools import setup\n\nVERSION = "2.1.2"\n\nsetup(name="ciso", version=VERSION)\n' > setup.py
printf '__version__ = "2.1.2"\n' > ciso/__init__.py
printf '# Changelog\n\n## 2.1.2 - 2026-01-10\n\n- Previous release.\n' > CHANGELOG.md
git add . && git commit --quiet -m "chore: project as released in 2.1.2"
git tag -a v2.1.2 -m "Release 2.1.2"
echo "def parse_week(): ..." > ciso/weeks.py && git add . && git commit --quiet -m "feat(parser): parse ISO week dates (#131)"
echo "# utc" >> ciso/weeks.py && git add . && git commit --quiet -m "fix: keep the UTC offset of naive times (#133)"
git push --quiet -u origin main --tags

echo; echo "\$ relman plan release"
"$relman" --color never plan release
echo; echo "\$ relman release --yes"
"$relman" --color never release --yes
echo; echo "\$ relman status"
"$relman" --color never status
echo; echo "The remote now has:"
git -C "$demo/origin.git" log --oneline -3 main
git -C "$demo/origin.git" tag --list
echo; echo "Demo project: $demo/ciso"
