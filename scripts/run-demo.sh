#!/usr/bin/env bash
# Starts the demo: a local OpenID provider (t/peers/oidc.mjs on 127.0.0.1:8082) and httpd
# in the foreground with conf/demo.conf on 127.0.0.1:8080 and :8081. Writes only under
# build/run. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
user=${1:-www-data}
group=${2:-www-data}
root=$PWD
run=$root/build/run
mkdir -p "$run"
[ "$(id -u)" = 0 ] && chown "$user:$group" "$run"
export NA_ROOT=$root NA_RUN=$run NA_USER=$user NA_GROUP=$group
# The demo's database, made once from the shipped schema; httpd's children write to it.
if [ ! -f "$run/nextauth.db" ]; then
    sqlite3 "$run/nextauth.db" < "$root/conf/schema/sqlite.sql" >/dev/null
fi
[ "$(id -u)" = 0 ] && chown "$user:$group" "$run/nextauth.db"
/usr/sbin/apache2 -t -f "$root/conf/demo.conf"

node t/peers/oidc.mjs --port 8082 --client-id demo --client-secret demo-secret \
    --redirect-uri http://127.0.0.1:8080/api/auth/callback/demo-idp \
    --redirect-uri http://127.0.0.1:8081/api/auth/callback/demo-idp \
    --post-logout-redirect-uri http://127.0.0.1:8080/ > "$run/oidc.log" 2>&1 &
idp=$!
# Mail for the demo's magic links: printed here, on the terminal, link included.
node t/peers/smtp.mjs --port 2525 &
mailer=$!
trap 'kill "$idp" "$mailer" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    grep -q '^ready' "$run/oidc.log" 2>/dev/null && break
    kill -0 "$idp" 2>/dev/null || { cat "$run/oidc.log"; exit 1; }
    sleep 0.2
done

echo "mod_nextauth demo on http://127.0.0.1:8080/ (custom pages on :8081; Ctrl-C stops it)"
/usr/sbin/apache2 -f "$root/conf/demo.conf" -DFOREGROUND
