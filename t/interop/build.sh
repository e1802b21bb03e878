#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds build/interop/na_session_tool (the session-token core as a command, used by
# t/interop/jwt.test.js) against build/libnextauth.a. Run from anywhere.
set -eu
cd "$(dirname "$0")/../.."
# Only the core library: the tool needs neither apxs nor the module.
make --no-print-directory -f Makefile.apxs build/libnextauth.a >/dev/null
PKGS="apr-1 apr-util-1 openssl libcurl jansson"
mkdir -p build/interop
${CC:-cc} -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude $(pkg-config --cflags $PKGS) \
    -o build/interop/na_session_tool t/interop/na_session_tool.c build/libnextauth.a \
    $(pkg-config --libs $PKGS)
echo "built build/interop/na_session_tool"
