# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# t/deb/run.sh's `apachectl -t` checks against a configuration that uses every directive
# (sourced; uses its check). The configuration is the installed nextauth.conf.reference
# with its examples uncommented, its file: secrets written by nextauth-secret under the
# scratch directory, its env: secrets set, and mod_dbd loaded for NextAuthDatabase dbd.
# It is applied to the system's configuration with `apachectl -t -c Include ...`, which
# changes nothing under /etc/apache2.
# From run.sh: top (the tree), docdir (the package's doc directory), modules (apache2's).
# shellcheck disable=SC2154

# The reference's example lines: "#Directive ..." and the "#    Directive" lines of its
# <Location> example; its prose comments stay out.
every_directive_conf() {
    sed -nE 's/^#[[:space:]]*((NextAuth[A-Za-z]+|AuthType|Require|AuthzSendForbiddenOnFailure|<\/?Location)([[:space:]>].*)?)$/\1/p' \
        "$docdir/nextauth.conf.reference"
}

# Each file:/etc/apache2/NAME of the reference becomes DIR/secrets/NAME, made by the
# helper; each env:NAME is exported with a value.
every_directive_prepare() {
    local dir=$1 path name
    mkdir -p "$dir/secrets"
    every_directive_conf >"$dir/every.raw"
    for path in $(grep -oE 'file:/[^ "]+' "$dir/every.raw" | sort -u); do
        path=${path#file:}
        /usr/sbin/nextauth-secret --force "$dir/secrets/$(basename "$path")" >/dev/null
    done
    sed -E "s|file:/[^ \"]*/([^/ \"]+)|file:$dir/secrets/\\1|g" "$dir/every.raw" >"$dir/every.conf"
    for name in $(grep -oE 'env:[A-Za-z_][A-Za-z0-9_]*' "$dir/every.conf" | sort -u); do
        export "${name#env:}=t-deb-value-of-${name#env:}"
    done
    cat >"$dir/dbd.conf" <<CONF
<IfModule !dbd_module>
    LoadModule dbd_module $modules/mod_dbd.so
</IfModule>
DBDriver sqlite3
DBDParams $dir/nextauth.db
CONF
}

# Every directive the module defines (include/na_directives.h) is used.
every_directive_used() {
    local conf=$1 d missing=
    for d in $(grep -oE '"NextAuth[A-Za-z]+"' "$top/include/na_directives.h" | tr -d '"' | sort -u); do
        grep -qE "^[[:space:]]*${d}[[:space:]]" "$conf" || missing="$missing $d"
    done
    [ -z "$missing" ] || { echo "not used:$missing"; return 1; }
}

every_directive_test() {
    apachectl -t -c "Include $1/dbd.conf" -c "Include $1/every.conf" "${@:2}" 2>&1
}

every_directive_syntax_ok() {
    local out
    out=$(every_directive_test "$1") || { echo "$out"; return 1; }
    grep -q '^Syntax OK' <<<"$out" || { echo "$out"; return 1; }
    ! grep -q 'NA00' <<<"$out" || { echo "a module warning: $out"; return 1; }
}

# A wrong value must fail: the directives are really parsed by the installed module.
every_directive_bad_value_fails() {
    local out
    if out=$(every_directive_test "$1" -c 'NextAuthSession strategy=bogus'); then
        echo "exit 0: $out"
        return 1
    fi
    grep -q "NextAuthSession strategy='bogus'" <<<"$out" || { echo "$out"; return 1; }
}

every_directive_checks() {
    local dir=$1
    every_directive_prepare "$dir"
    check "the configuration made from the reference uses every directive" \
        every_directive_used "$dir/every.conf"
    check "apachectl -t passes with every directive (Syntax OK, no NA warning)" \
        every_directive_syntax_ok "$dir"
    check "apachectl -t fails on a bad value, naming it" every_directive_bad_value_fails "$dir"
}

# Once the package is gone, the same configuration no longer parses: no module is left.
every_directive_unknown() {
    local out
    if out=$(every_directive_test "$1"); then
        echo "exit 0: $out"
        return 1
    fi
    grep -q "Invalid command 'NextAuth" <<<"$out" || { echo "$out"; return 1; }
}

every_directive_gone_check() {
    check "after purge the directives are unknown to apachectl -t" every_directive_unknown "$1"
}
