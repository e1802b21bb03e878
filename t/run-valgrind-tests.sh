#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# `make test-valgrind`: the Apache::Test suite (t/run-httpd-tests.sh) with its server,
# httpd in single-process mode (-X, Apache::Test's -one-process), under valgrind's
# memcheck: invalid reads and writes, uses of uninitialised values, bad frees and
# definite leaks all count; t/valgrind.supp lists what is not ours (each entry says why).
# The module is build/mod_nextauth.so as `make module` builds it.
#
# Apache::Test starts the server through a wrapper (build/valgrind/apache2-valgrind) that
# runs valgrind only for the server itself; the `apache2 -t` runs and second servers of
# config/*.t run plainly (they are many, and under valgrind each would take seconds).
# Left out, because they cannot work with a single-process server (mod_proxy forwards
# to a backend vhost of the same server, which needs a second process to answer while
# the first one waits): protect/proxy.t, and security/headers.t's three proxied requests
# (skipped when NEXTAUTH_TEST_ONE_PROCESS is set).
# Any extra arguments replace the list of test files.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
work="$top/build/httpd-tests-valgrind"
httpd=${APACHE_TEST_HTTPD:-/usr/sbin/apache2}
wrapper="$top/build/valgrind/apache2-valgrind"
vglogs="$work/t/logs/valgrind"
supp="$top/t/valgrind.supp"
excluded="protect/proxy.t"

command -v valgrind >/dev/null || { echo "run-valgrind-tests: valgrind is not installed" >&2; exit 1; }
[ -f "$top/build/mod_nextauth.so" ] \
    || { echo "run-valgrind-tests: build/mod_nextauth.so missing; run 'make module'" >&2; exit 1; }

mkdir -p "$top/build/valgrind"
# The suppressions file must be readable by nobody, who runs httpd when we are root.
cp "$supp" "$top/build/valgrind/valgrind.supp"
chmod 644 "$top/build/valgrind/valgrind.supp"
cat >"$wrapper.tmp" <<EOF
#!/bin/sh
# Written by t/run-valgrind-tests.sh: the single-process server under valgrind, any other
# use of $httpd (-V, -t, second servers) as it is.
case " \$* " in
*" -X "*|*ONE_PROCESS*)
    mkdir -p '$vglogs' 2>/dev/null
    exec valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \\
        --errors-for-leak-kinds=definite --error-exitcode=99 --num-callers=40 \\
        --child-silent-after-fork=yes --gen-suppressions=all \\
        --suppressions='$top/build/valgrind/valgrind.supp' \\
        --log-file='$vglogs/valgrind.%p' '$httpd' -X "\$@" ;;
esac
exec '$httpd' "\$@"
EOF
chmod 755 "$wrapper.tmp"
mv -f "$wrapper.tmp" "$wrapper"

if [ $# -eq 0 ]; then
    set --
    for f in $(cd "$top/t" && ls api/*.t config/*.t pages/*.t protect/*.t security/*.t); do
        case " $excluded " in *" $f "*) continue ;; esac
        set -- "$@" "t/$f"
    done
fi

start=$(date +%s)
status=0
# Valgrind slows httpd's start (the default wait is 60 s) and every request.
APACHE_TEST_STARTUP_TIMEOUT=300 NEXTAUTH_TEST_ONE_PROCESS=1 \
    NEXTAUTH_TEST_WORK="$work" APACHE_TEST_HTTPD="$wrapper" \
    "$top/t/run-httpd-tests.sh" -one-process "$@" || status=$?

# Apache::Test stops the server with SIGTERM and gives up waiting after ~20 s; valgrind's
# leak check may still be running. Wait (up to 3 minutes) until every log has its summary.
n=0
while :; do
    pending=0
    for f in "$vglogs"/valgrind.*; do
        [ -f "$f" ] || continue
        grep -q 'ERROR SUMMARY' "$f" || pending=1
    done
    [ "$pending" -eq 1 ] && [ "$n" -lt 180 ] || break
    n=$((n + 1))
    sleep 1
done

found=0
logs=0
for f in "$vglogs"/valgrind.*; do
    [ -f "$f" ] || continue
    logs=$((logs + 1))
    if ! grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
        found=1
        echo "run-valgrind-tests: $f:" >&2
        cat "$f" >&2
    fi
done
if [ "$logs" -eq 0 ]; then
    echo "run-valgrind-tests: no valgrind log: the server did not run under valgrind" >&2
    found=1
fi
if [ "$found" -ne 0 ]; then
    echo "run-valgrind-tests: valgrind findings (above)" >&2
    [ "$status" -ne 0 ] || status=1
fi
echo "run-valgrind-tests: $(( $(date +%s) - start )) s; left out: $excluded"
if [ "$status" -eq 0 ]; then
    echo "run-valgrind-tests: the suite passed under valgrind (httpd -X), no error, no definite leak"
else
    echo "run-valgrind-tests: FAILED (exit $status); logs in $work/t/logs" >&2
fi
exit "$status"
