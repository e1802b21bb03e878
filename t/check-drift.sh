#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Cheap drift checks (STYLE.md 2.9, item 5), run by `make check-drift`:
#  1. every directive name (NA_DIR_* in include/na_directives.h) is in the README's directive
#     table and is shown in conf/nextauth.conf.reference, and neither documents a
#     NextAuth* directive that does not exist;
#  2. every NA_LOGNO(nnnnn) in src/ and mod_nextauth.c is used once, and below the number
#     in t/lognos.next when that file exists;
#  3. src/core/ (and the na_*.h headers it includes) never includes an httpd header and
#     never calls an ap_* function: the core must build without httpd;
#  4. every t/ folder holding Apache::Test files (*.t) is named in the README's test table;
#  5. the C sources are formatted as .clang-format says (`make format` fixes them).
set -eu

cd "$(dirname "$0")/.."
fail=0

problem() {
    echo "check-drift: $*" >&2
    fail=1
}

# ---- 1. directives ---------------------------------------------------------------------
header=include/na_directives.h
sp='[[:space:]]\{1,\}'
directives=$(sed -n "s/^#[[:space:]]*define${sp}NA_DIR_[A-Z0-9_]\{1,\}$sp\"\([^\"]*\)\".*/\1/p" \
    "$header")
ndirectives=$(printf '%s\n' $directives | grep -c . || true)
if [ "$ndirectives" -eq 0 ]; then
    problem "no NA_DIR_* directive names found in $header"
fi

readme=README
reference=conf/nextauth.conf.reference
for doc in "$readme" "$reference"; do
    if [ ! -f "$doc" ]; then
        problem "$doc is missing, so the directives cannot be checked against it"
    fi
done

# README: the directive opens a table cell, as in "| `NextAuthURL URL` | ...".
if [ -f "$readme" ]; then
    for d in $directives; do
        if ! grep -Eq "^\|[[:space:]]*\`$d([[:space:]][^\`]*)?\`" "$readme"; then
            problem "$d ($header) has no row in the directive table of $readme"
        fi
    done
    for d in $(grep -E '^\|' "$readme" | grep -oE "\`NextAuth[A-Z][A-Za-z]*" | tr -d '`' |
               sort -u); do
        if ! printf '%s\n' $directives | grep -qx "$d"; then
            problem "$readme documents $d, which $header does not define"
        fi
    done
fi

# Reference: the directive starts a line, commented out or not ("#NextAuthURL https://…").
if [ -f "$reference" ]; then
    for d in $directives; do
        if ! grep -Eq "^[#[:space:]]*$d([[:space:]]|\$)" "$reference"; then
            problem "$d ($header) is not shown in $reference"
        fi
    done
    for d in $(grep -oE '^[#[:space:]]*NextAuth[A-Z][A-Za-z]*' "$reference" |
               sed 's/^[#[:space:]]*//' | sort -u); do
        if ! printf '%s\n' $directives | grep -qx "$d"; then
            problem "$reference shows $d, which $header does not define"
        fi
    done
fi

# ---- 2. log numbers --------------------------------------------------------------------
logsrc="src mod_nextauth.c"
numbers=$(grep -rhoE --include='*.c' --include='*.h' 'NA_LOGNO\([[:space:]]*[0-9]+[[:space:]]*\)' \
    $logsrc | tr -cd '0-9\n' | sed 's/^0*\([0-9]\)/\1/')
nlognos=$(printf '%s\n' $numbers | grep -c . || true)
for n in $(printf '%s\n' $numbers | sort -n | uniq -d); do
    where=$(grep -rnE --include='*.c' --include='*.h' "NA_LOGNO\([[:space:]]*0*$n[[:space:]]*\)" \
        $logsrc | cut -d: -f1,2 | tr '\n' ' ')
    problem "log number NA$(printf '%05d' "$n") is used more than once: $where"
done
if [ -f t/lognos.next ] && [ "$nlognos" -gt 0 ]; then
    next=$(tr -cd '0-9' < t/lognos.next | sed 's/^0*\([0-9]\)/\1/')
    highest=$(printf '%s\n' $numbers | sort -n | tail -n 1)
    if [ -z "$next" ] || [ "$highest" -ge "$next" ]; then
        problem "t/lognos.next says ${next:-nothing}, but NA$(printf '%05d' "$highest") is used"
    fi
fi

# ---- 3. an httpd-free core -------------------------------------------------------------
core_files=$(ls src/core/*.c include/na_*.h 2>/dev/null || true)
ncore=$(printf '%s\n' $core_files | grep -c . || true)
if [ "$ncore" -eq 0 ]; then
    problem "no files under src/core/"
fi
# httpd.h, http_*.h, ap_*.h, and httpd's util_*.h and mod_*.h (mod_nextauth.h included).
httpd_headers='httpd\.h|http_[^>"]*|ap_[^>"]*|util_[^>"]*|mod_[^>"]*'
for f in $core_files; do
    grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($httpd_headers)[>\"]" "$f" |
        sed "s|^|check-drift: $f:|; s|\$| (an httpd header in the core)|" | grep . >&2 \
        && fail=1
    # Calls only: comments and string literals are removed first, keeping line numbers.
    perl -0777 -ne '
        s{("(?:\\.|[^"\\\n])*"|\x27(?:\\.|[^\x27\\\n])*\x27)|(/\*.*?\*/|//[^\n]*)}{
            defined $1 ? "\"\"" : "\n" x ($2 =~ tr/\n//)
        }gse;
        my $n = 0;
        for my $l (split /\n/, $_, -1) {
            $n++;
            print "$ARGV:$n: the core calls $1\n" while $l =~ /\b(ap_[A-Za-z0-9_]+)\s*\(/g;
        }' "$f" | sed 's/^/check-drift: /' | grep . >&2 && fail=1
done

# ---- 4. the README's test table knows every Apache::Test folder -------------------------
ntestdirs=0
for d in $(ls t/*/*.t 2>/dev/null | sed 's|/[^/]*$||' | sort -u); do
    ntestdirs=$((ntestdirs + 1))
    grep -q "^| .*\`$d/\`" "$readme" || problem "$d/ holds Apache::Test files but the test table in $readme does not name \`$d/\`"
done

# ---- 5. formatting ---------------------------------------------------------------------
c_files=$(ls mod_nextauth.c src/*/*.c include/*.h t/unit/*.c t/unit/*.h 2>/dev/null)
nformatted=$(printf '%s\n' $c_files | grep -c . || true)
if ! command -v clang-format >/dev/null 2>&1; then
    problem "clang-format is missing (make deps installs it)"
else
    for f in $c_files; do
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 \
            || problem "$f is not formatted as .clang-format says (make format)"
    done
fi

if [ "$fail" -ne 0 ]; then
    exit 1
fi
echo "check-drift: ok ($ndirectives directives in $readme and $reference, $nlognos log" \
    "numbers unique, $ncore core files free of httpd, $ntestdirs test folders in $readme," \
    "$nformatted C files formatted)"
