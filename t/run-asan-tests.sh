#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# `make test-asan`: the Apache::Test suite (t/run-httpd-tests.sh) against
# build/asan/mod_nextauth.so, the module built with AddressSanitizer and
# UndefinedBehaviorSanitizer (the Makefile builds it first). Debian's apache2 is not
# instrumented, so httpd runs through a wrapper that preloads gcc's sanitizer runtimes;
# every httpd of the suite goes through it (Apache::Test's server, the `apache2 -t` runs
# and the second servers of config/*.t, which all use NEXTAUTH_HTTPD).
#
# Leak detection is off in the live server (httpd frees its pools by exiting; valgrind's
# run, t/run-valgrind-tests.sh, looks for leaks). Any sanitizer report aborts the process
# that made it and leaves a file under the work directory's t/logs/sanitizer/; the run
# fails if one exists, or if an error_log mentions AddressSanitizer or "runtime error:".
# Extra arguments go to t/TEST.PL (e.g. t/api/csrf.t).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
so="$top/build/asan/mod_nextauth.so"
work="$top/build/httpd-tests-asan"
httpd=${APACHE_TEST_HTTPD:-/usr/sbin/apache2}
wrapper="$top/build/asan/apache2-asan"
sanlogs="$work/t/logs/sanitizer"
cc=${CC:-gcc}

[ -f "$so" ] || { echo "run-asan-tests: $so missing; run 'make test-asan'" >&2; exit 1; }

# The runtimes the module was linked against (gcc 12: libasan.so.8, libubsan.so.1).
runtime() {
    lib=$(readlink -f "$("$cc" -print-file-name="$1")")
    [ -f "$lib" ] || { echo "run-asan-tests: $1 not found (gcc's sanitizer runtime)" >&2; exit 1; }
    echo "$lib"
}
asan=$(runtime libasan.so)
ubsan=$(runtime libubsan.so)

# The wrapper makes the report directory itself: run-httpd-tests.sh recreates the work
# directory and, as root, hands it to nobody, who runs httpd.
cat >"$wrapper.tmp" <<EOF
#!/bin/sh
# Written by t/run-asan-tests.sh: $httpd with the sanitizer runtimes preloaded.
mkdir -p '$sanlogs' 2>/dev/null
LD_PRELOAD='$asan $ubsan' \\
ASAN_OPTIONS='detect_leaks=0:abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1:log_path=$sanlogs/asan' \\
UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$sanlogs/ubsan' \\
exec '$httpd' "\$@"
EOF
chmod 755 "$wrapper.tmp"
mv -f "$wrapper.tmp" "$wrapper"

# Smoke test of the wrapper itself: the runtimes load and the module is ASan-built.
if ! "$wrapper" -v >/dev/null 2>&1; then
    echo "run-asan-tests: $wrapper -v fails:" >&2
    "$wrapper" -v >&2 || true
    exit 1
fi
nm -D "$so" | grep -q '__asan_init' \
    || { echo "run-asan-tests: $so is not built with AddressSanitizer" >&2; exit 1; }

status=0
NEXTAUTH_TEST_SO="$so" NEXTAUTH_TEST_WORK="$work" APACHE_TEST_HTTPD="$wrapper" \
    "$top/t/run-httpd-tests.sh" "$@" || status=$?

found=0
for f in "$sanlogs"/*; do
    [ -f "$f" ] || continue
    found=1
    echo "run-asan-tests: sanitizer report $f:" >&2
    cat "$f" >&2
done
if grep -Es 'AddressSanitizer|runtime error:' "$work"/t/logs/error_log >&2; then
    found=1
fi
if [ "$found" -ne 0 ]; then
    echo "run-asan-tests: sanitizer findings (above)" >&2
    [ "$status" -ne 0 ] || status=1
fi
if [ "$status" -eq 0 ]; then
    echo "run-asan-tests: the suite passed under ASan+UBSan, no sanitizer report"
else
    echo "run-asan-tests: FAILED (exit $status); logs in $work/t/logs" >&2
fi
exit "$status"
