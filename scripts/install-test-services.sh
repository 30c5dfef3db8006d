#!/usr/bin/env bash
# Installs the real services that relman's integration tests start on 127.0.0.1:
#   - docker-registry (Debian package): an OCI distribution registry
#   - htpasswd (apache2-utils): basic-auth files for that registry
#   - openssl: self-signed certificates for the SMTP STARTTLS test
#   - a Python venv with pypiserver (+ passlib for its auth), twine and aiosmtpd
#
# The venv lives at $RELMAN_TEST_VENV, default $HOME/.cache/relman/test-services-venv.
# relman_testkit's launchers look there first (same variable, same default), then on PATH.
#
# Idempotent: when everything is already present it only checks and returns (about a second).
# Needs root (or sudo) for apt-get the first time; pip runs unprivileged into the venv.
set -euo pipefail

VENV="${RELMAN_TEST_VENV:-$HOME/.cache/relman/test-services-venv}"
PY_PACKAGES=(pypiserver passlib twine aiosmtpd)

log() { printf 'install-test-services: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root for: $*"
        return 1
    fi
}

# --- Debian packages -------------------------------------------------------------------------
missing_debs=()
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || missing_debs+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing_debs+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || missing_debs+=(openssl)

if [ "${#missing_debs[@]}" -gt 0 ]; then
    log "apt-get install ${missing_debs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    # The registry package ships a service; without an init system its start is refused
    # harmlessly, and the tests start their own instances anyway.
    as_root apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
fi

# --- Python venv -----------------------------------------------------------------------------
venv_ready() {
    [ -x "$VENV/bin/python" ] || return 1
    "$VENV/bin/python" - "${PY_PACKAGES[@]}" <<'EOF' >/dev/null 2>&1
import sys
from importlib.metadata import version
for name in sys.argv[1:]:
    version(name)
EOF
}

if ! venv_ready; then
    python="$(command -v python3 || true)"
    if [ -z "$python" ]; then
        log "apt-get install python3 python3-venv"
        as_root apt-get update -qq
        as_root apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
        python="$(command -v python3)"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        mkdir -p "$(dirname "$VENV")"
        if ! "$python" -m venv "$VENV" 2>/dev/null; then
            # Debian's python3 keeps ensurepip in a separate package.
            log "apt-get install python3-venv"
            as_root apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
            rm -rf "$VENV"
            "$python" -m venv "$VENV"
        fi
    fi
    log "pip install ${PY_PACKAGES[*]} into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PY_PACKAGES[@]}"
fi

for tool in pypi-server twine; do
    [ -x "$VENV/bin/$tool" ] || { log "missing $VENV/bin/$tool after install"; exit 1; }
done
"$VENV/bin/python" -c 'import aiosmtpd' || { log "aiosmtpd not importable"; exit 1; }
log "ready (venv: $VENV)"
