#!/usr/bin/env bash
# `make install`: the module where apxs says modules go and, on Debian, the
# mods-available files so that `a2enmod nextauth && apachectl -t` works.
set -euo pipefail
cd "$(dirname "$0")/.."
apxs=${1:-apxs}
DESTDIR=${DESTDIR:-}
libexec=$("$apxs" -q LIBEXECDIR)
sysconf=$("$apxs" -q SYSCONFDIR)
install -d "$DESTDIR$libexec"
install -m 644 build/mod_nextauth.so "$DESTDIR$libexec/mod_nextauth.so"
echo "installed $DESTDIR$libexec/mod_nextauth.so"
# Debian's layout (a2enmod) is recognised on the build machine, so a DESTDIR package gets it too.
if [ -d "$sysconf/mods-available" ]; then
    install -d "$DESTDIR$sysconf/mods-available"
    sed "s|/usr/lib/apache2/modules|$libexec|" conf/nextauth.load \
        > "$DESTDIR$sysconf/mods-available/nextauth.load"
    install -m 644 conf/nextauth.conf "$DESTDIR$sysconf/mods-available/nextauth.conf"
    echo "installed $DESTDIR$sysconf/mods-available/nextauth.{load,conf}; enable with: a2enmod nextauth"
fi
install -d "$DESTDIR/usr/share/doc/mod-nextauth"
install -m 644 conf/nextauth.conf.reference README "$DESTDIR/usr/share/doc/mod-nextauth/"
