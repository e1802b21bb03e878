#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side by side of two builds on one protected static file, finer than bench/ab.sh: both
# httpds run at once (same configuration, one module each), and short wrk runs alternate
# between them, ROUNDS times, so the load other work puts on the machine falls on both:
#   bench/ab-pair.sh BEFORE.so AFTER.so [ROUNDS] [SECONDS]
# AB_CONF_AFTER: extra configuration lines for the second httpd only (for instance
# "NextAuthRevocation cache=redis:127.0.0.1:6379" with the socache_redis LoadModule), to
# price a setting with the same build on both sides.
# AB_SESSIONS=N: the protected file is asked with N sessions in turn (N sign-ins per
# httpd, bench/wrk-many.lua), as many users would, instead of one.
# Prints per build the median req/s of the protected file (a real credentials session) and
# of the same file without auth, and after/before of the medians and of the per-round ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: ab-pair.sh BEFORE.so AFTER.so [ROUNDS] [SECONDS]}
after=${2:?usage: ab-pair.sh BEFORE.so AFTER.so [ROUNDS] [SECONDS]}
rounds=${3:-12}
secs=${4:-4}
B=$(pwd)/build/bench-pair
rm -rf "$B" && mkdir -p "$B/htdocs/static" "$B/htdocs/protected"
page='<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body><p>A static page</p></body></html>'
for d in static protected; do printf '%s\n' "$page" >"$B/htdocs/$d/file.html"; done
htpasswd -bcB -C 5 "$B/users.htpasswd" alice@example.com wonderland 2>/dev/null
openssl rand -base64 32 >"$B/secret" && chmod 600 "$B/secret"
port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
user=""
[ "$(id -u)" = 0 ] && { user=$'User nobody\nGroup nogroup'; chown nobody "$B/secret"; }
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done' EXIT
start() { # NAME MODULE -> sets PORT_<NAME>
    local name=$1 p
    p=$(port)
    mkdir -p "$B/$name"
    cp "$2" "$B/$name/mod_nextauth.so"
    cat >"$B/$name/httpd.conf" <<CONF
ServerRoot "$B/$name"
Listen 127.0.0.1:$p
ServerName 127.0.0.1:$p
PidFile "$B/$name/httpd.pid"
DefaultRuntimeDir "$B/$name"
$user
ErrorLog "$B/$name/error.log"
LogLevel warn
LoadModule mpm_event_module     /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authn_core_module    /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authn_file_module    /usr/lib/apache2/modules/mod_authn_file.so
LoadModule authz_core_module    /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authz_user_module    /usr/lib/apache2/modules/mod_authz_user.so
LoadModule mime_module          /usr/lib/apache2/modules/mod_mime.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule nextauth_module      "$B/$name/mod_nextauth.so"
StartServers 2
ThreadsPerChild 25
MaxRequestWorkers 100
KeepAlive On
MaxKeepAliveRequests 0
TypesConfig /etc/mime.types
DocumentRoot "$B/htdocs"
<Directory "$B/htdocs">
    Require all granted
</Directory>
NextAuthURL      http://127.0.0.1:$p
NextAuthSecret   file:$B/secret
NextAuthProvider credentials name="Bench login" authn=file
<Location /api/auth>
    AuthUserFile "$B/users.htpasswd"
</Location>
<Location /protected>
    AuthType NextAuth
    Require valid-user
</Location>
$([ "$name" = after ] && printf '%s\n' "${AB_CONF_AFTER:-}")
CONF
    /usr/sbin/apache2 -d "$B/$name" -f "$B/$name/httpd.conf" -DFOREGROUND &
    pids+=($!)
    eval "PORT_$name=$p"
}
signin() { # PORT -> Cookie header
    local base=http://127.0.0.1:$1 jar=$B/jar.$1 csrf
    for _ in $(seq 50); do curl -sf -o /dev/null "$base/api/auth/csrf" && break; sleep 0.1; done
    csrf=$(curl -sf -c "$jar" -b "$jar" "$base/api/auth/csrf" | sed -n 's/.*"csrfToken":"\([0-9a-f]*\)".*/\1/p')
    curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrfToken=$csrf" \
        --data-urlencode username=alice@example.com --data-urlencode password=wonderland \
        --data-urlencode json=true "$base/api/auth/callback/credentials"
    awk -F'\t' '$6 == "next-auth.session-token" { printf "%s=%s", $6, $7 }' "$jar"
}
rps() { # URL COOKIE (a Cookie header, or @FILE of them, one per line)
    if [ "${2#@}" != "$2" ]; then
        BENCH_COOKIES="${2#@}" wrk -t2 -c32 -d"${secs}s" -s bench/wrk-many.lua "$1"
    else
        BENCH_COOKIE="$2" wrk -t2 -c32 -d"${secs}s" -s bench/wrk.lua "$1"
    fi | sed -n 's/^BENCH .* rps=\([0-9.]*\) .*/\1/p'
}
sessions() { # PORT -> @FILE of AB_SESSIONS Cookie headers, or one Cookie header
    local n=${AB_SESSIONS:-1} i
    if [ "$n" -le 1 ]; then signin "$1"; return; fi
    : >"$B/cookies.$1"
    for ((i = 0; i < n; i++)); do rm -f "$B/jar.$1"; signin "$1" >>"$B/cookies.$1"; echo >>"$B/cookies.$1"; done
    echo "@$B/cookies.$1"
}
start before "$before"
start after "$after"
cb=$(sessions "$PORT_before")
ca=$(sessions "$PORT_after")
[ -n "$cb" ] && [ -n "$ca" ] || { echo "ab-pair: no session" >&2; exit 1; }
for v in before after; do p=PORT_$v; rps "http://127.0.0.1:${!p}/protected/file.html" "$([ $v = before ] && echo "$cb" || echo "$ca")" >/dev/null; done
: >"$B/rounds.tsv"
for ((i = 1; i <= rounds; i++)); do
    pb=$(rps "http://127.0.0.1:$PORT_before/protected/file.html" "$cb")
    pa=$(rps "http://127.0.0.1:$PORT_after/protected/file.html" "$ca")
    nb=$(rps "http://127.0.0.1:$PORT_before/static/file.html" "")
    na=$(rps "http://127.0.0.1:$PORT_after/static/file.html" "")
    printf '%s\t%s\t%s\t%s\n' "$pb" "$pa" "$nb" "$na" | tee -a "$B/rounds.tsv" >&2
done
node - "$B/rounds.tsv" <<'JS'
const rows = require('node:fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split('\t').map(Number));
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const col = (i) => rows.map((r) => r[i]);
const [pb, pa, nb, na] = [0, 1, 2, 3].map((i) => med(col(i)));
console.log(`protected file: before ${pb.toFixed(0)} req/s, after ${pa.toFixed(0)} req/s, after/before ${(pa / pb).toFixed(3)}`);
console.log(`no auth (control): before ${nb.toFixed(0)}, after ${na.toFixed(0)}, after/before ${(na / nb).toFixed(3)}`);
console.log(`median of per-round protected after/before: ${med(rows.map((r) => r[1] / r[0])).toFixed(3)} over ${rows.length} rounds`);
JS
