#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Revocation layer (issue 13): sessions the server can end, end to end (t/revoke/*.test.js,
# node's built-in test runner): two real httpds sharing one private Redis
# (NextAuthRevocation cache=redis:…) with mod_proxy in front of an echoing backend
# (t/peers/backend.mjs), the real oidc-provider (t/peers/oidc.mjs) with back-channel logout
# to host A and resource indicators (JWT access tokens), headless Debian chromium, and the
# curl binary for replays. Called by `make test-revoke`; works as root (httpd children run
# as nobody, redis-server as the caller) and as a normal user. Error-log copies land in
# t/output/logs/.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "t/revoke/run.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
command -v npm >/dev/null 2>&1 || fail "npm is missing (make deps)"
command -v curl >/dev/null 2>&1 || fail "curl is missing (make deps)"
[ -x "${NA_CHROMIUM:-/usr/bin/chromium}" ] || fail "chromium is missing (make deps)"
[ -x "${NA_REDIS_SERVER:-/usr/bin/redis-server}" ] || fail "redis-server is missing (make deps)"
[ -x "${NA_REDIS_CLI:-/usr/bin/redis-cli}" ] || fail "redis-cli is missing (make deps)"
modules="${NA_APACHE_MODULES:-/usr/lib/apache2/modules}"
for m in mod_socache_redis mod_proxy mod_proxy_http mod_cgid mod_alias; do
    [ -f "$modules/$m.so" ] || fail "$modules/$m.so is missing (Debian's apache2-bin)"
done
[ -f "${NA_MODULE:-build/mod_nextauth.so}" ] || fail "${NA_MODULE:-build/mod_nextauth.so} is missing (make module)"

# Same rule as scripts/install-deps.sh: (re)install when a package is missing or the lock
# file is newer than the last install. Never a downloaded browser.
if [ ! -d node_modules/oidc-provider ] || [ ! -d node_modules/playwright-core ] \
    || [ ! -d node_modules/next-auth ] || [ ! -f node_modules/.package-lock.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p "${NA_OUTPUT_DIR:-t/output}/logs"
shopt -s nullglob
tests=("$@")
[ "${#tests[@]}" -gt 0 ] || tests=(t/revoke/*.test.js)
[ "${#tests[@]}" -gt 0 ] || fail "no t/revoke/*.test.js"
# One file at a time: each starts its own Redis, OP and two httpds on 2 busy cores.
exec node --test --test-concurrency="${NA_TEST_CONCURRENCY:-1}" "${tests[@]}"
