#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Black-box suite (Apache::Test) against build/mod_nextauth.so; `make test-httpd` runs it.
# Apache::Test refuses to run as root, so as root the suite runs as `nobody` in a scratch
# copy of t/ under build/ that nobody owns; as any other user it runs there directly.
# Exits non-zero on any failure. Extra arguments go to t/TEST.PL (e.g. t/api/csrf.t).
# NEXTAUTH_TEST_SO and NEXTAUTH_TEST_WORK override the module and the scratch directory
# (t/run-asan-tests.sh and t/run-valgrind-tests.sh test other builds in other places).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
so=${NEXTAUTH_TEST_SO:-$top/build/mod_nextauth.so}
apxs=${APXS:-/usr/bin/apxs}
httpd=${APACHE_TEST_HTTPD:-/usr/sbin/apache2}
work=${NEXTAUTH_TEST_WORK:-$top/build/httpd-tests}

[ -f "$so" ] || { echo "run-httpd-tests: $so missing; run 'make module' first" >&2; exit 1; }

# A server left running by an interrupted run of this same tree (its pid file is ours).
pidfile="$work/t/logs/httpd.pid"
if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && grep -qs "$work/t" "/proc/$pid/cmdline"; then
        kill "$pid" 2>/dev/null || true
        sleep 1
    fi
fi
rm -rf "$work"
mkdir -p "$work/t"
for d in TEST.PL conf lib htdocs api config pages protect security; do
    [ -e "$top/t/$d" ] && cp -R "$top/t/$d" "$work/t/"
done

# The basepath scenario's secret file, kept as an operator should keep one (git checks it
# out 0644, which the module would warn about, NA00120, at every start).
chmod 600 "$work/t/conf/nextauth.secret"

# SQLite files of the dbsession scenario (t/conf/dbsession.conf.in): one with the schema,
# one without its tables.
command -v sqlite3 >/dev/null 2>&1 || { echo "run-httpd-tests: sqlite3 missing (make deps)" >&2; exit 1; }
mkdir -p "$work/t/dbfiles"
sqlite3 "$work/t/dbfiles/sessions.db" < "$top/conf/schema/sqlite.sql" >/dev/null
sqlite3 "$work/t/dbfiles/notable.db" 'CREATE TABLE unrelated (x);'
sqlite3 "$work/t/dbfiles/email.db" < "$top/conf/schema/sqlite.sql" >/dev/null

# A snapshot of the module: `make module` elsewhere rewrites build/mod_nextauth.so in
# place, which would crash a server that has it mapped.
cp "$so" "$work/mod_nextauth.so"
so="$work/mod_nextauth.so"

runas=""
if [ "$(id -u)" = 0 ]; then
    chown -R nobody:nogroup "$work"
    runas="runuser -u nobody --"
fi

cd "$work"
# HOME: nobody's is /nonexistent; LANG=C keeps messages (strerror) in English.
status=0
$runas env HOME="$work" LANG=C LC_ALL=C NEXTAUTH_SO="$so" NEXTAUTH_ROOT="$top" APXS="$apxs" \
    APACHE_TEST_HTTPD="$httpd" APACHE_TEST_COLOR=0 \
    perl t/TEST.PL -apxs "$apxs" -httpd "$httpd" -port select -minclients 2 -maxclients 10 "$@" || status=$?
# A crash while the server shuts down happens after the last test has looked at the log.
if ls "$work"/t/core* >/dev/null 2>&1 \
    || grep -Eqs 'exit signal|Segmentation fault|Assertion.*failed' "$work/t/logs/error_log"; then
    echo "run-httpd-tests: httpd crashed (core file or 'exit signal' in t/logs/error_log)" >&2
    grep -Es 'exit signal|Segmentation fault|Assertion.*failed' "$work/t/logs/error_log" >&2 || true
    [ "$status" -ne 0 ] || status=1
fi
if [ "$status" -ne 0 ]; then
    echo "run-httpd-tests: FAILED (exit $status); logs in $work/t/logs" >&2
fi
exit "$status"
