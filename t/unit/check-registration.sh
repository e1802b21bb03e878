#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# A test that is written but never added to a TCase never runs, and nobody notices
# (STYLE.md 2.9). Fail when a START_TEST(name) in t/unit/*.c is not the function argument
# of some tcase_add_*test*(tc, name, ...), or when a suite_<unit>() is not run by main.c.
set -eu

dir=$(dirname "$0")
fail=0

# One long line, so a tcase_add_test call split over lines still matches.
calls=$(cat "$dir"/*.c | tr '\n' ' ')

ident='[A-Za-z_][A-Za-z0-9_]*'
names=$(sed -n "s/^[[:space:]]*START_TEST[[:space:]]*([[:space:]]*\($ident\)[[:space:]]*).*/\1/p" \
    "$dir"/*.c)
if [ -z "$names" ]; then
    echo "check-registration: no START_TEST found in $dir/*.c" >&2
    exit 1
fi

count=0
for name in $names; do
    count=$((count + 1))
    if ! printf '%s\n' "$calls" | grep -Eq \
        "tcase_add_[a-z_]*test[a-z_]*[[:space:]]*\([^,()]+,[[:space:]]*$name[[:space:]]*[,)]"; then
        echo "check-registration: START_TEST($name) is never added with tcase_add_*test*" >&2
        fail=1
    fi
done

dups=$(printf '%s\n' $names | sort | uniq -d)
if [ -n "$dups" ]; then
    echo "check-registration: START_TEST defined twice: $dups" >&2
    fail=1
fi

# Every suite a test file defines is run by main.c.
for f in "$dir"/test_*.c; do
    unit=$(basename "$f" .c)
    unit=${unit#test_}
    if ! grep -Eq "^Suite[[:space:]]*\*[[:space:]]*suite_${unit}[[:space:]]*\(void\)" "$f"; then
        echo "check-registration: $f does not define Suite *suite_${unit}(void)" >&2
        fail=1
    elif ! grep -Eq "suite_${unit}[[:space:]]*\(\)" "$dir/main.c"; then
        echo "check-registration: main.c never runs suite_${unit}()" >&2
        fail=1
    fi
done

if [ "$fail" -ne 0 ]; then
    exit 1
fi
echo "check-registration: $count tests, all registered"
