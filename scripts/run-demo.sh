#!/usr/bin/env bash
# Starts httpd in the foreground with conf/demo.conf; writes only under build/run.
set -euo pipefail
cd "$(dirname "$0")/.."
user=${1:-www-data}
group=${2:-www-data}
root=$PWD
run=$root/build/run
mkdir -p "$run"
[ "$(id -u)" = 0 ] && chown "$user:$group" "$run"
export NA_ROOT=$root NA_RUN=$run NA_USER=$user NA_GROUP=$group
/usr/sbin/apache2 -t -f "$root/conf/demo.conf"
echo "mod_nextauth demo on http://127.0.0.1:8080/ (Ctrl-C stops it)"
exec /usr/sbin/apache2 -f "$root/conf/demo.conf" -DFOREGROUND
