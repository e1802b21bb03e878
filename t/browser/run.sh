#!/usr/bin/env bash
# Browser layer: node's built-in test runner over t/browser/*.test.js, driving Debian's
# chromium with playwright-core against a real httpd per test file (t/browser/lib/).
# Called by `make test-browser`; works as root (httpd children run as nobody) and as a
# normal user. Screenshots and error-log copies land in t/output/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

# Never let an npm package fetch a browser: we drive /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

fail() { echo "t/browser/run.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
chromium="${NA_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || fail "$chromium is missing (make deps installs Debian's chromium)"
[ -f build/mod_nextauth.so ] || fail "build/mod_nextauth.so is missing (make module)"

# Same rule as scripts/install-deps.sh: (re)install when the lock file is newer.
if [ ! -d node_modules/playwright-core ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

output="${NA_OUTPUT_DIR:-t/output}"
mkdir -p "$output/screenshots" "$output/logs"

shopt -s nullglob
tests=(t/browser/*.test.js)
[ "${#tests[@]}" -gt 0 ] || fail "no t/browser/*.test.js"

exec node --test "${tests[@]}"
