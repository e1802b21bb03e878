#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Rate-limit layer: two real httpds sharing their counters through a private Redis
# (t/limit/*.test.js, node's built-in test runner). Called by `make test-limit`; works as
# root (httpd children run as nobody, redis-server as the caller) and as a normal user.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "t/limit/run.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is missing (make deps)"
[ -x "${NA_REDIS_SERVER:-/usr/bin/redis-server}" ] || fail "redis-server is missing (make deps)"
[ -f /usr/lib/apache2/modules/mod_socache_redis.so ] || fail "mod_socache_redis.so is missing"
[ -f build/mod_nextauth.so ] || fail "build/mod_nextauth.so is missing (make module)"

mkdir -p "${NA_OUTPUT_DIR:-t/output}/logs"
exec node --test t/limit/*.test.js
