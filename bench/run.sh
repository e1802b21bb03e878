#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: mod_nextauth side by side with
#   - the same static file with no auth on the same httpd (goal: ratio >= 0.90),
#   - Debian's mod_auth_openidc protecting that file (cookie and server-cache sessions),
#     signed in through t/peers/oidc.mjs (for scale),
#   - next-auth v4 on Next.js in production mode (bench/nextjs: npm ci, next build, next start),
#     on GET session (with and without a session), GET csrf and GET signin (goals 20x, 10x),
#   - how cost grows, each against its own baseline in the same run: a session of three cookie
#     chunks, four rotating secrets with the valid one last, 20 Require lines, and 2,000
#     keep-alive connections (event MPM) against no auth at 2,000 connections.
# One wrk run per row, all with the same threads/connections/duration after a warm-up; peak
# RSS sampled from /proc. Writes bench/results/YYYY-MM-DD-HHMM.{md,png} and latest.{md,png},
# refreshes README's bench section and prints the table. Progress goes to stderr.
#
# Knobs (environment): BENCH_DURATION (s, 10), BENCH_WARMUP (s, 3), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), BENCH_SKIP_NPM=1 (reuse bench/nextjs/node_modules and .next),
# BENCH_README=0 (leave README alone), BENCH_ONLY=ours (skip the Next.js peer and OIDC rows;
# for profiling iterations, no results written), BENCH_MODULE (the mod_nextauth.so to measure;
# build/mod_nextauth.so), for before/after figures of two builds in the same sitting;
# BENCH_GROWTH_CONNECTIONS (2000, held open by bench/hold-connections.mjs); BENCH_GROWTH=1 adds the cost-growth rows to BENCH_ONLY=ours.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
ONLY=${BENCH_ONLY:-}
GROWTH_CONNS=${BENCH_GROWTH_CONNECTIONS:-2000}
GROWTH=1
[ -n "$ONLY" ] && GROWTH=${BENCH_GROWTH:-0}

B="$top/build/bench"
say() { echo "bench: $*" >&2; }
fail() { echo "bench: FAILED: $*" >&2; exit 1; }

bench/install.sh
command -v node >/dev/null || fail "node is missing (make deps)"
MODULE=${BENCH_MODULE:-build/mod_nextauth.so}
[ -f "$MODULE" ] || fail "$MODULE is missing (make module)"
[ -f node_modules/oidc-provider/package.json ] || fail "node_modules/oidc-provider is missing (npm ci at the top)"

pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill -TERM "$p" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_http() { # URL SECONDS
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        curl -s -o /dev/null --max-time 2 "$1" && return 0
        sleep 0.1
    done
    return 1
}

# --- the Next.js peer: install and build ------------------------------------------------------
if [ -z "$ONLY" ]; then
    if [ "${BENCH_SKIP_NPM:-0}" != 1 ] || [ ! -d bench/nextjs/.next ]; then
        say "npm ci in bench/nextjs (next, next-auth, react)"
        (cd bench/nextjs && npm ci --no-audit --no-fund --loglevel=error >&2) || fail "npm ci"
        say "next build (production; about a minute)"
        (cd bench/nextjs && NEXT_TELEMETRY_DISABLED=1 node node_modules/next/dist/bin/next build \
            >"$top/build/bench-next-build.log" 2>&1) || { cat build/bench-next-build.log >&2; fail "next build"; }
    fi
fi

# --- our httpd ------------------------------------------------------------------------------
rm -rf "$B"
mkdir -p "$B/htdocs/static" "$B/htdocs/protected" "$B/htdocs/oidc" "$B/htdocs/require20" \
    "$B/htdocs/tokens" "$B/run" "$B/wrk"
cp "$MODULE" "$B/mod_nextauth.so" # a snapshot: `make module` rewrites it in place
page='<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>'
page+="<h1>A static page</h1><p>$(printf 'lorem ipsum dolor sit amet %.0s' $(seq 1 30))</p></body></html>"
for d in static protected oidc require20 tokens; do printf '%s\n' "$page" >"$B/htdocs/$d/file.html"; done

USER_EMAIL=alice@example.com
USER_PASS=wonderland
htpasswd -bcB -C 5 "$B/users.htpasswd" "$USER_EMAIL" "$USER_PASS" 2>/dev/null
SECRET=$(openssl rand -base64 32)
printf '%s\n' "$SECRET" >"$B/nextauth.secret"
chmod 600 "$B/nextauth.secret"
[ "$(id -u)" = 0 ] && chown nobody "$B/nextauth.secret" # read by bench/profile.sh as nobody
# The rotating-secrets host: three retired secrets first, the one its cookie is under last.
ROT_SECRET=$(openssl rand -base64 32)
rot_secrets=""
for i in 1 2 3 4; do
    if [ "$i" = 4 ]; then printf '%s\n' "$ROT_SECRET" >"$B/rot$i.secret"; else openssl rand -base64 32 >"$B/rot$i.secret"; fi
    chmod 600 "$B/rot$i.secret"
    [ "$(id -u)" = 0 ] && chown nobody "$B/rot$i.secret"
    rot_secrets+="    NextAuthSecret   file:$B/rot$i.secret"$'\n'
done
require20=""
for i in $(seq 1 19); do require20+="        Require nextauth-email nobody-$i@example.org"$'\n'; done

P_HTTPD=$(free_port)
P_SHM=$(free_port)
P_IDP=$(free_port)
P_NEXT=$(free_port)
P_ROT=$(free_port)
OIDC_PASS=$(openssl rand -hex 24)

runas_user=""
if [ "$(id -u)" = 0 ]; then
    runas_user="User nobody
Group nogroup"
fi

oidc_vhost() { # PORT SESSIONTYPE
    cat <<EOF
    OIDCProviderMetadataURL http://127.0.0.1:$P_IDP/.well-known/openid-configuration
    OIDCClientID            bench-openidc
    OIDCClientSecret        bench-openidc-secret
    OIDCRedirectURI         http://127.0.0.1:$1/oidc/redirect_uri
    OIDCCryptoPassphrase    $OIDC_PASS
    OIDCScope               "openid email profile"
    OIDCSessionType         $2
    OIDCCacheType           shm
    <Location /oidc>
        AuthType openid-connect
        Require valid-user
    </Location>
EOF
}

cat >"$B/httpd.conf" <<EOF
# Generated by bench/run.sh
ServerRoot "$B"
Listen 127.0.0.1:$P_HTTPD
Listen 127.0.0.1:$P_SHM
Listen 127.0.0.1:$P_ROT
ServerName 127.0.0.1:$P_HTTPD
PidFile "$B/run/httpd.pid"
DefaultRuntimeDir "$B/run"
$runas_user
ErrorLog "$B/error.log"
LogLevel warn

LoadModule mpm_event_module     /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authn_core_module    /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authn_file_module    /usr/lib/apache2/modules/mod_authn_file.so
LoadModule authz_core_module    /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authz_user_module    /usr/lib/apache2/modules/mod_authz_user.so
LoadModule mime_module          /usr/lib/apache2/modules/mod_mime.so
# mod_nextauth needs a shared cache for its credentials throttle
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule auth_openidc_module  /usr/lib/apache2/modules/mod_auth_openidc.so
LoadModule nextauth_module      "$B/mod_nextauth.so"

StartServers        2
ThreadsPerChild     25
MinSpareThreads     25
MaxSpareThreads     75
MaxRequestWorkers   100
KeepAlive           On
MaxKeepAliveRequests 0
KeepAliveTimeout    5
# 2,000 held keep-alive connections: let each child take many more connections than threads
AsyncRequestWorkerFactor 40
# a session of three 4 kB chunks is a 12 kB Cookie header (httpd's default cap is 8190)
LimitRequestFieldSize 16384

TypesConfig /etc/mime.types
DocumentRoot "$B/htdocs"
<Directory "$B/htdocs">
    Require all granted
</Directory>

<VirtualHost 127.0.0.1:$P_HTTPD>
    ServerName 127.0.0.1:$P_HTTPD
    NextAuthURL      http://127.0.0.1:$P_HTTPD
    NextAuthSecret   file:$B/nextauth.secret
    NextAuthProvider credentials name="Bench login" authn=file
    NextAuthProvider oidc type=oidc name="Bench IdP" clientId=bench-nextauth clientSecret=bench-nextauth-secret issuer=http://127.0.0.1:$P_IDP
    <Location /api/auth>
        AuthUserFile "$B/users.htpasswd"
    </Location>
    <Location /protected>
        AuthType NextAuth
        Require valid-user
    </Location>
    # The same protection handing the backend the IdP's access token (issue 12): the
    # session's token record is read from the shmcb cache on every request.
    <Location /tokens>
        AuthType NextAuth
        Require valid-user
        NextAuthPassTokens access
    </Location>
    # 19 Require lines that do not match, then the one that does (RequireAny)
    <Location /require20>
        AuthType NextAuth
${require20}        Require user $USER_EMAIL
    </Location>
$(oidc_vhost "$P_HTTPD" client-cookie)
</VirtualHost>

<VirtualHost 127.0.0.1:$P_ROT>
    ServerName 127.0.0.1:$P_ROT
    NextAuthURL      http://127.0.0.1:$P_ROT
${rot_secrets}    NextAuthProvider credentials name="Bench login" authn=file
    <Location /protected>
        AuthType NextAuth
        Require valid-user
    </Location>
</VirtualHost>

<VirtualHost 127.0.0.1:$P_SHM>
    ServerName 127.0.0.1:$P_SHM
$(oidc_vhost "$P_SHM" server-cache)
</VirtualHost>
EOF
[ "$(id -u)" = 0 ] && chown -R nobody:nogroup "$B/htdocs" && chown nobody "$B/users.htpasswd"

# --- start the servers ----------------------------------------------------------------------
if [ -z "$ONLY" ]; then
    say "starting t/peers/oidc.mjs on 127.0.0.1:$P_IDP"
    node t/peers/oidc.mjs --port "$P_IDP" --no-test-api \
        --client-id bench-openidc --client-secret bench-openidc-secret \
        --redirect-uri "http://127.0.0.1:$P_HTTPD/oidc/redirect_uri" \
        --redirect-uri "http://127.0.0.1:$P_SHM/oidc/redirect_uri" \
        --client-id bench-nextauth --client-secret bench-nextauth-secret \
        --redirect-uri "http://127.0.0.1:$P_HTTPD/api/auth/callback/oidc" \
        >"$B/idp.out" 2>"$B/idp.err" &
    pids+=($!)
    wait_http "http://127.0.0.1:$P_IDP/.well-known/openid-configuration" 20 || { cat "$B/idp.err" >&2; fail "oidc peer did not start"; }
fi

ulimit -n 8192 2>/dev/null || say "cannot raise the open-file limit: the $GROWTH_CONNS-connection rows may fail"
say "starting httpd (event MPM) on 127.0.0.1:$P_HTTPD and :$P_SHM"
/usr/sbin/apache2 -f "$B/httpd.conf" -DFOREGROUND >"$B/httpd.out" 2>&1 &
HTTPD_PID=$!
pids+=("$HTTPD_PID")
wait_http "http://127.0.0.1:$P_HTTPD/static/file.html" 20 || { cat "$B/httpd.out" "$B/error.log" >&2; fail "httpd did not start"; }

NEXT_PID=""
if [ -z "$ONLY" ]; then
    say "starting next start (NODE_ENV=production) on 127.0.0.1:$P_NEXT"
    (cd bench/nextjs && exec env NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 \
        NEXTAUTH_URL="http://127.0.0.1:$P_NEXT" NEXTAUTH_SECRET="$SECRET" \
        BENCH_USER="$USER_EMAIL" BENCH_PASS="$USER_PASS" \
        node node_modules/next/dist/bin/next start -p "$P_NEXT" -H 127.0.0.1 \
        >"$B/next.out" 2>&1) &
    NEXT_PID=$!
    pids+=("$NEXT_PID")
    wait_http "http://127.0.0.1:$P_NEXT/api/auth/providers" 30 || { cat "$B/next.out" >&2; fail "next start did not start"; }
fi

# --- sign in --------------------------------------------------------------------------------
signin_credentials() { # BASE JAR -> prints the Cookie header of the session
    local base=$1 jar=$2 csrf code
    csrf=$(curl -sf -c "$jar" -b "$jar" "$base/api/auth/csrf" | sed -n 's/.*"csrfToken":"\([0-9a-f]*\)".*/\1/p')
    [ -n "$csrf" ] || fail "no csrfToken from $base/api/auth/csrf"
    code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
        --data-urlencode "csrfToken=$csrf" --data-urlencode "username=$USER_EMAIL" \
        --data-urlencode "password=$USER_PASS" --data-urlencode "json=true" \
        --data-urlencode "callbackUrl=$base/" "$base/api/auth/callback/credentials")
    [ "$code" = 200 ] || fail "credentials sign-in at $base answered $code"
    awk -F'\t' '$6 == "next-auth.session-token" { printf "%s=%s", $6, $7 }' "$jar"
}

expect() { # WHAT EXPECTED_CODE URL [COOKIE] [BODY_PATTERN]
    local out code
    out=$(curl -s -w '\n%{http_code}' ${4:+-H "Cookie: $4"} "$3")
    code=${out##*$'\n'}
    [ "$code" = "$2" ] || fail "$1: $3 answered $code, expected $2"
    if [ -n "${5:-}" ] && ! grep -q -- "$5" <<<"$out"; then fail "$1: $3 lacks '$5'"; fi
}

OURS="http://127.0.0.1:$P_HTTPD"
say "signing in to mod_nextauth (credentials, htpasswd)"
OURS_COOKIE=$(signin_credentials "$OURS" "$B/ours.jar")
[ -n "$OURS_COOKIE" ] || fail "mod_nextauth set no session cookie"
expect "protected, no session" 302 "$OURS/protected/file.html"
expect "protected, session" 200 "$OURS/protected/file.html" "$OURS_COOKIE" "A static page"
expect "ours session" 200 "$OURS/api/auth/session" "$OURS_COOKIE" "$USER_EMAIL"
if [ "$GROWTH" = 1 ]; then
    CHUNKED_COOKIE=$(node bench/mint-session.mjs "$SECRET" 7400) || fail "cannot mint the chunked session"
    [ "$(tr ';' '\n' <<<"$CHUNKED_COOKIE" | grep -c 'session-token\.')" = 3 ] || fail "the minted session is not three chunks"
    ROT_COOKIE=$(node bench/mint-session.mjs "$ROT_SECRET") || fail "cannot mint the rotating-secrets session"
    expect "chunked session" 200 "$OURS/api/auth/session" "$CHUNKED_COOKIE" "alice@example.com"
    expect "4 secrets, the last valid" 200 "http://127.0.0.1:$P_ROT/protected/file.html" "$ROT_COOKIE" "A static page"
    expect "4 secrets, no session" 302 "http://127.0.0.1:$P_ROT/protected/file.html"
    expect "20 Require lines" 200 "$OURS/require20/file.html" "$OURS_COOKIE" "A static page"
    expect "20 Require lines, no session" 302 "$OURS/require20/file.html"
fi

if [ -z "$ONLY" ]; then
    THEIRS="http://127.0.0.1:$P_NEXT"
    say "signing in to next-auth (credentials)"
    NEXT_COOKIE=$(signin_credentials "$THEIRS" "$B/next.jar")
    [ -n "$NEXT_COOKIE" ] || fail "next-auth set no session cookie"
    expect "next-auth session" 200 "$THEIRS/api/auth/session" "$NEXT_COOKIE" "$USER_EMAIL"
    expect "next-auth signin" 200 "$THEIRS/api/auth/signin"
    # The two servers share the secret: each reads the other's cookie (a sanity check that
    # both sides do the same work: decrypt a next-auth JWE).
    expect "ours reads next-auth's cookie" 200 "$OURS/api/auth/session" "$NEXT_COOKIE" "$USER_EMAIL"

    say "signing in to mod_auth_openidc (cookie sessions and server cache) through the oidc peer"
    OIDC_COOKIE=$(node bench/oidc-login.mjs "$OURS/oidc/file.html") || fail "mod_auth_openidc sign-in (cookie)"
    OIDC_SHM_COOKIE=$(node bench/oidc-login.mjs "http://127.0.0.1:$P_SHM/oidc/file.html") || fail "mod_auth_openidc sign-in (shm)"
    expect "openidc cookie" 200 "$OURS/oidc/file.html" "$OIDC_COOKIE" "A static page"
    expect "openidc shm" 200 "http://127.0.0.1:$P_SHM/oidc/file.html" "$OIDC_SHM_COOKIE" "A static page"
    expect "openidc, no session" 302 "$OURS/oidc/file.html"

    say "signing in to mod_nextauth through the oidc peer (a session with a token record)"
    TOKENS_COOKIE=$(node bench/nextauth-oidc-login.mjs "$OURS/api/auth" oidc) || fail "mod_nextauth OIDC sign-in"
    expect "protected, OIDC session" 200 "$OURS/protected/file.html" "$TOKENS_COOKIE" "A static page"
    expect "tokens passed, OIDC session" 200 "$OURS/tokens/file.html" "$TOKENS_COOKIE" "A static page"
    expect "tokens passed, credentials session (no tokens)" 302 "$OURS/tokens/file.html" "$OURS_COOKIE"
fi

# --- measuring ------------------------------------------------------------------------------
tree_pids() { # PID and its descendants
    local p=$1 c
    echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done
}
rss_kb() { # the sum of VmRSS over a process tree
    local sum=0 p r
    for p in $(tree_pids "$1"); do
        r=$(awk '/^VmRSS:/ { print $2 }' /proc/"$p"/status 2>/dev/null || true)
        sum=$((sum + ${r:-0}))
    done
    echo "$sum"
}
sample_peak() { # ROOTPID OUTFILE: until OUTFILE.stop exists
    local peak=0 r
    while [ ! -e "$2.stop" ]; do
        r=$(rss_kb "$1")
        if [ "$r" -gt "$peak" ]; then peak=$r; echo "$peak" >"$2"; fi
        sleep 0.25
    done
}

results="$B/results.tsv"
: >"$results"
row_no=0
rows_total=14
[ -n "$ONLY" ] && rows_total=4
[ "$GROWTH" = 1 ] && rows_total=$((rows_total + 5))
measure() { # KEY URL COOKIE SERVERPID [CONNECTIONS]
    local key=$1 url=$2 cookie=$3 spid=$4 conns=${5:-$CONNS} line
    row_no=$((row_no + 1))
    say "[$row_no/$rows_total] $key: GET $url (warm-up ${WARMUP}s, then ${DURATION}s, -t$THREADS -c$conns)"
    BENCH_COOKIE="$cookie" wrk -t"$THREADS" -c"$conns" -d"${WARMUP}s" -s bench/wrk.lua "$url" >/dev/null
    rm -f "$B/wrk/$key.rss" "$B/wrk/$key.rss.stop"
    sample_peak "$spid" "$B/wrk/$key.rss" &
    local sampler=$!
    BENCH_COOKIE="$cookie" wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency -s bench/wrk.lua "$url" >"$B/wrk/$key.out"
    touch "$B/wrk/$key.rss.stop"
    wait "$sampler" || true
    line=$(grep '^BENCH ' "$B/wrk/$key.out") || fail "$key: no result from wrk"
    # BENCH requests=N duration_us=N rps=X p50_us=N p99_us=N socket_errors=N status_errors=N
    set -- $line
    local rps=${4#rps=} p50=${5#p50_us=} p99=${6#p99_us=} serr=${7#socket_errors=} sterr=${8#status_errors=}
    local rss
    rss=$(cat "$B/wrk/$key.rss" 2>/dev/null || echo 0)
    [ "$sterr" = 0 ] || fail "$key: $sterr responses with status >= 400"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$rps" "$p50" "$p99" "$rss" "$serr" >>"$results"
    say "    $rps req/s, p50 $((p50 / 1000)).$(((p50 % 1000) / 100)) ms, p99 $((p99 / 1000)).$(((p99 % 1000) / 100)) ms, peak RSS $((rss / 1024)) MiB"
}

measure static_noauth "$OURS/static/file.html" "" "$HTTPD_PID"
measure static_nextauth "$OURS/protected/file.html" "$OURS_COOKIE" "$HTTPD_PID"
if [ -z "$ONLY" ]; then
    measure static_openidc_cookie "$OURS/oidc/file.html" "$OIDC_COOKIE" "$HTTPD_PID"
    measure static_openidc_shm "http://127.0.0.1:$P_SHM/oidc/file.html" "$OIDC_SHM_COOKIE" "$HTTPD_PID"
    measure static_nextauth_oidc "$OURS/protected/file.html" "$TOKENS_COOKIE" "$HTTPD_PID"
    measure static_passtokens "$OURS/tokens/file.html" "$TOKENS_COOKIE" "$HTTPD_PID"
fi
measure session_valid_ours "$OURS/api/auth/session" "$OURS_COOKIE" "$HTTPD_PID"
[ -z "$ONLY" ] && measure session_valid_next "$THEIRS/api/auth/session" "$NEXT_COOKIE" "$NEXT_PID"
if [ -z "$ONLY" ]; then
    measure session_none_ours "$OURS/api/auth/session" "" "$HTTPD_PID"
    measure session_none_next "$THEIRS/api/auth/session" "" "$NEXT_PID"
    measure csrf_ours "$OURS/api/auth/csrf" "" "$HTTPD_PID"
    measure csrf_next "$THEIRS/api/auth/csrf" "" "$NEXT_PID"
    measure signin_ours "$OURS/api/auth/signin" "" "$HTTPD_PID"
    measure signin_next "$THEIRS/api/auth/signin" "" "$NEXT_PID"
else
    measure csrf_ours "$OURS/api/auth/csrf" "" "$HTTPD_PID"
fi
if [ "$GROWTH" = 1 ]; then
    measure session_chunked_ours "$OURS/api/auth/session" "$CHUNKED_COOKIE" "$HTTPD_PID"
    measure static_secrets4 "http://127.0.0.1:$P_ROT/protected/file.html" "$ROT_COOKIE" "$HTTPD_PID"
    measure static_require20 "$OURS/require20/file.html" "$OURS_COOKIE" "$HTTPD_PID"
    # The same two requests as the first rows while $GROWTH_CONNS signed-in keep-alive
    # connections are held open (wrk itself at -c$GROWTH_CONNS would only measure the MPM
    # dropping keep-alive connections once every worker is busy).
    node bench/hold-connections.mjs "$OURS/protected/file.html" "$GROWTH_CONNS" "$OURS_COOKIE" \
        >"$B/hold.out" 2>"$B/hold.err" &
    HOLD_PID=$!
    pids+=("$HOLD_PID")
    for _ in $(seq 1 300); do grep -q holding "$B/hold.out" 2>/dev/null && break; sleep 0.1; done
    grep -q holding "$B/hold.out" || { cat "$B/hold.err" >&2; fail "could not hold $GROWTH_CONNS connections"; }
    say "holding $GROWTH_CONNS keep-alive connections"
    measure static_noauth_cmany "$OURS/static/file.html" "" "$HTTPD_PID"
    measure static_nextauth_cmany "$OURS/protected/file.html" "$OURS_COOKIE" "$HTTPD_PID"
    kill -TERM "$HOLD_PID" && wait "$HOLD_PID" || true
    say "$(cat "$B/hold.err")"
fi

# The session must still be valid after the runs (nothing expired or was refused).
expect "protected after the runs" 200 "$OURS/protected/file.html" "$OURS_COOKIE" "A static page"
if grep -Eq 'exit signal|Segmentation fault' "$B/error.log"; then fail "httpd crashed: see $B/error.log"; fi

if [ -n "$ONLY" ]; then
    column -t "$results" >&2
    exit 0
fi

# --- report ---------------------------------------------------------------------------------
versions() {
    echo "apache2=$(/usr/sbin/apache2 -v | sed -n 's/^Server version: //p')"
    echo "openidc=$(dpkg-query -W -f='${Version}' libapache2-mod-auth-openidc 2>/dev/null || echo '?')"
    echo "node=$(node --version)"
    echo "next=$(node -p 'require("./bench/nextjs/node_modules/next/package.json").version')"
    echo "nextauth=$(node -p 'require("./bench/nextjs/node_modules/next-auth/package.json").version')"
    echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src include mod_nextauth.c 2>/dev/null || echo '+changes')"
    echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "nproc=$(nproc)"
    echo "ram=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel=$(uname -sr)"
    echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "load=wrk -t$THREADS -c$CONNS -d${DURATION}s after a ${WARMUP}s warm-up"
    echo "growth_conns=$GROWTH_CONNS"
}
versions >"$B/versions.txt"
mkdir -p bench/results
stamp=$(date -u +%Y-%m-%d-%H%M)
node bench/report.mjs "$results" "$B/versions.txt" "bench/results/$stamp" \
    "$([ "${BENCH_README:-1}" = 1 ] && echo README || echo '')"
rm -f "bench/results/$stamp.dat" "bench/results/$stamp.gp" # the chart's inputs
cp "bench/results/$stamp.md" bench/results/latest.md
sed -i "s|($stamp.png)|(latest.png)|" bench/results/latest.md
cp "bench/results/$stamp.png" bench/results/latest.png
say "wrote bench/results/$stamp.md, bench/results/$stamp.png and latest.{md,png}"
