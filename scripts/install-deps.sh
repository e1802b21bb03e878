#!/usr/bin/env bash
# Installs what building, running and testing mod_nextauth needs on Debian 12:
# Debian packages with apt-get (only the missing ones) and the npm packages of the
# browser and interop tests with `npm ci`. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    apache2 apache2-dev libapr1-dev libaprutil1-dev libaprutil1-dbd-sqlite3 libsqlite3-dev
    libaprutil1-dbd-pgsql libssl-dev libcurl4-openssl-dev libjansson-dev libunistring-dev
    pkg-config check libapache2-mod-perl2 libwww-perl libjson-pp-perl libcryptx-perl
    chromium fonts-nanum sqlite3 curl ca-certificates postgresql redis-server wrk
    clang libclang-rt-14-dev clang-format valgrind
    debhelper dh-apache2 dpkg-dev lintian fakeroot
)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages: ${missing[*]}" >&2
        echo "run as root, or: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# The browser layer drives Debian's chromium; never let an npm package fetch a browser.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
