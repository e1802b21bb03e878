#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Callgrind profile of one route of the httpd that `make bench` configured (build/bench/, so
# run `BENCH_ONLY=ours bench/run.sh` first): httpd -X under callgrind, collecting only inside
# request processing, N requests (default 200) with the session cookie of build/bench/ours.jar
# when COOKIE=1 (or the Cookie header in $PROFILE_COOKIE; with PROFILE_RENEW=1 curl's cookie
# engine sends the renewed cookie each time, as a browser does). Prints the top functions by inclusive and self cost, per request.
#   bench/profile.sh /protected/file.html 1     bench/profile.sh /api/auth/session 1
set -euo pipefail
cd "$(dirname "$0")/.."
B="$PWD/build/bench"
path=${1:?usage: profile.sh PATH [COOKIE=0|1] [N]}
with_cookie=${2:-0}
n=${3:-200}
[ -f "$B/httpd.conf" ] || { echo "profile.sh: run BENCH_ONLY=ours bench/run.sh first" >&2; exit 1; }
port=$(sed -n 's/^Listen 127.0.0.1:\([0-9]*\)$/\1/p' "$B/httpd.conf" | head -1)
name=$(echo "$path" | tr -c 'a-zA-Z0-9\n' '_')
out="$B/prof"
mkdir -p "$out"
chmod 777 "$out"
rm -f "$out/cg.$name"
cookie=""
[ "$with_cookie" = 1 ] && cookie=$(awk -F'\t' '$6 == "next-auth.session-token" { printf "%s=%s", $6, $7 }' "$B/ours.jar")
[ -n "${PROFILE_COOKIE:-}" ] && cookie=$PROFILE_COOKIE # e.g. one of bench/mint-session.mjs

rm -f "$out/httpd.pid"
runas=""
if [ "$(id -u)" = 0 ]; then
    runas="runuser -u nobody --"
    chown nobody "$B/nextauth.secret"
fi
$runas valgrind --tool=callgrind --callgrind-out-file="$out/cg.$name" --collect-atstart=no \
    --toggle-collect=ap_run_process_connection \
    /usr/sbin/apache2 -X -f "$B/httpd.conf" -c "PidFile $out/httpd.pid" \
    -c "ErrorLog $out/error.log" -c "DefaultRuntimeDir $out" >"$out/vg.$name.log" 2>&1 &
vg=$!
trap 'kill $vg 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    kill -0 $vg 2>/dev/null || { cat "$out/vg.$name.log" >&2; exit 1; }
    curl -s -m 5 -o /dev/null "http://127.0.0.1:$port/static/file.html" && break
    sleep 0.2
done
for i in $(seq 1 "$n"); do
    [ "$i" = 1 ] || echo 'next'
    echo "url = \"http://127.0.0.1:$port$path\""
    echo 'output = /dev/null'
    echo 'write-out = "%{http_code}\\n"'
    [ -n "$cookie" ] && echo "header = \"Cookie: $cookie\""
done >"$out/curl.cfg"
if [ "${PROFILE_RENEW:-0}" = 1 ]; then # every transfer reads and updates the same jar
    cp "$B/ours.jar" "$out/renew.jar"
    sed -i "s|^header = \"Cookie.*|cookie = \"$out/renew.jar\"|" "$out/curl.cfg"
fi
curl -s -m 120 -K "$out/curl.cfg" | sort | uniq -c >&2
kill -TERM $vg
wait $vg || true
trap - EXIT
total=$(callgrind_annotate "$out/cg.$name" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
echo "== $path: $total instructions for $n requests (+1 probe), $((total / (n + 1))) per request"
callgrind_annotate --inclusive=yes "$out/cg.$name" 2>/dev/null | sed -n '/^Ir/,$p' | head -45
