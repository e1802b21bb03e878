#!/usr/bin/env bash
# E-mail layer: node's test runner over t/email/*.test.js. Each file starts a real httpd with
# the freshly built module, an SQLite database made from conf/schema/sqlite.sql and real SMTP
# servers on loopback (npm smtp-server, t/peers/smtp.mjs); browser.test.js drives Debian's
# chromium through a whole magic-link sign-in. Called by `make test-email`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

fail() { echo "t/email/run.sh: $*" >&2; exit 1; }
command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
command -v sqlite3 >/dev/null 2>&1 || fail "sqlite3 is missing (make deps)"
[ -f build/mod_nextauth.so ] || fail "build/mod_nextauth.so is missing (make module)"
[ -d node_modules/smtp-server ] || fail "node_modules/smtp-server is missing (make deps)"

mkdir -p "${NA_OUTPUT_DIR:-t/output}/screenshots" "${NA_OUTPUT_DIR:-t/output}/logs"
shopt -s nullglob
tests=(t/email/*.test.js)
[ "${#tests[@]}" -gt 0 ] || fail "no t/email/*.test.js"
exec node --test --test-concurrency="${NA_TEST_CONCURRENCY:-2}" "${tests[@]}"
