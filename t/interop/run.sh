#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Interop layer: mod_nextauth against the real next-auth v4 npm package. node's built-in test
# runner over t/interop/*.test.js:
#   jwt.test.js      the session-token core (build/interop/na_session_tool) <-> next-auth/jwt
#   session.test.js  a real httpd with the module <-> next-auth/jwt and next-auth's CSRF code
#   client.test.js   next-auth/react (bundled with esbuild) in Debian's headless chromium
# Called by `make test-interop` (after `make module`); works as root (httpd children run as
# nobody) and as a normal user. Screenshots and error-log copies land in t/output/.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Never let an npm package fetch a browser: the client test drives /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

fail() { echo "t/interop/run.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
command -v npm >/dev/null 2>&1 || fail "npm is missing (make deps)"
[ -f build/mod_nextauth.so ] || fail "build/mod_nextauth.so is missing (make module)"

# (Re)install the locked devDependencies when node_modules is missing, incomplete or older
# than package-lock.json (same rule as t/browser/run.sh and scripts/install-deps.sh).
need_ci=0
for pkg in next-auth esbuild playwright-core; do
    [ -f "node_modules/$pkg/package.json" ] || need_ci=1
done
[ -f node_modules/.package-lock.json ] || need_ci=1
if [ "$need_ci" = 0 ] && [ package-lock.json -nt node_modules/.package-lock.json ]; then
    need_ci=1
fi
if [ "$need_ci" = 1 ]; then
    echo "t/interop/run.sh: npm ci" >&2
    npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
fi

# The C tool jwt.test.js drives (build/interop/na_session_tool), when that test is present.
if [ -f t/interop/build.sh ]; then
    sh t/interop/build.sh || fail "t/interop/build.sh failed"
fi

output="${NA_OUTPUT_DIR:-t/output}"
mkdir -p "$output/screenshots" "$output/logs"

shopt -s nullglob
tests=(t/interop/*.test.js)
[ "${#tests[@]}" -gt 0 ] || fail "no t/interop/*.test.js"

exec node --test "${tests[@]}"
