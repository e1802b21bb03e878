#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# What `make bench` needs beyond `make deps`: wrk (load), gnuplot-nox (the chart) and
# Debian's mod_auth_openidc (the third server of the comparison). Installs only what is
# missing, with apt-get, and only as root; otherwise it says what to install.
set -eu
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v gnuplot >/dev/null 2>&1 || missing="$missing gnuplot-nox"
[ -f /usr/lib/apache2/modules/mod_auth_openidc.so ] || missing="$missing libapache2-mod-auth-openidc"
command -v htpasswd >/dev/null 2>&1 || missing="$missing apache2-utils"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "bench/install.sh: missing:$missing (apt-get install them as root)" >&2
    exit 1
fi
echo "bench/install.sh: apt-get install$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
