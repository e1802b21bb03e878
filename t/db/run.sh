#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Database layer: node's test runner over t/db/*.test.js. Each file starts real httpds
# with mod_dbd and the freshly built module, a real OpenID Provider (t/peers/oidc.mjs),
# and SQLite files (sqlite3 CLI) or a private PostgreSQL 15 (t/peers/pg.mjs). Called by
# `make test-db`; works as root (httpd children and postgres run as nobody).
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "t/db/run.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
command -v sqlite3 >/dev/null 2>&1 || fail "sqlite3 is missing (make deps)"
[ -f build/mod_nextauth.so ] || fail "build/mod_nextauth.so is missing (make module)"
[ -d node_modules/oidc-provider ] || fail "node_modules/oidc-provider is missing (make deps)"

# The module's SQL, run through apr_dbd outside httpd (t/db/sql.test.js).
mkdir -p build/db
${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -Iinclude $(pkg-config --cflags apr-1 apr-util-1) \
    -o build/db/sqlcheck t/db/sqlcheck.c $(pkg-config --libs apr-1 apr-util-1)
# The core's store and account linking on the same databases (t/db/storecheck.c).
[ -f build/libnextauth.a ] || fail "build/libnextauth.a is missing (make module)"
${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -Iinclude $(pkg-config --cflags apr-1 apr-util-1) \
    -o build/db/storecheck t/db/storecheck.c build/libnextauth.a \
    $(pkg-config --libs apr-1 apr-util-1)

output="${NA_OUTPUT_DIR:-t/output}"
mkdir -p "$output/logs"

shopt -s nullglob
tests=(t/db/*.test.js)
[ "${#tests[@]}" -gt 0 ] || fail "no t/db/*.test.js"
exec node --test --test-concurrency="${NA_TEST_CONCURRENCY:-1}" "${tests[@]}"
