#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Token layer (issue 12): the IdP's tokens and claims end to end (t/tokens/*.test.js, node's
# built-in test runner): real httpds with mod_proxy in front of an echoing backend
# (t/peers/backend.mjs), the real oidc-provider (t/peers/oidc.mjs) with short access tokens
# and refresh-token rotation, and a private Redis shared by two hosts. Called by
# `make test-tokens`; works as root (httpd children run as nobody, redis-server as the
# caller) and as a normal user. Error-log copies land in t/output/logs/.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "t/tokens/run.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
command -v npm >/dev/null 2>&1 || fail "npm is missing (make deps)"
[ -x "${NA_REDIS_SERVER:-/usr/bin/redis-server}" ] || fail "redis-server is missing (make deps)"
[ -x "${NA_REDIS_CLI:-/usr/bin/redis-cli}" ] || fail "redis-cli is missing (make deps)"
modules="${NA_APACHE_MODULES:-/usr/lib/apache2/modules}"
for m in mod_socache_redis mod_proxy mod_proxy_http mod_cgid mod_alias; do
    [ -f "$modules/$m.so" ] || fail "$modules/$m.so is missing (Debian's apache2-bin)"
done
[ -f build/mod_nextauth.so ] || fail "build/mod_nextauth.so is missing (make module)"

# Same rule as scripts/install-deps.sh: (re)install when a package is missing or the lock
# file is newer than the last install. oidc-provider is the OP, next-auth decodes cookies.
if [ ! -d node_modules/oidc-provider ] || [ ! -d node_modules/next-auth ] \
    || [ ! -f node_modules/.package-lock.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p "${NA_OUTPUT_DIR:-t/output}/logs"
shopt -s nullglob
tests=(t/tokens/*.test.js)
[ "${#tests[@]}" -gt 0 ] || fail "no t/tokens/*.test.js"
# One file at a time: the refresh windows are timed, and a busy machine blurs them.
exec node --test --test-concurrency="${NA_TEST_CONCURRENCY:-1}" "${tests[@]}"
