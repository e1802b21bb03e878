#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 the mod_nextauth authors
#
# Debian package layer (`make test-deb`): builds libapache2-mod-nextauth with
# `dpkg-buildpackage -us -uc -b` in a scratch copy of the tree (it writes to the parent
# directory; nothing is left in the tree), runs lintian on it, installs it with apt-get,
# checks its files and the nextauth-secret helper, enables it with `a2enmod nextauth`,
# runs `apachectl -t` on a configuration using every directive (made from the installed
# nextauth.conf.reference), purges it and checks that it left nothing behind.
#
# It changes the machine's apache2 and puts it back: the package is purged, the modules
# a2enmod enabled for it are disabled again, /etc/apache2 and /var/lib/apache2 are
# compared with a snapshot taken first, and the system apache2 is never started or
# restarted: for the run, /usr/sbin/policy-rc.d is one that refuses every action and
# notes what was asked (the machine's own, if any, is put back after).
# Needs root. Prints "deb: N passed, N failed"; exits non-zero on any failure.
# NA_DEB_CHECK=1 runs the unit tests inside the package build too (they are their own
# layer in `make test`, so by default the build uses DEB_BUILD_OPTIONS=nocheck).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$(pwd)
started=$(date +%s)

pkg=libapache2-mod-nextauth
docdir=/usr/share/doc/$pkg
modules=/usr/lib/apache2/modules
policy=/usr/sbin/policy-rc.d
export DEBIAN_FRONTEND=noninteractive LANG=C LC_ALL=C
apt_opts=(-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)

passed=0
failed=0
say() { echo "t/deb/run.sh: $*"; }
fatal() {
    echo "t/deb/run.sh: $*" >&2
    exit 1
}
ok() {
    passed=$((passed + 1))
    echo "ok - $1"
}
not_ok() {
    failed=$((failed + 1))
    echo "not ok - $1"
    [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'
}
# check DESCRIPTION COMMAND...: one assertion, passed when COMMAND succeeds.
check() {
    local desc=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "$out"; fi
}

# --- preconditions ---------------------------------------------------------------------
[ "$(id -u)" = 0 ] || fatal "installs a package: run as root"
for tool in dpkg-buildpackage dh dh_apache2 lintian apt-get a2enmod a2dismod apachectl; do
    command -v "$tool" >/dev/null 2>&1 || fatal "$tool is missing (make deps)"
done
[ -f /usr/share/apache2/apache2-maintscript-helper ] || fatal "apache2 is not installed (make deps)"
installed_state() { dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true; }
case "$(installed_state)" in
"" | un* | pn*) ;;
*) fatal "$pkg is already installed ($(installed_state)); purge it first: apt-get purge $pkg" ;;
esac
for f in $modules/mod_nextauth.so /etc/apache2/mods-available/nextauth.load \
    /etc/apache2/mods-available/nextauth.conf /usr/sbin/nextauth-secret; do
    [ ! -e "$f" ] || fatal "$f exists (a \`make install\`?); remove it first"
done
apachectl -t >/dev/null 2>&1 || fatal "apachectl -t fails before the package is installed"

work=$(mktemp -d /tmp/na-deb.XXXXXX)
chmod 755 "$work" # apt's _apt user reads the .deb from here
mkdir -m 700 "$work/secrets"

# --- what the run must put back ---------------------------------------------------------
# Every file, link and mode under apache2's configuration and a2enmod's state directory,
# with the content of each file.
snapshot() {
    find /etc/apache2 /var/lib/apache2 -printf '%p %y %m %l\n' | sort
    find /etc/apache2 /var/lib/apache2 -type f -exec md5sum {} + | sort -k2
}
# The system apache2 (the pid file its init script and unit use), not the test httpds.
system_httpd() {
    local pid
    pid=$(cat /run/apache2/apache2.pid 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "running $pid"; else echo stopped; fi
}
snapshot >"$work/before"
httpd_before=$(system_httpd)
mods_before=$(ls /etc/apache2/mods-enabled)

policy_saved=no
installed=no
cleanup() {
    local status=$?
    if [ "$installed" = yes ]; then
        apt-get purge "${apt_opts[@]}" "$pkg" >>"$work/cleanup.log" 2>&1 || true
    fi
    restore_modules
    case "$policy_saved" in
    yes) cp -p "$work/policy-rc.d.saved" "$policy" ;;
    none) rm -f "$policy" ;;
    esac
    rm -rf "$work"
    exit "$status"
}
# a2enmod nextauth also enables what its .load file names ("# Depends: socache_shmcb"),
# and every a2enmod/a2dismod leaves a state marker (and its directory) under
# /var/lib/apache2.
restore_modules() {
    local m
    for m in /etc/apache2/mods-enabled/*; do
        m=${m##*/}
        grep -qxF "$m" <<<"$mods_before" || a2dismod -q -f "${m%.*}" >/dev/null 2>&1 || true
    done
    find /var/lib/apache2 -depth -mindepth 1 -printf '%y %p\n' | while read -r type m; do
        grep -qF -- "$m $type " "$work/before" && continue
        if [ "$type" = d ]; then rmdir -- "$m" 2>/dev/null || true; else rm -f -- "$m"; fi
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No service may start or restart while the package is installed, enabled or removed;
# what the maintainer scripts ask invoke-rc.d is noted in $work/policy.log.
if [ -e "$policy" ]; then
    cp -p "$policy" "$work/policy-rc.d.saved"
    policy_saved=yes
else
    policy_saved=none
fi
: >"$work/policy.log"
printf '#!/bin/sh
# t/deb/run.sh: no service starts during the test
echo "$*" >>%s
exit 101
' \
    "$work/policy.log" >"$policy"
chmod 755 "$policy"
policy_asked() { cat "$work/policy.log"; }

# --- build --------------------------------------------------------------------------------
say "building the package in $work/src"
mkdir "$work/src"
if [ -e .git ] && command -v git >/dev/null 2>&1; then
    # What git would commit: tracked and untracked files, not ignored ones (nor the
    # node_modules link, which .gitignore names as a directory).
    git ls-files -co --exclude-standard -z | grep -zvx node_modules | tar -c --null -T - |
        tar -x -C "$work/src"
else
    tar -c --exclude=./build --exclude=./node_modules --exclude=./t/output . | tar -x -C "$work/src"
fi
tree_before=$(git status --porcelain 2>/dev/null || true)
build_opts=nocheck
[ "${NA_DEB_CHECK:-0}" = 1 ] && build_opts=
build_started=$(date +%s)
if ! (cd "$work/src" && DEB_BUILD_OPTIONS=$build_opts dpkg-buildpackage -us -uc -b) \
    >"$work/build.log" 2>&1; then
    tail -40 "$work/build.log" >&2
    fatal "dpkg-buildpackage failed"
fi
build_seconds=$(($(date +%s) - build_started))
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$work/${pkg}_${version}_${arch}.deb
[ -f "$deb" ] || fatal "dpkg-buildpackage made no $(basename "$deb")"
ok "dpkg-buildpackage -us -uc -b made $(basename "$deb") (${build_seconds}s)"
check "the README's Install section names this version ($version)" \
    grep -qF "../${pkg}_${version}_" README
check "the tree is left as it was (the build ran in a copy)" \
    test "$(git status --porcelain 2>/dev/null || true)" = "$tree_before"

# --- lintian ------------------------------------------------------------------------------
# Warnings and errors fail; what remains at lower levels is explained in
# debian/README.source.
if out=$(lintian --fail-on error,warning --display-info --pedantic "$work"/${pkg}_"${version}"_"${arch}".changes 2>&1 |
    grep -v '^running with root privileges'; exit "${PIPESTATUS[0]}"); then
    ok "lintian: no error or warning"
else
    not_ok "lintian: no error or warning" "$out"
fi
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   lintian: /'

check_control() {
    local field
    field=$(dpkg-deb -f "$deb" Depends)
    grep -q 'apache2-api-[0-9]' <<<"$field" || { echo "no apache2-api in Depends: $field"; return 1; }
    grep -q 'libjansson4' <<<"$field" || { echo "no shlibs in Depends: $field"; return 1; }
    field=$(dpkg-deb -f "$deb" Recommends Suggests)
    grep -q 'libaprutil1-dbd-sqlite3' <<<"$field" && grep -q 'libaprutil1-dbd-pgsql' <<<"$field" ||
        { echo "no APR DBD drivers in Recommends/Suggests: $field"; return 1; }
}
check "Depends has apache2-api and the shared libraries; the DBD drivers are suggested" check_control

# The install must not need anything new: what apt would install is this package alone.
check_alone() {
    local plan
    plan=$(apt-get -s install --no-install-recommends "$deb" 2>&1 | grep '^Inst ' || true)
    [ "$plan" != "" ] && ! grep -qv "^Inst $pkg " <<<"$plan" || { echo "$plan"; return 1; }
}
check "apt-get would install the package alone (every dependency is present)" check_alone

# --- install ----------------------------------------------------------------------------
say "installing $(basename "$deb")"
installed=yes
if ! apt-get install "${apt_opts[@]}" --no-install-recommends "$deb" >"$work/install.log" 2>&1; then
    cat "$work/install.log" >&2
    fatal "apt-get install failed"
fi
check "dpkg says installed" test "$(installed_state)" = "ii "
check "installing asked invoke-rc.d for nothing" test -z "$(policy_asked)"
check "installing started no apache2" test "$(system_httpd)" = "$httpd_before"
check "installing does not enable the module (the admin runs a2enmod)" \
    test ! -e /etc/apache2/mods-enabled/nextauth.load

files=(
    "$modules/mod_nextauth.so"
    /etc/apache2/mods-available/nextauth.load
    /etc/apache2/mods-available/nextauth.conf
    /usr/sbin/nextauth-secret
    "$docdir/nextauth.conf.reference"
    "$docdir/schema/sqlite.sql"
    "$docdir/schema/pgsql.sql"
    "$docdir/copyright"
    /usr/share/man/man8/nextauth-secret.8.gz
)
for f in "${files[@]}"; do check "installed: $f" test -f "$f"; done
check "nextauth-secret is executable" test -x /usr/sbin/nextauth-secret
check "the schemas are installed as shipped" cmp conf/schema/sqlite.sql $docdir/schema/sqlite.sql
check "the .load file loads the installed module" \
    grep -qx "LoadModule nextauth_module $modules/mod_nextauth.so" \
    /etc/apache2/mods-available/nextauth.load
check "nextauth.conf points at the installed reference" \
    grep -q "$docdir/nextauth.conf.reference" /etc/apache2/mods-available/nextauth.conf
check_conffiles() {
    local list
    list=$(dpkg-query -W -f='${Conffiles}' "$pkg")
    grep -q mods-available/nextauth.load <<<"$list" && grep -q mods-available/nextauth.conf <<<"$list" ||
        { echo "conffiles: $list"; return 1; }
}
check "nextauth.{load,conf} are conffiles (kept on remove, gone on purge)" check_conffiles

# --- the secret helper --------------------------------------------------------------------
# shellcheck source=t/deb/secret.sh
. "$top/t/deb/secret.sh"
secret_checks "$work/secrets"

# --- a2enmod, apachectl -t ---------------------------------------------------------------
check "a2enmod nextauth" a2enmod -q nextauth
check "a2enmod enabled nextauth.load and nextauth.conf" \
    test -L /etc/apache2/mods-enabled/nextauth.load -a -L /etc/apache2/mods-enabled/nextauth.conf
check "a2enmod enabled socache_shmcb (the .load file's # Depends:)" \
    test -e /etc/apache2/mods-enabled/socache_shmcb.load
check "enabling asked invoke-rc.d for nothing" test -z "$(policy_asked)"
check "enabling started no apache2" test "$(system_httpd)" = "$httpd_before"
check "apachectl -t with the module enabled" apachectl -t
check_loaded() {
    local out
    out=$(apachectl -t -D DUMP_MODULES 2>&1)
    grep -q 'nextauth_module (shared)' <<<"$out" || { echo "$out"; return 1; }
}
check "apachectl -t -D DUMP_MODULES lists nextauth_module" check_loaded

# shellcheck source=t/deb/every.sh
. "$top/t/deb/every.sh"
every_directive_checks "$work"

# --- purge --------------------------------------------------------------------------------
say "purging $pkg"
if apt-get purge "${apt_opts[@]}" "$pkg" >"$work/purge.log" 2>&1; then
    installed=no
    ok "apt-get purge $pkg"
else
    not_ok "apt-get purge $pkg" "$(cat "$work/purge.log")"
fi
purged() {
    case "$(installed_state)" in
    "" | un* | pn*) ;;
    *) echo "dpkg status: $(installed_state)"; return 1 ;;
    esac
}
check "dpkg no longer knows the package" purged
for f in "${files[@]}" /etc/apache2/mods-enabled/nextauth.load \
    /etc/apache2/mods-enabled/nextauth.conf $docdir; do
    check "removed: $f" test ! -e "$f"
done
check "no a2enmod state is left for nextauth" \
    test -z "$(find /var/lib/apache2 -name nextauth)"
check "purging started no apache2" test "$(system_httpd)" = "$httpd_before"
# Removing an enabled module disables it and asks for a restart, which policy-rc.d refused.
[ -z "$(policy_asked)" ] || policy_asked | sed 's/^/#   purge asked policy-rc.d: /' 
check "apachectl -t passes without the module" apachectl -t
every_directive_gone_check "$work"

# --- the machine as it was ----------------------------------------------------------------
restore_modules
snapshot >"$work/after"
check "/etc/apache2 and /var/lib/apache2 are as they were" diff "$work/before" "$work/after"
check "the system apache2 is as it was ($httpd_before)" test "$(system_httpd)" = "$httpd_before"

say "took $(($(date +%s) - started))s"
echo "deb: $passed passed, $failed failed"
[ "$failed" = 0 ]
