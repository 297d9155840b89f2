#!/usr/bin/env bash
# Installs the OS packages the local stack and the browser tests need, idempotently.
#
# Why a script and not a README paragraph: `make` calls it before creating the venv
# and `souq stack up` calls it when a server binary is missing, so there is one
# list and one way of installing. It runs `apt-get update` only when something is
# actually missing, so a second run on a ready machine is instant and offline.
#
# Usage: bash devstack/bootstrap.sh [package ...]   (no arguments: everything)
set -euo pipefail

# nginx fronts the web in `souq run`: it buffers and time-limits request bodies so slow
# clients never hold one of the web's few threads (see devstack/reverse_proxy.py).
ALL_PACKAGES=(postgresql-15 redis-server nginx chromium chromium-driver maven openjdk-17-jdk-headless)

log() { printf 'bootstrap: %s\n' "$*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

# A package counts as present when dpkg says it is installed.
installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

main() {
    local wanted=("$@")
    if [ ${#wanted[@]} -eq 0 ]; then
        wanted=("${ALL_PACKAGES[@]}")
        # Where a docker client exists, the tests validate docker-compose.yml with
        # compose; Debian ships it as the docker-compose package.
        if command -v docker >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1; then
            wanted+=(docker-compose)
        fi
    fi

    command -v dpkg-query >/dev/null 2>&1 \
        || fail "this script needs a Debian/Ubuntu system (dpkg-query not found); install ${wanted[*]} yourself"

    local missing=()
    for pkg in "${wanted[@]}"; do
        installed "$pkg" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        log "all present: ${wanted[*]}"
        return 0
    fi

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 \
            || fail "missing packages ${missing[*]}; run this script as root (sudo is not available)"
        sudo=(sudo)
    fi

    # Wait for another apt/dpkg run instead of failing on its lock.
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -q)
    log "missing: ${missing[*]}; running apt-get update"
    "${apt[@]}" update || fail "apt-get update failed; check the network and the apt sources, then retry"
    log "installing: ${missing[*]}"
    "${apt[@]}" install --no-install-recommends "${missing[@]}" \
        || fail "apt-get install ${missing[*]} failed (see above); these packages are required"

    for pkg in "${missing[@]}"; do
        installed "$pkg" || fail "package $pkg is still not installed after apt-get install"
    done
    log "installed: ${missing[*]}"
}

main "$@"
