#!/usr/bin/env bash
# OAuth layer: node's built-in test runner over t/oauth/*.test.js. Each file starts a real
# httpd with the freshly built module (t/browser/lib/httpd.js) and real identity providers on
# loopback (t/peers/: npm oidc-provider, a GitHub-shaped server); browser.test.js drives
# Debian's chromium. Called by `make test-oauth`; works as root (httpd children run as
# nobody) and as a normal user. Screenshots and error-log copies land in t/output/.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Never let an npm package fetch a browser: we drive /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

fail() { echo "t/oauth/run.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
command -v npm >/dev/null 2>&1 || fail "npm is missing (make deps)"
[ -f build/mod_nextauth.so ] || fail "build/mod_nextauth.so is missing (make module)"
chromium="${NA_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || fail "$chromium is missing (make deps installs Debian's chromium)"

# Same rule as scripts/install-deps.sh: (re)install when a package is missing or the lock
# file is newer than the last install.
if [ ! -d node_modules/oidc-provider ] || [ ! -d node_modules/playwright-core ] \
    || [ ! -f node_modules/.package-lock.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

output="${NA_OUTPUT_DIR:-t/output}"
mkdir -p "$output/screenshots" "$output/logs"

shopt -s nullglob
# The peers' own self-tests run here too: the OAuth layer is only as good as its peers.
tests=(t/peers/*.test.js t/oauth/*.test.js)
[ "${#tests[@]}" -gt 0 ] || fail "no t/oauth/*.test.js"

# The files wait mostly on sockets and timeouts, so they run side by side.
exec node --test --test-concurrency="${NA_TEST_CONCURRENCY:-2}" "${tests[@]}"
