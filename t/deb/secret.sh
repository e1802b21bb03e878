# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# t/deb/run.sh's checks of the installed nextauth-secret helper (sourced; uses its check,
# ok and not_ok). Everything is written under the directory given, never to /etc/apache2.

# The file holds one line: 32 bytes in base64 (44 characters).
secret_is_32_bytes() {
    local line
    [ "$(wc -l <"$1")" = 1 ] || { echo "$1: not one line"; return 1; }
    line=$(head -n 1 "$1")
    [ "${#line}" = 44 ] || { echo "$1: ${#line} characters"; return 1; }
    [ "$(base64 -d <<<"$line" | wc -c)" = 32 ] || { echo "$1: not 32 bytes of base64"; return 1; }
}

secret_mode_is_600() {
    local mode
    mode=$(stat -c '%a %U' "$1")
    [ "$mode" = "600 root" ] || { echo "$1: mode and owner $mode"; return 1; }
}

refused_without_force() {
    local out
    if out=$(/usr/sbin/nextauth-secret "$1" 2>&1); then
        echo "exit 0: $out"
        return 1
    fi
    grep -q -- '--force' <<<"$out" || { echo "no hint at --force: $out"; return 1; }
}

secret_checks() {
    local dir=$1 file=$1/nextauth.secret first out
    check "nextauth-secret --help shows the usage" \
        bash -c '/usr/sbin/nextauth-secret --help | grep -q "^Usage: nextauth-secret \[--force\] \[FILE\]"'
    check "nextauth-secret refuses an unknown option" \
        bash -c '! /usr/sbin/nextauth-secret --bogus 2>/dev/null'

    # A umask that would leave a plain file readable by everyone.
    if out=$(umask 022 && /usr/sbin/nextauth-secret "$file" 2>&1); then
        ok "nextauth-secret FILE writes a new secret"
    else
        not_ok "nextauth-secret FILE writes a new secret" "$out"
    fi
    check "the secret file is mode 0600, owned by root (umask 022)" secret_mode_is_600 "$file"
    check "the secret is 32 random bytes in base64 on one line" secret_is_32_bytes "$file"
    first=$(cat "$file" 2>/dev/null || true)
    check "nextauth-secret does not print the secret" \
        test -n "$first" -a "${out/"$first"/}" = "$out"
    check "no temporary file is left beside it" \
        test "$(find "$dir" -name '.nextauth-secret.*' | wc -l)" = 0

    check "without --force an existing file is refused" refused_without_force "$file"
    check "... and left as it was" test "$(cat "$file")" = "$first"
    check "--force replaces it" /usr/sbin/nextauth-secret --force "$file"
    check "... with a new secret" test "$(cat "$file")" != "$first"
    check "... still mode 0600" secret_mode_is_600 "$file"

    ln -s "$file" "$dir/link.secret"
    check "a symbolic link is not replaced, even with --force" \
        bash -c "! /usr/sbin/nextauth-secret --force '$dir/link.secret' 2>/dev/null"
    check "... and it is left a link" test -L "$dir/link.secret"
    rm -f "$dir/link.secret"
    check "a missing directory is refused" \
        bash -c "! /usr/sbin/nextauth-secret '$dir/none/x.secret' 2>/dev/null"
}
